//! Every way a hub request can fail, mapped to HTTP in one place.
//!
//! Handlers return `Result<_, HubError>`; [`HubError`]'s `IntoResponse` picks the status and the
//! stable error code of the JSON body (`{"error": "...", "message": "..."}`). Client mistakes get a
//! 4xx with a sentence that helps; internal failures are logged with their detail and answered with
//! a bare 500, so a database message never leaks to the network.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thiserror::Error;

use super::store::HubStoreError;
use crate::domain::Seq;
use crate::domain::sync::{ApiError, ApiErrorCode, BatchError};

/// What a refused writer is told when the hub's disk is full (the detail goes to the log only).
const STORAGE_FULL_MESSAGE: &str =
    "the hub's disk is full: nothing was stored; send again later (staff: free space on the hub)";

/// Seconds a kiosk is asked to wait before sending again to a hub whose disk is full.
pub const STORAGE_FULL_RETRY_AFTER_S: u32 = 30;

#[derive(Debug, Error)]
pub enum HubError {
    #[error("{message}")]
    BadJson { status: StatusCode, message: String },
    #[error("the request body is larger than the hub accepts")]
    BodyTooLarge,
    #[error("{0}")]
    BadPath(String),
    #[error("{0}")]
    BadQuery(String),
    #[error("{0}")]
    BadBatch(#[from] BatchError),
    #[error("{0}")]
    BadCode(String),
    #[error("send the kiosk token as `Authorization: Bearer <token>`")]
    MissingToken,
    #[error("this token is not valid (unknown or revoked): enrol the kiosk again")]
    InvalidToken,
    #[error("this token belongs to another kiosk")]
    WrongKiosk,
    #[error("no such route")]
    NotFound,
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    #[error("the request took too long")]
    Timeout,
    #[error(transparent)]
    Store(#[from] HubStoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<JsonRejection> for HubError {
    fn from(rejection: JsonRejection) -> Self {
        HubError::BadJson {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

impl From<PathRejection> for HubError {
    fn from(rejection: PathRejection) -> Self {
        HubError::BadPath(rejection.body_text())
    }
}

impl From<QueryRejection> for HubError {
    fn from(rejection: QueryRejection) -> Self {
        HubError::BadQuery(rejection.body_text())
    }
}

impl From<tokio::task::JoinError> for HubError {
    fn from(error: tokio::task::JoinError) -> Self {
        HubError::Internal(format!("a storage task failed: {error}"))
    }
}

impl HubError {
    /// The status and the stable code of the error body.
    fn status_and_code(&self) -> (StatusCode, ApiErrorCode) {
        use ApiErrorCode as C;
        use HubStoreError as S;
        match self {
            HubError::BadJson { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => {
                (*status, C::BodyTooLarge)
            }
            HubError::BadJson { status, .. } if *status == StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                (*status, C::UnsupportedMediaType)
            }
            HubError::BadJson { status, .. } if *status == StatusCode::UNPROCESSABLE_ENTITY => {
                (*status, C::InvalidBody)
            }
            HubError::BadJson { status, .. } if status.is_client_error() => {
                (StatusCode::BAD_REQUEST, C::MalformedJson)
            }
            HubError::BadJson { .. } => (StatusCode::BAD_REQUEST, C::MalformedJson),
            HubError::BodyTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, C::BodyTooLarge),
            HubError::BadPath(_) => (StatusCode::BAD_REQUEST, C::BadPath),
            HubError::BadQuery(_) => (StatusCode::BAD_REQUEST, C::BadQuery),
            HubError::BadBatch(BatchError::TooLarge(_)) => {
                (StatusCode::PAYLOAD_TOO_LARGE, C::BatchTooLarge)
            }
            HubError::BadBatch(_) => (StatusCode::UNPROCESSABLE_ENTITY, C::InvalidBatch),
            HubError::BadCode(_) => (StatusCode::UNPROCESSABLE_ENTITY, C::InvalidCode),
            HubError::MissingToken => (StatusCode::UNAUTHORIZED, C::MissingToken),
            HubError::InvalidToken => (StatusCode::UNAUTHORIZED, C::InvalidToken),
            HubError::WrongKiosk => (StatusCode::FORBIDDEN, C::WrongKiosk),
            HubError::NotFound => (StatusCode::NOT_FOUND, C::NotFound),
            HubError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, C::MethodNotAllowed),
            HubError::Timeout => (StatusCode::REQUEST_TIMEOUT, C::Timeout),
            HubError::Store(S::UnknownCode) => (StatusCode::UNAUTHORIZED, C::UnknownEnrolmentCode),
            HubError::Store(S::CodeUsed) => (StatusCode::CONFLICT, C::EnrolmentCodeUsed),
            HubError::Store(S::CodeExpired) => (StatusCode::GONE, C::EnrolmentCodeExpired),
            HubError::Store(S::SeqGap { .. }) => (StatusCode::CONFLICT, C::SeqGap),
            HubError::Store(S::SeqConflict(_)) => (StatusCode::CONFLICT, C::SeqConflict),
            HubError::Store(S::NotFound(_)) => (StatusCode::NOT_FOUND, C::NotFound),
            HubError::Store(e) if e.is_disk_full() => {
                (StatusCode::SERVICE_UNAVAILABLE, C::StorageFull)
            }
            HubError::Store(_) | HubError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, C::Internal)
            }
        }
    }

    /// On a gap, what the hub holds, so the kiosk can re-send from there.
    fn held(&self) -> Option<Seq> {
        match self {
            HubError::Store(HubStoreError::SeqGap { held, .. }) => Some(*held),
            _ => None,
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let full = code == ApiErrorCode::StorageFull;
        let message = if full {
            tracing::error!(error = %self, "the hub's disk is full: requests are refused until room is made");
            STORAGE_FULL_MESSAGE.to_owned()
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "the hub could not handle this request; it was logged".to_owned()
        } else {
            if matches!(self, HubError::Store(HubStoreError::SeqConflict(_))) {
                tracing::warn!(error = %self, "refused a re-sent event whose content changed");
            } else {
                tracing::info!(status = status.as_u16(), ?code, error = %self, "request refused");
            }
            self.to_string()
        };
        let body = ApiError {
            error: code,
            message,
            acked_through: self.held(),
        };
        let mut response = (status, Json(body)).into_response();
        if full {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(STORAGE_FULL_RETRY_AFTER_S),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_body() {
        let error = HubError::Store(HubStoreError::Corrupt("table sales is on fire".into()));
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_full_disk_is_a_503_with_retry_advice_and_no_internals() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full in /srv/hub.db".into()),
        );
        let error = HubError::Store(HubStoreError::Sql(full));
        assert_eq!(
            error.status_and_code(),
            (StatusCode::SERVICE_UNAVAILABLE, ApiErrorCode::StorageFull)
        );
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers()[axum::http::header::RETRY_AFTER],
            STORAGE_FULL_RETRY_AFTER_S.to_string().as_str()
        );
        let other = HubError::Store(HubStoreError::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
            None,
        )));
        assert_eq!(other.status_and_code().0, StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn gaps_carry_what_the_hub_holds() {
        let error = HubError::Store(HubStoreError::SeqGap {
            held: Seq(4),
            offered: Seq(9),
        });
        assert_eq!(error.held(), Some(Seq(4)));
        assert_eq!(
            error.status_and_code(),
            (StatusCode::CONFLICT, ApiErrorCode::SeqGap)
        );
    }
}
