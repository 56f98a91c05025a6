//! Products and tiers: the catalogue kiosks sell from.

use axum::Router;

use crate::hub::api::HubState;

pub fn routes() -> Router<HubState> {
    Router::new()
}
