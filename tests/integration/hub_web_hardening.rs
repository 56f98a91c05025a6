//! What the hub refuses to a hostile visitor, over real HTTP: a burst of concurrent wrong
//! passwords, too many logins from one address, periods at the calendar's edge, and connections
//! that never finish their request head.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use congelo::hub::web::WebSettings;
use congelo::hub::{SqliteHubStore, server};

use crate::common::hub::{Served, test_state};
use crate::common::web::{PASSWORD, WebHub};

#[test]
fn twenty_concurrent_wrong_passwords_lock_the_account_against_the_right_one() {
    let hub = WebHub::start_with(WebSettings {
        login_attempts_per_minute: 1000,
        ..WebSettings::default()
    });
    let hub = Arc::new(hub);
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let hub = Arc::clone(&hub);
            std::thread::spawn(move || {
                hub.socket_browser()
                    .login("viewer", "wrong password")
                    .status
            })
        })
        .collect();
    for attempt in attempts {
        let status = attempt.join().expect("attempt");
        assert!([401, 429, 503].contains(&status), "status {status}");
    }
    let right = hub.socket_browser().login("viewer", PASSWORD);
    assert_eq!(right.status, 429, "{}", right.body);
    assert!(right.body.contains("bloqué"), "{}", right.body);
    let (failures, locked): (i64, bool) = hub
        .sql()
        .query_row(
            "SELECT failed_logins, locked_until > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             FROM users WHERE login = 'viewer'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("viewer");
    assert!(failures >= 5, "{failures} failures counted");
    assert!(locked, "the account is locked");
    let sessions: i64 = hub
        .sql()
        .query_row(
            "SELECT count(*) FROM web_sessions s JOIN users u ON u.id = s.user_id
             WHERE u.login = 'viewer'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(sessions, 0);
}

#[test]
fn the_eleventh_login_in_a_minute_from_one_address_is_told_to_wait() {
    let hub = WebHub::start();
    let mut browser = hub.browser();
    for attempt in 1..=10 {
        let reply = browser.login("nobody", "wrong password");
        assert_eq!(reply.status, 401, "attempt {attempt}");
    }
    let refused = browser.login("nobody", "wrong password");
    assert_eq!(refused.status, 429);
    let wait: u64 = refused
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        refused.body.contains("Trop de tentatives de connexion"),
        "{}",
        refused.body
    );
    // Even the right password waits: the limit is per address, before any check.
    let mut english = hub.browser();
    english.accept_language = Some("en-CA".into());
    let refused = english.login("admin", PASSWORD);
    assert_eq!(refused.status, 429);
    assert!(
        refused.body.contains("Too many login attempts"),
        "{}",
        refused.body
    );
}

#[test]
fn periods_at_the_calendars_edge_are_refused_with_a_reason() {
    let hub = WebHub::start();
    let mut viewer = hub.logged_in("viewer");
    for period in [
        "262143-W01",
        "262142-W52",
        "9999-12",
        "1999-12-31..2000-01-05",
    ] {
        let page = viewer.get(&format!("/reports?period={period}"));
        assert_eq!(page.status, 422, "{period}: {}", page.body);
        assert!(
            page.body.contains("2000 to 2100"),
            "{period}: {}",
            page.body
        );
        for download in ["/reports/sales.csv", "/reports/sales.json"] {
            let reply = viewer.get(&format!("{download}?period={period}"));
            assert_eq!(reply.status, 400, "{download} {period}");
        }
        let charts = viewer.get(&format!("/reports/charts?period={period}"));
        assert_eq!(charts.status, 422, "charts {period}");
    }
    assert_eq!(viewer.get("/reports?period=2026-W48").status, 200);
}

/// A bare hub served with `limits`, stopped when dropped.
struct LimitedHub {
    served: Served,
    _dir: tempfile::TempDir,
}

impl LimitedHub {
    fn start(limits: server::ServeLimits) -> LimitedHub {
        let dir = crate::common::hub::fast_tempdir();
        let store = Arc::new(SqliteHubStore::open(&dir.path().join("hub.db")).expect("hub db"));
        let state = test_state(
            store,
            WebSettings::default(),
            Arc::new(congelo::clock::SystemClock::default()),
        );
        LimitedHub {
            served: Served::start(state, limits),
            _dir: dir,
        }
    }

    /// Sends `bytes`, then reads until the hub closes the connection; the time that took.
    fn held_open_by(&self, bytes: &[u8]) -> Duration {
        let mut stream = TcpStream::connect(self.served.addr).expect("connect");
        // A ceiling far above the hub's timeout, so a hub that never closes fails the test.
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let start = Instant::now();
        stream.write_all(bytes).expect("send");
        let mut sink = Vec::new();
        let read = stream.read_to_end(&mut sink);
        let held = start.elapsed();
        match read {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("the hub kept the connection open: {e} after {held:?}"),
        }
        held
    }
}

#[test]
fn a_connection_that_never_finishes_its_request_head_is_closed() {
    let hub = LimitedHub::start(server::ServeLimits {
        header_timeout: Duration::from_secs(1),
        max_connections: 16,
    });
    // Too short for hyper to tell HTTP/1 from HTTP/2, and a whole line without the blank line.
    for partial in [&b"GET / HT"[..], b"GET /healthz HTTP/1.1\r\nHost: x\r\n"] {
        let held = hub.held_open_by(partial);
        assert!(held < Duration::from_secs(15), "{partial:?} held {held:?}");
    }
    // A whole request is still answered, and its idle keep-alive connection closed too.
    let mut stream = TcpStream::connect(hub.served.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    let mut answer = Vec::new();
    let start = Instant::now();
    let _ = stream.read_to_end(&mut answer);
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn connections_beyond_the_limit_wait_until_one_closes() {
    let hub = LimitedHub::start(server::ServeLimits {
        header_timeout: Duration::from_secs(2),
        max_connections: 1,
    });
    // The only slot is held by a silent client until the header timeout frees it.
    let silent = TcpStream::connect(hub.served.addr).expect("connect");
    let start = Instant::now();
    let mut stream = TcpStream::connect(hub.served.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("answer");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(1500),
        "answered after {waited:?}"
    );
    drop(silent);
}
