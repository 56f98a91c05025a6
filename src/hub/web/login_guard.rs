//! What stands in front of the login form: a per-address attempt limit and a cap on how many
//! passwords are hashed at once.
//!
//! The lockout ([`UserStore::login_failed`](crate::hub::store::UserStore::login_failed)) protects one account; these protect the
//! hub. Each Argon2 hash holds about 19 MiB for tens of milliseconds, and a login needs no account,
//! so a burst of anonymous logins could otherwise exhaust memory: at most [`HASHES_AT_ONCE`] hash at
//! a time, at most [`HASHES_WAITING`] more wait (each at most [`HASH_WAIT`]), and anything beyond is
//! answered 503 with `Retry-After` at once — never an unbounded queue.
//!
//! The attempt limit counts login *submissions* per client address with GCRA (one timestamp per
//! address: the "theoretical arrival time"), so a burst of `per_minute` attempts passes and then one
//! more each `60 s / per_minute`. The table is bounded ([`MAX_TRACKED`]): addresses whose allowance
//! is whole again carry no information and are dropped first, then the least loaded one. IPv6
//! addresses count per /64, since one host usually holds a whole /64.
//!
//! Behind a reverse proxy every request comes from the proxy's address, so all visitors would share
//! one allowance. With `[web] behind_https_proxy = true` *and* a loopback peer (the proxy on the same
//! machine, as `deploy/` sets it up), the last address of `X-Forwarded-For` — the one the proxy
//! itself appended — is used instead; a header sent by anyone else is ignored.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use tokio::sync::Semaphore;

use super::error::WebError;
use crate::hub::app::HubState;

/// Password hashes computed at the same time (about 19 MiB each).
pub const HASHES_AT_ONCE: usize = 4;
/// Logins that may wait for a hash slot; more are answered 503 at once.
pub const HASHES_WAITING: usize = 32;
/// Longest a login waits for a hash slot before being answered 503.
pub const HASH_WAIT: Duration = Duration::from_secs(5);
/// Addresses the attempt limit remembers at most.
pub const MAX_TRACKED: usize = 10_000;
/// The attempt limit's window.
const PERIOD: Duration = Duration::from_secs(60);

/// The login form's guards, shared by every request of one router.
#[derive(Clone)]
pub struct LoginGuard {
    attempts: Arc<AttemptLimiter>,
    hashes: Arc<HashGate>,
}

impl LoginGuard {
    pub fn new(attempts_per_minute: u32) -> LoginGuard {
        LoginGuard {
            attempts: Arc::new(AttemptLimiter::new(attempts_per_minute, MAX_TRACKED)),
            hashes: Arc::new(HashGate::new(HASHES_AT_ONCE, HASHES_WAITING, HASH_WAIT)),
        }
    }

    /// Counts one login attempt from `client`; refused with the wait when it is one too many.
    pub fn admit(&self, client: IpAddr) -> Result<(), WebError> {
        self.attempts
            .check(client, Instant::now())
            .map_err(|wait| WebError::TooManyAttempts {
                retry_after_secs: whole_seconds(wait),
            })
    }

    /// Runs `work` (a password hash or check) on the blocking pool once a hash slot is free.
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WebError> {
        self.hashes.run(work).await
    }
}

fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Per-address GCRA limiter with a bounded table.
#[derive(Debug)]
pub struct AttemptLimiter {
    /// Time one attempt costs: `PERIOD / per_minute`.
    cost: Duration,
    capacity: usize,
    /// Each address's theoretical arrival time: its allowance is whole again from then on.
    due: Mutex<HashMap<IpAddr, Instant>>,
}

impl AttemptLimiter {
    /// `per_minute` attempts a minute per address (at least one), remembering `capacity` addresses.
    pub fn new(per_minute: u32, capacity: usize) -> AttemptLimiter {
        AttemptLimiter {
            cost: PERIOD / per_minute.max(1),
            capacity: capacity.max(1),
            due: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt at `now`, or says how long to wait before the next one is allowed.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = bucket(client);
        let mut due = self.due.lock().unwrap_or_else(PoisonError::into_inner);
        let start = due.get(&key).copied().filter(|t| *t > now).unwrap_or(now);
        let next = start + self.cost;
        let ahead = next - now;
        if ahead > PERIOD {
            return Err(ahead - PERIOD);
        }
        if !due.contains_key(&key) && due.len() >= self.capacity {
            make_room(&mut due, now, self.capacity);
        }
        due.insert(key, next);
        Ok(())
    }

    /// How many addresses are remembered.
    pub fn tracked(&self) -> usize {
        self.due
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Drops addresses whose allowance is whole again; if none, the one with the most allowance left.
fn make_room(due: &mut HashMap<IpAddr, Instant>, now: Instant, capacity: usize) {
    due.retain(|_, t| *t > now);
    if due.len() < capacity {
        return;
    }
    if let Some(key) = due.iter().min_by_key(|(_, t)| **t).map(|(k, _)| *k) {
        due.remove(&key);
    }
}

/// The address an allowance belongs to: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64.
fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

/// At most `at_once` tasks run, at most `waiting` more wait (each up to `wait`).
#[derive(Debug)]
pub struct HashGate {
    running: Semaphore,
    queue: Semaphore,
    wait: Duration,
}

impl HashGate {
    pub fn new(at_once: usize, waiting: usize, wait: Duration) -> HashGate {
        HashGate {
            running: Semaphore::new(at_once),
            queue: Semaphore::new(at_once + waiting),
            wait,
        }
    }

    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let busy = || WebError::Busy {
            retry_after_secs: whole_seconds(self.wait),
        };
        let _in_line = self.queue.try_acquire().map_err(|_| busy())?;
        let _slot = tokio::time::timeout(self.wait, self.running.acquire())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        Ok(tokio::task::spawn_blocking(work).await?)
    }
}

/// The address a login attempt is counted against (see the module's note on proxies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<HubState> for ClientAddr {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, WebError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddr(client_address(
            peer,
            &parts.headers,
            state.web.behind_https_proxy,
        )))
    }
}

/// The peer's address, or the proxy's view of the client when the peer is a trusted local proxy.
/// Without a peer (a router called in-process) every request shares the unspecified address.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, behind_proxy: bool) -> IpAddr {
    let Some(peer) = peer else {
        return IpAddr::from([0, 0, 0, 0]);
    };
    if !(behind_proxy && peer.is_loopback()) {
        return peer;
    }
    let values: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    values
        .iter()
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use rstest::rstest;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn a_burst_passes_then_one_attempt_per_share_of_the_minute() {
        let limiter = AttemptLimiter::new(10, 100);
        let start = Instant::now();
        for n in 0..10 {
            assert_eq!(limiter.check(ip("192.0.2.1"), start), Ok(()), "attempt {n}");
        }
        let wait = limiter.check(ip("192.0.2.1"), start).unwrap_err();
        assert_eq!(wait, Duration::from_secs(6));
        assert!(limiter.check(ip("192.0.2.1"), start + wait).is_ok());
        assert!(limiter.check(ip("192.0.2.1"), start + wait).is_err());
        // Another address has its own allowance.
        assert!(limiter.check(ip("192.0.2.2"), start).is_ok());
        // After a quiet minute the whole burst is back.
        let later = start + Duration::from_secs(120);
        for _ in 0..10 {
            assert!(limiter.check(ip("192.0.2.1"), later).is_ok());
        }
    }

    #[test]
    fn a_refused_attempt_does_not_push_the_wait_further() {
        let limiter = AttemptLimiter::new(1, 10);
        let start = Instant::now();
        assert!(limiter.check(ip("192.0.2.1"), start).is_ok());
        for _ in 0..50 {
            assert_eq!(
                limiter.check(ip("192.0.2.1"), start),
                Err(Duration::from_secs(60))
            );
        }
        assert!(limiter.check(ip("192.0.2.1"), start + PERIOD).is_ok());
    }

    #[test]
    fn the_table_stays_bounded_and_keeps_the_busiest_addresses() {
        let limiter = AttemptLimiter::new(2, 3);
        let start = Instant::now();
        for _ in 0..2 {
            assert!(limiter.check(ip("192.0.2.9"), start).is_ok());
        }
        for n in 0..100u8 {
            let _ = limiter.check(IpAddr::from([198, 51, 100, n]), start);
            assert!(limiter.tracked() <= 3);
        }
        assert!(
            limiter.check(ip("192.0.2.9"), start).is_err(),
            "still limited"
        );
    }

    #[rstest]
    #[case("2001:db8:1:2:aaaa::1", "2001:db8:1:2::")]
    #[case("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::")]
    #[case("::ffff:192.0.2.7", "192.0.2.7")]
    #[case("192.0.2.7", "192.0.2.7")]
    fn addresses_count_per_host_or_per_ipv6_prefix(#[case] given: &str, #[case] key: &str) {
        assert_eq!(bucket(ip(given)), ip(key));
    }

    #[rstest]
    #[case(Some("203.0.113.5"), Some("198.51.100.1"), true, "203.0.113.5")]
    #[case(Some("127.0.0.1"), None, true, "127.0.0.1")]
    #[case(Some("127.0.0.1"), Some("198.51.100.1"), false, "127.0.0.1")]
    #[case(Some("127.0.0.1"), Some("198.51.100.1"), true, "198.51.100.1")]
    #[case(
        Some("127.0.0.1"),
        Some("10.9.9.9, 198.51.100.1"),
        true,
        "198.51.100.1"
    )]
    #[case(Some("127.0.0.1"), Some("not an address"), true, "127.0.0.1")]
    #[case(None, Some("198.51.100.1"), true, "0.0.0.0")]
    fn forwarded_addresses_are_believed_only_from_a_local_proxy(
        #[case] peer: Option<&str>,
        #[case] forwarded: Option<&str>,
        #[case] behind_proxy: bool,
        #[case] expected: &str,
    ) {
        let mut headers = HeaderMap::new();
        if let Some(value) = forwarded {
            headers.insert(
                "x-forwarded-for",
                HeaderValue::from_str(value).expect("header"),
            );
        }
        assert_eq!(
            client_address(peer.map(ip), &headers, behind_proxy),
            ip(expected)
        );
    }

    #[tokio::test]
    async fn hashing_beyond_the_queue_is_refused_at_once() {
        let gate = Arc::new(HashGate::new(1, 1, Duration::from_secs(30)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(Mutex::new(hold));
        let mut running = Vec::new();
        for _ in 0..2 {
            let gate = Arc::clone(&gate);
            let hold = Arc::clone(&hold);
            running.push(tokio::spawn(async move {
                gate.run(move || {
                    let _ = hold.lock().map(|h| h.recv());
                })
                .await
            }));
        }
        while gate.queue.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let refused = gate.run(|| ()).await;
        assert!(matches!(
            refused,
            Err(WebError::Busy {
                retry_after_secs: 30
            })
        ));
        for _ in 0..2 {
            release.send(()).expect("release");
        }
        for task in running {
            assert!(task.await.expect("task").is_ok());
        }
    }
}
