//! The kiosk and systemd's watchdog, over a real `NOTIFY_SOCKET`: `READY=1` after the first frame,
//! `WATCHDOG=1` while the core answers, silence once it hangs.
//!
//! The kiosk is the real program (`app::run_with_clock`: store, core thread, hardware worker, sync
//! worker, window and event loop) running in a child process — this test binary re-run on
//! `watchdog_kiosk_child` — on Slint's headless testing backend with the system time. Its core
//! reads the time from a clock the parent can stop through the child's stdin: the core thread
//! then blocks in its next call, as a core stuck on a device or a lock would.

use std::io::{BufRead, Write};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use congelo::clock::{Clock, SystemClock};
use congelo::kiosk::settings::KioskSettings;

use crate::common;
use crate::common::wait::{STEP_CEILING, wait_until};

const DB_ENV: &str = "CONGELO_WATCHDOG_DB";
/// The timeout the test gives, as `WatchdogSec=3` would: pings every 1.5 s.
const WATCHDOG_USEC: &str = "3000000";
const PING_EVERY: Duration = Duration::from_millis(1_500);

/// The system clock until a line arrives on stdin; then every call blocks for good.
#[derive(Debug)]
struct StoppableClock {
    inner: SystemClock,
    stopped: Arc<AtomicBool>,
}

impl StoppableClock {
    fn stopped_by_stdin() -> StoppableClock {
        let stopped = Arc::new(AtomicBool::new(false));
        let flag = stopped.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            if std::io::stdin()
                .lock()
                .read_line(&mut line)
                .is_ok_and(|n| n > 0)
            {
                flag.store(true, Ordering::SeqCst);
            }
        });
        StoppableClock {
            inner: SystemClock::default(),
            stopped,
        }
    }

    fn hang_if_stopped(&self) {
        while self.stopped.load(Ordering::SeqCst) {
            std::thread::park();
        }
    }
}

impl Clock for StoppableClock {
    fn now(&self) -> DateTime<Utc> {
        self.hang_if_stopped();
        self.inner.now()
    }

    fn monotonic_ms(&self) -> u64 {
        self.hang_if_stopped();
        self.inner.monotonic_ms()
    }
}

/// The child half: the kiosk, headless, until killed. Does nothing in a normal test run.
#[test]
fn watchdog_kiosk_child() {
    let Ok(db) = std::env::var(DB_ENV) else {
        return;
    };
    let backend = i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: false,
            threading: true,
            renderer_name: Some("software".into()),
        },
    );
    slint::platform::set_platform(Box::new(backend)).expect("the testing platform");
    let mut settings = KioskSettings::load(None, |_| None).expect("demo settings");
    settings.db = PathBuf::from(db);
    let clock = Arc::new(StoppableClock::stopped_by_stdin());
    congelo::kiosk::app::run_with_clock(settings, clock).expect("the kiosk runs");
}

/// Kills the child however the test ends.
struct Kiosk(Child);

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the kiosk told systemd, datagram by datagram.
struct NotifySocket(UnixDatagram);

impl NotifySocket {
    /// The next notice (its lines, without the last newline), or `None` once `within` has
    /// passed without one.
    fn next(&self, within: Duration) -> Option<String> {
        let deadline = Instant::now() + within;
        let mut buffer = [0u8; 4096];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.0.set_read_timeout(Some(left)).unwrap();
            match self.0.recv(&mut buffer) {
                Ok(n) => return Some(String::from_utf8_lossy(&buffer[..n]).trim_end().to_owned()),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading the notify socket: {e}"),
            }
        }
    }

    /// Reads notices until one satisfies `wanted`; every notice read, that one last.
    fn until(&self, what: &str, wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + STEP_CEILING;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(notice) = self.next(left) else {
                panic!("no {what} within {STEP_CEILING:?}; received {seen:?}");
            };
            let done = wanted(&notice);
            seen.push(notice);
            if done {
                return seen;
            }
        }
    }
}

/// A demo kiosk in a child process, with systemd's environment pointing at a socket in `dir`.
fn start_kiosk(dir: &Path) -> (Kiosk, NotifySocket) {
    let db = dir.join("kiosk.db");
    drop(common::demo_kiosk(&db));
    let socket_path = dir.join("notify.sock");
    let socket = NotifySocket(UnixDatagram::bind(&socket_path).unwrap());
    let kiosk = Kiosk(
        Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kiosk_watchdog::watchdog_kiosk_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_ENV, &db)
            .env("NOTIFY_SOCKET", &socket_path)
            .env("WATCHDOG_USEC", WATCHDOG_USEC)
            .env_remove("WATCHDOG_PID")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the kiosk"),
    );
    (kiosk, socket)
}

#[test]
fn the_kiosk_is_ready_after_its_first_frame_and_pings_only_while_its_core_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, socket) = start_kiosk(dir.path());
    let first = socket.until("READY=1", |n| n.contains("READY=1"));
    assert_eq!(first.len(), 1, "nothing before READY=1: {first:?}");
    assert!(first[0].contains("STATUS="), "{first:?}");
    for _ in 0..3 {
        let seen = socket.until("WATCHDOG=1", |n| n == "WATCHDOG=1");
        assert_eq!(seen.len(), 1, "only pings while the core answers: {seen:?}");
    }

    let stdin = kiosk.0.stdin.as_mut().unwrap();
    stdin.write_all(b"hang\n").unwrap();
    stdin.flush().unwrap();
    let seen = socket.until("the status of a hung core", |n| {
        n.starts_with("STATUS=The core thread has not answered")
    });
    assert!(
        seen[..seen.len() - 1].iter().all(|n| n == "WATCHDOG=1"),
        "{seen:?}"
    );
    // Three ping intervals with none: systemd would kill the kiosk after two.
    let deadline = Instant::now() + 3 * PING_EVERY;
    while let Some(notice) = socket.next(deadline.saturating_duration_since(Instant::now())) {
        assert!(
            !notice.contains("WATCHDOG=1"),
            "a ping while the core hangs: {notice}"
        );
    }
    assert!(
        kiosk.0.try_wait().unwrap().is_none(),
        "the kiosk is hung, not gone: systemd restarts it"
    );
}

#[test]
fn sigterm_shuts_the_kiosk_down_cleanly_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, socket) = start_kiosk(dir.path());
    socket.until("READY=1", |n| n.contains("READY=1"));
    let killed = Command::new("kill")
        .args(["-TERM", &kiosk.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    socket.until("STOPPING=1", |n| n.starts_with("STOPPING=1"));
    let mut status = None;
    assert!(wait_until(STEP_CEILING, || {
        status = kiosk.0.try_wait().unwrap();
        status.is_some()
    }));
    assert!(status.unwrap().success(), "{status:?}");
}
