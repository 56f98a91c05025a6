//! Kiosk soak benchmark: does a kiosk's memory stay flat over months of sales?
//!
//! `cargo bench --all-features --bench kiosk_soak` (release build). `SOAK_SALES` sets the number
//! of sales (10 000 by default; `SOAK_SALES=1000` for a quick check) and `SOAK_SIGN_INS` the staff
//! sign-ins spread among them (200 by default, scaled down with the sales).
//!
//! What runs is the kiosk as it runs on the Pi, minus the devices: the real window on Slint's
//! software renderer (a `MinimalSoftwareWindow`, headless, drawing every change into a reused
//! 800×480 buffer as the LinuxKMS backend does), the real `KioskCore` on a thread of its own fed
//! through a channel (as `kiosk::app` wires it), and the real SQLite store on a file under
//! `target/bench-data/` with its WAL checkpoints deferred to the "done" screen. Only the clock
//! (about six minutes between two residents, so 10 000 sales span about six weeks) and the card
//! terminal (approving at once) are simulated. The demo catalogue is stocked through the store
//! for the whole run, so no pack ever runs out.
//!
//! Each sale goes through the screens: sometimes a language button, sometimes a household card,
//! one to four packs scanned (keys and Return, as a keyboard-wedge scanner types them), sometimes
//! a pack from the picture grid or a "one more" tap, then "pay" in cash or on the card terminal,
//! and back to the attract screen. Staff sign-ins (a badge scanned, the PIN typed on the keypad
//! and checked with the real Argon2id hash) restock a pack and open one of the staff screens.
//!
//! Every 1 000 sales the process's resident memory is read from `/proc/self/status`: `VmRSS`
//! (current), `VmHWM` (peak since start) and the peak since the previous row (the peak is reset
//! through `/proc/self/clear_refs` where the kernel allows it). The goal: a flat `VmRSS` under
//! 60 MB from the 1 000th sale on.

mod common;

#[path = "kiosk_soak/driver.rs"]
mod driver;
#[path = "kiosk_soak/memory.rs"]
mod memory;

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use congelo::demo;
use congelo::domain::lot::Lot;
use congelo::domain::stock::{StockChange, StockMovement};
use congelo::entropy::new_movement_id;

use common::{Xorshift, bench_dir};
use driver::Soak;
use memory::Memory;

const SALES: usize = 10_000;
const SIGN_INS: usize = 200;
/// How often the memory is reported.
const EVERY: usize = 1_000;
/// The goal, 60 MB, in the kibibytes `/proc` counts.
const GOAL_KB: u64 = 60_000_000 / 1024;
/// The time between two residents.
const BETWEEN_SALES: Duration = Duration::from_secs(6 * 60);

fn main() {
    let sales = env_count("SOAK_SALES").unwrap_or(SALES);
    let sign_ins = env_count("SOAK_SIGN_INS").unwrap_or(SIGN_INS * sales / SALES);
    let dir = bench_dir("kiosk_soak");
    println!(
        "Congélo kiosk soak: {sales} sales and {sign_ins} staff sign-ins through the screens \
         (data in {})\n",
        dir.display()
    );
    let started = Utc.with_ymd_and_hms(2026, 11, 28, 15, 0, 0).unwrap();
    let db = dir.join("kiosk.db");
    let store = stocked_store(&db, started, sales);
    let mut soak = Soak::start(store, started);
    let mut memory = Memory::new();
    memory.row(0, sign_ins_done(0, sales, sign_ins));
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let timer = Instant::now();
    let mut signed_in = 0;
    for sale in 1..=sales {
        soak.sale(sale, &mut rng);
        while signed_in < sign_ins_done(sale, sales, sign_ins) {
            soak.staff_visit(signed_in);
            signed_in += 1;
        }
        soak.wait(BETWEEN_SALES);
        if sale % EVERY == 0 || sale == sales {
            memory.row(sale, signed_in);
        }
    }
    let elapsed = timer.elapsed();
    let simulated = soak.simulated();
    let core = soak.stop();
    let store = core.store();
    let recorded = store.sale_count().expect("sale count");
    assert_eq!(recorded, sales as u64, "every sale was recorded");
    let db_size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!();
    memory.print_table();
    println!();
    memory.print_summary(GOAL_KB);
    println!(
        "\n{sales} sales and {signed_in} sign-ins in {:.0} s of bench time, {:.1} days of kiosk \
         time; database {:.1} MB",
        elapsed.as_secs_f64(),
        simulated.as_secs_f64() / 86_400.0,
        db_size as f64 / 1e6
    );
    drop(core);
    let _ = std::fs::remove_dir_all(&dir);
}

fn env_count(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|n| n.parse().ok())
}

/// How many staff sign-ins are due once `sale` sales are done: spread evenly over the run.
fn sign_ins_done(sale: usize, sales: usize, sign_ins: usize) -> usize {
    (sale * sign_ins).checked_div(sales).unwrap_or(0)
}

/// The demo kiosk with enough packs of every product for the whole run, in one lot each that
/// outlives it.
fn stocked_store(
    path: &std::path::Path,
    now: chrono::DateTime<Utc>,
    sales: usize,
) -> congelo::store::KioskStore {
    let mut store = demo::create_kiosk_database(path, now).expect("demo kiosk database");
    let products = demo::products();
    // At most six packs a sale, spread over the catalogue at random: twice the even share.
    let quantity = u32::try_from(12 * sales / products.len() + 100).expect("a stock quantity");
    for product in &products {
        let code = format!("SOAK-{}", product.id.0);
        store
            .remember_lot(&Lot {
                product: product.id,
                code: code.clone(),
                packed_on: None,
                best_before: chrono::NaiveDate::from_ymd_opt(2029, 12, 1),
                packing_site: None,
            })
            .expect("lot");
        store
            .record_movement(&StockMovement {
                id: new_movement_id(),
                kiosk: demo::KIOSK_ID,
                product: product.id,
                lot: Some(code),
                at: now,
                change: StockChange::Restock { quantity },
                by: None,
            })
            .expect("restock");
    }
    store
}
