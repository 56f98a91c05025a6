//! Territories and sites: the lists, a new one, renaming (a site may also move to another
//! territory). Admins change them ([`Access::Sites`]); site staff see their own site only, read-
//! only, with the way to its kiosks; report viewers see none of this.
//!
//! A name already used, empty, or too long re-renders the page with the message next to the
//! form that was sent, and nothing is written.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::{self, FieldErrors, FormErrors};
use super::page::Page;
use super::policy::{Access, own_site};
use super::session::CurrentUser;
use super::users::SavedQuery;
use super::{render, store_call};
use crate::domain::{SiteId, TerritoryId};
use crate::hub::app::HubState;
use crate::hub::store::HubStoreError;
use crate::hub::store::{SiteRow, TerritoryRow};

/// Longest territory or site name (as the administration commands allow).
pub const MAX_NAME_CHARS: usize = 100;

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/sites", get(list).post(create_site))
        .route("/sites/{id}", post(rename_site))
        .route("/territories", post(create_territory))
        .route("/territories/{id}", post(rename_territory))
}

/// A name and (for a site) a territory, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NameForm {
    pub name: String,
    pub territory: String,
}

/// Which form of the page a message belongs to (`territory-new`, `site-4`…), and what was typed.
pub struct Sent {
    pub form: String,
    pub name: String,
    pub errors: FieldErrors,
}

impl Sent {
    /// The errors of `form`: the messages if it is the form that was sent, else none.
    pub fn errors(&self, form: &str) -> FormErrors<'_> {
        FormErrors::sent(&self.errors, self.form == form)
    }

    /// What was typed in `form`, or `stored` for the other forms.
    pub fn value<'a>(&'a self, form: &str, stored: &'a str) -> &'a str {
        if self.form == form {
            &self.name
        } else {
            stored
        }
    }
}

#[derive(Template)]
#[template(path = "sites.html")]
struct SitesPage {
    page: Page,
    admin: bool,
    territories: Vec<TerritoryRow>,
    sites: Vec<SiteRow>,
    sent: Sent,
}

async fn page(
    state: &HubState,
    user: &CurrentUser,
    sent: Sent,
    status: StatusCode,
    saved: bool,
) -> Result<Response, WebError> {
    let only = own_site(user.user.role);
    match only {
        Some(site) => user.require(Access::Site(site))?,
        None => user.require(Access::Sites)?,
    }
    let (territories, sites) = store_call(state, |s| Ok((s.territories()?, s.sites()?))).await?;
    let sites: Vec<SiteRow> = sites
        .into_iter()
        .filter(|s| only.is_none_or(|own| own == s.id))
        .collect();
    let territories = if only.is_some() {
        Vec::new()
    } else {
        territories
    };
    let page = Page::new(&user.visitor, "hub-sites-title").notice_if(saved, "hub-sites-saved");
    let template = SitesPage {
        page,
        admin: only.is_none(),
        territories,
        sites,
        sent,
    };
    render(&user.visitor, status, &template)
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let sent = Sent {
        form: String::new(),
        name: String::new(),
        errors: FieldErrors::new(user.lang()),
    };
    page(&state, &user, sent, StatusCode::OK, query.saved.is_some()).await
}

/// The name, trimmed, or the message id saying what is wrong.
fn check_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        Err("hub-sites-error-name")
    } else {
        Ok(name.to_owned())
    }
}

/// Saves with `write` after checking the name; re-renders with the message on any refusal.
async fn save(
    state: &HubState,
    user: &CurrentUser,
    form_key: String,
    form: NameForm,
    write: impl FnOnce(
        String,
    )
        -> Box<dyn FnOnce(&dyn crate::hub::HubStore) -> Result<(), HubStoreError> + Send>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new(user.lang());
    let refusal = |error: &HubStoreError, errors: &mut FieldErrors| match error {
        HubStoreError::Duplicate(_) => errors.refuse("name", "hub-sites-error-name-taken"),
        HubStoreError::NotFound(what) if what.starts_with("territory") => {
            errors.refuse("territory", "hub-sites-error-territory")
        }
        _ => false,
    };
    match check_name(&form.name) {
        Ok(name) => {
            if form::write(state, &mut errors, write(name), refusal)
                .await?
                .is_some()
            {
                return form::saved("/sites?saved=1");
            }
        }
        Err(key) => errors.add("name", key),
    }
    let sent = Sent {
        form: form_key,
        name: form.name,
        errors,
    };
    page(state, user, sent, StatusCode::UNPROCESSABLE_ENTITY, false).await
}

async fn create_territory(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let audit = user.audit("territory.create");
    save(&state, &user, "territory-new".into(), form, move |name| {
        let audit = audit.detail(json!({ "name": name }));
        Box::new(move |s| s.save_territory(None, &name, &audit).map(drop))
    })
    .await
}

async fn rename_territory(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    let audit = user.audit("territory.rename");
    save(
        &state,
        &user,
        format!("territory-{id}"),
        form,
        move |name| {
            let audit = audit.detail(json!({ "name": name }));
            Box::new(move |s| {
                s.save_territory(Some(TerritoryId(id)), &name, &audit)
                    .map(drop)
            })
        },
    )
    .await
}

async fn create_site(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    site_save(&state, &user, None, form).await
}

async fn rename_site(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
    site_save(&state, &user, Some(SiteId(id)), form).await
}

async fn site_save(
    state: &HubState,
    user: &CurrentUser,
    id: Option<SiteId>,
    form: NameForm,
) -> Result<Response, WebError> {
    let form_key = id.map_or_else(|| "site-new".to_owned(), |s| format!("site-{}", s.0));
    // An unknown or missing territory is caught by the store (NotFound) and shown on the form.
    let territory = TerritoryId(form.territory.trim().parse().unwrap_or(0));
    let action = if id.is_some() {
        "site.rename"
    } else {
        "site.create"
    };
    let audit = user.audit(action);
    save(state, user, form_key, form, move |name| {
        let audit = audit.detail(json!({ "name": name, "territory": territory.0 }));
        Box::new(move |s| s.save_site(id, &name, territory, &audit).map(drop))
    })
    .await
}
