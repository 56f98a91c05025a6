//! Congélo's integration tests: one binary, real databases on temp files, real child processes.

mod common;
mod durability;
#[cfg(feature = "kiosk")]
mod kiosk_cli;
