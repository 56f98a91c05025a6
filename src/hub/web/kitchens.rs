//! The kitchens' pages: intakes (with the sources they come from) and production batches, each a
//! list with its form, and the same lists as JSON (`/intakes.json`, `/batches.json`).
//!
//! Everyone with [`Access::Kitchens`] reads (site staff their own kitchen only); recording needs
//! [`Access::Site`] of the kitchen: an admin records for any kitchen, site staff for theirs, a
//! report viewer for none (no form is shown). A refused form is shown again with its messages
//! (422) and nothing is written; the store re-checks the batch in its transaction.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{self, FieldErrors, FormErrors};
use super::i18n::{Lang, decimal, t};
use super::kitchens_form::{BatchForm, IntakeForm};
use super::page::Page;
use super::policy::{Access, own_site};
use super::reports::json_answer;
use super::session::CurrentUser;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::kitchen::{SourceKind, hours_text, kg_text};
use crate::domain::product::Product;
use crate::domain::{ProductId, SiteId};
use crate::hub::app::HubState;
use crate::hub::store::kitchens::{batch_audit_detail, intake_audit_detail};
use crate::hub::store::{BatchRow, HubStore, HubStoreError, IntakeRow, SiteRow, SourceRow};

/// Most rows a list shows.
pub const LIST_LIMIT: u32 = 500;

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/intakes", get(intakes).post(create_intake))
        .route("/intakes.json", get(intakes_json))
        .route("/sources", post(create_source))
        .route("/batches", get(batches).post(create_batch))
        .route("/batches/new", get(new_batch))
        .route("/batches.json", get(batches_json))
}

/// The kitchens `user` may record for: every site for an admin, their own for site staff.
fn writable(user: &CurrentUser, sites: &[SiteRow]) -> Vec<SiteId> {
    sites
        .iter()
        .map(|s| s.id)
        .filter(|id| super::policy::allows(user.user.role, Access::Site(*id)))
        .collect()
}

/// The kitchen rows `user` may read.
fn readable(user: &CurrentUser) -> Result<Option<SiteId>, WebError> {
    user.require(Access::Kitchens)?;
    Ok(own_site(user.user.role))
}

/// An intake as its list shows it.
pub struct IntakeLine {
    pub row: IntakeRow,
    pub received: String,
    pub left: String,
}

impl IntakeLine {
    fn new(row: IntakeRow, lang: Lang) -> IntakeLine {
        IntakeLine {
            received: decimal(lang, &kg_text(row.received_g)),
            left: decimal(lang, &kg_text(row.left_g())),
            row,
        }
    }
}

#[derive(Template)]
#[template(path = "kitchens_intakes.html")]
struct IntakesPage {
    page: Page,
    intakes: Vec<IntakeLine>,
    sources: Vec<SourceRow>,
    kinds: Vec<(&'static str, String)>,
    kitchens: Vec<SiteRow>,
    form: IntakeForm,
    errors: FieldErrors,
    /// Which form was posted: `intake` or `source`.
    sent: &'static str,
    source_name: String,
}

impl IntakesPage {
    fn errors_of(&self, form: &str) -> FormErrors<'_> {
        FormErrors::sent(&self.errors, self.sent == form)
    }
}

struct IntakesView {
    form: IntakeForm,
    errors: FieldErrors,
    sent: &'static str,
    source_name: String,
}

async fn intakes_page(
    state: &HubState,
    user: &CurrentUser,
    view: Option<IntakesView>,
    status: StatusCode,
    saved: bool,
) -> Result<Response, WebError> {
    let only = readable(user)?;
    let (intakes, sources, sites) = store_call(state, move |s| {
        Ok((s.intakes(only, LIST_LIMIT)?, s.sources()?, s.sites()?))
    })
    .await?;
    let mine = writable(user, &sites);
    let kitchens: Vec<SiteRow> = sites.into_iter().filter(|s| mine.contains(&s.id)).collect();
    let lang = user.lang();
    let view = view.unwrap_or_else(|| IntakesView {
        form: IntakeForm::blank(
            state.clock.today(),
            mine.first().copied().filter(|_| mine.len() == 1),
        ),
        errors: FieldErrors::new(lang),
        sent: "",
        source_name: String::new(),
    });
    let template = IntakesPage {
        page: Page::new(&user.visitor, "hub-intakes-title").notice_if(saved, "hub-kitchens-saved"),
        intakes: intakes
            .into_iter()
            .map(|i| IntakeLine::new(i, lang))
            .collect(),
        sources,
        kinds: kind_names(lang),
        kitchens,
        form: view.form,
        errors: view.errors,
        sent: view.sent,
        source_name: view.source_name,
    };
    render(&user.visitor, status, &template)
}

fn kind_names(lang: Lang) -> Vec<(&'static str, String)> {
    SourceKind::ALL
        .into_iter()
        .map(|k| {
            let key = match k {
                SourceKind::Farm => "hub-sources-farm",
                SourceKind::Grocer => "hub-sources-grocer",
                SourceKind::Distributor => "hub-sources-distributor",
                SourceKind::Other => "hub-sources-other",
            };
            (k.name(), t(lang, key))
        })
        .collect()
}

async fn intakes(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    intakes_page(&state, &user, None, StatusCode::OK, query.saved.is_some()).await
}

/// The store's own refusal (a race with another write), on `field`, in its words.
fn store_refusal(field: &'static str) -> impl FnOnce(&HubStoreError, &mut FieldErrors) -> bool {
    move |error, errors| match error {
        HubStoreError::Invalid(reason) | HubStoreError::NotFound(reason) => {
            errors.add_with(
                field,
                "hub-kitchens-error-store",
                &[("reason", reason.clone().into())],
            );
            true
        }
        _ => false,
    }
}

async fn create_intake(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<IntakeForm>,
) -> Result<Response, WebError> {
    user.require(Access::Kitchens)?;
    let (sources, sites) = store_call(&state, |s| Ok((s.sources()?, s.sites()?))).await?;
    let mine = writable(&user, &sites);
    if mine.is_empty() {
        return Err(WebError::Forbidden);
    }
    let today = state.clock.today();
    let source_ids: Vec<_> = sources.iter().map(|s| s.id).collect();
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let again = |form, errors| IntakesView {
        form,
        errors,
        sent: "intake",
        source_name: String::new(),
    };
    let intake = match form.validate(user.lang(), today, &source_ids, &mine) {
        Ok(intake) => intake,
        Err(errors) => {
            return intakes_page(
                &state,
                &user,
                Some(again(form, errors)),
                unprocessable,
                false,
            )
            .await;
        }
    };
    let audit = user
        .audit("intake.create")
        .detail(intake_audit_detail(&intake));
    let mut errors = FieldErrors::new(user.lang());
    let call = move |s: &dyn HubStore| s.add_intake(&intake, today, &audit);
    match form::write(&state, &mut errors, call, store_refusal("kg")).await? {
        Some(_) => form::saved("/intakes?saved=1"),
        None => {
            intakes_page(
                &state,
                &user,
                Some(again(form, errors)),
                unprocessable,
                false,
            )
            .await
        }
    }
}

/// A new source, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SourceForm {
    pub name: String,
    pub kind: String,
}

async fn create_source(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<SourceForm>,
) -> Result<Response, WebError> {
    user.require(Access::Kitchens)?;
    let sites = store_call(&state, |s| s.sites()).await?;
    if writable(&user, &sites).is_empty() {
        return Err(WebError::Forbidden);
    }
    let mut errors = FieldErrors::new(user.lang());
    let kind = SourceKind::from_name(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", "hub-sources-error-kind");
    }
    let name = crate::domain::kitchen::clean_text(&form.name).ok();
    if name.is_none() {
        errors.add("source_name", "hub-kitchens-error-text");
    }
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let again = |errors| IntakesView {
        form: IntakeForm::blank(state.clock.today(), None),
        errors,
        sent: "source",
        source_name: form.name.clone(),
    };
    let (Some(name), Some(kind)) = (name, kind) else {
        return intakes_page(&state, &user, Some(again(errors)), unprocessable, false).await;
    };
    let audit = user
        .audit("source.create")
        .detail(json!({ "name": name, "kind": kind.name() }));
    let call = move |s: &dyn HubStore| s.add_source(&name, kind, &audit);
    match form::write(&state, &mut errors, call, store_refusal("source_name")).await? {
        Some(_) => form::saved("/intakes?saved=1"),
        None => intakes_page(&state, &user, Some(again(errors)), unprocessable, false).await,
    }
}

/// An intake as the JSON list writes it.
#[derive(Serialize)]
struct IntakeJson {
    id: i64,
    received_on: chrono::NaiveDate,
    source: i64,
    source_name: String,
    description: String,
    category: String,
    received_g: u64,
    used_g: u64,
    left_g: u64,
    kitchen: i64,
}

async fn intakes_json(
    State(state): State<HubState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let only = readable(&user)?;
    let rows = store_call(&state, move |s| s.intakes(only, LIST_LIMIT)).await?;
    let rows: Vec<IntakeJson> = rows
        .into_iter()
        .map(|r| IntakeJson {
            id: r.id.0,
            received_on: r.received_on,
            source: r.source.0,
            left_g: r.left_g(),
            source_name: r.source_name,
            description: r.description,
            category: r.category,
            received_g: r.received_g,
            used_g: r.used_g,
            kitchen: r.kitchen.0,
        })
        .collect();
    Ok(json_answer(&user, rows))
}

/// A batch as its list shows it.
pub struct BatchLine {
    pub row: BatchRow,
    pub product: String,
    pub used: String,
    pub packed: String,
    pub lost: String,
    pub hours: String,
}

impl BatchLine {
    fn new(row: BatchRow, lang: Lang) -> BatchLine {
        let product = row
            .product_names
            .get(&lang.locale())
            .or_else(|| row.product_names.values().next())
            .cloned()
            .unwrap_or_default();
        BatchLine {
            product,
            used: decimal(lang, &kg_text(row.used_g())),
            packed: decimal(lang, &kg_text(row.packed_g)),
            lost: decimal(lang, &kg_text(row.lost_g())),
            hours: row
                .participant_minutes
                .map(|m| decimal(lang, &hours_text(u64::from(m))))
                .unwrap_or_default(),
            row,
        }
    }
}

#[derive(Template)]
#[template(path = "kitchens_batches.html")]
struct BatchesPage {
    page: Page,
    batches: Vec<BatchLine>,
    can_record: bool,
}

async fn batches(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let only = readable(&user)?;
    let (rows, sites) = store_call(&state, move |s| {
        Ok((s.batches(only, LIST_LIMIT)?, s.sites()?))
    })
    .await?;
    let lang = user.lang();
    let template = BatchesPage {
        page: Page::new(&user.visitor, "hub-batches-title")
            .notice_if(query.saved.is_some(), "hub-kitchens-saved"),
        batches: rows.into_iter().map(|r| BatchLine::new(r, lang)).collect(),
        can_record: !writable(&user, &sites).is_empty(),
    };
    render(&user.visitor, StatusCode::OK, &template)
}

#[derive(Template)]
#[template(path = "kitchens_batch_form.html")]
struct BatchFormPage {
    page: Page,
    form: BatchForm,
    errors: FieldErrors,
    kitchens: Vec<SiteRow>,
    products: Vec<(i64, String)>,
    /// Intakes with grams left, of the kitchens the user records for.
    intakes: Vec<IntakeLine>,
}

impl BatchFormPage {
    fn use_errors(&self, line: &IntakeLine) -> Option<&str> {
        self.errors.get_at("use", line.row.id)
    }
}

/// What the batch form needs: kitchens, active products, intakes with grams left.
struct BatchContext {
    kitchens: Vec<SiteRow>,
    products: Vec<Product>,
    intakes: Vec<IntakeRow>,
}

async fn batch_context(state: &HubState, user: &CurrentUser) -> Result<BatchContext, WebError> {
    user.require(Access::Kitchens)?;
    let only = own_site(user.user.role);
    let (sites, products, intakes) = store_call(state, move |s| {
        Ok((
            s.sites()?,
            s.catalogue_products()?,
            s.intakes(only, LIST_LIMIT)?,
        ))
    })
    .await?;
    let mine = writable(user, &sites);
    if mine.is_empty() {
        return Err(WebError::Forbidden);
    }
    Ok(BatchContext {
        kitchens: sites.into_iter().filter(|s| mine.contains(&s.id)).collect(),
        products: products.into_iter().filter(|p| p.active).collect(),
        intakes: intakes
            .into_iter()
            .filter(|i| i.left_g() > 0 && mine.contains(&i.kitchen))
            .collect(),
    })
}

fn batch_form_page(
    user: &CurrentUser,
    context: BatchContext,
    form: BatchForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let template = BatchFormPage {
        page: Page::new(&user.visitor, "hub-batches-new-title"),
        form,
        errors,
        kitchens: context.kitchens,
        products: context
            .products
            .iter()
            .map(|p| (p.id.0, p.name(lang.locale()).to_owned()))
            .collect(),
        intakes: context
            .intakes
            .into_iter()
            .map(|i| IntakeLine::new(i, lang))
            .collect(),
    };
    render(&user.visitor, status, &template)
}

async fn new_batch(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    let context = batch_context(&state, &user).await?;
    let only = (context.kitchens.len() == 1).then(|| context.kitchens[0].id);
    let form = BatchForm::blank(state.clock.today(), only);
    let errors = FieldErrors::new(user.lang());
    batch_form_page(&user, context, form, errors, StatusCode::OK)
}

async fn create_batch(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let context = batch_context(&state, &user).await?;
    let form = BatchForm::from_pairs(&pairs);
    let shelf_life = match form.product_id() {
        Some(id) if context.products.iter().any(|p| p.id == id) => {
            store_call(&state, move |s| s.label_facts(id))
                .await?
                .shelf_life_days
        }
        _ => None,
    };
    let today = state.clock.today();
    let kitchens: Vec<SiteId> = context.kitchens.iter().map(|k| k.id).collect();
    let products: Vec<ProductId> = context.products.iter().map(|p| p.id).collect();
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let checked = match form.validate(
        user.lang(),
        today,
        &kitchens,
        &products,
        shelf_life,
        &context.intakes,
    ) {
        Ok(checked) => checked,
        Err(errors) => return batch_form_page(&user, context, form, errors, unprocessable),
    };
    let batch = checked.batch;
    let audit = user
        .audit("batch.create")
        .detail(batch_audit_detail(&batch));
    let mut errors = FieldErrors::new(user.lang());
    let call = move |s: &dyn HubStore| s.add_batch(&batch, today, &audit);
    match form::write(&state, &mut errors, call, store_refusal("uses")).await? {
        Some(_) => form::saved("/batches?saved=1"),
        None => batch_form_page(&user, context, form, errors, unprocessable),
    }
}

/// A batch as the JSON list writes it.
#[derive(Serialize)]
struct BatchJson {
    id: i64,
    produced_on: chrono::NaiveDate,
    kitchen: i64,
    programme: Option<String>,
    participant_minutes: Option<u32>,
    product: i64,
    packs: u32,
    packed_g: u64,
    used_g: u64,
    lost_g: u64,
    lot: String,
    best_before: chrono::NaiveDate,
    intakes: Vec<serde_json::Value>,
}

async fn batches_json(
    State(state): State<HubState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let only = readable(&user)?;
    let rows = store_call(&state, move |s| s.batches(only, LIST_LIMIT)).await?;
    let rows: Vec<BatchJson> = rows
        .into_iter()
        .map(|r| BatchJson {
            id: r.id.0,
            produced_on: r.produced_on,
            kitchen: r.kitchen.0,
            participant_minutes: r.participant_minutes,
            product: r.product.0,
            packs: r.packs,
            packed_g: r.packed_g,
            used_g: r.used_g(),
            lost_g: r.lost_g(),
            best_before: r.best_before,
            intakes: r
                .uses
                .iter()
                .map(|(id, g)| json!({ "intake": id.0, "used_g": g }))
                .collect(),
            programme: r.programme,
            lot: r.lot,
        })
        .collect();
    Ok(json_answer(&user, rows))
}
