//! The tier pages: the list, a new tier, editing one (names, percentage, caps, per-product
//! overrides). Admin only ([`Access::Catalogue`]).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::error::WebError;
use super::form::{Editor, FieldErrors, Shown, editor_routes};
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
use crate::hub::store::{Audit, HubStore, HubStoreError};

pub fn routes() -> Router<HubState> {
    editor_routes::<Tiers, _>(list)
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
    let page = Page::new(&user.visitor, "hub-tiers-title")
        .notice_if(query.saved.is_some(), "hub-tiers-saved");
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

/// The tier form's pages, served by [`editor_routes`].
struct Tiers;

impl Editor for Tiers {
    type Body = Vec<(String, String)>;
    type Form = TierForm;
    type Record = TierEntry;
    /// The products, for the overrides table.
    type Extra = Vec<Product>;
    type Page = TierFormPage;

    const ACCESS: Access = Access::Catalogue;
    const LIST: &'static str = "/tiers";
    const ACTIONS: (&'static str, &'static str) = ("tier.create", "tier.update");
    const TITLES: (&'static str, &'static str) = ("hub-tiers-new-title", "hub-tiers-edit-title");

    fn load(store: &dyn HubStore) -> Result<(Vec<TierEntry>, Vec<Product>), HubStoreError> {
        Ok((store.catalogue_tiers()?, store.catalogue_products()?))
    }

    fn id(entry: &TierEntry) -> i64 {
        entry.tier.id.0
    }

    fn read(pairs: Vec<(String, String)>) -> TierForm {
        TierForm::from_pairs(&pairs)
    }

    fn blank() -> TierForm {
        TierForm::blank()
    }

    fn fill(entry: &TierEntry, lang: Lang) -> TierForm {
        TierForm::from_entry(entry, lang)
    }

    fn validate(
        form: &TierForm,
        lang: Lang,
        products: &Vec<Product>,
    ) -> Result<TierEntry, FieldErrors> {
        form.validate(lang, products)
    }

    fn audit_detail(entry: &TierEntry) -> serde_json::Value {
        audit_detail(entry)
    }

    fn save(
        store: &dyn HubStore,
        id: Option<i64>,
        entry: &TierEntry,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        store.save_tier(id.map(TierId), entry, audit).map(drop)
    }

    fn refusal(error: &HubStoreError, errors: &mut FieldErrors) -> bool {
        match error {
            HubStoreError::Duplicate(_) => errors.refuse("label", "hub-tiers-error-label-taken"),
            HubStoreError::Invalid(_) => errors.refuse("is_default", "hub-tiers-error-default"),
            _ => false,
        }
    }

    /// The form, and the products' full and percentage prices beside their override fields.
    fn page(shown: Shown<TierForm>, products: &Vec<Product>) -> TierFormPage {
        let lang = shown.page.lang;
        let percent = shown.form.percent.trim().parse::<u32>().ok();
        let percent = percent.filter(|p| *p <= 100);
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
        TierFormPage {
            page: shown.page,
            action: shown.action,
            form: shown.form,
            errors: shown.errors,
            products,
        }
    }
}
