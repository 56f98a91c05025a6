//! The kiosk API under `/api/v1`: enrolment, push, pull, and its OpenAPI document.
//!
//! [`routes`] are nested in the hub's whole service by [`app::router`](super::app::router). Checks
//! run cheapest first and before anything is written: the token (from the headers, before
//! the body is read), then the body's JSON, then the batch's shape, and only then the database.
//! Storage calls block, so they run on tokio's blocking pool. Each handler carries its OpenAPI
//! description (`#[utoipa::path]`), gathered in [`super::openapi`].

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::app::HubState;
use super::error::HubError;
use super::secrets;
use super::store::{Contact, HubStore};
use crate::domain::KioskId;
use crate::domain::photo::PhotoHash;
use crate::domain::sync::{
    ApiError, EnrolRequest, EnrolResponse, PullResponse, PushRequest, PushResponse, USAGE_DAYS,
    check_batch, check_health, read_clock,
};

/// The kiosk API's routes; each is described in [`super::openapi`] (a test there checks it).
pub fn api_routes() -> Vec<(&'static str, MethodRouter<HubState>)> {
    vec![
        ("/enrol", post(enrol)),
        ("/kiosks/{kiosk}/events", post(push)),
        ("/kiosks/{kiosk}/config", get(pull)),
        ("/photos/{sha256}", get(photo)),
        ("/openapi.json", get(openapi)),
    ]
}

/// The kiosk API's routes as a router, nested under `/api/v1` by [`app::router`](super::app::router).
pub fn routes() -> Router<HubState> {
    api_routes()
        .into_iter()
        .fold(Router::new(), |api, (path, route)| api.route(path, route))
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
        let TokenKiosk(kiosk) = TokenKiosk::from_request_parts(parts, state).await?;
        if kiosk.0 != path_kiosk {
            return Err(HubError::WrongKiosk);
        }
        Ok(AuthorizedKiosk(kiosk))
    }
}

/// A kiosk whose token is valid, for routes that do not name a kiosk (what they serve is the
/// same for every kiosk).
pub struct TokenKiosk(pub KioskId);

impl FromRequestParts<HubState> for TokenKiosk {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, HubError> {
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
        Ok(TokenKiosk(kiosk))
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
    let now = state.clock.now();
    let kiosk = blocking(&state, move |store| store.enrol(&code, &token_hash, now)).await?;
    tracing::info!(%kiosk, "kiosk enrolled");
    Ok(Json(EnrolResponse {
        kiosk,
        token,
        hub_time: state.clock.now(),
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
    let received_at = state.clock.now();
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
        hub_time: state.clock.now(),
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
    let from = state
        .clock
        .today()
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
    path = "/photos/{sha256}",
    summary = "Download a product photo named in the configuration",
    description = "A square JPEG, named by the SHA-256 of its bytes (check it before keeping it). \
        A photo never changes under its name, so the answer may be cached for good.",
    security(("kioskToken" = [])),
    params(
        ("sha256" = String, Path, description = "The photo's SHA-256, 64 lowercase hexadecimal digits"),
    ),
    responses(
        (status = 200, content_type = "image/jpeg", body = Vec<u8>, description = "The photo's bytes"),
        (status = 401, body = ApiError, description = "missing_token, invalid_token (unknown or revoked)"),
        (status = 404, body = ApiError, description = "not_found: no photo has this name"),
    )
)]
async fn photo(
    State(state): State<HubState>,
    TokenKiosk(_): TokenKiosk,
    Path(sha256): Path<String>,
) -> Result<Response, HubError> {
    let hash = sha256
        .parse::<PhotoHash>()
        .map_err(|_| HubError::NotFound)?;
    let photo = blocking(&state, move |store| store.photo(&hash))
        .await?
        .ok_or(HubError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, photo.media_type),
            (
                CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
        ],
        photo.bytes,
    )
        .into_response())
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
