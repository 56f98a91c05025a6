//! SQLite side of the web pages' storage: users, sessions and the audit log; the catalogue pages'
//! products and tiers in [`catalogue`].
//!
//! [`record_audit`] is the one way an audit row is written; every write below calls it inside its
//! own transaction, and other page modules' storage code should too.

pub(super) mod catalogue;
mod photos;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{SqliteHubStore, immediate};
use crate::domain::product::Product;
use crate::domain::{ProductId, SiteId, TierId};
use crate::hub::store::{
    Audit, AuditQuery, AuditRow, CatalogueStore, Duplicated, HubStoreError, LockRule, NewSession,
    Role, SecretHash, SessionRecord, TierEntry, UserId, UserRecord, UserStore,
};
use crate::sqlite::{parse_time, time_text};

/// Writes one audit row inside the caller's transaction.
pub(crate) fn record_audit(tx: &Transaction<'_>, audit: &Audit) -> Result<(), HubStoreError> {
    tx.execute(
        "INSERT INTO audit_log (at, user_id, login, action, subject, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            time_text(audit.at),
            audit.actor.user.map(|u| u.0),
            audit.actor.login,
            audit.action,
            audit.subject,
            audit.detail.to_string(),
        ],
    )?;
    Ok(())
}

fn time(text: &str) -> Result<DateTime<Utc>, HubStoreError> {
    parse_time(text).map_err(|e| HubStoreError::Corrupt(e.to_string()))
}

const USER_COLUMNS: &str = "u.id, u.login, u.password_hash, u.role, u.site_id, u.disabled, \
     u.language, u.failed_logins, u.locked_until, u.created_at";

/// Raw columns of a user row, converted once the statement is done.
type RawUser = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    bool,
    Option<String>,
    i64,
    Option<String>,
    String,
);

fn raw_user(r: &Row<'_>) -> rusqlite::Result<RawUser> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    ))
}

fn user_from(raw: RawUser) -> Result<UserRecord, HubStoreError> {
    let (id, login, password_hash, role, site, disabled, language, failed, locked, created) = raw;
    let role = match (role.as_str(), site) {
        ("admin", _) => Role::Admin,
        ("viewer", _) => Role::Viewer,
        ("site_staff", Some(site)) => Role::SiteStaff(SiteId(site)),
        _ => {
            return Err(HubStoreError::Corrupt(format!(
                "user {id} has role «{role}»"
            )));
        }
    };
    Ok(UserRecord {
        id: UserId(id),
        login,
        password_hash,
        role,
        disabled,
        language,
        failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until: locked.as_deref().map(time).transpose()?,
        created_at: time(&created)?,
    })
}

/// The role's column values.
pub(crate) fn role_columns(role: Role) -> (&'static str, Option<i64>) {
    match role {
        Role::Admin => ("admin", None),
        Role::SiteStaff(site) => ("site_staff", Some(site.0)),
        Role::Viewer => ("viewer", None),
    }
}

fn one_user(
    conn: &Connection,
    filter: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<Option<UserRecord>, HubStoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE {filter}");
    conn.query_row(&sql, [value], raw_user)
        .optional()?
        .map(user_from)
        .transpose()
}

fn require_user(tx: &Transaction<'_>, user: UserId) -> Result<(), HubStoreError> {
    let found = tx
        .query_row("SELECT 1 FROM users WHERE id = ?1", [user.0], |_| Ok(()))
        .optional()?;
    found.ok_or_else(|| HubStoreError::NotFound(format!("user {user}")))
}

fn require_site(tx: &Transaction<'_>, role: Role) -> Result<(), HubStoreError> {
    if let Role::SiteStaff(site) = role {
        let found = tx
            .query_row("SELECT 1 FROM sites WHERE id = ?1", [site.0], |_| Ok(()))
            .optional()?;
        found.ok_or_else(|| HubStoreError::NotFound(format!("site {site}")))?;
    }
    Ok(())
}

impl UserStore for SqliteHubStore {
    fn user_count(&self) -> Result<u64, HubStoreError> {
        let n: i64 = self
            .reader()
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, HubStoreError> {
        one_user(&self.reader(), "u.login = ?1", &login.trim())
    }

    fn user(&self, id: UserId) -> Result<Option<UserRecord>, HubStoreError> {
        one_user(&self.reader(), "u.id = ?1", &id.0)
    }

    fn users(&self) -> Result<Vec<UserRecord>, HubStoreError> {
        let conn = self.reader();
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.login");
        let mut statement = conn.prepare(&sql)?;
        let raw = statement
            .query_map([], raw_user)?
            .collect::<Result<Vec<_>, _>>()?;
        raw.into_iter().map(user_from).collect()
    }

    fn login_failed(
        &self,
        user: Option<UserId>,
        rule: &LockRule,
        audit: &Audit,
    ) -> Result<bool, HubStoreError> {
        self.audited(audit, |tx| {
            let mut locked = false;
            if let Some(user) = user {
                let now = time_text(rule.now);
                // SET expressions read the row as it was: the count and the lock move together.
                let until: Option<Option<String>> = tx
                    .query_row(
                        "UPDATE users SET failed_logins = failed_logins + 1,
                            locked_until = CASE
                                WHEN locked_until > ?2 THEN locked_until
                                WHEN failed_logins + 1 >= ?3 THEN ?4
                                ELSE locked_until END
                         WHERE id = ?1
                         RETURNING locked_until",
                        params![user.0, now, rule.max_failures, time_text(rule.until)],
                        |r| r.get(0),
                    )
                    .optional()?;
                locked = until.flatten().is_some_and(|until| until > now);
            }
            Ok(locked)
        })
    }

    fn start_session(
        &self,
        user: UserId,
        session: &NewSession,
        audit: &Audit,
    ) -> Result<bool, HubStoreError> {
        // A disabled or locked account starts no session and leaves no audit row.
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        require_user(&tx, user)?;
        let now = time_text(audit.at);
        let unlocked = tx.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL
             WHERE id = ?1 AND disabled = 0 AND (locked_until IS NULL OR locked_until <= ?2)",
            params![user.0, now],
        )?;
        if unlocked == 0 {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![
                session.id_hash.0.as_slice(),
                user.0,
                session.csrf_token,
                now
            ],
        )?;
        record_audit(&tx, audit)?;
        tx.commit()?;
        Ok(true)
    }

    fn session(&self, id_hash: &SecretHash) -> Result<Option<SessionRecord>, HubStoreError> {
        let conn = self.reader();
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.created_at, s.last_seen
             FROM web_sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id_hash = ?1 AND u.disabled = 0"
        );
        let found = conn
            .query_row(&sql, [id_hash.0.as_slice()], |r| {
                Ok((
                    raw_user(r)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, String>(12)?,
                ))
            })
            .optional()?;
        let Some((user, csrf_token, created, seen)) = found else {
            return Ok(None);
        };
        Ok(Some(SessionRecord {
            user: user_from(user)?,
            csrf_token,
            created_at: time(&created)?,
            last_seen: time(&seen)?,
        }))
    }

    fn purge_sessions(
        &self,
        idle_before: DateTime<Utc>,
        started_before: DateTime<Utc>,
    ) -> Result<usize, HubStoreError> {
        Ok(self.writer().execute(
            "DELETE FROM web_sessions WHERE last_seen < ?1 OR created_at < ?2",
            params![time_text(idle_before), time_text(started_before)],
        )?)
    }

    fn touch_session(&self, id_hash: &SecretHash, now: DateTime<Utc>) -> Result<(), HubStoreError> {
        self.writer().execute(
            "UPDATE web_sessions SET last_seen = ?2 WHERE id_hash = ?1",
            params![id_hash.0.as_slice(), time_text(now)],
        )?;
        Ok(())
    }

    fn end_session(
        &self,
        id_hash: &SecretHash,
        audit: Option<&Audit>,
    ) -> Result<(), HubStoreError> {
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        tx.execute(
            "DELETE FROM web_sessions WHERE id_hash = ?1",
            [id_hash.0.as_slice()],
        )?;
        if let Some(audit) = audit {
            record_audit(&tx, audit)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: &SecretHash,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        self.audited(audit, |tx| {
            require_user(tx, user)?;
            tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![user.0, password_hash],
            )?;
            tx.execute(
                "DELETE FROM web_sessions WHERE user_id = ?1 AND id_hash != ?2",
                params![user.0, keep.0.as_slice()],
            )?;
            Ok(())
        })
    }

    fn set_language(&self, user: UserId, tag: &str, audit: &Audit) -> Result<(), HubStoreError> {
        self.audited(audit, |tx| {
            require_user(tx, user)?;
            tx.execute(
                "UPDATE users SET language = ?2 WHERE id = ?1",
                params![user.0, tag],
            )?;
            Ok(())
        })
    }

    fn create_user(
        &self,
        login: &str,
        password_hash: &str,
        role: Role,
        audit: &Audit,
    ) -> Result<UserId, HubStoreError> {
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        let taken = tx
            .query_row("SELECT 1 FROM users WHERE login = ?1", [login], |_| Ok(()))
            .optional()?;
        if taken.is_some() {
            return Err(HubStoreError::Duplicate(Duplicated::Login(
                login.to_owned(),
            )));
        }
        require_site(&tx, role)?;
        let (role_name, site) = role_columns(role);
        tx.execute(
            "INSERT INTO users (login, password_hash, role, site_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![login, password_hash, role_name, site, time_text(audit.at)],
        )?;
        let id = UserId(tx.last_insert_rowid());
        let mut audit = audit.clone();
        audit.subject = format!("user {id}");
        record_audit(&tx, &audit)?;
        tx.commit()?;
        Ok(id)
    }

    fn update_user(
        &self,
        user: UserId,
        role: Role,
        disabled: bool,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        self.audited(audit, |tx| {
            require_user(tx, user)?;
            require_site(tx, role)?;
            let (role_name, site) = role_columns(role);
            tx.execute(
                "UPDATE users SET role = ?2, site_id = ?3, disabled = ?4 WHERE id = ?1",
                params![user.0, role_name, site, disabled],
            )?;
            if disabled {
                tx.execute("DELETE FROM web_sessions WHERE user_id = ?1", [user.0])?;
            }
            Ok(())
        })
    }

    fn site_names(&self) -> Result<Vec<(SiteId, String)>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare_cached("SELECT id, name FROM sites ORDER BY name")?;
        let rows = statement
            .query_map([], |r| Ok((SiteId(r.get(0)?), r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn audit_log(&self, query: AuditQuery) -> Result<Vec<AuditRow>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare_cached(
            "SELECT id, at, user_id, login, action, subject, detail FROM audit_log
             WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR id < ?2)
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = statement
            .query_map(
                params![query.user.map(|u| u.0), query.before, query.limit],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, at, user, login, action, subject, detail)| {
                Ok(AuditRow {
                    id,
                    at: time(&at)?,
                    user: user.map(UserId),
                    login,
                    action,
                    subject,
                    detail,
                })
            })
            .collect()
    }
}

impl CatalogueStore for SqliteHubStore {
    fn catalogue_products(&self) -> Result<Vec<Product>, HubStoreError> {
        catalogue::products(&self.reader())
    }

    fn save_product(
        &self,
        id: Option<ProductId>,
        product: &Product,
        audit: &Audit,
    ) -> Result<ProductId, HubStoreError> {
        catalogue::save_product(&mut self.writer(), id, product, audit)
    }

    fn set_product_photo(
        &self,
        id: ProductId,
        photo: Option<&crate::hub::photos::ProcessedPhoto>,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        photos::set_product_photo(&mut self.writer(), id, photo, audit)
    }

    fn photo(
        &self,
        hash: &crate::domain::photo::PhotoHash,
    ) -> Result<Option<crate::hub::store::StoredPhoto>, HubStoreError> {
        photos::photo(&self.reader(), hash)
    }

    fn catalogue_tiers(&self) -> Result<Vec<TierEntry>, HubStoreError> {
        catalogue::tiers(&self.reader())
    }

    fn save_tier(
        &self,
        id: Option<TierId>,
        tier: &TierEntry,
        audit: &Audit,
    ) -> Result<TierId, HubStoreError> {
        catalogue::save_tier(&mut self.writer(), id, tier, audit)
    }
}
