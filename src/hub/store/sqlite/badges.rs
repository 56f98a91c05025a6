//! Staff badges as read back: the admin's list and the list a kiosk's snapshot carries (issuing,
//! re-PINning and revoking are audited writes in `sites.rs`).
//!
//! A kiosk receives the badges of its own site and the collective-wide ones, revoked ones
//! included so that it can tell a revoked badge from an unknown code.

use rusqlite::{Connection, Transaction};

use super::super::{BadgeSummary, HubStoreError};
use crate::domain::config::BadgeEntry;
use crate::domain::household::CardHash;
use crate::domain::{KioskId, SiteId, StaffId};
use crate::sqlite::parse_time;

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
