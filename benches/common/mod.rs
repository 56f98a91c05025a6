//! What the kiosk benchmarks share: where their data goes, percentiles, and a demo configuration
//! grown to a 10 000-product catalogue.

#![allow(dead_code)] // each bench binary uses its own part

#[cfg(feature = "kiosk")]
pub mod software;

use std::path::PathBuf;
use std::time::Duration;

use congelo::domain::codes::Gtin;
use congelo::domain::config::KioskConfig;
use congelo::domain::product::Product;
use congelo::domain::{Money, ProductId};

pub const CATALOGUE_SIZE: usize = 10_000;

/// A fresh `target/bench-data/<name>` (or under `CONGELO_BENCH_DIR`): the project's own disk.
pub fn bench_dir(name: &str) -> PathBuf {
    let dir = std::env::var_os("CONGELO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench directory");
    dir
}

pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The demo configuration with its catalogue grown to [`CATALOGUE_SIZE`] products, one version
/// newer so that it replaces the demo's.
pub fn big_config() -> KioskConfig {
    let mut config = congelo::demo::config();
    let template = config.products[0].clone();
    config.version += 1;
    config.products = (0..CATALOGUE_SIZE)
        .map(|i| Product {
            id: ProductId(i as i64 + 1),
            barcodes: vec![gtin(i)],
            internal_code: Some(format!("CGP{i}")),
            full_price: Money::from_cents(200 + (i as i64 % 700)),
            ..template.clone()
        })
        .collect();
    config
}

/// The barcode of the `i`-th product of [`big_config`].
pub fn gtin(i: usize) -> Gtin {
    Gtin::with_check_digit(&format!("0077{i:09}")).expect("a valid GTIN")
}

/// A cheap deterministic generator (xorshift64), so every run scans the same products.
pub struct Xorshift(pub u64);

impl Xorshift {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
