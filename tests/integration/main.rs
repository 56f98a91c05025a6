//! Congélo's integration tests: one binary, real databases on temp files, real child processes.

mod common;
mod docs;
#[cfg(all(feature = "kiosk", feature = "hub"))]
mod downgrade;
mod durability;
#[cfg(all(feature = "kiosk", feature = "hub"))]
mod full_disk;
#[cfg(feature = "hardware")]
mod hardware;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_api;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_backup;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_badges;
#[cfg(feature = "hub")]
mod hub_browser;
#[cfg(feature = "hub")]
mod hub_browser_impact;
#[cfg(feature = "hub")]
mod hub_browser_kitchens;
#[cfg(all(feature = "hub", feature = "kiosk"))]
mod hub_browser_labels;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_browser_recalls;
#[cfg(feature = "hub")]
mod hub_cli;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_enrolment;
#[cfg(feature = "hub")]
mod hub_households;
mod hub_impact;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_kill;
mod hub_kitchens;
#[cfg(all(feature = "hub", feature = "kiosk"))]
mod hub_labels;
#[cfg(feature = "hub")]
mod hub_photos;
mod hub_product_label;
#[cfg(feature = "hub")]
mod hub_reports;
#[cfg(feature = "hub")]
mod hub_reports_jobs;
#[cfg(feature = "hub")]
mod hub_reports_web;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_tls;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_validation;
#[cfg(feature = "hub")]
mod hub_web;
#[cfg(feature = "hub")]
mod hub_web_catalogue;
#[cfg(feature = "hub")]
mod hub_web_hardening;
#[cfg(feature = "hub")]
mod hub_web_households;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod hub_web_recalls;
#[cfg(feature = "hub")]
mod hub_web_sites;
#[cfg(feature = "kiosk")]
mod kiosk_cli;
#[cfg(feature = "kiosk")]
mod kiosk_forgiving_ui;
#[cfg(feature = "kiosk")]
mod kiosk_layout;
#[cfg(all(feature = "kiosk", feature = "hub"))]
mod kiosk_photos_ui;
#[cfg(feature = "kiosk")]
mod kiosk_staff_ui;
#[cfg(feature = "kiosk")]
mod kiosk_ui;
#[cfg(feature = "kiosk")]
mod kiosk_voice;
#[cfg(feature = "kiosk")]
mod kiosk_watchdog;
#[cfg(feature = "hardware")]
mod lock_restart;
#[cfg(all(feature = "hub", feature = "sync-client", feature = "kiosk"))]
mod photos_e2e;
#[cfg(all(feature = "hub", feature = "sync-client", feature = "kiosk"))]
mod recall_e2e;
mod schema_upgrades;
#[cfg(feature = "kiosk")]
mod screenshots;
#[cfg(all(feature = "hub", feature = "sync-client", feature = "kiosk"))]
mod sync_caps;
#[cfg(all(feature = "hub", feature = "sync-client", feature = "kiosk"))]
mod sync_clocks;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod sync_e2e;
#[cfg(all(feature = "hub", feature = "sync-client"))]
mod sync_faults;
