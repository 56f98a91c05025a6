//! The pure core of Congélo: types and rules, no I/O.
//!
//! Nothing here touches a disk, a network, a screen, a clock or a random source: callers pass in
//! times and random bytes. That keeps every rule (prices, rounding, caps, codes, lots) testable with
//! tables and property tests, and shared unchanged between kiosk and hub.

pub mod accounts;
pub mod caps;
pub mod cart;
pub mod cash;
pub mod clock_trust;
pub mod codes;
pub mod cold_chain;
pub mod config;
pub mod event;
pub mod event_check;
pub mod household;
pub mod ids;
pub mod kitchen;
pub mod label;
pub mod lot;
pub mod money;
pub mod nutrition;
pub mod nutrition_table;
pub mod photo;
pub mod pin;
pub mod pricing;
pub mod product;
pub mod recall;
pub mod retention;
pub mod sale;
pub mod stock;
pub mod sync;
pub mod sync_plan;
pub mod tier;
pub mod voice;

pub use ids::*;
pub use money::{Money, MoneyStyle};
