//! Printing a production batch's pack labels: `/staff/batches/{id}/labels` shows the batch and a
//! form (label stock, number of labels, the batch's packs by default); sending it answers the PDF
//! sheet or the ZPL file. `/staff/labels/settings` holds who packs the food (printed on every
//! label) and the restricted-circulation prefix for products without a GTIN.
//!
//! The kitchen's staff print their own batches ([`Access::Site`] of the batch's kitchen); the
//! settings are the admin's ([`Access::Catalogue`]). Printing is a form post: a product without a
//! GTIN gets its restricted-circulation number then, stored and audited, so every label of the
//! product carries the same number and kiosks know it from their next configuration.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved};
use super::page::Page;
use super::policy::Access;
use super::session::CurrentUser;
use super::{render, store_call};
use crate::domain::SiteId;
use crate::domain::label::{LabelContent, LabelInput, Packer};
use crate::hub::app::HubState;
use crate::hub::labels::{self, MAX_LABELS, STOCKS, Stock};
use crate::hub::store::{BatchLabel, HubStoreError, LabelSettings};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/staff/batches/{id}/labels", get(show).post(print))
        .route("/staff/labels/settings", get(settings).post(save_settings))
}

/// One choice of the stock select.
pub struct Choice {
    pub id: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

const ZPL: &str = "zpl";

/// The stock choices: the PDF sheets, then the thermal printer.
fn choices(selected: &str) -> Vec<Choice> {
    let name = |id: &str| match id {
        "2x4" => "hub-labels-stock-2x4",
        "3x3" => "hub-labels-stock-3x3",
        "4x3" => "hub-labels-stock-4x3",
        _ => "hub-labels-stock-zpl",
    };
    STOCKS
        .iter()
        .map(|s| s.id)
        .chain([ZPL])
        .map(|id| Choice {
            id,
            label: name(id),
            selected: id == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "labels_batch.html")]
struct BatchPage {
    page: Page,
    batch: BatchLabel,
    gtin: String,
    best_before: String,
    choices: Vec<Choice>,
    count: String,
    has_nutrition: bool,
    errors: FieldErrors,
    summary: Vec<String>,
    /// Whether the reader may change the label settings (a link to them is shown).
    can_configure: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PrintForm {
    stock: String,
    count: String,
}

async fn batch(state: &HubState, user: &CurrentUser, id: i64) -> Result<BatchLabel, WebError> {
    let batch = store_call(state, move |s| s.batch_label(id)).await?;
    user.require(Access::Site(SiteId(batch.site_id)))?;
    Ok(batch)
}

fn batch_page(
    user: &CurrentUser,
    batch: BatchLabel,
    form: &PrintForm,
    errors: FieldErrors,
    summary: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let template = BatchPage {
        page: Page::new(&user.visitor, "hub-labels-title"),
        can_configure: super::policy::allows(user.user.role, Access::Catalogue),
        gtin: batch.gtin.map_or_else(String::new, |g| g.as_display()),
        best_before: best_before(&batch)
            .map(crate::domain::label::best_before_text)
            .unwrap_or_default(),
        has_nutrition: batch.nutrition.is_some(),
        choices: choices(if form.stock.is_empty() {
            "2x4"
        } else {
            &form.stock
        }),
        count: if form.count.is_empty() {
            batch.packs.to_string()
        } else {
            form.count.clone()
        },
        batch,
        errors,
        summary,
    };
    render(&user.visitor, status, &template)
}

fn best_before(batch: &BatchLabel) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&batch.best_before, "%Y-%m-%d").ok()
}

async fn show(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let batch = batch(&state, &user, id).await?;
    batch_page(
        &user,
        batch,
        &PrintForm::default(),
        FieldErrors::new(user.lang()),
        Vec::new(),
        StatusCode::OK,
    )
}

async fn print(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PrintForm>,
) -> Result<Response, WebError> {
    let batch = batch(&state, &user, id).await?;
    let mut errors = FieldErrors::new(user.lang());
    let stock = Stock::by_id(&form.stock);
    if stock.is_none() && form.stock != ZPL {
        errors.add("stock", "hub-labels-error-stock");
    }
    let count = form
        .count
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_LABELS).contains(n));
    if count.is_none() {
        errors.add("count", "hub-labels-error-count");
    }
    let (Some(count), true) = (count, errors.is_empty()) else {
        return batch_page(
            &user,
            batch,
            &form,
            errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let audit = user
        .audit("product.gtin.assign")
        .detail(json!({ "batch": id }));
    let product = batch.product_id;
    let (gtin, settings) = store_call(&state, move |s| {
        Ok((s.label_gtin(product, &audit)?, s.label_settings()?))
    })
    .await?;
    let content = best_before(&batch)
        .ok_or_else(|| format!("the best-before date «{}» is not a date", batch.best_before))
        .and_then(|day| {
            LabelContent::new(
                LabelInput {
                    name_fr: batch.name_fr.clone(),
                    name_en: batch.name_en.clone(),
                    net_weight_g: batch.net_weight_g,
                    gtin,
                    lot: batch.lot.clone(),
                    best_before: day,
                    ingredients: batch.ingredients.clone(),
                    allergens: batch.allergens.clone(),
                    nutrition: batch.nutrition.clone(),
                },
                Packer {
                    name: settings.packer_name,
                    address: settings.address,
                },
            )
            .map_err(|e| e.to_string())
        });
    let file = match content {
        Ok(content) => {
            let stock = stock.copied();
            tokio::task::spawn_blocking(move || render_file(&content, stock, count)).await?
        }
        Err(reason) => Err(reason),
    };
    match file {
        Ok((bytes, media_type, extension)) => {
            let name = format!("labels-{}.{extension}", batch.lot);
            Ok((
                [
                    (CONTENT_TYPE, media_type.to_owned()),
                    (
                        CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                    (CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response())
        }
        Err(reason) => {
            tracing::info!(batch = id, %reason, "labels refused");
            let summary = vec![reason];
            batch_page(
                &user,
                batch,
                &form,
                errors,
                summary,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// The PDF sheet (`stock`) or the ZPL file (`None`), with its media type and extension.
fn render_file(
    content: &LabelContent,
    stock: Option<Stock>,
    count: u32,
) -> Result<(Vec<u8>, &'static str, &'static str), String> {
    match stock {
        Some(stock) => {
            let drawing = labels::draw(content, &stock).map_err(|e| e.to_string())?;
            let pdf = labels::render_pdf(&drawing, &stock, count).map_err(|e| e.to_string())?;
            Ok((pdf, "application/pdf", "pdf"))
        }
        None => {
            let zpl = labels::render_zpl(content, count).map_err(|e| e.to_string())?;
            Ok((zpl.into_bytes(), "application/vnd.zebra-zpl", "zpl"))
        }
    }
}

#[derive(Template)]
#[template(path = "labels_settings.html")]
struct SettingsPage {
    page: Page,
    form: SettingsForm,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    packer_name: String,
    address: String,
    rcn_prefix: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SavedQuery {
    saved: Option<String>,
}

async fn settings(
    State(state): State<HubState>,
    user: CurrentUser,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let current = store_call(&state, |s| s.label_settings()).await?;
    let form = SettingsForm {
        packer_name: current.packer_name,
        address: current.address,
        rcn_prefix: current.rcn_prefix,
    };
    let page = SettingsPage {
        page: Page::new(&user.visitor, "hub-labels-settings-title")
            .notice_if(query.saved.is_some(), "hub-labels-settings-saved"),
        form,
        errors: FieldErrors::new(user.lang()),
    };
    render(&user.visitor, StatusCode::OK, &page)
}

async fn save_settings(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let mut errors = FieldErrors::new(user.lang());
    if form.packer_name.trim().is_empty() {
        errors.add("packer_name", "hub-labels-error-packer");
    }
    if crate::domain::label::check_rcn_prefix(form.rcn_prefix.trim()).is_err() {
        errors.add("rcn_prefix", "hub-labels-error-prefix");
    }
    if errors.is_empty() {
        let settings = LabelSettings {
            packer_name: form.packer_name.trim().to_owned(),
            address: form.address.trim().to_owned(),
            rcn_prefix: form.rcn_prefix.trim().to_owned(),
        };
        let audit = user.audit("labels.settings");
        match store_call(&state, move |s| s.save_label_settings(&settings, &audit)).await {
            Ok(()) => return saved("/staff/labels/settings?saved=1"),
            Err(WebError::Store(HubStoreError::Invalid(_))) => {
                errors.add("rcn_prefix", "hub-labels-error-prefix");
            }
            Err(other) => return Err(other),
        }
    }
    let page = SettingsPage {
        page: Page::new(&user.visitor, "hub-labels-settings-title"),
        form,
        errors,
    };
    render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
}
