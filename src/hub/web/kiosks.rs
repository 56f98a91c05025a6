//! The kiosk pages: the list with site, territory and sync state; a new kiosk and its one-time
//! enrolment code (text and QR code, shown once); a fresh code for a replaced Pi; revoking the
//! token (with a confirmation); payment methods and cold-chain and door thresholds.
//!
//! The collective's admins change everything ([`Access::Sites`]). Site staff see their own
//! site's kiosks only, settings read-only ([`Access::Site`]); report viewers see none of this.

use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Local, Utc};
use serde::Deserialize;
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved, write};
use super::kiosks_form::KioskForm;
use super::page::{Choice, Page};
use super::policy::{Access, own_site};
use super::session::CurrentUser;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::config::Thresholds;
use crate::domain::sale::PaymentMethod;
use crate::domain::{KioskId, SiteId};
use crate::hub::app::HubState;
use crate::hub::secrets::{new_enrolment_code, qr_svg};
use crate::hub::store::KioskSettings;
use crate::hub::store::reports::FleetFacts;
use crate::hub::store::{HubStore, HubStoreError, NewCode, NewKiosk};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/kiosks", get(list).post(create))
        .route("/kiosks/new", get(new))
        .route("/kiosks/{id}", get(show).post(update))
        .route("/kiosks/{id}/code", post(new_code))
        .route("/kiosks/{id}/revoke", post(revoke))
}

/// A kiosk as the list shows it.
pub struct KioskRow {
    pub id: i64,
    pub name: String,
    pub site: String,
    pub territory: String,
    pub enrolled: bool,
    pub last_contact: String,
    pub acked_through: u64,
    pub pending: String,
}

/// The sites, as the new kiosk form's choices.
struct Names {
    sites: Vec<(SiteId, String, String)>,
}

impl Names {
    async fn load(state: &HubState) -> Result<Names, WebError> {
        let sites = store_call(state, |s| s.sites()).await?;
        Ok(Names {
            sites: sites
                .into_iter()
                .map(|s| (s.id, s.name, s.territory_name))
                .collect(),
        })
    }

    fn choices(&self) -> Vec<Choice> {
        self.sites
            .iter()
            .map(|(id, name, territory)| Choice {
                id: id.0,
                name: format!("{name} ({territory})"),
            })
            .collect()
    }
}

fn row(kiosk: &FleetFacts) -> KioskRow {
    KioskRow {
        id: kiosk.kiosk.id,
        name: kiosk.kiosk.name.clone(),
        site: kiosk.site.name.clone(),
        territory: kiosk.territory.name.clone(),
        enrolled: kiosk.enrolled,
        last_contact: kiosk
            .last_contact
            .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default(),
        acked_through: kiosk.acked_through.0,
        pending: kiosk.pending.map(|p| p.to_string()).unwrap_or_default(),
    }
}

/// Admins see every kiosk; site staff their own site's; anyone else is refused.
fn require_list(user: &CurrentUser) -> Result<Option<SiteId>, WebError> {
    match own_site(user.user.role) {
        Some(site) => user.require(Access::Site(site)).map(|()| Some(site)),
        None => user.require(Access::AllSites).map(|()| None),
    }
}

#[derive(Template)]
#[template(path = "kiosks.html")]
struct ListPage {
    page: Page,
    kiosks: Vec<KioskRow>,
    admin: bool,
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let only = require_list(&user)?;
    let kiosks = store_call(&state, |s| s.kiosks()).await?;
    let kiosks = kiosks
        .iter()
        .filter(|k| only.is_none_or(|site| k.site.id == site.0))
        .map(row)
        .collect();
    let page = Page::new(&user.visitor, "hub-kiosks-title")
        .notice_if(query.saved.is_some(), "hub-kiosks-saved");
    let admin = user.may(Access::Sites);
    render(
        &user.visitor,
        StatusCode::OK,
        &ListPage {
            page,
            kiosks,
            admin,
        },
    )
}

/// The payment methods, as the form's checkboxes list them: (value, label id).
pub fn method_boxes() -> Vec<(&'static str, &'static str)> {
    PaymentMethod::ALL
        .into_iter()
        .map(|m| {
            let label = match m {
                PaymentMethod::Cash => "hub-kiosks-method-cash",
                PaymentMethod::Prepaid => "hub-kiosks-method-prepaid",
                PaymentMethod::PayLater => "hub-kiosks-method-pay-later",
                PaymentMethod::CardTerminal => "hub-kiosks-method-card-terminal",
            };
            (m.as_str(), label)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "kiosks_form.html")]
struct FormPage {
    page: Page,
    action: String,
    /// A new kiosk (name and site asked).
    creating: bool,
    /// Whether the fields can be changed (admin) or only read (site staff).
    editable: bool,
    form: KioskForm,
    errors: FieldErrors,
    sites: Vec<Choice>,
    methods: Vec<(&'static str, &'static str)>,
    kiosk: Option<KioskSettings>,
    confirm_error: Option<String>,
}

async fn new(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let names = Names::load(&state).await?;
    let methods = [PaymentMethod::Cash, PaymentMethod::Prepaid];
    let form = KioskForm::from_settings(&methods, &Thresholds::default(), user.lang());
    let template = FormPage {
        page: Page::new(&user.visitor, "hub-kiosks-new-title"),
        action: "/kiosks".into(),
        creating: true,
        editable: true,
        form,
        errors: FieldErrors::new(user.lang()),
        sites: names.choices(),
        methods: method_boxes(),
        kiosk: None,
        confirm_error: None,
    };
    render(&user.visitor, StatusCode::OK, &template)
}

#[derive(Template)]
#[template(path = "kiosks_code.html")]
struct CodePage {
    page: Page,
    kiosk: i64,
    name: String,
    code: String,
    qr: String,
    expires: String,
}

/// A fresh one-time code, as stored and as shown (text and QR code).
/// The values a new kiosk is created with, as its audit row records them (the page and the CLI).
pub fn audit_detail(kiosk: &NewKiosk) -> serde_json::Value {
    json!({
        "name": kiosk.name,
        "site": kiosk.site.0,
        "payment_methods": kiosk.payment_methods,
        "thresholds": kiosk.thresholds,
    })
}

fn fresh_code(now: DateTime<Utc>, ttl: Duration) -> Result<(String, String, NewCode), WebError> {
    let (code, hash) = new_enrolment_code().map_err(|e| WebError::Internal(e.to_string()))?;
    let qr = qr_svg(&code).map_err(|e| WebError::Internal(e.to_string()))?;
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7));
    let stored = NewCode {
        hash,
        created_at: now,
        expires_at: now + ttl,
    };
    Ok((code, qr, stored))
}

fn code_page(
    user: &CurrentUser,
    kiosk: KioskId,
    name: String,
    code: String,
    qr: String,
    stored: &NewCode,
) -> Result<Response, WebError> {
    let template = CodePage {
        page: Page::new(&user.visitor, "hub-kiosks-code-title"),
        kiosk: kiosk.0,
        name,
        code,
        qr,
        expires: stored
            .expires_at
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    };
    render(&user.visitor, StatusCode::OK, &template)
}

async fn create(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let names = Names::load(&state).await?;
    let ids: Vec<i64> = names.sites.iter().map(|(s, _, _)| s.0).collect();
    let form = KioskForm::from_pairs(&pairs);
    let lang = user.lang();
    let mut errors = FieldErrors::new(lang);
    if let Ok(values) = form.validate(lang, true, &ids)
        && let Some(site) = values.site
    {
        let (code, qr, stored) = fresh_code(state.clock.now(), state.web.enrolment_code_ttl)?;
        let kiosk = NewKiosk {
            name: values.name.clone(),
            site: SiteId(site),
            payment_methods: values.methods.clone(),
            thresholds: values.thresholds,
        };
        let audit = user.audit("kiosk.create").detail(audit_detail(&kiosk));
        let call = move |s: &dyn HubStore| {
            s.create_kiosk(&kiosk, &stored, &audit)
                .map(|id| (id, stored))
        };
        let refusal = |error: &HubStoreError, errors: &mut FieldErrors| {
            matches!(error, HubStoreError::Duplicate(_))
                && errors.refuse("name", "hub-kiosks-error-name-taken")
        };
        if let Some((id, stored)) = write(&state, &mut errors, call, refusal).await? {
            return code_page(&user, id, values.name, code, qr, &stored);
        }
    } else if let Err(found) = form.validate(lang, true, &ids) {
        errors = found;
    }
    let template = FormPage {
        page: Page::new(&user.visitor, "hub-kiosks-new-title"),
        action: "/kiosks".into(),
        creating: true,
        editable: true,
        form,
        errors,
        sites: names.choices(),
        methods: method_boxes(),
        kiosk: None,
        confirm_error: None,
    };
    render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &template)
}

/// The kiosk, after checking the user may see it (admin, or staff of its site).
async fn find(state: &HubState, user: &CurrentUser, id: i64) -> Result<KioskSettings, WebError> {
    if !user.may(Access::AllSites) && own_site(user.user.role).is_none() {
        return Err(WebError::Forbidden);
    }
    let settings = store_call(state, move |s| s.kiosk_settings(KioskId(id)))
        .await?
        .ok_or(WebError::NotFound)?;
    user.require(Access::Site(settings.site))?;
    Ok(settings)
}

/// The settings form as typed, its errors, and the page's confirmation line.
struct Typed {
    form: KioskForm,
    errors: FieldErrors,
    confirm_error: Option<String>,
    saved: bool,
}

impl Typed {
    fn stored(kiosk: &KioskSettings, user: &CurrentUser) -> Typed {
        Typed {
            form: KioskForm::from_settings(&kiosk.payment_methods, &kiosk.thresholds, user.lang())
                .with_voice(&kiosk.voice),
            errors: FieldErrors::new(user.lang()),
            confirm_error: None,
            saved: false,
        }
    }
}

fn settings_page(
    user: &CurrentUser,
    names: &Names,
    kiosk: KioskSettings,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, WebError> {
    let Typed {
        form,
        errors,
        confirm_error,
        saved: notice,
    } = typed;
    let mut page = Page::new(&user.visitor, "hub-kiosks-show-title");
    page.title = format!("{} · {}", page.title, kiosk.name);
    if notice {
        page = page.notice("hub-kiosks-saved");
    }
    let template = FormPage {
        page,
        action: format!("/kiosks/{}", kiosk.id.0),
        creating: false,
        editable: user.may(Access::Sites),
        form,
        errors,
        sites: names.choices(),
        methods: method_boxes(),
        kiosk: Some(kiosk),
        confirm_error,
    };
    render(&user.visitor, status, &template)
}

async fn show(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let kiosk = find(&state, &user, id).await?;
    let names = Names::load(&state).await?;
    let typed = Typed {
        saved: query.saved.is_some(),
        ..Typed::stored(&kiosk, &user)
    };
    settings_page(&user, &names, kiosk, typed, StatusCode::OK)
}

async fn update(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let kiosk = find(&state, &user, id).await?;
    let form = KioskForm::from_pairs(&pairs);
    match form.validate(user.lang(), false, &[]) {
        Ok(values) => {
            let audit = user
                .audit("kiosk.settings")
                .subject(format!("kiosk {id}"))
                .detail(json!({
                    "payment_methods": values.methods,
                    "thresholds": values.thresholds,
                    "voice": values.voice,
                }));
            let kiosk_id = kiosk.id;
            store_call(&state, move |s| {
                s.save_kiosk_settings(
                    kiosk_id,
                    &values.methods,
                    &values.thresholds,
                    &values.voice,
                    &audit,
                )
            })
            .await?;
            saved(&format!("/kiosks/{id}?saved=1"))
        }
        Err(errors) => {
            let names = Names::load(&state).await?;
            let typed = Typed {
                form,
                errors,
                ..Typed::stored(&kiosk, &user)
            };
            settings_page(
                &user,
                &names,
                kiosk,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

async fn new_code(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let kiosk = find(&state, &user, id).await?;
    let (code, qr, stored) = fresh_code(state.clock.now(), state.web.enrolment_code_ttl)?;
    let audit = user.audit("kiosk.code").subject(format!("kiosk {id}"));
    let kiosk_id = kiosk.id;
    store_call(&state, move |s| s.new_kiosk_code(kiosk_id, &stored, &audit)).await?;
    code_page(&user, kiosk.id, kiosk.name, code, qr, &stored)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    confirm: String,
}

async fn revoke(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let kiosk = find(&state, &user, id).await?;
    if form.confirm != "yes" {
        let names = Names::load(&state).await?;
        let typed = Typed {
            confirm_error: Some(super::i18n::t(user.lang(), "hub-kiosks-error-confirm")),
            ..Typed::stored(&kiosk, &user)
        };
        return settings_page(
            &user,
            &names,
            kiosk,
            typed,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let audit = user.audit("kiosk.revoke").subject(format!("kiosk {id}"));
    let kiosk_id = kiosk.id;
    let now = state.clock.now();
    store_call(&state, move |s| {
        s.revoke_kiosk_tokens(kiosk_id, now, &audit)
    })
    .await?;
    saved(&format!("/kiosks/{id}?saved=1"))
}
