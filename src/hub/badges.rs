//! `congelo-hub badge …`: issuing staff badges and their PINs.
//!
//! A badge is a Congélo payload of kind `B` printed once (text and, optionally, a QR code) and
//! a PIN of 4 to 8 digits chosen by the staff member. The hub keeps the badge's SHA-256 and the
//! PIN's Argon2 hash; kiosks receive both with their configuration and check the PIN offline.
//! The PIN comes from `CONGELO_HUB_BADGE_PIN` or the first line of standard input, never from
//! the command line (which other users of the machine can read in the process list). Each change
//! goes through the badges page's audited store method, with its action code, as `cli`.

use std::io::{BufRead, Write};

use chrono::Utc;
use clap::Subcommand;
use serde_json::json;

use super::admin::{AdminError, QrOutput, cli_audit};
use super::secrets::{self, SecretError};
use super::store::{HubStore, NewBadge};
use crate::domain::codes::PayloadKind;
use crate::domain::pin::check_new_pin;
use crate::domain::{SiteId, StaffId};

/// Where a new PIN is read from when the environment does not hold one.
pub const PIN_VARIABLE: &str = "CONGELO_HUB_BADGE_PIN";

#[derive(Debug, Subcommand)]
pub enum BadgeCommand {
    /// Issues a badge and prints its code once. PIN: $CONGELO_HUB_BADGE_PIN or stdin.
    Add {
        /// Limit the badge to this site's kiosks (default: every kiosk of the collective).
        #[arg(long)]
        site: Option<i64>,
        #[command(flatten)]
        qr: QrOutput,
    },
    /// Sets a new PIN for a badge. PIN: $CONGELO_HUB_BADGE_PIN or stdin.
    Pin {
        #[arg(long)]
        badge: i64,
    },
    /// Revokes a lost badge: kiosks refuse it from their next configuration pull.
    Revoke {
        #[arg(long)]
        badge: i64,
    },
    /// Lists badges (ids, sites, state; never codes or PINs).
    List,
}

/// Runs one badge command; `pin_input` is read only when the environment holds no PIN.
pub fn run(
    store: &dyn HubStore,
    command: BadgeCommand,
    pin_input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    match command {
        BadgeCommand::Add { site, qr } => {
            let pin_hash = new_pin_hash(pin_input)?;
            let code =
                crate::entropy::new_payload(PayloadKind::Badge).map_err(SecretError::from)?;
            let badge = NewBadge {
                hash: code.hash(),
                pin_hash,
                site: site.map(SiteId),
            };
            let audit = cli_audit("badge.issue").detail(json!({ "site": site }));
            let staff = store.issue_badge(&badge, Utc::now(), &audit)?;
            let scope = site.map_or("every kiosk".to_owned(), |s| format!("site {s}'s kiosks"));
            writeln!(out, "badge {staff} added ({scope})")?;
            let text = code.encode();
            writeln!(
                out,
                "badge code (printed once; the hub keeps only its hash): {text}"
            )?;
            if let Some(path) = &qr.qr_svg {
                write_qr(&text, path)?;
                writeln!(out, "QR code written to {}", path.display())?;
            }
        }
        BadgeCommand::Pin { badge } => {
            let pin_hash = new_pin_hash(pin_input)?;
            let audit = cli_audit("badge.pin").subject(format!("badge {badge}"));
            store.set_badge_pin_audited(StaffId(badge), &pin_hash, &audit)?;
            writeln!(out, "badge {badge}: new PIN set")?;
        }
        BadgeCommand::Revoke { badge } => {
            let audit = cli_audit("badge.revoke").subject(format!("badge {badge}"));
            store.revoke_badge_audited(StaffId(badge), &audit)?;
            writeln!(out, "badge {badge} revoked")?;
        }
        BadgeCommand::List => {
            for badge in store.badges()? {
                let scope = badge
                    .site
                    .map_or("every kiosk".to_owned(), |s| format!("site {s}"));
                let state = if badge.revoked { "revoked" } else { "live" };
                writeln!(
                    out,
                    "{}\t{scope}\t{state}\t{}",
                    badge.staff,
                    badge.created_at.format("%Y-%m-%d")
                )?;
            }
        }
    }
    Ok(())
}

/// Reads the PIN (environment first, then one line of input), checks it and hashes it.
fn new_pin_hash(pin_input: &mut dyn BufRead) -> Result<String, AdminError> {
    let pin = match std::env::var(PIN_VARIABLE) {
        Ok(pin) => pin,
        Err(_) => {
            let mut line = String::new();
            pin_input.read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    check_new_pin(&pin).map_err(|e| AdminError::Invalid(format!("PIN: {e}")))?;
    crate::passwords::hash_secret(&pin)
        .map_err(|e| AdminError::Secret(SecretError::Password(e.to_string())))
}

fn write_qr(code: &str, path: &std::path::Path) -> Result<(), AdminError> {
    let svg = secrets::qr_svg(code)?;
    std::fs::write(path, svg).map_err(|source| AdminError::Write {
        path: path.display().to_string(),
        source,
    })
}
