//! What a push's events need before the writer is taken: canonical JSON and its hash, stored
//! texts, a sale's reporting time and day (placed with the push's clock offset when the kiosk
//! marked the sale as written under a doubted clock). Computed outside the lock, so one kiosk's batch is prepared on
//! one core while another kiosk's batch is written on the other.

use chrono::{Local, Utc};
use sha2::{Digest, Sha256};

use super::super::super::{Contact, HubStoreError};
use crate::domain::clock_trust::place;
use crate::domain::event::{Event, EventBody};
use crate::sqlite::time_text;

/// One event, ready to be stored.
pub(in crate::hub::store::sqlite) struct Prepared {
    pub(super) payload: String,
    pub(super) hash: [u8; 32],
    pub(super) id: String,
    pub(super) at: String,
    pub(super) sale: Option<SaleTexts>,
}

/// A sale's stored texts.
pub(super) struct SaleTexts {
    pub(super) id: String,
    /// When the sale happened as reports count it: the kiosk's time, or where the hub placed it.
    pub(super) at: String,
    /// What the kiosk's clock said, when the hub placed the sale elsewhere.
    pub(super) claimed_at: Option<String>,
    /// The reporting day, `YYYY-MM-DD` in the hub's local time zone (the collective's); its
    /// first seven characters are the reporting month.
    pub(super) day: String,
}

impl SaleTexts {
    pub(super) fn month(&self) -> &str {
        &self.day[..7]
    }
}

pub(in crate::hub::store::sqlite) fn prepare(
    events: &[Event],
    contact: &Contact,
) -> Result<Vec<Prepared>, HubStoreError> {
    events
        .iter()
        .map(|event| {
            let payload = serde_json::to_string(event)?;
            let hash = Sha256::digest(payload.as_bytes()).into();
            let sale = match &event.body {
                EventBody::Sale(sale) => {
                    let placed = event.clock.map_or(sale.at, |mark| {
                        place(sale.at, &mark, contact.clock.offset_ms, contact.received_at)
                    });
                    Some(SaleTexts {
                        id: sale.id.to_string(),
                        at: time_text(placed),
                        claimed_at: event.clock.map(|_| time_text(sale.at)),
                        day: local_day(placed),
                    })
                }
                _ => None,
            };
            Ok(Prepared {
                payload,
                hash,
                id: event.id.to_string(),
                at: time_text(event.at),
                sale,
            })
        })
        .collect()
}

/// The reporting day of a sale: the hub's local time zone (the collective's).
fn local_day(at: chrono::DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::Event;
    use crate::domain::{EventId, KioskId, Seq};

    #[test]
    fn a_sale_is_reported_on_its_local_day_and_month() {
        let (_dir, kiosk) = crate::store::test_support::temp_store_with_demo();
        let mut sale = crate::store::test_support::sale_of(&kiosk, &[(0, 1)], None);
        // Near midnight UTC, where the local day differs from the UTC day in most time zones.
        sale.at = "2026-03-01T04:30:00Z".parse().unwrap();
        let event = Event {
            id: EventId(uuid::Uuid::nil()),
            kiosk: KioskId(1),
            seq: Seq(1),
            at: sale.at,
            clock: None,
            body: EventBody::Sale(sale.clone()),
        };
        let prepared = prepare(&[event], &contact(0)).unwrap();
        let texts = prepared[0].sale.as_ref().expect("a sale's texts");
        // SQLite's own local time, as the migration that stored the day of older sales used it.
        let expected: String = rusqlite::Connection::open_in_memory()
            .unwrap()
            .query_row("SELECT date(?1, 'localtime')", [time_text(sale.at)], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(texts.day, expected);
        assert_eq!(texts.month(), &expected[..7]);
        assert_eq!(texts.at, time_text(sale.at));
        assert_eq!(texts.claimed_at, None);
    }

    /// A push received at noon on 5 December 2026 from a kiosk whose clock is `offset_ms` off.
    fn contact(offset_ms: i64) -> Contact {
        let received_at: chrono::DateTime<Utc> = "2026-12-05T12:00:00Z".parse().unwrap();
        let clock = received_at + chrono::Duration::milliseconds(offset_ms);
        Contact {
            health: crate::domain::sync::KioskHealth {
                version: "test".into(),
                uptime_s: 0,
                pending: 0,
                disk_free_bytes: None,
                last_millicelsius: None,
                clock,
            },
            received_at,
            clock: crate::domain::sync::read_clock(received_at, clock, 0),
        }
    }

    #[test]
    fn a_marked_sale_is_placed_with_the_push_offset_and_keeps_its_claimed_time() {
        let (_dir, kiosk) = crate::store::test_support::temp_store_with_demo();
        let mut sale = crate::store::test_support::sale_of(&kiosk, &[(0, 1)], None);
        sale.at = "2026-12-02T10:00:00Z".parse().unwrap();
        let mark = crate::domain::clock_trust::ClockMark {
            doubt: crate::domain::clock_trust::ClockDoubt::NotSynchronised,
            last_trusted: None,
        };
        let event = |clock| Event {
            id: EventId(uuid::Uuid::nil()),
            kiosk: KioskId(1),
            seq: Seq(1),
            at: sale.at,
            clock,
            body: EventBody::Sale(sale.clone()),
        };
        let three_days_behind = contact(-3 * 24 * 3_600_000);
        let placed = prepare(&[event(Some(mark))], &three_days_behind).unwrap();
        let texts = placed[0].sale.as_ref().unwrap();
        let expected: chrono::DateTime<Utc> = "2026-12-05T10:00:00Z".parse().unwrap();
        assert_eq!(texts.at, time_text(expected));
        assert_eq!(texts.day, local_day(expected));
        assert_eq!(texts.claimed_at, Some(time_text(sale.at)));
        // The same sale unmarked stays where the kiosk put it, whatever the offset.
        let kept = prepare(&[event(None)], &three_days_behind).unwrap();
        assert_eq!(kept[0].sale.as_ref().unwrap().at, time_text(sale.at));
        // The mark is part of the canonical JSON: a re-send must carry it too.
        assert_ne!(placed[0].hash, kept[0].hash);
    }
}
