//! The sync protocol's wire types, shared by the hub and the kiosk so they agree by construction.
//!
//! A kiosk talks to its hub over JSON under [`API_PREFIX`]:
//!
//! - `POST /enrol` trades a one-time enrolment code ([`EnrolRequest`]) for a long-lived token
//!   ([`EnrolResponse`]);
//! - `POST /kiosks/{id}/events` pushes the oldest unacknowledged events with the kiosk's health
//!   ([`PushRequest`]); the hub answers with the highest contiguous seq it holds ([`PushResponse`]);
//! - `GET /kiosks/{id}/config?since=N` returns the configuration if it is newer than `N`
//!   ([`PullResponse`]).
//!
//! Every refusal has the same body, [`ApiError`]. The rules a hub checks before touching its
//! database ([`check_batch`], [`read_clock`]) are pure functions here, tested with case tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::caps::PastPurchase;
use super::config::KioskConfig;
use super::event::Event;
use super::ids::{HouseholdId, KioskId, Seq};

/// Where the kiosk API lives on a hub.
pub const API_PREFIX: &str = "/api/v1";

/// The most events one push may carry. 500 events of a few hundred bytes each keep a request
/// well under a megabyte, and one SQLite transaction per batch amortises the hub's fsync.
pub const MAX_BATCH_EVENTS: usize = 500;

/// How far a kiosk's clock may be from the hub's before the hub flags it: a Pi has no battery
/// clock and may boot in 1970 or at the last saved time until NTP answers.
pub const DEFAULT_CLOCK_TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// `POST /enrol`: the code staff scanned or typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    pub code: String,
}

/// What a kiosk gets for its enrolment code. The token is shown once; the hub keeps its hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    pub kiosk: KioskId,
    pub token: String,
    pub hub_time: DateTime<Utc>,
}

impl std::fmt::Debug for EnrolResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolResponse")
            .field("kiosk", &self.kiosk)
            .field("token", &"…")
            .field("hub_time", &self.hub_time)
            .finish()
    }
}

/// How a kiosk is doing, sent with every push (a push with no events is a heartbeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct KioskHealth {
    /// The kiosk program's version.
    pub version: String,
    /// Seconds since the kiosk program started.
    pub uptime_s: u64,
    /// Events not yet acknowledged when the push was built.
    pub pending: u64,
    /// Free bytes on the disk holding the kiosk's database, if known.
    pub disk_free_bytes: Option<u64>,
    /// Last freezer temperature, thousandths of °C, if a probe answers.
    pub last_millicelsius: Option<i32>,
    /// The kiosk's wall clock when it sent the push.
    pub clock: DateTime<Utc>,
}

/// `POST /kiosks/{id}/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub health: KioskHealth,
    /// Oldest first, consecutive seqs; may start at or before what the hub already holds.
    pub events: Vec<Event>,
}

/// The hub's answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// Highest seq such that the hub holds every event of this kiosk from 1 to it.
    pub acked_through: Seq,
    /// Events of this push that were new to the hub.
    pub stored: u32,
    /// Events of this push the hub already held with the same content (re-sends).
    pub duplicates: u32,
    /// The hub's clock when it answered.
    pub hub_time: DateTime<Utc>,
    /// The kiosk's clock minus the hub's at the push, in milliseconds.
    pub clock_offset_ms: i64,
    /// Whether the hub finds the kiosk's clock implausible.
    pub clock_suspect: bool,
    /// New events of this push that broke a rule: stored and acknowledged (so the kiosk's queue
    /// moves on) but kept out of every balance, stock level and report until an admin looks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quarantined: Vec<QuarantinedEvent>,
}

/// An event the hub stored but keeps out of its projections, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct QuarantinedEvent {
    pub seq: Seq,
    /// A stable code (`quantity_out_of_range`, `totals_do_not_add_up`…).
    pub reason: String,
    /// The rule broken, in words, for the admin.
    pub message: String,
}

/// `GET /kiosks/{id}/config?since=N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// The hub's current configuration version.
    pub version: u64,
    /// The configuration, only when `version` is newer than the kiosk's.
    pub config: Option<KioskConfig>,
    /// What households bought across the fleet lately, sent at every pull (it changes with every
    /// carded sale anywhere, far more often than the configuration).
    #[serde(default)]
    pub usage: Option<HouseholdUsage>,
    /// After how many months sales forget their household (the kiosk applies it to its own copy
    /// once the hub holds the sales).
    #[serde(default)]
    pub retention_months: Option<u32>,
}

/// How many days of purchases the hub reports for caps: a calendar month and a week before it.
pub const USAGE_DAYS: u64 = 40;

/// What each household with recent purchases bought, per local day, as the hub has recorded it
/// from every kiosk. `as_of_seq` is how far the hub holds the pulling kiosk's own log: its sales
/// after that are not in these figures, and the kiosk adds them itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct HouseholdUsage {
    pub as_of_seq: Seq,
    pub households: Vec<HouseholdPurchases>,
}

/// One household's purchases per day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct HouseholdPurchases {
    pub household: HouseholdId,
    pub days: Vec<PastPurchase>,
}

/// The body of every refusal: a stable machine-readable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct ApiError {
    #[cfg_attr(feature = "hub", schema(value_type = String))]
    pub error: ApiErrorCode,
    pub message: String,
    /// On a seq gap: what the hub holds, so the kiosk can re-send from there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acked_through: Option<Seq>,
}

/// The stable code of a refusal ([`ApiError::error`]): what the hub answers with and what the
/// kiosk acts on. On the wire, the snake_case name (`"seq_gap"`); a code this build does not
/// know (from a newer hub) reads as [`ApiErrorCode::Other`] and is sent back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    MalformedJson,
    /// The JSON has the wrong types or fields.
    InvalidBody,
    UnsupportedMediaType,
    BodyTooLarge,
    BadPath,
    BadQuery,
    BatchTooLarge,
    /// The batch breaks a rule ([`BatchError`]): seqs not consecutive, wrong kiosk…
    InvalidBatch,
    /// Not an enrolment code.
    InvalidCode,
    UnknownEnrolmentCode,
    EnrolmentCodeUsed,
    EnrolmentCodeExpired,
    MissingToken,
    InvalidToken,
    WrongKiosk,
    NotFound,
    MethodNotAllowed,
    Timeout,
    /// The first seq does not follow what the hub holds ([`ApiError::acked_through`]).
    SeqGap,
    /// A seq the hub holds came again with different content.
    SeqConflict,
    /// The hub's disk is full: nothing was stored; try again later (`Retry-After`).
    StorageFull,
    Internal,
    /// Not from the hub: an HTTP error without a Congélo body (a proxy's error page).
    Unexpected,
    /// A code this build does not know.
    #[serde(untagged)]
    Other(String),
}

/// Why a batch is refused before the hub looks at its database.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BatchError {
    #[error("a push carries at most {MAX_BATCH_EVENTS} events, this one has {0}")]
    TooLarge(usize),
    #[error("seq starts at 1; an event has seq 0")]
    ZeroSeq,
    #[error("events must have consecutive seqs in order: {after} is followed by {found}")]
    NotConsecutive { after: Seq, found: Seq },
    #[error("seq {0} is beyond what a kiosk can count")]
    SeqOutOfRange(Seq),
    #[error("health: {0}")]
    Health(&'static str),
}

/// The longest version string a kiosk may report: `0.1.0+git.abcdef0` and the like.
pub const MAX_VERSION_CHARS: usize = 64;

/// Checks what a kiosk says of its health: the version is shown on the fleet page and exported,
/// so it is a short printable string.
pub fn check_health(health: &KioskHealth) -> Result<(), BatchError> {
    let version = &health.version;
    if version.is_empty() || version.chars().count() > MAX_VERSION_CHARS {
        return Err(BatchError::Health("the version has 1 to 64 characters"));
    }
    if !version.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err(BatchError::Health(
            "the version holds only printable ASCII characters",
        ));
    }
    Ok(())
}

/// Checks a batch's shape: not too large, seqs from 1 up, consecutive and in order.
pub fn check_batch(events: &[Event]) -> Result<(), BatchError> {
    if events.len() > MAX_BATCH_EVENTS {
        return Err(BatchError::TooLarge(events.len()));
    }
    if events.first().is_some_and(|e| e.seq.0 == 0) {
        return Err(BatchError::ZeroSeq);
    }
    // The hub stores seqs as SQLite integers; a kiosk counting by one never gets near.
    if let Some(last) = events.last()
        && i64::try_from(last.seq.0).is_err()
    {
        return Err(BatchError::SeqOutOfRange(last.seq));
    }
    for pair in events.windows(2) {
        if pair[1].seq.0 != pair[0].seq.0.wrapping_add(1) {
            return Err(BatchError::NotConsecutive {
                after: pair[0].seq,
                found: pair[1].seq,
            });
        }
    }
    Ok(())
}

/// What the hub concludes about a kiosk's clock at a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReading {
    /// Kiosk clock minus hub clock, in milliseconds.
    pub offset_ms: i64,
    /// Off by more than the tolerance: the kiosk's event times need care in reports.
    pub suspect: bool,
}

/// Compares a kiosk's clock with the hub's at the moment of a push. The network delay (well
/// under a second) is noise against a tolerance of minutes.
pub fn read_clock(
    hub_now: DateTime<Utc>,
    kiosk_clock: DateTime<Utc>,
    tolerance_ms: i64,
) -> ClockReading {
    let offset_ms = (kiosk_clock - hub_now).num_milliseconds();
    ClockReading {
        offset_ms,
        suspect: offset_ms.unsigned_abs() > tolerance_ms.unsigned_abs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EventId;
    use crate::domain::event::{Alarm, AlarmKind, EventBody};
    use rstest::rstest;

    fn event(seq: u64) -> Event {
        Event {
            id: EventId(uuid::Uuid::nil()),
            kiosk: KioskId(1),
            seq: Seq(seq),
            at: DateTime::UNIX_EPOCH,
            clock: None,
            body: EventBody::Alarm(Alarm {
                kind: AlarmKind::DoorOpen,
                raised: true,
                at: DateTime::UNIX_EPOCH,
                lots: vec![],
                peak_millicelsius: None,
            }),
        }
    }

    #[rstest]
    #[case(vec![], Ok(()))]
    #[case(vec![1], Ok(()))]
    #[case(vec![7, 8, 9], Ok(()))]
    #[case(vec![0, 1], Err(BatchError::ZeroSeq))]
    #[case(vec![1, 3], Err(BatchError::NotConsecutive { after: Seq(1), found: Seq(3) }))]
    #[case(vec![2, 1], Err(BatchError::NotConsecutive { after: Seq(2), found: Seq(1) }))]
    #[case(vec![4, 4], Err(BatchError::NotConsecutive { after: Seq(4), found: Seq(4) }))]
    fn batches_are_checked(#[case] seqs: Vec<u64>, #[case] expected: Result<(), BatchError>) {
        let events: Vec<Event> = seqs.into_iter().map(event).collect();
        assert_eq!(check_batch(&events), expected);
    }

    #[rstest]
    #[case("0.4.1", Ok(()))]
    #[case("0.4.1+git.3f2a9c1 (pi)", Ok(()))]
    #[case("", Err(BatchError::Health("the version has 1 to 64 characters")))]
    #[case(&"9".repeat(65), Err(BatchError::Health("the version has 1 to 64 characters")))]
    #[case(
        "=HYPERLINK(\"x\")\n",
        Err(BatchError::Health("the version holds only printable ASCII characters"))
    )]
    #[case(
        "1.0\u{7}",
        Err(BatchError::Health("the version holds only printable ASCII characters"))
    )]
    fn health_versions_are_short_and_printable(
        #[case] version: &str,
        #[case] expected: Result<(), BatchError>,
    ) {
        let health = KioskHealth {
            version: version.into(),
            uptime_s: 0,
            pending: 0,
            disk_free_bytes: None,
            last_millicelsius: None,
            clock: DateTime::UNIX_EPOCH,
        };
        assert_eq!(check_health(&health), expected);
    }

    #[test]
    fn a_seq_past_what_sqlite_stores_is_refused() {
        assert_eq!(
            check_batch(&[event(u64::MAX)]),
            Err(BatchError::SeqOutOfRange(Seq(u64::MAX)))
        );
    }

    #[test]
    fn a_batch_over_the_limit_is_refused() {
        let events: Vec<Event> = (1..=MAX_BATCH_EVENTS as u64 + 1).map(event).collect();
        assert_eq!(
            check_batch(&events),
            Err(BatchError::TooLarge(MAX_BATCH_EVENTS + 1))
        );
        assert_eq!(check_batch(&events[..MAX_BATCH_EVENTS]), Ok(()));
    }

    #[rstest]
    #[case(0, 0, false)]
    #[case(1_500, 1_500, false)]
    #[case(-300_000, -300_000, false)]
    #[case(300_001, 300_001, true)]
    #[case(-3_600_000, -3_600_000, true)]
    fn clocks_are_read(#[case] kiosk_ahead_ms: i64, #[case] offset_ms: i64, #[case] suspect: bool) {
        let hub = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let kiosk = hub + chrono::Duration::milliseconds(kiosk_ahead_ms);
        assert_eq!(
            read_clock(hub, kiosk, DEFAULT_CLOCK_TOLERANCE_MS),
            ClockReading { offset_ms, suspect }
        );
    }

    #[test]
    fn a_kiosk_booted_in_1970_is_suspect() {
        let hub = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(read_clock(hub, DateTime::UNIX_EPOCH, DEFAULT_CLOCK_TOLERANCE_MS).suspect);
    }

    #[test]
    fn error_bodies_omit_an_absent_marker() {
        let body = ApiError {
            error: ApiErrorCode::MissingToken,
            message: "no token".into(),
            acked_through: None,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"error":"missing_token","message":"no token"}"#
        );
    }

    #[rstest]
    #[case(ApiErrorCode::SeqGap, "seq_gap")]
    #[case(ApiErrorCode::SeqConflict, "seq_conflict")]
    #[case(ApiErrorCode::InvalidBatch, "invalid_batch")]
    #[case(ApiErrorCode::UnknownEnrolmentCode, "unknown_enrolment_code")]
    #[case(ApiErrorCode::Other("seq_from_the_future".into()), "seq_from_the_future")]
    fn error_codes_are_snake_case_and_unknown_ones_are_kept(
        #[case] code: ApiErrorCode,
        #[case] wire: &str,
    ) {
        let json = format!("\"{wire}\"");
        assert_eq!(serde_json::to_string(&code).unwrap(), json);
        assert_eq!(serde_json::from_str::<ApiErrorCode>(&json).unwrap(), code);
    }

    #[test]
    fn the_token_is_not_in_debug_output() {
        let response = EnrolResponse {
            kiosk: KioskId(3),
            token: "secret-token".into(),
            hub_time: DateTime::UNIX_EPOCH,
        };
        assert!(!format!("{response:?}").contains("secret"));
    }
}
