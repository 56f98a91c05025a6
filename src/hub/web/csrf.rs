//! The one check of every form's CSRF token.
//!
//! [`CsrfForm<T>`] reads an `application/x-www-form-urlencoded` body, compares its `csrf` field
//! with the visitor's token (the session's, or the pre-login cookie's) in constant time, and only
//! then parses the body into `T`. A missing or wrong token is refused with a 403 page before the
//! handler runs, so nothing is written.

use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::WebError;
use super::session::Visitor;
use crate::hub::app::HubState;

/// Largest form body accepted (a product form is well under 4 KiB).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A form whose CSRF token matched; `T` sees every other field (it must ignore `csrf`).
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

/// Equality that takes as long whatever the first difference.
pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

impl<T: DeserializeOwned> FromRequest<HubState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &HubState) -> Result<Self, WebError> {
        let (mut parts, body) = request.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| WebError::BadForm("the form is too large".into()))?;
        let token: TokenOnly =
            serde_urlencoded::from_bytes(&bytes).map_err(|e| WebError::BadForm(e.to_string()))?;
        if visitor.csrf.is_empty() || !same(&token.csrf, &visitor.csrf) {
            tracing::warn!(path = %visitor.path, "form refused: CSRF token missing or wrong");
            return Err(WebError::CsrfRefused);
        }
        let form =
            serde_urlencoded::from_bytes(&bytes).map_err(|e| WebError::BadForm(e.to_string()))?;
        Ok(CsrfForm(form))
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
