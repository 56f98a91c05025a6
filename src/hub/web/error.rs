//! Every way a web page can fail, answered as an HTML page in the reader's language — in one place.
//!
//! Handlers and extractors return [`WebError`]. Its `IntoResponse` picks the status and marks the
//! response with a [`WebFailure`]; the [`render_errors`] middleware, which knows the request's
//! language, turns every marked response into the error page. Internal failures are logged with
//! their detail and shown as a bare "something went wrong": no database message reaches a browser.
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
            WebError::Store(_) | WebError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "hub-error-internal-title",
                "hub-error-internal-text",
            ),
        };
        let retry_after_secs = match self {
            WebError::TooManyAttempts { retry_after_secs }
            | WebError::Busy { retry_after_secs } => Some(*retry_after_secs),
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
