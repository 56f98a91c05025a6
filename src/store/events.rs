//! The event log: appended in the transaction of each change, read in order by the sync worker.
//!
//! Sequence numbers are gapless: the next seq is read and written inside the same write
//! transaction (taken with `BEGIN IMMEDIATE`), and a rolled-back transaction leaves no hole. The
//! hub acknowledges the highest contiguous seq it holds; the kiosk keeps that marker and re-sends
//! everything after it, which is harmless because the hub stores each (kiosk, seq) once.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::{KioskStore, StoreError};
use crate::domain::clock_trust::ClockMark;
use crate::domain::event::{Event, EventBody};
use crate::domain::{EventId, KioskId, Seq};
use crate::sqlite::{parse_time, time_text};

/// Appends an event inside `tx` and returns its seq; `clock` marks it when the kiosk doubted its
/// clock (see [`KioskStore::set_clock_mark`]).
pub(crate) fn append(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    at: DateTime<Utc>,
    body: &EventBody,
    clock: Option<&ClockMark>,
) -> Result<Seq, StoreError> {
    let seq: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM events")?
        .query_row([], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO events (seq, id, kiosk_id, at, kind, payload, clock)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        seq,
        Uuid::now_v7().to_string(),
        kiosk.0,
        time_text(at),
        body.kind(),
        serde_json::to_string(body)?,
        clock.map(serde_json::to_string).transpose()?
    ])?;
    Ok(Seq(seq as u64))
}

impl KioskStore {
    /// Up to `limit` events after `after`, oldest first.
    pub fn events_after(&self, after: Seq, limit: usize) -> Result<Vec<Event>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT seq, id, kiosk_id, at, payload, clock FROM events
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = statement
            .query_map(params![after.0 as i64, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(seq, id, kiosk, at, payload, clock)| {
                let id = Uuid::parse_str(&id)
                    .map_err(|_| StoreError::Corrupt(format!("event id «{id}»")))?;
                Ok(Event {
                    id: EventId(id),
                    kiosk: KioskId(kiosk),
                    seq: Seq(seq as u64),
                    at: parse_time(&at)?,
                    body: serde_json::from_str(&payload)?,
                    clock: clock.as_deref().map(serde_json::from_str).transpose()?,
                })
            })
            .collect()
    }

    /// The mark this connection puts on every event it writes while set (`Some`: written under a
    /// doubted clock). The kiosk core sets it from its judgement of the clock before each input.
    pub fn set_clock_mark(&mut self, mark: Option<ClockMark>) {
        self.clock_mark = mark;
    }

    /// The time of the latest event written under a trusted clock: after a restart, the last time
    /// the kiosk is known to have trusted its clock.
    pub fn last_trusted_event_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<String> = self
            .conn
            .prepare_cached("SELECT MAX(at) FROM events WHERE clock IS NULL")?
            .query_row([], |r| r.get(0))?;
        Ok(at.as_deref().map(parse_time).transpose()?)
    }

    /// The oldest events the hub has not acknowledged, up to `limit`.
    pub fn pending_events(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        self.events_after(self.acked_through()?, limit)
    }

    /// Highest seq written, `Seq(0)` when the log is empty.
    pub fn last_seq(&self) -> Result<Seq, StoreError> {
        let seq: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM events")?
            .query_row([], |r| r.get(0))?;
        Ok(Seq(seq as u64))
    }

    /// Highest seq the hub has acknowledged.
    pub fn acked_through(&self) -> Result<Seq, StoreError> {
        let seq: i64 = self
            .conn
            .prepare_cached("SELECT acked_through FROM sync_state WHERE id = 1")?
            .query_row([], |r| r.get(0))?;
        Ok(Seq(seq as u64))
    }

    /// Events the hub does not have yet ("N sales waiting").
    pub fn pending_count(&self) -> Result<u64, StoreError> {
        let last = self.last_seq()?.0;
        Ok(last - self.acked_through()?.0.min(last))
    }

    /// Records the hub's acknowledgement. The marker only moves forward and never past the log's
    /// end, whatever the hub says.
    pub fn acknowledge(&mut self, through: Seq) -> Result<Seq, StoreError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE sync_state SET acked_through =
               MAX(acked_through, MIN(?1, (SELECT COALESCE(MAX(seq), 0) FROM events))) WHERE id = 1",
            [through.0 as i64],
        )?;
        let marker: i64 = tx.query_row(
            "SELECT acked_through FROM sync_state WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(Seq(marker as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Alarm, AlarmKind};
    use crate::store::test_support::temp_store;

    fn alarm() -> EventBody {
        EventBody::Alarm(Alarm {
            kind: AlarmKind::DoorOpen,
            raised: true,
            at: DateTime::UNIX_EPOCH,
            lots: vec![],
            peak_millicelsius: None,
        })
    }

    fn append_one(store: &mut KioskStore) -> Seq {
        let tx = store.write().unwrap();
        let seq = append(&tx, KioskId(1), DateTime::UNIX_EPOCH, &alarm(), None).unwrap();
        tx.commit().unwrap();
        seq
    }

    #[test]
    fn seqs_are_gapless_even_after_a_rollback() {
        let (_dir, mut store) = temp_store();
        assert_eq!(append_one(&mut store), Seq(1));
        {
            let tx = store.write().unwrap();
            append(&tx, KioskId(1), DateTime::UNIX_EPOCH, &alarm(), None).unwrap();
            // dropped: rolled back
        }
        assert_eq!(append_one(&mut store), Seq(2));
        let events = store.events_after(Seq(0), 10).unwrap();
        assert_eq!(
            events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [Seq(1), Seq(2)]
        );
        assert_eq!(events[0].body, alarm());
    }

    #[test]
    fn the_ack_marker_moves_forward_only_and_stays_within_the_log() {
        let (_dir, mut store) = temp_store();
        for _ in 0..5 {
            append_one(&mut store);
        }
        assert_eq!(store.pending_count().unwrap(), 5);
        assert_eq!(store.acknowledge(Seq(3)).unwrap(), Seq(3));
        assert_eq!(store.acknowledge(Seq(2)).unwrap(), Seq(3));
        assert_eq!(store.acknowledge(Seq(99)).unwrap(), Seq(5));
        assert_eq!(store.pending_count().unwrap(), 0);
        assert!(store.pending_events(10).unwrap().is_empty());
    }

    #[test]
    fn the_log_refuses_updates_and_deletes() {
        let (_dir, mut store) = temp_store();
        append_one(&mut store);
        assert!(
            store
                .conn
                .execute("UPDATE events SET kind = 'x'", [])
                .is_err()
        );
        assert!(store.conn.execute("DELETE FROM events", []).is_err());
    }
}
