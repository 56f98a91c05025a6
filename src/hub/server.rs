//! Running the hub: listening (plain HTTP or HTTPS), and stopping gracefully.
//!
//! Behind a reverse proxy (Caddy, nginx) the hub speaks plain HTTP on loopback; alone on a
//! machine it serves HTTPS with a certificate and key, through rustls on the `ring` provider.
//! Both go through the same `axum-server` loop, with the same [`ServeLimits`]: a client must send
//! its request headers within [`ServeLimits::header_timeout`] (which also closes an HTTP/1
//! connection left idle that long between requests), and at most
//! [`ServeLimits::max_connections`] are open at once — the next one waits in the kernel's
//! backlog, so a crowd of slow clients costs a bounded number of file descriptors and tasks.
//! (The request timeout, in [`crate::hub::app`], bounds everything after the headers.)
//! Shutdown is a [`CancellationToken`]: the binary cancels it on SIGTERM or SIGINT, tests cancel it
//! directly; in-flight requests are drained (a push under way finishes and commits) before
//! [`serve`] returns.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::{CancellationToken, PollSemaphore};
use tower_service::Service;

use super::app::{HubState, router};
use super::config::{HubConfig, TlsFiles};
use super::store::HubStore;
use crate::clock::SystemClock;

/// How long in-flight requests get to finish once shutdown starts (HTTPS; plain HTTP waits for
/// them all, each bounded by the request timeout).
const DRAIN: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot load the TLS certificate {cert} or key {key}: {source}")]
    Tls {
        cert: String,
        key: String,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Makes rustls use `ring` in this process (idempotent). Call before any TLS is set up.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The request-handling state for a store and the configuration's limits.
pub fn state(config: &HubConfig, store: Arc<dyn HubStore>) -> HubState {
    HubState {
        store,
        max_body_bytes: config.max_body_bytes,
        request_timeout: config.request_timeout,
        clock_tolerance: config.clock_tolerance,
        web: config.web.clone(),
        retention_months: config.retention_months,
        clock: Arc::new(SystemClock::default()),
    }
}

/// Binds the configured address (port 0 picks a free one: see the listener's `local_addr`).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// How long and how many connections the hub keeps open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// A connection that has not sent a whole request head this long after it opened (or after
    /// its previous answer) is closed.
    pub header_timeout: Duration,
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for ServeLimits {
    /// 20 s is ample for a kiosk on a slow cellular link to send a few hundred bytes of headers;
    /// 1024 connections is far above a collective's dozens of kiosks and staff, and well inside
    /// the systemd unit's `LimitNOFILE`.
    fn default() -> Self {
        ServeLimits {
            header_timeout: Duration::from_secs(20),
            max_connections: 1024,
        }
    }
}

/// Serves with the default [`ServeLimits`] until `shutdown` is cancelled, then drains in-flight
/// requests.
pub async fn serve(
    listener: TcpListener,
    state: HubState,
    tls: Option<&TlsFiles>,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    serve_with(listener, state, tls, ServeLimits::default(), shutdown).await
}

/// Serves until `shutdown` is cancelled, then drains in-flight requests: plain HTTP waits for them
/// all (each is bounded by the request timeout), HTTPS for at most [`DRAIN`].
pub async fn serve_with(
    listener: TcpListener,
    state: HubState,
    tls: Option<&TlsFiles>,
    limits: ServeLimits,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let app = ConnectionLimit::new(
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
        limits.max_connections,
    );
    let handle = axum_server::Handle::<SocketAddr>::new();
    let stopper = handle.clone();
    let drain = tls.map(|_| DRAIN);
    tokio::spawn(async move {
        shutdown.cancelled().await;
        stopper.graceful_shutdown(drain);
    });
    let listener = listener.into_std()?;
    let Some(files) = tls else {
        let mut server = axum_server::from_tcp(listener)?
            .handle(handle)
            .first_request_timeout(limits.header_timeout);
        configure(server.http_builder(), limits);
        server.serve(app).await?;
        return Ok(());
    };
    install_crypto_provider();
    let rustls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
        .await
        .map_err(|source| ServeError::Tls {
            cert: files.cert.display().to_string(),
            key: files.key.display().to_string(),
            source,
        })?;
    let mut server = axum_server::from_tcp_rustls(listener, rustls)?
        .handle(handle)
        .first_request_timeout(limits.header_timeout);
    configure(server.http_builder(), limits);
    server.serve(app).await?;
    Ok(())
}

/// Time limits of the HTTP layer. `first_request_timeout` (set by the caller) covers the bytes
/// before hyper knows whether it speaks HTTP/1 or HTTP/2; the header timeout here covers each
/// HTTP/1 request head, the first and every later one on a kept-alive connection; HTTP/2
/// connections are pinged so a vanished peer is dropped.
fn configure(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    limits: ServeLimits,
) {
    builder
        .http1()
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    builder
        .http2()
        .keep_alive_interval(limits.header_timeout)
        .keep_alive_timeout(limits.header_timeout)
        .max_concurrent_streams(64);
}

/// Wraps a make-service so that each connection's service holds a permit of a semaphore: the
/// accept loop asks for readiness before it accepts the next connection, and readiness waits for a
/// permit, which the connection gives back when it closes (its service, and every clone hyper
/// made of it, dropped).
struct ConnectionLimit<M> {
    inner: M,
    permits: PollSemaphore,
    ready: Option<OwnedSemaphorePermit>,
}

impl<M> ConnectionLimit<M> {
    fn new(inner: M, max_connections: usize) -> Self {
        ConnectionLimit {
            inner,
            permits: PollSemaphore::new(Arc::new(Semaphore::new(max_connections.max(1)))),
            ready: None,
        }
    }
}

impl<M: Clone> Clone for ConnectionLimit<M> {
    fn clone(&self) -> Self {
        ConnectionLimit {
            inner: self.inner.clone(),
            permits: self.permits.clone(),
            ready: None,
        }
    }
}

impl<M, T> Service<T> for ConnectionLimit<M>
where
    M: Service<T>,
    M::Future: Send + 'static,
    M::Response: Send + 'static,
    M::Error: Send + 'static,
{
    type Response = Limited<M::Response>;
    type Error = M::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, M::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), M::Error>> {
        if self.ready.is_none() {
            // `None` only if the semaphore were closed, which nothing does: go on without one.
            self.ready = ready!(self.permits.poll_acquire(cx));
        }
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, target: T) -> Self::Future {
        let permit = self.ready.take().map(Arc::new);
        let made = self.inner.call(target);
        Box::pin(async move {
            let inner = made.await?;
            Ok(Limited {
                inner,
                _permit: permit,
            })
        })
    }
}

/// A connection's service with its share of [`ConnectionLimit`].
#[derive(Clone)]
struct Limited<S> {
    inner: S,
    _permit: Option<Arc<OwnedSemaphorePermit>>,
}

impl<S: Service<R>, R> Service<R> for Limited<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> S::Future {
        self.inner.call(request)
    }
}

/// Cancels `shutdown` on SIGTERM or SIGINT.
pub fn cancel_on_signals(shutdown: CancellationToken) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
            _ = int.recv() => tracing::info!("SIGINT: shutting down"),
        }
        shutdown.cancel();
    });
    Ok(())
}
