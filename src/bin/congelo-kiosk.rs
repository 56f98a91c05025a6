//! `congelo-kiosk`: the program on each freezer, and its helper commands.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand};

use congelo::demo;
use congelo::domain::codes::decode;
use congelo::kiosk::settings::KioskSettings;
use congelo::scan_report::ScanReport;

#[derive(Parser)]
#[command(
    name = "congelo-kiosk",
    version,
    about = "Congélo kiosk: the self-service freezer's point of sale"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kiosk (the default). Without a configuration file it is the demo: a window, the
    /// keyboard as scanner, a simulated card terminal, and a demo database created if missing.
    Run {
        /// The kiosk's TOML settings (see deploy/kiosk.example.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The database file (overrides the settings).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Print, as JSON, what the kiosk understands from a scanned code.
    Decode {
        /// The code as the scanner sends it (GS1 separators as the GS character, 0x1D).
        code: String,
    },
    /// Create a demo kiosk database: catalogue, tiers, households, opening stock.
    DemoData {
        /// Path of the new database file (must not exist).
        #[arg(long)]
        db: PathBuf,
    },
    /// Enrol this kiosk with the collective's hub, using the one-time code the hub printed.
    Enrol {
        /// The kiosk database file.
        #[arg(long)]
        db: PathBuf,
        /// The hub's address, e.g. https://hub.example.org
        #[arg(long)]
        hub: String,
        /// The enrolment code (CGE1…).
        #[arg(long)]
        code: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Decode { code }) => decode_command(&code),
        Some(Command::DemoData { db }) => report(demo_data(&db)),
        Some(Command::Enrol { db, hub, code }) => report(enrol(&db, &hub, &code)),
        Some(Command::Run { config, db }) => report(run(config.as_deref(), db)),
        None => report(run(None, None)),
    }
}

/// Runs the kiosk; the demo (no settings file) creates its demo database on first run.
fn run(config: Option<&std::path::Path>, db: Option<PathBuf>) -> anyhow::Result<()> {
    init_logging();
    let mut settings = KioskSettings::load(config, |name| std::env::var(name).ok())?;
    if let Some(db) = db {
        settings.db = db;
    }
    if config.is_none() && !settings.db.exists() {
        demo_data(&settings.db)?;
    }
    tracing::info!(db = %settings.db.display(), "starting the kiosk");
    congelo::kiosk::app::run(settings)?;
    Ok(())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("congelo-kiosk: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Invalid codes exit with status 2 and a one-line reason, so scripts can tell them from failures.
fn decode_command(code: &str) -> ExitCode {
    match decode(code) {
        Ok(scan) => match serde_json::to_string_pretty(&ScanReport::new(
            &scan,
            chrono::Local::now().date_naive(),
        )) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(error) => report(Err(error.into())),
        },
        Err(error) => {
            eprintln!("invalid code: {error}");
            ExitCode::from(2)
        }
    }
}

fn demo_data(db: &std::path::Path) -> anyhow::Result<()> {
    demo::create_kiosk_database(db, Utc::now())
        .with_context(|| format!("cannot create the demo database {}", db.display()))?;
    println!("Demo kiosk database created: {}", db.display());
    println!("\nProduct codes to type (the keyboard stands in for the scanner):");
    for (code, what) in demo::sample_product_codes() {
        println!("  {code:<70} {what}");
    }
    println!("\nStaff badges (PIN in brackets):");
    for badge in demo::badges() {
        println!(
            "  {}  staff {} [PIN {}]",
            badge.payload.encode(),
            badge.entry.staff,
            badge.pin
        );
    }
    println!("\nHousehold cards (printed once here; the kiosk keeps only their SHA-256):");
    for household in demo::households() {
        println!(
            "  {}  household {}: {}",
            household.card.encode(),
            household.household.id,
            household.what
        );
    }
    Ok(())
}

/// `congelo-kiosk enrol`: trades the code for a token, records it, pulls the first configuration.
fn enrol(db: &std::path::Path, hub: &str, code: &str) -> anyhow::Result<()> {
    let enrolment = congelo::sync::enrol(db, hub, code)
        .with_context(|| format!("cannot enrol {} with {hub}", db.display()))?;
    println!("Enrolled as kiosk {} with {hub}", enrolment.kiosk);
    match (enrolment.config_version, enrolment.pull_error) {
        (Some(version), _) => println!("Configuration version {version} applied"),
        (None, Some(error)) => {
            println!("The first configuration pull failed ({error}); the kiosk will retry")
        }
        (None, None) => println!("The hub has no configuration yet"),
    }
    Ok(())
}
