//! Every way a web page can fail, answered as an HTML page in the reader's language — in one place.
//!
//! Handlers and extractors return [`WebError`]. Its `IntoResponse` picks the status and marks the
//! response with a [`WebFailure`]; the [`render_errors`] middleware, which knows the request's
//! language, turns every marked response into the error page. Internal failures are logged with
//! their detail and shown as a bare "something went wrong": no database message reaches a browser.
//! A full disk is not a bug but a state staff can fix: it answers 503 with `Retry-After` (as the
//! kiosk API does) and a page saying nothing was saved and to try again once space is freed.
//! (The JSON API keeps its own [`crate::hub::HubError`].)

use askama::Template;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use thiserror::Error;

use super::i18n::{Lang, t};
use super::session::request_lang;
use crate::hub::error::STORAGE_FULL_RETRY_AFTER_S;
use crate::hub::store::HubStoreError;

#[derive(Debug, Error)]
pub enum WebError {
    #[error("log in first")]
    LoginRequired { next: String },
    #[error("this role may not use this page")]
    Forbidden,
    #[error("the form's CSRF token is missing or wrong")]
    CsrfRefused,
    #[error("no such page")]
    NotFound,
    #[error("the form could not be read: {0}")]
    BadForm(String),
    #[error("too many login attempts from this address: retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("every password-hashing slot is taken: retry in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] HubStoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<tokio::task::JoinError> for WebError {
    fn from(error: tokio::task::JoinError) -> Self {
        WebError::Internal(format!("a storage task failed: {error}"))
    }
}

/// What the error page says: a status, two message ids, and when to come back (`Retry-After`).
#[derive(Debug, Clone, Copy)]
pub struct WebFailure {
    status: StatusCode,
    title: &'static str,
    explanation: &'static str,
    retry_after_secs: Option<u64>,
}

impl WebError {
    fn failure(&self) -> WebFailure {
        let (status, title, explanation) = match self {
            WebError::LoginRequired { .. } => (
                StatusCode::UNAUTHORIZED,
                "hub-error-login-title",
                "hub-error-login-text",
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "hub-error-forbidden-title",
                "hub-error-forbidden-text",
            ),
            WebError::CsrfRefused => (
                StatusCode::FORBIDDEN,
                "hub-error-csrf-title",
                "hub-error-csrf-text",
            ),
            WebError::NotFound | WebError::Store(HubStoreError::NotFound(_)) => (
                StatusCode::NOT_FOUND,
                "hub-error-not-found-title",
                "hub-error-not-found-text",
            ),
            WebError::BadForm(_) => (
                StatusCode::BAD_REQUEST,
                "hub-error-bad-form-title",
                "hub-error-bad-form-text",
            ),
            WebError::TooManyAttempts { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "hub-error-too-many-title",
                "hub-error-too-many-text",
            ),
            WebError::Busy { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "hub-error-busy-title",
                "hub-error-busy-text",
            ),
            WebError::Store(error) if error.is_disk_full() => (
                StatusCode::SERVICE_UNAVAILABLE,
                "hub-error-disk-full-title",
                "hub-error-disk-full-text",
            ),
            WebError::Store(_) | WebError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "hub-error-internal-title",
                "hub-error-internal-text",
            ),
        };
        let retry_after_secs = match self {
            WebError::TooManyAttempts { retry_after_secs }
            | WebError::Busy { retry_after_secs } => Some(*retry_after_secs),
            WebError::Store(error) if error.is_disk_full() => {
                Some(u64::from(STORAGE_FULL_RETRY_AFTER_S))
            }
            _ => None,
        };
        WebFailure {
            status,
            title,
            explanation,
            retry_after_secs,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::LoginRequired { next } = &self {
            let target = format!("/login?next={}", super::url_encode(next));
            return (StatusCode::SEE_OTHER, [(LOCATION, target)]).into_response();
        }
        let failure = self.failure();
        if failure.status.is_server_error() {
            tracing::error!(error = %self, "web request failed");
        } else {
            tracing::info!(status = failure.status.as_u16(), error = %self, "web request refused");
        }
        let mut response = failure.status.into_response();
        if let Some(secs) = failure.retry_after_secs {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(failure);
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    lang: Lang,
    title: String,
    explanation: String,
    home: String,
}

impl ErrorPage {
    fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }
}

/// Renders every response marked with a [`WebFailure`] as the error page.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = request_lang(request.headers());
    let response = next.run(request).await;
    let Some(failure) = response.extensions().get::<WebFailure>().copied() else {
        return response;
    };
    let page = ErrorPage {
        lang,
        title: t(lang, failure.title),
        explanation: t(lang, failure.explanation),
        home: t(lang, "hub-error-home"),
    };
    let html = page.render().unwrap_or_else(|_| failure.status.to_string());
    let mut page = (
        failure.status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response();
    if let Some(secs) = failure.retry_after_secs {
        page.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    page
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use axum::http::header::ACCEPT_LANGUAGE;
    use axum::routing::post;
    use tower::ServiceExt;

    use super::*;

    fn full_disk() -> WebError {
        WebError::Store(HubStoreError::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full in /srv/hub.db".into()),
        )))
    }

    /// A form post whose write fails as `error` does, answered through the error page.
    async fn answer(error: fn() -> WebError, lang: &str) -> (StatusCode, Option<String>, String) {
        let app = Router::new()
            .route("/save", post(move || async move { Err::<(), _>(error()) }))
            .layer(axum::middleware::from_fn(render_errors));
        let request = Request::post("/save")
            .header(ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .expect("request");
        let response = app.oneshot(request).await.expect("answer");
        let status = response.status();
        let retry = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = to_bytes(response.into_body(), 1 << 20).await.expect("body");
        (status, retry, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_full_disk_is_a_503_page_saying_nothing_was_saved() {
        let (status, retry, page) = answer(full_disk, "fr-CA").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            retry.as_deref(),
            Some(STORAGE_FULL_RETRY_AFTER_S.to_string().as_str())
        );
        for words in [
            "Le disque du hub est plein",
            "rien n’a été enregistré",
            "libéré de l’espace",
        ] {
            assert!(page.contains(words), "{words}: {page}");
        }
        assert!(!page.contains("/srv/hub.db"), "no database detail: {page}");
        let (_, _, page) = answer(full_disk, "en-CA").await;
        assert!(page.contains("disk is full: nothing was saved"), "{page}");
    }

    #[tokio::test]
    async fn other_storage_failures_stay_a_bare_500() {
        let io = || {
            WebError::Store(HubStoreError::Sql(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
                None,
            )))
        };
        let (status, retry, page) = answer(io, "fr-CA").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(retry, None);
        assert!(page.contains("Un problème est survenu"), "{page}");
    }
}
