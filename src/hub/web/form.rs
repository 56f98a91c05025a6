//! The end of every form's POST: validation errors per field, already in the reader's language;
//! the write; the 303 after it.
//!
//! A handler validates every field first, collects what is wrong in [`FieldErrors`], and
//! re-renders the form (422) with the typed values and these messages when
//! [`FieldErrors::is_empty`] is false; templates show them with the field macro of
//! `templates/fields.html` (the message next to the field, `aria-invalid`). Valid values go through
//! [`write`], which turns a refusal of the store (a name taken, a site unknown) into a message on
//! the field it concerns; once written, [`saved`] redirects.

use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;

use super::error::WebError;
use super::i18n::{Lang, t, t_with};
use super::store_call;
use crate::hub::app::HubState;
use crate::hub::store::{HubStore, HubStoreError};

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
}
