//! The kiosk API against bad requests: every one gets the right 4xx with a JSON error body, and
//! changes nothing the hub stores; replays are harmless and conflicts are refused.

use chrono::{DateTime, Utc};
use congelo::domain::event::{Alarm, AlarmKind, Event, EventBody};
use congelo::domain::sync::{KioskHealth, PushRequest};
use congelo::domain::{EventId, KioskId, Seq};
use congelo::hub::store::{KioskApiStore, SiteStore};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::hub::TestHub;

pub(crate) struct Api {
    pub hub: TestHub,
    http: reqwest::Client,
    /// (kiosk, token) of two enrolled kiosks.
    pub a: (KioskId, String),
    pub b: (KioskId, String),
}

impl Api {
    pub(crate) async fn start() -> Api {
        let hub = tokio::task::spawn_blocking(TestHub::start).await.unwrap();
        congelo::sync::install_crypto_provider();
        let http = reqwest::Client::new();
        let mut api = Api {
            hub,
            http,
            a: (KioskId(0), String::new()),
            b: (KioskId(0), String::new()),
        };
        api.a = api.enrol_new("Kiosque A").await;
        api.b = api.enrol_new("Kiosque B").await;
        api
    }

    pub(crate) async fn enrol_new(&self, name: &str) -> (KioskId, String) {
        let (kiosk, code) = self.hub.add_kiosk(name);
        let (status, body) = self
            .json(Method::POST, "/enrol", None, json!({ "code": code }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["kiosk"], kiosk.0);
        (kiosk, body["token"].as_str().unwrap().to_owned())
    }

    pub(crate) async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, format!("{}/api/v1{path}", self.hub.url))
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let text = response.text().await.unwrap();
        assert_eq!(
            content_type.as_deref(),
            Some("application/json"),
            "{status}: {text}"
        );
        (status, serde_json::from_str(&text).unwrap())
    }

    pub(crate) async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        let bytes = serde_json::to_vec(&body).unwrap();
        self.raw(method, path, token, Some("application/json"), bytes)
            .await
    }

    pub(crate) async fn push(
        &self,
        who: &(KioskId, String),
        events: Vec<Event>,
    ) -> (StatusCode, Value) {
        let body = serde_json::to_value(PushRequest {
            health: health(Utc::now()),
            events,
        })
        .unwrap();
        let path = format!("/kiosks/{}/events", who.0);
        self.json(Method::POST, &path, Some(&who.1), body).await
    }

    /// Everything a bad request must leave alone.
    pub(crate) async fn digest(&self) -> String {
        let store = self.hub.store.clone();
        let (a, b) = (self.a.0, self.b.0);
        tokio::task::spawn_blocking(move || {
            format!(
                "{:?} {:?} {:?} {:?}",
                store.event_count(a).unwrap(),
                store.event_count(b).unwrap(),
                store.line_totals().unwrap(),
                store.kiosks().unwrap()
            )
        })
        .await
        .unwrap()
    }
}

pub(crate) fn health(clock: DateTime<Utc>) -> KioskHealth {
    KioskHealth {
        version: "test".into(),
        uptime_s: 5,
        pending: 3,
        disk_free_bytes: Some(1 << 30),
        last_millicelsius: Some(-18_500),
        clock,
    }
}

pub(crate) fn alarm(kiosk: KioskId, seq: u64, peak: i32) -> Event {
    Event {
        id: EventId(uuid::Uuid::now_v7()),
        kiosk,
        seq: Seq(seq),
        at: Utc::now(),
        clock: None,
        body: EventBody::Alarm(Alarm {
            kind: AlarmKind::ColdChain,
            raised: true,
            at: Utc::now(),
            lots: vec!["L1".into()],
            peak_millicelsius: Some(peak),
        }),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_request_gets_a_json_4xx_and_changes_nothing() {
    let api = Api::start().await;
    let (a, b) = (&api.a, &api.b);
    // A first good push so there is something to disturb.
    let (status, _) = api
        .push(a, vec![alarm(a.0, 1, -5_000), alarm(a.0, 2, -4_000)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let before = api.digest().await;
    let events_a = format!("/kiosks/{}/events", a.0);
    let config_a = format!("/kiosks/{}/config", a.0);
    let json = Some("application/json");
    let (token_a, token_b) = (Some(a.1.as_str()), Some(b.1.as_str()));
    let push = |events: Vec<Event>| {
        serde_json::to_vec(&PushRequest {
            health: health(Utc::now()),
            events,
        })
        .unwrap()
    };
    let good = push(vec![alarm(a.0, 3, 0)]);
    let mut wrong_types: Value = serde_json::from_slice(&good).unwrap();
    wrong_types["events"][0]["seq"] = json!("three");
    let huge = vec![b' '; 2 * 1024 * 1024];
    let too_many: Vec<Event> = (3..=503).map(|s| alarm(a.0, s, 0)).collect();
    // A request: (method, path, token, content type, body).
    let post = |token, body| (Method::POST, events_a.clone(), token, json, body);
    let get = |path: &str, token| (Method::GET, path.to_owned(), token, None, vec![]);
    let enrol = |body: &[u8]| (Method::POST, "/enrol".to_owned(), None, json, body.to_vec());
    let cases = [
        (
            "malformed JSON",
            StatusCode::BAD_REQUEST,
            "malformed_json",
            post(token_a, b"{\"health\": ".to_vec()),
        ),
        (
            "wrong types",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            post(token_a, serde_json::to_vec(&wrong_types).unwrap()),
        ),
        (
            "unknown field",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            post(
                token_a,
                br#"{"health":null,"events":[],"extra":1}"#.to_vec(),
            ),
        ),
        (
            "no content type",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            (Method::POST, events_a.clone(), token_a, None, good.clone()),
        ),
        (
            "oversized body",
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            post(token_a, huge),
        ),
        (
            "too many events",
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            post(token_a, push(too_many)),
        ),
        (
            "missing token",
            StatusCode::UNAUTHORIZED,
            "missing_token",
            post(None, good.clone()),
        ),
        (
            "wrong token",
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            post(Some("cgk_0000"), good.clone()),
        ),
        (
            "another kiosk's token",
            StatusCode::FORBIDDEN,
            "wrong_kiosk",
            post(token_b, good.clone()),
        ),
        (
            "another kiosk's token, pull",
            StatusCode::FORBIDDEN,
            "wrong_kiosk",
            get(&config_a, token_b),
        ),
        (
            "gap in seq",
            StatusCode::CONFLICT,
            "seq_gap",
            post(token_a, push(vec![alarm(a.0, 9, 0)])),
        ),
        (
            "seqs not consecutive",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_batch",
            post(token_a, push(vec![alarm(a.0, 3, 0), alarm(a.0, 5, 0)])),
        ),
        (
            "seq zero",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_batch",
            post(token_a, push(vec![alarm(a.0, 0, 0)])),
        ),
        (
            "replay with other content",
            StatusCode::CONFLICT,
            "seq_conflict",
            post(token_a, push(vec![alarm(a.0, 2, 9_999)])),
        ),
        (
            "bad kiosk id in path",
            StatusCode::BAD_REQUEST,
            "bad_path",
            get("/kiosks/abc/config", token_a),
        ),
        (
            "bad query",
            StatusCode::BAD_REQUEST,
            "bad_query",
            get(&format!("{config_a}?since=-1"), token_a),
        ),
        (
            "unknown route",
            StatusCode::NOT_FOUND,
            "not_found",
            get("/nowhere", None),
        ),
        (
            "wrong method",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            (Method::DELETE, events_a.clone(), token_a, None, vec![]),
        ),
        (
            "enrol: malformed JSON",
            StatusCode::BAD_REQUEST,
            "malformed_json",
            enrol(b"{code"),
        ),
        (
            "enrol: not a code",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_code",
            enrol(br#"{"code":"hello"}"#),
        ),
    ];
    for (what, status, code, (method, path, token, content_type, body)) in cases {
        let (got, body) = api.raw(method, &path, token, content_type, body).await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(code)),
            "{what}: {body}"
        );
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}"
        );
        assert_eq!(api.digest().await, before, "{what} changed the hub's data");
    }
    // The gap answer says what the hub holds, so a kiosk can re-send from there.
    let (_, body) = api.push(a, vec![alarm(a.0, 9, 0)]).await;
    assert_eq!(body["acked_through"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_are_harmless_and_a_changed_event_is_never_overwritten() {
    let api = Api::start().await;
    let a = &api.a;
    let first = vec![
        alarm(a.0, 1, -5_000),
        alarm(a.0, 2, -4_000),
        alarm(a.0, 3, -3_000),
    ];
    let (status, body) = api.push(a, first.clone()).await;
    assert_eq!(
        (status, &body["stored"], &body["acked_through"]),
        (StatusCode::OK, &json!(3), &json!(3))
    );
    let (status, body) = api.push(a, first.clone()).await;
    assert_eq!(
        (status, &body["stored"], &body["duplicates"]),
        (StatusCode::OK, &json!(0), &json!(3))
    );
    // A batch overlapping what the hub holds: the old part is checked, the new part stored.
    let fourth = alarm(a.0, 4, 0);
    let overlap = vec![first[2].clone(), fourth.clone()];
    let (status, body) = api.push(a, overlap).await;
    assert_eq!(
        (
            status,
            &body["stored"],
            &body["duplicates"],
            &body["acked_through"]
        ),
        (StatusCode::OK, &json!(1), &json!(1), &json!(4))
    );
    let mut changed = fourth;
    changed.at = DateTime::UNIX_EPOCH;
    let (status, body) = api.push(a, vec![changed, alarm(a.0, 5, 0)]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("seq_conflict"))
    );
    assert_eq!(
        api.hub.store.event_count(a.0).unwrap(),
        4,
        "the new event of a refused batch is not kept"
    );
    let conn = rusqlite::Connection::open(api.hub.store.path()).unwrap();
    let at: String = conn
        .query_row(
            "SELECT at FROM events WHERE kiosk_id = ?1 AND seq = 4",
            [a.0.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(at, "1970-01-01T00:00:00.000Z", "the first content stays");
}
