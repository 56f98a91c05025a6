//! The report pages over HTTP: who sees what (viewer: aggregates; site staff: their own site's
//! stock and fleet; admin: everything, recalls included), CSV and JSON siblings, bad input
//! answered with words, charts drawn.

use chrono::{Duration, Utc};
use congelo::domain::config::Thresholds;
use congelo::domain::event::{Alarm, AlarmKind, EventBody};
use congelo::domain::sale::PaymentMethod;
use congelo::domain::{KioskId, SiteId, TierId};
use congelo::hub::admin::cli_audit as cli;
use congelo::hub::store::{CatalogueStore, KioskApiStore, SiteStore};
use congelo::hub::store::{NewCode, NewKiosk, SecretHash};

use super::common::web::WebHub;
use super::hub_reports::{push, sale};

fn kiosk(hub: &WebHub, name: &str, site: SiteId, n: u8) -> KioskId {
    for product in congelo::demo::products().into_iter().filter(|_| n == 0) {
        hub.store
            .save_product(None, &product, &cli("product.create"))
            .expect("product");
    }
    let now = Utc::now();
    let kiosk = NewKiosk {
        name: name.into(),
        site,
        payment_methods: PaymentMethod::ALL.to_vec(),
        thresholds: Thresholds::default(),
    };
    let code = NewCode {
        hash: SecretHash([n + 1; 32]),
        created_at: now,
        expires_at: now + Duration::days(1),
    };
    hub.store
        .create_kiosk(&kiosk, &code, &cli("kiosk.create"))
        .expect("kiosk")
}

/// Two kiosks (site A, site B), one sale each in October 2026 from lot L1.
fn hub_with_sales() -> WebHub {
    let hub = WebHub::start();
    let a = kiosk(&hub, "Borne Alpha", hub.site_a, 0);
    let b = kiosk(&hub, "Borne Bravo", hub.site_b, 1);
    let full = TierId(1);
    let store = hub.store.as_ref();
    let first = sale(a, "2026-10-05T12:00:00Z", full, 100, None, &[(1, 2, "L1")]);
    let second = sale(b, "2026-10-06T12:00:00Z", full, 100, None, &[(2, 1, "L1")]);
    push(store, a, 0, vec![EventBody::Sale(first)]);
    push(store, b, 0, vec![EventBody::Sale(second)]);
    // Enrolled but silent ever since: the fleet view flags it.
    kiosk(&hub, "Borne Charlie", hub.site_a, 2);
    let now = Utc::now();
    store
        .enrol(&SecretHash([3; 32]), &SecretHash([9; 32]), now)
        .expect("enrol");
    hub
}

#[test]
fn a_viewer_sees_aggregates_and_downloads_them() {
    let hub = hub_with_sales();
    let mut viewer = hub.logged_in("viewer");
    let page = viewer.get("/reports?period=2026-10&kiosk=on");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Borne Alpha") && page.body.contains("Borne Bravo"));
    assert!(
        page.body
            .contains("/reports/sales.csv?period=2026-10&#38;group=kiosk"),
        "the download link asks for the same report"
    );
    let csv = viewer.get("/reports/sales.csv?period=2026-10&group=kiosk");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body
            .contains("kiosk_id,kiosk,sales,units,kg,paid,full_value,subsidy")
    );
    assert!(
        csv.body.contains("Borne Alpha,1,2,1.000,7.00,7.00,0.00"),
        "{}",
        csv.body
    );
    let json = viewer.get("/reports/sales.json?period=2026-10");
    assert_eq!(json.status, 200);
    let value: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    assert_eq!(value["totals"]["sales"], 2);
    assert_eq!(value["totals"]["paid_cents"], 700 + 425);
    let charts = viewer.get("/reports/charts?period=2026-01-01..2026-10-31");
    assert_eq!(charts.status, 200);
    assert_eq!(charts.body.matches("<svg ").count(), 4);
    for refused in [
        "/fleet",
        "/reports/stock",
        "/reports/recall?lot=L1",
        "/fleet.json",
    ] {
        assert_eq!(viewer.get(refused).status, 403, "{refused}");
    }
}

#[test]
fn bad_report_input_is_answered_with_words() {
    let hub = hub_with_sales();
    let mut viewer = hub.logged_in("viewer");
    let page = viewer.get("/reports?period=2026-13");
    assert_eq!(page.status, 422);
    assert!(page.body.contains("2026-13"), "{}", page.body);
    assert_eq!(
        viewer.get("/reports/sales.json?group=household").status,
        400
    );
    let mut admin = hub.logged_in("admin");
    assert_eq!(admin.get("/reports/stock?low=on&below=many").status, 422);
    assert_eq!(admin.get("/reports/expiring.json?days=-1").status, 400);
    let anonymous = hub.browser().get("/reports");
    assert_eq!(anonymous.status, 303);
}

#[test]
fn site_staff_see_their_own_site_only() {
    let hub = hub_with_sales();
    let mut staff = hub.logged_in("staff-a");
    assert_eq!(staff.get("/reports").status, 403);
    assert_eq!(staff.get("/reports/sales.csv").status, 403);
    assert_eq!(staff.get("/reports/recall?lot=L1").status, 403);
    let fleet = staff.get("/fleet");
    assert_eq!(fleet.status, 200);
    assert!(fleet.body.contains("Borne Alpha") && fleet.body.contains("Borne Charlie"));
    assert!(!fleet.body.contains("Borne Bravo"));
    let stock = staff.get("/reports/stock.json");
    let rows: serde_json::Value = serde_json::from_str(&stock.body).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    assert_eq!(rows[0]["kiosk"]["name"], "Borne Alpha");
    assert_eq!(
        rows[0]["level"], -2,
        "sold without a restock: the books say minus two"
    );
}

#[test]
fn an_admin_sees_the_whole_fleet_and_recalls() {
    let hub = hub_with_sales();
    let mut admin = hub.logged_in("admin");
    let recall = admin.get("/reports/recall?lot=L1");
    assert_eq!(recall.status, 200);
    assert!(recall.body.contains("Borne Alpha") && recall.body.contains("Borne Bravo"));
    let csv = admin.get("/reports/recall.csv?lot=L1");
    assert!(csv.body.contains("lot,kiosk_id,kiosk"), "{}", csv.body);
    assert!(!csv.body.contains("household") && !csv.body.contains("card"));
    let fleet: serde_json::Value =
        serde_json::from_str(&admin.get("/fleet.json").body).expect("json");
    assert_eq!(fleet.as_array().map(Vec::len), Some(3));
    assert_eq!(fleet[0]["needs_attention"], false, "{fleet}");
    assert_eq!(fleet[2]["needs_attention"], true, "{fleet}");
    assert_eq!(fleet[2]["attention"][0]["reason"], "never_contacted");
    let page = admin.get("/fleet");
    assert!(page.body.contains("class=\"attention\""));
    assert!(page.body.contains("Jamais contactée"));
}

#[test]
fn the_fleet_page_names_open_alarms_in_words_and_the_exports_keep_their_codes() {
    let hub = hub_with_sales();
    let alpha: i64 = hub
        .sql()
        .query_row(
            "SELECT id FROM kiosks WHERE name = 'Borne Alpha'",
            [],
            |r| r.get(0),
        )
        .expect("Borne Alpha");
    let alarm = Alarm {
        kind: AlarmKind::RecalledLotScanned,
        raised: true,
        at: Utc::now(),
        lots: vec!["L1".into()],
        peak_millicelsius: None,
    };
    push(
        hub.store.as_ref(),
        KioskId(alpha),
        1,
        vec![EventBody::Alarm(alarm)],
    );
    let mut admin = hub.logged_in("admin");
    let page = admin.get("/fleet");
    assert!(
        page.body
            .contains("Alarme ouverte : paquet d’un lot rappelé scanné"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("recalled_lot_scanned"), "{}", page.body);
    assert!(
        admin
            .get("/fleet.csv")
            .body
            .contains("recalled_lot_scanned"),
        "the CSV keeps the identifier"
    );
    assert!(
        admin
            .get("/fleet.json")
            .body
            .contains("recalled_lot_scanned"),
        "the JSON keeps the identifier"
    );
}

#[test]
fn admins_read_quarantined_events_and_no_one_else_does() {
    let hub = WebHub::start();
    let a = kiosk(&hub, "Borne Alpha", hub.site_a, 0);
    let mut bent = sale(
        a,
        "2026-10-05T12:00:00Z",
        TierId(1),
        100,
        None,
        &[(1, 2, "L1")],
    );
    bent.lines[0].quantity = 0;
    push(hub.store.as_ref(), a, 0, vec![EventBody::Sale(bent)]);

    let mut admin = hub.logged_in("admin");
    let fleet = admin.get("/fleet");
    assert!(
        fleet.body.contains("1 événements en quarantaine"),
        "{}",
        fleet.body
    );
    assert!(fleet.body.contains("href=\"/fleet/quarantine\""));
    let page = admin.get("/fleet/quarantine");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("quantity_out_of_range"));
    assert!(page.body.contains("Borne Alpha"));
    // The event exactly as the kiosk sent it (HTML-escaped).
    assert!(page.body.contains("&#34;quantity&#34;:0"), "{}", page.body);
    for user in ["staff-a", "viewer"] {
        let mut browser = hub.logged_in(user);
        assert_eq!(browser.get("/fleet/quarantine").status, 403, "{user}");
    }
}

#[test]
fn the_fleet_shows_each_kiosks_version_and_flags_older_ones() {
    let hub = WebHub::start();
    let store = hub.store.as_ref();
    let reported = [
        ("Borne Alpha", hub.site_a, "0.9.3"),
        ("Borne Bravo", hub.site_b, "0.10.0"),
        ("Borne Charlie", hub.site_a, "build-du-vendredi"),
    ];
    for (n, (name, site, version)) in reported.into_iter().enumerate() {
        let id = kiosk(&hub, name, site, n as u8);
        let mut contact = super::hub_reports::contact();
        contact.health.version = version.into();
        store.ingest(id, &[], &contact).expect("heartbeat");
    }
    let mut admin = hub.logged_in("admin");
    let fleet: serde_json::Value =
        serde_json::from_str(&admin.get("/fleet.json").body).expect("json");
    let row = |name: &str| {
        fleet
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["kiosk"]["name"] == name))
            .unwrap_or_else(|| panic!("{name} in {fleet}"))
            .clone()
    };
    let alpha = row("Borne Alpha");
    assert_eq!(alpha["version"], "0.9.3");
    assert_eq!(alpha["attention"][0]["reason"], "older_version", "{alpha}");
    assert_eq!(alpha["attention"][0]["newest"], "0.10.0");
    for name in ["Borne Bravo", "Borne Charlie"] {
        let row = row(name);
        assert_eq!(row["needs_attention"], false, "{row}");
    }

    let page = admin.get("/fleet");
    assert_eq!(page.status, 200);
    for version in ["0.9.3", "0.10.0", "build-du-vendredi"] {
        assert!(page.body.contains(version), "{version}: {}", page.body);
    }
    assert!(
        page.body
            .contains("Version plus ancienne : 0.9.3 (la plus récente : 0.10.0)"),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("Version plus ancienne").count(), 1);
    let csv = admin.get("/fleet.csv");
    assert!(csv.body.contains("older-version"), "{}", csv.body);

    // Site staff see only their site, measured against the whole fleet's newest.
    let mut staff = hub.logged_in("staff-a");
    let page = staff.get("/fleet");
    assert!(!page.body.contains("Borne Bravo"));
    assert!(
        page.body.contains("(la plus récente : 0.10.0)"),
        "{}",
        page.body
    );
}
