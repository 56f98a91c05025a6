//! The collective's hub: the server every kiosk pushes its events to and pulls its configuration
//! from, and the admin commands that fill it.
//!
//! - [`config`]: typed, layered settings (defaults → TOML → `CONGELO_HUB_*`).
//! - [`store`]: the storage contract, one trait per area united in [`store::HubStore`], and its
//!   SQLite implementation (schema, ingest, rollups, projections, configuration snapshots).
//! - [`app`]: [`HubState`] and [`app::router`], the whole HTTP service.
//! - [`api`]: the kiosk API under `/api/v1`; [`openapi`] describes it.
//! - [`web`]: the staff pages; [`reports`]: the reports they and scripts read.
//! - [`blocking`]: storage calls on the blocking pool, for the API and the pages alike.
//! - [`error`]: [`error::HubError`], mapped to HTTP status and JSON body in one place.
//! - [`secrets`]: tokens, enrolment codes and their QR code, password hashes.
//! - [`server`]: listening over HTTP or HTTPS, graceful shutdown.
//! - [`labels`]: pack labels of a production batch, as PDF sheets and ZPL.
//! - [`admin`]: what `congelo-hub init`, `site add`, `kiosk add`… do; [`badges`]: `badge add`….
//! - [`backup`]: `congelo-hub backup` and `restore`, and the lock the serving hub holds.
//!
//! The hub never compiles Slint (feature `hub` alone; CI checks the dependency tree).

pub mod admin;
pub mod api;
pub mod app;
pub mod backup;
pub mod badges;
pub mod blocking;
pub mod config;
pub mod demo_data;
pub mod error;
pub mod labels;
pub mod openapi;
pub mod photos;
pub mod reports;
pub mod secrets;
pub mod server;
pub mod store;
pub mod web;

pub use app::{HubState, router};
pub use config::HubConfig;
pub use error::HubError;
pub use store::{HubStore, SqliteHubStore};
