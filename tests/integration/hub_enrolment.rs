//! Enrolment codes (once, unknown, expired, not an enrolment code), token revocation and
//! re-enrolment, health and clock flags at a push, and configuration pulls.

use chrono::{DateTime, Utc};
use congelo::domain::sync::PushRequest;
use congelo::hub::admin::cli_audit as cli;
use congelo::hub::store::SiteStore;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::hub_api::{Api, health};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_codes_work_once_and_tokens_can_be_revoked() {
    let api = Api::start().await;
    let (kiosk, code) = api.hub.add_kiosk("Kiosque C");
    let enrol = |code: String| {
        let api = &api;
        async move {
            api.json(Method::POST, "/enrol", None, json!({ "code": code }))
                .await
        }
    };
    let (status, first) = enrol(code.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = enrol(code.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("enrolment_code_used"))
    );
    let unknown = congelo::hub::secrets::new_enrolment_code().unwrap().0;
    let (status, body) = enrol(unknown).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unknown_enrolment_code"))
    );
    let card = api.hub.seeded.cards[0].1.encode();
    let (status, body) = enrol(card).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_code"))
    );
    // An expired code.
    let (expired, hash) = congelo::hub::secrets::new_enrolment_code().unwrap();
    let long_ago = Utc::now() - chrono::Duration::days(30);
    api.hub
        .store
        .new_kiosk_code(
            kiosk,
            &congelo::hub::store::NewCode {
                hash,
                created_at: long_ago,
                expires_at: long_ago,
            },
            &cli("kiosk.code"),
        )
        .unwrap();
    let (status, body) = enrol(expired).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::GONE, Some("enrolment_code_expired"))
    );
    // The token works for its kiosk until revoked.
    let me = (kiosk, first["token"].as_str().unwrap().to_owned());
    assert_eq!(api.push(&me, vec![]).await.0, StatusCode::OK);
    let revoked = api
        .hub
        .store
        .revoke_kiosk_tokens(kiosk, Utc::now(), &cli("kiosk.revoke"));
    assert_eq!(revoked.unwrap(), 1);
    let (status, body) = api.push(&me, vec![]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
    // A new code for the same kiosk gives a new token.
    let (again, hash) = congelo::hub::secrets::new_enrolment_code().unwrap();
    let now = Utc::now();
    api.hub
        .store
        .new_kiosk_code(
            kiosk,
            &congelo::hub::store::NewCode {
                hash,
                created_at: now,
                expires_at: now + chrono::Duration::hours(1),
            },
            &cli("kiosk.code"),
        )
        .unwrap();
    let (status, body) = enrol(again).await;
    assert_eq!((status, &body["kiosk"]), (StatusCode::OK, &json!(kiosk.0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_records_health_and_flags_an_implausible_clock() {
    let api = Api::start().await;
    let a = &api.a;
    let body = serde_json::to_value(PushRequest {
        health: health(DateTime::UNIX_EPOCH),
        events: vec![],
    })
    .unwrap();
    let (status, answer) = api
        .json(
            Method::POST,
            &format!("/kiosks/{}/events", a.0),
            Some(&a.1),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["clock_suspect"], true);
    assert!(answer["clock_offset_ms"].as_i64().unwrap() < -1_000_000_000);
    let kiosks = api.hub.store.kiosks().unwrap();
    let mine = kiosks.iter().find(|k| k.kiosk.id == a.0.0).unwrap();
    assert!(mine.clock_suspect && mine.enrolled && mine.last_contact.is_some());
    assert_eq!((mine.pending, mine.millicelsius), (Some(3), Some(-18_500)));
    let (_, answer) = api.push(a, vec![]).await;
    assert_eq!(answer["clock_suspect"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configuration_is_sent_only_when_newer() {
    let api = Api::start().await;
    let a = &api.a;
    let path = format!("/kiosks/{}/config?since=0", a.0);
    let (status, body) = api.raw(Method::GET, &path, Some(&a.1), None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let version = body["version"].as_u64().unwrap();
    assert_eq!(body["config"]["products"].as_array().unwrap().len(), 20);
    assert_eq!(body["config"]["cards"].as_array().unwrap().len(), 3);
    assert_eq!(
        body["config"]["payment_methods"].as_array().unwrap().len(),
        4
    );
    let path = format!("/kiosks/{}/config?since={version}", a.0);
    let (_, body) = api.raw(Method::GET, &path, Some(&a.1), None, vec![]).await;
    assert_eq!(
        (body["version"].as_u64(), &body["config"]),
        (Some(version), &Value::Null)
    );
    let (status, body) = api
        .raw(Method::GET, "/openapi.json", None, None, vec![])
        .await;
    assert_eq!(
        (status, body["openapi"].as_str()),
        (StatusCode::OK, Some("3.1.0"))
    );
}
