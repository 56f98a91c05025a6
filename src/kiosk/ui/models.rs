//! Keeping the window's list models in place: a repeater whose model is replaced rebuilds every
//! row (and drops its rendering caches), so a list that changed is updated row by row instead.

use slint::{Model, ModelRc, VecModel};

/// Makes the list behind `current` show `rows`. The `VecModel` the window already has is updated
/// in place (only rows that differ are set, rows are pushed or removed at the end); a new model is
/// handed to `replace` only when the window has none of ours yet.
pub(super) fn show_rows<T: Clone + PartialEq + 'static>(
    current: ModelRc<T>,
    rows: Vec<T>,
    replace: impl FnOnce(ModelRc<T>),
) {
    match current.as_any().downcast_ref::<VecModel<T>>() {
        Some(model) => update_rows(model, rows),
        None => replace(ModelRc::new(VecModel::from(rows))),
    }
}

fn update_rows<T: Clone + PartialEq + 'static>(model: &VecModel<T>, rows: Vec<T>) {
    if model.row_count() == 0 {
        if !rows.is_empty() {
            model.set_vec(rows);
        }
        return;
    }
    while model.row_count() > rows.len() {
        model.remove(model.row_count() - 1);
    }
    for (index, row) in rows.into_iter().enumerate() {
        match model.row_data(index) {
            Some(shown) if shown == row => {}
            Some(_) => model.set_row_data(index, row),
            None => model.push(row),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(model: &ModelRc<i32>) -> Vec<i32> {
        model.iter().collect()
    }

    #[test]
    fn a_list_is_updated_in_the_same_model() {
        let model = ModelRc::new(VecModel::from(vec![1, 2, 3]));
        for rows in [vec![1, 5, 3, 4], vec![1], vec![], vec![7, 8]] {
            show_rows(model.clone(), rows.clone(), |_| panic!("the model is kept"));
            assert_eq!(shown(&model), rows);
        }
    }

    #[test]
    fn a_window_without_our_model_gets_a_new_one() {
        let mut replaced = None;
        show_rows(ModelRc::default(), vec![1, 2], |m| replaced = Some(m));
        assert_eq!(replaced.map(|m| shown(&m)), Some(vec![1, 2]));
    }
}
