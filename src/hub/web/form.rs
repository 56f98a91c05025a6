//! The end of every form's POST: validation errors per field, already in the reader's language;
//! the write; the 303 after it.
//!
//! A handler validates every field first, collects what is wrong in [`FieldErrors`], and
//! re-renders the form (422) with the typed values and these messages when
//! [`FieldErrors::is_empty`] is false; templates show them with the field macro of
//! `templates/fields.html` (the message next to the field, `aria-invalid`). Valid values go through
//! [`write`], which turns a refusal of the store (a name taken, a site unknown) into a message on
//! the field it concerns; once written, [`saved`] redirects.
//!
//! A record edited on `{list}/new` and `{list}/{id}` (products, tiers) describes itself as an
//! [`Editor`]; [`editor_routes`] then serves its new, edit, create and update pages: find the
//! record (404), validate, the 422 re-render, the audited write, the 303 to the list.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fluent_bundle::FluentValue;
use serde::de::DeserializeOwned;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::i18n::{Lang, t, t_with};
use super::page::Page;
use super::policy::Access;
use super::session::CurrentUser;
use super::{render, store_call};
use crate::domain::product::Locale;
use crate::hub::app::HubState;
use crate::hub::store::{Audit, HubStore, HubStoreError};

/// After a successful write: 303 to `to` (the list with `?saved=1`, or the page just written).
pub fn saved(to: &str) -> Result<Response, WebError> {
    Ok(Redirect::to(to).into_response())
}

/// Runs a form's write on the blocking pool. `Ok(Some(answer))` once written; `Ok(None)` when the
/// store refused the values and `refusal` put the message on a field of `errors` (it returns
/// whether it did): the caller shows the form again, 422. Any other error is returned as it is.
pub async fn write<T: Send + 'static>(
    state: &HubState,
    errors: &mut FieldErrors,
    call: impl FnOnce(&dyn HubStore) -> Result<T, HubStoreError> + Send + 'static,
    refusal: impl FnOnce(&HubStoreError, &mut FieldErrors) -> bool,
) -> Result<Option<T>, WebError> {
    match store_call(state, call).await {
        Ok(answer) => Ok(Some(answer)),
        Err(WebError::Store(error)) if !refusal(&error, errors) => Err(WebError::Store(error)),
        Err(WebError::Store(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// What is wrong with a submitted form, per field name.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors {
    lang: Lang,
    errors: Vec<(String, String)>,
}

impl FieldErrors {
    pub fn new(lang: Lang) -> FieldErrors {
        FieldErrors {
            lang,
            errors: Vec::new(),
        }
    }

    /// The language the messages are written in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Records message `key` for `field` (only the first error of a field is kept).
    pub fn add(&mut self, field: &str, key: &str) {
        self.add_with(field, key, &[]);
    }

    /// Records message `key` for `field` and says so: a [`write`] refusal's answer.
    pub fn refuse(&mut self, field: &str, key: &str) -> bool {
        self.add(field, key);
        true
    }

    pub fn add_with(
        &mut self,
        field: &str,
        key: &str,
        args: &[(&'static str, FluentValue<'static>)],
    ) {
        if self.get(field).is_none() {
            let text = if args.is_empty() {
                t(self.lang, key)
            } else {
                t_with(self.lang, key, args)
            };
            self.errors.push((field.to_owned(), text));
        }
    }

    /// The message for `field`, if it is wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, text)| text.as_str())
    }

    /// The message for a numbered field (`cap_2`, `override_17`), for rows of a list.
    pub fn get_at(&self, prefix: &str, n: impl std::fmt::Display) -> Option<&str> {
        self.get(&format!("{prefix}_{n}"))
    }

    /// `"true"` for a wrong field, for `aria-invalid`.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.get(field).is_some() {
            "true"
        } else {
            "false"
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every message, in the order found (for the summary at the top of a form).
    pub fn all(&self) -> Vec<&str> {
        self.errors.iter().map(|(_, text)| text.as_str()).collect()
    }

    /// The errors of one form of a list of them (`b4`, a badge's row): its field `pin` is
    /// `b4_pin` here.
    pub fn row(&self, row: impl std::fmt::Display) -> FormErrors<'_> {
        FormErrors {
            errors: Some(self),
            prefix: format!("{row}_"),
        }
    }
}

/// The errors of one form among several on a page, as the field macros read them.
pub struct FormErrors<'a> {
    /// `None`: the form was not the one sent, nothing is wrong in it.
    errors: Option<&'a FieldErrors>,
    prefix: String,
}

impl<'a> FormErrors<'a> {
    /// `errors` when `sent` (this is the form that was posted), else none.
    pub fn sent(errors: &'a FieldErrors, sent: bool) -> FormErrors<'a> {
        FormErrors {
            errors: sent.then_some(errors),
            prefix: String::new(),
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors?.get(&format!("{}{field}", self.prefix))
    }

    /// `"true"` for a wrong field, for `aria-invalid`.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.get(field).is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// A kind of record edited by one form: everything [`editor_routes`] needs to serve its pages.
pub trait Editor: Send + Sync + 'static {
    /// The body as [`CsrfForm`] parses it.
    type Body: DeserializeOwned + Send + 'static;
    /// The fields as typed.
    type Form: Send + 'static;
    /// What a valid form becomes, and what the store keeps.
    type Record: Send + 'static;
    /// What the form page needs besides its fields (the products a tier overrides).
    type Extra: Send + Sync + 'static;
    /// The form page's template.
    type Page: Template;

    /// Who may use the form.
    const ACCESS: Access;
    /// The list's path (`/products`): new records are posted there, and saves return there.
    const LIST: &'static str;
    /// The audit actions of a create and of an update.
    const ACTIONS: (&'static str, &'static str);
    /// The titles (message ids) of the new and the edit page.
    const TITLES: (&'static str, &'static str);
    /// The notice an edit page shows when reached with `saved=1` (after a change made elsewhere
    /// on the page, such as a product's photo).
    const SAVED: Option<&'static str> = None;

    /// Every record and the page's extra, in one store call.
    fn load(store: &dyn HubStore) -> Result<(Vec<Self::Record>, Self::Extra), HubStoreError>;
    /// The record's id, as its path names it.
    fn id(record: &Self::Record) -> i64;
    fn read(body: Self::Body) -> Self::Form;
    /// The form of a new record.
    fn blank() -> Self::Form;
    /// The form filled with a stored record, amounts written for `lang`.
    fn fill(record: &Self::Record, lang: Lang) -> Self::Form;
    fn validate(
        form: &Self::Form,
        lang: Lang,
        extra: &Self::Extra,
    ) -> Result<Self::Record, FieldErrors>;
    /// The values written, as the audit row records them.
    fn audit_detail(record: &Self::Record) -> serde_json::Value;
    /// Writes the record (a new one when `id` is `None`) and `audit`, in one transaction.
    fn save(
        store: &dyn HubStore,
        id: Option<i64>,
        record: &Self::Record,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    /// Puts a refusal of the store on the field it concerns (see [`write`]).
    fn refusal(error: &HubStoreError, errors: &mut FieldErrors) -> bool;
    /// The form page's template, from what every form page shows and the extra.
    fn page(shown: Shown<Self::Form>, extra: &Self::Extra) -> Self::Page;
}

/// What every form page shows: its chrome, where it posts, the fields as typed, what is wrong.
pub struct Shown<F> {
    pub page: Page,
    /// The record edited; `None` on a new record's page.
    pub id: Option<i64>,
    pub action: String,
    pub form: F,
    pub errors: FieldErrors,
}

/// The form page of `E` (`id` `None`: a new record), with `status`.
pub fn show<E: Editor>(
    user: &CurrentUser,
    id: Option<i64>,
    form: E::Form,
    errors: FieldErrors,
    extra: &E::Extra,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (new, edit) = E::TITLES;
    let (title, action) = match id {
        Some(id) => (edit, format!("{}/{id}", E::LIST)),
        None => (new, E::LIST.to_owned()),
    };
    let mut page = Page::new(&user.visitor, title);
    if let Some(notice) = E::SAVED
        && status == StatusCode::OK
        && user.visitor.path.contains("saved=1")
    {
        page = page.notice(notice);
    }
    let shown = Shown {
        page,
        id,
        action,
        form,
        errors,
    };
    render(&user.visitor, status, &E::page(shown, extra))
}

/// `list` at `E::LIST`, and `E`'s form pages: `{list}/new`, `{list}/{id}` (GET shows, POST saves),
/// POST `{list}` creates.
pub fn editor_routes<E: Editor, T: 'static>(list: impl Handler<T, HubState>) -> Router<HubState> {
    Router::new()
        .route(E::LIST, get(list).post(create::<E>))
        .route(&format!("{}/new", E::LIST), get(new::<E>))
        .route(
            &format!("{}/{{id}}", E::LIST),
            get(edit::<E>).post(update::<E>),
        )
}

/// The records and extra of `E`, and the one whose id is `id` (404 when there is none).
pub async fn find<E: Editor>(state: &HubState, id: i64) -> Result<(E::Record, E::Extra), WebError> {
    let (records, extra) = store_call(state, |s| E::load(s)).await?;
    let record = records
        .into_iter()
        .find(|r| E::id(r) == id)
        .ok_or(WebError::NotFound)?;
    Ok((record, extra))
}

async fn new<E: Editor>(
    State(state): State<HubState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(E::ACCESS)?;
    let (_, extra) = store_call(&state, |s| E::load(s)).await?;
    let errors = FieldErrors::new(user.lang());
    show::<E>(&user, None, E::blank(), errors, &extra, StatusCode::OK)
}

async fn edit<E: Editor>(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    user.require(E::ACCESS)?;
    let (record, extra) = find::<E>(&state, id).await?;
    let form = E::fill(&record, user.lang());
    let errors = FieldErrors::new(user.lang());
    show::<E>(&user, Some(id), form, errors, &extra, StatusCode::OK)
}

async fn create<E: Editor>(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(body): CsrfForm<E::Body>,
) -> Result<Response, WebError> {
    user.require(E::ACCESS)?;
    let (_, extra) = store_call(&state, |s| E::load(s)).await?;
    save::<E>(&state, &user, None, E::read(body), extra).await
}

async fn update<E: Editor>(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(body): CsrfForm<E::Body>,
) -> Result<Response, WebError> {
    user.require(E::ACCESS)?;
    let (_, extra) = find::<E>(&state, id).await?;
    save::<E>(&state, &user, Some(id), E::read(body), extra).await
}

/// Validates, then writes the record and its audit row in one transaction; a refused form is
/// shown again with its messages (422) and nothing is written.
async fn save<E: Editor>(
    state: &HubState,
    user: &CurrentUser,
    id: Option<i64>,
    form: E::Form,
    extra: E::Extra,
) -> Result<Response, WebError> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let record = match E::validate(&form, user.lang(), &extra) {
        Ok(record) => record,
        Err(errors) => return show::<E>(user, id, form, errors, &extra, unprocessable),
    };
    let (created, updated) = E::ACTIONS;
    let action = if id.is_some() { updated } else { created };
    let audit = user.audit(action).detail(E::audit_detail(&record));
    let mut errors = FieldErrors::new(user.lang());
    let call = move |s: &dyn HubStore| E::save(s, id, &record, &audit);
    match write(state, &mut errors, call, E::refusal).await? {
        Some(()) => saved(&format!("{}?saved=1", E::LIST)),
        None => show::<E>(user, id, form, errors, &extra, unprocessable),
    }
}

/// The French, English and Spanish names of a form (`name_fr`, `name_en`, `name_es`), trimmed;
/// one longer than `max` characters or with a control character gets message `too_long`.
pub fn read_names(
    [fr, en, es]: [&str; 3],
    max: usize,
    too_long: &str,
    errors: &mut FieldErrors,
) -> BTreeMap<Locale, String> {
    let mut names = BTreeMap::new();
    for (field, locale, text) in [
        ("name_fr", Locale::FrCa, fr),
        ("name_en", Locale::EnCa, en),
        ("name_es", Locale::Es, es),
    ] {
        let text = text.trim();
        if text.chars().count() > max || text.chars().any(char::is_control) {
            errors.add(field, too_long);
        } else if !text.is_empty() {
            names.insert(locale, text.to_owned());
        }
    }
    names
}

/// A body's name/value pairs from literals, for the tests of forms read from pairs.
#[cfg(test)]
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}
