//! A product's label facts page (`/products/{id}/label`): shelf life, ingredients and allergens in
//! French and English, and the Nutrition Facts per serving. Admin only ([`Access::Catalogue`]).
//!
//! Every value is checked (`domain::nutrition`) before anything is written; a refused form is
//! shown again with its messages (422). Leaving every Nutrition Facts field empty removes the
//! table; the labels then say there is none.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{self, FieldErrors};
use super::i18n::Lang;
use super::page::Page;
use super::policy::Access;
use super::session::CurrentUser;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::ProductId;
use crate::domain::nutrition::{
    LabelFacts, MAX_LABEL_TEXT_CHARS, NUTRITION_FIELDS, NUTRITION_VALUES, Nutrition,
    NutritionError, check_shelf_life, parse_tenths, tenths_text,
};
use crate::domain::product::Locale;
use crate::hub::app::HubState;
use crate::hub::store::HubStore;

pub fn routes() -> Router<HubState> {
    Router::new().route("/products/{id}/label", get(show).post(save))
}

/// Whether a Nutrition Facts value is typed with one decimal (grams, iron) or whole.
fn in_tenths(field: &str) -> bool {
    field.ends_with("_dg") || field.ends_with("_dmg")
}

/// The form as typed: the texts, and the Nutrition Facts values by their field name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LabelForm {
    pub shelf_life_days: String,
    pub ingredients_fr: String,
    pub ingredients_en: String,
    pub allergens_fr: String,
    pub allergens_en: String,
    #[serde(flatten)]
    pub nutrition: BTreeMap<String, String>,
}

impl LabelForm {
    pub fn from_facts(facts: &LabelFacts) -> LabelForm {
        let text = |map: &BTreeMap<Locale, String>, l| map.get(&l).cloned().unwrap_or_default();
        let nutrition = facts
            .nutrition
            .map(|n| {
                NUTRITION_FIELDS
                    .iter()
                    .zip(n.values())
                    .map(|(f, v)| {
                        let shown = if in_tenths(f) {
                            tenths_text(v)
                        } else {
                            v.to_string()
                        };
                        ((*f).to_owned(), shown)
                    })
                    .collect()
            })
            .unwrap_or_default();
        LabelForm {
            shelf_life_days: facts
                .shelf_life_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            ingredients_fr: text(&facts.ingredients, Locale::FrCa),
            ingredients_en: text(&facts.ingredients, Locale::EnCa),
            allergens_fr: text(&facts.allergens, Locale::FrCa),
            allergens_en: text(&facts.allergens, Locale::EnCa),
            nutrition,
        }
    }

    pub fn value(&self, field: &str) -> &str {
        self.nutrition.get(field).map_or("", String::as_str)
    }

    pub fn validate(&self, lang: Lang) -> Result<LabelFacts, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let shelf_life_days = match self.shelf_life_days.trim() {
            "" => None,
            text => {
                let days = text.parse().ok().and_then(|d| check_shelf_life(d).ok());
                if days.is_none() {
                    errors.add("shelf_life_days", "hub-label-error-shelf-life");
                }
                days
            }
        };
        let mut texts = |pairs: [(&str, Locale, &str); 2]| {
            let mut map = BTreeMap::new();
            for (field, locale, text) in pairs {
                let text = text.trim();
                if text.chars().count() > MAX_LABEL_TEXT_CHARS
                    || text
                        .chars()
                        .any(|c| c.is_control() && c != '\n' && c != '\r')
                {
                    errors.add(field, "hub-label-error-text");
                } else if !text.is_empty() {
                    map.insert(locale, text.to_owned());
                }
            }
            map
        };
        let ingredients = texts([
            ("ingredients_fr", Locale::FrCa, &self.ingredients_fr),
            ("ingredients_en", Locale::EnCa, &self.ingredients_en),
        ]);
        let allergens = texts([
            ("allergens_fr", Locale::FrCa, &self.allergens_fr),
            ("allergens_en", Locale::EnCa, &self.allergens_en),
        ]);
        let nutrition = self.nutrition(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(LabelFacts {
            shelf_life_days,
            ingredients,
            allergens,
            nutrition,
        })
    }

    fn nutrition(&self, errors: &mut FieldErrors) -> Option<Nutrition> {
        if NUTRITION_FIELDS
            .iter()
            .all(|f| self.value(f).trim().is_empty())
        {
            return None;
        }
        let mut values = [0u32; NUTRITION_VALUES];
        for (slot, field) in values.iter_mut().zip(NUTRITION_FIELDS) {
            let text = self.value(field).trim();
            let parsed = if in_tenths(field) {
                parse_tenths(text)
            } else {
                text.parse().ok()
            };
            match parsed {
                Some(v) => *slot = v,
                None => errors.add(field, "hub-label-error-number"),
            }
        }
        if !errors.is_empty() {
            return None;
        }
        match Nutrition::from_values(values).checked() {
            Ok(table) => Some(table),
            Err(error) => {
                for field in error.fields() {
                    if error == NutritionError::SaturatedOverFat {
                        errors.add(field, "hub-label-error-saturated-trans");
                    } else {
                        errors.add_with(
                            field,
                            "hub-label-error-nutrition",
                            &[("reason", error.to_string().into())],
                        );
                    }
                }
                None
            }
        }
    }
}

#[derive(Template)]
#[template(path = "product_label.html")]
struct LabelPage {
    page: Page,
    id: i64,
    name: String,
    form: LabelForm,
    errors: FieldErrors,
    /// (field, label message id) of the Nutrition Facts table, in order.
    rows: Vec<(&'static str, &'static str)>,
}

const ROW_LABELS: [&str; NUTRITION_VALUES] = [
    "hub-label-serving",
    "hub-label-calories",
    "hub-label-fat",
    "hub-label-saturated",
    "hub-label-trans",
    "hub-label-carbohydrate",
    "hub-label-fibre",
    "hub-label-sugars",
    "hub-label-protein",
    "hub-label-cholesterol",
    "hub-label-sodium",
    "hub-label-potassium",
    "hub-label-calcium",
    "hub-label-iron",
];

async fn page(
    state: &HubState,
    user: &CurrentUser,
    id: i64,
    form: Option<LabelForm>,
    errors: FieldErrors,
    status: StatusCode,
    saved: bool,
) -> Result<Response, WebError> {
    let product = super::products::find(state, ProductId(id)).await?;
    let form = match form {
        Some(form) => form,
        None => {
            let facts = store_call(state, move |s| s.label_facts(ProductId(id))).await?;
            LabelForm::from_facts(&facts)
        }
    };
    let template = LabelPage {
        page: Page::new(&user.visitor, "hub-label-title").notice_if(saved, "hub-label-saved"),
        id,
        name: product.name(user.lang().locale()).to_owned(),
        form,
        errors,
        rows: NUTRITION_FIELDS.into_iter().zip(ROW_LABELS).collect(),
    };
    render(&user.visitor, status, &template)
}

async fn show(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let errors = FieldErrors::new(user.lang());
    page(
        &state,
        &user,
        id,
        None,
        errors,
        StatusCode::OK,
        query.saved.is_some(),
    )
    .await
}

async fn save(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<LabelForm>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let facts = match form.validate(user.lang()) {
        Ok(facts) => facts,
        Err(errors) => {
            return page(&state, &user, id, Some(form), errors, unprocessable, false).await;
        }
    };
    let audit = user
        .audit("product.label")
        .subject(format!("product {id}"))
        .detail(crate::hub::admin::label_detail(&facts));
    let mut errors = FieldErrors::new(user.lang());
    let call = move |s: &dyn HubStore| s.save_label_facts(ProductId(id), &facts, &audit);
    match form::write(&state, &mut errors, call, |_, _| false).await? {
        Some(()) => form::saved(&format!("/products/{id}/label?saved=1")),
        None => page(&state, &user, id, Some(form), errors, unprocessable, false).await,
    }
}
