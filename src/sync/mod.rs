//! The kiosk's side of sync with the hub: enrolment, the HTTP client, and the background worker
//! that pushes the event log and pulls the configuration.
//!
//! - [`client`]: [`HubClient`], one method per API call, errors typed as [`SyncError`].
//! - [`worker`]: [`SyncHandle::start`] runs the worker on its own thread with its own tokio runtime
//!   and its own database connection; the UI only sends commands and reads a [`SyncStatus`].
//! - [`enrol()`]: trades an enrolment code for a token and records it (used by
//!   `congelo-kiosk enrol` and by staff scanning the hub's QR code through [`SyncHandle::enrol`]).
//! - [`health`]: what the kiosk reports with each push.
//!
//! The decisions (what to push next, when to retry) are pure functions in
//! [`crate::domain::sync_plan`]; the wire types are [`crate::domain::sync`], shared with the hub.

pub mod client;
mod enrol;
pub mod health;
pub mod worker;

use thiserror::Error;

use crate::domain::codes::PayloadError;
use crate::domain::sync::{ApiError, ApiErrorCode};
use crate::store::StoreError;

pub use client::HubClient;
pub use enrol::{Enrolment, enrol, enrol_async};
pub use worker::{SyncHandle, SyncOptions, SyncState, SyncStatus};

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this kiosk is not enrolled with a hub yet")]
    NotEnrolled,
    #[error("the hub address «{0}» is not an http:// or https:// URL")]
    BadUrl(String),
    #[error("this is not an enrolment code: {0}")]
    BadCode(#[from] PayloadError),
    #[error("this is a Congélo code, but not an enrolment code")]
    NotAnEnrolmentCode,
    #[error("the hub cannot be reached: {0}")]
    Network(String),
    #[error("the hub refused ({status}): {}", .body.message)]
    Hub {
        status: u16,
        body: ApiError,
        /// How long the hub asked to wait before trying again (its `Retry-After`, in seconds).
        retry_after: Option<std::time::Duration>,
    },
    #[error("the hub's answer was not understood: {0}")]
    Protocol(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the sync worker has stopped")]
    Stopped,
}

impl SyncError {
    /// Whether trying again later may succeed on its own. A network failure, a hub error (5xx), a
    /// timeout or a garbled answer may; a refused token or code, a conflict, or a local database
    /// error need a person. (The worker retries everything with backoff anyway: this is for
    /// telling staff how worried to be.)
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Network(_) | SyncError::Protocol(_) => true,
            SyncError::Hub { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }

    /// How long the hub asked the kiosk to wait before sending again, if it did.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            SyncError::Hub { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The hub's error code, when the hub answered with one.
    pub fn hub_code(&self) -> Option<&ApiErrorCode> {
        match self {
            SyncError::Hub { body, .. } => Some(&body.error),
            _ => None,
        }
    }
}

/// Makes rustls use the `ring` provider in this process (idempotent). [`HubClient::new`] calls it.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
