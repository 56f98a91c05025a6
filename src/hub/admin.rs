//! The hub's admin commands: `init`, and adding territories, sites, kiosks (with their enrolment
//! code and QR), products, tiers, households with cards, and staff badges ([`super::badges`]).
//!
//! The command-line shapes ([`AdminCommand`]) are parsed by clap in `congelo-hub`; [`run`] checks
//! them with the staff pages' own form validation (`hub/web/*_form.rs`, messages in English) and
//! calls the same audited store methods the pages call, with the same action codes, as
//! [`Actor::cli`]: every change made from the command line is in the audit log as `cli`. Each
//! command is one store transaction: a bad value is refused with a sentence naming it, and nothing
//! is written. Secrets (enrolment codes, card codes) are printed once and never stored, only their
//! hashes.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, Subcommand};
use serde_json::json;
use thiserror::Error;

mod households;
mod kitchens;
mod recalls;

pub use households::HouseholdCommand;
pub use kitchens::{BatchCommand, IntakeCommand, SourceCommand, label_detail};
pub use recalls::RecallCommand;

use super::badges::BadgeCommand;
use super::secrets::{self, SecretError};
use super::store::{Actor, Audit, HubStore, HubStoreError, NewCode, NewKiosk, Role};
use super::web::form::FieldErrors;
use super::web::i18n::{Lang, t};
use super::web::products_form::ProductForm;
use super::web::tiers_form::TierForm;
use super::web::{auth, kiosks, products, tiers, users};
use crate::domain::config::Thresholds;
use crate::domain::product::Locale;
use crate::domain::sale::PaymentMethod;
use crate::domain::{KioskId, SiteId, TerritoryId};

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
    /// Recalled lots: open (from a lot, a batch or an intake), close, list, show.
    #[command(subcommand)]
    Recall(RecallCommand),
    /// Organisations surplus comes from.
    #[command(subcommand)]
    Source(SourceCommand),
    /// Surplus received by a kitchen.
    #[command(subcommand)]
    Intake(IntakeCommand),
    /// Production batches (prints the lot code the hub gives each).
    #[command(subcommand)]
    Batch(BatchCommand),
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
        weight_g: String,
        /// A barcode (EAN-13, UPC-A, EAN-8, GTIN-14); repeat for several.
        #[arg(long)]
        gtin: Vec<String>,
        /// The collective's internal code (CGP…), for packs labelled without a GTIN.
        #[arg(long)]
        internal_code: Option<String>,
        /// Pictogram file stem under assets/pictograms/products/.
        #[arg(long, default_value = "mixed-vegetables")]
        pictogram: String,
    },
    /// Sets what a pack label says of a product: shelf life, ingredients, allergens, Nutrition
    /// Facts (an empty text removes one).
    Label {
        #[arg(long)]
        product: i64,
        /// Days from production to best-before.
        #[arg(long)]
        shelf_life_days: Option<u32>,
        #[arg(long)]
        ingredients_fr: Option<String>,
        #[arg(long)]
        ingredients_en: Option<String>,
        #[arg(long)]
        allergens_fr: Option<String>,
        #[arg(long)]
        allergens_en: Option<String>,
        /// The Nutrition Facts per serving as JSON: {"serving_g": 85, "calories": 25, "fat_dg": 1, …}
        /// (masses in tenths of a gram, cholesterol and minerals in mg, iron in tenths of a mg).
        #[arg(long)]
        nutrition: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TierCommand {
    Add {
        #[arg(long)]
        label: String,
        /// Share of the full price charged, 0–100.
        #[arg(long)]
        percent: String,
        /// Make this the tier for sales without a card.
        #[arg(long)]
        default: bool,
    },
}

/// Settings the commands need from the hub's configuration.
#[derive(Debug, Clone, Copy)]
pub struct AdminSettings {
    pub enrolment_code_ttl: Duration,
}

/// The language of the form messages the command line prints.
pub(crate) const CLI_LANG: Lang = Lang::EnCa;

/// An audit entry for a change made from the command line (or its demo data and test set-up),
/// now.
pub fn cli_audit(action: &'static str) -> Audit {
    Audit::new(&Actor::cli(), Utc::now(), action)
}

/// A form's refusal as one line: every message, in the order found.
pub(crate) fn refused(errors: FieldErrors) -> AdminError {
    AdminError::Invalid(errors.all().join(" "))
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
            let name = name.trim();
            let audit = cli_audit("territory.create").detail(json!({ "name": name }));
            let id = store.save_territory(None, name, &audit)?;
            writeln!(out, "territory {id} added: {name}")?;
        }
        AdminCommand::Site(SiteCommand::Add { name, territory }) => {
            let name = name.trim();
            let audit =
                cli_audit("site.create").detail(json!({ "name": name, "territory": territory }));
            let id = store.save_site(None, name, TerritoryId(territory), &audit)?;
            writeln!(out, "site {id} added: {name}")?;
        }
        AdminCommand::Kiosk(command) => kiosk(store, settings, command, out)?,
        AdminCommand::Product(command) => product(store, command, out)?,
        AdminCommand::Tier(TierCommand::Add {
            label,
            percent,
            default,
        }) => {
            let form = TierForm {
                label,
                percent,
                is_default: default,
                ..TierForm::default()
            };
            let entry = form.validate(CLI_LANG, &[]).map_err(refused)?;
            let audit = cli_audit("tier.create").detail(tiers::audit_detail(&entry));
            let id = store.save_tier(None, &entry, &audit)?;
            let (label, percent) = (&entry.tier.label, entry.tier.percent);
            writeln!(out, "tier {id} added: {label} ({percent} %)")?;
        }
        AdminCommand::Household(command) => households::run(store, command, out)?,
        AdminCommand::Badge(command) => {
            super::badges::run(store, command, &mut std::io::stdin().lock(), out)?
        }
        AdminCommand::Recall(command) => recalls::run(store, command, out)?,
        AdminCommand::Source(command) => kitchens::source(store, command, out)?,
        AdminCommand::Intake(command) => kitchens::intake(store, command, out)?,
        AdminCommand::Batch(command) => kitchens::batch(store, command, out)?,
    }
    Ok(())
}

fn product(
    store: &dyn HubStore,
    command: ProductCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    match command {
        ProductCommand::Label {
            product,
            shelf_life_days,
            ingredients_fr,
            ingredients_en,
            allergens_fr,
            allergens_en,
            nutrition,
        } => kitchens::label(
            store,
            product,
            shelf_life_days,
            [ingredients_fr, ingredients_en],
            [allergens_fr, allergens_en],
            nutrition,
            out,
        ),
        ProductCommand::Add {
            name_fr,
            name_en,
            name_es,
            price,
            weight_g,
            gtin,
            internal_code,
            pictogram,
        } => {
            let form = ProductForm {
                barcodes: gtin.join(" "),
                internal_code: internal_code.unwrap_or_default(),
                name_fr,
                name_en: name_en.unwrap_or_default(),
                name_es: name_es.unwrap_or_default(),
                pictogram,
                net_weight_g: weight_g,
                full_price: price,
                ..ProductForm::blank()
            };
            let product = form.validate(CLI_LANG).map_err(refused)?;
            let audit = cli_audit("product.create").detail(products::audit_detail(&product));
            let id = store.save_product(None, &product, &audit)?;
            writeln!(out, "product {id} added: {}", product.name(Locale::FrCa))?;
            Ok(())
        }
    }
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

fn payment_methods(names: &[String]) -> Result<Vec<PaymentMethod>, AdminError> {
    names
        .iter()
        .map(|m| {
            PaymentMethod::from_name(m.trim()).ok_or_else(|| {
                AdminError::Invalid(format!(
                    "unknown payment method «{m}»: use cash, prepaid, pay_later or card_terminal"
                ))
            })
        })
        .collect()
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
            let kiosk = NewKiosk {
                name: name.trim().to_owned(),
                site: SiteId(site),
                payment_methods: payment_methods(&payment)?,
                thresholds: Thresholds::default(),
            };
            let (code, stored) = new_code(settings)?;
            let audit = cli_audit("kiosk.create").detail(kiosks::audit_detail(&kiosk));
            let id = store.create_kiosk(&kiosk, &stored, &audit)?;
            writeln!(out, "kiosk {id} added: {}", kiosk.name)?;
            print_code(&code, &qr, out)?;
        }
        KioskCommand::Code { kiosk, qr } => {
            let (code, stored) = new_code(settings)?;
            let audit = cli_audit("kiosk.code").subject(format!("kiosk {kiosk}"));
            store.new_kiosk_code(KioskId(kiosk), &stored, &audit)?;
            print_code(&code, &qr, out)?;
        }
        KioskCommand::Revoke { kiosk } => {
            let audit = cli_audit("kiosk.revoke").subject(format!("kiosk {kiosk}"));
            let revoked = store.revoke_kiosk_tokens(KioskId(kiosk), Utc::now(), &audit)?;
            writeln!(out, "kiosk {kiosk}: {revoked} token(s) revoked")?;
        }
        KioskCommand::List => list_kiosks(store, out)?,
    }
    Ok(())
}

fn list_kiosks(store: &dyn HubStore, out: &mut dyn Write) -> Result<(), AdminError> {
    for k in store.kiosks()? {
        let contact = k
            .last_contact
            .map_or("never".to_owned(), |t| t.to_rfc3339());
        writeln!(
            out,
            "{}\t{}\tsite {}\tenrolled: {}\tacked through {}\tlast contact {}\tpending {}\tclock offset {} ms{}",
            k.kiosk.id,
            k.kiosk.name,
            k.site.id,
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
    Ok(())
}

/// `congelo-hub init`: migrates the database, adds the full-price default tier if there is no
/// tier, and the first admin account, with the users page's rules for its login and password.
/// Refuses if an account exists.
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
    let login = login.trim();
    if !users::login_ok(login) {
        return Err(AdminError::Invalid(t(CLI_LANG, "hub-users-error-login")));
    }
    if let Some(key) = auth::password_rule_errors(password, password).first() {
        return Err(AdminError::Invalid(t(CLI_LANG, key)));
    }
    let hash = secrets::hash_password(password)?;
    let role = Role::Admin;
    let audit = cli_audit("user.create").detail(json!({
        "login": login,
        "role": users::role_code(role),
        "site": null,
    }));
    store.create_user(login, &hash, role, &audit)?;
    if store.catalogue_tiers()?.is_empty() {
        let form = TierForm {
            label: "Plein tarif".into(),
            percent: "100".into(),
            is_default: true,
            ..TierForm::default()
        };
        let entry = form.validate(CLI_LANG, &[]).map_err(refused)?;
        let audit = cli_audit("tier.create").detail(tiers::audit_detail(&entry));
        let id = store.save_tier(None, &entry, &audit)?;
        writeln!(out, "tier {id} added: Plein tarif (100 %, the default)")?;
    }
    writeln!(out, "admin account «{login}» created")?;
    Ok(())
}
