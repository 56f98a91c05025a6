//! Staff badges: the list, issuing one (its code shown once, with its QR code, on a printable
//! credit-card-size badge), setting a new PIN, revoking a lost badge. Admin only
//! ([`Access::Sites`]).
//!
//! As with `congelo-hub badge`, the hub keeps the badge's hash and the PIN's Argon2 hash; a PIN
//! must pass [`check_new_pin`]. A PIN is never written to the audit log or shown again.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::cards::{PrintedCard, grouped};
use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved, write};
use super::page::{Choice, Page};
use super::policy::Access;
use super::session::CurrentUser;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::codes::PayloadKind;
use crate::domain::pin::check_new_pin;
use crate::domain::{SiteId, StaffId};
use crate::hub::app::HubState;
use crate::hub::secrets::{hash_password, qr_svg};
use crate::hub::store::{HubStore, HubStoreError, NewBadge};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/badges", get(list).post(issue))
        .route("/badges/{id}/pin", post(set_pin))
        .route("/badges/{id}/revoke", post(revoke))
}

/// A badge as the list shows it.
pub struct BadgeRow {
    pub id: i64,
    pub site: String,
    pub revoked: bool,
    pub issued: String,
}

/// The badge forms' fields as typed (a PIN is never sent back to the page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BadgeForm {
    pub site: String,
    pub pin: String,
    pub pin_again: String,
    pub confirm: String,
}

impl BadgeForm {
    /// The PIN, checked, or the message id saying what is wrong.
    fn pin(&self, errors: &mut FieldErrors, form: &str) {
        if self.pin != self.pin_again {
            errors.add(&format!("{form}_pin"), "hub-badges-error-pin-again");
        } else if check_new_pin(&self.pin).is_err() {
            errors.add(&format!("{form}_pin"), "hub-badges-error-pin");
        }
    }
}

#[derive(Template)]
#[template(path = "badges.html")]
struct ListPage {
    page: Page,
    badges: Vec<BadgeRow>,
    sites: Vec<Choice>,
    errors: FieldErrors,
    site: String,
}

async fn list_page(
    state: &HubState,
    user: &CurrentUser,
    errors: FieldErrors,
    site: String,
    status: StatusCode,
    saved: bool,
) -> Result<Response, WebError> {
    let (badges, sites) = store_call(state, |s| Ok((s.badges()?, s.site_names()?))).await?;
    let name = |site: Option<SiteId>| match site {
        None => super::i18n::t(user.lang(), "hub-badges-every-site"),
        Some(id) => sites
            .iter()
            .find(|(s, _)| *s == id)
            .map_or_else(|| id.0.to_string(), |(_, n)| n.clone()),
    };
    let badges = badges
        .iter()
        .map(|b| BadgeRow {
            id: b.staff.0,
            site: name(b.site),
            revoked: b.revoked,
            issued: b.created_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    let page = Page::new(&user.visitor, "hub-badges-title").notice_if(saved, "hub-badges-saved");
    let sites = sites
        .into_iter()
        .map(|(id, name)| Choice { id: id.0, name })
        .collect();
    let template = ListPage {
        page,
        badges,
        sites,
        errors,
        site,
    };
    render(&user.visitor, status, &template)
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let errors = FieldErrors::new(user.lang());
    list_page(
        &state,
        &user,
        errors,
        String::new(),
        StatusCode::OK,
        query.saved.is_some(),
    )
    .await
}

#[derive(Template)]
#[template(path = "badges_print.html")]
struct PrintPage {
    page: Page,
    collective: String,
    staff: i64,
    badge: PrintedCard,
}

async fn issue(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<BadgeForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let lang = user.lang();
    let mut errors = FieldErrors::new(lang);
    let site = match form.site.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(SiteId(id)),
            Err(_) => {
                errors.add("new_site", "hub-badges-error-site");
                None
            }
        },
    };
    form.pin(&mut errors, "new");
    if errors.is_empty() {
        let pin_hash = hash_password(&form.pin).map_err(|e| WebError::Internal(e.to_string()))?;
        let code = crate::entropy::new_payload(PayloadKind::Badge)
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let badge = NewBadge {
            hash: code.hash(),
            pin_hash,
            site,
        };
        let audit = user
            .audit("badge.issue")
            .detail(json!({ "site": site.map(|s| s.0) }));
        let now = state.clock.now();
        let call = move |s: &dyn HubStore| s.issue_badge(&badge, now, &audit);
        let refusal = |error: &HubStoreError, errors: &mut FieldErrors| {
            matches!(error, HubStoreError::NotFound(_))
                && errors.refuse("new_site", "hub-badges-error-site")
        };
        if let Some(staff) = write(&state, &mut errors, call, refusal).await? {
            return print(&state, &user, staff, &code.encode());
        }
    }
    refused(&state, &user, errors, form.site).await
}

/// The printable badge: its code, once.
fn print(
    state: &HubState,
    user: &CurrentUser,
    staff: StaffId,
    code: &str,
) -> Result<Response, WebError> {
    let qr = qr_svg(code).map_err(|e| WebError::Internal(e.to_string()))?;
    let template = PrintPage {
        page: Page::new(&user.visitor, "hub-badges-print-title"),
        collective: state.web.collective_name.clone(),
        staff: staff.0,
        badge: PrintedCard {
            grouped: grouped(code),
            qr,
        },
    };
    render(&user.visitor, StatusCode::OK, &template)
}

async fn set_pin(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<BadgeForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let mut errors = FieldErrors::new(user.lang());
    let key = format!("b{id}");
    form.pin(&mut errors, &key);
    if errors.is_empty() {
        let pin_hash = hash_password(&form.pin).map_err(|e| WebError::Internal(e.to_string()))?;
        let audit = user.audit("badge.pin").subject(format!("badge {id}"));
        let call = move |s: &dyn HubStore| s.set_badge_pin_audited(StaffId(id), &pin_hash, &audit);
        let field = format!("{key}_pin");
        if write(&state, &mut errors, call, revoked(&field))
            .await?
            .is_some()
        {
            return saved("/badges?saved=1");
        }
    }
    refused(&state, &user, errors, String::new()).await
}

async fn revoke(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<BadgeForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let mut errors = FieldErrors::new(user.lang());
    if form.confirm != "yes" {
        errors.add(&format!("b{id}_confirm"), "hub-badges-error-confirm");
    } else {
        let audit = user.audit("badge.revoke").subject(format!("badge {id}"));
        let call = move |s: &dyn HubStore| s.revoke_badge_audited(StaffId(id), &audit);
        let field = format!("b{id}_confirm");
        if write(&state, &mut errors, call, revoked(&field))
            .await?
            .is_some()
        {
            return saved("/badges?saved=1");
        }
    }
    refused(&state, &user, errors, String::new()).await
}

/// The page again with what is wrong (422); nothing was written.
async fn refused(
    state: &HubState,
    user: &CurrentUser,
    errors: FieldErrors,
    site: String,
) -> Result<Response, WebError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    list_page(state, user, errors, site, status, false).await
}

/// A badge already revoked: the message goes on `field`.
fn revoked(field: &str) -> impl FnOnce(&HubStoreError, &mut FieldErrors) -> bool + '_ {
    move |error, errors| {
        matches!(error, HubStoreError::Invalid(_))
            && errors.refuse(field, "hub-badges-error-revoked")
    }
}
