//! Territories, sites, kiosks and staff badges as the staff pages read and write them.
//!
//! Each write is one transaction with its audit row, whether a page or the command line asks for
//! it. Kiosk settings and badges bump the configuration version through the schema's triggers; a
//! new kiosk bumps it once itself, so its first pull has a version above 0.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::web::record_audit;
use super::{SqliteHubStore, immediate};
use crate::domain::config::Thresholds;
use crate::domain::household::CardHash;
use crate::domain::sale::PaymentMethod;
use crate::domain::voice::VoiceSettings;
use crate::domain::{KioskId, SiteId, StaffId, TerritoryId};
use crate::hub::store::reports::{FleetFacts, ReportError, ReportStore, Scope};
use crate::hub::store::{
    Audit, BadgeSummary, Duplicated, HubStoreError, KioskSettings, NewBadge, NewCode, NewKiosk,
    SiteRow, SiteStore, TerritoryRow,
};
use crate::sqlite::time_text;

/// The store keeps only a PIN's Argon2 hash, never a PIN: anything else is a caller's bug.
fn require_argon2(pin_hash: &str) -> Result<(), HubStoreError> {
    if pin_hash.starts_with("$argon2") {
        Ok(())
    } else {
        Err(HubStoreError::Invalid(
            "a badge's PIN must be an Argon2 hash".into(),
        ))
    }
}

fn exists(tx: &Transaction<'_>, sql: &str, id: i64) -> Result<bool, HubStoreError> {
    Ok(tx.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

/// Whether another row (not `id`) of `table` has this name.
fn name_taken(
    tx: &Transaction<'_>,
    table: &str,
    name: &str,
    id: Option<i64>,
) -> Result<bool, HubStoreError> {
    let sql = format!("SELECT 1 FROM {table} WHERE name = ?1 AND id IS NOT ?2");
    Ok(tx
        .query_row(&sql, params![name, id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn require_kiosk(tx: &Transaction<'_>, kiosk: KioskId) -> Result<(), HubStoreError> {
    if exists(tx, "SELECT 1 FROM kiosks WHERE id = ?1", kiosk.0)? {
        Ok(())
    } else {
        Err(HubStoreError::NotFound(format!("kiosk {kiosk}")))
    }
}

fn insert_code(tx: &Transaction<'_>, kiosk: KioskId, code: &NewCode) -> Result<(), HubStoreError> {
    tx.execute(
        "INSERT INTO enrolment_codes (code_hash, kiosk_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            code.hash.0.as_slice(),
            kiosk.0,
            time_text(code.created_at),
            time_text(code.expires_at)
        ],
    )?;
    Ok(())
}

fn clean_name(what: &str, name: &str) -> Result<String, HubStoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(HubStoreError::Invalid(format!(
            "a {what} name has 1 to 100 characters"
        )));
    }
    Ok(name.to_owned())
}

fn sorted_methods(methods: &[PaymentMethod]) -> Result<String, HubStoreError> {
    if methods.is_empty() {
        return Err(HubStoreError::Invalid(
            "a kiosk needs at least one payment method".into(),
        ));
    }
    let mut methods = methods.to_vec();
    methods.sort();
    methods.dedup();
    Ok(serde_json::to_string(&methods)?)
}

fn badge_hash_in_use(tx: &Transaction<'_>, hash: &CardHash) -> Result<bool, HubStoreError> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM staff_badges WHERE hash = ?1 UNION ALL SELECT 1 FROM cards WHERE hash = ?1",
            [hash.0.as_slice()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// `NotFound` for an unknown badge, `Invalid` for a revoked one.
fn live_badge(tx: &Transaction<'_>, staff: StaffId) -> Result<(), HubStoreError> {
    let revoked: Option<bool> = tx
        .query_row(
            "SELECT revoked FROM staff_badges WHERE id = ?1",
            [staff.0],
            |r| r.get(0),
        )
        .optional()?;
    match revoked {
        None => Err(HubStoreError::NotFound(format!("badge {staff}"))),
        Some(true) => Err(HubStoreError::Invalid(format!("badge {staff} is revoked"))),
        Some(false) => Ok(()),
    }
}

impl SiteStore for SqliteHubStore {
    fn kiosks(&self) -> Result<Vec<FleetFacts>, HubStoreError> {
        self.fleet_facts(Scope::All).map_err(|error| match error {
            ReportError::Store(error) => error,
            other => HubStoreError::Corrupt(other.to_string()),
        })
    }

    fn badges(&self) -> Result<Vec<BadgeSummary>, HubStoreError> {
        super::badges::list(&self.reader())
    }

    fn territories(&self) -> Result<Vec<TerritoryRow>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare_cached(
            "SELECT t.id, t.name, (SELECT count(*) FROM sites s WHERE s.territory_id = t.id)
             FROM territories t ORDER BY t.name",
        )?;
        let rows = statement
            .query_map([], |r| {
                Ok(TerritoryRow {
                    id: TerritoryId(r.get(0)?),
                    name: r.get(1)?,
                    sites: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn sites(&self) -> Result<Vec<SiteRow>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare_cached(
            "SELECT s.id, s.name, t.id, t.name, (SELECT count(*) FROM kiosks k WHERE k.site_id = s.id)
             FROM sites s JOIN territories t ON t.id = s.territory_id ORDER BY t.name, s.name",
        )?;
        let rows = statement
            .query_map([], |r| {
                Ok(SiteRow {
                    id: SiteId(r.get(0)?),
                    name: r.get(1)?,
                    territory: TerritoryId(r.get(2)?),
                    territory_name: r.get(3)?,
                    kiosks: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn save_territory(
        &self,
        id: Option<TerritoryId>,
        name: &str,
        audit: &Audit,
    ) -> Result<TerritoryId, HubStoreError> {
        let name = clean_name("territory", name)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        if name_taken(&tx, "territories", &name, id.map(|t| t.0))? {
            return Err(HubStoreError::Duplicate(Duplicated::Territory(
                name.to_owned(),
            )));
        }
        let id = match id {
            Some(id) => {
                if tx.execute(
                    "UPDATE territories SET name = ?2 WHERE id = ?1",
                    params![id.0, name],
                )? == 0
                {
                    return Err(HubStoreError::NotFound(format!("territory {id}")));
                }
                id
            }
            None => {
                tx.execute("INSERT INTO territories (name) VALUES (?1)", [&name])?;
                TerritoryId(tx.last_insert_rowid())
            }
        };
        record_audit(&tx, &audit.clone().subject(format!("territory {id}")))?;
        tx.commit()?;
        Ok(id)
    }

    fn save_site(
        &self,
        id: Option<SiteId>,
        name: &str,
        territory: TerritoryId,
        audit: &Audit,
    ) -> Result<SiteId, HubStoreError> {
        let name = clean_name("site", name)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        if !exists(&tx, "SELECT 1 FROM territories WHERE id = ?1", territory.0)? {
            return Err(HubStoreError::NotFound(format!("territory {territory}")));
        }
        if name_taken(&tx, "sites", &name, id.map(|s| s.0))? {
            return Err(HubStoreError::Duplicate(Duplicated::Site(name.to_owned())));
        }
        let id = match id {
            Some(id) => {
                let changed = tx.execute(
                    "UPDATE sites SET name = ?2, territory_id = ?3 WHERE id = ?1",
                    params![id.0, name, territory.0],
                )?;
                if changed == 0 {
                    return Err(HubStoreError::NotFound(format!("site {id}")));
                }
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO sites (name, territory_id) VALUES (?1, ?2)",
                    params![name, territory.0],
                )?;
                SiteId(tx.last_insert_rowid())
            }
        };
        record_audit(&tx, &audit.clone().subject(format!("site {id}")))?;
        tx.commit()?;
        Ok(id)
    }

    fn kiosk_settings(&self, kiosk: KioskId) -> Result<Option<KioskSettings>, HubStoreError> {
        let conn = self.reader();
        let raw: Option<(String, i64, String, String, String, u32)> = conn
            .query_row(
                "SELECT name, site_id, payment_methods, thresholds, voice,
                        (SELECT count(*) FROM kiosk_tokens t
                         WHERE t.kiosk_id = k.id AND t.revoked_at IS NULL)
                 FROM kiosks k WHERE id = ?1",
                [kiosk.0],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((name, site, methods, thresholds, voice, live_tokens)) = raw else {
            return Ok(None);
        };
        Ok(Some(KioskSettings {
            id: kiosk,
            name,
            site: SiteId(site),
            payment_methods: serde_json::from_str(&methods)?,
            thresholds: serde_json::from_str(&thresholds)?,
            voice: serde_json::from_str(&voice)?,
            live_tokens,
        }))
    }

    fn create_kiosk(
        &self,
        kiosk: &NewKiosk,
        code: &NewCode,
        audit: &Audit,
    ) -> Result<KioskId, HubStoreError> {
        let name = clean_name("kiosk", &kiosk.name)?;
        let methods = sorted_methods(&kiosk.payment_methods)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        if !exists(&tx, "SELECT 1 FROM sites WHERE id = ?1", kiosk.site.0)? {
            return Err(HubStoreError::NotFound(format!("site {}", kiosk.site)));
        }
        if name_taken(&tx, "kiosks", &name, None)? {
            return Err(HubStoreError::Duplicate(Duplicated::Kiosk(name.to_owned())));
        }
        tx.execute(
            "INSERT INTO kiosks (name, site_id, created_at, payment_methods, thresholds)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                name,
                kiosk.site.0,
                time_text(code.created_at),
                methods,
                serde_json::to_string(&kiosk.thresholds)?
            ],
        )?;
        let id = KioskId(tx.last_insert_rowid());
        insert_code(&tx, id, code)?;
        tx.execute("UPDATE config_state SET version = version + 1", [])?;
        record_audit(&tx, &audit.clone().subject(format!("kiosk {id}")))?;
        tx.commit()?;
        Ok(id)
    }

    fn new_kiosk_code(
        &self,
        kiosk: KioskId,
        code: &NewCode,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        self.audited(audit, |tx| {
            require_kiosk(tx, kiosk)?;
            insert_code(tx, kiosk, code)?;
            Ok(())
        })
    }

    fn revoke_kiosk_tokens(
        &self,
        kiosk: KioskId,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<usize, HubStoreError> {
        self.audited(audit, |tx| {
            require_kiosk(tx, kiosk)?;
            let revoked = tx.execute(
                "UPDATE kiosk_tokens SET revoked_at = ?2 WHERE kiosk_id = ?1 AND revoked_at IS NULL",
                params![kiosk.0, time_text(now)],
            )?;
            Ok(revoked)
        })
    }

    fn save_kiosk_settings(
        &self,
        kiosk: KioskId,
        payment_methods: &[PaymentMethod],
        thresholds: &Thresholds,
        voice: &VoiceSettings,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        let methods = sorted_methods(payment_methods)?;
        voice
            .validate()
            .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
        self.audited(audit, |tx| {
            require_kiosk(tx, kiosk)?;
            tx.execute(
                "UPDATE kiosks SET payment_methods = ?2, thresholds = ?3, voice = ?4 WHERE id = ?1",
                params![
                    kiosk.0,
                    methods,
                    serde_json::to_string(thresholds)?,
                    serde_json::to_string(voice)?
                ],
            )?;
            Ok(())
        })
    }

    fn issue_badge(
        &self,
        badge: &NewBadge,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<StaffId, HubStoreError> {
        require_argon2(&badge.pin_hash)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        if let Some(site) = badge.site
            && !exists(&tx, "SELECT 1 FROM sites WHERE id = ?1", site.0)?
        {
            return Err(HubStoreError::NotFound(format!("site {site}")));
        }
        if badge_hash_in_use(&tx, &badge.hash)? {
            return Err(HubStoreError::Duplicate(Duplicated::BadgeCode));
        }
        tx.execute(
            "INSERT INTO staff_badges (hash, pin_hash, site_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![badge.hash.0.as_slice(), badge.pin_hash, badge.site.map(|s| s.0), time_text(now)],
        )?;
        let staff = StaffId(tx.last_insert_rowid());
        record_audit(&tx, &audit.clone().subject(format!("badge {staff}")))?;
        tx.commit()?;
        Ok(staff)
    }

    fn set_badge_pin_audited(
        &self,
        staff: StaffId,
        pin_hash: &str,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        require_argon2(pin_hash)?;
        self.audited(audit, |tx| {
            live_badge(tx, staff)?;
            tx.execute(
                "UPDATE staff_badges SET pin_hash = ?2 WHERE id = ?1",
                params![staff.0, pin_hash],
            )?;
            Ok(())
        })
    }

    fn revoke_badge_audited(&self, staff: StaffId, audit: &Audit) -> Result<(), HubStoreError> {
        self.audited(audit, |tx| {
            live_badge(tx, staff)?;
            tx.execute(
                "UPDATE staff_badges SET revoked = 1 WHERE id = ?1",
                [staff.0],
            )?;
            Ok(())
        })
    }
}
