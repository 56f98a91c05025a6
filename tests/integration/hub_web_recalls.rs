//! The recall pages without a browser: who may read and who may write, a recall opened from an
//! intake covers every lot made from it, the inspector's CSV names packs and never a household,
//! a bad form changes nothing, closing takes a reason, and both are in the audit log.

use congelo::hub::store::CatalogueStore;

use crate::common::hub::cli;
use crate::common::kitchen::produce_batch;
use crate::common::web::WebHub;

fn hub_with_a_batch() -> (WebHub, i64) {
    let hub = WebHub::start();
    for product in congelo::demo::products() {
        hub.store
            .save_product(None, &product, &cli("product.create"))
            .expect("product");
    }
    let product = congelo::demo::products()[2].id;
    let (_, intake) = produce_batch(&hub.db, hub.site_a, product, "B261202-01");
    (hub, intake)
}

#[test]
fn an_admin_opens_a_recall_from_an_intake_everyone_reads_it_and_only_admins_close_it() {
    let (hub, intake) = hub_with_a_batch();
    let mut viewer = hub.logged_in("viewer");
    let list = viewer.get("/recalls");
    assert_eq!(list.status, 200);
    assert!(
        !list.body.contains("name=\"reason\""),
        "no form for a viewer"
    );
    let refused = viewer.submit(
        "/recalls",
        "/recalls",
        &[("origin", "intake"), ("reference", "1"), ("reason", "x")],
    );
    assert_eq!(refused.status, 403);

    let mut admin = hub.logged_in("admin");
    let version = |hub: &WebHub| -> i64 {
        hub.sql()
            .query_row("SELECT version FROM config_state", [], |r| r.get(0))
            .unwrap()
    };
    let before = version(&hub);
    let bad = admin.submit(
        "/recalls",
        "/recalls",
        &[
            ("origin", "intake"),
            ("reference", "999"),
            ("reason", "E. coli"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Rien à rappeler"), "{}", bad.body);
    let no_reason = admin.submit(
        "/recalls",
        "/recalls",
        &[
            ("origin", "intake"),
            ("reference", &intake.to_string()),
            ("reason", " "),
        ],
    );
    assert_eq!(no_reason.status, 422);
    assert_eq!(version(&hub), before, "a refused form changes nothing");

    let opened = admin.submit(
        "/recalls",
        "/recalls",
        &[
            ("origin", "intake"),
            ("reference", &intake.to_string()),
            ("reason", "E. coli sur la livraison du 1er décembre"),
        ],
    );
    assert_eq!(opened.status, 303, "{}", opened.body);
    let location = opened.header("location").unwrap().to_owned();
    assert!(location.starts_with("/recalls/1"), "{location}");
    assert!(version(&hub) > before, "kiosks will pull the recalled lot");

    let page = viewer.get("/recalls/1");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("B261202-01"), "{}", page.body);
    let csv = viewer.get("/recalls/1/trace.csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("Restants"), "{}", csv.body);
    assert!(!csv.body.to_lowercase().contains("household") && !csv.body.contains("ménage"));
    let json = viewer.get("/recalls.json");
    assert!(json.body.contains("\"origin\":\"intake\""), "{}", json.body);
    let staff = hub.logged_in("staff-a").get("/recalls/1");
    assert_eq!(staff.status, 200);

    let refused = viewer.submit("/recalls/1", "/recalls/1/close", &[("reason", "ok")]);
    assert_eq!(refused.status, 403);
    let no_reason = admin.submit("/recalls/1", "/recalls/1/close", &[("reason", "")]);
    assert_eq!(no_reason.status, 422);
    let closed = admin.submit(
        "/recalls/1",
        "/recalls/1/close",
        &[("reason", "Analyses négatives")],
    );
    assert_eq!(closed.status, 303);
    let again = admin.submit("/recalls/1", "/recalls/1/close", &[("reason", "encore")]);
    assert_eq!(again.status, 422);
    assert!(again.body.contains("déjà fermé"), "{}", again.body);

    let actions: Vec<String> = hub
        .sql()
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'recall.%' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["recall.open", "recall.close"]);
}

#[test]
fn the_home_page_shows_open_recalls_to_every_role_and_sales_to_those_who_read_reports() {
    let (hub, intake) = hub_with_a_batch();
    let mut admin = hub.logged_in("admin");
    admin.submit(
        "/recalls",
        "/recalls",
        &[
            ("origin", "intake"),
            ("reference", &intake.to_string()),
            ("reason", "Listeria"),
        ],
    );
    let home = admin.get("/dashboard");
    assert_eq!(home.status, 200);
    for text in ["Rappels ouverts", "B261202-01", "Aujourd’hui", "Stock bas"] {
        assert!(home.body.contains(text), "{text}: {}", home.body);
    }
    let viewer = hub.logged_in("viewer").get("/dashboard");
    assert!(viewer.body.contains("B261202-01") && viewer.body.contains("Ce mois-ci"));
    assert!(!viewer.body.contains("Stock bas"), "no stock for a viewer");
    let staff = hub.logged_in("staff-a").get("/dashboard");
    assert!(staff.body.contains("B261202-01") && staff.body.contains("Stock bas"));
    assert!(
        !staff.body.contains("Ce mois-ci"),
        "no sales for site staff"
    );
}
