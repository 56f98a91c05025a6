//! Validation errors of a form, per field, already in the reader's language.
//!
//! A handler validates every field first, collects what is wrong here, and re-renders the form
//! with the typed values and these messages when [`FieldErrors::is_empty`] is false; templates show
//! `errors.get("field")` next to the field and mark it `aria-invalid`.

use fluent_bundle::FluentValue;

use super::i18n::{Lang, t, t_with};

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
