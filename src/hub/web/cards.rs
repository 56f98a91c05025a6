//! Card batches and their printable sheets: N cards for one household, a replacement for a lost
//! card (revoked in the same transaction), or a distribution day's N new households of one tier
//! with one card each. Admin only ([`Access::Households`]).
//!
//! A card's secret comes from [`crate::entropy::new_payload`]; the hub stores only its hash. The
//! secrets live only in the answer to the form: the sheet is rendered from them, sent with
//! `Cache-Control: no-store`, never stored and never logged. Each form carries a one-time batch
//! token, so sending it again (reloading the sheet) issues nothing and says the codes cannot be
//! shown again. The sheet: credit-card-size cards (85.6 × 54 mm), ten to a page (2 × 5) on
//! Letter or A4, each with its QR code, the code in groups of four, the collective's name and
//! three pictograms (scan the card, scan the packs, pay) — no household, name or tier on it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::routing::post;
use serde_json::json;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::form::FieldErrors;
use super::households::{tier_choices, today};
use super::households_form::{BatchForm, HouseholdForm, MAX_BATCH, Paper};
use super::page::{Choice, Page};
use super::policy::Access;
use super::session::{CurrentUser, random_token};
use super::{render, store_call};
use crate::domain::codes::{Payload, PayloadKind};
use crate::domain::household::{CardHash, HouseholdStatus};
use crate::domain::{HouseholdId, TierId};
use crate::hub::app::HubState;
use crate::hub::secrets::qr_svg;
use crate::hub::store::{CardBatch, CardTarget, HouseholdFields};
use crate::hub::store::{Duplicated, HubStoreError};

/// Cards on one printed page (2 columns × 5 rows).
pub const CARDS_PER_PAGE: usize = 10;

/// The card sheet's stylesheet (screen preview and print).
pub const CARDS_CSS: &str = include_str!("../../../assets/hub/cards.css");

/// The pictograms printed on a card, in the order of use: (file stem, SVG, caption id).
pub const CARD_PICTOGRAMS: &[(&str, &str, &str)] = &[
    (
        "card",
        include_str!("../../../assets/pictograms/ui/card.svg"),
        "hub-cards-step-card",
    ),
    (
        "scan",
        include_str!("../../../assets/pictograms/ui/scan.svg"),
        "hub-cards-step-packs",
    ),
    (
        "cash",
        include_str!("../../../assets/pictograms/ui/cash.svg"),
        "hub-cards-step-pay",
    ),
];

/// The pictogram of a staff badge (served with the card pictograms).
pub const BADGE_PICTOGRAM: (&str, &str) = (
    "staff",
    include_str!("../../../assets/pictograms/ui/staff.svg"),
);

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/households/{id}/cards", post(issue))
        .route("/households/{id}/cards/replace", post(replace))
        .route("/cards/distribution", get(distribution).post(distribute))
        .route("/assets/cards.css", get(css))
        .route("/assets/pictograms/ui/{file}", get(pictogram))
}

async fn css() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        CARDS_CSS,
    )
        .into_response()
}

/// `/assets/pictograms/ui/{stem}.svg`, for the pictograms a card shows.
async fn pictogram(Path(file): Path<String>) -> Result<Response, WebError> {
    let stem = file.strip_suffix(".svg").ok_or(WebError::NotFound)?;
    let svg = CARD_PICTOGRAMS
        .iter()
        .map(|(s, svg, _)| (*s, *svg))
        .chain([BADGE_PICTOGRAM])
        .find(|(s, _)| *s == stem)
        .map(|(_, svg)| svg)
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

/// One printed card: the code grouped for reading and its QR code.
pub struct PrintedCard {
    pub grouped: String,
    pub qr: String,
}

/// The code in groups of four characters, as printed under the QR code.
pub fn grouped(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A pictogram and its caption, as a card shows it.
pub struct Step {
    pub stem: &'static str,
    pub caption: String,
}

#[derive(Template)]
#[template(path = "cards_sheet.html")]
struct SheetPage {
    page: Page,
    collective: String,
    paper: &'static str,
    sheets: Vec<Vec<PrintedCard>>,
    steps: Vec<Step>,
    count: usize,
}

/// Fresh card payloads, their hashes, in the same order.
fn new_cards(count: u32) -> Result<(Vec<Payload>, Vec<CardHash>), WebError> {
    let payloads = (0..count)
        .map(|_| crate::entropy::new_payload(PayloadKind::Card))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| WebError::Internal(format!("no random bytes for cards: {e}")))?;
    let hashes = payloads.iter().map(Payload::hash).collect();
    Ok((payloads, hashes))
}

/// The printable sheet for freshly stored cards (their secrets go nowhere else).
fn sheet(
    user: &CurrentUser,
    state: &HubState,
    payloads: &[Payload],
    paper: Paper,
) -> Result<Response, WebError> {
    let cards = payloads
        .iter()
        .map(|p| {
            let code = p.encode();
            let qr = qr_svg(&code).map_err(|e| WebError::Internal(e.to_string()))?;
            Ok(PrintedCard {
                grouped: grouped(&code),
                qr,
            })
        })
        .collect::<Result<Vec<_>, WebError>>()?;
    let count = cards.len();
    let mut sheets: Vec<Vec<PrintedCard>> = Vec::new();
    for card in cards {
        match sheets.last_mut() {
            Some(last) if last.len() < CARDS_PER_PAGE => last.push(card),
            _ => sheets.push(vec![card]),
        }
    }
    let page = Page::new(&user.visitor, "hub-cards-sheet-title");
    let steps = CARD_PICTOGRAMS
        .iter()
        .map(|(stem, _, caption)| Step {
            stem,
            caption: page.t(caption),
        })
        .collect();
    let template = SheetPage {
        page,
        collective: state.web.collective_name.clone(),
        paper: paper.name(),
        sheets,
        steps,
        count,
    };
    render(&user.visitor, StatusCode::OK, &template)
}

#[derive(Template)]
#[template(path = "cards_issued.html")]
struct AlreadyIssuedPage {
    page: Page,
    back: String,
}

/// The answer to a batch form sent a second time.
fn already_issued(user: &CurrentUser, back: String) -> Result<Response, WebError> {
    let page = Page::new(&user.visitor, "hub-cards-already-title");
    render(
        &user.visitor,
        StatusCode::CONFLICT,
        &AlreadyIssuedPage { page, back },
    )
}

/// Stores `batch` with `store`, then answers with its sheet (or the "already issued" page).
async fn finish(
    state: &HubState,
    user: &CurrentUser,
    payloads: Vec<Payload>,
    paper: Paper,
    back: String,
    store: impl FnOnce(&dyn crate::hub::HubStore) -> Result<(), HubStoreError> + Send + 'static,
) -> Result<Response, WebError> {
    match store_call(state, store).await {
        Ok(()) => sheet(user, state, &payloads, paper),
        Err(WebError::Store(HubStoreError::Duplicate(Duplicated::CardBatch))) => {
            already_issued(user, back)
        }
        Err(other) => Err(other),
    }
}

/// Checks the household exists and is active; its errors go to the household's page.
async fn active_household(state: &HubState, id: i64) -> Result<HouseholdId, WebError> {
    let detail = store_call(state, move |s| s.household(HouseholdId(id)))
        .await?
        .ok_or(WebError::NotFound)?;
    if detail.summary.fields.status != HouseholdStatus::Active {
        return Err(WebError::BadForm("the household is revoked".into()));
    }
    Ok(detail.summary.id)
}

async fn issue(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let household = active_household(&state, id).await?;
    let mut errors = FieldErrors::new(user.lang());
    let count = form.count(&mut errors);
    let nonce = form.nonce(&mut errors);
    if !errors.is_empty() {
        return super::households::with_batch_errors(&state, &user, id, errors).await;
    }
    let (payloads, hashes) = new_cards(count)?;
    let batch = CardBatch {
        nonce,
        target: CardTarget::Household(household),
        cards: hashes,
    };
    let audit = user
        .audit("card.issue")
        .subject(format!("household {id}"))
        .detail(json!({ "cards": count }));
    let store = move |s: &dyn crate::hub::HubStore| s.issue_cards(&batch, &audit).map(drop);
    finish(
        &state,
        &user,
        payloads,
        form.paper(),
        format!("/households/{id}"),
        store,
    )
    .await
}

async fn replace(
    State(state): State<HubState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let household = active_household(&state, id).await?;
    let mut errors = FieldErrors::new(user.lang());
    let nonce = form.nonce(&mut errors);
    let lost = form.card.trim().parse::<CardHash>().ok();
    let Some(lost) = lost.filter(|_| errors.is_empty()) else {
        errors.add("card", "hub-cards-error-card");
        return super::households::with_batch_errors(&state, &user, id, errors).await;
    };
    let (payloads, hashes) = new_cards(1)?;
    let batch = CardBatch {
        nonce,
        target: CardTarget::Household(household),
        cards: hashes,
    };
    let audit = user
        .audit("card.replace")
        .subject(format!("household {id}"))
        .detail(json!({ "revoked": lost.to_hex() }));
    let store = move |s: &dyn crate::hub::HubStore| s.replace_card(lost, &batch, &audit);
    let back = format!("/households/{id}");
    match finish(&state, &user, payloads, form.paper(), back, store).await {
        // Not a live card of this household (already revoked, or another household's).
        Err(WebError::Store(HubStoreError::NotFound(_))) => {
            errors.add("card", "hub-cards-error-card");
            super::households::with_batch_errors(&state, &user, id, errors).await
        }
        other => other,
    }
}

#[derive(Template)]
#[template(path = "cards_distribution.html")]
struct DistributionPage {
    page: Page,
    form: BatchForm,
    errors: FieldErrors,
    tiers: Vec<Choice>,
    max_batch: u32,
}

async fn distribution_page(
    state: &HubState,
    user: &CurrentUser,
    form: BatchForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tiers = store_call(state, |s| s.catalogue_tiers()).await?;
    let template = DistributionPage {
        page: Page::new(&user.visitor, "hub-cards-distribution-title"),
        form,
        errors,
        tiers: tier_choices(&tiers, user.lang()),
        max_batch: MAX_BATCH,
    };
    render(&user.visitor, status, &template)
}

async fn distribution(
    State(state): State<HubState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let form = BatchForm {
        count: "10".into(),
        batch: random_token()?,
        ..BatchForm::default()
    };
    let errors = FieldErrors::new(user.lang());
    distribution_page(&state, &user, form, errors, StatusCode::OK).await
}

async fn distribute(
    State(state): State<HubState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, WebError> {
    user.require(Access::Households)?;
    let lang = user.lang();
    let tiers = store_call(&state, |s| s.catalogue_tiers()).await?;
    let ids: Vec<TierId> = tiers.iter().map(|e| e.tier.id).collect();
    let household = HouseholdForm {
        tier: form.tier.clone(),
        status: "active".into(),
        expires_on: form.expires_on.clone(),
        caps: Vec::new(),
    };
    let mut errors = match household.validate(lang, &ids, Some(today(&state))) {
        Ok(_) => FieldErrors::new(lang),
        Err(errors) => errors,
    };
    let count = form.count(&mut errors);
    let nonce = form.nonce(&mut errors);
    let fields: Option<HouseholdFields> = household.validate(lang, &ids, Some(today(&state))).ok();
    let Some(fields) = fields.filter(|_| errors.is_empty()) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return distribution_page(&state, &user, form, errors, status).await;
    };
    let (payloads, hashes) = new_cards(count)?;
    let audit = user
        .audit("card.distribution")
        .subject("households")
        .detail(json!({
            "cards": count,
            "tier": fields.tier.0,
            "expires_on": fields.expires_on,
        }));
    let batch = CardBatch {
        nonce,
        target: CardTarget::NewHouseholds(fields),
        cards: hashes,
    };
    let store = move |s: &dyn crate::hub::HubStore| s.issue_cards(&batch, &audit).map(drop);
    finish(
        &state,
        &user,
        payloads,
        form.paper(),
        "/households".into(),
        store,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_by_four() {
        assert_eq!(grouped("CGC1ABCDEFGHIJ"), "CGC1 ABCD EFGH IJ");
    }

    #[test]
    fn every_card_pictogram_is_an_svg() {
        for (stem, svg, _) in CARD_PICTOGRAMS {
            assert!(svg.contains("<svg"), "{stem}");
        }
    }
}
