//! Enrolling a kiosk: trading the hub's one-time code for a token, recording it, and pulling the
//! first configuration.
//!
//! The code is checked locally first (its check character catches a misread without a network
//! round trip). The kiosk's existing log, demo or offline sales included, is then pushed under the
//! kiosk id the hub assigned: the hub files every event under the token's kiosk, whatever kiosk id
//! the event carries, because the log is append-only and is never rewritten.

use std::path::Path;

use super::SyncError;
use super::client::{ClientOptions, HubApi, HubClient, api_base};
use crate::domain::KioskId;
use crate::domain::codes::{Payload, PayloadKind};
use crate::store::{ConfigApplied, HubCredentials, KioskStore};

/// What an enrolment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub kiosk: KioskId,
    /// The configuration version applied right after, if the first pull succeeded.
    pub config_version: Option<u64>,
    /// Why the first pull failed (the worker will pull again); `None` when it succeeded.
    pub pull_error: Option<String>,
}

/// Checks that `code` is an enrolment code, without the network.
pub fn check_code(code: &str) -> Result<(), SyncError> {
    let payload = Payload::decode(code.trim())?;
    if payload.kind != PayloadKind::Enrolment {
        return Err(SyncError::NotAnEnrolmentCode);
    }
    Ok(())
}

/// Enrols the kiosk whose database is at `database` with the hub at `hub_url`. Blocking: runs its
/// own small tokio runtime. Never call it from the UI thread (use [`super::SyncHandle::enrol`]).
pub fn enrol(database: &Path, hub_url: &str, code: &str) -> Result<Enrolment, SyncError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SyncError::Network(format!("cannot start a runtime: {e}")))?;
    let mut store = KioskStore::open(database)?;
    let client = HubClient::new(ClientOptions::default())?;
    runtime.block_on(enrol_async(&mut store, &client, hub_url, code))
}

/// Enrols with an open store and client (the worker's, or [`enrol`]'s).
pub async fn enrol_async(
    store: &mut KioskStore,
    client: &impl HubApi,
    hub_url: &str,
    code: &str,
) -> Result<Enrolment, SyncError> {
    check_code(code)?;
    api_base(hub_url)?;
    let answer = client.enrol(hub_url, code).await?;
    let credentials = HubCredentials {
        url: hub_url.trim().trim_end_matches('/').to_owned(),
        token: answer.token.clone(),
    };
    store.record_enrolment(answer.kiosk, &credentials)?;
    tracing::info!(kiosk = %answer.kiosk, "enrolled with the hub");
    let (config_version, pull_error) =
        match first_pull(store, client, &credentials, answer.kiosk).await {
            Ok(version) => (version, None),
            Err(error) => (None, Some(error.to_string())),
        };
    Ok(Enrolment {
        kiosk: answer.kiosk,
        config_version,
        pull_error,
    })
}

async fn first_pull(
    store: &mut KioskStore,
    client: &impl HubApi,
    credentials: &HubCredentials,
    kiosk: KioskId,
) -> Result<Option<u64>, SyncError> {
    let since = store.config_version()?.unwrap_or(0);
    let answer = client.pull(credentials, kiosk, since).await?;
    match answer.config {
        Some(config) => match store.apply_config(&config)? {
            ConfigApplied::Applied { version } | ConfigApplied::AlreadyCurrent { version } => {
                Ok(Some(version))
            }
        },
        None => Ok(store.config_version()?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_enrolment_codes_pass_the_local_check() {
        let enrolment = crate::entropy::new_payload(PayloadKind::Enrolment).unwrap();
        assert!(check_code(&enrolment.encode()).is_ok());
        let card = crate::entropy::new_payload(PayloadKind::Card).unwrap();
        assert!(matches!(
            check_code(&card.encode()),
            Err(SyncError::NotAnEnrolmentCode)
        ));
        assert!(matches!(check_code("CGE1XYZ"), Err(SyncError::BadCode(_))));
    }
}
