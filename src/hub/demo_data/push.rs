//! Pushing the generated events through the real ingest path, in large batches per kiosk, and
//! each kiosk's last health report.

use chrono::{DateTime, Duration, Utc};

use super::{BATCH, DemoError, Rng};
use crate::domain::event::{Event, EventBody};
use crate::domain::sync::{ClockReading, KioskHealth};
use crate::domain::{EventId, KioskId, Seq};
use crate::hub::store::{Contact, HubStore};

/// Buffers each kiosk's events and pushes them through ingest in large batches.
pub(super) struct Pusher<'a, S: HubStore> {
    pub(super) store: &'a S,
    pub(super) buffers: Vec<Vec<Event>>,
    pub(super) seqs: Vec<u64>,
    pub(super) events: u64,
}

impl<'a, S: HubStore> Pusher<'a, S> {
    pub(super) fn new(store: &'a S, kiosks: usize) -> Self {
        Pusher {
            store,
            buffers: vec![Vec::new(); kiosks],
            seqs: vec![0; kiosks],
            events: 0,
        }
    }

    pub(super) fn push(
        &mut self,
        kiosk: usize,
        id: KioskId,
        at: DateTime<Utc>,
        body: EventBody,
        rng: &mut Rng,
    ) -> Result<(), DemoError> {
        self.seqs[kiosk] += 1;
        self.buffers[kiosk].push(Event {
            id: EventId(rng.uuid_v7(at)),
            kiosk: id,
            seq: Seq(self.seqs[kiosk]),
            at,
            clock: None,
            body,
        });
        if self.buffers[kiosk].len() >= BATCH {
            self.flush(kiosk, id, &healthy(Utc::now()))?;
        }
        Ok(())
    }

    pub(super) fn flush(
        &mut self,
        kiosk: usize,
        id: KioskId,
        contact: &Contact,
    ) -> Result<(), DemoError> {
        let batch = std::mem::take(&mut self.buffers[kiosk]);
        self.store.ingest(id, &batch, contact)?;
        self.events += batch.len() as u64;
        Ok(())
    }

    /// Pushes what is left, each kiosk's last push carrying the health the fleet view shows.
    pub(super) fn finish(&mut self, kiosks: &[KioskId], rng: &mut Rng) -> Result<(), DemoError> {
        let now = Utc::now();
        for (index, id) in kiosks.iter().enumerate() {
            let mut contact = healthy(now - Duration::seconds(rng.below(50) as i64));
            match index {
                3 => contact.received_at = now - Duration::days(3),
                6 => {
                    contact.clock = ClockReading {
                        offset_ms: -7_205_000,
                        suspect: true,
                    }
                }
                8 => contact.health.last_millicelsius = Some(-9_500),
                10 => contact.health.disk_free_bytes = Some(180 * 1024 * 1024),
                _ => {}
            }
            contact.health.clock =
                contact.received_at + Duration::milliseconds(contact.clock.offset_ms);
            self.flush(index, *id, &contact)?;
        }
        Ok(())
    }
}

fn healthy(at: DateTime<Utc>) -> Contact {
    Contact {
        health: KioskHealth {
            version: env!("CARGO_PKG_VERSION").into(),
            uptime_s: 86_400 * 12,
            pending: 0,
            disk_free_bytes: Some(21 * 1024 * 1024 * 1024),
            last_millicelsius: Some(-18_500),
            clock: at,
        },
        received_at: at,
        clock: ClockReading {
            offset_ms: 0,
            suspect: false,
        },
    }
}
