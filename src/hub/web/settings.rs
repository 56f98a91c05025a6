//! The web pages' settings: session lifetimes, the login lockout and attempt limit, and whether
//! cookies are `Secure`.
//!
//! They live in the `[web]` table of the hub's TOML file and in `CONGELO_HUB_*` variables, layered
//! like the rest of [`crate::hub::HubConfig`] and validated here with messages naming the setting.

use std::time::Duration;

use serde::Deserialize;

use crate::hub::config::ConfigError;

/// Validated web settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSettings {
    /// A session unused this long is over (the next request asks to log in again).
    pub session_idle: Duration,
    /// A session is over this long after login, however busy.
    pub session_max: Duration,
    /// Cookies get `Secure` when the hub serves HTTPS itself or when this says a proxy does.
    pub behind_https_proxy: bool,
    /// Set from the TLS settings at start-up: the hub itself serves HTTPS.
    pub serves_https: bool,
    /// Failed logins in a row before an account is locked.
    pub login_max_failures: u32,
    /// How long a locked account stays locked.
    pub login_lockout: Duration,
    /// Login submissions accepted per client address and minute (a burst of this many, then one
    /// per `60 s / n`); see [`super::login_guard`].
    pub login_attempts_per_minute: u32,
    /// The collective's name, printed on its cards (the hub's `collective_name` setting).
    pub collective_name: String,
    /// How long a kiosk's enrolment code made on the kiosk pages stays valid (the hub's
    /// `enrolment_code_ttl` setting, as for codes made with the command line).
    pub enrolment_code_ttl: Duration,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            session_idle: Duration::from_secs(30 * 60),
            session_max: Duration::from_secs(12 * 3600),
            behind_https_proxy: false,
            serves_https: false,
            login_max_failures: 5,
            login_lockout: Duration::from_secs(15 * 60),
            login_attempts_per_minute: 10,
            collective_name: "Congélo".into(),
            enrolment_code_ttl: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

impl WebSettings {
    /// Whether cookies must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.behind_https_proxy || self.serves_https
    }

    /// Layers the file's `[web]` table, then the environment, over the defaults.
    pub fn layered(
        file: Option<FileWeb>,
        env: &impl Fn(&str) -> Option<String>,
    ) -> Result<WebSettings, ConfigError> {
        let file = file.unwrap_or_default();
        let pick = |from_file: Option<u64>, var: &str| -> Result<Option<u64>, ConfigError> {
            match env(var) {
                Some(text) => text
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| ConfigError::Value {
                        name: var.to_owned(),
                        reason: format!("«{text}» is not a whole number"),
                    }),
                None => Ok(from_file),
            }
        };
        let defaults = WebSettings::default();
        let idle = pick(
            file.session_idle_minutes,
            "CONGELO_HUB_SESSION_IDLE_MINUTES",
        )?;
        let max = pick(file.session_max_hours, "CONGELO_HUB_SESSION_MAX_HOURS")?;
        let failures = pick(file.login_max_failures, "CONGELO_HUB_LOGIN_MAX_FAILURES")?;
        let lockout = pick(
            file.login_lockout_minutes,
            "CONGELO_HUB_LOGIN_LOCKOUT_MINUTES",
        )?;
        let attempts = pick(
            file.login_attempts_per_minute,
            "CONGELO_HUB_LOGIN_ATTEMPTS_PER_MINUTE",
        )?;
        let proxy = match env("CONGELO_HUB_BEHIND_HTTPS_PROXY") {
            Some(text) => parse_bool(&text)?,
            None => file.behind_https_proxy.unwrap_or(false),
        };
        Ok(WebSettings {
            session_idle: minutes(in_range(idle, "session_idle_minutes", 1..=1440)?)
                .unwrap_or(defaults.session_idle),
            session_max: in_range(max, "session_max_hours", 1..=720)?
                .map_or(defaults.session_max, |h| Duration::from_secs(h * 3600)),
            behind_https_proxy: proxy,
            serves_https: false,
            login_max_failures: in_range(failures, "login_max_failures", 1..=100)?
                .map_or(defaults.login_max_failures, |n| n as u32),
            login_lockout: minutes(in_range(lockout, "login_lockout_minutes", 1..=1440)?)
                .unwrap_or(defaults.login_lockout),
            login_attempts_per_minute: in_range(attempts, "login_attempts_per_minute", 1..=1000)?
                .map_or(defaults.login_attempts_per_minute, |n| n as u32),
            collective_name: defaults.collective_name,
            enrolment_code_ttl: defaults.enrolment_code_ttl,
        })
    }
}

/// The `[web]` table of the TOML file: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileWeb {
    session_idle_minutes: Option<u64>,
    session_max_hours: Option<u64>,
    behind_https_proxy: Option<bool>,
    login_max_failures: Option<u64>,
    login_lockout_minutes: Option<u64>,
    login_attempts_per_minute: Option<u64>,
}

fn minutes(n: Option<u64>) -> Option<Duration> {
    n.map(|m| Duration::from_secs(m * 60))
}

fn in_range(
    n: Option<u64>,
    name: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<u64>, ConfigError> {
    match n {
        Some(n) if !range.contains(&n) => Err(ConfigError::Value {
            name: name.to_owned(),
            reason: format!("{n} is outside {}..={}", range.start(), range.end()),
        }),
        other => Ok(other),
    }
}

fn parse_bool(text: &str) -> Result<bool, ConfigError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(ConfigError::Value {
            name: "CONGELO_HUB_BEHIND_HTTPS_PROXY".into(),
            reason: format!("«{text}» is not true or false"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_file_then_environment() {
        let file: FileWeb = toml::from_str("session_idle_minutes = 5\nbehind_https_proxy = true")
            .expect("valid table");
        let env = |name: &str| (name == "CONGELO_HUB_SESSION_MAX_HOURS").then(|| "2".to_owned());
        let settings = WebSettings::layered(Some(file), &env).expect("valid");
        assert_eq!(settings.session_idle, Duration::from_secs(300));
        assert_eq!(settings.session_max, Duration::from_secs(7200));
        assert!(settings.secure_cookies());
        assert_eq!(settings.login_max_failures, 5);
    }

    #[test]
    fn bad_values_are_named() {
        let env = |name: &str| (name == "CONGELO_HUB_BEHIND_HTTPS_PROXY").then(|| "maybe".into());
        let error = WebSettings::layered(None, &env).unwrap_err();
        assert!(error.to_string().contains("BEHIND_HTTPS_PROXY"), "{error}");
        let file: FileWeb = toml::from_str("session_idle_minutes = 0").expect("parses");
        let error = WebSettings::layered(Some(file), &|_: &str| None).unwrap_err();
        assert!(
            error.to_string().contains("session_idle_minutes"),
            "{error}"
        );
    }
}
