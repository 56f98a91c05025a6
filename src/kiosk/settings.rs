//! The kiosk's own settings: which database, which language, which scanners, which terminal.
//!
//! Layered as everywhere in Congélo: defaults, then a TOML file (`deploy/kiosk.example.toml`),
//! then `CONGELO_KIOSK_*` environment variables; validated once at start-up. What the collective
//! decides (catalogue, prices, payment methods, thresholds) comes from the hub, not from here.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use super::core::{DEFAULT_RESERVE_BYTES, Timings};
use super::i18n;
use super::scanner::ScannerSettings;
use super::terminal::SimulatedBehaviour;
use crate::hardware::HardwareSettings;

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid kiosk configuration: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("the language «{0}» has no folder under locales/")]
    UnknownLanguage(String),
    #[error("{name} must be a number of seconds between {min} and {max}, not «{value}»")]
    BadSeconds {
        name: &'static str,
        value: String,
        min: u64,
        max: u64,
    },
    #[error("terminal must be one of approve, decline, no-answer, cancel; not «{0}»")]
    BadTerminal(String),
    #[error("hub_url must be an http or https address, not «{0}»")]
    BadHubUrl(String),
    #[error(
        "disk_reserve_mib must be a whole number of MiB from {MIN_DISK_RESERVE_MIB} to \
         {MAX_DISK_RESERVE_MIB} ({DEFAULT_DISK_RESERVE_MIB} by default), not «{0}»"
    )]
    BadDiskReserve(String),
    #[error(transparent)]
    Hardware(#[from] crate::hardware::HardwareError),
}

/// The free space (MiB) kept by default on the database's disk before sales stop.
pub const DEFAULT_DISK_RESERVE_MIB: i64 = (DEFAULT_RESERVE_BYTES / MIB) as i64;
/// Below 1 MiB (about two hundred sales) the reserve no longer covers a sale being paid for, the
/// WAL's growth and the sync worker's writes; none at all would let a paid sale fail to commit.
pub const MIN_DISK_RESERVE_MIB: i64 = 1;
/// Above 1 GiB the kiosk would stop selling on a card with ample room: most likely a unit mix-up.
pub const MAX_DISK_RESERVE_MIB: i64 = 1024;
const MIB: u64 = 1024 * 1024;

/// The card terminal the kiosk talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TerminalKind {
    Approve,
    Decline,
    NoAnswer,
    Cancel,
}

impl TerminalKind {
    pub fn simulated(self) -> SimulatedBehaviour {
        match self {
            TerminalKind::Approve => SimulatedBehaviour::Approve,
            TerminalKind::Decline => SimulatedBehaviour::Decline,
            TerminalKind::NoAnswer => SimulatedBehaviour::NoAnswer,
            TerminalKind::Cancel => SimulatedBehaviour::Cancel,
        }
    }

    fn parse(text: &str) -> Result<TerminalKind, SettingsError> {
        match text {
            "approve" => Ok(TerminalKind::Approve),
            "decline" => Ok(TerminalKind::Decline),
            "no-answer" => Ok(TerminalKind::NoAnswer),
            "cancel" => Ok(TerminalKind::Cancel),
            other => Err(SettingsError::BadTerminal(other.to_owned())),
        }
    }
}

/// Everything the kiosk program reads at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KioskSettings {
    /// The kiosk's SQLite file.
    pub db: PathBuf,
    /// The language the kiosk starts in and returns to.
    pub language: String,
    /// Fill the screen (on the Pi); a window otherwise.
    pub fullscreen: bool,
    pub scanners: ScannerSettings,
    /// The simulated card terminal's answer (a real terminal adapter plugs in here).
    pub terminal: TerminalKind,
    /// Seconds without a touch before "still there?".
    pub inactivity_seconds: u64,
    /// Seconds of the "still there?" countdown.
    pub still_there_seconds: u64,
    /// The collective's hub (`https://hub.example.org`), used when staff enrol the kiosk by
    /// scanning the hub's code. Once enrolled, the address is kept in the kiosk's database.
    pub hub_url: Option<String>,
    /// The freezer's door lock, door switch, buzzer, LED and probe (simulated by default).
    pub hardware: HardwareSettings,
    /// The voice clips and event sounds (`<locale>/<message-id>.ogg|wav`, `sounds/`): by default
    /// the source checkout's `assets/voice`.
    pub voice_dir: PathBuf,
    /// Free space (MiB) the kiosk keeps on its database's disk: with less it stops taking sales
    /// before anyone pays (`kiosk/core/space.rs`).
    pub disk_reserve_mib: i64,
}

impl Default for KioskSettings {
    fn default() -> Self {
        KioskSettings {
            db: PathBuf::from("congelo-kiosk.db"),
            language: i18n::DEFAULT_LANGUAGE.to_owned(),
            fullscreen: false,
            scanners: ScannerSettings::default(),
            terminal: TerminalKind::Approve,
            inactivity_seconds: 60,
            still_there_seconds: 20,
            hub_url: None,
            hardware: HardwareSettings::default(),
            voice_dir: crate::kiosk::voice::clips::source_dir(),
            disk_reserve_mib: DEFAULT_DISK_RESERVE_MIB,
        }
    }
}

impl KioskSettings {
    /// Defaults, then the file if given, then the environment; validated.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<KioskSettings, SettingsError> {
        let mut settings = match file {
            Some(path) => {
                let shown = path.display().to_string();
                let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                    path: shown.clone(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| SettingsError::Parse {
                    path: shown,
                    source,
                })?
            }
            None => KioskSettings::default(),
        };
        settings.apply_env(env)?;
        settings.validate()?;
        Ok(settings)
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        if let Some(db) = env("CONGELO_KIOSK_DB") {
            self.db = PathBuf::from(db);
        }
        if let Some(language) = env("CONGELO_KIOSK_LANGUAGE") {
            self.language = language;
        }
        if let Some(terminal) = env("CONGELO_KIOSK_TERMINAL") {
            self.terminal = TerminalKind::parse(&terminal)?;
        }
        if let Some(device) = env("CONGELO_KIOSK_SCANNER_EVDEV") {
            self.scanners.evdev = Some(device);
        }
        if let Some(port) = env("CONGELO_KIOSK_SCANNER_SERIAL") {
            self.scanners.serial = Some(port);
        }
        if let Some(url) = env("CONGELO_KIOSK_HUB_URL") {
            self.hub_url = Some(url);
        }
        if let Some(dir) = env("CONGELO_KIOSK_VOICE_DIR") {
            self.voice_dir = PathBuf::from(dir);
        }
        if let Some(mib) = env("CONGELO_KIOSK_DISK_RESERVE_MIB") {
            self.disk_reserve_mib = mib
                .trim()
                .parse()
                .map_err(|_| SettingsError::BadDiskReserve(mib.clone()))?;
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), SettingsError> {
        if !i18n::is_language(&self.language) {
            return Err(SettingsError::UnknownLanguage(self.language.clone()));
        }
        check_seconds("inactivity_seconds", self.inactivity_seconds, 10, 3600)?;
        check_seconds("still_there_seconds", self.still_there_seconds, 5, 300)?;
        if !(MIN_DISK_RESERVE_MIB..=MAX_DISK_RESERVE_MIB).contains(&self.disk_reserve_mib) {
            return Err(SettingsError::BadDiskReserve(
                self.disk_reserve_mib.to_string(),
            ));
        }
        self.hardware.validate()?;
        if let Some(url) = &self.hub_url {
            let parsed = url::Url::parse(url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            if parsed.is_none() {
                return Err(SettingsError::BadHubUrl(url.clone()));
            }
        }
        Ok(())
    }

    /// The disk reserve in bytes (validated: 1 MiB to 1 GiB).
    pub fn disk_reserve_bytes(&self) -> u64 {
        u64::try_from(self.disk_reserve_mib).map_or(DEFAULT_RESERVE_BYTES, |mib| mib * MIB)
    }

    pub fn timings(&self) -> Timings {
        Timings {
            inactivity_ms: self.inactivity_seconds * 1000,
            still_there_ms: self.still_there_seconds * 1000,
            ..Timings::default()
        }
    }
}

fn check_seconds(name: &'static str, value: u64, min: u64, max: u64) -> Result<(), SettingsError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(SettingsError::BadSeconds {
            name,
            value: value.to_string(),
            min,
            max,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kiosk.toml");
        std::fs::write(&file, "db = \"/var/lib/congelo/kiosk.db\"\nlanguage = \"es\"\n[scanners]\nevdev = \"0c2e:0b61\"\n").unwrap();
        let settings = KioskSettings::load(Some(&file), |name| {
            (name == "CONGELO_KIOSK_LANGUAGE").then(|| "en-CA".into())
        })
        .unwrap();
        assert_eq!(settings.db, PathBuf::from("/var/lib/congelo/kiosk.db"));
        assert_eq!(settings.language, "en-CA");
        assert_eq!(settings.scanners.evdev.as_deref(), Some("0c2e:0b61"));
        assert_eq!(settings.inactivity_seconds, 60);
    }

    #[test]
    fn the_pi_example_configuration_parses() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/pi/kiosk.toml");
        let settings = KioskSettings::load(Some(&example), no_env).unwrap();
        assert!(!settings.hardware.simulated);
        assert_eq!(settings.hardware.lock_pin, Some(17));
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kiosk.example.toml");
        assert!(KioskSettings::load(Some(&example), no_env).is_ok());
    }

    #[test]
    fn bad_settings_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kiosk.toml");
        std::fs::write(&file, "langage = \"fr-CA\"\n").unwrap();
        let error = KioskSettings::load(Some(&file), no_env).unwrap_err();
        assert!(error.to_string().contains("langage"), "{error}");
        std::fs::write(&file, "language = \"de\"\n").unwrap();
        assert!(matches!(
            KioskSettings::load(Some(&file), no_env),
            Err(SettingsError::UnknownLanguage(_))
        ));
        std::fs::write(&file, "hub_url = \"ftp://hub\"\n").unwrap();
        assert!(matches!(
            KioskSettings::load(Some(&file), no_env),
            Err(SettingsError::BadHubUrl(_))
        ));
        std::fs::write(&file, "inactivity_seconds = 1\n").unwrap();
        assert!(matches!(
            KioskSettings::load(Some(&file), no_env),
            Err(SettingsError::BadSeconds { .. })
        ));
        let missing = KioskSettings::load(Some(Path::new("/nonexistent/kiosk.toml")), no_env);
        assert!(matches!(missing, Err(SettingsError::Read { .. })));
        assert!(matches!(
            KioskSettings::load(None, |_| Some("maybe".into())),
            Err(SettingsError::BadTerminal(_))
        ));
    }

    #[test]
    fn the_disk_reserve_is_in_mib_and_nonsense_is_refused() {
        let defaults = KioskSettings::load(None, no_env).unwrap();
        assert_eq!(defaults.disk_reserve_bytes(), DEFAULT_RESERVE_BYTES);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kiosk.toml");
        std::fs::write(&file, "disk_reserve_mib = 64\n").unwrap();
        let settings = KioskSettings::load(Some(&file), no_env).unwrap();
        assert_eq!(settings.disk_reserve_bytes(), 64 * 1024 * 1024);
        let from_env = KioskSettings::load(Some(&file), |name| {
            (name == "CONGELO_KIOSK_DISK_RESERVE_MIB").then(|| "16".into())
        })
        .unwrap();
        assert_eq!(from_env.disk_reserve_mib, 16);
        for bad in ["0", "-8", "1025", "99999999999"] {
            std::fs::write(&file, format!("disk_reserve_mib = {bad}\n")).unwrap();
            let error = KioskSettings::load(Some(&file), no_env).unwrap_err();
            assert!(
                matches!(error, SettingsError::BadDiskReserve(_)),
                "{bad}: {error}"
            );
            assert!(error.to_string().contains("from 1 to 1024"), "{error}");
        }
        // Not a whole number: the file's parser names the key.
        for bad in ["\"8MiB\"", "8.5"] {
            std::fs::write(&file, format!("disk_reserve_mib = {bad}\n")).unwrap();
            let error = KioskSettings::load(Some(&file), no_env).unwrap_err();
            assert!(
                error.to_string().contains("disk_reserve_mib"),
                "{bad}: {error}"
            );
        }
        let error = KioskSettings::load(None, |name| {
            (name == "CONGELO_KIOSK_DISK_RESERVE_MIB").then(|| "lots".into())
        })
        .unwrap_err();
        assert!(error.to_string().contains("«lots»"), "{error}");
    }
}
