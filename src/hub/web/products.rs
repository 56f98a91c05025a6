//! The product pages: the list, a new product, editing one. Admin only ([`Access::Catalogue`]).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::assets::PRODUCT_PICTOGRAMS;
use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{FieldErrors, saved, write};
use super::i18n::Lang;
use super::page::Page;
use super::policy::Access;
use super::products_form::{ProductForm, tax_text};
use super::session::CurrentUser;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::ProductId;
use crate::domain::codes::Gtin;
use crate::domain::product::{Locale, Product};
use crate::hub::app::HubState;
use crate::hub::store::{Duplicated, HubStore, HubStoreError};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/products", get(list).post(create))
        .route("/products/new", get(new))
        .route("/products/{id}", get(edit).post(update))
}

/// A product as the list shows it.
pub struct ProductRow {
    pub id: i64,
    pub name: String,
    pub other_names: String,
    pub pictogram: String,
    /// The photo's hash, when the product has one.
    pub photo: Option<String>,
    pub barcodes: Vec<String>,
    pub internal_code: String,
    pub weight: String,
    pub price: String,
    pub tax: String,
    pub active: bool,
}

impl ProductRow {
    fn new(product: &Product, lang: Lang) -> ProductRow {
        let name = product.name(lang.locale()).to_owned();
        let other_names = Locale::ALL
            .into_iter()
            .filter_map(|l| product.names.get(&l))
            .filter(|n| **n != name)
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ");
        ProductRow {
            id: product.id.0,
            name,
            other_names,
            pictogram: product.pictogram.clone(),
            photo: product.photo.as_ref().map(|h| h.as_str().to_owned()),
            barcodes: product.barcodes.iter().map(Gtin::as_display).collect(),
            internal_code: product.internal_code.clone().unwrap_or_default(),
            weight: format!("{}\u{a0}g", product.net_weight_g),
            price: super::i18n::money(lang, product.full_price),
            tax: format!("{}\u{a0}%", tax_text(product.tax_rate, lang)),
            active: product.active,
        }
    }
}

#[derive(Template)]
#[template(path = "products.html")]
struct ProductsPage {
    page: Page,
    products: Vec<ProductRow>,
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let products = store_call(&state, |s| s.catalogue_products()).await?;
    let mut page = Page::new(&user.visitor, "hub-products-title");
    if query.saved.is_some() {
        page = page.notice("hub-products-saved");
    }
    let template = ProductsPage {
        page,
        products: products
            .iter()
            .map(|p| ProductRow::new(p, user.lang()))
            .collect(),
    };
    render(&user.visitor, StatusCode::OK, &template)
}

#[derive(Template)]
#[template(path = "product_form.html")]
struct ProductFormPage {
    page: Page,
    action: String,
    form: ProductForm,
    errors: FieldErrors,
    pictograms: Vec<&'static str>,
    /// The product being edited (none for a new one): its id and photo hash, for the photo form.
    product_id: Option<i64>,
    photo: Option<String>,
}

/// The product form: empty for a new product (`product` `None`), else `product`'s with its photo.
pub(super) fn form_page(
    user: &CurrentUser,
    product: Option<&Product>,
    form: ProductForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (title, action) = match product {
        Some(p) => ("hub-products-edit-title", format!("/products/{}", p.id.0)),
        None => ("hub-products-new-title", "/products".to_owned()),
    };
    let mut page = Page::new(&user.visitor, title);
    if status == StatusCode::OK && user.visitor.path.contains("saved=1") {
        page = page.notice("hub-products-saved");
    }
    let template = ProductFormPage {
        page,
        action,
        form,
        errors,
        pictograms: PRODUCT_PICTOGRAMS.iter().map(|(stem, _)| *stem).collect(),
        product_id: product.map(|p| p.id.0),
        photo: product.and_then(|p| p.photo.as_ref().map(|h| h.as_str().to_owned())),
    };
    render(&user.visitor, status, &template)
}

async fn new(user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let errors = FieldErrors::new(user.lang());
    form_page(&user, None, ProductForm::blank(), errors, StatusCode::OK)
}

async fn edit(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let product = find(&state, ProductId(id)).await?;
    let form = ProductForm::from_product(&product, user.lang());
    let errors = FieldErrors::new(user.lang());
    form_page(&user, Some(&product), form, errors, StatusCode::OK)
}

/// The product `id`, or the 404 page.
pub(super) async fn find(state: &HubState, id: ProductId) -> Result<Product, WebError> {
    let products = store_call(state, |s| s.catalogue_products()).await?;
    products
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(WebError::NotFound)
}

async fn create(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    save(&state, &user, None, form).await
}

async fn update(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let id = find(&state, ProductId(id)).await?.id;
    save(&state, &user, Some(id), form).await
}

/// Validates, then writes the product and its audit row in one transaction; a refused form is
/// shown again with its messages and nothing is written.
async fn save(
    state: &HubState,
    user: &CurrentUser,
    id: Option<ProductId>,
    form: ProductForm,
) -> Result<Response, WebError> {
    let product = match form.validate(user.lang()) {
        Ok(product) => product,
        Err(errors) => return refused(state, user, id, form, errors).await,
    };
    let action = if id.is_some() {
        "product.update"
    } else {
        "product.create"
    };
    let audit = user.audit(action).detail(audit_detail(&product));
    let mut errors = FieldErrors::new(user.lang());
    let call = move |s: &dyn HubStore| s.save_product(id, &product, &audit);
    match write(state, &mut errors, call, duplicate_message).await? {
        Some(_) => saved("/products?saved=1"),
        None => refused(state, user, id, form, errors).await,
    }
}

/// The form shown again (422) with what is wrong, for a new product or product `id`.
async fn refused(
    state: &HubState,
    user: &CurrentUser,
    id: Option<ProductId>,
    form: ProductForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let product = match id {
        Some(id) => Some(find(state, id).await?),
        None => None,
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    form_page(user, product.as_ref(), form, errors, status)
}

/// The values a product save writes, as its audit row records them (the page and the CLI).
pub fn audit_detail(product: &Product) -> serde_json::Value {
    json!({
        "names": product.names,
        "barcodes": product.barcodes,
        "internal_code": product.internal_code,
        "pictogram": product.pictogram,
        "net_weight_g": product.net_weight_g,
        "full_price_cents": product.full_price.cents(),
        "tax_rate": product.tax_rate.0,
        "active": product.active,
    })
}

/// Puts the store's "already exists" on the field it concerns.
fn duplicate_message(error: &HubStoreError, errors: &mut FieldErrors) -> bool {
    let HubStoreError::Duplicate(what) = error else {
        return false;
    };
    if let Duplicated::Barcode(code) = what {
        let shown = code
            .parse::<Gtin>()
            .map(|g| g.as_display())
            .unwrap_or_else(|_| code.clone());
        errors.add_with(
            "barcodes",
            "hub-products-error-barcode-taken",
            &[("code", shown.into())],
        );
    } else {
        errors.add("internal_code", "hub-products-error-internal-taken");
    }
    true
}
