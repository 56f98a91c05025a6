//! The hub's web pages: server-rendered HTML for the collective's staff and partners, no
//! JavaScript anywhere, French first and English too.
//!
//! # Map
//!
//! - [`router`]: every page's route, merged into [`crate::hub::app::router`] next to `/api/v1`.
//! - [`session`]: the [`Visitor`](session::Visitor) (language, session, CSRF token) and
//!   [`CurrentUser`](session::CurrentUser) extractors; cookies.
//! - [`policy`]: [`Access`](policy::Access) and [`allows`](policy::allows), the one place roles are
//!   enforced (and what the navigation shows).
//! - [`csrf`]: [`CsrfForm<T>`](csrf::CsrfForm), the one CSRF check of every form.
//! - [`error`]: [`WebError`](error::WebError), rendered as an HTML page in one place.
//! - [`i18n`]: [`Lang`](i18n::Lang), [`t`](i18n::t), [`t_with`](i18n::t_with), money.
//! - [`page`]: [`Page`](page::Page), the header every template extends; the navigation list.
//! - Storage: the traits in [`crate::hub::store`] (users and audit log, catalogue, households,
//!   sites…), all parts of [`HubStore`](crate::hub::HubStore); their SQLite side is in
//!   `hub/store/sqlite/`.
//! - [`auth`], [`users`], [`audit`]: login, logout, password, language; users; the audit log.
//! - [`login_guard`]: attempts per address and the cap on concurrent password hashes.
//! - [`catalogue`]: products and tiers. [`assets`]: the stylesheet and the pictograms.
//! - `templates/`: askama templates (`askama.toml` points there), checked at compile time.
//!
//! # Conventions (follow them for a new page)
//!
//! **Adding a page.** Write `src/hub/web/<feature>.rs` with `pub fn routes() -> Router<HubState>`,
//! then add `pub mod <feature>;` and one `.merge(<feature>::routes())` in [`router`] below (the
//! only edits another page needs in this file). If it belongs in the navigation, add a
//! `NavEntry` in `page.rs` (the paths `/households`, `/sites`, `/reports`, `/fleet` are there).
//! A template is `templates/<feature>_<page>.html` starting `{% extends "base.html" %}` with a
//! `{% block content %}`; its struct has a `page: Page` field (`Page::new(&user.visitor,
//! "hub-…-title")`) and templates call `page.t("hub-…")` and `page.money(&amount)`. Answer with
//! [`render`]`(&user.visitor, StatusCode::OK, &template)`; it sets `Cache-Control: no-store` and
//! the visitor's pending cookies.
//!
//! **An authenticated handler per role.** Take [`CurrentUser`](session::CurrentUser) (a request
//! without a session is redirected to `/login?next=…`), then call
//! `user.require(Access::…)?` before reading anything: `Access::Reports` (viewer and admin),
//! `Access::Site(site_id)` (that site's staff and admin), `Access::Households`, `Access::Sites`,
//! `Access::AllSites`, `Access::Catalogue`… A refused role gets the 403 page. Lists that span
//! sites filter with [`policy::own_site`]. Never test `user.user.role` by hand.
//!
//! **A form.** Every `<form method="post">` carries
//! `<input type="hidden" name="csrf" value="{{ page.csrf }}">`. The handler takes
//! `CsrfForm(form): CsrfForm<MyForm>` as its LAST argument (it reads the body); `MyForm` derives
//! `Deserialize` with `#[serde(default)]` `String` fields (so a missing field is a validation
//! error, not a 400) and ignores the `csrf` field. A wrong or missing token is answered 403 before
//! the handler runs. Validate everything first, collecting message ids per field (see
//! [`form::FieldErrors`]); when any is wrong, re-render the same template with the values typed
//! and the errors translated, status 422, and write nothing. Every field is one call of a macro
//! of `templates/fields.html` (`{% import "fields.html" as f %}`, `{% call f::field("name",
//! "hub-…", form.name) %}{% endcall %}`; `f::select`, `f::check`). Store methods take whole values
//! so a write is one transaction: nothing is ever half-saved. Write with [`form::write`] (a store
//! refusal such as a name taken becomes a message on its field, and the form is shown again);
//! after a successful write, answer [`form::saved`] (303) to the list with `?saved=1` and show
//! `page.notice_if(saved, "hub-…-saved")`. A record edited on `/things/new` and `/things/{id}`
//! implements [`form::Editor`]; `form::editor_routes::<Things, _>(list)` then serves its pages.
//!
//! **A list report.** Describe it as a [`report_list::ListReport`] (its filter, rows and columns)
//! and merge `report_list::routes::<YourReport>()`: the page, `.csv` and `.json` follow.
//!
//! **An audited write.** Build the entry with `user.audit("product.update")
//! .subject(format!("product {id}")).detail(json!({…}))` (never a password or a card secret in
//! the detail) and pass it to the store method, which writes it with
//! `sqlite::web::record_audit(&tx, &audit)` in the SAME transaction as the change. The admin sees
//! it at `/audit`.
//!
//! **A translation.** Messages live in `locales/fr-CA/hub*.ftl` and `locales/en-CA/hub*.ftl`
//! (your own file, e.g. `hub-reports.ftl`); every id starts with `hub-`. Use literal ids in code
//! (`t(lang, "hub-save")`, `t_with(lang, "hub-save", &[("n", n.into())])`) and templates
//! (`page.t("hub-save")`): the test in `i18n/tests.rs` finds them in `src/hub/web/**` and checks both
//! languages define the same ids, and every id used.
//!
//! **Storage.** Handlers reach storage through `state.store` with [`store_call`] (the blocking
//! pool, through `hub::blocking`). Put a page module's storage methods in its own trait in `hub/store/<area>.rs` (with the
//! types they take and return) and add it to `HubStore`'s union in `hub/store/mod.rs`, implemented
//! in `hub/store/sqlite/`.

pub mod assets;
pub mod audit;
pub mod auth;
pub mod badges;
pub mod caps_form;
pub mod cards;
pub mod catalogue;
pub mod csrf;
pub mod error;
pub mod form;
pub mod home;
pub mod households;
pub mod households_form;
pub mod i18n;
pub mod kiosks;
pub mod kiosks_form;
pub mod kitchens;
pub mod kitchens_form;
pub mod labels;
pub mod login_guard;
pub mod page;
pub mod policy;
pub mod product_label;
pub mod product_photos;
pub mod products;
pub mod products_form;
pub mod quarantine;
pub mod recalls;
pub mod report_list;
pub mod reports;
pub mod reports_fleet;
pub mod reports_impact;
pub mod reports_stock;
pub mod session;
pub mod settings;
pub mod sites;
pub mod tiers;
pub mod tiers_form;
pub mod users;

use askama::Template;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use self::error::WebError;
use self::session::Visitor;
use crate::hub::app::HubState;
use crate::hub::store::{HubStore, HubStoreError};

pub use settings::WebSettings;

/// Every page of the hub (merged into the hub's router, which supplies the state). Each router
/// has its own [`login_guard::LoginGuard`] (attempt counts and hash slots).
pub fn router(settings: &WebSettings) -> Router<HubState> {
    Router::new()
        .route("/", get(auth::root))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/dashboard", get(home::page))
        .route("/account", get(auth::account))
        .route("/account/password", post(auth::change_password))
        .route("/language", post(auth::switch_language))
        .route("/assets/hub.css", get(assets::css))
        .route("/assets/pictograms/products/{file}", get(assets::pictogram))
        .merge(users::routes())
        .merge(audit::routes())
        .merge(labels::routes())
        .merge(catalogue::routes())
        .merge(households::routes())
        .merge(cards::routes())
        .merge(sites::routes())
        .merge(kiosks::routes())
        .merge(badges::routes())
        .merge(reports::routes())
        .merge(reports_stock::routes())
        .merge(reports_fleet::routes())
        .merge(reports_impact::routes())
        .merge(quarantine::routes())
        .merge(recalls::routes())
        .merge(kitchens::routes())
        .merge(product_label::routes())
        .layer(Extension(login_guard::LoginGuard::new(
            settings.login_attempts_per_minute,
        )))
        .layer(middleware::from_fn(error::render_errors))
        .layer(middleware::map_response(security_headers))
}

/// Headers every page carries: no framing, no inline script or style, no sniffing.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = [
        (
            CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (X_FRAME_OPTIONS, "DENY"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Runs a storage call on the blocking pool.
pub async fn store_call<T: Send + 'static>(
    state: &HubState,
    call: impl FnOnce(&dyn HubStore) -> Result<T, HubStoreError> + Send + 'static,
) -> Result<T, WebError> {
    crate::hub::blocking::on_store(&state.store, move |store| {
        call(store).map_err(WebError::from)
    })
    .await
}

/// A rendered page with `status`, not cached, with the visitor's pending cookies.
pub fn render(
    visitor: &Visitor,
    status: StatusCode,
    template: &impl Template,
) -> Result<Response, WebError> {
    let html = template
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(visitor.respond((status, [(CACHE_CONTROL, "no-store")], Html(html))))
}

/// A redirect target from a form or a query: a local path only (never `//host` or a URL), else
/// the dashboard.
pub fn safe_next(next: &str) -> &str {
    local_path(next)
        .filter(|path| *path != "/login")
        .unwrap_or("/dashboard")
}

/// `path` if it is a path on this hub (never `//host`, `/\\host` or a URL).
pub fn local_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(char::is_control);
    local.then_some(path)
}

/// Percent-encodes a query value.
pub fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/products?saved=1"), "/products?saved=1");
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "/login",
            "x",
        ] {
            assert_eq!(safe_next(bad), "/dashboard", "{bad}");
        }
    }
}
