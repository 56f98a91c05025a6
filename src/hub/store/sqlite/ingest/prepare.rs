//! What a push's events need before the writer is taken: canonical JSON and its hash, stored
//! texts, a sale's reporting day. Computed outside the lock, so one kiosk's batch is prepared on
//! one core while another kiosk's batch is written on the other.

use chrono::{Local, Utc};
use sha2::{Digest, Sha256};

use super::super::super::HubStoreError;
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
    pub(super) at: String,
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
) -> Result<Vec<Prepared>, HubStoreError> {
    events
        .iter()
        .map(|event| {
            let payload = serde_json::to_string(event)?;
            let hash = Sha256::digest(payload.as_bytes()).into();
            let sale = match &event.body {
                EventBody::Sale(sale) => Some(SaleTexts {
                    id: sale.id.to_string(),
                    at: time_text(sale.at),
                    day: local_day(sale.at),
                }),
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
            body: EventBody::Sale(sale.clone()),
        };
        let prepared = prepare(&[event]).unwrap();
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
    }
}
