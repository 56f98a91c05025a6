//! The kiosk API under `/api/v1`: enrolment, push, pull, and its OpenAPI document.
//!
//! [`router`] builds the whole service from a [`HubState`], so tests can drive it without a socket.
//! Checks run cheapest first and before anything is written: the token (from the headers, before
//! the body is read), then the body's JSON, then the batch's shape, and only then the database.
//! Storage calls block, so they run on tokio's blocking pool. Each handler carries its OpenAPI
//! description (`#[utoipa::path]`), gathered in [`super::openapi`].

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::HttpBody;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH};
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use tower_http::trace::TraceLayer;

use super::error::HubError;
use super::secrets;
use super::store::{Contact, HubStore};
use crate::domain::KioskId;
use crate::domain::sync::{
    API_PREFIX, ApiError, EnrolRequest, EnrolResponse, PullResponse, PushRequest, PushResponse,
    USAGE_DAYS, check_batch, check_health, read_clock,
};

/// What every request handler shares.
#[derive(Clone)]
pub struct HubState {
    pub store: Arc<dyn HubStore>,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub clock_tolerance: Duration,
    /// The web pages' sessions, lockout and cookies.
    pub web: super::web::WebSettings,
    /// After how many months sales forget their household; kiosks follow it too.
    pub retention_months: u32,
}

/// The kiosk API's routes under [`API_PREFIX`]; each is described in [`super::openapi`] (a test
/// there checks it).
pub fn api_routes() -> Vec<(&'static str, MethodRouter<HubState>)> {
    vec![
        ("/enrol", post(enrol)),
        ("/kiosks/{kiosk}/events", post(push)),
        ("/kiosks/{kiosk}/config", get(pull)),
        ("/openapi.json", get(openapi)),
    ]
}

/// The hub's whole HTTP service.
pub fn router(state: HubState) -> Router {
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |api, (path, route)| api.route(path, route));
    Router::new()
        .nest(API_PREFIX, api)
        .route("/healthz", get(|| async { "ok" }))
        .merge(super::web::router(&state.web))
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

/// Answers 413 to a body whose declared length is over the limit, after reading it (up to a cap):
/// a server that answers and closes while the client is still sending makes the client's socket
/// reset, and the client sees a broken connection instead of the 413 that explains it.
async fn refuse_oversized(State(state): State<HubState>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let Some(length) = declared.filter(|&n| n > state.max_body_bytes as u64) else {
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

/// Runs a storage call on the blocking pool.
async fn blocking<T: Send + 'static>(
    state: &HubState,
    call: impl FnOnce(&dyn HubStore) -> Result<T, super::store::HubStoreError> + Send + 'static,
) -> Result<T, HubError> {
    super::blocking::on_store(&state.store, move |store| {
        call(store).map_err(HubError::from)
    })
    .await
}

/// A kiosk whose token is valid and matches the kiosk id in the path.
pub struct AuthorizedKiosk(pub KioskId);

impl FromRequestParts<HubState> for AuthorizedKiosk {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, HubError> {
        let Path(path_kiosk) = Path::<i64>::from_request_parts(parts, state).await?;
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(HubError::MissingToken)?;
        let hash = secrets::token_hash(token);
        let kiosk = blocking(state, move |store| store.kiosk_for_token(&hash))
            .await?
            .ok_or(HubError::InvalidToken)?;
        if kiosk.0 != path_kiosk {
            return Err(HubError::WrongKiosk);
        }
        Ok(AuthorizedKiosk(kiosk))
    }
}

#[utoipa::path(
    post,
    path = "/enrol",
    summary = "Trade a one-time enrolment code (CGE1…) for a kiosk token",
    request_body = EnrolRequest,
    responses(
        (status = 200, body = EnrolResponse, description = "The kiosk's id and token (shown once)"),
        (status = 400, body = ApiError, description = "malformed_json"),
        (status = 401, body = ApiError, description = "unknown_enrolment_code"),
        (status = 409, body = ApiError, description = "enrolment_code_used"),
        (status = 410, body = ApiError, description = "enrolment_code_expired"),
        (status = 422, body = ApiError, description = "invalid_body or invalid_code (not an enrolment code)"),
    )
)]
async fn enrol(
    State(state): State<HubState>,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<Json<EnrolResponse>, HubError> {
    let Json(request) = body?;
    let code = secrets::enrolment_code_hash(&request.code)
        .map_err(|e| HubError::BadCode(e.to_string()))?;
    let (token, token_hash) =
        secrets::new_token().map_err(|e| HubError::Internal(e.to_string()))?;
    let now = Utc::now();
    let kiosk = blocking(&state, move |store| store.enrol(&code, &token_hash, now)).await?;
    tracing::info!(%kiosk, "kiosk enrolled");
    Ok(Json(EnrolResponse {
        kiosk,
        token,
        hub_time: Utc::now(),
    }))
}

#[utoipa::path(
    post,
    path = "/kiosks/{kiosk}/events",
    summary = "Push the oldest unacknowledged events (at most 500) with the kiosk's health",
    security(("kioskToken" = [])),
    params(("kiosk" = i64, Path, description = "The kiosk's id; the token must belong to it.")),
    request_body = PushRequest,
    responses(
        (status = 200, body = PushResponse, description = "Stored (or already held); the highest contiguous seq held"),
        (status = 400, body = ApiError, description = "malformed_json"),
        (status = 401, body = ApiError, description = "missing_token, invalid_token (unknown or revoked)"),
        (status = 403, body = ApiError, description = "wrong_kiosk: the token belongs to another kiosk"),
        (status = 409, body = ApiError, description = "seq_gap (with acked_through) or seq_conflict: nothing was stored"),
        (status = 413, body = ApiError, description = "body_too_large or batch_too_large"),
        (status = 415, body = ApiError, description = "unsupported_media_type: send application/json"),
        (status = 422, body = ApiError, description = "invalid_body (wrong types) or invalid_batch (seqs not consecutive)"),
    )
)]
async fn push(
    State(state): State<HubState>,
    AuthorizedKiosk(kiosk): AuthorizedKiosk,
    body: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, HubError> {
    let Json(request) = body?;
    check_batch(&request.events)?;
    check_health(&request.health)?;
    let received_at = Utc::now();
    let tolerance_ms = i64::try_from(state.clock_tolerance.as_millis()).unwrap_or(i64::MAX);
    let clock = read_clock(received_at, request.health.clock, tolerance_ms);
    if clock.suspect {
        tracing::warn!(%kiosk, offset_ms = clock.offset_ms, "the kiosk's clock is implausible");
    }
    let contact = Contact {
        health: request.health,
        received_at,
        clock,
    };
    let events = request.events;
    let ingested = blocking(&state, move |store| store.ingest(kiosk, &events, &contact)).await?;
    tracing::debug!(%kiosk, stored = ingested.stored, duplicates = ingested.duplicates,
        acked_through = %ingested.acked_through, "push");
    Ok(Json(PushResponse {
        acked_through: ingested.acked_through,
        stored: ingested.stored,
        duplicates: ingested.duplicates,
        hub_time: Utc::now(),
        clock_offset_ms: clock.offset_ms,
        clock_suspect: clock.suspect,
        quarantined: ingested.quarantined,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PullQuery {
    #[serde(default)]
    since: u64,
}

#[utoipa::path(
    get,
    path = "/kiosks/{kiosk}/config",
    summary = "Pull the configuration if newer than `since`",
    security(("kioskToken" = [])),
    params(
        ("kiosk" = i64, Path, description = "The kiosk's id; the token must belong to it."),
        ("since" = Option<u64>, Query, description = "The configuration version the kiosk holds"),
    ),
    responses(
        (status = 200, body = PullResponse, description = "The hub's version, and the configuration if newer than `since`"),
        (status = 400, body = ApiError, description = "bad_query"),
        (status = 401, body = ApiError, description = "missing_token, invalid_token (unknown or revoked)"),
        (status = 403, body = ApiError, description = "wrong_kiosk: the token belongs to another kiosk"),
    )
)]
async fn pull(
    State(state): State<HubState>,
    AuthorizedKiosk(kiosk): AuthorizedKiosk,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, HubError> {
    let Query(query) = query?;
    let since = query.since;
    let (version, config) = blocking(&state, move |store| store.config_since(kiosk, since)).await?;
    let from = (Utc::now().with_timezone(&chrono::Local).date_naive())
        .checked_sub_days(chrono::Days::new(USAGE_DAYS))
        .unwrap_or(chrono::NaiveDate::MIN);
    let usage = blocking(&state, move |store| store.household_usage(kiosk, from)).await?;
    Ok(Json(PullResponse {
        version,
        config,
        usage: Some(usage),
        retention_months: Some(state.retention_months),
    }))
}

#[utoipa::path(
    get,
    path = "/openapi.json",
    summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1"))
)]
async fn openapi() -> Json<serde_json::Value> {
    Json(super::openapi::document())
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
