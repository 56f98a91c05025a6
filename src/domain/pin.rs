//! Staff PIN attempts: five wrong PINs lock a badge out for five minutes.
//!
//! Pure: the kiosk keeps the counter in its database so a restart does not reset it, and passes
//! the time in.

use serde::{Deserialize, Serialize};

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
