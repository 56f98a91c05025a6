//! Retention (households detached, aggregates unchanged), the rollup backfill of an existing
//! database, fleet health on the demo data, and the `demo-data` and `retention` commands.

use chrono::{NaiveDate, Utc};
use congelo::domain::event::EventBody;
use congelo::domain::product::Locale;
use congelo::domain::sale::Buyer;
use congelo::hub::SqliteHubStore;
use congelo::hub::demo_data::{self, DemoOptions};
use congelo::hub::reports::{self, Attention, FleetPolicy, ReportStore, Scope, retention};
use congelo::hub::store::HUB_SCHEMA;
use rusqlite::Connection;

use super::hub_reports::{ask, known_hub, push, sale, tempdir};

/// Sale events whose payload still names a buyer, and all events' content hashes.
fn buyers_in_events(path: &std::path::Path) -> (i64, Vec<Vec<u8>>) {
    let conn = Connection::open(path).expect("open");
    let buyers = conn
        .query_row(
            "SELECT count(*) FROM events
             WHERE kind = 'sale' AND json_extract(payload, '$.body.data.buyer') IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let mut hashes = conn
        .prepare("SELECT content_hash FROM events ORDER BY kiosk_id, seq")
        .expect("prepare");
    let hashes = hashes
        .query_map([], |r| r.get(0))
        .expect("hashes")
        .collect::<Result<_, _>>()
        .expect("hashes");
    (buyers, hashes)
}

fn attached(path: &std::path::Path) -> (i64, i64) {
    let conn = Connection::open(path).expect("open");
    conn.query_row(
        "SELECT count(household_id), count(card_hash) FROM sales",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("count")
}

#[test]
fn retention_detaches_old_sales_and_changes_no_aggregate() {
    let known = known_hub();
    let [k0, _] = known.kiosks;
    let [_, thirty] = known.tiers;
    let buyer = Buyer {
        card: known.card,
        household: known.household,
    };
    let old = sale(
        k0,
        "2025-01-10T12:00:00Z",
        thirty,
        30,
        Some(buyer),
        &[(1, 2, "L1")],
    );
    let recent = sale(
        k0,
        "2026-11-10T12:00:00Z",
        thirty,
        30,
        Some(buyer),
        &[(2, 1, "L2")],
    );
    push(
        &known.store,
        k0,
        0,
        vec![EventBody::Sale(old), EventBody::Sale(recent)],
    );
    let path = known.store.path().to_owned();
    assert_eq!(attached(&path), (2, 2));
    let (buyers, hashes) = buyers_in_events(&path);
    assert_eq!(buyers, 2);
    let everything = ask("2024-12-01..2026-11-30", "month,tier,product,kiosk");
    let before = known
        .store
        .sales_report(&everything, Locale::FrCa)
        .expect("report");
    let now = "2026-11-28T10:00:00Z".parse().expect("now");
    let run = retention::run(&known.store, now, 13).expect("retention");
    assert_eq!(run.detached, 1);
    assert_eq!(
        run.cutoff,
        "2025-10-28T10:00:00Z"
            .parse::<chrono::DateTime<Utc>>()
            .expect("t")
    );
    assert_eq!(
        attached(&path),
        (1, 1),
        "only the sale older than 13 months"
    );
    assert_eq!(
        buyers_in_events(&path),
        (1, hashes),
        "the old sale's event lost its buyer, no event its content hash"
    );
    let conn = Connection::open(&path).expect("open");
    let changed = conn.execute("UPDATE events SET payload = '{}' WHERE seq = 2", []);
    assert!(changed.is_err(), "any other change to an event is refused");
    let after = known
        .store
        .sales_report(&everything, Locale::FrCa)
        .expect("report");
    assert_eq!(before, after);
    let plain = known
        .store
        .sales_report_plain(&everything, Locale::FrCa)
        .expect("plain");
    assert_eq!(plain, after);
    assert_eq!(
        retention::run(&known.store, now, 13)
            .expect("again")
            .detached,
        0
    );
}

#[test]
fn an_existing_database_gets_its_rollups_backfilled() {
    let dir = tempdir();
    let path = dir.path().join("hub.db");
    let schema_1 = congelo::sqlite::Schema {
        migrations: &HUB_SCHEMA.migrations[..1],
        ..HUB_SCHEMA
    };
    let conn = congelo::sqlite::open(&path, &schema_1).expect("schema 1");
    conn.execute_batch(
        "INSERT INTO territories VALUES (1, 'Acton');
         INSERT INTO sites VALUES (1, 'Site', 1);
         INSERT INTO kiosks VALUES (1, 'K', 1, '2026-01-01T00:00:00.000Z', '[]', '{}');
         INSERT INTO tiers VALUES (1, 'Plein tarif', 100, 1, '[]');
         INSERT INTO sales (id, kiosk_id, event_seq, site_id, territory_id, at, month, tier_id,
             items, full_cents, paid_cents, subsidy_cents, tax_cents, net_weight_g,
             payment_method, payment_cents, cash_rounding_cents, voided)
         VALUES ('a', 1, 1, 1, 1, '2026-03-10T12:00:00.000Z', '2026-03', 1, 3, 1000, 1000, 0, 0,
                 1500, 'cash', 1000, 0, 0),
                ('b', 1, 2, 1, 1, '2026-03-11T12:00:00.000Z', '2026-03', 1, 1, 350, 350, 0, 0,
                 500, 'cash', 350, 0, 1);
         INSERT INTO sale_lines VALUES ('a', 0, 1, 1, 1, '2026-03', 2, 350, 350, 500, 0),
                                       ('a', 1, 1, 2, 1, '2026-03', 1, 300, 300, 500, 0),
                                       ('b', 0, 1, 1, 1, '2026-03', 1, 350, 350, 500, 0);",
    )
    .expect("schema 1 data");
    drop(conn);
    let store = SqliteHubStore::open(&path).expect("migrated");
    for grouping in ["", "product", "month,kiosk"] {
        let q = ask("2026-03", grouping);
        let fast = store.sales_report(&q, Locale::FrCa).expect("rollup");
        assert_eq!(
            fast,
            store.sales_report_plain(&q, Locale::FrCa).expect("plain")
        );
        assert_eq!((fast.totals.sales, fast.totals.units), (1, 3));
    }
}

#[test]
fn the_demo_fleet_shows_who_needs_attention() {
    let dir = tempdir();
    let store = SqliteHubStore::open(&dir.path().join("hub.db")).expect("hub db");
    let options = DemoOptions {
        sales: 2_000,
        seed: 7,
        until: NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"),
        months: 13,
    };
    let summary = demo_data::generate(&store, &options, &mut Vec::new()).expect("demo");
    assert_eq!((summary.kiosks, summary.sales), (13, 2_000));
    let fleet =
        reports::fleet(&store, Scope::All, Utc::now(), &FleetPolicy::default()).expect("fleet");
    assert_eq!(fleet.len(), 13);
    let reasons =
        |n: usize| -> Vec<&str> { fleet[n].attention.iter().map(Attention::code).collect() };
    assert!(reasons(3).contains(&"silent"));
    assert!(reasons(6).contains(&"clock-suspect"));
    assert!(reasons(8).contains(&"too-warm"));
    assert!(reasons(10).contains(&"low-disk"));
    assert!(
        fleet
            .iter()
            .all(|r| r.facts.enrolled && r.facts.version.is_some())
    );
    let site = fleet[0].facts.site.id;
    let own = reports::fleet(
        &store,
        Scope::Site(congelo::domain::SiteId(site)),
        Utc::now(),
        &FleetPolicy::default(),
    )
    .expect("fleet");
    assert!(own.iter().all(|r| r.facts.site.id == site) && own.len() == 2);
    let again = demo_data::generate(&store, &options, &mut Vec::new());
    assert!(again.is_err(), "demo data goes into a new database only");
    let stock = store.stock(Scope::All, Locale::FrCa).expect("stock");
    assert!(!stock.is_empty());
    assert!(!reports::low_stock(stock, 3).is_empty());
}

#[test]
fn the_demo_data_and_retention_commands_run() {
    let dir = tempdir();
    let db = dir.path().join("hub.db");
    let hub = env!("CARGO_BIN_EXE_congelo-hub");
    let run = |args: &[&str]| {
        std::process::Command::new(hub)
            .args(args)
            .env("CONGELO_HUB_DATABASE", &db)
            .output()
            .expect("run congelo-hub")
    };
    let demo = run(&[
        "demo-data",
        "--sales",
        "500",
        "--until",
        "2026-11-28",
        "--seed",
        "3",
    ]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    assert!(String::from_utf8_lossy(&demo.stdout).contains("500 sales"));
    let bad = run(&["demo-data", "--sales", "10"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("already has kiosks"));
    let retention = run(&["retention"]);
    assert!(retention.status.success());
    assert!(String::from_utf8_lossy(&retention.stdout).contains("detached"));
}
