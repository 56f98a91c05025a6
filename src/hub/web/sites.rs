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
use crate::hub::store::{HubStore, HubStoreError};
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

/// What a name form saves: a territory or a site, a new one when the id is `None`.
#[derive(Debug, Clone, Copy)]
enum Target {
    Territory(Option<TerritoryId>),
    Site(Option<SiteId>),
}

impl Target {
    /// The form's key on the page: `territory-new`, `site-4`…
    fn key(self) -> String {
        let (kind, id) = match self {
            Target::Territory(id) => ("territory", id.map(|t| t.0)),
            Target::Site(id) => ("site", id.map(|s| s.0)),
        };
        id.map_or_else(|| format!("{kind}-new"), |id| format!("{kind}-{id}"))
    }

    fn action(self) -> &'static str {
        match self {
            Target::Territory(None) => "territory.create",
            Target::Territory(Some(_)) => "territory.rename",
            Target::Site(None) => "site.create",
            Target::Site(Some(_)) => "site.rename",
        }
    }
}

/// Checks the name, then saves `target` with its audit row; re-renders with the message on any
/// refusal. An unknown or missing territory is caught by the store (`NotFound`) and shown on the
/// form.
async fn save(
    state: &HubState,
    user: &CurrentUser,
    target: Target,
    form: NameForm,
) -> Result<Response, WebError> {
    user.require(Access::Sites)?;
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
            let territory = TerritoryId(form.territory.trim().parse().unwrap_or(0));
            let detail = match target {
                Target::Territory(_) => json!({ "name": name }),
                Target::Site(_) => json!({ "name": name, "territory": territory.0 }),
            };
            let audit = user.audit(target.action()).detail(detail);
            let call = move |s: &dyn HubStore| match target {
                Target::Territory(id) => s.save_territory(id, &name, &audit).map(drop),
                Target::Site(id) => s.save_site(id, &name, territory, &audit).map(drop),
            };
            if form::write(state, &mut errors, call, refusal)
                .await?
                .is_some()
            {
                return form::saved("/sites?saved=1");
            }
        }
        Err(key) => errors.add("name", key),
    }
    let sent = Sent {
        form: target.key(),
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
    save(&state, &user, Target::Territory(None), form).await
}

async fn rename_territory(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    let target = Target::Territory(Some(TerritoryId(id)));
    save(&state, &user, target, form).await
}

async fn create_site(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    save(&state, &user, Target::Site(None), form).await
}

async fn rename_site(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    save(&state, &user, Target::Site(Some(SiteId(id))), form).await
}
