//! The hub's whole HTTP service: the state every handler shares and the router that puts the
//! kiosk API ([`api`]) and the web pages ([`web`]) together behind one set of limits.
//!
//! [`router`] builds the service from a [`HubState`], so tests can drive it without a socket. The
//! layers bound every request: its body's size (an oversized one is read and refused with 413),
//! its whole duration, and tracing. The kiosk API and the web pages depend on this module for
//! [`HubState`]; neither depends on the other.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::HttpBody;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::trace::TraceLayer;

use super::api;
use super::error::HubError;
use super::store::HubStore;
use super::web::{self, WebSettings};
use crate::clock::Clock;
use crate::domain::sync::API_PREFIX;

/// What every request handler shares.
#[derive(Clone)]
pub struct HubState {
    pub store: Arc<dyn HubStore>,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub clock_tolerance: Duration,
    /// The web pages' sessions, lockout and cookies.
    pub web: WebSettings,
    /// After how many months sales forget their household; kiosks follow it too.
    pub retention_months: u32,
    /// Where every handler reads the time (a [`crate::clock::ManualClock`] in tests).
    pub clock: Arc<dyn Clock>,
}

/// The hub's whole HTTP service.
pub fn router(state: HubState) -> Router {
    Router::new()
        .nest(API_PREFIX, api::routes())
        .route("/healthz", get(|| async { "ok" }))
        .merge(web::router(&state.web))
        .fallback(|| async { HubError::NotFound })
        .method_not_allowed_fallback(|| async { HubError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_oversized,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(DefaultBodyLimit::max(state.max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Bounds the whole request, body reading included, so a slow client cannot hold a connection's
/// handler forever. A storage call already under way still finishes (and commits); the kiosk's
/// re-send is then answered from what was stored.
async fn time_limit(State(state): State<HubState>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => HubError::Timeout.into_response(),
    }
}

/// How much of an oversized body the hub reads and throws away before answering 413.
const OVERSIZED_DRAIN_CAP: u64 = 16 * 1024 * 1024;

/// Answers 413 to a body whose declared length is over the limit (a photo upload's own, else the
/// hub's), after reading it (up to a cap):
/// a server that answers and closes while the client is still sending makes the client's socket
/// reset, and the client sees a broken connection instead of the 413 that explains it.
async fn refuse_oversized(State(state): State<HubState>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let limit = super::web::product_photos::body_limit(request.uri().path())
        .unwrap_or(state.max_body_bytes)
        .max(state.max_body_bytes);
    let Some(length) = declared.filter(|&n| n > limit as u64) else {
        return next.run(request).await;
    };
    if length <= OVERSIZED_DRAIN_CAP {
        let mut body = request.into_body();
        while let Some(Ok(_)) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
        }
    }
    HubError::BodyTooLarge.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::store::SqliteHubStore;
    use axum::body::Body;
    use axum::http::StatusCode;
    use tower::ServiceExt;

    fn state() -> (tempfile::TempDir, HubState) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteHubStore::open(&dir.path().join("hub.db")).unwrap();
        let state = HubState {
            store: Arc::new(store),
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(5),
            clock_tolerance: Duration::from_secs(300),
            web: Default::default(),
            retention_months: 13,
            clock: Arc::new(crate::clock::SystemClock::default()),
        };
        (dir, state)
    }

    async fn call(state: &HubState, request: axum::http::Request<Body>) -> (StatusCode, String) {
        let response = router(state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn the_router_answers_without_a_socket() {
        let (_dir, state) = state();
        let get = |uri: &str| axum::http::Request::get(uri).body(Body::empty()).unwrap();
        let (status, body) = call(&state, get("/api/v1/openapi.json")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("\"openapi\""));
        let (status, body) = call(&state, get("/api/v1/nothing")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("\"error\":\"not_found\""));
        let (status, body) = call(&state, get("/api/v1/kiosks/1/config")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.contains("missing_token"));
    }
}
