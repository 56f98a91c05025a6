//! Products and tiers: the catalogue kiosks sell from, edited by the collective's admins.
//!
//! Every save is one transaction with its audit row; the schema's triggers bump the
//! configuration version, so each kiosk pulls the new catalogue whole at its next sync.

use axum::Router;

use super::{products, tiers};
use crate::hub::app::HubState;

pub fn routes() -> Router<HubState> {
    Router::new()
        .merge(products::routes())
        .merge(super::product_photos::routes())
        .merge(tiers::routes())
}
