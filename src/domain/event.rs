//! The kiosk's event log entries: the unit of sync between a kiosk and the hub.
//!
//! Every state change at a kiosk is appended to its log in the same transaction as the change. An
//! event has the kiosk id, a gapless sequence number and a UUIDv7; the hub stores each (kiosk, seq)
//! once, so re-sending is harmless. These types are the wire format shared by kiosk and hub.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock_trust::ClockMark;
use super::ids::{EventId, KioskId, Seq, StaffId};
use super::sale::{Sale, SaleVoid};
use super::stock::StockMovement;

/// What a freezer's alarm is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum AlarmKind {
    /// The freezer stayed too warm for too long.
    ColdChain,
    /// The temperature probe stopped answering.
    ProbeLost,
    /// The freezer door stayed open too long.
    DoorOpen,
    /// A pack of a recalled lot was scanned: staff must pull it (its lot is in `lots`).
    RecalledLotScanned,
}

/// An alarm raised (or cleared) at a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Alarm {
    pub kind: AlarmKind,
    pub raised: bool,
    pub at: DateTime<Utc>,
    /// Lots in the freezer when the alarm was raised, for a cold-chain excursion.
    #[serde(default)]
    pub lots: Vec<String>,
    /// Highest temperature seen, in thousandths of a degree Celsius, if relevant.
    #[serde(default)]
    pub peak_millicelsius: Option<i32>,
}

/// Something a staff member did at the kiosk besides moving stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum StaffAction {
    SignedIn,
    SignedOut,
    /// Five wrong PINs: the badge is locked for five minutes.
    LockedOut,
    /// Cleared the cold-chain hold: the kiosk sells again after an excursion.
    ClearedColdChainHold,
}

/// A staff action, with the badge's pseudonymous id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct StaffEvent {
    pub staff: StaffId,
    pub action: StaffAction,
    pub at: DateTime<Utc>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum EventBody {
    Sale(Sale),
    SaleVoid(SaleVoid),
    Stock(StockMovement),
    Alarm(Alarm),
    Staff(StaffEvent),
}

impl EventBody {
    /// The name stored in the log's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Sale(_) => "sale",
            EventBody::SaleVoid(_) => "sale_void",
            EventBody::Stock(_) => "stock",
            EventBody::Alarm(_) => "alarm",
            EventBody::Staff(_) => "staff",
        }
    }
}

/// An entry of a kiosk's event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: EventId,
    pub kiosk: KioskId,
    pub seq: Seq,
    /// The kiosk's wall-clock time when the event was written.
    pub at: DateTime<Utc>,
    pub body: EventBody,
    /// Present when the kiosk doubted its clock as it wrote the event: the hub then places the
    /// event with the offset it measures at the push ([`crate::domain::clock_trust::place`]).
    /// Absent from the JSON otherwise, so an unmarked event's canonical JSON and content hash are
    /// those of an event without the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<ClockMark>,
}
