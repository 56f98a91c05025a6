//! The hub's settings: defaults, then a TOML file, then `CONGELO_HUB_*` environment variables,
//! validated once at start-up into a typed [`HubConfig`].
//!
//! Layering lets a packaged default file live in `/etc/congelo/hub.toml` while a container or a
//! systemd drop-in overrides one value. Every value from outside is checked here with a message that
//! names the setting, so a typo stops the hub at start-up instead of surprising it later.
//! (`deploy/hub.example.toml` documents every key.)

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use thiserror::Error;

/// Certificate chain and private key, PEM, for serving HTTPS directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The hub's validated settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubConfig {
    /// Address to listen on. Behind a reverse proxy, keep it on loopback.
    pub listen: SocketAddr,
    /// The SQLite database file.
    pub database: PathBuf,
    /// Serve HTTPS directly with these files; plain HTTP when absent.
    pub tls: Option<TlsFiles>,
    /// Largest request body accepted (a push of 500 events is well under 1 MiB).
    pub max_body_bytes: usize,
    /// Longest a request may take, body reading included.
    pub request_timeout: Duration,
    /// How long a new enrolment code stays valid.
    pub enrolment_code_ttl: Duration,
    /// How far a kiosk's clock may be off before it is flagged.
    pub clock_tolerance: Duration,
    /// `tracing` filter, e.g. `info` or `congelo=debug,info`.
    pub log: String,
    /// After this many months a sale is detached from its household (Québec Law 25).
    pub retention_months: u32,
    /// The web pages' sessions, lockout and cookies (`[web]` table).
    pub web: crate::hub::web::WebSettings,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8470)),
            database: PathBuf::from("congelo-hub.db"),
            tls: None,
            max_body_bytes: 8 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            enrolment_code_ttl: Duration::from_secs(7 * 24 * 3600),
            clock_tolerance: Duration::from_secs(300),
            log: "info".into(),
            retention_months: 13,
            web: crate::hub::web::WebSettings::default(),
        }
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {reason}")]
    Toml { path: String, reason: String },
    #[error("{name}: {reason}")]
    Value { name: String, reason: String },
}

/// The TOML file: every key optional, unknown keys refused (a typo must not pass silently).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    database: Option<PathBuf>,
    max_body_bytes: Option<u64>,
    request_timeout_secs: Option<u64>,
    enrolment_code_hours: Option<u64>,
    clock_tolerance_secs: Option<u64>,
    log: Option<String>,
    retention_months: Option<u64>,
    /// The collective's name printed on its cards (kept in `web.collective_name`).
    collective_name: Option<String>,
    tls: Option<FileTls>,
    web: Option<crate::hub::web::settings::FileWeb>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTls {
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
}

/// Raw values before validation, in the order they were layered.
#[derive(Debug, Default)]
struct Raw {
    listen: Option<String>,
    database: Option<PathBuf>,
    max_body_bytes: Option<String>,
    request_timeout_secs: Option<String>,
    enrolment_code_hours: Option<String>,
    clock_tolerance_secs: Option<String>,
    log: Option<String>,
    retention_months: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
}

impl HubConfig {
    /// Loads defaults, then `file` if given, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<HubConfig, ConfigError> {
        let text = match file {
            Some(path) => Some((
                path.display().to_string(),
                std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?,
            )),
            None => None,
        };
        let text = text.as_ref().map(|(p, t)| (p.as_str(), t.as_str()));
        HubConfig::layered(text, |name| std::env::var(name).ok())
    }

    /// Layers a TOML text (named for messages) and an environment lookup over the defaults.
    pub fn layered(
        toml_text: Option<(&str, &str)>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<HubConfig, ConfigError> {
        let mut raw = Raw::default();
        let mut web_file = None;
        let mut name_file = None;
        if let Some((path, text)) = toml_text {
            let mut file: FileConfig = toml::from_str(text).map_err(|e| ConfigError::Toml {
                path: path.to_owned(),
                reason: e.message().to_owned(),
            })?;
            web_file = file.web.take();
            name_file = file.collective_name.take();
            raw.merge_file(file);
        }
        raw.merge_env(&env);
        let mut config = raw.validate()?;
        config.web = crate::hub::web::WebSettings::layered(web_file, &env)?;
        config.web.serves_https = config.tls.is_some();
        config.web.enrolment_code_ttl = config.enrolment_code_ttl;
        if let Some(name) = env("CONGELO_HUB_COLLECTIVE_NAME").or(name_file) {
            config.web.collective_name = collective_name(&name)?;
        }
        Ok(config)
    }
}

/// The collective's name as printed on cards: 1 to 60 characters, no control character.
fn collective_name(text: &str) -> Result<String, ConfigError> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(ConfigError::Value {
            name: "collective_name".into(),
            reason: "the collective's name has 1 to 60 characters".into(),
        });
    }
    Ok(name.to_owned())
}

impl Raw {
    fn merge_file(&mut self, file: FileConfig) {
        let text = |n: Option<u64>| n.map(|n| n.to_string());
        self.listen = file.listen;
        self.database = file.database;
        self.max_body_bytes = text(file.max_body_bytes);
        self.request_timeout_secs = text(file.request_timeout_secs);
        self.enrolment_code_hours = text(file.enrolment_code_hours);
        self.clock_tolerance_secs = text(file.clock_tolerance_secs);
        self.log = file.log;
        self.retention_months = text(file.retention_months);
        if let Some(tls) = file.tls {
            self.tls_cert = tls.cert;
            self.tls_key = tls.key;
        }
    }

    fn merge_env(&mut self, env: impl Fn(&str) -> Option<String>) {
        let set = |slot: &mut Option<String>, name: &str| {
            if let Some(value) = env(name) {
                *slot = Some(value);
            }
        };
        set(&mut self.listen, "CONGELO_HUB_LISTEN");
        set(&mut self.max_body_bytes, "CONGELO_HUB_MAX_BODY_BYTES");
        set(
            &mut self.request_timeout_secs,
            "CONGELO_HUB_REQUEST_TIMEOUT_SECS",
        );
        set(
            &mut self.enrolment_code_hours,
            "CONGELO_HUB_ENROLMENT_CODE_HOURS",
        );
        set(
            &mut self.clock_tolerance_secs,
            "CONGELO_HUB_CLOCK_TOLERANCE_SECS",
        );
        set(&mut self.log, "CONGELO_HUB_LOG");
        set(&mut self.retention_months, "CONGELO_HUB_RETENTION_MONTHS");
        for (slot, name) in [
            (&mut self.database, "CONGELO_HUB_DATABASE"),
            (&mut self.tls_cert, "CONGELO_HUB_TLS_CERT"),
            (&mut self.tls_key, "CONGELO_HUB_TLS_KEY"),
        ] {
            if let Some(value) = env(name) {
                *slot = Some(PathBuf::from(value));
            }
        }
    }

    fn validate(self) -> Result<HubConfig, ConfigError> {
        let defaults = HubConfig::default();
        let listen = match self.listen {
            Some(text) => text.trim().parse().map_err(|_| {
                value(
                    "listen",
                    format!("«{text}» is not an address with a port, e.g. 127.0.0.1:8470"),
                )
            })?,
            None => defaults.listen,
        };
        let tls = match (self.tls_cert, self.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => {
                return Err(value(
                    "tls",
                    "give both `cert` and `key`, or neither".into(),
                ));
            }
        };
        let log = self.log.unwrap_or(defaults.log);
        if log.trim().is_empty() {
            return Err(value("log", "the log filter is empty".into()));
        }
        Ok(HubConfig {
            listen,
            database: self.database.unwrap_or(defaults.database),
            tls,
            max_body_bytes: number(self.max_body_bytes, "max_body_bytes", 65_536..=268_435_456)?
                .map_or(defaults.max_body_bytes, |n| n as usize),
            request_timeout: number(self.request_timeout_secs, "request_timeout_secs", 1..=600)?
                .map_or(defaults.request_timeout, Duration::from_secs),
            enrolment_code_ttl: number(
                self.enrolment_code_hours,
                "enrolment_code_hours",
                1..=8760,
            )?
            .map_or(defaults.enrolment_code_ttl, |h| {
                Duration::from_secs(h * 3600)
            }),
            clock_tolerance: number(
                self.clock_tolerance_secs,
                "clock_tolerance_secs",
                1..=86_400,
            )?
            .map_or(defaults.clock_tolerance, Duration::from_secs),
            log,
            retention_months: number(self.retention_months, "retention_months", 1..=120)?
                .map_or(defaults.retention_months, |n| n as u32),
            web: defaults.web,
        })
    }
}

fn value(name: &str, reason: String) -> ConfigError {
    ConfigError::Value {
        name: name.to_owned(),
        reason,
    }
}

fn number(
    text: Option<String>,
    name: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<u64>, ConfigError> {
    let Some(text) = text else { return Ok(None) };
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| value(name, format!("«{text}» is not a whole number")))?;
    if !range.contains(&n) {
        return Err(value(
            name,
            format!("{n} is outside {}..={}", range.start(), range.end()),
        ));
    }
    Ok(Some(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let file = r#"
            listen = "0.0.0.0:9000"
            database = "/var/lib/congelo/hub.db"
            request_timeout_secs = 10
            [tls]
            cert = "/etc/c.pem"
            key = "/etc/k.pem"
        "#;
        let config = HubConfig::layered(
            Some(("hub.toml", file)),
            env(&[("CONGELO_HUB_LISTEN", "127.0.0.1:9001")]),
        )
        .unwrap();
        assert_eq!(config.listen, "127.0.0.1:9001".parse().unwrap());
        assert_eq!(config.database, PathBuf::from("/var/lib/congelo/hub.db"));
        assert_eq!(config.request_timeout, Duration::from_secs(10));
        assert_eq!(config.max_body_bytes, HubConfig::default().max_body_bytes);
        assert!(config.tls.is_some());
    }

    #[test]
    fn codes_made_on_the_web_pages_live_as_long_as_the_setting_says() {
        let config =
            HubConfig::layered(Some(("hub.toml", "enrolment_code_hours = 48")), env(&[])).unwrap();
        assert_eq!(config.enrolment_code_ttl, Duration::from_secs(48 * 3600));
        assert_eq!(config.web.enrolment_code_ttl, config.enrolment_code_ttl);
    }

    #[test]
    fn the_example_file_in_deploy_is_valid() {
        let text = include_str!("../../deploy/hub.example.toml");
        let config = HubConfig::layered(Some(("hub.example.toml", text)), env(&[])).unwrap();
        assert_eq!(config.database, PathBuf::from("/var/lib/congelo/hub.db"));
        assert_eq!(config.listen, HubConfig::default().listen);
    }

    #[test]
    fn no_file_and_no_environment_gives_the_defaults() {
        assert_eq!(
            HubConfig::layered(None, env(&[])).unwrap(),
            HubConfig::default()
        );
    }

    #[test]
    fn bad_values_are_named() {
        type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)], &'a str);
        let cases: [Case<'_>; 5] = [
            (Some("listen = \"nowhere\""), &[], "listen"),
            (Some("colour = \"blue\""), &[], "unknown field"),
            (
                None,
                &[("CONGELO_HUB_MAX_BODY_BYTES", "12")],
                "max_body_bytes",
            ),
            (
                None,
                &[("CONGELO_HUB_REQUEST_TIMEOUT_SECS", "soon")],
                "request_timeout_secs",
            ),
            (None, &[("CONGELO_HUB_TLS_CERT", "/c.pem")], "tls"),
        ];
        for (file, vars, named) in cases {
            let error = HubConfig::layered(file.map(|f| ("hub.toml", f)), env(vars)).unwrap_err();
            assert!(error.to_string().contains(named), "{error}");
        }
    }
}
