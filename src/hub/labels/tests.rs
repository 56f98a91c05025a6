use chrono::NaiveDate;

use super::*;
use crate::domain::label::{
    Bilingual, LabelContent, LabelInput, NutritionFacts, Packer, restricted_number,
};

pub(crate) fn sample(nutrition: bool) -> LabelContent {
    let input = LabelInput {
        name_fr: Some("Haricots verts et carottes".into()),
        name_en: Some("Green beans and carrots".into()),
        net_weight_g: 500,
        gtin: restricted_number("04", 17).expect("valid"),
        lot: "K1-260501-03".into(),
        best_before: NaiveDate::from_ymd_opt(2027, 5, 1).expect("date"),
        ingredients: Some(Bilingual {
            fr: "haricots verts, carottes".into(),
            en: "green beans, carrots".into(),
        }),
        allergens: Some(Bilingual {
            fr: "moutarde".into(),
            en: "mustard".into(),
        }),
        nutrition: nutrition.then(|| NutritionFacts {
            serving_size: "85 g".into(),
            calories: 35.0,
            fat_g: 0.9,
            saturated_g: 0.6,
            trans_g: 0.1,
            carbohydrate_g: 7.0,
            fibre_g: 3.0,
            sugars_g: 2.0,
            protein_g: 2.0,
            sodium_mg: 46.0,
            potassium_mg: 170.0,
            calcium_mg: 40.0,
            iron_mg: 1.0,
            ..NutritionFacts::default()
        }),
    };
    let packer = Packer {
        name: "Collectif Congélo".into(),
        address: "1234, rue du Marché, Montréal (Québec) H2X 1A1".into(),
    };
    LabelContent::new(input, packer).expect("valid label")
}

fn inside(drawing: &Drawing) {
    let fonts = font::fonts().expect("fonts");
    for item in &drawing.items {
        let (x0, y0, x1, y1) = match item {
            Item::Rect { x, y, w, h } => (*x, *y, x + w, y + h),
            Item::Text {
                x,
                baseline,
                size,
                bold,
                text,
            } => (
                *x,
                baseline - size,
                x + fonts.get(*bold).width(text, *size),
                baseline + size * 0.3,
            ),
        };
        assert!(
            x0 >= 0.0 && y0 >= 0.0 && x1 <= drawing.width && y1 <= drawing.height,
            "{item:?} leaves the {}×{} label",
            drawing.width,
            drawing.height
        );
    }
}

#[test]
fn every_stock_holds_the_label_and_only_the_large_one_the_nutrition_table() {
    for stock in &STOCKS {
        let drawing = draw(&sample(true), stock).expect("fits");
        inside(&drawing);
        assert_eq!(
            drawing.nutrition_printed, stock.holds_nutrition,
            "{}",
            stock.id
        );
        let without = draw(&sample(false), stock).expect("fits");
        assert!(!without.nutrition_printed);
        inside(&without);
    }
}

#[test]
fn saturated_and_trans_share_one_daily_value_between_their_lines() {
    let stock = Stock::by_id("4x3").expect("stock");
    let drawing = draw(&sample(true), stock).expect("fits");
    let texts: Vec<(f32, f32, &str)> = drawing
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text {
                x, baseline, text, ..
            } => Some((*x, *baseline, text.as_str())),
            Item::Rect { .. } => None,
        })
        .collect();
    let size = drawing
        .items
        .iter()
        .find_map(|item| match item {
            Item::Text { size, text, .. } if text.starts_with("Saturated") => Some(*size),
            _ => None,
        })
        .expect("the saturated line");
    let line = |start: &str| {
        texts
            .iter()
            .find(|(_, _, t)| t.starts_with(start))
            .copied()
            .unwrap_or_else(|| panic!("no line {start:?} in {texts:?}"))
    };
    let fat = line("Fat / Lipides");
    let saturated = line("Saturated / saturés");
    let trans = line("+ Trans / trans");
    assert_eq!(saturated.2, "Saturated / saturés 0.5 g");
    assert_eq!(trans.2, "+ Trans / trans 0.1 g");
    assert!(
        saturated.0 > fat.0 && trans.0 == saturated.0,
        "both indented"
    );
    assert!(fat.1 < saturated.1 && saturated.1 < trans.1);
    let between: Vec<_> = texts
        .iter()
        .filter(|(x, b, _)| *x > saturated.0 && *b > saturated.1 && *b < trans.1)
        .collect();
    assert_eq!(between.len(), 1, "one % daily value for both: {between:?}");
    let (x, baseline, text) = *between[0];
    assert_eq!(text, "3 %", "(0.5 g + 0.1 g) of 20 g");
    assert!(
        (baseline - (saturated.1 + trans.1) / 2.0).abs() < 0.01,
        "centred"
    );
    let fat_dv = texts
        .iter()
        .find(|(_, b, t)| *b == fat.1 && t.ends_with('%'))
        .expect("the fat's % daily value");
    let fonts = font::fonts().expect("fonts");
    let right_edge = |x: f32, text: &str| x + fonts.bold.width(text, size);
    assert!(
        (right_edge(x, text) - right_edge(fat_dv.0, fat_dv.2)).abs() < 0.01,
        "right-aligned with the other % daily values"
    );
    // No rule inside the fat, saturated and trans group; one under the trans line.
    let rules: Vec<f32> = drawing
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Rect { x, y, w, .. } if *x > drawing.width / 2.0 && *w > 40.0 => Some(*y),
            _ => None,
        })
        .collect();
    assert!(
        !rules.iter().any(|y| *y > fat.1 && *y < trans.1),
        "{rules:?}"
    );
    assert!(rules.iter().any(|y| *y > trans.1 && *y < trans.1 + 5.0));
}

#[test]
fn sheets_stay_on_the_page() {
    for stock in &STOCKS {
        let (w, h) = stock.page();
        for i in 0..stock.per_sheet() {
            let (x, y) = stock.origin(i);
            assert!(x >= 0.0 && y >= 0.0, "{}", stock.id);
            assert!(
                x + stock.width <= w + 0.01 && y + stock.height <= h + 0.01,
                "{}",
                stock.id
            );
        }
    }
}

#[test]
fn a_label_too_full_for_its_stock_is_refused() {
    let mut label = sample(false);
    label.ingredients = Some(Bilingual {
        fr: "légumes ".repeat(200),
        en: "vegetables ".repeat(200),
    });
    let stock = Stock::by_id("2x4").expect("stock");
    assert_eq!(draw(&label, stock), Err(LabelError::DoesNotFit("2x4")));
}

#[test]
fn pdf_has_one_page_per_sheet_and_refuses_bad_counts() {
    let stock = Stock::by_id("2x4").expect("stock");
    let drawing = draw(&sample(false), stock).expect("fits");
    let pdf = render_pdf(&drawing, stock, 11).expect("renders");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/Count 2"),
        "11 labels on 10-label sheets make 2 pages"
    );
    assert_eq!(render_pdf(&drawing, stock, 0), Err(LabelError::Count));
    assert_eq!(
        render_pdf(&drawing, stock, MAX_LABELS + 1),
        Err(LabelError::Count)
    );
}

#[test]
fn zpl_carries_fnc1_and_the_element_string() {
    let label = sample(false);
    let zpl = render_zpl(&label, 25).expect("renders");
    assert!(zpl.starts_with("^XA\n^CI28\n"));
    assert!(zpl.contains(&format!(
        "^BXN,4,200,0,0,,_,1^FD_1{}^FS",
        label.gs1.element_string()
    )));
    assert!(zpl.contains("^PQ25\n^XZ"));
    assert!(zpl.contains("^FDGarder congelé / Keep frozen^FS"));
    assert_eq!(zpl::bx_data("10A_B"), "_110A_d095B");
}

/// The lines of `drawing` that come from the label's main mandatory text, with whether each is the
/// net quantity: the common names, net quantity, storage, best-before and lot.
fn mandatory_lines<'a>(drawing: &'a Drawing, label: &LabelContent) -> Vec<(&'a Item, bool)> {
    let best_before = format!(
        "{} {}",
        crate::domain::label::BEST_BEFORE,
        label.best_before.replace(' ', "\u{a0}")
    );
    let held = [
        label.name.fr.clone(),
        label.name.en.clone(),
        crate::domain::label::KEEP_FROZEN.to_owned(),
        best_before,
        format!("Lot : {}", label.lot),
    ];
    drawing
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text { text, x, .. } if *x < drawing.width / 2.0 => {
                if *text == label.net_quantity {
                    Some((item, true))
                } else {
                    held.iter()
                        .any(|h| h.contains(text.as_str()))
                        .then_some((item, false))
                }
            }
            _ => None,
        })
        .collect()
}

#[test]
fn mandatory_text_keeps_the_regulated_type_height_on_every_stock() {
    let fonts = font::fonts().expect("fonts");
    let mut crowded = sample(true);
    crowded.name = Bilingual {
        fr: "Mélange de légumes du potager : haricots, carottes, pois et maïs".into(),
        en: "Garden vegetable mix: beans, carrots, peas and corn".into(),
    };
    crowded.ingredients = Some(Bilingual {
        fr: "haricots verts, carottes, pois verts, maïs en grains, poivrons rouges".into(),
        en: "green beans, carrots, green peas, whole kernel corn, red peppers".into(),
    });
    let (mut checked, mut crowded_drawn) = (0, 0);
    for stock in &STOCKS {
        for label in [sample(true), sample(false), crowded.clone()] {
            let Ok(drawing) = draw(&label, stock) else {
                assert_eq!(label, crowded, "{}: the samples fit", stock.id);
                continue;
            };
            crowded_drawn += usize::from(label == crowded);
            let lines = mandatory_lines(&drawing, &label);
            assert!(lines.len() >= 6, "{}: {lines:?}", stock.id);
            for (item, quantity) in lines {
                let Item::Text {
                    size, bold, text, ..
                } = item
                else {
                    continue;
                };
                let (letter, numbers) =
                    type_height::heights_mm(fonts.get(*bold), text, *size, quantity);
                let letter = letter.expect("every mandatory line has letters");
                assert!(
                    letter >= type_height::MIN_LETTER_MM,
                    "{}: {text:?} at {size} pt has letters of {letter:.2} mm",
                    stock.id
                );
                if quantity {
                    let numbers = numbers.expect("the net quantity has numbers");
                    assert!(
                        numbers >= type_height::MIN_NET_QUANTITY_MM,
                        "{}: {text:?} at {size} pt has numbers of {numbers:.2} mm",
                        stock.id
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "{checked} lines checked");
    assert!(
        crowded_drawn >= 2,
        "the crowded label fits {crowded_drawn} stocks"
    );
}

#[test]
fn every_line_keeps_the_type_height_where_the_label_has_room() {
    let fonts = font::fonts().expect("fonts");
    for id in ["3x3", "4x3"] {
        let stock = Stock::by_id(id).expect("stock");
        for label in [sample(true), sample(false)] {
            let drawing = draw(&label, stock).expect("fits");
            let mut lines = 0;
            for item in &drawing.items {
                let Item::Text {
                    x,
                    size,
                    bold,
                    text,
                    ..
                } = item
                else {
                    continue;
                };
                // The text column starts at the padding; the code's digits and the table do not.
                if (x - 7.0).abs() > 0.01 {
                    continue;
                }
                let (letter, _) = type_height::heights_mm(fonts.get(*bold), text, *size, false);
                let letter = letter.unwrap_or(f32::MAX);
                assert!(
                    letter >= type_height::MIN_LETTER_MM,
                    "{id}: {text:?} at {size} pt has letters of {letter:.2} mm"
                );
                lines += 1;
            }
            assert!(lines >= 12, "{id}: {lines} lines");
        }
    }
}
