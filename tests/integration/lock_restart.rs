//! The door lock stays fail-secure through a restart: a kiosk process killed with SIGKILL in the
//! middle of a sale — right after committing it, or with the door unlocked for it — keeps the sale
//! exactly once, and the next start drives the lock to locked and never reopens it for that sale.
//!
//! The killed process is this test binary re-run on `mid_sale_child`: it commits a sale on its own
//! connection and asks the hardware worker (simulated lock, real clock) to unlock for it, as the
//! kiosk's core does, printing `COMMITTED` and `UNLOCKED` as it goes. The restart is the kiosk's
//! start-up path on the same database: the store opened, the worker spawned.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};

use congelo::domain::Seq;
use congelo::hardware::{HardwareEvent, HardwareHandle, HardwareSettings, build};
use congelo::store::KioskStore;
use rusqlite::Connection;

use crate::common;
use crate::common::wait::{STEP_CEILING, wait_until};

const DB_ENV: &str = "CONGELO_LOCK_RESTART_DB";
/// The door is driven by hand: nobody opens it, so the lock stays unlocked for the sale until the
/// kill.
const BY_HAND: &str = "[simulation]\ndoor_closes_after_seconds = 0\n";

/// The child half: one sale, the door unlocked for it, then waits to be killed. Does nothing in a
/// normal test run.
#[test]
fn mid_sale_child() {
    let Ok(db) = std::env::var(DB_ENV) else {
        return;
    };
    let db = Path::new(&db);
    let settings: HardwareSettings = toml::from_str(BY_HAND).unwrap();
    let hardware = build(&settings).expect("simulated hardware");
    let sim = hardware.simulation().expect("a simulation").clone();
    let handle = HardwareHandle::spawn(db, hardware, settings.worker_options(), Box::new(|_| {}))
        .expect("the hardware worker");
    let mut store = KioskStore::open(db).expect("open");
    let sale = common::random_sale(&store, &mut fastrand::Rng::with_seed(14));
    let recorded = store.record_sale(&sale).expect("record_sale");
    let mut out = std::io::stdout().lock();
    writeln!(out, "COMMITTED {} {}", sale.id, recorded.seq.0).unwrap();
    out.flush().unwrap();
    handle.unlock_for_sale(recorded.seq);
    assert!(wait_until(STEP_CEILING, || !sim.is_locked()));
    writeln!(out, "UNLOCKED").unwrap();
    out.flush().unwrap();
    loop {
        std::thread::park();
    }
}

/// Runs the child on `db` and kills it once it printed `kill_after`; the sale id and seq it
/// committed.
fn kill_mid_sale(db: &Path, kill_after: &str) -> (String, Seq) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "lock_restart::mid_sale_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_ENV, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut committed = None;
    loop {
        let line = receiver
            .recv_timeout(STEP_CEILING)
            .unwrap_or_else(|_| panic!("the child never printed {kill_after}"));
        // The test harness prints the test's name on the line the child's first output starts.
        if let Some((_, rest)) = line.split_once("COMMITTED ") {
            let (id, seq) = rest.split_once(' ').unwrap();
            committed = Some((id.to_owned(), Seq(seq.trim().parse().unwrap())));
        }
        if line.contains(kill_after) {
            break;
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    reader.join().unwrap();
    committed.expect("a committed sale")
}

/// The restart: the sale is there once with its event, and the lock starts locked and stays so.
fn restart_and_check(db: &Path, sale: &str, seq: Seq) {
    let store = KioskStore::open(db).expect("reopen after the kill");
    store.integrity_check().expect("PRAGMA integrity_check");
    drop(store);
    let conn = Connection::open(db).unwrap();
    let rows: Vec<i64> = conn
        .prepare("SELECT event_seq FROM sales WHERE id = ?1")
        .unwrap()
        .query_map([sale], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let seq_row = i64::try_from(seq.0).unwrap();
    assert_eq!(rows, [seq_row], "the committed sale, exactly once");
    let (events, sale_events): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM sales), \
                    (SELECT COUNT(*) FROM events WHERE kind = 'sale')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(events, sale_events, "one event per sale");

    let settings: HardwareSettings = toml::from_str(BY_HAND).unwrap();
    let hardware = build(&settings).unwrap();
    let sim = hardware.simulation().unwrap().clone();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let handle = HardwareHandle::spawn(
        db,
        hardware,
        settings.worker_options(),
        Box::new(move |event| sink.lock().unwrap().push(event)),
    )
    .unwrap();
    assert_eq!(
        sim.lock_history(),
        [true],
        "start-up drives the lock to locked"
    );
    assert!(sim.is_locked());
    // The sale from before the kill never opens the door again.
    handle.unlock_for_sale(seq);
    assert!(wait_until(STEP_CEILING, || {
        seen.lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, HardwareEvent::UnlockRefused { sale, .. } if *sale == seq))
    }));
    assert!(sim.is_locked());
    assert!(handle.latest().locked);
    handle.shutdown();
    assert!(sim.lock_history().iter().all(|&locked| locked));
}

#[test]
fn a_kiosk_killed_with_the_door_unlocked_restarts_locked_with_its_sale_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    drop(common::demo_kiosk(&db));
    let (sale, seq) = kill_mid_sale(&db, "UNLOCKED");
    restart_and_check(&db, &sale, seq);
}

#[test]
fn a_kiosk_killed_between_commit_and_unlock_restarts_locked_with_its_sale_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    drop(common::demo_kiosk(&db));
    let (sale, seq) = kill_mid_sale(&db, "COMMITTED");
    restart_and_check(&db, &sale, seq);
}
