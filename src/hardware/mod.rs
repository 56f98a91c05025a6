//! The freezer's hardware and its cold-chain watch: door lock, door switch, buzzer, status LED,
//! temperature probe, and the worker thread that drives them.
//!
//! Why it is shaped this way:
//!
//! - **Every device is behind a small trait** ([`DoorLock`], [`DoorSwitch`], [`Buzzer`],
//!   [`StatusLed`], [`TemperatureProbe`]) with a Raspberry Pi implementation (`rppal` GPIO, the
//!   Linux 1-Wire sysfs for the DS18B20) and a simulated one, chosen by [`HardwareSettings`], so the
//!   whole kiosk runs on a laptop and the tests drive the hardware by hand.
//! - **The decisions are pure**: when the lock may open ([`LockController`]), when a bouncing
//!   switch has settled ([`Debouncer`]), when the freezer is too warm
//!   ([`crate::domain::cold_chain`]). The worker only reads devices, feeds those state machines
//!   and carries out what they say.
//! - **The lock opens only for a committed sale**: unlocking takes a [`SaleGrant`], which only
//!   [`LockController::sale_committed`] makes, and the worker calls it only after reading the
//!   sale back from the kiosk database (see [`HardwareHandle::unlock_for_sale`]).
//! - **One worker thread** ([`HardwareHandle::spawn`]) owns the devices and its own database
//!   connection, samples the probe every minute, polls the door every 100 ms, and records alarms
//!   in the event log in the same transaction as their state. Time comes from a [`Clock`], so the
//!   tests run hours of simulated time without sleeping.
//! - Nothing here blocks the caller: sounds and blinking play on their own threads.

mod debounce;
mod error;
mod lock;
mod patterns;
mod pi;
mod settings;
mod simulated;
mod w1;
mod worker;

use std::sync::Arc;

pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use debounce::Debouncer;
pub use error::{HardwareError, ProbeProblem};
pub use lock::{LockCommand, LockController, RelockReason, SaleGrant};
pub use patterns::{BuzzPattern, LedState};
pub use settings::{DoorPull, HardwareSettings, SimulationSettings, build, build_with_clock};
pub use simulated::{CurvePoint, Simulation, TemperatureCurve};
pub use w1::{Ds18b20, parse_w1_slave};
pub use worker::{EventSink, HardwareEvent, HardwareHandle, HardwareStatus, WorkerOptions};

pub use crate::store::ColdChainHold;

/// The electric lock (a relay driving a solenoid or magnetic lock).
///
/// Only a [`LockCommand::Unlock`] opens it, and that command carries a [`SaleGrant`] which only
/// the [`LockController`] can make: an implementation cannot be asked to open by anything else.
pub trait DoorLock: Send {
    fn apply(&mut self, command: LockCommand) -> Result<(), HardwareError>;
}

/// The door switch (a reed switch): the raw, undebounced reading.
pub trait DoorSwitch: Send {
    fn is_open(&mut self) -> Result<bool, HardwareError>;
}

/// The buzzer. `play` returns at once: the pattern plays on the buzzer's own thread, and a new
/// pattern replaces the one playing. Shared between the worker and the kiosk (`Sync`), so a scan's
/// beep never waits for the worker.
pub trait Buzzer: Send + Sync {
    fn play(&self, pattern: BuzzPattern);
}

/// The status LED. `show` returns at once; blinking runs on the LED's own thread.
pub trait StatusLed: Send {
    fn show(&mut self, state: LedState);
}

/// The freezer's thermometer.
pub trait TemperatureProbe: Send {
    /// One reading in thousandths of a degree Celsius, or why there is none.
    fn read_millicelsius(&mut self) -> Result<i32, HardwareError>;
    /// What the probe is, for logs and messages (e.g. "DS18B20 28-0316a2795aff").
    fn describe(&self) -> String;
}

/// A lock that is not there: a freezer without a lock relay.
struct NoLock;

impl DoorLock for NoLock {
    fn apply(&mut self, _: LockCommand) -> Result<(), HardwareError> {
        Ok(())
    }
}

/// A buzzer that is not there.
struct NoBuzzer;

impl Buzzer for NoBuzzer {
    fn play(&self, _: BuzzPattern) {}
}

/// An LED that is not there.
struct NoLed;

impl StatusLed for NoLed {
    fn show(&mut self, _: LedState) {}
}

/// The devices of one freezer, as [`build`] makes them from the settings (or a test from fakes).
/// Handed whole to [`HardwareHandle::spawn`], which owns them from then on.
pub struct Hardware {
    lock: Box<dyn DoorLock>,
    door: Option<Box<dyn DoorSwitch>>,
    buzzer: Arc<dyn Buzzer>,
    led: Box<dyn StatusLed>,
    probe: Option<Box<dyn TemperatureProbe>>,
    simulation: Option<Simulation>,
}

impl std::fmt::Debug for Hardware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hardware")
            .field("door_switch", &self.door.is_some())
            .field("probe", &self.probe.as_ref().map(|p| p.describe()))
            .field("simulated", &self.simulation.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Hardware {
    /// A freezer with no devices at all: nothing to lock, watch or sound.
    fn default() -> Self {
        Hardware {
            lock: Box::new(NoLock),
            door: None,
            buzzer: Arc::new(NoBuzzer),
            led: Box::new(NoLed),
            probe: None,
            simulation: None,
        }
    }
}

impl Hardware {
    pub fn with_lock(mut self, lock: Box<dyn DoorLock>) -> Hardware {
        self.lock = lock;
        self
    }

    pub fn with_door(mut self, door: Box<dyn DoorSwitch>) -> Hardware {
        self.door = Some(door);
        self
    }

    pub fn with_buzzer(mut self, buzzer: Arc<dyn Buzzer>) -> Hardware {
        self.buzzer = buzzer;
        self
    }

    pub fn with_led(mut self, led: Box<dyn StatusLed>) -> Hardware {
        self.led = led;
        self
    }

    pub fn with_probe(mut self, probe: Box<dyn TemperatureProbe>) -> Hardware {
        self.probe = Some(probe);
        self
    }

    /// The simulation behind simulated devices, to drive them (the demo's door, a test's probe).
    pub fn simulation(&self) -> Option<&Simulation> {
        self.simulation.as_ref()
    }

    /// Whether a door switch is fitted (without one, the lock relocks on its timeout only).
    pub fn has_door_switch(&self) -> bool {
        self.door.is_some()
    }

    /// Whether a temperature probe is fitted (without one, there is no cold-chain watch).
    pub fn has_probe(&self) -> bool {
        self.probe.is_some()
    }
}
