//! The kiosk's HTTP client for the hub: one method per call of the kiosk API.
//!
//! Every answer is read as the shared wire types; a refusal becomes [`SyncError::Hub`] with the
//! hub's JSON error body, a transport failure [`SyncError::Network`]. The client holds no
//! credentials: the worker reads them from the kiosk's database for each round, so an enrolment
//! made while it runs is picked up at the next round.

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::{SyncError, install_crypto_provider};
use crate::domain::KioskId;
use crate::domain::photo::PhotoHash;
use crate::domain::sync::{
    API_PREFIX, ApiError, ApiErrorCode, EnrolRequest, EnrolResponse, PullResponse, PushRequest,
    PushResponse,
};
use crate::store::HubCredentials;

/// The calls the sync worker makes, as a trait so the worker's scheduling can be tested against a
/// scripted hub with paused time. [`HubClient`] is the real one.
#[allow(async_fn_in_trait)] // used on the worker's own single-threaded runtime: no Send needed
pub trait HubApi {
    async fn enrol(&self, hub_url: &str, code: &str) -> Result<EnrolResponse, SyncError>;
    async fn push(
        &self,
        credentials: &HubCredentials,
        kiosk: KioskId,
        push: &PushRequest,
    ) -> Result<PushResponse, SyncError>;
    async fn pull(
        &self,
        credentials: &HubCredentials,
        kiosk: KioskId,
        since: u64,
    ) -> Result<PullResponse, SyncError>;
    /// The bytes of the photo `hash` (not checked here: the cache checks them).
    async fn photo(
        &self,
        credentials: &HubCredentials,
        hash: &PhotoHash,
    ) -> Result<Vec<u8>, SyncError> {
        let _ = (credentials, hash);
        Err(SyncError::Protocol("this hub serves no photos".into()))
    }
}

impl HubApi for HubClient {
    async fn enrol(&self, hub_url: &str, code: &str) -> Result<EnrolResponse, SyncError> {
        HubClient::enrol(self, hub_url, code).await
    }

    async fn push(
        &self,
        credentials: &HubCredentials,
        kiosk: KioskId,
        push: &PushRequest,
    ) -> Result<PushResponse, SyncError> {
        HubClient::push(self, credentials, kiosk, push).await
    }

    async fn pull(
        &self,
        credentials: &HubCredentials,
        kiosk: KioskId,
        since: u64,
    ) -> Result<PullResponse, SyncError> {
        HubClient::pull(self, credentials, kiosk, since).await
    }

    async fn photo(
        &self,
        credentials: &HubCredentials,
        hash: &PhotoHash,
    ) -> Result<Vec<u8>, SyncError> {
        HubClient::photo(self, credentials, hash).await
    }
}

/// An HTTP client for any hub (the URL comes with each call).
#[derive(Debug, Clone)]
pub struct HubClient {
    http: reqwest::Client,
}

/// How the client talks HTTP.
#[derive(Debug, Clone, Copy)]
pub struct ClientOptions {
    /// Longest a whole request may take.
    pub timeout: Duration,
    /// Whether to keep connections open between requests (tests turn it off so that each request
    /// opens its own connection through a fault-injecting proxy).
    pub reuse_connections: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            reuse_connections: true,
        }
    }
}

/// The API base of a hub URL, checked: `https://hub.example/` → `https://hub.example/api/v1`.
pub fn api_base(hub_url: &str) -> Result<String, SyncError> {
    let parsed =
        url::Url::parse(hub_url.trim()).map_err(|_| SyncError::BadUrl(hub_url.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(SyncError::BadUrl(hub_url.to_owned()));
    }
    Ok(format!(
        "{}{API_PREFIX}",
        parsed.as_str().trim_end_matches('/')
    ))
}

impl HubClient {
    pub fn new(options: ClientOptions) -> Result<HubClient, SyncError> {
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("congelo-kiosk/", env!("CARGO_PKG_VERSION")));
        if !options.reuse_connections {
            builder = builder.pool_max_idle_per_host(0);
        }
        let http = builder
            .build()
            .map_err(|e| SyncError::Network(format!("cannot build the HTTP client: {e}")))?;
        Ok(HubClient { http })
    }

    /// `POST /enrol`.
    pub async fn enrol(&self, hub_url: &str, code: &str) -> Result<EnrolResponse, SyncError> {
        let url = format!("{}/enrol", api_base(hub_url)?);
        let request = self.http.post(url).json(&EnrolRequest {
            code: code.trim().to_owned(),
        });
        read(request.send().await).await
    }

    /// `POST /kiosks/{id}/events`.
    pub async fn push(
        &self,
        credentials: &HubCredentials,
        kiosk: KioskId,
        push: &PushRequest,
    ) -> Result<PushResponse, SyncError> {
        let url = format!("{}/kiosks/{kiosk}/events", api_base(&credentials.url)?);
        let request = self
            .http
            .post(url)
            .bearer_auth(&credentials.token)
            .json(push);
        read(request.send().await).await
    }

    /// `GET /kiosks/{id}/config?since=N`.
    pub async fn pull(
        &self,
        credentials: &HubCredentials,
        kiosk: KioskId,
        since: u64,
    ) -> Result<PullResponse, SyncError> {
        let url = format!(
            "{}/kiosks/{kiosk}/config?since={since}",
            api_base(&credentials.url)?
        );
        let request = self.http.get(url).bearer_auth(&credentials.token);
        read(request.send().await).await
    }
}

impl HubClient {
    /// `GET /photos/{sha256}`: the photo's bytes, at most [`MAX_PHOTO_BYTES`].
    pub async fn photo(
        &self,
        credentials: &HubCredentials,
        hash: &PhotoHash,
    ) -> Result<Vec<u8>, SyncError> {
        let url = format!("{}/photos/{hash}", api_base(&credentials.url)?);
        let response = self
            .http
            .get(url)
            .bearer_auth(&credentials.token)
            .send()
            .await
            .map_err(|e| SyncError::Network(describe(&e)))?;
        if response.status() != StatusCode::OK {
            return read::<()>(Ok(response)).await.map(|()| Vec::new());
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_PHOTO_BYTES as u64)
        {
            return Err(SyncError::Protocol(format!("photo {hash} is too large")));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| SyncError::Network(describe(&e)))?;
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(SyncError::Protocol(format!("photo {hash} is too large")));
        }
        Ok(bytes.to_vec())
    }
}

/// The largest photo a kiosk accepts (the hub's are a few tens of kilobytes).
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

async fn read<T: DeserializeOwned>(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, SyncError> {
    let response = sent.map_err(|e| SyncError::Network(describe(&e)))?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let bytes = response
        .bytes()
        .await
        .map_err(|e| SyncError::Network(describe(&e)))?;
    if status == StatusCode::OK {
        return serde_json::from_slice(&bytes).map_err(|e| SyncError::Protocol(e.to_string()));
    }
    let body = serde_json::from_slice::<ApiError>(&bytes).unwrap_or_else(|_| ApiError {
        error: ApiErrorCode::Unexpected,
        message: format!("HTTP {status} without a Congélo error body"),
        acked_through: None,
    });
    Err(SyncError::Hub {
        status: status.as_u16(),
        body,
        retry_after,
    })
}

/// reqwest's top-level message hides the cause ("error sending request"); staff need it.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("http://127.0.0.1:8470", Ok("http://127.0.0.1:8470/api/v1"))]
    #[case("https://hub.example/", Ok("https://hub.example/api/v1"))]
    #[case(
        "https://hub.example/congelo/",
        Ok("https://hub.example/congelo/api/v1")
    )]
    #[case("ftp://hub.example", Err(()))]
    #[case("hub.example", Err(()))]
    #[case("", Err(()))]
    fn hub_urls_are_checked(#[case] url: &str, #[case] expected: Result<&str, ()>) {
        assert_eq!(api_base(url).map_err(|_| ()), expected.map(str::to_owned));
    }
}
