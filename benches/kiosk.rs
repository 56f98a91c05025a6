//! Kiosk benchmarks: `cargo bench --bench kiosk`.
//!
//! 1. Sale commit latency against a raw 4 KiB write + fsync on the same disk, measured in the same
//!    run and interleaved, so the ratio says what SQLite adds to the one fsync a durable commit needs
//!    (goal: ≤ 1.5).
//! 2. Scan to priced product with 10 000 products: decode + indexed lookup + tier price (goal: p99
//!    under 1 ms).
//!
//! Data goes to `target/bench-data` (the project's disk) unless `CONGELO_BENCH_DIR` says otherwise.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use congelo::domain::cart::Cart;
use congelo::domain::codes::{Scan, decode};
use congelo::domain::pricing::price_cart;
use congelo::domain::product::Product;
use congelo::domain::sale::{Payment, PaymentMethod, Sale, SaleHeader};
use congelo::entropy::new_sale_id;
use congelo::store::KioskStore;

use common::{CATALOGUE_SIZE, Xorshift, bench_dir, big_config, gtin, micros, percentile};

const ROUNDS: usize = 40;
const PER_ROUND: usize = 50;
const SCANS: usize = 20_000;

fn main() {
    let dir = bench_dir("kiosk");
    println!("Congélo kiosk benchmarks (data in {})\n", dir.display());
    commit_against_fsync(&dir);
    scan_lookup(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

fn commit_against_fsync(dir: &Path) {
    let mut store =
        congelo::demo::create_kiosk_database(&dir.join("kiosk.db"), Utc::now()).unwrap();
    // As on the kiosk: checkpoints run after the sale is done, not inside its commit.
    store.defer_checkpoints().unwrap();
    let mut checkpoints = Vec::new();
    let products = store.products(true).unwrap();
    let tier = store.default_tier().unwrap();
    let mut raw = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("raw.bin"))
        .unwrap();
    let block = [0x5a_u8; 4096];
    let (mut commits, mut fsyncs) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        for i in 0..PER_ROUND {
            let sale = sale(&products, &tier, round * PER_ROUND + i);
            let start = Instant::now();
            store.record_sale(&sale).unwrap();
            commits.push(start.elapsed());
            let start = Instant::now();
            if store.checkpoint_if_due().unwrap() {
                checkpoints.push(start.elapsed());
            }
        }
        for _ in 0..PER_ROUND {
            let start = Instant::now();
            raw.write_all(&block).unwrap();
            raw.sync_all().unwrap();
            fsyncs.push(start.elapsed());
        }
    }
    let (c50, c99) = (
        percentile(&mut commits, 0.5),
        percentile(&mut commits, 0.99),
    );
    let (f50, f99) = (percentile(&mut fsyncs, 0.5), percentile(&mut fsyncs, 0.99));
    println!(
        "sale commit ({} sales, 2 lines each, WAL + synchronous=FULL)",
        commits.len()
    );
    println!(
        "  record_sale      p50 {:>9.1} µs   p99 {:>9.1} µs",
        micros(c50),
        micros(c99)
    );
    println!(
        "  4 KiB write+fsync p50 {:>8.1} µs   p99 {:>9.1} µs",
        micros(f50),
        micros(f99)
    );
    println!(
        "  ratio sale/fsync  p50 {:>8.2}      p99 {:>9.2}   (goal ≤ 1.5)",
        micros(c50) / micros(f50),
        micros(c99) / micros(f99)
    );
    let total: Duration = checkpoints.iter().sum();
    println!(
        "  WAL checkpoints after the sale: {} taking {:.1} ms in all\n",
        checkpoints.len(),
        total.as_secs_f64() * 1e3
    );
}

fn sale(products: &[Product], tier: &congelo::domain::tier::Tier, n: usize) -> Sale {
    let mut cart = Cart::new();
    cart.add(products[n % products.len()].id, None).unwrap();
    cart.add(products[(n * 7 + 3) % products.len()].id, None)
        .unwrap();
    let priced = price_cart(&cart, |id| products.iter().find(|p| p.id == id), tier).unwrap();
    let header = SaleHeader {
        id: new_sale_id(),
        kiosk: congelo::demo::KIOSK_ID,
        at: Utc::now(),
        buyer: None,
        tier: tier.id,
        config_version: None,
    };
    Sale::from_cart(
        header,
        &priced,
        Payment::settle(PaymentMethod::Cash, priced.totals.due),
    )
}

fn scan_lookup(dir: &Path) {
    let mut store = KioskStore::open(&dir.join("catalogue.db")).unwrap();
    store.apply_config(&big_config()).unwrap();
    let tier = store.tier(congelo::demo::TIER_30).unwrap().unwrap();
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let mut samples = Vec::with_capacity(SCANS);
    for n in 0..SCANS {
        let i = rng.below(CATALOGUE_SIZE);
        let raw = if n % 4 == 0 {
            format!("]C101{}\u{1d}10L{n}\u{1d}15270301\r\n", gtin(i).as_gtin14())
        } else {
            format!("{}\r\n", gtin(i).as_display())
        };
        let start = Instant::now();
        let Ok(Scan::Product(scan)) = decode(&raw) else {
            panic!("{raw}")
        };
        let product = store
            .product_by_key(&scan.key)
            .unwrap()
            .expect("known product");
        let price = tier.unit_price(&product);
        samples.push(start.elapsed());
        assert!(price <= product.full_price);
    }
    let (p50, p99) = (
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.99),
    );
    let max = *samples.last().unwrap();
    println!("scan → decoded → product → price ({SCANS} scans, {CATALOGUE_SIZE} products)");
    println!(
        "  p50 {:>7.1} µs   p99 {:>7.1} µs   max {:>7.1} µs   (goal p99 < 1000 µs)",
        micros(p50),
        micros(p99),
        micros(max)
    );
}
