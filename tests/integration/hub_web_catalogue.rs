//! The catalogue pages over real HTTP: products and tiers created and edited through their forms,
//! every field's validation, nothing half-saved, audit rows, and what kiosks pull afterwards.

use congelo::domain::product::Locale;
use congelo::hub::store::CatalogueStore;

use crate::common::web::{Browser, WebHub};

fn count(hub: &WebHub, sql: &str) -> i64 {
    hub.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn config_version(hub: &WebHub) -> i64 {
    count(hub, "SELECT version FROM config_state")
}

const CARROTS: &[(&str, &str)] = &[
    ("name_fr", "Carottes en rondelles"),
    ("name_en", "Sliced carrots"),
    ("name_es", "Zanahorias"),
    ("barcodes", "4006381333931\n96385074"),
    ("internal_code", "cgp7"),
    ("pictogram", "carrot"),
    ("net_weight_g", "500"),
    ("full_price", "4,25"),
    ("tax_rate", "0"),
    ("active", "1"),
];

/// A hub, its admin's browser, and the id of the carrots product made through the form.
fn with_carrots() -> (WebHub, Browser, i64) {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    assert_eq!(
        admin.submit("/products/new", "/products", CARROTS).status,
        303
    );
    let product = hub.store.catalogue_products().unwrap()[0].id.0;
    (hub, admin, product)
}

#[test]
fn an_admin_creates_and_edits_a_product_that_kiosks_then_pull() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let before = config_version(&hub);
    let made = admin.submit("/products/new", "/products", CARROTS);
    assert_eq!(
        (made.status, made.header("location")),
        (303, Some("/products?saved=1"))
    );
    let list = admin.get("/products?saved=1");
    assert!(list.body.contains("Produit enregistré"));
    assert!(list.body.contains("Carottes en rondelles") && list.body.contains("4,25"));
    assert!(list.body.contains("/assets/pictograms/products/carrot.svg"));
    assert_eq!(
        admin.get("/assets/pictograms/products/carrot.svg").status,
        200
    );
    assert!(config_version(&hub) > before, "kiosks will pull the change");

    let products = hub.store.catalogue_products().unwrap();
    let carrots = products
        .iter()
        .find(|p| p.internal_code.as_deref() == Some("CGP7"))
        .unwrap();
    assert_eq!(carrots.barcodes.len(), 2);
    assert_eq!(carrots.names[&Locale::Es], "Zanahorias");
    assert_eq!(carrots.full_price.cents(), 425);

    // Edit: new price, one barcode fewer, no longer active.
    let path = format!("/products/{}", carrots.id.0);
    let form = admin.get(&path);
    assert!(
        form.body.contains("value=\"4,25\""),
        "the form shows the stored values"
    );
    let mut fields = CARROTS.to_vec();
    fields.retain(|(k, _)| *k != "active");
    for field in &mut fields {
        match field.0 {
            "full_price" => field.1 = "4,50 $",
            "barcodes" => field.1 = "4006381333931",
            _ => {}
        }
    }
    let saved = admin.submit(&path, &path, &fields);
    assert_eq!(saved.status, 303);
    let products = hub.store.catalogue_products().unwrap();
    let carrots = products.iter().find(|p| p.id == carrots.id).unwrap();
    assert_eq!((carrots.full_price.cents(), carrots.active), (450, false));
    assert_eq!(carrots.barcodes.len(), 1);
    let actions: Vec<String> = hub
        .sql()
        .prepare("SELECT action || ' ' || subject FROM audit_log WHERE action LIKE 'product.%' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let subject = format!("product {}", carrots.id.0);
    assert_eq!(
        actions,
        [
            format!("product.create {subject}"),
            format!("product.update {subject}")
        ]
    );
}

#[test]
fn every_product_field_is_checked_and_a_refused_form_changes_nothing() {
    let (hub, mut admin, _) = with_carrots();
    let products_before = count(&hub, "SELECT count(*) FROM products");
    let version_before = config_version(&hub);
    let audit_before = count(&hub, "SELECT count(*) FROM audit_log");
    let bad: &[(&str, &str)] = &[
        ("name_fr", " "),
        ("barcodes", "4006381333932"),
        ("internal_code", "XYZ-1"),
        ("pictogram", "../../secret"),
        ("net_weight_g", "0"),
        ("full_price", "quatre"),
        ("tax_rate", "120"),
    ];
    let refused = admin.submit("/products/new", "/products", bad);
    assert_eq!(refused.status, 422);
    for message in [
        "Certains champs sont à corriger",
        "Le nom en français est obligatoire",
        "« 4006381333932 » n’est pas un code-barres valide",
        "CGP suivi de 1 à 12",
        "Choisissez un pictogramme",
        "nombre entier de grammes",
        "montant de 0 à 1 000 000 $",
        "pourcentage de 0 à 100",
    ] {
        assert!(refused.body.contains(message), "{message}");
    }
    assert!(
        refused.body.contains("value=\"quatre\""),
        "what was typed is kept"
    );
    // A barcode of another product is refused on its field, in English for an English reader.
    admin.submit(
        "/dashboard",
        "/language",
        &[("lang", "en-CA"), ("back", "/")],
    );
    let mut taken = CARROTS.to_vec();
    taken.retain(|(k, _)| *k != "internal_code" && *k != "barcodes");
    taken.push(("barcodes", "96385074"));
    let refused = admin.submit("/products/new", "/products", &taken);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Barcode 96385074 already belongs to another product"),
        "{}",
        refused.body
    );
    assert_eq!(
        count(&hub, "SELECT count(*) FROM products"),
        products_before
    );
    assert_eq!(config_version(&hub), version_before);
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'product.%'"
        ),
        1
    );
    assert!(count(&hub, "SELECT count(*) FROM audit_log") >= audit_before);
    assert_eq!(admin.get("/products/9999").status, 404);
}

const TIER: &[(&str, &str)] = &[
    ("label", "Tarif A"),
    ("name_fr", "Tarif solidaire A"),
    ("name_en", "Solidarity rate A"),
    ("percent", "30"),
    ("cap_kind_0", "amount"),
    ("cap_value_0", "25,00"),
    ("cap_period_0", "week"),
    ("cap_kind_1", "items"),
    ("cap_value_1", "40"),
    ("cap_period_1", "month"),
];

#[test]
fn an_admin_creates_a_tier_with_caps_and_an_override_and_makes_it_the_default() {
    let (hub, mut admin, product) = with_carrots();
    let override_field = format!("override_{product}");
    let mut fields = TIER.to_vec();
    fields.push((&override_field, "1,00"));
    let made = admin.submit("/tiers/new", "/tiers", &fields);
    assert_eq!(
        (made.status, made.header("location")),
        (303, Some("/tiers?saved=1"))
    );
    let list = admin.get("/tiers?saved=1");
    assert!(list.body.contains("Tarif A") && list.body.contains("25,00\u{a0}$ par semaine"));
    assert!(list.body.contains("40 produits par mois"));
    let tiers = hub.store.catalogue_tiers().unwrap();
    let tier = tiers.iter().find(|e| e.tier.label == "Tarif A").unwrap();
    assert_eq!(tier.tier.percent, 30);
    assert_eq!(tier.tier.caps.len(), 2);
    assert_eq!(tier.tier.overrides[0].price.cents(), 100);
    assert_eq!(tier.names[&Locale::EnCa], "Solidarity rate A");
    assert!(!tier.tier.is_default);

    // Making it the default takes the mark from the full-price tier.
    let path = format!("/tiers/{}", tier.tier.id.0);
    let mut fields = TIER.to_vec();
    fields.push(("is_default", "1"));
    assert_eq!(admin.submit(&path, &path, &fields).status, 303);
    let defaults = count(&hub, "SELECT count(*) FROM tiers WHERE is_default = 1");
    let default_label: String = hub
        .sql()
        .query_row("SELECT label FROM tiers WHERE is_default = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!((defaults, default_label.as_str()), (1, "Tarif A"));
    // The override was dropped (not in the form any more).
    assert_eq!(count(&hub, "SELECT count(*) FROM tier_overrides"), 0);
    // The default tier cannot simply give the mark up.
    let refused = admin.submit(&path, &path, TIER);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Le tarif par défaut le reste"));
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM tiers WHERE is_default = 1 AND label = 'Tarif A'"
        ),
        1
    );
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'tier.%' AND login <> 'cli'"
        ),
        2
    );
}

#[test]
fn every_tier_field_is_checked_and_a_refused_form_changes_nothing() {
    let (hub, mut admin, product) = with_carrots();
    let override_field = format!("override_{product}");
    let tiers_before = count(&hub, "SELECT count(*) FROM tiers");
    let bad = [
        ("label", ""),
        ("percent", "130"),
        ("cap_kind_0", "amount"),
        ("cap_value_0", "-5"),
        ("cap_period_0", "week"),
        ("cap_kind_1", "items"),
        ("cap_value_1", "3"),
        ("cap_period_1", "year"),
        (override_field.as_str(), "gratuit"),
    ];
    let refused = admin.submit("/tiers/new", "/tiers", &bad);
    assert_eq!(refused.status, 422);
    for message in [
        "Le libellé a de 1 à 60 caractères",
        "nombre entier de 0 à 100",
        "Ce plafond est incomplet ou incorrect",
        "Le prix fixé pour « Carottes en rondelles »",
    ] {
        assert!(refused.body.contains(message), "{message}");
    }
    assert_eq!(refused.body.matches("Ce plafond est incomplet").count(), 2);
    // The label of another tier is refused.
    let taken = [("label", "Plein tarif"), ("percent", "50")];
    let refused = admin.submit("/tiers/new", "/tiers", &taken);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Un autre tarif a déjà ce libellé"));
    assert_eq!(count(&hub, "SELECT count(*) FROM tiers"), tiers_before);
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'tier.%' AND login <> 'cli'"
        ),
        0
    );
}

#[test]
fn only_admins_reach_the_catalogue() {
    let hub = WebHub::start();
    for login in ["staff-a", "viewer"] {
        let mut browser = hub.logged_in(login);
        for path in ["/products", "/products/new", "/tiers", "/tiers/new"] {
            assert_eq!(browser.get(path).status, 403, "{login} {path}");
        }
        let token = browser.get("/dashboard").csrf();
        let mut fields = vec![("csrf", token.as_str())];
        fields.extend_from_slice(CARROTS);
        assert_eq!(browser.post("/products", &fields).status, 403);
    }
    assert_eq!(count(&hub, "SELECT count(*) FROM products"), 0);
}
