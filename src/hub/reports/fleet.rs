//! Fleet health: what the hub knows of each kiosk, and a pure decision of whether someone should
//! go and look, with every reason spelled out.
//!
//! A kiosk needs attention when it has not pushed for a while (each push is also a heartbeat), its
//! clock is suspect, its freezer is warmer than its threshold, its disk is nearly full, it has many
//! events waiting, an alarm is open, or it runs an older version of Congélo than the newest any
//! kiosk reports (compared by semantic versioning's precedence, so 0.10.0 is newer than 0.9.3 and
//! 1.0.0-rc.1 older than 1.0.0; a version that is not semantic versioning is shown but never
//! flagged). The limits are a [`FleetPolicy`], so tests and settings choose them; nothing here
//! reads a clock.

use chrono::{DateTime, Duration, Utc};
use semver::Version;
use serde::Serialize;

use super::model::FleetFacts;

/// The limits that make a kiosk "needs attention".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetPolicy {
    /// Kiosks push at least every minute; silence longer than this is worth a look.
    pub silent_after: Duration,
    /// Below this much free disk a kiosk may soon refuse sales.
    pub min_disk_free_bytes: u64,
    /// More events waiting than this means sync is not keeping up.
    pub max_pending: u64,
}

impl Default for FleetPolicy {
    fn default() -> Self {
        FleetPolicy {
            silent_after: Duration::minutes(30),
            min_disk_free_bytes: 500 * 1024 * 1024,
            max_pending: 1_000,
        }
    }
}

/// Why a kiosk needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Attention {
    /// Enrolled but never pushed.
    NeverContacted,
    Silent {
        minutes: i64,
    },
    ClockSuspect {
        offset_ms: i64,
    },
    TooWarm {
        millicelsius: i32,
        max_millicelsius: i32,
    },
    LowDisk {
        free_bytes: u64,
    },
    ManyPending {
        pending: u64,
    },
    OpenAlarm {
        kind: String,
    },
    /// Events that broke a rule: an admin reads them on the quarantine page.
    Quarantined {
        events: u64,
    },
    /// Runs an older version than the newest one in the fleet: update it.
    OlderVersion {
        version: String,
        newest: String,
    },
}

impl Attention {
    /// A stable name, for CSV and message ids (`hub-reports-attention-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Attention::NeverContacted => "never-contacted",
            Attention::Silent { .. } => "silent",
            Attention::ClockSuspect { .. } => "clock-suspect",
            Attention::TooWarm { .. } => "too-warm",
            Attention::LowDisk { .. } => "low-disk",
            Attention::ManyPending { .. } => "many-pending",
            Attention::OpenAlarm { .. } => "open-alarm",
            Attention::Quarantined { .. } => "quarantined",
            Attention::OlderVersion { .. } => "older-version",
        }
    }
}

/// A reported version read as semantic versioning (a leading `v` allowed); `None` otherwise.
pub fn parse_version(text: &str) -> Option<Version> {
    let text = text.trim();
    Version::parse(text.strip_prefix('v').unwrap_or(text)).ok()
}

/// The newest version among those reported (by precedence: build metadata does not count).
pub fn newest_version<'a>(reported: impl IntoIterator<Item = &'a FleetFacts>) -> Option<Version> {
    reported
        .into_iter()
        .filter_map(|f| parse_version(f.version.as_deref()?))
        .max_by(|a, b| a.cmp_precedence(b))
}

/// Every reason `facts` needs attention at `now`, `newest` being the newest version in the fleet;
/// empty when all is well. A kiosk that was never enrolled is not expected to talk yet and is not
/// flagged for silence.
pub fn assess(
    facts: &FleetFacts,
    now: DateTime<Utc>,
    policy: &FleetPolicy,
    newest: Option<&Version>,
) -> Vec<Attention> {
    let mut reasons = Vec::new();
    match facts.last_contact {
        None if facts.enrolled => reasons.push(Attention::NeverContacted),
        None => {}
        Some(at) if now - at > policy.silent_after => reasons.push(Attention::Silent {
            minutes: (now - at).num_minutes(),
        }),
        Some(_) => {}
    }
    if facts.clock_suspect {
        reasons.push(Attention::ClockSuspect {
            offset_ms: facts.clock_offset_ms.unwrap_or(0),
        });
    }
    if let Some(millicelsius) = facts.millicelsius
        && millicelsius > facts.max_millicelsius
    {
        reasons.push(Attention::TooWarm {
            millicelsius,
            max_millicelsius: facts.max_millicelsius,
        });
    }
    if let Some(free_bytes) = facts.disk_free_bytes
        && free_bytes < policy.min_disk_free_bytes
    {
        reasons.push(Attention::LowDisk { free_bytes });
    }
    if let Some(pending) = facts.pending
        && pending > policy.max_pending
    {
        reasons.push(Attention::ManyPending { pending });
    }
    reasons.extend(
        facts
            .open_alarms
            .iter()
            .map(|kind| Attention::OpenAlarm { kind: kind.clone() }),
    );
    if facts.quarantined > 0 {
        reasons.push(Attention::Quarantined {
            events: facts.quarantined,
        });
    }
    if let (Some(text), Some(newest)) = (&facts.version, newest)
        && let Some(version) = parse_version(text)
        && version.cmp_precedence(newest).is_lt()
    {
        reasons.push(Attention::OlderVersion {
            version: text.clone(),
            newest: newest.to_string(),
        });
    }
    reasons
}

/// A kiosk in the fleet view: its facts and the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetRow {
    #[serde(flatten)]
    pub facts: FleetFacts,
    pub needs_attention: bool,
    pub attention: Vec<Attention>,
}

impl FleetRow {
    pub fn assess(
        facts: FleetFacts,
        now: DateTime<Utc>,
        policy: &FleetPolicy,
        newest: Option<&Version>,
    ) -> FleetRow {
        let attention = assess(&facts, now, policy, newest);
        FleetRow {
            facts,
            needs_attention: !attention.is_empty(),
            attention,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::store::reports::Named;

    fn now() -> DateTime<Utc> {
        "2026-11-28T12:00:00Z".parse().unwrap()
    }

    fn healthy() -> FleetFacts {
        let named = |id, name: &str| Named {
            id,
            name: name.into(),
        };
        FleetFacts {
            kiosk: named(1, "Kiosk"),
            site: named(1, "Site"),
            territory: named(1, "MRC"),
            acked_through: crate::domain::Seq(40),
            enrolled: true,
            last_contact: Some(now() - Duration::minutes(2)),
            version: Some("0.1.0".into()),
            pending: Some(3),
            clock_offset_ms: Some(120),
            clock_suspect: false,
            millicelsius: Some(-18_500),
            max_millicelsius: -12_000,
            disk_free_bytes: Some(8 << 30),
            open_alarms: vec![],
            quarantined: 0,
            price_mismatches: 0,
        }
    }

    #[test]
    fn each_fact_gives_its_reason() {
        type Case = (fn(&mut FleetFacts), Vec<Attention>);
        let cases: Vec<Case> = vec![
            (|_| {}, vec![]),
            (|f| f.price_mismatches = 4, vec![]),
            (
                |f| f.quarantined = 2,
                vec![Attention::Quarantined { events: 2 }],
            ),
            (|f| f.last_contact = None, vec![Attention::NeverContacted]),
            (
                |f| {
                    f.last_contact = None;
                    f.enrolled = false;
                },
                vec![],
            ),
            (
                |f| f.last_contact = Some(now() - Duration::minutes(30)),
                vec![],
            ),
            (
                |f| f.last_contact = Some(now() - Duration::minutes(31)),
                vec![Attention::Silent { minutes: 31 }],
            ),
            (
                |f| {
                    f.clock_suspect = true;
                    f.clock_offset_ms = Some(-3_600_000);
                },
                vec![Attention::ClockSuspect {
                    offset_ms: -3_600_000,
                }],
            ),
            (|f| f.millicelsius = Some(-12_000), vec![]),
            (
                |f| f.millicelsius = Some(-11_999),
                vec![Attention::TooWarm {
                    millicelsius: -11_999,
                    max_millicelsius: -12_000,
                }],
            ),
            (|f| f.millicelsius = None, vec![]),
            (
                |f| f.disk_free_bytes = Some(100 << 20),
                vec![Attention::LowDisk {
                    free_bytes: 100 << 20,
                }],
            ),
            (|f| f.pending = Some(1_000), vec![]),
            (
                |f| f.pending = Some(1_001),
                vec![Attention::ManyPending { pending: 1_001 }],
            ),
            (
                |f| f.open_alarms = vec!["door_open".into()],
                vec![Attention::OpenAlarm {
                    kind: "door_open".into(),
                }],
            ),
        ];
        for (index, (change, expected)) in cases.into_iter().enumerate() {
            let mut facts = healthy();
            change(&mut facts);
            let row = FleetRow::assess(facts, now(), &FleetPolicy::default(), None);
            assert_eq!(row.attention, expected, "case {index}");
            assert_eq!(row.needs_attention, !expected.is_empty(), "case {index}");
        }
    }

    #[test]
    fn several_reasons_are_all_listed() {
        let mut facts = healthy();
        facts.last_contact = Some(now() - Duration::days(2));
        facts.millicelsius = Some(-2_000);
        facts.open_alarms = vec!["cold_chain".into()];
        let codes: Vec<_> = assess(&facts, now(), &FleetPolicy::default(), None)
            .iter()
            .map(Attention::code)
            .collect();
        assert_eq!(codes, ["silent", "too-warm", "open-alarm"]);
    }

    #[rstest::rstest]
    #[case(&["0.9.3", "0.10.0"], Some("0.10.0"))]
    #[case(&["1.0.0-rc.1", "1.0.0", "v0.9.0"], Some("1.0.0"))]
    // Build metadata does not order versions: either is "the newest" and neither is older.
    #[case(&["1.2.0+build.9", "1.2.0+build.10"], Some("1.2.0+build.10"))]
    #[case(&["test", "1.2", ""], None)]
    fn the_newest_version_is_chosen_by_precedence(
        #[case] reported: &[&str],
        #[case] newest: Option<&str>,
    ) {
        let facts: Vec<FleetFacts> = reported
            .iter()
            .map(|v| FleetFacts {
                version: Some((*v).into()),
                ..healthy()
            })
            .chain([FleetFacts {
                version: None,
                ..healthy()
            }])
            .collect();
        assert_eq!(
            newest_version(&facts).map(|v| v.to_string()),
            newest.map(str::to_owned)
        );
    }

    #[rstest::rstest]
    #[case(Some("0.9.3"), "0.10.0", true)]
    #[case(Some("v0.9.3"), "0.10.0", true)]
    #[case(Some("1.0.0-rc.1"), "1.0.0", true)]
    #[case(Some("0.10.0"), "0.10.0", false)]
    #[case(Some("0.10.0+other.build"), "0.10.0", false)]
    #[case(Some("0.11.0"), "0.10.0", false)]
    // Not semantic versioning, or nothing reported: shown as is, never flagged.
    #[case(Some("test"), "0.10.0", false)]
    #[case(Some("2024.1"), "0.10.0", false)]
    #[case(None, "0.10.0", false)]
    fn an_older_version_than_the_fleets_newest_is_flagged(
        #[case] version: Option<&str>,
        #[case] newest: &str,
        #[case] flagged: bool,
    ) {
        let facts = FleetFacts {
            version: version.map(str::to_owned),
            ..healthy()
        };
        let newest = Version::parse(newest).unwrap();
        let reasons = assess(&facts, now(), &FleetPolicy::default(), Some(&newest));
        let expected = version
            .filter(|_| flagged)
            .map(|v| Attention::OlderVersion {
                version: v.to_owned(),
                newest: newest.to_string(),
            });
        assert_eq!(reasons, expected.into_iter().collect::<Vec<_>>());
    }
}
