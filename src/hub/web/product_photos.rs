//! A product's photo on its page: staff upload one (a phone's JPEG, PNG or WebP) or remove it,
//! and the hub's pages show it. Admin only ([`Access::Catalogue`]), like the product form.
//!
//! The upload is a `multipart/form-data` form (the only one of the hub) with its CSRF token in a
//! field before the file; the body is capped by [`DefaultBodyLimit`]. The photo is made on the
//! blocking pool by [`crate::hub::photos::process`]; a refusal re-renders the product's page (422)
//! with the reason on the photo field and writes nothing. A kept photo and its audit row are
//! written in one transaction, which bumps the configuration so kiosks download it.

use axum::Router;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::csrf::{CsrfForm, same};
use super::error::WebError;
use super::form::{FieldErrors, saved};
use super::policy::Access;
use super::products::{find, form_page};
use super::session::CurrentUser;
use super::store_call;
use crate::domain::ProductId;
use crate::domain::photo::PhotoHash;
use crate::hub::app::HubState;
use crate::hub::photos::{MAX_UPLOAD_BYTES, PhotoError, process};

/// Room for the form's other fields and the multipart framing around the file.
const FRAMING_BYTES: usize = 64 * 1024;

/// The body limit of a photo upload, for the hub's check of declared lengths: `Some` for the
/// upload path only.
pub fn body_limit(path: &str) -> Option<usize> {
    let id = path.strip_prefix("/products/")?.strip_suffix("/photo")?;
    id.bytes()
        .all(|b| b.is_ascii_digit())
        .then_some(MAX_UPLOAD_BYTES + FRAMING_BYTES)
}

pub fn routes() -> Router<HubState> {
    Router::new()
        .route(
            "/products/{id}/photo",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + FRAMING_BYTES)),
        )
        .route("/products/{id}/photo/remove", post(remove))
        .route("/products/photos/{file}", get(serve))
}

/// What an upload form carried.
#[derive(Default)]
struct Upload {
    csrf: String,
    file: Option<Vec<u8>>,
    /// Why the body could not be read (too large, cut off).
    unreadable: Option<PhotoError>,
}

async fn read_upload(mut multipart: Multipart) -> Upload {
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                upload.unreadable = Some(unreadable(&error));
                break;
            }
        };
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await.unwrap_or_default(),
            Some("photo") => match field.bytes().await {
                Ok(bytes) => upload.file = Some(bytes.to_vec()),
                Err(error) => {
                    upload.unreadable = Some(unreadable(&error));
                    break;
                }
            },
            _ => {}
        }
    }
    upload
}

fn unreadable(error: &MultipartError) -> PhotoError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        PhotoError::TooManyBytes
    } else {
        PhotoError::Damaged(error.body_text())
    }
}

/// The message shown on the photo field for a refusal.
fn message(error: &PhotoError) -> &'static str {
    match error {
        PhotoError::Empty => "hub-photo-error-empty",
        PhotoError::TooManyBytes => "hub-photo-error-too-large",
        PhotoError::NotAnImage => "hub-photo-error-not-image",
        PhotoError::TooManyPixels => "hub-photo-error-too-many-pixels",
        PhotoError::Damaged(_) | PhotoError::Encode(_) => "hub-photo-error-damaged",
    }
}

async fn upload(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let product = find(&state, ProductId(id)).await?;
    let multipart = multipart.map_err(|e| WebError::BadForm(e.body_text()))?;
    let upload = read_upload(multipart).await;
    if user.visitor.csrf.is_empty() || !same(&upload.csrf, &user.visitor.csrf) {
        // A body cut short by the size limit may have lost its token with it: say why.
        if upload.unreadable.is_none() {
            tracing::warn!(path = %user.visitor.path, "upload refused: CSRF token missing or wrong");
            return Err(WebError::CsrfRefused);
        }
    }
    let processed = match (upload.unreadable, upload.file) {
        (Some(error), _) => Err(error),
        (None, None) => Err(PhotoError::Empty),
        (None, Some(bytes)) => {
            let uploaded = bytes.len();
            tokio::task::spawn_blocking(move || process(&bytes).map(|p| (p, uploaded))).await?
        }
    };
    let (photo, uploaded_bytes) = match processed {
        Ok(done) => done,
        Err(error) => {
            tracing::info!(product = id, %error, "photo refused");
            let mut errors = FieldErrors::new(user.lang());
            errors.add("photo", message(&error));
            return form_page(&user, &product, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let audit = user.audit("product.photo.set").detail(json!({
        "sha256": photo.hash.as_str(),
        "bytes": photo.bytes.len(),
        "width": photo.width,
        "height": photo.height,
        "uploaded_bytes": uploaded_bytes,
    }));
    let product_id = product.id;
    store_call(&state, move |s| {
        s.set_product_photo(product_id, Some(&photo), &audit)
    })
    .await?;
    saved(&format!("/products/{id}?saved=1"))
}

/// The remove button's form: its CSRF token only.
#[derive(Deserialize)]
struct RemoveForm {}

async fn remove(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<RemoveForm>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let product = find(&state, ProductId(id)).await?;
    let audit = user.audit("product.photo.remove").detail(json!({
        "sha256": product.photo.as_ref().map(PhotoHash::as_str),
    }));
    store_call(&state, move |s| {
        s.set_product_photo(product.id, None, &audit)
    })
    .await?;
    saved(&format!("/products/{id}?saved=1"))
}

/// `/products/photos/{hash}.jpg`, for the staff pages. A photo never changes under its name.
async fn serve(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    user.require(Access::Catalogue)?;
    let hash = file
        .strip_suffix(".jpg")
        .and_then(|stem| stem.parse::<PhotoHash>().ok())
        .ok_or(WebError::NotFound)?;
    let photo = store_call(&state, move |s| s.photo(&hash))
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, photo.media_type),
            (
                CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_owned(),
            ),
        ],
        photo.bytes,
    )
        .into_response())
}
