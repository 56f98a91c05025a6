//! The intake and batch pages over HTTP: who may record for which kitchen, every refusal
//! (bad weight, future date, more kilograms than an intake has left, more packed than used, a
//! product without shelf life, unknown ids) answered with its message and changing nothing, the
//! lot and best-before a batch gets, and the JSON lists.

use std::collections::BTreeMap;

use congelo::domain::kitchen::read_lot_code;
use congelo::domain::nutrition::LabelFacts;
use congelo::domain::product::{Locale, Product, TaxRate};
use congelo::domain::{Money, ProductId};
use congelo::hub::admin::cli_audit;
use congelo::hub::store::{CatalogueStore, KitchenStore};

use crate::common::web::WebHub;

/// Rows of every table the kitchen pages write.
fn counts(hub: &WebHub) -> Vec<i64> {
    let sql = hub.sql();
    [
        "sources",
        "intakes",
        "production_batches",
        "batch_intakes",
        "lot_dates",
        "audit_log",
    ]
    .iter()
    .map(|t| {
        sql.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    })
    .collect()
}

/// A product, with a shelf life of `shelf_life` days when given.
pub fn product(hub: &WebHub, name: &str, shelf_life: Option<u32>) -> ProductId {
    let product = Product {
        id: ProductId(0),
        barcodes: vec![],
        internal_code: None,
        names: BTreeMap::from([(Locale::FrCa, name.to_owned())]),
        pictogram: "carrot".into(),
        net_weight_g: 500,
        full_price: Money::from_cents(400),
        tax_rate: TaxRate::ZERO_RATED,
        active: true,
        photo: None,
    };
    let id = hub
        .store
        .save_product(None, &product, &cli_audit("product.create"))
        .unwrap();
    let facts = LabelFacts {
        shelf_life_days: shelf_life,
        ..LabelFacts::default()
    };
    hub.store
        .save_label_facts(id, &facts, &cli_audit("product.label"))
        .unwrap();
    id
}

fn last_id(hub: &WebHub, table: &str) -> String {
    hub.sql()
        .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap()
        .to_string()
}

#[test]
fn a_kitchen_records_an_intake_then_a_batch_with_its_lot() {
    let hub = WebHub::start();
    let carrots = product(&hub, "Carottes", Some(365)).0.to_string();
    let bare = product(&hub, "Sans date", None).0.to_string();
    let today = {
        use congelo::clock::Clock;
        hub.clock.today().to_string()
    };
    let mut staff = hub.logged_in("staff-a");
    let source = staff.submit(
        "/intakes",
        "/sources",
        &[("name", "Ferme des Anses"), ("kind", "farm")],
    );
    assert_eq!(source.status, 303, "{}", source.body);
    let source = last_id(&hub, "sources");
    let site_a = hub.site_a.0.to_string();
    let site_b = hub.site_b.0.to_string();
    let intake = |kg: &str, on: &str, site: &str| {
        vec![
            ("received_on", on.to_owned()),
            ("source", source.clone()),
            ("description", "Carottes déclassées".to_owned()),
            ("category", "Légumes racines".to_owned()),
            ("kg", kg.to_owned()),
            ("kitchen", site.to_owned()),
        ]
    };
    let send = |browser: &mut crate::common::web::Browser, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (*a, b.as_str())).collect();
        browser.submit("/intakes", "/intakes", &fields)
    };
    let done = send(&mut staff, intake("120,5", &today, &site_a));
    assert_eq!(done.status, 303, "{}", done.body);
    let intake_id = last_id(&hub, "intakes");

    // Refusals: each shown with its message, nothing written.
    let before = counts(&hub);
    let tomorrow = (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
        + chrono::Days::new(1))
    .to_string();
    for (fields, message) in [
        (
            intake("0", &today, &site_a),
            "Inscrivez un poids de plus de 0 kg",
        ),
        (
            intake("-3", &today, &site_a),
            "Inscrivez un poids de plus de 0 kg",
        ),
        (
            intake("3", &tomorrow, &site_a),
            "Cette date est dans le futur",
        ),
        (
            intake("3", &today, &site_b),
            "Choisissez une de vos cuisines",
        ),
        (intake("3", &today, "999"), "Choisissez une de vos cuisines"),
    ] {
        let refused = send(&mut staff, fields);
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
        assert_eq!(counts(&hub), before);
    }

    let batch = |kg_used: &str, kg_packed: &str, product: &str| {
        vec![
            ("produced_on", today.clone()),
            ("kitchen", site_a.clone()),
            ("programme", "Cuisine d'insertion".to_owned()),
            ("hours", "12,5".to_owned()),
            ("product", product.to_owned()),
            ("packs", "200".to_owned()),
            ("kg_packed", kg_packed.to_owned()),
            ("best_before", String::new()),
            (
                Box::leak(format!("use_{intake_id}").into_boxed_str()),
                kg_used.to_owned(),
            ),
        ]
    };
    let send_batch = |browser: &mut crate::common::web::Browser, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (*a, b.as_str())).collect();
        browser.submit("/batches/new", "/batches", &fields)
    };
    for (fields, message) in [
        (batch("200", "100", &carrots), "Il ne reste que 120,5 kg"),
        (
            batch("100", "100,001", &carrots),
            "Plus de kilogrammes emballés",
        ),
        (batch("100", "90", &bare), "pas de durée de conservation"),
        (batch("100", "90", "999"), "Choisissez le produit emballé"),
        (
            batch("", "90", &carrots),
            "Inscrivez les kilogrammes utilisés",
        ),
        (
            batch("0", "90", &carrots),
            "Inscrivez un poids de plus de 0 kg",
        ),
    ] {
        let refused = send_batch(&mut staff, fields);
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
        assert_eq!(counts(&hub), before);
    }
    let made = send_batch(&mut staff, batch("100", "90", &carrots));
    assert_eq!(made.status, 303, "{}", made.body);
    let list = staff.get("/batches");
    assert!(list.body.contains("Carottes"));
    let (lot, best_before, minutes): (String, String, i64) = hub
        .sql()
        .query_row(
            "SELECT lot, best_before, participant_minutes FROM production_batches",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(list.body.contains(&lot));
    assert_eq!(read_lot_code(&lot).map(|(_, n)| n), Some(1));
    assert_eq!(minutes, 750);
    let expected = (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
        + chrono::Days::new(365))
    .to_string();
    assert_eq!(best_before, expected);
    let audited: i64 = hub
        .sql()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'batch.create' AND login = 'staff-a'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);

    let json = staff.get("/batches.json");
    let rows: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(rows[0]["lot"], lot.as_str());
    assert_eq!(rows[0]["lost_g"], 10_000);
    let intakes: serde_json::Value =
        serde_json::from_str(&staff.get("/intakes.json").body).unwrap();
    assert_eq!(intakes[0]["left_g"], 20_500);

    // Staff of another kitchen see none of it and cannot draw from it; a viewer reads only.
    let mut other = hub.logged_in("staff-b");
    assert!(!other.get("/batches").body.contains(&lot));
    assert_eq!(other.get("/intakes.json").body, "[]");
    let mut viewer = hub.logged_in("viewer");
    let seen = viewer.get("/intakes");
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("Carottes déclassées"));
    assert!(!seen.body.contains("id=\"intake-form\""));
    let before = counts(&hub);
    let refused = viewer.submit("/intakes", "/intakes", &[("kg", "3")]);
    assert_eq!(refused.status, 403);
    assert_eq!(viewer.get("/batches/new").status, 403);
    assert_eq!(counts(&hub), before);
}

fn hub_cli(database: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
        .args(args)
        .env("CONGELO_HUB_DATABASE", database)
        .env("CONGELO_HUB_ADMIN_PASSWORD", "correct horse battery")
        .output()
        .expect("run congelo-hub")
}

fn cli_ok(database: &std::path::Path, args: &[&str]) -> String {
    let output = hub_cli(database, args);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

#[test]
fn the_command_line_records_sources_intakes_batches_and_label_facts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let db = db.as_path();
    cli_ok(db, &["init"]);
    cli_ok(db, &["territory", "add", "--name", "MRC"]);
    cli_ok(
        db,
        &["site", "add", "--name", "Cuisine", "--territory", "1"],
    );
    let add = [
        "product",
        "add",
        "--name-fr",
        "Haricots",
        "--price",
        "3,50",
        "--weight-g",
        "500",
    ];
    cli_ok(db, &add);
    assert!(
        cli_ok(db, &["source", "add", "--name", "Ferme", "--kind", "farm"])
            .contains("source 1 added")
    );
    let intake = [
        "intake",
        "add",
        "--source",
        "1",
        "--description",
        "Haricots",
        "--category",
        "Légumes",
        "--kg",
        "50",
        "--kitchen",
        "1",
    ];
    assert!(cli_ok(db, &intake).contains("intake 1 added: 50 kg"));
    let batch = [
        "batch",
        "add",
        "--kitchen",
        "1",
        "--product",
        "1",
        "--packs",
        "80",
        "--kg-packed",
        "40",
        "--use",
        "1:45",
        "--hours",
        "6",
    ];
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    let before = count("SELECT count(*) FROM audit_log");
    for (args, says) in [
        (batch.to_vec(), "no shelf life"),
        (
            [&intake[..8], &["--kg=-1", "--kitchen", "1"]].concat(),
            "over 0 kg",
        ),
        (
            [&intake[..2], &["--source", "9"], &intake[4..]].concat(),
            "organisation",
        ),
    ] {
        let output = hub_cli(db, &args);
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(count("SELECT count(*) FROM audit_log"), before);
    }
    let nutrition = r#"{"serving_g":85,"calories":25,"fat_dg":1,"saturated_dg":0,"trans_dg":0,"carbohydrate_dg":60,"fibre_dg":25,"sugars_dg":10,"protein_dg":15,"cholesterol_mg":0,"sodium_mg":5,"potassium_mg":160,"calcium_mg":35,"iron_dmg":8}"#;
    cli_ok(
        db,
        &[
            "product",
            "label",
            "--product",
            "1",
            "--shelf-life-days",
            "300",
            "--ingredients-fr",
            "Haricots verts",
            "--ingredients-en",
            "Green beans",
            "--nutrition",
            nutrition,
        ],
    );
    let made = cli_ok(db, &batch);
    assert!(made.contains("lot L"), "{made}");
    assert!(made.contains("5 kg lost in preparation"), "{made}");
    assert!(cli_ok(db, &["batch", "list"]).contains("80 packs"));
    assert!(cli_ok(db, &["intake", "list"]).contains("5 kg left"));
    assert_eq!(count("SELECT count(*) FROM lot_dates"), 1);
    assert_eq!(
        count(
            "SELECT count(*) FROM audit_log WHERE login = 'cli' AND action IN ('source.create', 'intake.create', 'batch.create', 'product.label')"
        ),
        4
    );
}
