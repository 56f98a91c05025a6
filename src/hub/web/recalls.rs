//! Recalls: `/recalls` (every recall, and the form that opens one from a lot, a batch or an
//! intake), `/recalls/{id}` (its lots, where each went, the form that closes it), the inspector's
//! CSV `/recalls/{id}/trace.csv` and JSON `/recalls/{id}/trace.json`, and `/recalls.json`.
//!
//! Every role reads recalls (site staff only their own kiosks' rows of a trace); only an admin
//! opens or closes one ([`Access::RecallWrite`]). The trace counts packs per kiosk and never
//! names a household.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{self, FieldErrors};
use super::i18n::t;
use super::page::Page;
use super::policy::{Access, allows, own_site};
use super::reports::{csv_download, json_answer};
use super::session::CurrentUser;
use super::{render, store_call};
use crate::domain::ProductId;
use crate::hub::app::HubState;
use crate::hub::reports::export;
use crate::hub::store::HubStoreError;
use crate::hub::store::recalls::{RecallDetail, RecallOrigin, RecallSummary};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/recalls", get(list_page).post(open))
        .route("/recalls.json", get(list_json))
        .route("/recalls/{id}", get(detail_page))
        .route("/recalls/{id}/close", post(close))
        .route("/recalls/{id}/trace.csv", get(trace_csv))
        .route("/recalls/{id}/trace.json", get(trace_json))
}

/// The form that opens a recall.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OpenForm {
    /// `lot`, `batch` or `intake`.
    #[serde(default)]
    pub origin: String,
    /// The lot code, the batch's id or the intake's id.
    #[serde(default)]
    pub reference: String,
    /// With a lot: the product's id, or empty for every product with that lot.
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub reason: String,
}

impl OpenForm {
    fn validate(&self, errors: &mut FieldErrors) -> Option<RecallOrigin> {
        let reference = self.reference.trim();
        if self.reason.trim().is_empty() {
            errors.add("reason", "hub-recalls-error-reason");
        }
        let id = reference.parse::<i64>().ok().filter(|id| *id > 0);
        let origin = match self.origin.as_str() {
            "lot" if !reference.is_empty() => {
                let product = self.product.trim();
                let product = if product.is_empty() {
                    None
                } else {
                    match product.parse::<i64>() {
                        Ok(id) if id > 0 => Some(ProductId(id)),
                        _ => {
                            errors.add("product", "hub-recalls-error-product");
                            None
                        }
                    }
                };
                Some(RecallOrigin::Lot {
                    product,
                    lot: reference.to_owned(),
                })
            }
            "batch" if id.is_some() => id.map(RecallOrigin::Batch),
            "intake" if id.is_some() => id.map(RecallOrigin::Intake),
            "lot" | "batch" | "intake" => {
                errors.add("reference", "hub-recalls-error-reference");
                None
            }
            _ => {
                errors.add("origin", "hub-recalls-error-origin");
                None
            }
        };
        if errors.is_empty() { origin } else { None }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "recalls.html")]
struct ListPage {
    page: Page,
    recalls: Vec<RecallSummary>,
    can_write: bool,
    form: OpenForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "recalls_show.html")]
struct DetailPage {
    page: Page,
    detail: RecallDetail,
    can_write: bool,
    /// Packs left in freezers over the whole trace: what staff must pull.
    left: i64,
    form: CloseForm,
    errors: FieldErrors,
}

async fn list_page(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::Recalls)?;
    let saved = user.visitor.path.contains("closed=1");
    show_list(&state, &user, OpenForm::default(), None, saved).await
}

async fn show_list(
    state: &HubState,
    user: &CurrentUser,
    form: OpenForm,
    errors: Option<FieldErrors>,
    closed: bool,
) -> Result<Response, WebError> {
    let locale = user.lang().locale();
    let recalls = store_call(state, move |s| s.recalls(locale)).await?;
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let template = ListPage {
        page: Page::new(&user.visitor, "hub-recalls-title")
            .notice_if(closed, "hub-recalls-closed-notice"),
        recalls,
        can_write: allows(user.user.role, Access::RecallWrite),
        form,
        errors: errors.unwrap_or_else(|| FieldErrors::new(user.lang())),
    };
    render(&user.visitor, status, &template)
}

async fn list_json(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::Recalls)?;
    let locale = user.lang().locale();
    let recalls = store_call(&state, move |s| s.recalls(locale)).await?;
    Ok(json_answer(&user, recalls))
}

async fn open(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> Result<Response, WebError> {
    user.require(Access::RecallWrite)?;
    let mut errors = FieldErrors::new(user.lang());
    let Some(origin) = form.validate(&mut errors) else {
        return show_list(&state, &user, form, Some(errors), false).await;
    };
    let reason = form.reason.trim().to_owned();
    let audit = user.audit("recall.open");
    let at = user.clock.now();
    let written = form::write(
        &state,
        &mut errors,
        move |s| s.open_recall(&origin, &reason, at, &audit),
        |error, errors| match error {
            HubStoreError::Invalid(_) | HubStoreError::NotFound(_) => {
                errors.refuse("reference", "hub-recalls-error-nothing")
            }
            _ => false,
        },
    )
    .await?;
    match written {
        Some(id) => form::saved(&format!("/recalls/{id}?opened=1")),
        None => show_list(&state, &user, form, Some(errors), false).await,
    }
}

async fn load(state: &HubState, user: &CurrentUser, id: i64) -> Result<RecallDetail, WebError> {
    user.require(Access::Recalls)?;
    let site = own_site(user.user.role);
    let locale = user.lang().locale();
    store_call(state, move |s| s.recall_detail(id, site, locale))
        .await?
        .ok_or(WebError::NotFound)
}

async fn detail_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let detail = load(&state, &user, id).await?;
    let opened = user.visitor.path.contains("opened=1");
    show_detail(&user, detail, CloseForm::default(), None, opened)
}

fn show_detail(
    user: &CurrentUser,
    detail: RecallDetail,
    form: CloseForm,
    errors: Option<FieldErrors>,
    opened: bool,
) -> Result<Response, WebError> {
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let left = detail.trace.iter().map(|r| r.left.max(0)).sum();
    let template = DetailPage {
        page: Page::new(&user.visitor, "hub-recalls-show-title")
            .notice_if(opened, "hub-recalls-opened-notice"),
        detail,
        can_write: allows(user.user.role, Access::RecallWrite),
        left,
        form,
        errors: errors.unwrap_or_else(|| FieldErrors::new(user.lang())),
    };
    render(&user.visitor, status, &template)
}

async fn close(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CloseForm>,
) -> Result<Response, WebError> {
    user.require(Access::RecallWrite)?;
    let mut errors = FieldErrors::new(user.lang());
    if form.reason.trim().is_empty() {
        errors.add("reason", "hub-recalls-error-reason");
    } else {
        let reason = form.reason.trim().to_owned();
        let audit = user.audit("recall.close");
        let at = user.clock.now();
        let written = form::write(
            &state,
            &mut errors,
            move |s| s.close_recall(id, &reason, at, &audit),
            |error, errors| match error {
                HubStoreError::Invalid(_) => errors.refuse("reason", "hub-recalls-error-closed"),
                _ => false,
            },
        )
        .await?;
        if written.is_some() {
            return form::saved("/recalls?closed=1");
        }
    }
    let detail = load(&state, &user, id).await?;
    show_detail(&user, detail, form, Some(errors), false)
}

async fn trace_csv(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let detail = load(&state, &user, id).await?;
    let lang = user.lang();
    let header: Vec<String> = [
        "hub-recalls-col-recall",
        "hub-recalls-col-product-id",
        "hub-recalls-col-product",
        "hub-recalls-col-lot",
        "hub-recalls-col-best-before",
        "hub-recalls-col-kiosk-id",
        "hub-recalls-col-kiosk",
        "hub-recalls-col-site",
        "hub-recalls-col-restocked",
        "hub-recalls-col-sold",
        "hub-recalls-col-left",
        "hub-recalls-col-lost",
    ]
    .iter()
    .map(|key| t(lang, key))
    .collect();
    let best_before = |product: ProductId, lot: &str| {
        detail
            .recall
            .lots
            .iter()
            .find(|l| l.product == product && l.lot == lot)
            .and_then(|l| l.best_before)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let records = detail.trace.iter().map(|r| {
        vec![
            id.to_string(),
            r.product.0.to_string(),
            r.product_name.clone(),
            r.lot.clone(),
            best_before(r.product, &r.lot),
            r.kiosk.0.to_string(),
            r.kiosk_name.clone(),
            r.site_name.clone(),
            r.restocked.to_string(),
            r.sold.to_string(),
            r.left.to_string(),
            r.lost.to_string(),
        ]
    });
    let bytes = export::write(&header, records);
    Ok(csv_download(&user, &format!("recall-{id}"), bytes))
}

async fn trace_json(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let detail = load(&state, &user, id).await?;
    Ok(json_answer(&user, detail))
}
