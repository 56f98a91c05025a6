//! Simulated freezer hardware, for the demo on a laptop and for tests.
//!
//! One [`Simulation`] holds the state every simulated device shares: the lock records what it was
//! told, the door either behaves like a resident (opens a moment after an unlock, closes a few
//! seconds later) or is driven by hand, the buzzer and LED log what they would do (`tracing`) and
//! remember it, and the probe follows a scripted curve of (minute, °C) points — steady −18 °C by
//! default — and can be made to fall silent. Time comes from the worker's [`Clock`], so a test
//! with a manual clock replays a day of freezer in milliseconds.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::Deserialize;

use super::{
    BuzzPattern, Buzzer, Clock, DoorLock, DoorSwitch, Hardware, HardwareError, LedState,
    LockCommand, ProbeProblem, StatusLed, TemperatureProbe,
};

/// One point of a scripted temperature curve: `[minute, °C]` in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "(u32, f64)")]
pub struct CurvePoint {
    pub minute: u32,
    pub millicelsius: i32,
}

impl TryFrom<(u32, f64)> for CurvePoint {
    type Error = String;

    fn try_from((minute, celsius): (u32, f64)) -> Result<CurvePoint, String> {
        if !(-60.0..=60.0).contains(&celsius) {
            return Err(format!(
                "{celsius} °C at minute {minute} is not a freezer temperature"
            ));
        }
        Ok(CurvePoint {
            minute,
            millicelsius: (celsius * 1000.0).round() as i32,
        })
    }
}

/// Temperatures over time, linearly interpolated between points and flat outside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemperatureCurve {
    points: Vec<CurvePoint>,
}

impl Default for TemperatureCurve {
    /// A healthy freezer: −18 °C.
    fn default() -> Self {
        TemperatureCurve {
            points: vec![CurvePoint {
                minute: 0,
                millicelsius: -18_000,
            }],
        }
    }
}

impl TemperatureCurve {
    /// A curve through `points` (by increasing minute; the settings check it); the default
    /// freezer when empty.
    pub fn new(points: &[CurvePoint]) -> TemperatureCurve {
        if points.is_empty() {
            return TemperatureCurve::default();
        }
        TemperatureCurve {
            points: points.to_vec(),
        }
    }

    /// The temperature `elapsed_ms` after the start, in thousandths of °C.
    pub fn at(&self, elapsed_ms: u64) -> i32 {
        let minute = elapsed_ms as f64 / 60_000.0;
        let after = self
            .points
            .iter()
            .position(|p| f64::from(p.minute) > minute);
        match after {
            Some(0) => self.points[0].millicelsius,
            None => self.points[self.points.len() - 1].millicelsius,
            Some(i) => {
                let (a, b) = (self.points[i - 1], self.points[i]);
                let share = (minute - f64::from(a.minute)) / f64::from(b.minute - a.minute);
                let delta = f64::from(b.millicelsius - a.millicelsius);
                a.millicelsius + (delta * share).round() as i32
            }
        }
    }
}

/// How the simulated door behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DoorMode {
    /// Like a resident: opens `opens_after_ms` after an unlock, stays open `open_for_ms`.
    Resident {
        opens_after_ms: u64,
        open_for_ms: u64,
    },
    /// Open or closed as a test (or a person at the demo) says.
    ByHand(bool),
}

/// What a simulated device remembers, for tests to look at. Lists are capped so a demo left
/// running for weeks does not grow.
const HISTORY: usize = 256;

#[derive(Debug)]
struct State {
    locked: bool,
    lock_history: Vec<bool>,
    unlocked_at_ms: Option<u64>,
    door: DoorMode,
    sounds: Vec<BuzzPattern>,
    led: LedState,
    curve: TemperatureCurve,
    silent_minutes: Vec<(u32, u32)>,
    probe_started_ms: u64,
    forced_temperature: Option<i32>,
    vanished: bool,
}

fn remember<T>(list: &mut Vec<T>, item: T) {
    if list.len() == HISTORY {
        list.remove(0);
    }
    list.push(item);
}

/// The shared state of the simulated devices, and the handle to drive them.
#[derive(Clone)]
pub struct Simulation {
    state: Arc<Mutex<State>>,
    clock: Arc<dyn Clock>,
}

impl Simulation {
    /// A locked freezer at the curve's temperature whose door a simulated resident opens
    /// `opens_after_ms` after each unlock and closes `open_for_ms` later (0: the door is driven
    /// by hand with [`Simulation::set_door_open`]).
    pub fn new(clock: Arc<dyn Clock>, curve: TemperatureCurve, door_ms: (u64, u64)) -> Simulation {
        let door = match door_ms {
            (_, 0) => DoorMode::ByHand(false),
            (opens_after_ms, open_for_ms) => DoorMode::Resident {
                opens_after_ms,
                open_for_ms,
            },
        };
        let state = State {
            locked: true,
            lock_history: Vec::new(),
            unlocked_at_ms: None,
            door,
            sounds: Vec::new(),
            led: LedState::Off,
            curve,
            silent_minutes: Vec::new(),
            probe_started_ms: clock.monotonic_ms(),
            forced_temperature: None,
            vanished: false,
        };
        Simulation {
            state: Arc::new(Mutex::new(state)),
            clock,
        }
    }

    /// A freezer at −18 °C whose door is driven by hand: what most tests want.
    pub fn by_hand(clock: Arc<dyn Clock>) -> Simulation {
        Simulation::new(clock, TemperatureCurve::default(), (0, 0))
    }

    /// The probe is silent during these (from, to) minute ranges of the curve.
    pub fn with_silent_minutes(self, ranges: &[(u32, u32)]) -> Simulation {
        self.state().silent_minutes = ranges.to_vec();
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every simulated device, sharing this state.
    pub fn hardware(&self) -> Hardware {
        Hardware {
            lock: Box::new(SimLock(self.clone())),
            door: Some(Box::new(SimDoor(self.clone()))),
            buzzer: Arc::new(SimBuzzer(self.clone())),
            led: Box::new(SimLed(self.clone())),
            probe: Some(Box::new(SimProbe(self.clone()))),
            simulation: Some(self.clone()),
        }
    }

    pub fn is_locked(&self) -> bool {
        self.state().locked
    }

    /// Every state the lock was put in, in order (`true` = locked).
    pub fn lock_history(&self) -> Vec<bool> {
        self.state().lock_history.clone()
    }

    /// Opens or closes the door by hand (from then on the simulated resident no longer does).
    pub fn set_door_open(&self, open: bool) {
        self.state().door = DoorMode::ByHand(open);
    }

    /// The sounds played since the last call.
    pub fn take_sounds(&self) -> Vec<BuzzPattern> {
        std::mem::take(&mut self.state().sounds)
    }

    pub fn led(&self) -> LedState {
        self.state().led
    }

    /// Holds the probe at a temperature (thousandths of °C), overriding the curve.
    pub fn set_temperature(&self, millicelsius: i32) {
        self.state().forced_temperature = Some(millicelsius);
    }

    /// The probe stops answering (`true`) or answers again.
    pub fn set_probe_vanished(&self, vanished: bool) {
        self.state().vanished = vanished;
    }

    fn door_open(&self) -> bool {
        let now = self.clock.monotonic_ms();
        let state = self.state();
        match (state.door, state.unlocked_at_ms) {
            (DoorMode::ByHand(open), _) => open,
            (
                DoorMode::Resident {
                    opens_after_ms,
                    open_for_ms,
                },
                Some(at),
            ) => (at + opens_after_ms..at + opens_after_ms + open_for_ms).contains(&now),
            (DoorMode::Resident { .. }, None) => false,
        }
    }

    fn temperature(&self) -> Result<i32, ProbeProblem> {
        let now = self.clock.monotonic_ms();
        let state = self.state();
        let elapsed = now.saturating_sub(state.probe_started_ms);
        let minute = (elapsed / 60_000) as u32;
        let silent = state
            .silent_minutes
            .iter()
            .any(|&(from, to)| (from..to).contains(&minute));
        if state.vanished || silent {
            return Err(ProbeProblem::Simulated);
        }
        Ok(state
            .forced_temperature
            .unwrap_or_else(|| state.curve.at(elapsed)))
    }
}

struct SimLock(Simulation);

impl DoorLock for SimLock {
    fn apply(&mut self, command: LockCommand) -> Result<(), HardwareError> {
        let locked = command == LockCommand::Lock;
        let now = self.0.clock.monotonic_ms();
        let mut state = self.0.state();
        if !locked && state.locked {
            state.unlocked_at_ms = Some(now);
        }
        state.locked = locked;
        remember(&mut state.lock_history, locked);
        tracing::info!(?command, "simulated door lock");
        Ok(())
    }
}

struct SimDoor(Simulation);

impl DoorSwitch for SimDoor {
    fn is_open(&mut self) -> Result<bool, HardwareError> {
        Ok(self.0.door_open())
    }
}

struct SimBuzzer(Simulation);

impl Buzzer for SimBuzzer {
    fn play(&self, pattern: BuzzPattern) {
        tracing::info!(?pattern, "simulated buzzer");
        remember(&mut self.0.state().sounds, pattern);
    }
}

struct SimLed(Simulation);

impl StatusLed for SimLed {
    fn show(&mut self, state: LedState) {
        tracing::info!(?state, "simulated status LED");
        self.0.state().led = state;
    }
}

struct SimProbe(Simulation);

impl TemperatureProbe for SimProbe {
    fn read_millicelsius(&mut self) -> Result<i32, HardwareError> {
        self.0
            .temperature()
            .map_err(|problem| HardwareError::Probe {
                device: self.describe(),
                problem,
            })
    }

    fn describe(&self) -> String {
        "simulated probe".into()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::DateTime;

    use super::*;
    use crate::hardware::ManualClock;

    fn point(minute: u32, celsius: f64) -> CurvePoint {
        CurvePoint::try_from((minute, celsius)).unwrap()
    }

    #[test]
    fn a_curve_interpolates_between_points_and_is_flat_outside() {
        let curve = TemperatureCurve::new(&[point(10, -18.0), point(40, -6.0), point(60, -6.0)]);
        let minute = |m: u64| curve.at(m * 60_000);
        assert_eq!(minute(0), -18_000);
        assert_eq!(minute(10), -18_000);
        assert_eq!(minute(25), -12_000);
        assert_eq!(minute(40), -6_000);
        assert_eq!(minute(500), -6_000);
        assert_eq!(TemperatureCurve::new(&[]).at(0), -18_000);
        assert!(CurvePoint::try_from((0, 300.0)).is_err());
    }

    #[test]
    fn the_resident_opens_the_door_after_an_unlock_and_closes_it() {
        let clock = Arc::new(ManualClock::new(DateTime::UNIX_EPOCH));
        let sim = Simulation::new(clock.clone(), TemperatureCurve::default(), (1000, 4000));
        let mut hardware = sim.hardware();
        let door = hardware.door.as_mut().unwrap();
        assert!(!door.is_open().unwrap(), "no unlock, no resident");
        let mut lock = SimLock(sim.clone());
        lock.apply(LockCommand::Lock).unwrap();
        assert_eq!(sim.lock_history(), [true]);
        sim.state().locked = false;
        sim.state().unlocked_at_ms = Some(0);
        clock.advance(Duration::from_millis(999));
        assert!(!door.is_open().unwrap());
        clock.advance(Duration::from_millis(1));
        assert!(door.is_open().unwrap());
        clock.advance(Duration::from_millis(4000));
        assert!(!door.is_open().unwrap());
    }

    #[test]
    fn the_probe_follows_its_curve_and_falls_silent_when_told() {
        let clock = Arc::new(ManualClock::new(DateTime::UNIX_EPOCH));
        let sim = Simulation::new(
            clock.clone(),
            TemperatureCurve::new(&[point(0, -18.0), point(10, -8.0)]),
            (0, 0),
        )
        .with_silent_minutes(&[(20, 30)]);
        let mut probe = SimProbe(sim.clone());
        assert_eq!(probe.read_millicelsius().unwrap(), -18_000);
        clock.advance(Duration::from_secs(5 * 60));
        assert_eq!(probe.read_millicelsius().unwrap(), -13_000);
        clock.advance(Duration::from_secs(20 * 60));
        assert!(
            probe.read_millicelsius().is_err(),
            "silent from minute 20 to 30"
        );
        clock.advance(Duration::from_secs(10 * 60));
        assert_eq!(probe.read_millicelsius().unwrap(), -8_000);
        sim.set_probe_vanished(true);
        assert!(probe.read_millicelsius().is_err());
        sim.set_probe_vanished(false);
        sim.set_temperature(-3_000);
        assert_eq!(probe.read_millicelsius().unwrap(), -3_000);
    }
}
