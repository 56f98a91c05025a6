//! Running the hub: listening (plain HTTP or HTTPS), and stopping gracefully.
//!
//! Behind a reverse proxy (Caddy, nginx) the hub speaks plain HTTP on loopback; alone on a
//! machine it serves HTTPS with a certificate and key, through rustls on the `ring` provider.
//! Shutdown is a [`CancellationToken`]: the binary cancels it on SIGTERM or SIGINT, tests cancel it
//! directly; in-flight requests are drained (a push under way finishes and commits) before
//! [`serve`] returns.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::api::{HubState, router};
use super::config::{HubConfig, TlsFiles};
use super::store::HubStore;

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
    }
}

/// Binds the configured address (port 0 picks a free one: see the listener's `local_addr`).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Serves until `shutdown` is cancelled, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: HubState,
    tls: Option<&TlsFiles>,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let Some(files) = tls else {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await?;
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
    let handle = axum_server::Handle::<SocketAddr>::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.cancelled().await;
        stopper.graceful_shutdown(Some(DRAIN));
    });
    axum_server::from_tcp_rustls(listener.into_std()?, rustls)?
        .handle(handle)
        .serve(app)
        .await?;
    Ok(())
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
