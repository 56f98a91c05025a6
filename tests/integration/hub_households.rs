//! Distinct households in the impact report, read from the household rollups: they equal
//! `count(DISTINCT card_hash)` over the sales themselves for every grouping, period and scope,
//! voids included (and every other figure equals the report computed on the sales), and retention takes the cards out of the rollups without changing a figure.

use std::collections::BTreeMap;

use congelo::domain::SiteId;
use congelo::domain::event::EventBody;
use congelo::domain::household::CardHash;
use congelo::domain::product::Locale;
use congelo::domain::sale::{Buyer, SaleVoid};
use congelo::hub::admin::cli_audit as cli;
use congelo::hub::reports::{ImpactBy, ReportStore, Scope, retention};
use congelo::hub::store::{HouseholdFields, HouseholdStore, NewHousehold};
use rusqlite::Connection;

use super::hub_reports::{Known, known_hub, push, sale};

const GROUPINGS: [ImpactBy; 4] = [
    ImpactBy::Month,
    ImpactBy::Territory,
    ImpactBy::Site,
    ImpactBy::Product,
];

/// Pushes a few hundred sales over two years, two kiosks on two sites and territories, a dozen
/// cards and anonymous sales, one sale in seven voided; returns the kiosks' sites.
fn sell(known: &Known) -> Vec<i64> {
    let mut rng = fastrand::Rng::with_seed(26);
    let [full, thirty] = known.tiers;
    // Cards 0–21, each a household's; kiosk 0 sees cards 0–11, kiosk 1 cards 10–21.
    let buyers: Vec<Buyer> = (0..22u8)
        .map(|n| {
            let card = CardHash([n + 100; 32]);
            let household = NewHousehold {
                cards: vec![card],
                ..NewHousehold::with_fields(HouseholdFields::active(thirty))
            };
            let household = known
                .store
                .create_household(&household, &cli("household.create"))
                .expect("household");
            Buyer { card, household }
        })
        .collect();
    for (n, kiosk) in known.kiosks.into_iter().enumerate() {
        let mut bodies = Vec::new();
        for _ in 0..150 {
            let at = format!(
                "{}-{:02}-{:02}T15:00:00Z",
                2025 + rng.u32(0..2),
                rng.u32(1..13),
                rng.u32(1..29)
            );
            let buyer = (rng.u8(0..5) > 0).then(|| buyers[rng.usize(0..12) + 10 * n]);
            let lines: Vec<(i64, u32, &str)> = (0..rng.usize(1..4))
                .map(|_| (rng.i64(1..6), rng.u32(1..3), "L1"))
                .collect();
            let (tier, percent) = if buyer.is_some() {
                (thirty, 30)
            } else {
                (full, 100)
            };
            let made = sale(kiosk, &at, tier, percent, buyer, &lines);
            let id = made.id;
            bodies.push(EventBody::Sale(made));
            if rng.u8(0..7) == 0 {
                bodies.push(EventBody::SaleVoid(SaleVoid {
                    sale: id,
                    at: at.parse().expect("time"),
                    reason: "test".into(),
                }));
            }
        }
        push(&known.store, kiosk, 0, bodies);
    }
    let conn = Connection::open(known.store.path()).expect("open");
    let refused: Vec<String> = conn
        .prepare("SELECT message FROM quarantined_events")
        .expect("quarantine")
        .query_map([], |r| r.get(0))
        .expect("quarantine")
        .collect::<Result<_, _>>()
        .expect("quarantine");
    assert_eq!(refused.first(), None, "{} sales quarantined", refused.len());
    let mut sites = conn
        .prepare("SELECT DISTINCT site_id FROM sales ORDER BY 1")
        .expect("sites");
    sites
        .query_map([], |r| r.get(0))
        .expect("sites")
        .collect::<Result<_, _>>()
        .expect("sites")
}

type Counts = BTreeMap<(String, Option<i64>), i64>;

/// The impact report's households: (period, group id) → households, zeros left out.
fn reported(known: &Known, year: i32, by: ImpactBy, per_month: bool, scope: Scope) -> Counts {
    let rows = known
        .store
        .impact(year, by, per_month, scope, Locale::FrCa)
        .expect("impact");
    rows.into_iter()
        .filter(|r| r.households > 0)
        .map(|r| ((r.month, r.group.map(|g| g.id)), r.households))
        .collect()
}

/// The same counted on the sales themselves.
fn counted_on_sales(
    conn: &Connection,
    year: i32,
    by: ImpactBy,
    per_month: bool,
    site: Option<i64>,
) -> Counts {
    let group = match by {
        ImpactBy::Month => "NULL",
        ImpactBy::Territory => "s.territory_id",
        ImpactBy::Site => "s.site_id",
        ImpactBy::Product => "l.product_id",
    };
    let key = if per_month { 7 } else { 4 };
    let sql = format!(
        "SELECT substr(s.day, 1, {key}) AS k, {group} AS g, count(DISTINCT s.card_hash)
         FROM sales s LEFT JOIN sale_lines l ON l.sale_id = s.id
         WHERE s.voided = 0 AND s.card_hash IS NOT NULL AND substr(s.day, 1, 4) = ?1
           AND (?2 IS NULL OR s.site_id = ?2)
         GROUP BY k, g"
    );
    let mut statement = conn.prepare(&sql).expect("prepare");
    statement
        .query_map(rusqlite::params![year.to_string(), site], |r| {
            Ok(((r.get(0)?, r.get(1)?), r.get(2)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Every figure the report can show: year × grouping × months-or-year × scope.
fn every_count(known: &Known, sites: &[i64]) -> Vec<Counts> {
    let scopes = std::iter::once(Scope::All).chain(sites.iter().map(|&s| Scope::Site(SiteId(s))));
    let scopes: Vec<Scope> = scopes.collect();
    let mut all = Vec::new();
    for year in [2025, 2026] {
        for by in GROUPINGS {
            for per_month in [true, false] {
                for &scope in &scopes {
                    all.push(reported(known, year, by, per_month, scope));
                }
            }
        }
    }
    all
}

#[test]
fn households_equal_the_distinct_cards_of_the_sales_for_every_grouping() {
    let known = known_hub();
    let sites = sell(&known);
    assert_eq!(sites.len(), 2);
    let conn = Connection::open(known.store.path()).expect("open");
    for year in [2025, 2026] {
        for by in GROUPINGS {
            for per_month in [true, false] {
                for site in std::iter::once(None).chain(sites.iter().copied().map(Some)) {
                    let scope = site.map_or(Scope::All, |s| Scope::Site(SiteId(s)));
                    let expected = counted_on_sales(&conn, year, by, per_month, site);
                    assert!(!expected.is_empty());
                    assert_eq!(
                        reported(&known, year, by, per_month, scope),
                        expected,
                        "{year} by {by:?}, per month {per_month}, site {site:?}"
                    );
                    let plain = known
                        .store
                        .impact_plain(year, by, per_month, scope, Locale::FrCa)
                        .expect("plain");
                    let rolled_up = known
                        .store
                        .impact(year, by, per_month, scope, Locale::FrCa)
                        .expect("impact");
                    assert_eq!(rolled_up, plain, "{year} by {by:?}: every figure");
                }
            }
        }
    }
}

#[test]
fn retention_takes_the_cards_out_and_keeps_every_household_figure() {
    let known = known_hub();
    let sites = sell(&known);
    let before = every_count(&known, &sites);
    let conn = Connection::open(known.store.path()).expect("open");
    let cards_in = |month: &str| -> i64 {
        conn.query_row(
            "SELECT (SELECT count(*) FROM rollup_households WHERE month <= ?1)
                  + (SELECT count(*) FROM rollup_household_products WHERE month <= ?1)",
            [month],
            |r| r.get(0),
        )
        .expect("count")
    };
    assert!(cards_in("2025-09") > 0);
    // Thirteen months before 2026-10-15: every sale up to mid-September 2025 is detached.
    let now = "2026-10-15T12:00:00Z".parse().expect("now");
    let run = retention::run(&known.store, now, 13).expect("retention");
    assert!(run.detached > 0);
    assert_eq!(cards_in("2025-08"), 0, "no card left for detached months");
    assert!(cards_in("2025-12") > 0, "cards of later sales stay");
    assert_eq!(every_count(&known, &sites), before);
    let later = "2027-03-01T12:00:00Z".parse().expect("later");
    retention::run(&known.store, later, 13).expect("retention again");
    assert_eq!(cards_in("2026-01"), 0);
    assert_eq!(every_count(&known, &sites), before);
}
