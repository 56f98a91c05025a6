//! The product pages: the list, a new product, editing one. Admin only ([`Access::Catalogue`]).

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::assets::PRODUCT_PICTOGRAMS;
use super::error::WebError;
use super::form::{self, Editor, FieldErrors, Shown, editor_routes, show};
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
use crate::hub::store::{Audit, Duplicated, HubStore, HubStoreError};

pub fn routes() -> Router<HubState> {
    editor_routes::<Products, _>(list)
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
    let page = Page::new(&user.visitor, "hub-products-title")
        .notice_if(query.saved.is_some(), "hub-products-saved");
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

/// Each product's photo hash, by product id: what the form page shows beside the fields.
pub struct ProductPhotos(BTreeMap<i64, String>);

impl ProductPhotos {
    fn of(products: &[Product]) -> ProductPhotos {
        let photos = products
            .iter()
            .filter_map(|p| Some((p.id.0, p.photo.as_ref()?.as_str().to_owned())))
            .collect();
        ProductPhotos(photos)
    }
}

/// The product `id`, or the 404 page.
pub(super) async fn find(state: &HubState, id: ProductId) -> Result<Product, WebError> {
    Ok(form::find::<Products>(state, id.0).await?.0)
}

/// `product`'s form page, filled from it, with `errors` (a refused photo) and `status`.
pub(super) fn form_page(
    user: &CurrentUser,
    product: &Product,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let form = ProductForm::from_product(product, user.lang());
    let photos = ProductPhotos::of(std::slice::from_ref(product));
    show::<Products>(user, Some(product.id.0), form, errors, &photos, status)
}

/// The product form's pages, served by [`editor_routes`].
struct Products;

impl Editor for Products {
    type Body = ProductForm;
    type Form = ProductForm;
    type Record = Product;
    type Extra = ProductPhotos;
    type Page = ProductFormPage;

    const ACCESS: Access = Access::Catalogue;
    const LIST: &'static str = "/products";
    const ACTIONS: (&'static str, &'static str) = ("product.create", "product.update");
    const TITLES: (&'static str, &'static str) =
        ("hub-products-new-title", "hub-products-edit-title");
    const SAVED: Option<&'static str> = Some("hub-products-saved");

    fn load(store: &dyn HubStore) -> Result<(Vec<Product>, ProductPhotos), HubStoreError> {
        let products = store.catalogue_products()?;
        let photos = ProductPhotos::of(&products);
        Ok((products, photos))
    }

    fn id(product: &Product) -> i64 {
        product.id.0
    }

    fn read(body: ProductForm) -> ProductForm {
        body
    }

    fn blank() -> ProductForm {
        ProductForm::blank()
    }

    fn fill(product: &Product, lang: Lang) -> ProductForm {
        ProductForm::from_product(product, lang)
    }

    fn validate(form: &ProductForm, lang: Lang, _: &ProductPhotos) -> Result<Product, FieldErrors> {
        form.validate(lang)
    }

    fn audit_detail(product: &Product) -> serde_json::Value {
        audit_detail(product)
    }

    fn save(
        store: &dyn HubStore,
        id: Option<i64>,
        product: &Product,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        store
            .save_product(id.map(ProductId), product, audit)
            .map(drop)
    }

    /// Puts the store's "already exists" on the field it concerns.
    fn refusal(error: &HubStoreError, errors: &mut FieldErrors) -> bool {
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

    fn page(shown: Shown<ProductForm>, photos: &ProductPhotos) -> ProductFormPage {
        ProductFormPage {
            page: shown.page,
            action: shown.action,
            form: shown.form,
            errors: shown.errors,
            pictograms: PRODUCT_PICTOGRAMS.iter().map(|(stem, _)| *stem).collect(),
            product_id: shown.id,
            photo: shown.id.and_then(|id| photos.0.get(&id).cloned()),
        }
    }
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
