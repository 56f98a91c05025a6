//! Staff PIN attempts: five wrong PINs lock a badge out for five minutes.
//!
//! Pure: the kiosk keeps the counter in its database so a restart does not reset it, and passes
//! the time in.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How many digits a PIN has: the kiosk's keypad takes no more, the hub issues no fewer.
pub const PIN_DIGITS: RangeInclusive<usize> = 4..=8;

/// Why the hub refuses a new PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PinError {
    #[error("a PIN has 4 to 8 digits and nothing else")]
    Format,
    #[error("this PIN is too easy to guess (one digit repeated, or digits in a row)")]
    Guessable,
}

/// Is `pin` the shape a kiosk's keypad can type (4 to 8 digits)?
pub fn is_well_formed(pin: &str) -> bool {
    PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a PIN the hub is about to issue: well formed, and not one anyone would try first
/// (`0000`, `1234`, `9876`…). Kiosks accept any well-formed PIN they hold a hash of.
pub fn check_new_pin(pin: &str) -> Result<(), PinError> {
    if !is_well_formed(pin) {
        return Err(PinError::Format);
    }
    let digits: Vec<i16> = pin.bytes().map(|b| i16::from(b - b'0')).collect();
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    let constant_step = steps.windows(2).all(|w| w[0] == w[1]);
    if constant_step && matches!(steps.first(), Some(-1..=1)) {
        return Err(PinError::Guessable);
    }
    Ok(())
}

/// Wrong PINs allowed before the lock.
pub const MAX_FAILURES: u32 = 5;
/// How long the lock lasts, in seconds.
pub const LOCKOUT_SECONDS: i64 = 5 * 60;

/// A badge's recent PIN failures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinAttempts {
    pub failures: u32,
    /// Unix seconds until which the badge is locked.
    pub locked_until: Option<i64>,
}

/// May a PIN be tried now?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinGate {
    Open { failures_left: u32 },
    Locked { until: i64 },
}

impl PinAttempts {
    pub fn gate(&self, now: i64) -> PinGate {
        match self.locked_until {
            Some(until) if now < until => PinGate::Locked { until },
            Some(_) => PinGate::Open {
                failures_left: MAX_FAILURES,
            },
            None => PinGate::Open {
                failures_left: MAX_FAILURES.saturating_sub(self.failures),
            },
        }
    }

    /// After a wrong PIN: the fifth locks the badge.
    pub fn failed(self, now: i64) -> PinAttempts {
        let failures = if self.locked_until.is_some_and(|until| now >= until) {
            1
        } else {
            self.failures + 1
        };
        if failures >= MAX_FAILURES {
            PinAttempts {
                failures: 0,
                locked_until: Some(now + LOCKOUT_SECONDS),
            }
        } else {
            PinAttempts {
                failures,
                locked_until: None,
            }
        }
    }

    /// After the right PIN.
    pub fn succeeded(self) -> PinAttempts {
        PinAttempts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_pins_must_be_digits_and_not_obvious() {
        let cases = [
            ("2468", Ok(())),
            ("40719", Ok(())),
            ("13572468", Ok(())),
            ("123", Err(PinError::Format)),
            ("123456789", Err(PinError::Format)),
            ("12a4", Err(PinError::Format)),
            (" 2468", Err(PinError::Format)),
            ("", Err(PinError::Format)),
            ("0000", Err(PinError::Guessable)),
            ("1234", Err(PinError::Guessable)),
            ("98765", Err(PinError::Guessable)),
            ("5555555", Err(PinError::Guessable)),
        ];
        for (pin, expected) in cases {
            assert_eq!(check_new_pin(pin), expected, "{pin:?}");
        }
    }

    #[test]
    fn five_failures_lock_for_five_minutes() {
        let mut attempts = PinAttempts::default();
        for n in 0..4 {
            attempts = attempts.failed(n);
            assert_eq!(
                attempts.gate(n),
                PinGate::Open {
                    failures_left: MAX_FAILURES - n as u32 - 1
                }
            );
        }
        attempts = attempts.failed(10);
        assert_eq!(
            attempts.gate(11),
            PinGate::Locked {
                until: 10 + LOCKOUT_SECONDS
            }
        );
        assert_eq!(
            attempts.gate(10 + LOCKOUT_SECONDS),
            PinGate::Open {
                failures_left: MAX_FAILURES
            }
        );
        // After the lock, counting starts again.
        attempts = attempts.failed(10 + LOCKOUT_SECONDS);
        assert_eq!(
            attempts.gate(10 + LOCKOUT_SECONDS),
            PinGate::Open {
                failures_left: MAX_FAILURES - 1
            }
        );
    }

    #[test]
    fn the_right_pin_clears_the_count() {
        let attempts = PinAttempts::default().failed(0).failed(1).succeeded();
        assert_eq!(
            attempts.gate(2),
            PinGate::Open {
                failures_left: MAX_FAILURES
            }
        );
    }
}
