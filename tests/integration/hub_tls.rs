//! The hub serving HTTPS directly with a certificate and key (rustls on ring), and stopping
//! gracefully when its shutdown token is cancelled.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;

use congelo::hub::config::TlsFiles;
use congelo::hub::{SqliteHubStore, server};
use tokio_util::sync::CancellationToken;

use crate::common::wait::STEP_CEILING;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_serves_https_with_a_certificate_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: the openssl command is not available to make a test certificate");
        return;
    }
    let store = Arc::new(SqliteHubStore::open(&dir.path().join("hub.db")).unwrap());
    let state = crate::common::hub::test_state(
        store,
        Default::default(),
        Arc::new(congelo::clock::SystemClock::default()),
    );
    let listener = server::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let tls = TlsFiles { cert, key };
    let serving = tokio::spawn({
        let shutdown = shutdown.clone();
        async move { server::serve(listener, state, Some(&tls), shutdown).await }
    });
    congelo::sync::install_crypto_provider();
    // The certificate is self-signed: this test checks the TLS server, not certificate trust.
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let response = client
        .get(format!(
            "https://127.0.0.1:{}/api/v1/openapi.json",
            addr.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(response.text().await.unwrap().contains("openapi"));
    let plain = reqwest::get(format!("http://127.0.0.1:{}/healthz", addr.port())).await;
    assert!(
        plain.is_err() || !plain.unwrap().status().is_success(),
        "plain HTTP is not served"
    );
    shutdown.cancel();
    tokio::time::timeout(STEP_CEILING, serving)
        .await
        .expect("the server stops after shutdown")
        .unwrap()
        .unwrap();
}
