//! Freezer alarms in the kiosk's database: each one an event in the log (so it reaches the hub
//! with the next push), written in one transaction with the alarm's state.
//!
//! The state is what keeps alarms from being raised twice: for each kind (cold chain, probe lost,
//! door open) a `settings` row says whether the last alarm recorded was raised or cleared, and it
//! changes in the same transaction as the event. The hardware worker compares it with what its
//! monitors say — after a power cut too — and records only the difference. A cold-chain alarm also
//! puts a **hold** in `settings` in that same transaction: the excursion awaits a staff member's
//! check, and the kiosk stays out of order meanwhile when the collective asks for it
//! (`Thresholds::stop_sales_on_excursion`). The hold outlives the excursion; only staff clear it.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::{KioskStore, StoreError, events};
use crate::domain::event::{Alarm, AlarmKind, EventBody};
use crate::domain::{KioskId, Seq};

const HOLD: &str = "cold_chain_hold";

fn state_key(kind: AlarmKind) -> &'static str {
    match kind {
        AlarmKind::ColdChain => "alarm_raised.cold_chain",
        AlarmKind::ProbeLost => "alarm_raised.probe_lost",
        AlarmKind::DoorOpen => "alarm_raised.door_open",
        AlarmKind::RecalledLotScanned => "alarm_raised.recalled_lot",
    }
}

/// A cold-chain excursion awaiting a staff member's check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColdChainHold {
    /// When the excursion alarm was raised.
    pub since: DateTime<Utc>,
    /// The lots in the freezer then.
    pub lots: Vec<String>,
    /// The warmest reading of the excursion when it was raised, thousandths of °C.
    pub peak_millicelsius: Option<i32>,
}

fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

impl KioskStore {
    /// Records an alarm (raised or cleared) as an event, with the alarm's state and, for a raised
    /// cold-chain alarm, the hold, in one transaction. Returns the event's seq. Before enrolment
    /// (no kiosk id yet) the event carries kiosk 0: the hub files every event under the kiosk its
    /// token names anyway.
    pub fn record_alarm(&mut self, alarm: &Alarm) -> Result<Seq, StoreError> {
        let kiosk = self.kiosk_id_for_alarms()?;
        let mark = self.clock_mark;
        let tx = self.write()?;
        let seq = events::append(
            &tx,
            kiosk,
            alarm.at,
            &EventBody::Alarm(alarm.clone()),
            mark.as_ref(),
        )?;
        let state = if alarm.raised { "1" } else { "0" };
        set(&tx, state_key(alarm.kind), state)?;
        if alarm.kind == AlarmKind::ColdChain && alarm.raised {
            let hold = ColdChainHold {
                since: alarm.at,
                lots: alarm.lots.clone(),
                peak_millicelsius: alarm.peak_millicelsius,
            };
            set(&tx, HOLD, &serde_json::to_string(&hold)?)?;
        }
        tx.commit()?;
        Ok(seq)
    }

    fn kiosk_id_for_alarms(&self) -> Result<KioskId, StoreError> {
        match self.kiosk_id() {
            Err(StoreError::NoKioskId) => Ok(KioskId(0)),
            other => other,
        }
    }

    /// Whether the last alarm of this kind recorded here was raised (and not cleared since).
    pub fn alarm_raised(&self, kind: AlarmKind) -> Result<bool, StoreError> {
        Ok(self.setting(state_key(kind))?.as_deref() == Some("1"))
    }

    /// The cold-chain excursion awaiting a staff check, if any.
    pub fn cold_chain_hold(&self) -> Result<Option<ColdChainHold>, StoreError> {
        Ok(self
            .setting(HOLD)?
            .map(|json| serde_json::from_str(&json))
            .transpose()?)
    }

    /// A staff member checked the freezer after an excursion: records a cleared cold-chain alarm
    /// (with the hold's lots and peak) and lifts the hold, in one transaction. Returns the
    /// event's seq, or `None` when there was no hold (nothing is written). The alarm's own state
    /// is left to the monitor: if the freezer is still warm, its end is recorded when it comes.
    pub fn clear_cold_chain_hold(&mut self, at: DateTime<Utc>) -> Result<Option<Seq>, StoreError> {
        let kiosk = self.kiosk_id_for_alarms()?;
        let mark = self.clock_mark;
        let tx = self.write()?;
        let hold: Option<String> = tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [HOLD], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(hold) = hold else {
            return Ok(None);
        };
        let hold: ColdChainHold = serde_json::from_str(&hold)?;
        let cleared = Alarm {
            kind: AlarmKind::ColdChain,
            raised: false,
            at,
            lots: hold.lots,
            peak_millicelsius: hold.peak_millicelsius,
        };
        let seq = events::append(&tx, kiosk, at, &EventBody::Alarm(cleared), mark.as_ref())?;
        tx.execute("DELETE FROM settings WHERE key = ?1", [HOLD])?;
        tx.commit()?;
        Ok(Some(seq))
    }

    /// The latest `limit` alarm events, newest first, for the staff screen. (It reads the log
    /// backwards; alarms are rare, and the log has no index on `kind` so a sale stays cheap.)
    pub fn recent_alarms(&self, limit: usize) -> Result<Vec<(Seq, Alarm)>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT seq, payload FROM events WHERE kind = 'alarm' ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = statement
            .query_map([limit as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(seq, payload)| match serde_json::from_str(&payload)? {
                EventBody::Alarm(alarm) => Ok((Seq(seq as u64), alarm)),
                other => Err(StoreError::Corrupt(format!(
                    "event {seq} is filed as an alarm but holds a {}",
                    other.kind()
                ))),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{temp_store, temp_store_with_demo};

    fn alarm(kind: AlarmKind, raised: bool, minute: i64) -> Alarm {
        Alarm {
            kind,
            raised,
            at: DateTime::UNIX_EPOCH + chrono::Duration::minutes(minute),
            lots: if kind == AlarmKind::ColdChain {
                vec!["L2611-03".into()]
            } else {
                vec![]
            },
            peak_millicelsius: (kind == AlarmKind::ColdChain).then_some(-8_000),
        }
    }

    #[test]
    fn an_alarm_is_an_event_with_its_state_in_one_transaction() {
        let (_dir, mut store) = temp_store_with_demo();
        let before = store.last_seq().unwrap();
        assert!(!store.alarm_raised(AlarmKind::DoorOpen).unwrap());
        let seq = store
            .record_alarm(&alarm(AlarmKind::DoorOpen, true, 0))
            .unwrap();
        assert_eq!(seq, Seq(before.0 + 1));
        assert!(store.alarm_raised(AlarmKind::DoorOpen).unwrap());
        assert!(!store.alarm_raised(AlarmKind::ColdChain).unwrap());
        store
            .record_alarm(&alarm(AlarmKind::DoorOpen, false, 3))
            .unwrap();
        assert!(!store.alarm_raised(AlarmKind::DoorOpen).unwrap());
        let events = store.events_after(before, 10).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0].body,
            EventBody::Alarm(alarm(AlarmKind::DoorOpen, true, 0))
        );
        assert_eq!(events[0].kiosk, KioskId(1));
        assert_eq!(store.cold_chain_hold().unwrap(), None, "no hold for a door");
    }

    #[test]
    fn a_cold_chain_alarm_holds_until_staff_clear_it() {
        let (_dir, mut store) = temp_store_with_demo();
        assert_eq!(
            store.clear_cold_chain_hold(DateTime::UNIX_EPOCH).unwrap(),
            None
        );
        let before = store.last_seq().unwrap();
        store
            .record_alarm(&alarm(AlarmKind::ColdChain, true, 30))
            .unwrap();
        store
            .record_alarm(&alarm(AlarmKind::ColdChain, false, 45))
            .unwrap();
        let hold = store.cold_chain_hold().unwrap().unwrap();
        assert_eq!(
            hold.lots,
            ["L2611-03"],
            "the excursion ended, the hold stays"
        );
        let at = DateTime::UNIX_EPOCH + chrono::Duration::minutes(60);
        let seq = store.clear_cold_chain_hold(at).unwrap().unwrap();
        assert_eq!(store.cold_chain_hold().unwrap(), None);
        let recent = store.recent_alarms(10).unwrap();
        assert_eq!(recent.len(), 3);
        assert_eq!(recent[0].0, seq);
        assert_eq!(
            recent[0].1,
            Alarm {
                at,
                ..alarm(AlarmKind::ColdChain, false, 0)
            }
        );
        assert_eq!(store.events_after(before, 10).unwrap().len(), 3);
        assert_eq!(store.recent_alarms(1).unwrap().len(), 1);
    }

    #[test]
    fn before_enrolment_alarms_carry_kiosk_zero() {
        let (_dir, mut store) = temp_store();
        store
            .record_alarm(&alarm(AlarmKind::ProbeLost, true, 0))
            .unwrap();
        assert_eq!(store.events_after(Seq(0), 1).unwrap()[0].kiosk, KioskId(0));
    }

    #[test]
    fn a_refused_write_records_neither_the_event_nor_the_state() {
        let (_dir, mut store) = temp_store_with_demo();
        let before = store.last_seq().unwrap();
        store.refuse_writes();
        assert!(
            store
                .record_alarm(&alarm(AlarmKind::ColdChain, true, 0))
                .is_err()
        );
        store.accept_writes();
        assert_eq!(store.last_seq().unwrap(), before);
        assert!(!store.alarm_raised(AlarmKind::ColdChain).unwrap());
        assert_eq!(store.cold_chain_hold().unwrap(), None);
    }
}
