//! The cold chain: when a freezer has been too warm for too long, and when its door stays open.
//!
//! Frozen vegetables must stay frozen. The kiosk samples the freezer every minute; an excursion is
//! a stretch above the threshold (default −12 °C) lasting at least the allowed duration (default 30
//! minutes). Hysteresis keeps a temperature hovering at the threshold from raising and clearing
//! alarms over and over: a warm freezer only counts as cold again once it is a degree below the
//! threshold. A gap in the samples (the kiosk was off — a power cut) counts as warm when the
//! freezer comes back warm, since nobody can say it was cold meanwhile. Pure: times are passed in.

use serde::{Deserialize, Serialize};

/// The rules, from the kiosk's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColdRules {
    /// Warmest acceptable temperature, thousandths of °C.
    pub max_millicelsius: i32,
    /// How long above it makes an excursion, in seconds.
    pub max_warm_seconds: i64,
    /// How far below the threshold a warm freezer must get to count as cold again.
    pub hysteresis_millicelsius: i32,
    /// The expected time between samples; a longer gap is a gap.
    pub sample_seconds: i64,
    /// How long without a reading before the probe counts as lost.
    pub probe_timeout_seconds: i64,
}

impl ColdRules {
    pub fn new(max_millicelsius: i32, excursion_minutes: u32) -> ColdRules {
        ColdRules {
            max_millicelsius,
            max_warm_seconds: i64::from(excursion_minutes) * 60,
            hysteresis_millicelsius: 1_000,
            sample_seconds: 60,
            probe_timeout_seconds: 180,
        }
    }
}

/// What changed, for the kiosk to record as alarm events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ColdEvent {
    /// Too warm for too long: raised once per excursion.
    ExcursionStarted {
        warm_since_s: i64,
        peak_millicelsius: i32,
    },
    /// Cold again (below the threshold minus the hysteresis).
    ExcursionEnded { at_s: i64, peak_millicelsius: i32 },
    /// The probe stopped answering.
    ProbeLost { last_reading_s: i64 },
    /// The probe answers again.
    ProbeBack { at_s: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Warmth {
    Cold,
    /// Above the threshold since `since`, not for long enough yet.
    Warm {
        since: i64,
        peak: i32,
    },
    /// An excursion is under way.
    Excursion {
        since: i64,
        peak: i32,
    },
}

/// Follows samples and says when an excursion starts and ends.
#[derive(Debug, Clone)]
pub struct ColdChainMonitor {
    rules: ColdRules,
    warmth: Warmth,
    last_sample_s: Option<i64>,
    /// When the probe was first found silent, while it stays silent.
    probe_lost: bool,
}

impl ColdChainMonitor {
    pub fn new(rules: ColdRules) -> ColdChainMonitor {
        ColdChainMonitor {
            rules,
            warmth: Warmth::Cold,
            last_sample_s: None,
            probe_lost: false,
        }
    }

    /// Rebuilds the state from stored samples (oldest first), e.g. after a restart, without
    /// reporting the events already reported before it.
    pub fn restore(rules: ColdRules, samples: &[(i64, i32)]) -> ColdChainMonitor {
        let mut monitor = ColdChainMonitor::new(rules);
        for &(at, millicelsius) in samples {
            monitor.sample(at, millicelsius);
        }
        monitor
    }

    /// Whether an excursion is under way.
    pub fn in_excursion(&self) -> bool {
        matches!(self.warmth, Warmth::Excursion { .. })
    }

    /// A reading at `at_s` (unix seconds).
    pub fn sample(&mut self, at_s: i64, millicelsius: i32) -> Vec<ColdEvent> {
        let mut events = Vec::new();
        if self.probe_lost {
            self.probe_lost = false;
            events.push(ColdEvent::ProbeBack { at_s });
        }
        let gap_start = self
            .last_sample_s
            .filter(|last| at_s - last > 2 * self.rules.sample_seconds)
            .map(|last| last + self.rules.sample_seconds);
        self.last_sample_s = Some(at_s);
        let warm = millicelsius > self.rules.max_millicelsius;
        let cold_again =
            millicelsius <= self.rules.max_millicelsius - self.rules.hysteresis_millicelsius;
        self.warmth = match self.warmth {
            Warmth::Cold if warm => Warmth::Warm {
                since: gap_start.unwrap_or(at_s),
                peak: millicelsius,
            },
            Warmth::Cold => Warmth::Cold,
            Warmth::Warm { .. } | Warmth::Excursion { .. } if cold_again => {
                if let Warmth::Excursion { peak, .. } = self.warmth {
                    events.push(ColdEvent::ExcursionEnded {
                        at_s,
                        peak_millicelsius: peak,
                    });
                }
                Warmth::Cold
            }
            Warmth::Warm { since, peak } => Warmth::Warm {
                since,
                peak: peak.max(millicelsius),
            },
            Warmth::Excursion { since, peak } => Warmth::Excursion {
                since,
                peak: peak.max(millicelsius),
            },
        };
        if let Warmth::Warm { since, peak } = self.warmth
            && at_s - since >= self.rules.max_warm_seconds
        {
            self.warmth = Warmth::Excursion { since, peak };
            events.push(ColdEvent::ExcursionStarted {
                warm_since_s: since,
                peak_millicelsius: peak,
            });
        }
        events
    }

    /// The probe gave no reading at `at_s`; after the timeout, the probe is lost (raised once).
    pub fn no_reading(&mut self, at_s: i64) -> Vec<ColdEvent> {
        let last = self.last_sample_s.unwrap_or(at_s);
        if !self.probe_lost && at_s - last >= self.rules.probe_timeout_seconds {
            self.probe_lost = true;
            return vec![ColdEvent::ProbeLost {
                last_reading_s: last,
            }];
        }
        if self.last_sample_s.is_none() {
            self.last_sample_s = Some(at_s);
        }
        vec![]
    }
}

/// Door-open alarm: raised once when the door has stayed open too long.
#[derive(Debug, Clone, Default)]
pub struct DoorMonitor {
    open_since_s: Option<i64>,
    alarmed: bool,
}

/// What the door did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorEvent {
    OpenTooLong { since_s: i64 },
    ClosedAfterAlarm { at_s: i64 },
}

impl DoorMonitor {
    pub fn door(&mut self, open: bool, at_s: i64) -> Vec<DoorEvent> {
        match (open, self.open_since_s) {
            (true, None) => {
                self.open_since_s = Some(at_s);
                vec![]
            }
            (false, Some(_)) => {
                self.open_since_s = None;
                let was_alarmed = std::mem::take(&mut self.alarmed);
                if was_alarmed {
                    vec![DoorEvent::ClosedAfterAlarm { at_s }]
                } else {
                    vec![]
                }
            }
            _ => vec![],
        }
    }

    /// Checks the open door against the limit (seconds).
    pub fn tick(&mut self, at_s: i64, limit_s: i64) -> Vec<DoorEvent> {
        match self.open_since_s {
            Some(since) if !self.alarmed && at_s - since >= limit_s => {
                self.alarmed = true;
                vec![DoorEvent::OpenTooLong { since_s: since }]
            }
            _ => vec![],
        }
    }

    pub fn is_open(&self) -> bool {
        self.open_since_s.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60;

    fn rules() -> ColdRules {
        ColdRules::new(-12_000, 30)
    }

    /// Feeds one sample a minute from a curve of whole degrees; returns the events with the minute.
    fn run(curve: &[i32]) -> Vec<(usize, ColdEvent)> {
        let mut monitor = ColdChainMonitor::new(rules());
        curve
            .iter()
            .enumerate()
            .flat_map(|(minute, degrees)| {
                monitor
                    .sample(minute as i64 * MIN, degrees * 1000)
                    .into_iter()
                    .map(move |e| (minute, e))
            })
            .collect()
    }

    #[test]
    fn a_short_warm_spell_is_not_an_excursion() {
        let mut curve = vec![-18; 10];
        curve.extend(vec![-10; 29]);
        curve.extend(vec![-18; 10]);
        assert!(run(&curve).is_empty());
    }

    #[test]
    fn thirty_minutes_above_the_threshold_is_an_excursion_raised_once_and_ended_once() {
        let mut curve = vec![-18; 5];
        curve.extend(vec![-9; 40]);
        curve.extend(vec![-14; 5]);
        let events = run(&curve);
        assert_eq!(
            events,
            [
                (
                    35,
                    ColdEvent::ExcursionStarted {
                        warm_since_s: 5 * MIN,
                        peak_millicelsius: -9_000
                    }
                ),
                (
                    45,
                    ColdEvent::ExcursionEnded {
                        at_s: 45 * MIN,
                        peak_millicelsius: -9_000
                    }
                ),
            ]
        );
    }

    #[test]
    fn hovering_at_the_threshold_does_not_flap() {
        // Alternates between just above and just below −12 °C: one warm stretch, never "cold again".
        let curve: Vec<i32> = (0..60)
            .map(|m| if m % 2 == 0 { -11 } else { -12 })
            .collect();
        let events = run(&curve);
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(matches!(
            events[0],
            (
                30,
                ColdEvent::ExcursionStarted {
                    warm_since_s: 0,
                    ..
                }
            )
        ));
    }

    #[test]
    fn the_probe_that_vanishes_and_returns() {
        let mut monitor = ColdChainMonitor::new(rules());
        monitor.sample(0, -18_000);
        assert!(monitor.no_reading(2 * MIN).is_empty());
        assert_eq!(
            monitor.no_reading(3 * MIN),
            [ColdEvent::ProbeLost { last_reading_s: 0 }]
        );
        assert!(monitor.no_reading(4 * MIN).is_empty(), "raised once");
        assert_eq!(
            monitor.sample(5 * MIN, -18_000),
            [ColdEvent::ProbeBack { at_s: 5 * MIN }]
        );
    }

    #[test]
    fn a_power_cut_in_the_middle_of_an_excursion() {
        // Warm for 20 minutes, then the kiosk is off for an hour, then back up still warm: the
        // excursion is raised at once, counted from the start of the warm stretch.
        let mut stored: Vec<(i64, i32)> = (0..5).map(|m| (m * MIN, -18_000)).collect();
        stored.extend((5..25).map(|m| (m * MIN, -8_000)));
        let mut monitor = ColdChainMonitor::restore(rules(), &stored);
        assert!(!monitor.in_excursion());
        let events = monitor.sample(85 * MIN, -7_000);
        assert_eq!(
            events,
            [ColdEvent::ExcursionStarted {
                warm_since_s: 5 * MIN,
                peak_millicelsius: -7_000
            }]
        );
    }

    #[test]
    fn a_power_cut_while_cold_counts_the_gap_as_warm_when_it_comes_back_warm() {
        let stored: Vec<(i64, i32)> = (0..10).map(|m| (m * MIN, -18_000)).collect();
        let mut monitor = ColdChainMonitor::restore(rules(), &stored);
        // Off from minute 10 to minute 70, back at −5 °C: warm since minute 10, so already 60 min.
        let events = monitor.sample(70 * MIN, -5_000);
        assert_eq!(
            events,
            [ColdEvent::ExcursionStarted {
                warm_since_s: 10 * MIN,
                peak_millicelsius: -5_000
            }]
        );
    }

    #[test]
    fn the_door_alarm_fires_once_and_clears_when_closed() {
        let mut door = DoorMonitor::default();
        door.door(true, 0);
        assert!(door.tick(119, 120).is_empty());
        assert_eq!(door.tick(120, 120), [DoorEvent::OpenTooLong { since_s: 0 }]);
        assert!(door.tick(200, 120).is_empty());
        assert_eq!(
            door.door(false, 210),
            [DoorEvent::ClosedAfterAlarm { at_s: 210 }]
        );
        door.door(true, 300);
        assert!(door.door(false, 310).is_empty());
    }
}
