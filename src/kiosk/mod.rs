//! The kiosk: the program on each freezer.
//!
//! - [`core`]: the resident's flow (cart, cards, caps, payment, commit), off the UI thread, with
//!   no Slint type in it.
//! - [`view`]: the plain data the core hands the UI.
//! - [`ui`]: the only module that names Slint types; it draws views and turns taps and key
//!   presses into inputs.
//! - [`scanner`]: every scanner (keyboard wedge, evdev, serial) feeds one queue.
//! - [`i18n`]: Fluent translations and per-locale formatting.
//! - [`app`]: wiring: threads, channels, the event loop.
//! - [`watchdog`]: telling systemd the kiosk is ready and alive (its UI and its core).

pub mod app;
pub mod core;
pub mod feedback;
pub mod i18n;
pub mod photos;
pub mod scanner;
pub mod services;
pub mod settings;
pub mod terminal;
pub mod ui;
pub mod view;
pub mod voice;
pub mod watchdog;
