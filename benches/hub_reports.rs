//! Reports benchmark: `cargo bench --no-default-features --features hub --bench hub_reports`.
//!
//! Builds (once, then reuses) a hub database of 1 000 000 sales with the demo-data generator,
//! through the real ingest path, then times every report — each grouping of the sales report over
//! a month and over the whole 13 months, stock, low stock, expiring lots, a recall, fleet health,
//! a CSV export, the home page's state at a glance, the impact figures by each dimension — p50 and
//! p95 over several runs, next to the same aggregate run as plain SQL straight on
//! `sales`/`sale_lines` in the same run, with the ratio. Goal: every report < 250 ms.
//! Each rollup answer is also checked equal to the plain one.
//!
//! The database goes to `target/bench-data/reports-<N>.db` unless `CONGELO_BENCH_DIR` says
//! otherwise; `CONGELO_BENCH_SALES` changes N (e.g. 100000 for a quick run).

use std::path::PathBuf;
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use congelo::domain::product::Locale;
use congelo::hub::SqliteHubStore;
use congelo::hub::demo_data::{self, DemoOptions};
use congelo::hub::reports::{
    self, FleetPolicy, ImpactBy, Period, ReportStore, SalesQuery, Scope, export,
};

const SEED: u64 = 1;
const RUNS: usize = 11;
const PLAIN_RUNS: usize = 3;

fn main() {
    let sales: u64 = std::env::var("CONGELO_BENCH_SALES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let until = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let store = database(sales, until);
    println!(
        "\n{:<44} {:>9} {:>9}   {:>9} {:>9}   {:>7}",
        "report", "p50 ms", "p95 ms", "SQL p50", "SQL p95", "ratio"
    );
    let month = Period::parse("2026-08").expect("period");
    let year = Period::parse("2025-11-01..2026-11-30").expect("period");
    let groupings = [
        "",
        "kiosk",
        "site",
        "territory",
        "product",
        "tier",
        "month",
        "month,tier",
        "month,territory",
        "territory,tier,product",
        "month,territory,site,kiosk,tier,product",
    ];
    let mut worst: f64 = 0.0;
    for (label, period) in [("month", month), ("13 months", year)] {
        for grouping in groupings {
            let query = SalesQuery {
                period,
                group_by: reports::query::parse_grouping(grouping).expect("grouping"),
            };
            let name = format!(
                "sales {label} by {}",
                if grouping.is_empty() { "—" } else { grouping }
            );
            let fast = time(RUNS, || {
                store.sales_report(&query, Locale::FrCa).expect("report")
            });
            let plain = time(PLAIN_RUNS, || {
                store
                    .sales_report_plain(&query, Locale::FrCa)
                    .expect("plain report")
            });
            assert_eq!(fast.1, plain.1, "{name}: rollup and plain SQL disagree");
            worst = worst.max(fast.0.1);
            row(&name, fast.0, Some(plain.0));
        }
    }
    worst = worst.max(other_reports(&store, until));
    println!("\nslowest report p95: {worst:.1} ms (goal < 250 ms)");
}

fn other_reports(store: &SqliteHubStore, today: NaiveDate) -> f64 {
    let mut worst: f64 = 0.0;
    let stock = time(RUNS, || {
        store.stock(Scope::All, Locale::FrCa).expect("stock")
    });
    row("stock now (all kiosks)", stock.0, None);
    let low = time(RUNS, || {
        reports::low_stock(store.stock(Scope::All, Locale::FrCa).expect("stock"), 3)
    });
    row(&format!("low stock ({} rows)", low.1.len()), low.0, None);
    let expiring = time(RUNS, || {
        store
            .expiring_lots(Scope::All, today, 30, Locale::FrCa)
            .expect("expiring")
    });
    row(
        &format!("lots expiring in 30 days ({} rows)", expiring.1.len()),
        expiring.0,
        None,
    );
    let recall = time(RUNS, || {
        store.recall("L2632-05", Locale::FrCa).expect("recall")
    });
    row(
        &format!("recall of lot L2632-05 ({} kiosks)", recall.1.len()),
        recall.0,
        None,
    );
    let fleet = time(RUNS, || {
        reports::fleet(store, Scope::All, Utc::now(), &FleetPolicy::default()).expect("fleet")
    });
    let attention = fleet.1.iter().filter(|r| r.needs_attention).count();
    row(
        &format!("fleet health ({attention} need attention)"),
        fleet.0,
        None,
    );
    let query = SalesQuery {
        period: Period::parse("2025-11-01..2026-11-30").expect("period"),
        group_by: reports::query::parse_grouping("month,kiosk,tier,product").expect("grouping"),
    };
    let csv = time(RUNS, || {
        let report = store.sales_report(&query, Locale::FrCa).expect("report");
        export::sales_csv(&report).expect("csv")
    });
    row(
        &format!("CSV month×kiosk×tier×product ({} KiB)", csv.1.len() / 1024),
        csv.0,
        None,
    );
    let access = reports::home::HomeAccess {
        sales: true,
        kiosks: Some(Scope::All),
    };
    let home = time(RUNS, || {
        reports::home::home(store, access, Utc::now(), today, Locale::FrCa).expect("home")
    });
    row("home page (state at a glance, admin)", home.0, None);
    for timing in [stock.0, low.0, expiring.0, recall.0, fleet.0, csv.0, home.0] {
        worst = worst.max(timing.1);
    }
    for (label, by, per_month) in [
        ("impact of the year (totals)", ImpactBy::Month, false),
        ("impact by month", ImpactBy::Month, true),
        ("impact by month and territory", ImpactBy::Territory, true),
        ("impact by month and site", ImpactBy::Site, true),
        ("impact by month and product", ImpactBy::Product, true),
    ] {
        let impact = time(RUNS, || {
            store
                .impact(2026, by, per_month, Scope::All, Locale::FrCa)
                .expect("impact")
        });
        let plain = time(PLAIN_RUNS, || {
            store
                .impact_plain(2026, by, per_month, Scope::All, Locale::FrCa)
                .expect("plain impact")
        });
        assert_eq!(impact.1, plain.1, "{label}: rollups and plain SQL disagree");
        row(
            &format!("{label} ({} rows)", impact.1.len()),
            impact.0,
            Some(plain.0),
        );
        worst = worst.max(impact.0.1);
    }
    worst
}

/// The cached database, or a new one made with the demo-data generator.
fn database(sales: u64, until: NaiveDate) -> SqliteHubStore {
    let dir = std::env::var_os("CONGELO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"));
    std::fs::create_dir_all(&dir).expect("bench directory");
    let path = dir.join(format!("reports-{sales}.db"));
    if path.exists() {
        println!("Reusing {} ({sales} sales)", path.display());
        return SqliteHubStore::open(&path).expect("open the cached database");
    }
    let building = dir.join(format!("reports-{sales}.building.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
    }
    println!(
        "Building {} with demo-data ({sales} sales)…",
        path.display()
    );
    let store = SqliteHubStore::open(&building).expect("new database");
    let options = DemoOptions {
        sales,
        seed: SEED,
        until,
        months: 13,
    };
    let summary = demo_data::generate(&store, &options, &mut std::io::stdout()).expect("demo data");
    println!(
        "demo-data: {} sales, {} events in {:.1} s ({:.0} events/s)",
        summary.sales,
        summary.events,
        summary.seconds,
        summary.events as f64 / summary.seconds
    );
    drop(store);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
    }
    std::fs::rename(&building, &path).expect("keep the database");
    SqliteHubStore::open(&path).expect("open the database")
}

/// Runs `f` `runs` times (after one warm-up run when it is quick); (p50, p95) in milliseconds
/// and the last answer.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> ((f64, f64), T) {
    let started = Instant::now();
    let mut answer = f();
    let warm_up = started.elapsed().as_secs_f64() * 1000.0;
    if warm_up > 1000.0 && runs <= PLAIN_RUNS {
        // A slow plain query: its first run counts as a sample rather than costing another.
        let mut samples = vec![warm_up];
        for _ in 1..runs {
            let started = Instant::now();
            answer = f();
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        return ((at(0.5), at(0.95)), answer);
    }
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        answer = f();
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    ((at(0.5), at(0.95)), answer)
}

fn row(name: &str, fast: (f64, f64), plain: Option<(f64, f64)>) {
    match plain {
        Some(plain) => println!(
            "{name:<44} {:>9.2} {:>9.2}   {:>9.1} {:>9.1}   {:>6.0}×",
            fast.0,
            fast.1,
            plain.0,
            plain.1,
            plain.0 / fast.0.max(0.001)
        ),
        None => println!(
            "{name:<44} {:>9.2} {:>9.2}   {:>9} {:>9}   {:>7}",
            fast.0, fast.1, "", "", ""
        ),
    }
}
