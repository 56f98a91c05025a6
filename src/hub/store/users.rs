//! Hub users in storage: accounts, roles, sessions, and the audit log every write records.
//!
//! Every audited write of the hub (here and in the other areas' traits) takes an [`Audit`] naming
//! its [`Actor`] and records it in the same transaction as the change. The SQLite side is
//! `hub/store/sqlite/web.rs`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{HubStoreError, SecretHash};
use crate::domain::SiteId;

/// A hub user's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Roles of hub users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    SiteStaff(SiteId),
    Viewer,
}

/// Who makes a write, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub login: String,
}

impl Actor {
    /// The login the audit log shows for a change made from the command line (`congelo-hub`).
    pub const CLI_LOGIN: &'static str = "cli";

    /// Whoever runs `congelo-hub` on the hub's machine: no account (`user_id` is NULL in the
    /// audit log), login [`Actor::CLI_LOGIN`].
    pub fn cli() -> Actor {
        Actor {
            user: None,
            login: Actor::CLI_LOGIN.to_owned(),
        }
    }
}

/// One audited change: a stable action code (`product.create`), what it changed (`product 12`)
/// and the values written (JSON, never a password or a secret).
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub actor: Actor,
    pub at: DateTime<Utc>,
    pub action: &'static str,
    pub subject: String,
    pub detail: serde_json::Value,
}

impl Audit {
    pub fn new(actor: &Actor, at: DateTime<Utc>, action: &'static str) -> Audit {
        Audit {
            actor: actor.clone(),
            at,
            action,
            subject: String::new(),
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Audit {
        self.subject = subject.into();
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Audit {
        self.detail = detail;
        self
    }
}

/// A user as login and the admin page see it (with the password hash: never sent to a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub login: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub language: Option<String>,
    pub failed_logins: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user: UserRecord,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// A new session: the hash of the cookie's id and the session's CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id_hash: SecretHash,
    pub csrf_token: String,
}

/// When failed logins lock an account: the `max_failures`-th failure in a row locks it until
/// `until`; a lock whose deadline is after `now` is still on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockRule {
    pub max_failures: u32,
    pub now: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user: Option<UserId>,
    pub login: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<UserId>,
    /// Rows with an id below this one (the next page); `None`: the newest.
    pub before: Option<i64>,
    pub limit: u32,
}

/// Users, sessions and the audit log. Every method is one transaction.
pub trait UserStore {
    fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, HubStoreError>;
    fn user(&self, id: UserId) -> Result<Option<UserRecord>, HubStoreError>;
    fn users(&self) -> Result<Vec<UserRecord>, HubStoreError>;
    /// Counts a failed login of `user` and locks the account when this failure reaches
    /// `rule.max_failures`, in ONE statement, so concurrent failures can never all read the same
    /// count; an account already locked keeps its deadline. Returns whether the account is locked
    /// now. With `user` = `None` (unknown login, or a refusal while locked) only `audit` is written.
    fn login_failed(
        &self,
        user: Option<UserId>,
        rule: &LockRule,
        audit: &Audit,
    ) -> Result<bool, HubStoreError>;
    /// Opens a session after a good password and resets the failure count — unless the account
    /// was locked or disabled meanwhile (a concurrent wrong password), checked in the same
    /// statement: then nothing is written and `Ok(false)` is returned.
    fn start_session(
        &self,
        user: UserId,
        session: &NewSession,
        audit: &Audit,
    ) -> Result<bool, HubStoreError>;
    /// The session with this id hash, if it exists and its user is not disabled.
    fn session(&self, id_hash: &SecretHash) -> Result<Option<SessionRecord>, HubStoreError>;
    /// Deletes sessions unused since `idle_before` or opened before `started_before` (they can no
    /// longer be used: this only keeps the table small). Returns how many went.
    fn purge_sessions(
        &self,
        idle_before: DateTime<Utc>,
        started_before: DateTime<Utc>,
    ) -> Result<usize, HubStoreError>;
    fn touch_session(&self, id_hash: &SecretHash, now: DateTime<Utc>) -> Result<(), HubStoreError>;
    /// Ends a session; `audit` is `None` when it simply expired.
    fn end_session(&self, id_hash: &SecretHash, audit: Option<&Audit>)
    -> Result<(), HubStoreError>;
    /// Replaces a password hash and ends the user's other sessions.
    fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: &SecretHash,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    fn set_language(&self, user: UserId, tag: &str, audit: &Audit) -> Result<(), HubStoreError>;
    fn create_user(
        &self,
        login: &str,
        password_hash: &str,
        role: Role,
        audit: &Audit,
    ) -> Result<UserId, HubStoreError>;
    /// Changes a user's role and whether it is disabled (a disabled user loses its sessions).
    fn update_user(
        &self,
        user: UserId,
        role: Role,
        disabled: bool,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    fn audit_log(&self, query: AuditQuery) -> Result<Vec<AuditRow>, HubStoreError>;
    /// How many accounts exist (`init` refuses to run twice).
    fn user_count(&self) -> Result<u64, HubStoreError>;
    /// Every site, by name (for choosing a site staff user's site).
    fn site_names(&self) -> Result<Vec<(SiteId, String)>, HubStoreError>;
}
