//! Congélo: point of sale for the unattended self-service freezers of a community food collective.
//!
//! One package, two programs. The **kiosk** (`congelo-kiosk`, feature `kiosk`) runs on a Raspberry
//! Pi on each freezer and works fully offline; its SQLite file is the truth of what happened there.
//! The **hub** (`congelo-hub`, feature `hub`) collects every kiosk's events and serves their
//! configuration. See `ARCHITECTURE.md` for the module map and the data flow.
//!
//! - [`domain`]: pure types and rules (money, pricing, cart, codes, sales, stock, sync wire types).
//! - [`sqlite`]: opening SQLite durably, running embedded migrations and the stored time format,
//!   for kiosk and hub alike.
//! - [`store`]: the kiosk's database.
//! - [`clock`]: the edge where time comes from (wall, monotonic, local date), behind one trait.
//! - [`clock_trust`]: whether a kiosk can trust its clock (build time, system synchronisation).
//! - [`entropy`]: the edge where ids and secrets come from.
//! - [`demo`]: the demo catalogue of Québec frozen vegetables.
//! - [`scan_report`]: what `congelo-kiosk decode` prints.
//! - [`passwords`]: Argon2id hashing and checking of PINs and passwords, for kiosk and hub.
//! - `sync` (feature `sync-client`): the kiosk's side of sync — hub client, worker, enrolment.
//! - `kiosk` (feature `kiosk`): the kiosk program — its core, Slint UI glue, scanners, languages,
//!   voice and product photos.
//! - `hardware` (feature `hardware`): the freezer's devices and the worker that drives them.
//! - `hub` (feature `hub`): the hub — API, pages, reports, storage, server.

// No unsafe code anywhere. `deny` rather than `forbid` only because the code Slint generates for
// the kiosk window (included in `kiosk::ui`) carries its own `allow(unsafe_code)`.
#![deny(unsafe_code)]

pub mod clock;
pub mod clock_trust;
pub mod demo;
pub mod domain;
pub mod entropy;
#[cfg(feature = "hardware")]
pub mod hardware;
#[cfg(feature = "hub")]
pub mod hub;
#[cfg(feature = "kiosk")]
pub mod kiosk;
pub mod passwords;
pub mod scan_report;
pub mod sqlite;
pub mod store;
#[cfg(feature = "sync-client")]
pub mod sync;
