//! `congelo-hub`: the collective's server. Kiosks push events to it and pull configuration from it;
//! its admin commands create territories, sites, kiosks, products, tiers and households.

#![forbid(unsafe_code)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

use congelo::clock::SystemClock;
use congelo::hub::admin::{self, AdminCommand, AdminSettings};
use congelo::hub::backup;
use congelo::hub::demo_data::{self, DemoOptions};
use congelo::hub::reports::{ReportStore, retention};
use congelo::hub::{HubConfig, SqliteHubStore, server};

#[derive(Parser)]
#[command(
    name = "congelo-hub",
    version,
    about = "Congélo hub: the collective's server"
)]
struct Cli {
    /// TOML settings file (see deploy/hub.example.toml); CONGELO_HUB_* variables override it.
    #[arg(long, global = true, env = "CONGELO_HUB_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the kiosk API until SIGTERM or SIGINT.
    Serve,
    /// Creates the database, the default full-price tier and the first admin account. The
    /// password is read from CONGELO_HUB_ADMIN_PASSWORD, or else from the first line of stdin.
    Init {
        #[arg(long, default_value = "admin")]
        admin: String,
    },
    /// Detaches households from sales older than `retention_months` now (`serve` does it daily).
    Retention,
    /// Fills a new database with a demo collective (13 kiosks, 5 territories, 3 tiers, households
    /// with cards) and N sales over 13 months, through the real ingest path.
    DemoData {
        #[arg(long, default_value_t = 100_000)]
        sales: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The last day with sales (YYYY-MM-DD); today by default.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        #[arg(long, default_value_t = 13)]
        months: u32,
    },
    /// Copies the database while the hub serves, checks the copy and prints its size and the time
    /// it took. Either --to FILE, or --dir DIR (a file named by the time, keeping the newest --keep).
    Backup {
        #[arg(long, required_unless_present = "dir", conflicts_with = "dir")]
        to: Option<PathBuf>,
        #[arg(long)]
        dir: Option<PathBuf>,
        /// With --dir: how many backups to keep (older ones this command wrote are removed).
        #[arg(long, requires = "dir", value_parser = clap::value_parser!(u32).range(1..))]
        keep: Option<u32>,
        /// With --to: replace FILE if it exists.
        #[arg(long, conflicts_with = "dir")]
        force: bool,
    },
    /// Replaces the database with a backup, the hub stopped. The replaced database is kept
    /// beside it, named with the time of the restore.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    #[command(flatten)]
    Admin(AdminCommand),
}

/// Backups kept by `backup --dir` when `--keep` is not given.
const DEFAULT_KEEP: u32 = 7;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match HubConfig::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("congelo-hub: {error}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Serve => serve(config),
        Command::Init { admin } => init(&config, &admin),
        Command::Retention => retention(&config),
        Command::DemoData {
            sales,
            seed,
            until,
            months,
        } => demo_data(&config, sales, seed, until, months),
        Command::Backup {
            to,
            dir,
            keep,
            force,
        } => backup(&config, to, dir, keep.unwrap_or(DEFAULT_KEEP), force),
        Command::Restore { from } => restore(&config, &from),
        Command::Admin(command) => admin_command(&config, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("congelo-hub: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn open(path: &Path) -> anyhow::Result<SqliteHubStore> {
    SqliteHubStore::open(path)
        .with_context(|| format!("cannot open the hub database {}", path.display()))
}

fn serve(config: HubConfig) -> anyhow::Result<()> {
    // Logs go to stderr (journald under systemd); stdout carries only the "listening on" line.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).context("log filter")?)
        .with_writer(std::io::stderr)
        .init();
    // Held until the process ends: `restore` refuses while it is, and a second hub cannot start.
    let _lock = backup::DatabaseLock::acquire(&config.database, "serve")?;
    let store = Arc::new(open(&config.database)?);
    let runtime = tokio::runtime::Runtime::new().context("tokio runtime")?;
    runtime.block_on(async move {
        let shutdown = CancellationToken::new();
        server::cancel_on_signals(shutdown.clone()).context("signal handlers")?;
        let listener = server::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        tracing::info!(%addr, database = %config.database.display(), "hub listening");
        // Scripts and tests read this line to find the port when `listen` ends in :0.
        println!("listening on {scheme}://{addr}");
        let reports: Arc<dyn ReportStore> = store.clone();
        tokio::spawn(retention::daily(
            reports,
            Arc::new(SystemClock::default()),
            config.retention_months,
            shutdown.clone(),
        ));
        let state = server::state(&config, store);
        server::serve(listener, state, config.tls.as_ref(), shutdown).await?;
        tracing::info!("hub stopped");
        anyhow::Ok(())
    })
}

fn init(config: &HubConfig, login: &str) -> anyhow::Result<()> {
    let password = match std::env::var("CONGELO_HUB_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let store = open(&config.database)?;
    admin::init(&store, login, &password, &mut std::io::stdout())?;
    println!("database ready: {}", config.database.display());
    Ok(())
}

fn admin_command(config: &HubConfig, command: AdminCommand) -> anyhow::Result<()> {
    let store = open(&config.database)?;
    let settings = AdminSettings {
        enrolment_code_ttl: config.enrolment_code_ttl,
    };
    admin::run(&store, settings, command, &mut std::io::stdout())?;
    Ok(())
}

fn retention(config: &HubConfig) -> anyhow::Result<()> {
    let store = open(&config.database)?;
    let done = retention::run(&store, chrono::Utc::now(), config.retention_months)?;
    println!(
        "{} sales made before {} detached from their household",
        done.detached,
        done.cutoff
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    Ok(())
}

fn demo_data(
    config: &HubConfig,
    sales: u64,
    seed: u64,
    until: Option<chrono::NaiveDate>,
    months: u32,
) -> anyhow::Result<()> {
    let store = open(&config.database)?;
    let options = DemoOptions {
        sales,
        seed,
        until: until.unwrap_or_else(|| chrono::Local::now().date_naive()),
        months,
    };
    demo_data::generate(&store, &options, &mut std::io::stdout())?;
    Ok(())
}

fn backup(
    config: &HubConfig,
    to: Option<PathBuf>,
    dir: Option<PathBuf>,
    keep: u32,
    force: bool,
) -> anyhow::Result<()> {
    let report = match (to, dir) {
        (Some(to), _) => backup::backup(&config.database, &to, force)?,
        (None, Some(dir)) => {
            backup::backup_into_dir(&config.database, &dir, keep as usize, chrono::Utc::now())?
        }
        (None, None) => anyhow::bail!("say where the backup goes: --to FILE or --dir DIR"),
    };
    println!(
        "backup written: {} ({}, schema {}, checked, {:.2} s)",
        report.path.display(),
        backup::human_size(report.bytes),
        report.schema_version,
        report.elapsed.as_secs_f64()
    );
    for removed in &report.removed {
        println!("older backup removed: {}", removed.display());
    }
    Ok(())
}

fn restore(config: &HubConfig, from: &Path) -> anyhow::Result<()> {
    let restored = backup::restore(&config.database, from, chrono::Utc::now())?;
    println!(
        "restored {} from {} ({}, schema {}, checked)",
        config.database.display(),
        from.display(),
        backup::human_size(restored.checked.bytes),
        restored.checked.schema_version
    );
    if restored.checked.schema_version < backup::supported_version() {
        println!(
            "the backup has schema {}; the hub brings it to {} when it starts",
            restored.checked.schema_version,
            backup::supported_version()
        );
    }
    match &restored.kept_aside {
        Some(aside) => println!("the replaced database was kept as {}", aside.display()),
        None => println!("there was no database to replace"),
    }
    println!(
        "start the hub (systemctl start congelo-hub): kiosks re-send the sales the backup lacks at \
         their next sync"
    );
    Ok(())
}
