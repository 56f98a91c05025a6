//! A committed sale survives `kill -9`: the sale path runs in a child process that is killed with
//! SIGKILL at random moments, over and over, on the same database.
//!
//! The child is this test binary itself, re-run on `sale_writer_child` with the database path in an
//! environment variable. It prints `COMMITTED <sale id>` after each `record_sale` returns; whatever
//! the parent read before the kill must be in the database exactly once, with its lines, its stock
//! movements and its event, and the event log must stay gapless.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

use crate::common;
use crate::common::wait::STEP_CEILING;

const DB_ENV: &str = "CONGELO_DURABILITY_DB";
const SEED_ENV: &str = "CONGELO_DURABILITY_SEED";
/// At least 200 kills, as the durability bar asks; more with `CONGELO_DURABILITY_ITERATIONS`.
const DEFAULT_ITERATIONS: usize = 200;

/// The child half: records sales until killed. Does nothing in a normal test run.
#[test]
fn sale_writer_child() {
    let Ok(path) = std::env::var(DB_ENV) else {
        return;
    };
    let seed = std::env::var(SEED_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut store = congelo::store::KioskStore::open(Path::new(&path)).expect("open");
    let stdout = std::io::stdout();
    loop {
        let sale = common::random_sale(&store, &mut rng);
        store.record_sale(&sale).expect("record_sale");
        let mut out = stdout.lock();
        writeln!(out, "COMMITTED {}", sale.id).expect("stdout");
        out.flush().expect("flush");
    }
}

#[test]
fn committed_sales_survive_sigkill() {
    let iterations = std::env::var("CONGELO_DURABILITY_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_ITERATIONS);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    drop(common::demo_kiosk(&path));
    let mut rng = fastrand::Rng::with_seed(2026);
    let mut committed = BTreeSet::new();
    let mut kills_after_a_commit = 0;
    for iteration in 0..iterations {
        let before = committed.len();
        // One kill in four lands at a random moment from the start (opening, recovery, first
        // sale); the others once the child is writing sales.
        let wait_for_first_sale = iteration % 4 != 0;
        let millis = rng.u64(0..60);
        committed.extend(run_and_kill(
            &path,
            iteration as u64,
            wait_for_first_sale,
            millis,
        ));
        kills_after_a_commit += usize::from(committed.len() > before);
        // Reopening (and so recovering the WAL) after every kill is part of the test.
        check_database(&path, &committed);
    }
    assert!(
        kills_after_a_commit >= iterations / 2,
        "most kills should land mid-run"
    );
    println!(
        "{iterations} kills, {} sales reported committed, all present once",
        committed.len()
    );
}

/// Runs the child, kills it with SIGKILL `millis` ms after its first sale (or after its start),
/// returns the sale ids it reported.
fn run_and_kill(path: &Path, seed: u64, wait_for_first_sale: bool, millis: u64) -> Vec<String> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "durability::sale_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_ENV, path)
        .env(SEED_ENV, seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("COMMITTED ") {
                let _ = sender.send(id.to_owned());
            }
        }
    });
    // Wait for the child to start writing (it has to start a process, open and maybe recover
    // the database first, slow on a busy machine), then a random moment more: the kill's timing
    // is what the test varies, no assertion depends on it.
    let first = if wait_for_first_sale {
        receiver.recv_timeout(STEP_CEILING).ok()
    } else {
        None
    };
    std::thread::sleep(Duration::from_millis(millis));
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    reader.join().unwrap();
    first.into_iter().chain(receiver.try_iter()).collect()
}

fn check_database(path: &Path, committed: &BTreeSet<String>) {
    let store = congelo::store::KioskStore::open(path).expect("reopen after kill");
    store.integrity_check().expect("PRAGMA integrity_check");
    drop(store);
    let conn = Connection::open(path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    // Gapless log: seqs are exactly 1..=max.
    let (n, max) = (
        count("SELECT count(*) FROM events"),
        count("SELECT COALESCE(MAX(seq), 0) FROM events"),
    );
    assert_eq!(n, max, "the event log has a gap");
    // Every sale has its event, and every sale event its sale.
    assert_eq!(
        count(
            "SELECT count(*) FROM sales s LEFT JOIN events e ON e.seq = s.event_seq WHERE e.kind IS NOT 'sale'"
        ),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM events e WHERE kind = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.event_seq = e.seq)"
        ),
        0
    );
    // No partial sale: line quantities, stock movements and the sale's item count agree.
    let partial = count(
        "SELECT count(*) FROM sales s
         LEFT JOIN (SELECT sale_id, SUM(quantity) AS n FROM sale_lines GROUP BY sale_id) l
           ON l.sale_id = s.id
         LEFT JOIN (SELECT sale_id, -SUM(delta) AS n FROM stock_movements
                    WHERE sale_id IS NOT NULL GROUP BY sale_id) m ON m.sale_id = s.id
         WHERE s.items IS NOT l.n OR s.items IS NOT m.n",
    );
    assert_eq!(partial, 0, "a sale is missing lines or stock movements");
    // Every reported sale is present exactly once.
    let mut statement = conn
        .prepare("SELECT id, count(*) FROM sales GROUP BY id")
        .unwrap();
    let stored: BTreeMap<String, i64> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for id in committed {
        assert_eq!(
            stored.get(id),
            Some(&1),
            "committed sale {id} is missing or doubled"
        );
    }
}
