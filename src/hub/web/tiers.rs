//! The tier pages: the list, a new tier, editing one (names, percentage, caps, per-product
//! overrides). Admin only ([`Access::Catalogue`]).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved, write};
use super::i18n::{Lang, money, t_with};
use super::page::Page;
use super::policy::Access;
use super::session::CurrentUser;
use super::tiers_form::TierForm;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::TierId;
use crate::domain::caps::{Cap, CapLimit, CapPeriod};
use crate::domain::product::Product;
use crate::hub::app::HubState;
use crate::hub::store::TierEntry;
use crate::hub::store::{HubStore, HubStoreError};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/tiers", get(list).post(create))
        .route("/tiers/new", get(new))
        .route("/tiers/{id}", get(edit).post(update))
}

/// A tier as the list shows it.
pub struct TierRow {
    pub id: i64,
    pub label: String,
    pub name: String,
    pub percent: u32,
    pub is_default: bool,
    pub caps: Vec<String>,
    pub overrides: usize,
}

/// A cap in words: "25,00 $ par semaine", "40 produits par mois".
pub fn cap_text(cap: &Cap, lang: Lang) -> String {
    let amount = match cap.limit {
        CapLimit::Amount(m) => money(lang, m),
        CapLimit::Items(n) => t_with(lang, "hub-tiers-cap-items", &[("n", n.into())]),
    };
    let key = match cap.period {
        CapPeriod::Week => "hub-tiers-cap-per-week",
        CapPeriod::Month => "hub-tiers-cap-per-month",
    };
    t_with(lang, key, &[("limit", amount.into())])
}

impl TierRow {
    fn new(entry: &TierEntry, lang: Lang) -> TierRow {
        let tier = &entry.tier;
        TierRow {
            id: tier.id.0,
            label: tier.label.clone(),
            name: entry.names.get(&lang.locale()).cloned().unwrap_or_default(),
            percent: tier.percent,
            is_default: tier.is_default,
            caps: tier.caps.iter().map(|c| cap_text(c, lang)).collect(),
            overrides: tier.overrides.len(),
        }
    }
}

#[derive(Template)]
#[template(path = "tiers.html")]
struct TiersPage {
    page: Page,
    tiers: Vec<TierRow>,
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let tiers = store_call(&state, |s| s.catalogue_tiers()).await?;
    let mut page = Page::new(&user.visitor, "hub-tiers-title");
    if query.saved.is_some() {
        page = page.notice("hub-tiers-saved");
    }
    let tiers = tiers.iter().map(|e| TierRow::new(e, user.lang())).collect();
    render(&user.visitor, StatusCode::OK, &TiersPage { page, tiers })
}

/// A product's line in the overrides table.
pub struct OverrideRow {
    pub id: i64,
    pub name: String,
    pub full_price: String,
    pub by_percent: String,
}

#[derive(Template)]
#[template(path = "tier_form.html")]
struct TierFormPage {
    page: Page,
    action: String,
    form: TierForm,
    errors: FieldErrors,
    products: Vec<OverrideRow>,
}

fn form_page(
    user: &CurrentUser,
    id: Option<TierId>,
    form: TierForm,
    errors: FieldErrors,
    products: &[Product],
    status: StatusCode,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let (title, action) = match id {
        Some(id) => ("hub-tiers-edit-title", format!("/tiers/{}", id.0)),
        None => ("hub-tiers-new-title", "/tiers".to_owned()),
    };
    let percent = form
        .percent
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|p| *p <= 100);
    let products = products
        .iter()
        .map(|p| OverrideRow {
            id: p.id.0,
            name: p.name(lang.locale()).to_owned(),
            full_price: money(lang, p.full_price),
            by_percent: percent
                .map_or_else(String::new, |pct| money(lang, p.full_price.percent(pct))),
        })
        .collect();
    let template = TierFormPage {
        page: Page::new(&user.visitor, title),
        action,
        form,
        errors,
        products,
    };
    render(&user.visitor, status, &template)
}

async fn new(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let products = store_call(&state, |s| s.catalogue_products()).await?;
    let errors = FieldErrors::new(user.lang());
    form_page(
        &user,
        None,
        TierForm::blank(),
        errors,
        &products,
        StatusCode::OK,
    )
}

async fn edit(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let (entry, products) = find(&state, TierId(id)).await?;
    let form = TierForm::from_entry(&entry, user.lang());
    let errors = FieldErrors::new(user.lang());
    form_page(
        &user,
        Some(entry.tier.id),
        form,
        errors,
        &products,
        StatusCode::OK,
    )
}

async fn find(state: &HubState, id: TierId) -> Result<(TierEntry, Vec<Product>), WebError> {
    let (tiers, products) = store_call(state, |s| {
        Ok((s.catalogue_tiers()?, s.catalogue_products()?))
    })
    .await?;
    let entry = tiers
        .into_iter()
        .find(|e| e.tier.id == id)
        .ok_or(WebError::NotFound)?;
    Ok((entry, products))
}

async fn create(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let products = store_call(&state, |s| s.catalogue_products()).await?;
    save(&state, &user, None, TierForm::from_pairs(&pairs), &products).await
}

async fn update(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let (entry, products) = find(&state, TierId(id)).await?;
    let form = TierForm::from_pairs(&pairs);
    save(&state, &user, Some(entry.tier.id), form, &products).await
}

/// The values a tier save writes, as its audit row records them (the page and the CLI).
pub fn audit_detail(entry: &TierEntry) -> serde_json::Value {
    json!({
        "label": entry.tier.label,
        "names": entry.names,
        "percent": entry.tier.percent,
        "is_default": entry.tier.is_default,
        "caps": entry.tier.caps,
        "overrides": entry.tier.overrides,
    })
}

/// Validates, then writes the tier, its overrides and its audit row in one transaction.
async fn save(
    state: &HubState,
    user: &CurrentUser,
    id: Option<TierId>,
    form: TierForm,
    products: &[Product],
) -> Result<Response, WebError> {
    let lang = user.lang();
    let entry = match form.validate(lang, products) {
        Ok(entry) => entry,
        Err(errors) => {
            return form_page(
                user,
                id,
                form,
                errors,
                products,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let action = if id.is_some() {
        "tier.update"
    } else {
        "tier.create"
    };
    let audit = user.audit(action).detail(audit_detail(&entry));
    let mut errors = FieldErrors::new(lang);
    let call = move |s: &dyn HubStore| s.save_tier(id, &entry, &audit);
    let refusal = |error: &HubStoreError, errors: &mut FieldErrors| match error {
        HubStoreError::Duplicate(_) => errors.refuse("label", "hub-tiers-error-label-taken"),
        HubStoreError::Invalid(_) => errors.refuse("is_default", "hub-tiers-error-default"),
        _ => false,
    };
    if write(state, &mut errors, call, refusal).await?.is_some() {
        return saved("/tiers?saved=1");
    }
    form_page(
        user,
        id,
        form,
        errors,
        products,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}
