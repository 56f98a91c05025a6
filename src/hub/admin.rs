//! The hub's admin commands: `init`, and adding territories, sites, kiosks (with their enrolment
//! code and QR), products, tiers, households with cards, and staff badges ([`super::badges`]).
//!
//! The command-line shapes ([`AdminCommand`]) are parsed by clap in `congelo-hub`; [`run`] turns
//! them into validated store calls. Each command is one store transaction: a bad value is refused
//! with a sentence naming it, and nothing is written. Secrets (enrolment codes, card codes) are
//! printed once and never stored, only their hashes.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use thiserror::Error;

use super::badges::BadgeCommand;
use super::secrets::{self, SecretError};
use super::store::{HubStore, HubStoreError, NewCode, NewHousehold, NewKiosk, NewTier, Role};
use crate::domain::codes::{Gtin, PayloadKind};
use crate::domain::config::Thresholds;
use crate::domain::product::{Locale, Product, TaxRate};
use crate::domain::sale::PaymentMethod;
use crate::domain::{KioskId, Money, ProductId, SiteId, TerritoryId, TierId};

#[derive(Debug, Error)]
pub enum AdminError {
    #[error(transparent)]
    Store(#[from] HubStoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot print: {0}")]
    Output(#[from] std::io::Error),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Territories (MRC).
    #[command(subcommand)]
    Territory(TerritoryCommand),
    /// Partner organisations hosting freezers.
    #[command(subcommand)]
    Site(SiteCommand),
    /// Kiosks: create (prints the enrolment code), new code, revoke, list.
    #[command(subcommand)]
    Kiosk(KioskCommand),
    /// The catalogue.
    #[command(subcommand)]
    Product(ProductCommand),
    /// Social tariff tiers.
    #[command(subcommand)]
    Tier(TierCommand),
    /// Pseudonymous households and their cards (card codes are printed once).
    #[command(subcommand)]
    Household(HouseholdCommand),
    /// Staff badges for the kiosks' staff mode (badge codes are printed once).
    #[command(subcommand)]
    Badge(BadgeCommand),
}

#[derive(Debug, Subcommand)]
pub enum TerritoryCommand {
    Add {
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    Add {
        #[arg(long)]
        name: String,
        /// The territory's id.
        #[arg(long)]
        territory: i64,
    },
}

#[derive(Debug, Args)]
pub struct QrOutput {
    /// Also write the code as an SVG QR code to this file.
    #[arg(long)]
    pub qr_svg: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum KioskCommand {
    /// Creates a kiosk and prints its one-time enrolment code.
    Add {
        #[arg(long)]
        name: String,
        /// The site's id.
        #[arg(long)]
        site: i64,
        /// Payment methods offered, comma-separated: cash, prepaid, pay_later, card_terminal.
        #[arg(long, value_delimiter = ',', default_value = "cash")]
        payment: Vec<String>,
        #[command(flatten)]
        qr: QrOutput,
    },
    /// Prints a new enrolment code for an existing kiosk (e.g. a replaced Raspberry Pi).
    Code {
        #[arg(long)]
        kiosk: i64,
        #[command(flatten)]
        qr: QrOutput,
    },
    /// Revokes the kiosk's token: its pushes and pulls are refused until it enrols again.
    Revoke {
        #[arg(long)]
        kiosk: i64,
    },
    /// Lists kiosks with their sync state and health.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    Add {
        /// French name (required).
        #[arg(long)]
        name_fr: String,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        name_es: Option<String>,
        /// Full price, e.g. 4,25 or 4.25.
        #[arg(long)]
        price: String,
        /// Net weight in grams.
        #[arg(long)]
        weight_g: u32,
        /// A barcode (EAN-13, UPC-A, EAN-8, GTIN-14); repeat for several.
        #[arg(long)]
        gtin: Vec<String>,
        /// The collective's internal code (CGP…), for packs labelled without a GTIN.
        #[arg(long)]
        internal_code: Option<String>,
        /// Pictogram file stem under assets/pictograms/.
        #[arg(long, default_value = "package")]
        pictogram: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TierCommand {
    Add {
        #[arg(long)]
        label: String,
        /// Share of the full price charged, 0–100.
        #[arg(long)]
        percent: u32,
        /// Make this the tier for sales without a card.
        #[arg(long)]
        default: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum HouseholdCommand {
    /// Creates a household and prints each of its card codes once.
    Add {
        /// The tier's id.
        #[arg(long)]
        tier: i64,
        /// How many cards to print.
        #[arg(long, default_value_t = 1)]
        cards: u32,
        /// Last valid day, YYYY-MM-DD.
        #[arg(long)]
        expires: Option<String>,
        /// Prepaid balance, e.g. 25,00.
        #[arg(long)]
        balance: Option<String>,
        /// How much the household may owe through pay-later, e.g. 15,00.
        #[arg(long)]
        pay_later_limit: Option<String>,
    },
}

/// Settings the commands need from the hub's configuration.
#[derive(Debug, Clone, Copy)]
pub struct AdminSettings {
    pub enrolment_code_ttl: Duration,
}

/// Runs one admin command, printing to `out`.
pub fn run(
    store: &dyn HubStore,
    settings: AdminSettings,
    command: AdminCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    match command {
        AdminCommand::Territory(TerritoryCommand::Add { name }) => {
            let id = store.add_territory(&name)?;
            writeln!(out, "territory {id} added: {}", name.trim())?;
        }
        AdminCommand::Site(SiteCommand::Add { name, territory }) => {
            let id = store.add_site(&name, TerritoryId(territory))?;
            writeln!(out, "site {id} added: {}", name.trim())?;
        }
        AdminCommand::Kiosk(command) => kiosk(store, settings, command, out)?,
        AdminCommand::Product(ProductCommand::Add {
            name_fr,
            name_en,
            name_es,
            price,
            weight_g,
            gtin,
            internal_code,
            pictogram,
        }) => {
            let mut names = BTreeMap::from([(Locale::FrCa, name_fr.trim().to_owned())]);
            for (locale, name) in [(Locale::EnCa, name_en), (Locale::Es, name_es)] {
                if let Some(name) = name {
                    names.insert(locale, name.trim().to_owned());
                }
            }
            let product = Product {
                id: ProductId(0),
                barcodes: gtin
                    .iter()
                    .map(|g| parse_gtin(g))
                    .collect::<Result<_, _>>()?,
                internal_code: internal_code.map(|c| c.trim().to_uppercase()),
                names,
                pictogram,
                net_weight_g: weight_g,
                full_price: money("price", &price)?,
                tax_rate: TaxRate::ZERO_RATED,
                active: true,
            };
            let id = store.add_product(&product)?;
            writeln!(out, "product {id} added: {}", product.name(Locale::FrCa))?;
        }
        AdminCommand::Tier(TierCommand::Add {
            label,
            percent,
            default,
        }) => {
            let id = store.add_tier(&NewTier {
                label: label.clone(),
                percent,
                caps: vec![],
                is_default: default,
            })?;
            writeln!(out, "tier {id} added: {} ({percent} %)", label.trim())?;
        }
        AdminCommand::Household(HouseholdCommand::Add {
            tier,
            cards,
            expires,
            balance,
            pay_later_limit,
        }) => household(store, tier, cards, expires, balance, pay_later_limit, out)?,
        AdminCommand::Badge(command) => {
            super::badges::run(store, command, &mut std::io::stdin().lock(), out)?
        }
    }
    Ok(())
}

fn parse_gtin(text: &str) -> Result<Gtin, AdminError> {
    text.trim()
        .parse::<Gtin>()
        .map_err(|e| AdminError::Invalid(format!("barcode «{text}»: {e}")))
}

fn money(name: &str, text: &str) -> Result<Money, AdminError> {
    let amount = Money::parse(text).map_err(|e| AdminError::Invalid(format!("{name}: {e}")))?;
    if amount.is_negative() {
        return Err(AdminError::Invalid(format!("{name}: cannot be negative")));
    }
    Ok(amount)
}

fn new_code(settings: AdminSettings) -> Result<(String, NewCode), AdminError> {
    let (text, hash) = secrets::new_enrolment_code()?;
    let created_at = Utc::now();
    let ttl = chrono::Duration::from_std(settings.enrolment_code_ttl)
        .map_err(|_| AdminError::Invalid("the enrolment code lifetime is too long".into()))?;
    Ok((
        text,
        NewCode {
            hash,
            created_at,
            expires_at: created_at + ttl,
        },
    ))
}

fn print_code(code: &str, qr: &QrOutput, out: &mut dyn Write) -> Result<(), AdminError> {
    writeln!(
        out,
        "enrolment code (shown once; scan or type it on the kiosk): {code}"
    )?;
    if let Some(path) = &qr.qr_svg {
        std::fs::write(path, secrets::qr_svg(code)?).map_err(|source| AdminError::Write {
            path: path.display().to_string(),
            source,
        })?;
        writeln!(out, "QR code written to {}", path.display())?;
    }
    Ok(())
}

fn kiosk(
    store: &dyn HubStore,
    settings: AdminSettings,
    command: KioskCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    match command {
        KioskCommand::Add {
            name,
            site,
            payment,
            qr,
        } => {
            let payment_methods = payment
                .iter()
                .map(|m| {
                    PaymentMethod::from_name(m.trim()).ok_or_else(|| {
                        AdminError::Invalid(format!(
                            "unknown payment method «{m}»: use cash, prepaid, pay_later or card_terminal"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let (code, stored) = new_code(settings)?;
            let kiosk = NewKiosk {
                name: name.clone(),
                site: SiteId(site),
                payment_methods,
                thresholds: Thresholds::default(),
            };
            let id = store.add_kiosk(&kiosk, &stored)?;
            writeln!(out, "kiosk {id} added: {}", name.trim())?;
            print_code(&code, &qr, out)?;
        }
        KioskCommand::Code { kiosk, qr } => {
            let (code, stored) = new_code(settings)?;
            store.add_enrolment_code(KioskId(kiosk), &stored)?;
            print_code(&code, &qr, out)?;
        }
        KioskCommand::Revoke { kiosk } => {
            let revoked = store.revoke_kiosk(KioskId(kiosk), Utc::now())?;
            writeln!(out, "kiosk {kiosk}: {revoked} token(s) revoked")?;
        }
        KioskCommand::List => {
            for k in store.kiosks()? {
                let contact = k
                    .last_contact
                    .map_or("never".to_owned(), |t| t.to_rfc3339());
                writeln!(
                    out,
                    "{}\t{}\tsite {}\tenrolled: {}\tacked through {}\tlast contact {}\tpending {}\tclock offset {} ms{}",
                    k.id,
                    k.name,
                    k.site,
                    k.enrolled,
                    k.acked_through,
                    contact,
                    k.pending.map_or("?".into(), |p| p.to_string()),
                    k.clock_offset_ms.map_or("?".into(), |o| o.to_string()),
                    if k.clock_suspect {
                        " (SUSPECT CLOCK)"
                    } else {
                        ""
                    }
                )?;
            }
        }
    }
    Ok(())
}

fn household(
    store: &dyn HubStore,
    tier: i64,
    cards: u32,
    expires: Option<String>,
    balance: Option<String>,
    pay_later_limit: Option<String>,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    if !(1..=10).contains(&cards) {
        return Err(AdminError::Invalid("a household has 1 to 10 cards".into()));
    }
    let expires_on = expires
        .map(|text| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                AdminError::Invalid(format!("expires: «{text}» is not a date like 2027-12-31"))
            })
        })
        .transpose()?;
    let codes = (0..cards)
        .map(|_| crate::entropy::new_payload(PayloadKind::Card))
        .collect::<Result<Vec<_>, _>>()
        .map_err(SecretError::from)?;
    let household = NewHousehold {
        tier: TierId(tier),
        expires_on,
        caps: vec![],
        balance: balance.map(|b| money("balance", &b)).transpose()?,
        pay_later_limit: pay_later_limit
            .map(|l| money("pay-later limit", &l))
            .transpose()?,
        cards: codes.iter().map(|c| c.hash()).collect(),
    };
    let id = store.add_household(&household, Utc::now())?;
    writeln!(out, "household {id} added (tier {tier})")?;
    for code in codes {
        writeln!(
            out,
            "card (printed once; the hub keeps only its hash): {}",
            code.encode()
        )?;
    }
    Ok(())
}

/// `congelo-hub init`: migrates the database, adds the full-price default tier if there is no
/// tier, and the first admin account. Refuses if an account exists.
pub fn init(
    store: &dyn HubStore,
    login: &str,
    password: &str,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    if store.user_count()? > 0 {
        return Err(AdminError::Invalid(
            "this hub is already initialised (it has accounts)".into(),
        ));
    }
    if password.chars().count() < 12 {
        return Err(AdminError::Invalid(
            "the admin password needs at least 12 characters".into(),
        ));
    }
    let hash = secrets::hash_password(password)?;
    store.add_user(login, &hash, Role::Admin, Utc::now())?;
    match store.add_tier(&NewTier {
        label: "Plein tarif".into(),
        percent: 100,
        caps: vec![],
        is_default: true,
    }) {
        Ok(id) => writeln!(out, "tier {id} added: Plein tarif (100 %, the default)")?,
        Err(HubStoreError::Duplicate(_)) => {}
        Err(error) => return Err(error.into()),
    }
    writeln!(out, "admin account «{}» created", login.trim())?;
    Ok(())
}
