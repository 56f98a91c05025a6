//! The OpenAPI 3.1 document of the kiosk API, served at `/api/v1/openapi.json`.
//!
//! Generated with `utoipa`: the schemas are derived from the wire types themselves
//! (`crate::domain::sync`, `event`, `config` and what they hold; `ToSchema` is derived with the
//! `hub` feature only), the operations from the `#[utoipa::path]` attribute on each handler in
//! [`super::api`]. A test below sends every HTTP method to every route the API's router serves
//! and fails when one that is answered is not described here.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;
use crate::domain::sync::{
    ApiError, EnrolRequest, EnrolResponse, KioskHealth, PullResponse, PushRequest, PushResponse,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Congélo hub — kiosk API",
        version = "1",
        description = "Kiosks enrol once, push their event log in order (exactly once, idempotent \
            re-sends) and pull their configuration. Every error has the body \
            {\"error\": code, \"message\": text}.",
        license(name = "GPL-3.0-or-later", identifier = "GPL-3.0-or-later"),
    ),
    servers((url = "/api/v1")),
    paths(api::enrol, api::push, api::pull, api::photo, api::openapi),
    components(schemas(
        ApiError,
        EnrolRequest,
        EnrolResponse,
        KioskHealth,
        PushRequest,
        PushResponse,
        PullResponse
    )),
    modifiers(&KioskToken)
)]
struct KioskApi;

/// The bearer token a kiosk got at enrolment (`security(("kioskToken" = []))` on an operation).
struct KioskToken;

impl Modify for KioskToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "kioskToken",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document, as JSON.
pub fn document() -> serde_json::Value {
    serde_json::to_value(KioskApi::openapi()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use tower::ServiceExt;

    use crate::domain::sync::API_PREFIX;
    use crate::hub::api;
    use crate::hub::app::{self, HubState};
    use crate::hub::store::SqliteHubStore;

    const METHODS: [Method; 5] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];

    /// Every method the router answers on every API route (anything but 405) is an operation of
    /// the document, and every operation of the document is served.
    #[tokio::test]
    async fn every_route_of_the_api_is_described() {
        let dir = tempfile::tempdir().unwrap();
        let state = HubState {
            store: Arc::new(SqliteHubStore::open(&dir.path().join("hub.db")).unwrap()),
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(5),
            clock_tolerance: Duration::from_secs(300),
            web: Default::default(),
            retention_months: 13,
            clock: Arc::new(crate::clock::SystemClock::default()),
        };
        let router = app::router(state);
        let document = super::document();
        let paths = document["paths"].as_object().expect("paths");
        let routes: Vec<&str> = api::api_routes().into_iter().map(|(p, _)| p).collect();
        assert!(!routes.is_empty());
        for path in &routes {
            let uri = format!(
                "{API_PREFIX}{}",
                path.replace("{kiosk}", "1")
                    .replace("{sha256}", &"0".repeat(64))
            );
            for method in METHODS {
                let request = Request::builder()
                    .method(method.clone())
                    .uri(&uri)
                    .body(Body::empty())
                    .unwrap();
                let status = router.clone().oneshot(request).await.unwrap().status();
                assert_ne!(
                    status,
                    StatusCode::NOT_FOUND,
                    "{method} {uri} is not routed"
                );
                let described = paths
                    .get(*path)
                    .and_then(|item| item.get(method.as_str().to_lowercase()))
                    .is_some();
                let served = status != StatusCode::METHOD_NOT_ALLOWED;
                assert_eq!(
                    served, described,
                    "{method} {path}: served {served}, described {described}"
                );
            }
        }
        assert_eq!(
            paths.len(),
            routes.len(),
            "the document describes other paths"
        );
    }

    #[test]
    fn the_event_body_and_the_config_are_typed() {
        let document = super::document();
        let schemas = &document["components"]["schemas"];
        for name in [
            "Event",
            "EventBody",
            "KioskConfig",
            "Product",
            "Tier",
            "Sale",
            "ClockMark",
        ] {
            assert!(schemas[name].is_object(), "{name} is not in the document");
        }
        assert_eq!(document["openapi"], "3.1.0");
        assert!(document["components"]["securitySchemes"]["kioskToken"].is_object());
    }
}
