//! An in-process TCP proxy between kiosks and a hub that misbehaves on purpose: it drops requests,
//! drops the response after the hub has committed, delays, and cuts request bodies in the middle.
//!
//! Kiosks under test open one connection per request (`ClientOptions::reuse_connections = false`),
//! so each request meets one fault. The upstream can be changed while it runs (a restarted hub
//! listens on a new port).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    /// Closes the connection without forwarding anything.
    DropRequest,
    /// Forwards the request, waits for the hub's answer, then closes without passing it on.
    DropResponse,
    /// Waits a little, then passes.
    Delay,
    /// Forwards the headers and half the body received so far, then closes both sides.
    CutBody,
}

/// Counts of faults injected, to check the test exercised each one.
#[derive(Debug, Default)]
pub struct FaultCounts {
    pub pass: AtomicU64,
    pub drop_request: AtomicU64,
    pub drop_response: AtomicU64,
    pub delay: AtomicU64,
    pub cut_body: AtomicU64,
}

pub struct FaultyProxy {
    pub url: String,
    upstream: Arc<Mutex<SocketAddr>>,
    faults: Arc<AtomicBool>,
    pub counts: Arc<FaultCounts>,
    _runtime: tokio::runtime::Runtime,
}

impl FaultyProxy {
    /// Starts a proxy to `upstream`, passing everything until [`FaultyProxy::set_faults`].
    pub fn start(upstream: SocketAddr, seed: u64) -> FaultyProxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("proxy runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("proxy bind");
        let addr = listener.local_addr().expect("proxy addr");
        let upstream = Arc::new(Mutex::new(upstream));
        let faults = Arc::new(AtomicBool::new(false));
        let counts = Arc::new(FaultCounts::default());
        let (up, on, n) = (upstream.clone(), faults.clone(), counts.clone());
        runtime.spawn(async move {
            let mut connection = 0u64;
            while let Ok((client, _)) = listener.accept().await {
                connection += 1;
                let mut rng = fastrand::Rng::with_seed(seed.wrapping_add(connection));
                let fault = if on.load(Ordering::SeqCst) {
                    pick(&mut rng)
                } else {
                    Fault::Pass
                };
                count(&n, fault);
                let target = *up.lock().expect("upstream");
                tokio::spawn(handle(client, target, fault, rng));
            }
        });
        FaultyProxy {
            url: format!("http://{addr}"),
            upstream,
            faults,
            counts,
            _runtime: runtime,
        }
    }

    pub fn set_faults(&self, on: bool) {
        self.faults.store(on, Ordering::SeqCst);
    }

    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.upstream.lock().expect("upstream") = upstream;
    }
}

/// About one connection in three is faulty, the faults in equal shares.
fn pick(rng: &mut fastrand::Rng) -> Fault {
    match rng.u32(0..12) {
        0 => Fault::DropRequest,
        1 => Fault::DropResponse,
        2 => Fault::Delay,
        3 => Fault::CutBody,
        _ => Fault::Pass,
    }
}

fn count(counts: &FaultCounts, fault: Fault) {
    let counter = match fault {
        Fault::Pass => &counts.pass,
        Fault::DropRequest => &counts.drop_request,
        Fault::DropResponse => &counts.drop_response,
        Fault::Delay => &counts.delay,
        Fault::CutBody => &counts.cut_body,
    };
    counter.fetch_add(1, Ordering::SeqCst);
}

async fn handle(mut client: TcpStream, target: SocketAddr, fault: Fault, mut rng: fastrand::Rng) {
    match fault {
        Fault::DropRequest => {
            let mut buffer = [0u8; 1024];
            let _ = client.read(&mut buffer).await;
        }
        Fault::Pass => pass(client, target).await,
        Fault::Delay => {
            tokio::time::sleep(Duration::from_millis(rng.u64(5..80))).await;
            pass(client, target).await;
        }
        Fault::DropResponse => drop_response(client, target).await,
        Fault::CutBody => cut_body(client, target).await,
    }
}

async fn pass(mut client: TcpStream, target: SocketAddr) {
    if let Ok(mut upstream) = TcpStream::connect(target).await {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    }
}

/// Forwards the whole request; once the hub's first response bytes arrive (it has committed),
/// closes the client's connection without them.
async fn drop_response(client: TcpStream, target: SocketAddr) {
    let Ok(upstream) = TcpStream::connect(target).await else {
        return;
    };
    let (mut client_read, _client_write) = client.into_split();
    let (mut upstream_read, mut upstream_write) = upstream.into_split();
    let forward = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut upstream_write).await;
    });
    let mut first = [0u8; 64];
    let _ = tokio::time::timeout(Duration::from_secs(30), upstream_read.read(&mut first)).await;
    forward.abort();
}

/// Reads until the headers and some body have arrived, forwards the headers and half of that
/// body, then closes both sides: the hub sees a request cut in the middle of its body.
async fn cut_body(mut client: TcpStream, target: SocketAddr) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    let header_end = loop {
        match tokio::time::timeout(Duration::from_secs(5), client.read(&mut buffer)).await {
            Ok(Ok(n)) if n > 0 => received.extend_from_slice(&buffer[..n]),
            _ => return,
        }
        if let Some(end) = find(&received, b"\r\n\r\n") {
            if received.starts_with(b"GET") {
                // No body to cut: cut the headers instead.
                break end / 2;
            }
            if received.len() > end + 4 {
                break end + 4;
            }
        }
    };
    let body = received.len().saturating_sub(header_end);
    let cut = header_end + body / 2;
    if let Ok(mut upstream) = TcpStream::connect(target).await {
        let _ = upstream
            .write_all(&received[..cut.min(received.len())])
            .await;
        let _ = upstream.shutdown().await;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
