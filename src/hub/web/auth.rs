//! Logging in and out, one's own account (password, language).
//!
//! A wrong password counts towards a lockout ([`WebSettings::login_max_failures`] in a row lock the
//! account for [`WebSettings::login_lockout`]); the count and the lock are one statement and the
//! session is opened only if no lock is on in the statement that opens it, so concurrent wrong
//! passwords cannot slip past the lock. A locked account is refused even with the right password.
//! Unknown logins take as long as known ones (the password is checked against a dummy hash), so
//! the page does not reveal which logins exist. Before any of this, [`LoginGuard`] limits attempts
//! per address and how many passwords are hashed at once.

use std::sync::OnceLock;

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::i18n::{Lang, t};
use super::login_guard::{ClientAddr, LoginGuard};
use super::page::Page;
use super::session::{
    CurrentUser, LANG_COOKIE, SESSION_COOKIE, Visitor, random_token, session_hash, set_cookie,
};
use super::settings::WebSettings;
use super::{local_path, render, safe_next, store_call};
use crate::hub::app::HubState;
use crate::hub::store::{Actor, Audit, LockRule, NewSession, UserRecord};
use crate::passwords;

/// Shortest password a user may choose.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (Argon2 would take any length; a form need not).
pub const MAX_PASSWORD_CHARS: usize = 200;

/// `/`: the dashboard for a logged-in user, the login page for anyone else.
pub async fn root(visitor: Visitor) -> Response {
    let target = if visitor.signed_in.is_some() {
        "/dashboard"
    } else {
        "/login"
    };
    visitor.respond(Redirect::to(target))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_page(
    visitor: Visitor,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    if visitor.signed_in.is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    let page = LoginPage {
        page: Page::new(&visitor, "hub-login-title"),
        next: safe_next(&query.next).to_owned(),
        login: String::new(),
        error: None,
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Why a login was refused.
enum Refusal {
    WrongCredentials,
    Locked,
}

pub async fn login(
    State(state): State<HubState>,
    Extension(guard): Extension<LoginGuard>,
    ClientAddr(client): ClientAddr,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    guard.admit(client)?;
    let login = form.login.trim().to_owned();
    let lookup = login.clone();
    let user = store_call(&state, move |s| s.user_by_login(&lookup)).await?;
    let checked = check_password(&state, &guard, user.as_ref(), &login, form.password).await?;
    let refusal = match checked {
        Ok(user) => match open_session(&state, &visitor, user, &form.next).await? {
            Ok(opened) => return Ok(opened),
            Err(refusal) => refusal,
        },
        Err(refusal) => refusal,
    };
    let (status, key) = match refusal {
        Refusal::WrongCredentials => (StatusCode::UNAUTHORIZED, "hub-login-wrong"),
        Refusal::Locked => (StatusCode::TOO_MANY_REQUESTS, "hub-login-locked"),
    };
    let page = LoginPage {
        page: Page::new(&visitor, "hub-login-title"),
        next: safe_next(&form.next).to_owned(),
        error: Some(t(visitor.lang, key)),
        login,
    };
    render(&visitor, status, &page)
}

/// A hash no password matches quickly: unknown logins are checked against it.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| passwords::hash_secret("not a password of anyone").unwrap_or_default())
}

/// The lockout as the store applies it to a failure at `now`.
fn lock_rule(state: &HubState, now: DateTime<Utc>) -> LockRule {
    let lockout =
        chrono::Duration::from_std(state.web.login_lockout).unwrap_or(chrono::Duration::MAX);
    LockRule {
        max_failures: state.web.login_max_failures,
        now,
        until: now
            .checked_add_signed(lockout)
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    }
}

/// Records a login refused because the account is locked (the count does not move).
async fn refuse_locked(
    state: &HubState,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Refusal, WebError> {
    let audit = Audit::new(actor, now, "login.locked");
    let rule = lock_rule(state, now);
    store_call(state, move |s| s.login_failed(None, &rule, &audit)).await?;
    Ok(Refusal::Locked)
}

/// Checks the password and records a failure (with the lockout) when it is wrong. The lock is
/// read just before (a locked account is refused without hashing) and counted atomically after;
/// [`open_session`] checks it once more in the statement that opens the session.
async fn check_password(
    state: &HubState,
    guard: &LoginGuard,
    user: Option<&UserRecord>,
    login: &str,
    password: String,
) -> Result<Result<UserRecord, Refusal>, WebError> {
    let now = state.clock.now();
    let actor = Actor {
        user: user.map(|u| u.id),
        login: login.chars().take(64).collect(),
    };
    if let Some(user) = user
        && user.locked_until.is_some_and(|until| until > now)
    {
        return Ok(Err(refuse_locked(state, &actor, now).await?));
    }
    let stored = match user {
        Some(user) if !user.disabled => user.password_hash.clone(),
        _ => dummy_hash().to_owned(),
    };
    let matches = guard
        .hash(move || passwords::verify_secret(&password, &stored))
        .await?;
    match user {
        Some(user) if matches && !user.disabled => Ok(Ok(user.clone())),
        _ => {
            let now = state.clock.now();
            let id = user.map(|u| u.id);
            let audit = Audit::new(&actor, now, "login.failed");
            let rule = lock_rule(state, now);
            let locked = store_call(state, move |s| s.login_failed(id, &rule, &audit)).await?;
            Ok(Err(if locked {
                Refusal::Locked
            } else {
                Refusal::WrongCredentials
            }))
        }
    }
}

/// Opens a session for a user whose password was right, unless the account got locked meanwhile.
async fn open_session(
    state: &HubState,
    visitor: &Visitor,
    user: UserRecord,
    next: &str,
) -> Result<Result<Response, Refusal>, WebError> {
    let id = random_token()?;
    let session = NewSession {
        id_hash: session_hash(&id),
        csrf_token: random_token()?,
    };
    let actor = Actor {
        user: Some(user.id),
        login: user.login.clone(),
    };
    let now = state.clock.now();
    let audit = Audit::new(&actor, now, "login").subject(format!("user {}", user.id));
    let user_id = user.id;
    let limit = |d| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
    let (idle, max) = (limit(state.web.session_idle), limit(state.web.session_max));
    let opened = store_call(state, move |s| {
        // Sessions of people who never came back: no longer usable, only taking room.
        s.purge_sessions(now - idle, now - max)?;
        s.start_session(user_id, &session, &audit)
    })
    .await?;
    if !opened {
        return Ok(Err(refuse_locked(state, &actor, now).await?));
    }
    let settings = &visitor.settings;
    let mut cookies = vec![set_cookie(settings, SESSION_COOKIE, &id, None)];
    if let Some(lang) = user.language.as_deref().and_then(Lang::from_tag) {
        cookies.push(lang_cookie(settings, lang));
    }
    let done = Visitor {
        cookies,
        ..visitor.clone()
    };
    Ok(Ok(done.respond(Redirect::to(safe_next(next)))))
}

fn lang_cookie(settings: &WebSettings, lang: Lang) -> String {
    set_cookie(settings, LANG_COOKIE, lang.tag(), Some(365 * 24 * 3600))
}

#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let audit = user
        .audit("logout")
        .subject(format!("user {}", user.user.id));
    let hash = user.session;
    store_call(&state, move |s| s.end_session(&hash, Some(&audit))).await?;
    let done = Visitor {
        cookies: vec![set_cookie(
            &user.visitor.settings,
            SESSION_COOKIE,
            "",
            Some(0),
        )],
        ..user.visitor
    };
    Ok(done.respond(Redirect::to("/login")))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Page,
    errors: Vec<String>,
}

pub async fn account(user: CurrentUser) -> Result<Response, WebError> {
    let page = AccountPage {
        page: Page::new(&user.visitor, "hub-account-title"),
        errors: Vec::new(),
    };
    render(&user.visitor, StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// What is wrong with a new password (message ids), before anything is checked or written.
pub fn password_rule_errors(new: &str, confirm: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    let chars = new.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        errors.push("hub-account-error-length");
    }
    if new != confirm {
        errors.push("hub-account-error-confirm");
    }
    errors
}

pub async fn change_password(
    State(state): State<HubState>,
    Extension(guard): Extension<LoginGuard>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let mut errors = password_rule_errors(&form.new, &form.confirm);
    let id = user.user.id;
    let stored = store_call(&state, move |s| s.user(id))
        .await?
        .ok_or(WebError::NotFound)?
        .password_hash;
    let current = form.current;
    let good = guard
        .hash(move || passwords::verify_secret(&current, &stored))
        .await?;
    if !good {
        errors.insert(0, "hub-account-error-current");
    }
    if !errors.is_empty() {
        let page = AccountPage {
            page: Page::new(&user.visitor, "hub-account-title"),
            errors: errors.into_iter().map(|k| t(user.lang(), k)).collect(),
        };
        return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let new = form.new;
    let hash = guard
        .hash(move || passwords::hash_secret(&new))
        .await?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let audit = user.audit("user.password").subject(format!("user {id}"));
    let keep = user.session;
    store_call(&state, move |s| s.set_password(id, &hash, &keep, &audit)).await?;
    let page = AccountPage {
        page: Page::new(&user.visitor, "hub-account-title").notice("hub-account-changed"),
        errors: Vec::new(),
    };
    render(&user.visitor, StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// The header's language switch: a cookie for everyone, and the account's setting when logged in.
pub async fn switch_language(
    State(state): State<HubState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_tag(&form.lang).ok_or_else(|| WebError::BadForm("language".into()))?;
    if let Some(signed) = &visitor.signed_in {
        let actor = Actor {
            user: Some(signed.user.id),
            login: signed.user.login.clone(),
        };
        let audit = Audit::new(&actor, state.clock.now(), "user.language")
            .subject(format!("user {}", signed.user.id))
            .detail(json!({ "language": lang.tag() }));
        let id = signed.user.id;
        store_call(&state, move |s| s.set_language(id, lang.tag(), &audit)).await?;
    }
    let done = Visitor {
        cookies: vec![lang_cookie(&visitor.settings, lang)],
        ..visitor
    };
    Ok(done.respond(Redirect::to(local_path(&form.back).unwrap_or("/"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules_name_every_problem() {
        assert!(password_rule_errors("long enough pass", "long enough pass").is_empty());
        assert_eq!(
            password_rule_errors("short", "other"),
            vec!["hub-account-error-length", "hub-account-error-confirm"]
        );
        let long = "x".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(
            password_rule_errors(&long, &long),
            vec!["hub-account-error-length"]
        );
    }
}
