//! Staff on the kiosk: badges from the configuration, PIN attempts that survive a restart, and
//! staff events (sign in, sign out, lockout) in the event log.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{KioskStore, StoreError, events};
use crate::domain::config::BadgeEntry;
use crate::domain::event::{EventBody, StaffEvent};
use crate::domain::household::CardHash;
use crate::domain::pin::PinAttempts;
use crate::domain::{Seq, StaffId};

pub(crate) fn insert_badges(tx: &Transaction<'_>, badges: &[BadgeEntry]) -> Result<(), StoreError> {
    let mut insert = tx.prepare(
        "INSERT INTO badges (hash, staff_id, pin_hash, revoked) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for badge in badges {
        insert.execute(params![
            badge.hash.0.as_slice(),
            badge.staff.0,
            badge.pin_hash,
            badge.revoked
        ])?;
    }
    Ok(())
}

fn attempts_key(hash: &CardHash) -> String {
    format!("pin_attempts:{}", hash.to_hex())
}

impl KioskStore {
    /// The badge with this hash, if the kiosk knows it.
    pub fn badge(&self, hash: &CardHash) -> Result<Option<BadgeEntry>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT staff_id, pin_hash, revoked FROM badges WHERE hash = ?1")?
            .query_row([hash.0.as_slice()], |r| {
                Ok(BadgeEntry {
                    hash: *hash,
                    staff: StaffId(r.get(0)?),
                    pin_hash: r.get(1)?,
                    revoked: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// This badge's recent wrong PINs (kept across restarts, so a reboot does not lift a lock).
    pub fn pin_attempts(&self, hash: &CardHash) -> Result<PinAttempts, StoreError> {
        Ok(self
            .setting(&attempts_key(hash))?
            .map(|json| serde_json::from_str(&json))
            .transpose()?
            .unwrap_or_default())
    }

    pub fn set_pin_attempts(
        &mut self,
        hash: &CardHash,
        attempts: PinAttempts,
    ) -> Result<(), StoreError> {
        let key = attempts_key(hash);
        if attempts == PinAttempts::default() {
            self.conn
                .execute("DELETE FROM settings WHERE key = ?1", [key])?;
            return Ok(());
        }
        self.set_setting(&key, &serde_json::to_string(&attempts)?)
    }

    /// Records a staff action in the event log (it reaches the hub with the next push).
    pub fn record_staff_event(&mut self, event: &StaffEvent) -> Result<Seq, StoreError> {
        let kiosk = self.kiosk_id()?;
        let mark = self.clock_mark;
        let tx = self.write()?;
        let seq = events::append(
            &tx,
            kiosk,
            event.at,
            &EventBody::Staff(*event),
            mark.as_ref(),
        )?;
        tx.commit()?;
        Ok(seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::StaffAction;
    use crate::store::test_support::temp_store_with_demo;
    use chrono::DateTime;

    #[test]
    fn badges_come_with_the_configuration() {
        let (_dir, store) = temp_store_with_demo();
        let demo = &crate::demo::badges()[0];
        assert_eq!(
            store.badge(&demo.entry.hash).unwrap().as_ref(),
            Some(&demo.entry)
        );
        assert_eq!(store.badge(&CardHash([3; 32])).unwrap(), None);
    }

    #[test]
    fn pin_attempts_persist_and_clear() {
        let (_dir, mut store) = temp_store_with_demo();
        let hash = CardHash([1; 32]);
        let attempts = PinAttempts::default().failed(0).failed(1);
        store.set_pin_attempts(&hash, attempts).unwrap();
        assert_eq!(store.pin_attempts(&hash).unwrap(), attempts);
        store
            .set_pin_attempts(&hash, PinAttempts::default())
            .unwrap();
        assert_eq!(store.pin_attempts(&hash).unwrap(), PinAttempts::default());
    }

    #[test]
    fn staff_events_go_to_the_log() {
        let (_dir, mut store) = temp_store_with_demo();
        let event = StaffEvent {
            staff: StaffId(1),
            action: StaffAction::SignedIn,
            at: DateTime::UNIX_EPOCH,
        };
        let seq = store.record_staff_event(&event).unwrap();
        let logged = store.events_after(Seq(seq.0 - 1), 1).unwrap();
        assert_eq!(logged[0].body, EventBody::Staff(event));
    }
}
