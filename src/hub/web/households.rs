//! The household pages: the pseudonymous list, a new household, one household's page (its tier,
//! status, expiry and caps; its prepaid ledger with adjustments; its cards). Admin only
//! ([`Access::Households`]). No name is ever asked for or shown: a household is its number.
//!
//! Card batches and their printable sheets are in [`super::cards`].

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Local, NaiveDate};
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved};
use super::households_form::{AdjustForm, HouseholdForm, MAX_BATCH, status_name};
use super::i18n::Lang;
use super::page::{Choice, Page};
use super::policy::Access;
use super::session::{CurrentUser, random_token};
use super::tiers::cap_text;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::household::HouseholdStatus;
use crate::domain::{HouseholdId, TierId};
use crate::hub::app::HubState;
use crate::hub::store::HubStoreError;
use crate::hub::store::TierEntry;
use crate::hub::store::{HouseholdDetail, HouseholdSummary, NewHousehold};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/households", get(list).post(create))
        .route("/households/new", get(new))
        .route("/households/{id}", get(show).post(update))
        .route("/households/{id}/balance", post(adjust))
}

/// A household as a list row or a page header shows it.
pub struct HouseholdRow {
    pub id: i64,
    pub tier: String,
    pub active: bool,
    pub expires_on: String,
    pub expired: bool,
    pub balance: String,
    pub owed: String,
    pub cards: u32,
    pub caps: Vec<String>,
}

impl HouseholdRow {
    pub fn new(summary: &HouseholdSummary, lang: Lang, today: NaiveDate) -> HouseholdRow {
        let fields = &summary.fields;
        HouseholdRow {
            id: summary.id.0,
            tier: summary.tier_label.clone(),
            active: fields.status == HouseholdStatus::Active,
            expires_on: fields.expires_on.map(|d| d.to_string()).unwrap_or_default(),
            expired: fields.expires_on.is_some_and(|d| d < today),
            balance: summary
                .balance
                .map(|m| super::i18n::money(lang, m))
                .unwrap_or_default(),
            owed: if summary.pay_later_owed.cents() == 0 {
                String::new()
            } else {
                super::i18n::money(lang, summary.pay_later_owed)
            },
            cards: summary.live_cards,
            caps: fields.caps.iter().map(|c| cap_text(c, lang)).collect(),
        }
    }
}

/// Today, in the hub's local time zone (expiry dates are local dates), from the hub's clock.
pub fn today(state: &HubState) -> NaiveDate {
    state.clock.today()
}

#[derive(Template)]
#[template(path = "households.html")]
struct ListPage {
    page: Page,
    households: Vec<HouseholdRow>,
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let households = store_call(&state, |s| s.households()).await?;
    let page = Page::new(&user.visitor, "hub-households-title")
        .notice_if(query.saved.is_some(), "hub-households-saved");
    let today = today(&state);
    let households = households
        .iter()
        .map(|h| HouseholdRow::new(h, user.lang(), today))
        .collect();
    render(
        &user.visitor,
        StatusCode::OK,
        &ListPage { page, households },
    )
}

/// The tiers as `<select>` choices.
pub fn tier_choices(tiers: &[TierEntry], lang: Lang) -> Vec<Choice> {
    tiers
        .iter()
        .map(|e| {
            let name = e.names.get(&lang.locale()).cloned().unwrap_or_default();
            let label = if name.is_empty() {
                e.tier.label.clone()
            } else {
                format!("{} — {name}", e.tier.label)
            };
            Choice {
                id: e.tier.id.0,
                name: label,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "households_new.html")]
struct NewPage {
    page: Page,
    form: HouseholdForm,
    errors: FieldErrors,
    tiers: Vec<Choice>,
}

async fn new(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let tiers = store_call(&state, |s| s.catalogue_tiers()).await?;
    let mut form = HouseholdForm::blank();
    form.tier = tiers
        .iter()
        .find(|e| e.tier.is_default)
        .map(|e| e.tier.id.0.to_string())
        .unwrap_or_default();
    let template = NewPage {
        page: Page::new(&user.visitor, "hub-households-new-title"),
        form,
        errors: FieldErrors::new(user.lang()),
        tiers: tier_choices(&tiers, user.lang()),
    };
    render(&user.visitor, StatusCode::OK, &template)
}

async fn create(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let tiers = store_call(&state, |s| s.catalogue_tiers()).await?;
    let ids: Vec<TierId> = tiers.iter().map(|e| e.tier.id).collect();
    let mut form = HouseholdForm::from_pairs(&pairs);
    form.status = "active".into();
    let fields = match form.validate(user.lang(), &ids, Some(today(&state))) {
        Ok(fields) => fields,
        Err(errors) => {
            let template = NewPage {
                page: Page::new(&user.visitor, "hub-households-new-title"),
                form,
                errors,
                tiers: tier_choices(&tiers, user.lang()),
            };
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &template);
        }
    };
    let audit = user
        .audit("household.create")
        .detail(fields_detail(&fields));
    let household = NewHousehold::with_fields(fields);
    let id = store_call(&state, move |s| s.create_household(&household, &audit)).await?;
    saved(&format!("/households/{}?saved=1", id.0))
}

/// The fields a household save writes, as its audit row records them (the page and the CLI).
pub fn fields_detail(fields: &crate::hub::store::HouseholdFields) -> serde_json::Value {
    json!({
        "tier": fields.tier.0,
        "status": status_name(fields.status),
        "expires_on": fields.expires_on,
        "caps": fields.caps,
    })
}

/// One card line of a household's page: a short reference of its hash, never a secret.
pub struct CardLine {
    pub hash: String,
    pub reference: String,
    pub revoked: bool,
    pub issued: String,
}

/// One line of the prepaid ledger.
pub struct LedgerLine {
    pub at: String,
    pub delta: String,
    pub balance: String,
    pub reason: String,
    pub login: String,
}

#[derive(Template)]
#[template(path = "households_show.html")]
struct ShowPage {
    page: Page,
    household: HouseholdRow,
    form: HouseholdForm,
    errors: FieldErrors,
    adjust: AdjustForm,
    adjust_errors: FieldErrors,
    batch_errors: FieldErrors,
    tiers: Vec<Choice>,
    cards: Vec<CardLine>,
    ledger: Vec<LedgerLine>,
    batch: String,
    max_batch: u32,
}

/// What the household's page shows besides its forms.
struct ShowData {
    detail: HouseholdDetail,
    tiers: Vec<TierEntry>,
    /// The day the page is shown (expiry is judged against it).
    today: NaiveDate,
}

async fn load(state: &HubState, id: i64) -> Result<ShowData, WebError> {
    let (detail, tiers) = store_call(state, move |s| {
        Ok((s.household(HouseholdId(id))?, s.catalogue_tiers()?))
    })
    .await?;
    let detail = detail.ok_or(WebError::NotFound)?;
    Ok(ShowData {
        detail,
        tiers,
        today: today(state),
    })
}

/// The two forms of a household's page, as typed, with their errors.
struct Forms {
    form: HouseholdForm,
    errors: FieldErrors,
    adjust: AdjustForm,
    adjust_errors: FieldErrors,
    batch_errors: FieldErrors,
}

impl Forms {
    /// The stored values, no errors.
    fn stored(data: &ShowData, lang: Lang) -> Forms {
        Forms {
            form: HouseholdForm::from_fields(&data.detail.summary.fields, lang),
            errors: FieldErrors::new(lang),
            adjust: AdjustForm::default(),
            adjust_errors: FieldErrors::new(lang),
            batch_errors: FieldErrors::new(lang),
        }
    }
}

fn show_page(
    user: &CurrentUser,
    data: &ShowData,
    forms: Forms,
    status: StatusCode,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let mut page = Page::new(&user.visitor, "hub-households-show-title");
    page.title = format!("{} {}", page.title, data.detail.summary.id.0);
    if let Some(key) = notice {
        page = page.notice(key);
    }
    let cards = data
        .detail
        .cards
        .iter()
        .map(|c| {
            let hash = c.hash.to_hex();
            CardLine {
                reference: hash[..12].to_owned(),
                hash,
                revoked: c.revoked,
                issued: c.created_at.format("%Y-%m-%d").to_string(),
            }
        })
        .collect();
    let ledger = data
        .detail
        .adjustments
        .iter()
        .map(|a| LedgerLine {
            at: a
                .at
                .with_timezone(&Local)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            delta: super::i18n::money(lang, a.delta),
            balance: super::i18n::money(lang, a.balance_after),
            reason: a.reason.clone(),
            login: a.login.clone(),
        })
        .collect();
    let template = ShowPage {
        page,
        household: HouseholdRow::new(&data.detail.summary, lang, data.today),
        form: forms.form,
        errors: forms.errors,
        adjust: forms.adjust,
        adjust_errors: forms.adjust_errors,
        batch_errors: forms.batch_errors,
        tiers: tier_choices(&data.tiers, lang),
        cards,
        ledger,
        batch: random_token()?,
        max_batch: MAX_BATCH,
    };
    render(&user.visitor, status, &template)
}

/// The household's page again, with what is wrong in its card batch form (status 422).
pub async fn with_batch_errors(
    state: &HubState,
    user: &CurrentUser,
    id: i64,
    batch_errors: FieldErrors,
) -> Result<Response, WebError> {
    let data = load(state, id).await?;
    let forms = Forms {
        batch_errors,
        ..Forms::stored(&data, user.lang())
    };
    show_page(user, &data, forms, StatusCode::UNPROCESSABLE_ENTITY, None)
}

async fn show(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let data = load(&state, id).await?;
    let notice = query.saved.is_some().then_some("hub-households-saved");
    let forms = Forms::stored(&data, user.lang());
    show_page(&user, &data, forms, StatusCode::OK, notice)
}

async fn update(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let data = load(&state, id).await?;
    let ids: Vec<TierId> = data.tiers.iter().map(|e| e.tier.id).collect();
    let form = HouseholdForm::from_pairs(&pairs);
    let lang = user.lang();
    let fields = match form.validate(lang, &ids, None) {
        Ok(fields) => fields,
        Err(errors) => {
            let forms = Forms {
                form,
                errors,
                ..Forms::stored(&data, lang)
            };
            return show_page(&user, &data, forms, StatusCode::UNPROCESSABLE_ENTITY, None);
        }
    };
    let household = data.detail.summary.id;
    let audit = user
        .audit("household.update")
        .subject(format!("household {}", household.0))
        .detail(fields_detail(&fields));
    store_call(&state, move |s| {
        s.update_household(household, &fields, &audit)
    })
    .await?;
    saved(&format!("/households/{id}?saved=1"))
}

async fn adjust(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(adjust): CsrfForm<AdjustForm>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let data = load(&state, id).await?;
    let lang = user.lang();
    let household = data.detail.summary.id;
    let mut adjust_errors = match adjust.validate(lang) {
        Ok((delta, reason)) => {
            let audit = user
                .audit("household.balance")
                .subject(format!("household {}", household.0))
                .detail(json!({ "delta_cents": delta.cents(), "reason": reason }));
            let call = move |s: &dyn crate::hub::HubStore| {
                s.adjust_balance(household, delta, &reason, &audit)
            };
            match store_call(&state, call).await {
                Ok(_) => {
                    return saved(&format!("/households/{id}?saved=1"));
                }
                Err(WebError::Store(HubStoreError::Invalid(_))) => FieldErrors::new(lang),
                Err(other) => return Err(other),
            }
        }
        Err(errors) => errors,
    };
    if adjust_errors.is_empty() {
        adjust_errors.add("amount", "hub-households-error-below-zero");
    }
    let forms = Forms {
        adjust,
        adjust_errors,
        ..Forms::stored(&data, lang)
    };
    show_page(&user, &data, forms, StatusCode::UNPROCESSABLE_ENTITY, None)
}
