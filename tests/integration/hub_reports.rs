//! Reports on known data: figures computed by hand, rollups equal to plain SQL for every grouping
//! and period (voids and re-sent sale ids included), CSV that a spreadsheet reads back, recalls
//! without households, expiring lots, bad input refused.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use congelo::domain::config::Thresholds;
use congelo::domain::event::{Event, EventBody};
use congelo::domain::household::CardHash;
use congelo::domain::pricing::Totals;
use congelo::domain::product::Locale;
use congelo::domain::sale::{Buyer, LotTake, Payment, PaymentMethod, Sale, SaleLine, SaleVoid};
use congelo::domain::sync::{ClockReading, KioskHealth};
use congelo::domain::{EventId, HouseholdId, KioskId, Money, ProductId, SaleId, Seq, TierId};
use congelo::hub::SqliteHubStore;
use congelo::hub::admin::cli_audit as cli;
use congelo::hub::demo_data::{self, DemoOptions};
use congelo::hub::reports::{
    Dimension, LotDates, Period, ReportError, ReportStore, SalesQuery, Scope, export, query,
};
use congelo::hub::store::{CatalogueStore, HouseholdStore, KioskApiStore, SiteStore};
use congelo::hub::store::{
    Contact, HouseholdFields, NewCode, NewHousehold, NewKiosk, SecretHash, TierEntry,
};
use tempfile::TempDir;

pub fn tempdir() -> TempDir {
    tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().expect("tempdir"))
}

/// A hub with the demo catalogue, two territories, two kiosks and one household at 30 %.
pub struct Known {
    pub store: SqliteHubStore,
    pub kiosks: [KioskId; 2],
    pub tiers: [TierId; 2],
    pub household: HouseholdId,
    pub card: CardHash,
    _dir: TempDir,
}

pub fn known_hub() -> Known {
    let dir = tempdir();
    let store = SqliteHubStore::open(&dir.path().join("hub.db")).expect("hub db");
    for product in congelo::demo::products() {
        store
            .save_product(None, &product, &cli("product.create"))
            .expect("product");
    }
    let tier = |label: &str, percent, is_default| {
        let tier = TierEntry::plain(label, percent, is_default);
        store
            .save_tier(None, &tier, &cli("tier.create"))
            .expect("tier")
    };
    let tiers = [tier("Plein tarif", 100, true), tier("Tarif A", 30, false)];
    let mut kiosks = Vec::new();
    for (n, territory) in ["Acton", "Rouville"].into_iter().enumerate() {
        let territory = store
            .save_territory(None, territory, &cli("territory.create"))
            .expect("territory");
        let site = store
            .save_site(None, &format!("Site {n}"), territory, &cli("site.create"))
            .expect("site");
        let now = Utc::now();
        let kiosk = NewKiosk {
            name: format!("Kiosque {n}"),
            site,
            payment_methods: PaymentMethod::ALL.to_vec(),
            thresholds: Thresholds::default(),
        };
        let code = NewCode {
            hash: SecretHash([n as u8; 32]),
            created_at: now,
            expires_at: now + Duration::days(1),
        };
        let kiosk = store.create_kiosk(&kiosk, &code, &cli("kiosk.create"));
        kiosks.push(kiosk.expect("kiosk"));
    }
    let card = CardHash([7; 32]);
    let household = store
        .create_household(
            &NewHousehold {
                cards: vec![card],
                ..NewHousehold::with_fields(HouseholdFields::active(tiers[1]))
            },
            &cli("household.create"),
        )
        .expect("household");
    Known {
        store,
        kiosks: [kiosks[0], kiosks[1]],
        tiers,
        household,
        card,
        _dir: dir,
    }
}

pub fn contact() -> Contact {
    let now = Utc::now();
    Contact {
        health: KioskHealth {
            version: "test".into(),
            uptime_s: 1,
            pending: 0,
            disk_free_bytes: None,
            last_millicelsius: None,
            clock: now,
        },
        received_at: now,
        clock: ClockReading {
            offset_ms: 0,
            suspect: false,
        },
    }
}

/// A sale of (product id, quantity, lot) lines at `percent` of the demo catalogue's full price.
pub fn sale(
    kiosk: KioskId,
    at: &str,
    tier: TierId,
    percent: u32,
    buyer: Option<Buyer>,
    lines: &[(i64, u32, &str)],
) -> Sale {
    let catalogue = congelo::demo::products();
    let lines: Vec<SaleLine> = lines
        .iter()
        .map(|(product, quantity, lot)| {
            let p = &catalogue[*product as usize - 1];
            SaleLine {
                product: ProductId(*product),
                quantity: *quantity,
                full_unit: p.full_price,
                charged_unit: p.full_price.percent(percent),
                unit_weight_g: p.net_weight_g,
                tax: Money::ZERO,
                lots: vec![LotTake {
                    lot: Some((*lot).into()),
                    quantity: *quantity,
                }],
            }
        })
        .collect();
    let full: Money = lines.iter().map(SaleLine::full).sum();
    let paid: Money = lines.iter().map(SaleLine::paid).sum();
    let at: DateTime<Utc> = at.parse().expect("time");
    Sale {
        id: SaleId(uuid::Uuid::now_v7()),
        kiosk,
        at,
        buyer,
        tier,
        totals: Totals {
            full,
            paid,
            subsidy: full - paid,
            tax: Money::ZERO,
            due: paid,
            items: lines.iter().map(|l| l.quantity).sum(),
            net_weight_g: lines
                .iter()
                .map(|l| u64::from(l.quantity * l.unit_weight_g))
                .sum(),
        },
        lines,
        payment: Payment::settle(PaymentMethod::CardTerminal, paid),
        config_version: None,
    }
}

/// Pushes bodies as consecutive events of `kiosk`, starting after `after`.
pub fn push(store: &SqliteHubStore, kiosk: KioskId, after: u64, bodies: Vec<EventBody>) -> u64 {
    let events: Vec<Event> = bodies
        .into_iter()
        .enumerate()
        .map(|(n, body)| Event {
            id: EventId(uuid::Uuid::now_v7()),
            kiosk,
            seq: Seq(after + n as u64 + 1),
            at: Utc::now(),
            clock: None,
            body,
        })
        .collect();
    let last = after + events.len() as u64;
    store.ingest(kiosk, &events, &contact()).expect("ingest");
    last
}

pub fn ask(period: &str, grouping: &str) -> SalesQuery {
    SalesQuery {
        period: Period::parse(period).expect("period"),
        group_by: query::parse_grouping(grouping).expect("grouping"),
    }
}

/// Carrots 350 ¢ / 500 g, broccoli 425 ¢ / 500 g (demo catalogue ids 1 and 2). Sale A: at full
/// price, 2 carrots (lot L1) + 1 broccoli (lot L2). Sale B: 30 %, 1 carrot (L1), with a card.
/// Sale C: voided. Sale A re-sent under another seq counts once. Noon UTC keeps every sale on its
/// day whatever the hub's time zone.
fn known_sales(known: &Known) {
    let [k0, k1] = known.kiosks;
    let [full, thirty] = known.tiers;
    let buyer = Buyer {
        card: known.card,
        household: known.household,
    };
    let a = sale(
        k0,
        "2026-10-05T12:00:00Z",
        full,
        100,
        None,
        &[(1, 2, "L1"), (2, 1, "L2")],
    );
    let b = sale(
        k1,
        "2026-10-06T12:00:00Z",
        thirty,
        30,
        Some(buyer),
        &[(1, 1, "L1")],
    );
    let c = sale(k1, "2026-11-02T12:00:00Z", full, 100, None, &[(2, 4, "L2")]);
    let void = SaleVoid {
        sale: c.id,
        at: "2026-11-02T12:05:00Z".parse().expect("time"),
        reason: "test".into(),
    };
    push(
        &known.store,
        k0,
        0,
        vec![EventBody::Sale(a.clone()), EventBody::Sale(a)],
    );
    push(
        &known.store,
        k1,
        0,
        vec![
            EventBody::Sale(b),
            EventBody::Sale(c),
            EventBody::SaleVoid(void),
        ],
    );
}

#[test]
fn report_totals_match_the_known_sales() {
    let known = known_hub();
    known_sales(&known);
    let store = &known.store;
    let report = store
        .sales_report(&ask("2026-10-01..2026-11-30", "tier"), Locale::FrCa)
        .expect("report");
    let t = report.totals;
    // Full: 2×350 + 425 + 350 = 1475 ¢; paid: 1125 + 105 = 1230 ¢; 4 packs, 2 kg.
    assert_eq!((t.sales, t.units, t.grams), (2, 4, 2_000));
    assert_eq!(
        (t.full_cents, t.paid_cents, t.subsidy_cents),
        (1_475, 1_230, 245)
    );
    assert_eq!(report.rows.len(), 2);
    assert_eq!(
        report.rows[1].tier.as_ref().map(|t| t.name.as_str()),
        Some("Tarif A")
    );
    assert_eq!(report.rows[1].figures.subsidy_cents, 245);
    let by_product = store
        .sales_report(&ask("2026-10", "product"), Locale::EnCa)
        .expect("report");
    let carrots = &by_product.rows[0];
    assert_eq!(
        carrots.product.as_ref().map(|p| p.name.as_str()),
        Some("Sliced carrots")
    );
    assert_eq!((carrots.figures.sales, carrots.figures.units), (2, 3));
    assert_eq!(by_product.totals.sales, 2, "totals count sales, not lines");
    let november = store
        .sales_report(&ask("2026-11", "kiosk"), Locale::FrCa)
        .expect("report");
    assert!(november.rows.is_empty(), "the voided sale is not counted");
    assert_eq!(november.totals.sales, 0);
}

#[test]
fn rollups_equal_plain_sql_for_every_grouping_and_period() {
    let known = known_hub();
    known_sales(&known);
    let dir = tempdir();
    let demo = SqliteHubStore::open(&dir.path().join("demo.db")).expect("demo db");
    let options = DemoOptions {
        sales: 3_000,
        seed: 42,
        until: NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"),
        months: 13,
    };
    demo_data::generate(&demo, &options, &mut Vec::new()).expect("demo data");
    let periods: [&[&str]; 2] = [
        &[
            "2026-10-05",
            "2026-W41",
            "2026-10",
            "2026-10-01..2026-11-30",
            "2026-11",
        ],
        &["2026-W32", "2025-10-01..2026-11-30"],
    ];
    for (store, periods) in [&known.store, &demo].into_iter().zip(periods) {
        for mask in 0..64u32 {
            let dims: Vec<&str> = Dimension::ALL
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, d)| d.name())
                .collect();
            for period in periods.iter().copied() {
                let q = ask(period, &dims.join(","));
                let fast = store.sales_report(&q, Locale::FrCa).expect("rollup");
                let plain = store.sales_report_plain(&q, Locale::FrCa).expect("plain");
                assert_eq!(fast, plain, "{period} by {dims:?}");
            }
        }
    }
    let year = demo
        .sales_report(&ask("2025-10-01..2026-11-30", ""), Locale::FrCa)
        .expect("report");
    assert_eq!(year.totals.sales, 3_000);
}

#[test]
fn sales_csv_reads_back_in_a_spreadsheet_shape() {
    let known = known_hub();
    known_sales(&known);
    let report = known
        .store
        .sales_report(&ask("2026-10", "month,territory,product"), Locale::FrCa)
        .expect("report");
    let bytes = export::sales_csv(&report).expect("csv");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "month",
            "territory_id",
            "territory",
            "product_id",
            "product",
            "sales",
            "units",
            "kg",
            "paid",
            "full_value",
            "subsidy"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(records.len(), 3);
    let first = &records[0];
    assert_eq!(&first[0], "2026-10");
    assert_eq!(&first[2], "Acton");
    assert_eq!(&first[4], "Carottes en rondelles");
    assert_eq!((&first[7], &first[8], &first[9]), ("1.000", "7.00", "7.00"));
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["rows"][0]["paid_cents"], 700);
    assert_eq!(json["rows"][0]["territory"]["name"], "Acton");
}

#[test]
fn a_recall_names_kiosks_and_counts_never_households() {
    let known = known_hub();
    known_sales(&known);
    let rows = known.store.recall("L1", Locale::FrCa).expect("recall");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].sales, rows[0].units), (1, 2));
    assert_eq!((rows[1].sales, rows[1].units), (1, 1));
    assert_eq!(rows[1].first_sold, "2026-10-06T12:00:00Z".parse().ok());
    let json = serde_json::to_string(&rows).expect("json");
    assert!(
        !json.contains("household") && !json.contains("card"),
        "{json}"
    );
    let voided_only = known.store.recall("L2", Locale::FrCa).expect("recall");
    assert_eq!(voided_only.iter().map(|r| r.units).sum::<i64>(), 1);
    assert!(
        known
            .store
            .recall("nowhere", Locale::FrCa)
            .expect("recall")
            .is_empty()
    );
    assert!(matches!(
        known.store.recall("  ", Locale::FrCa),
        Err(ReportError::BadInput(_))
    ));
}

#[test]
fn lots_expiring_soon_come_from_recorded_dates_or_the_kiosk_convention() {
    let known = known_hub();
    let [k0, _] = known.kiosks;
    let restock = |lot: &str, quantity| {
        EventBody::Stock(congelo::domain::stock::StockMovement {
            id: congelo::domain::MovementId(uuid::Uuid::now_v7()),
            kiosk: k0,
            product: ProductId(3),
            lot: Some(lot.into()),
            at: Utc::now(),
            change: congelo::domain::stock::StockChange::Restock { quantity },
            by: None,
        })
    };
    push(
        &known.store,
        k0,
        0,
        vec![
            restock("L9", 4),
            restock("BB-2026-12", 2),
            restock("L10", 5),
        ],
    );
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
    let dates = |lot: &str, best_before| LotDates {
        product: ProductId(3),
        lot: lot.into(),
        packed_on: None,
        best_before: day(best_before),
    };
    let bad = [dates("L9", "2026-12-10"), dates(" ", "2026-12-10")];
    assert!(known.store.record_lot_dates(&bad).is_err());
    let before = known
        .store
        .expiring_lots(Scope::All, day("2026-11-28"), 30, Locale::FrCa)
        .expect("expiring");
    assert_eq!(before.len(), 1, "the refused batch recorded nothing");
    known
        .store
        .record_lot_dates(&[dates("L9", "2026-12-10"), dates("L10", "2027-06-01")])
        .expect("dates");
    let soon = known
        .store
        .expiring_lots(Scope::All, day("2026-11-28"), 30, Locale::FrCa)
        .expect("expiring");
    let lots: Vec<(&str, i64, i64)> = soon
        .iter()
        .map(|l| (l.lot.as_str(), l.days_left, l.level))
        .collect();
    assert_eq!(lots, [("BB-2026-12", 3, 2), ("L9", 12, 4)]);
    let stock = known.store.stock(Scope::All, Locale::FrCa).expect("stock");
    assert_eq!((stock.len(), stock[0].level, stock[0].lots), (1, 11, 3));
}

#[test]
fn a_count_after_sales_in_the_same_push_sees_the_packs_they_took() {
    let known = known_hub();
    let [k0, _] = known.kiosks;
    let [full, _] = known.tiers;
    let movement = |change| {
        EventBody::Stock(congelo::domain::stock::StockMovement {
            id: congelo::domain::MovementId(uuid::Uuid::now_v7()),
            kiosk: k0,
            product: ProductId(1),
            lot: Some("L1".into()),
            at: Utc::now(),
            change,
            by: None,
        })
    };
    let sold =
        |at, quantity| EventBody::Sale(sale(k0, at, full, 100, None, &[(1, quantity, "L1")]));
    use congelo::domain::stock::StockChange::{Count, Restock};
    push(
        &known.store,
        k0,
        0,
        vec![
            movement(Restock { quantity: 10 }),
            sold("2026-11-20T12:00:00Z", 2),
            sold("2026-11-20T13:00:00Z", 3),
            // Staff count 4 packs where the books say 5: the count's delta is −1, not −6.
            movement(Count { level: 4 }),
            sold("2026-11-20T14:00:00Z", 1),
        ],
    );
    let stock = known.store.stock(Scope::All, Locale::FrCa).expect("stock");
    assert_eq!((stock.len(), stock[0].level), (1, 3));
    let day = known
        .store
        .sales_report(&ask("2026-11-20", ""), Locale::FrCa)
        .expect("report");
    assert_eq!((day.totals.sales, day.totals.units), (3, 6));
}
