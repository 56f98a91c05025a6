//! Who is asking: the language, the session (if any) and the CSRF token of every form.
//!
//! The session cookie holds only 256 random bits; the hub keeps their SHA-256 in `web_sessions`
//! with the user and the session's CSRF token. A session ends after [`WebSettings::session_idle`]
//! without a request or [`WebSettings::session_max`] after login, whichever comes first. Visitors
//! without a session (the login page) get their CSRF token from a cookie of their own
//! (double-submit), so the login form is protected too.
//!
//! [`Visitor`] is extracted once per request and cached in the request's extensions, so
//! [`super::csrf::CsrfForm`] compares against the same token. [`CurrentUser`] is a visitor with a
//! session; without one, the handler answers with a redirect to the login page.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::WebError;
use super::i18n::Lang;
use super::policy::{Access, allows};
use super::settings::WebSettings;
use super::store_call;
use crate::clock::Clock;
use crate::hub::app::HubState;
use crate::hub::secrets;
use crate::hub::store::SecretHash;
use crate::hub::store::{Actor, Audit, UserRecord};

pub const SESSION_COOKIE: &str = "congelo_session";
pub const LANG_COOKIE: &str = "congelo_lang";
pub const CSRF_COOKIE: &str = "congelo_csrf";

/// A session is touched at most this often (seconds), so browsing does not write at every click.
const TOUCH_EVERY_SECS: i64 = 30;

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value: always `HttpOnly`, `SameSite=Lax`, `Path=/`; `Secure` over HTTPS.
/// `max_age` 0 deletes the cookie; `None` makes a browser-session cookie.
pub fn set_cookie(settings: &WebSettings, name: &str, value: &str, max_age: Option<u64>) -> String {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if settings.secure_cookies() {
        text.push_str("; Secure");
    }
    text
}

/// 256 random bits as hex: session ids and CSRF tokens.
pub fn random_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| WebError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// What the hub keeps of a session id.
pub fn session_hash(id: &str) -> SecretHash {
    secrets::token_hash(id)
}

/// The language a request asks for: its language cookie, else `Accept-Language`, else French.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(Lang::from_tag) {
        return lang;
    }
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::negotiate)
        .unwrap_or_default()
}

/// A logged-in user and the hash of their session id.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: UserRecord,
    pub session: SecretHash,
}

/// Whoever sent the request.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub lang: Lang,
    /// The token every form of this page must send back in its `csrf` field.
    pub csrf: String,
    pub signed_in: Option<SignedIn>,
    /// The path and query asked for (where to come back after logging in).
    pub path: String,
    /// Cookies to set with the response (a fresh CSRF cookie; a cleared expired session).
    pub cookies: Vec<String>,
    pub settings: WebSettings,
}

impl Visitor {
    /// Adds the visitor's pending cookies to a response.
    pub fn respond(&self, response: impl IntoResponse) -> Response {
        let mut response = response.into_response();
        for cookie in &self.cookies {
            if let Ok(value) = HeaderValue::from_str(cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        response
    }

    async fn extract(parts: &Parts, state: &HubState) -> Result<Visitor, WebError> {
        let settings = state.web.clone();
        let mut cookies = Vec::new();
        let found = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(id) => {
                let found = live_session(state, session_hash(id)).await?;
                if found.is_none() {
                    cookies.push(set_cookie(&settings, SESSION_COOKIE, "", Some(0)));
                }
                found
            }
            None => None,
        };
        let (signed_in, session_csrf) = match found {
            Some((signed, csrf)) => (Some(signed), Some(csrf)),
            None => (None, None),
        };
        let csrf = match (session_csrf, cookie(&parts.headers, CSRF_COOKIE)) {
            (Some(token), _) => token,
            (None, Some(token)) if token.len() == 64 => token.to_owned(),
            (None, _) => {
                let token = random_token()?;
                cookies.push(set_cookie(&settings, CSRF_COOKIE, &token, None));
                token
            }
        };
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Ok(Visitor {
            lang: request_lang(&parts.headers),
            csrf,
            signed_in,
            path,
            cookies,
            settings,
        })
    }
}

/// The live session with this hash and its CSRF token; an expired one is ended on the way.
async fn live_session(
    state: &HubState,
    hash: SecretHash,
) -> Result<Option<(SignedIn, String)>, WebError> {
    let Some(record) = store_call(state, move |s| s.session(&hash)).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let limit =
        |d: std::time::Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
    if now - record.last_seen > limit(state.web.session_idle)
        || now - record.created_at > limit(state.web.session_max)
    {
        store_call(state, move |s| s.end_session(&hash, None)).await?;
        return Ok(None);
    }
    if (now - record.last_seen).num_seconds() >= TOUCH_EVERY_SECS {
        store_call(state, move |s| s.touch_session(&hash, now)).await?;
    }
    let mut user = record.user;
    // Nothing downstream needs it: keep it out of every page's data.
    user.password_hash.clear();
    Ok(Some((
        SignedIn {
            user,
            session: hash,
        },
        record.csrf_token,
    )))
}

impl FromRequestParts<HubState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, WebError> {
        if let Some(visitor) = parts.extensions.get::<Visitor>() {
            return Ok(visitor.clone());
        }
        let visitor = Visitor::extract(parts, state).await?;
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}

/// A visitor with a live session. Extracting it from a request without one answers with a
/// redirect to the login page (and back here after it).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub visitor: Visitor,
    pub user: UserRecord,
    pub session: SecretHash,
    /// The hub's clock, for the time of this user's audit entries.
    pub clock: Arc<dyn Clock>,
}

impl CurrentUser {
    /// `Ok` when the user's role allows `access`; a 403 page otherwise.
    pub fn require(&self, access: Access) -> Result<(), WebError> {
        if allows(self.user.role, access) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    pub fn may(&self, access: Access) -> bool {
        allows(self.user.role, access)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user: Some(self.user.id),
            login: self.user.login.clone(),
        }
    }

    /// An audit entry by this user, now, for `action`; add `.subject(…)` and `.detail(…)`.
    pub fn audit(&self, action: &'static str) -> Audit {
        Audit::new(&self.actor(), self.clock.now(), action)
    }

    pub fn lang(&self) -> Lang {
        self.visitor.lang
    }
}

impl FromRequestParts<HubState> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, WebError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Some(signed) = visitor.signed_in.clone() else {
            return Err(WebError::LoginRequired {
                next: visitor.path.clone(),
            });
        };
        Ok(CurrentUser {
            user: signed.user,
            session: signed.session,
            visitor,
            clock: state.clock.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; congelo_lang=en-CA ;b=2"),
        );
        headers.append(COOKIE, HeaderValue::from_static("congelo_session=abc"));
        assert_eq!(cookie(&headers, LANG_COOKIE), Some("en-CA"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, CSRF_COOKIE), None);
        assert_eq!(request_lang(&headers), Lang::EnCa);
    }

    #[test]
    fn cookies_are_http_only_and_secure_over_https() {
        let mut settings = WebSettings::default();
        let plain = set_cookie(&settings, SESSION_COOKIE, "x", None);
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        settings.behind_https_proxy = true;
        assert!(set_cookie(&settings, SESSION_COOKIE, "x", Some(0)).ends_with("Max-Age=0; Secure"));
    }
}
