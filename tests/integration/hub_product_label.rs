//! The product label page (`/products/{id}/label`) over HTTP: the Nutrition Facts inputs, saturated
//! and trans fat as two values whose sum may not exceed the fat, every refused form answered with
//! its message and changing nothing, and a stored table holding one combined saturated and trans
//! value still loading.

use congelo::domain::ProductId;
use congelo::hub::store::KitchenStore;

use crate::common::web::WebHub;
use crate::hub_kitchens::product;

/// The `<input>` tag of `field` in `page`.
fn input_tag<'a>(page: &'a str, field: &str) -> &'a str {
    let at = page.find(&format!("name=\"{field}\"")).expect("the input");
    let start = page[..at].rfind('<').expect("its tag");
    &page[start..at + page[at..].find('>').expect("its end")]
}

/// The audit rows and the label columns of product `id`, to show a refused form wrote nothing.
fn label_row(hub: &WebHub, id: ProductId) -> (i64, Vec<Option<String>>) {
    let sql = hub.sql();
    let audit = sql
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let columns = sql
        .query_row(
            "SELECT CAST(shelf_life_days AS TEXT), ingredients, allergens, nutrition
             FROM products WHERE id = ?1",
            [id.0],
            |r| Ok(vec![r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
        )
        .unwrap();
    (audit, columns)
}

#[test]
fn the_product_label_page_saves_checked_facts_only() {
    let hub = WebHub::start();
    let id = product(&hub, "Haricots", None);
    let path = format!("/products/{}/label", id.0);
    let mut admin = hub.logged_in("admin");
    let form = admin.get(&path).body;
    for (field, label) in [
        ("saturated_dg", "hub-label-saturated"),
        ("trans_dg", "hub-label-trans"),
    ] {
        assert!(
            form.contains(&format!("name=\"{field}\"")),
            "{field}: {form}"
        );
        assert!(!form.contains(label), "{label} is translated: {form}");
    }
    assert!(
        (form.contains("Gras saturés (g)") && form.contains("Gras trans (g)"))
            || (form.contains("Saturated fat (g)") && form.contains("Trans fat (g)")),
        "{form}"
    );
    let good = [
        ("shelf_life_days", "300"),
        ("ingredients_fr", "Haricots verts"),
        ("ingredients_en", "Green beans"),
        ("serving_g", "85"),
        ("calories", "25"),
        ("fat_dg", "0,5"),
        ("saturated_dg", "0,3"),
        ("trans_dg", "0,1"),
        ("carbohydrate_dg", "6"),
        ("fibre_dg", "2,5"),
        ("sugars_dg", "1"),
        ("protein_dg", "1,5"),
        ("cholesterol_mg", "0"),
        ("sodium_mg", "5"),
        ("potassium_mg", "160"),
        ("calcium_mg", "35"),
        ("iron_dmg", "0,8"),
    ];
    let before = label_row(&hub, id);
    let over_fat: [&[(&str, &str)]; 3] = [
        &[("trans_dg", "0,3")],
        &[("saturated_dg", "0,5")],
        &[
            ("fat_dg", "0,3"),
            ("saturated_dg", "0,2"),
            ("trans_dg", "0,2"),
        ],
    ];
    let other: [&[(&str, &str)]; 4] = [
        &[("shelf_life_days", "0")],
        &[("sugars_dg", "9")],
        &[("iron_dmg", "x")],
        &[("trans_dg", "")],
    ];
    for (changes, is_over_fat) in over_fat
        .iter()
        .map(|c| (c, true))
        .chain(other.iter().map(|c| (c, false)))
    {
        let fields: Vec<(&str, &str)> = good
            .iter()
            .map(|&(f, v)| (f, changes.iter().find(|(c, _)| *c == f).map_or(v, |c| c.1)))
            .collect();
        let refused = admin.submit(&path, &path, &fields);
        assert_eq!(refused.status, 422, "{changes:?}");
        assert_eq!(label_row(&hub, id), before, "{changes:?}");
        if is_over_fat {
            assert!(
                refused.body.contains("Saturated and trans fat together cannot weigh more than the fat.")
                    || refused.body.contains(
                        "Les gras saturés et trans ensemble ne peuvent pas peser plus que les lipides."
                    ),
                "{changes:?}: {}",
                refused.body
            );
            for field in ["saturated_dg", "trans_dg"] {
                let tag = input_tag(&refused.body, field);
                assert!(
                    tag.contains("aria-invalid=\"true\""),
                    "{field} is flagged: {tag}"
                );
            }
        }
    }
    let saved = admin.submit(&path, &path, &good);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let facts = hub.store.label_facts(id).unwrap();
    assert_eq!(facts.shelf_life_days, Some(300));
    let table = facts.nutrition.expect("a table");
    assert_eq!((table.fibre_dg, table.iron_dmg), (25, 8));
    assert_eq!((table.saturated_dg, table.trans_dg), (3, 1));
    let page = admin.get(&path).body;
    assert!(page.contains("Green beans"));
    assert!(input_tag(&page, "saturated_dg").contains("value=\"0.3\""));
    assert!(input_tag(&page, "trans_dg").contains("value=\"0.1\""));
    assert_eq!(hub.logged_in("staff-a").get(&path).status, 403);

    // A row holding the single combined value loads as saturated fat with no trans fat.
    hub.sql()
        .execute(
            "UPDATE products SET nutrition = '{\"serving_g\":85,\"calories\":25,\"fat_dg\":5,
               \"saturated_trans_dg\":4,\"carbohydrate_dg\":60,\"fibre_dg\":25,\"sugars_dg\":10,
               \"protein_dg\":15,\"cholesterol_mg\":0,\"sodium_mg\":5,\"potassium_mg\":160,
               \"calcium_mg\":35,\"iron_dmg\":8}' WHERE id = ?1",
            [id.0],
        )
        .unwrap();
    let table = hub.store.label_facts(id).unwrap().nutrition.expect("loads");
    assert_eq!(
        (table.saturated_dg, table.trans_dg, table.fat_dg),
        (4, 0, 5)
    );
    let page = admin.get(&path).body;
    assert!(input_tag(&page, "saturated_dg").contains("value=\"0.4\""));
    assert!(input_tag(&page, "trans_dg").contains("value=\"0\""));
}
