//! The admin's page of hub users: create one, change a role, disable or enable an account.
//!
//! An admin cannot demote or disable their own account from here (the collective must never
//! lock itself out); a disabled user loses every session at once.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::json;

use super::auth::password_rule_errors;
use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved, write};
use super::login_guard::LoginGuard;
use super::page::{Choice, Page, role_name};
use super::policy::Access;
use super::session::CurrentUser;
use super::{render, store_call};
use crate::domain::SiteId;
use crate::hub::app::HubState;
use crate::hub::store::UserId;
use crate::hub::store::{HubStore, HubStoreError, Role};
use crate::passwords;

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", post(update))
}

/// A user as the page lists it.
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub role: String,
    pub role_code: &'static str,
    pub site: Option<i64>,
    pub disabled: bool,
    pub locked: bool,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: Page,
    users: Vec<UserRow>,
    sites: Vec<Choice>,
    form: NewUserForm,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: Option<String>,
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Users)?;
    let page = Page::new(&user.visitor, "hub-users-title")
        .notice_if(query.saved.is_some(), "hub-users-saved");
    let errors = FieldErrors::new(user.lang());
    show(
        &state,
        &user,
        page,
        NewUserForm::default(),
        errors,
        StatusCode::OK,
    )
    .await
}

async fn show(
    state: &HubState,
    user: &CurrentUser,
    page: Page,
    form: NewUserForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (records, sites) = store_call(state, |s| Ok((s.users()?, s.site_names()?))).await?;
    let now = state.clock.now();
    let users = records
        .into_iter()
        .map(|r| UserRow {
            id: r.id.0,
            role: role_name(user.lang(), r.role),
            role_code: role_code(r.role),
            site: super::policy::own_site(r.role).map(|s| s.0),
            disabled: r.disabled,
            locked: r.locked_until.is_some_and(|until| until > now),
            is_me: r.id == user.user.id,
            login: r.login,
        })
        .collect();
    let sites = sites
        .into_iter()
        .map(|(id, name)| Choice { id: id.0, name })
        .collect();
    let template = UsersPage {
        page,
        users,
        sites,
        form,
        errors,
    };
    render(&user.visitor, status, &template)
}

pub fn role_code(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::SiteStaff(_) => "site_staff",
        Role::Viewer => "viewer",
    }
}

/// The role a form asks for, or the message id of what is wrong.
fn parse_role(role: &str, site: &str) -> Result<Role, (&'static str, &'static str)> {
    match role {
        "admin" => Ok(Role::Admin),
        "viewer" => Ok(Role::Viewer),
        "site_staff" => site
            .trim()
            .parse::<i64>()
            .map(|id| Role::SiteStaff(SiteId(id)))
            .map_err(|_| ("site", "hub-users-error-site")),
        _ => Err(("role", "hub-users-error-role")),
    }
}

/// Longest login.
pub const MAX_LOGIN_CHARS: usize = 64;

/// Whether a login (already trimmed) may name an account: 1 to [`MAX_LOGIN_CHARS`] characters,
/// no spaces. The users page and `congelo-hub init` check it.
pub fn login_ok(login: &str) -> bool {
    !login.is_empty()
        && login.chars().count() <= MAX_LOGIN_CHARS
        && !login.chars().any(char::is_whitespace)
}

#[derive(Debug, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub site: String,
}

async fn create(
    State(state): State<HubState>,
    Extension(guard): Extension<LoginGuard>,
    user: CurrentUser,
    CsrfForm(mut form): CsrfForm<NewUserForm>,
) -> Result<Response, WebError> {
    user.require(Access::Users)?;
    let mut errors = FieldErrors::new(user.lang());
    let login = form.login.trim().to_owned();
    if !login_ok(&login) {
        errors.add("login", "hub-users-error-login");
    }
    for key in password_rule_errors(&form.password, &form.password) {
        errors.add("password", key);
    }
    let role = parse_role(&form.role, &form.site)
        .map_err(|(field, key)| errors.add(field, key))
        .ok();
    // The password is never sent back to the page.
    let password = std::mem::take(&mut form.password);
    if let (Some(role), true) = (role, errors.is_empty()) {
        let hash = guard
            .hash(move || passwords::hash_secret(&password))
            .await?
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let audit = user.audit("user.create").detail(json!({
            "login": login,
            "role": role_code(role),
            "site": super::policy::own_site(role).map(|s| s.0),
        }));
        let call = move |s: &dyn HubStore| s.create_user(&login, &hash, role, &audit);
        let refusal = |error: &HubStoreError, errors: &mut FieldErrors| match error {
            HubStoreError::Duplicate(_) => errors.refuse("login", "hub-users-error-taken"),
            HubStoreError::NotFound(_) => errors.refuse("site", "hub-users-error-site"),
            _ => false,
        };
        if write(&state, &mut errors, call, refusal).await?.is_some() {
            return saved("/users?saved=1");
        }
    }
    refused(&state, &user, form, errors).await
}

#[derive(Debug, Default, Deserialize)]
pub struct UpdateUserForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub site: String,
    /// Present (any value) when the "disabled" box is ticked.
    #[serde(default)]
    pub disabled: Option<String>,
}

async fn update(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<UpdateUserForm>,
) -> Result<Response, WebError> {
    user.require(Access::Users)?;
    let target = UserId(id);
    let mut errors = FieldErrors::new(user.lang());
    // The fields of the user's row: `u4_role` is user 4's role.
    let field = |name: &str| format!("u{id}_{name}");
    let role = parse_role(&form.role, &form.site)
        .map_err(|(name, key)| errors.add(&field(name), key))
        .ok();
    let disabled = form.disabled.is_some();
    if target == user.user.id && (disabled || role != Some(Role::Admin)) {
        errors.add(&field("role"), "hub-users-error-self");
    }
    if let (Some(role), true) = (role, errors.is_empty()) {
        store_call(&state, move |s| s.user(target))
            .await?
            .ok_or(WebError::NotFound)?;
        let audit = user
            .audit("user.update")
            .subject(format!("user {target}"))
            .detail(json!({
                "role": role_code(role),
                "site": super::policy::own_site(role).map(|s| s.0),
                "disabled": disabled,
            }));
        let call = move |s: &dyn HubStore| s.update_user(target, role, disabled, &audit);
        let refusal = |error: &HubStoreError, errors: &mut FieldErrors| match error {
            HubStoreError::NotFound(what) if what.starts_with("site") => {
                errors.refuse(&field("site"), "hub-users-error-site")
            }
            _ => false,
        };
        if write(&state, &mut errors, call, refusal).await?.is_some() {
            return saved("/users?saved=1");
        }
    }
    refused(&state, &user, NewUserForm::default(), errors).await
}

/// The page again with what is wrong (422); nothing was written.
async fn refused(
    state: &HubState,
    user: &CurrentUser,
    form: NewUserForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let page = Page::new(&user.visitor, "hub-users-title");
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(state, user, page, form, errors, status).await
}
