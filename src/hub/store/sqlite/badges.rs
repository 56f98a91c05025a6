//! Staff badges: issuing, re-PINning and revoking them, and the list a kiosk's snapshot carries.
//!
//! A kiosk receives the badges of its own site and the collective-wide ones, revoked ones
//! included so that it can tell a revoked badge from an unknown code.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::super::{BadgeSummary, Duplicated, HubStoreError, NewBadge};
use super::immediate;
use crate::domain::config::BadgeEntry;
use crate::domain::household::CardHash;
use crate::domain::{KioskId, SiteId, StaffId};
use crate::sqlite::{parse_time, time_text};

pub(super) fn add(
    conn: &mut Connection,
    badge: &NewBadge,
    now: DateTime<Utc>,
) -> Result<StaffId, HubStoreError> {
    if !badge.pin_hash.starts_with("$argon2") {
        return Err(HubStoreError::Invalid(
            "a badge's PIN must be stored as an Argon2 hash".into(),
        ));
    }
    let tx = immediate(conn)?;
    if let Some(site) = badge.site {
        let known = tx
            .query_row("SELECT 1 FROM sites WHERE id = ?1", [site.0], |_| Ok(()))
            .optional()?
            .is_some();
        if !known {
            return Err(HubStoreError::NotFound(format!("site {site}")));
        }
    }
    if hash_in_use(&tx, &badge.hash)? {
        return Err(HubStoreError::Duplicate(Duplicated::BadgeCode));
    }
    tx.execute(
        "INSERT INTO staff_badges (hash, pin_hash, site_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            badge.hash.0.as_slice(),
            badge.pin_hash,
            badge.site.map(|s| s.0),
            time_text(now)
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(StaffId(id))
}

/// A badge code must not also be a card's: a kiosk looks both up by the same hash.
fn hash_in_use(tx: &Transaction<'_>, hash: &CardHash) -> Result<bool, HubStoreError> {
    let found = tx
        .query_row(
            "SELECT 1 FROM staff_badges WHERE hash = ?1 UNION ALL SELECT 1 FROM cards WHERE hash = ?1",
            [hash.0.as_slice()],
            |_| Ok(()),
        )
        .optional()?;
    Ok(found.is_some())
}

pub(super) fn set_pin(
    conn: &mut Connection,
    staff: StaffId,
    pin_hash: &str,
) -> Result<(), HubStoreError> {
    if !pin_hash.starts_with("$argon2") {
        return Err(HubStoreError::Invalid(
            "a badge's PIN must be stored as an Argon2 hash".into(),
        ));
    }
    let tx = immediate(conn)?;
    let changed = tx.execute(
        "UPDATE staff_badges SET pin_hash = ?2 WHERE id = ?1 AND revoked = 0",
        params![staff.0, pin_hash],
    )?;
    if changed == 0 {
        return Err(missing_or_revoked(&tx, staff)?);
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn revoke(conn: &mut Connection, staff: StaffId) -> Result<(), HubStoreError> {
    let tx = immediate(conn)?;
    let changed = tx.execute(
        "UPDATE staff_badges SET revoked = 1 WHERE id = ?1 AND revoked = 0",
        [staff.0],
    )?;
    if changed == 0 {
        return Err(missing_or_revoked(&tx, staff)?);
    }
    tx.commit()?;
    Ok(())
}

fn missing_or_revoked(
    tx: &Transaction<'_>,
    staff: StaffId,
) -> Result<HubStoreError, HubStoreError> {
    let exists = tx
        .query_row(
            "SELECT 1 FROM staff_badges WHERE id = ?1",
            [staff.0],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    Ok(if exists {
        HubStoreError::Invalid(format!("badge {staff} is revoked"))
    } else {
        HubStoreError::NotFound(format!("badge {staff}"))
    })
}

pub(super) fn list(conn: &Connection) -> Result<Vec<BadgeSummary>, HubStoreError> {
    let mut statement =
        conn.prepare("SELECT id, site_id, revoked, created_at FROM staff_badges ORDER BY id")?;
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut badges = Vec::new();
    for row in rows {
        let (id, site, revoked, created_at) = row?;
        badges.push(BadgeSummary {
            staff: StaffId(id),
            site: site.map(SiteId),
            revoked,
            created_at: parse_time(&created_at)
                .map_err(|_| HubStoreError::Corrupt(format!("badge {id}: created_at")))?,
        });
    }
    Ok(badges)
}

/// The badges a kiosk's snapshot carries: its site's and the collective-wide ones.
pub(super) fn for_kiosk(
    tx: &Transaction<'_>,
    kiosk: KioskId,
) -> Result<Vec<BadgeEntry>, HubStoreError> {
    let mut statement = tx.prepare(
        "SELECT b.id, b.hash, b.pin_hash, b.revoked FROM staff_badges b
         WHERE b.site_id IS NULL OR b.site_id = (SELECT site_id FROM kiosks WHERE id = ?1)
         ORDER BY b.id",
    )?;
    let rows = statement.query_map([kiosk.0], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut badges = Vec::new();
    for row in rows {
        let (id, hash, pin_hash, revoked) = row?;
        let hash: [u8; 32] = hash
            .try_into()
            .map_err(|_| HubStoreError::Corrupt(format!("badge {id}: hash")))?;
        badges.push(BadgeEntry {
            hash: CardHash(hash),
            staff: StaffId(id),
            pin_hash,
            revoked,
        });
    }
    Ok(badges)
}
