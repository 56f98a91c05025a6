//! The `[hardware]` section of the kiosk's settings, and [`build`], which turns it into devices.
//!
//! Simulated hardware is the default, so `cargo run` on a laptop works. A Pi names its pins (BCM
//! GPIO numbers) and its probe; every optional device is simply left out when absent. The
//! settings are checked once, at start-up, with an error naming the setting (a pin outside the
//! header, a pin used twice); building real devices off a Pi fails with a message naming the
//! device and its pin. See `deploy/pi/kiosk.toml` for a commented example.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::pi::PiGpio;
use super::simulated::CurvePoint;
use super::w1::{self, Ds18b20};
use super::{
    Clock, Hardware, HardwareError, Simulation, SystemClock, TemperatureCurve, WorkerOptions,
};

/// How the door switch's input is biased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DoorPull {
    /// The Pi's internal pull-up (a switch to ground).
    #[default]
    Up,
    /// The Pi's internal pull-down (a switch to 3.3 V).
    Down,
    /// An external resistor.
    None,
}

/// The simulated freezer (when `simulated = true`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationSettings {
    /// `[minute, °C]` points, linearly interpolated; empty: a steady −18 °C.
    pub curve: Vec<CurvePoint>,
    /// `[from, to]` minute ranges during which the probe does not answer.
    pub silent_minutes: Vec<[u32; 2]>,
    /// The simulated resident opens the door this long after an unlock…
    pub door_opens_after_seconds: u32,
    /// …and closes it this long after opening it (0: only by hand).
    pub door_closes_after_seconds: u32,
}

impl Default for SimulationSettings {
    fn default() -> Self {
        SimulationSettings {
            curve: Vec::new(),
            silent_minutes: Vec::new(),
            door_opens_after_seconds: 1,
            door_closes_after_seconds: 5,
        }
    }
}

/// The freezer's hardware, from the `[hardware]` section of the kiosk's settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HardwareSettings {
    /// Simulated devices (the demo, a laptop) instead of the Pi's.
    pub simulated: bool,
    /// How long the lock stays open after a sale if nobody opens the door.
    pub unlock_seconds: u32,
    /// GPIO of the door-lock relay; none: no lock.
    pub lock_pin: Option<u8>,
    /// The level that opens the lock (most relay boards: low, so `false`).
    pub lock_active_high: bool,
    /// GPIO of the door switch; none: no switch (the lock then relocks on its timeout only).
    pub door_pin: Option<u8>,
    /// Whether the input reads high when the door is open (a switch to ground with the pull-up,
    /// closed by the door's magnet: `true`).
    pub door_open_is_high: bool,
    pub door_pull: DoorPull,
    /// GPIO of an active buzzer; none: silent.
    pub buzzer_pin: Option<u8>,
    pub buzzer_active_high: bool,
    /// GPIO of the status LED; none: no LED.
    pub led_pin: Option<u8>,
    pub led_active_high: bool,
    /// Whether a DS18B20 watches the freezer.
    pub temperature_probe: bool,
    /// The probe's 1-Wire id (e.g. `28-0316a2795aff`); none: the only DS18B20 on the bus.
    /// Naming it is better: a kiosk whose named probe died starts and raises "probe lost",
    /// while one told to find "the only probe" cannot start without one.
    pub w1_device: Option<String>,
    /// Where the 1-Wire devices appear.
    pub w1_root: PathBuf,
    pub simulation: SimulationSettings,
}

impl Default for HardwareSettings {
    fn default() -> Self {
        HardwareSettings {
            simulated: true,
            unlock_seconds: 60,
            lock_pin: None,
            lock_active_high: false,
            door_pin: None,
            door_open_is_high: true,
            door_pull: DoorPull::Up,
            buzzer_pin: None,
            buzzer_active_high: true,
            led_pin: None,
            led_active_high: true,
            temperature_probe: true,
            w1_device: None,
            w1_root: PathBuf::from(w1::W1_ROOT),
            simulation: SimulationSettings::default(),
        }
    }
}

/// The GPIO pins of the 40-pin header (BCM numbers).
const HEADER_PINS: std::ops::RangeInclusive<u8> = 0..=27;

impl HardwareSettings {
    /// Checks the settings; the error names the setting.
    pub fn validate(&self) -> Result<(), HardwareError> {
        self.validate_pins()?;
        if !(5..=600).contains(&self.unlock_seconds) {
            return Err(setting(
                "unlock_seconds",
                "must be between 5 and 600 seconds",
            ));
        }
        if let Some(id) = &self.w1_device
            && !w1::is_device_id(id)
        {
            return Err(setting(
                "w1_device",
                format!("«{id}» is not a 1-Wire id such as 28-0316a2795aff"),
            ));
        }
        self.validate_simulation()
    }

    fn pins(&self) -> [(&'static str, Option<u8>); 4] {
        [
            ("lock_pin", self.lock_pin),
            ("door_pin", self.door_pin),
            ("buzzer_pin", self.buzzer_pin),
            ("led_pin", self.led_pin),
        ]
    }

    fn validate_pins(&self) -> Result<(), HardwareError> {
        let pins: Vec<(&'static str, u8)> = self
            .pins()
            .into_iter()
            .filter_map(|(name, pin)| Some((name, pin?)))
            .collect();
        for (i, &(name, pin)) in pins.iter().enumerate() {
            if !HEADER_PINS.contains(&pin) {
                return Err(HardwareError::InvalidPin { setting: name, pin });
            }
            if let Some(&(first, _)) = pins[..i].iter().find(|&&(_, other)| other == pin) {
                return Err(HardwareError::PinUsedTwice {
                    pin,
                    first,
                    second: name,
                });
            }
        }
        Ok(())
    }

    fn validate_simulation(&self) -> Result<(), HardwareError> {
        let sim = &self.simulation;
        if sim.curve.windows(2).any(|w| w[0].minute >= w[1].minute) {
            return Err(setting(
                "simulation.curve",
                "the points' minutes must increase from one point to the next",
            ));
        }
        if sim.silent_minutes.iter().any(|[from, to]| from >= to) {
            return Err(setting(
                "simulation.silent_minutes",
                "each range is [from, to] with from < to",
            ));
        }
        if sim.door_opens_after_seconds >= self.unlock_seconds {
            return Err(setting(
                "simulation.door_opens_after_seconds",
                "the simulated resident must open the door before the lock's window ends",
            ));
        }
        Ok(())
    }

    /// The worker's timing for these settings.
    pub fn worker_options(&self) -> WorkerOptions {
        WorkerOptions {
            unlock_window: Duration::from_secs(u64::from(self.unlock_seconds)),
            ..WorkerOptions::default()
        }
    }
}

fn setting(name: &'static str, problem: impl Into<String>) -> HardwareError {
    HardwareError::Setting {
        setting: name,
        problem: problem.into(),
    }
}

/// The devices the settings describe, with the real clocks.
pub fn build(settings: &HardwareSettings) -> Result<Hardware, HardwareError> {
    build_with_clock(settings, Arc::new(SystemClock::default()))
}

/// The devices the settings describe; simulated devices take their time from `clock` (give the
/// worker the same one).
pub fn build_with_clock(
    settings: &HardwareSettings,
    clock: Arc<dyn Clock>,
) -> Result<Hardware, HardwareError> {
    settings.validate()?;
    if settings.simulated {
        return Ok(simulated(settings, clock));
    }
    let mut hardware = real_gpio(settings)?;
    if settings.temperature_probe {
        let probe = Ds18b20::open(&settings.w1_root, settings.w1_device.as_deref())?;
        hardware = hardware.with_probe(Box::new(probe));
    }
    Ok(hardware)
}

fn simulated(settings: &HardwareSettings, clock: Arc<dyn Clock>) -> Hardware {
    let sim = &settings.simulation;
    let door_ms = (
        u64::from(sim.door_opens_after_seconds) * 1000,
        u64::from(sim.door_closes_after_seconds) * 1000,
    );
    let silent: Vec<(u32, u32)> = sim.silent_minutes.iter().map(|&[a, b]| (a, b)).collect();
    let simulation = Simulation::new(clock, TemperatureCurve::new(&sim.curve), door_ms)
        .with_silent_minutes(&silent);
    let mut hardware = simulation.hardware();
    if !settings.temperature_probe {
        hardware.probe = None;
    }
    hardware
}

fn real_gpio(settings: &HardwareSettings) -> Result<Hardware, HardwareError> {
    let mut gpio = PiGpio::new();
    let mut hardware = Hardware::default();
    if let Some(pin) = settings.lock_pin {
        hardware = hardware.with_lock(Box::new(gpio.lock(pin, settings.lock_active_high)?));
    }
    if let Some(pin) = settings.door_pin {
        let door = gpio.door(pin, settings.door_open_is_high, settings.door_pull)?;
        hardware = hardware.with_door(Box::new(door));
    }
    if let Some(pin) = settings.buzzer_pin {
        hardware = hardware.with_buzzer(Arc::new(gpio.buzzer(pin, settings.buzzer_active_high)?));
    }
    if let Some(pin) = settings.led_pin {
        hardware = hardware.with_led(Box::new(gpio.led(pin, settings.led_active_high)?));
    }
    Ok(hardware)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<HardwareSettings, toml::de::Error> {
        toml::from_str(text)
    }

    fn real(text: &str) -> HardwareSettings {
        parse(&format!(
            "simulated = false\ntemperature_probe = false\n{text}"
        ))
        .unwrap()
    }

    #[test]
    fn the_default_is_a_simulated_freezer_that_builds_anywhere() {
        let settings = parse("").unwrap();
        assert_eq!(settings, HardwareSettings::default());
        let hardware = build(&settings).unwrap();
        assert!(hardware.simulation().is_some());
        assert!(hardware.has_door_switch() && hardware.has_probe());
        assert_eq!(
            settings.worker_options().unlock_window,
            Duration::from_secs(60)
        );
    }

    #[test]
    fn a_simulated_curve_and_silences_are_read_from_the_settings() {
        let settings = parse(
            "[simulation]\ncurve = [[0, -18], [30, -6.5]]\nsilent_minutes = [[90, 100]]\n\
             door_closes_after_seconds = 0\n",
        )
        .unwrap();
        assert_eq!(settings.simulation.curve[1].millicelsius, -6_500);
        assert!(build(&settings).is_ok());
    }

    #[test]
    fn bad_settings_are_named() {
        let cases = [
            (
                "lock_pin = 28",
                "hardware.lock_pin: GPIO 28 is not a pin of the 40-pin header",
            ),
            (
                "lock_pin = 17\nbuzzer_pin = 17",
                "GPIO 17 is set for both hardware.lock_pin and hardware.buzzer_pin",
            ),
            (
                "unlock_seconds = 2",
                "hardware.unlock_seconds: must be between 5 and 600",
            ),
            (
                "w1_device = \"../../etc\"",
                "hardware.w1_device: «../../etc» is not a 1-Wire id",
            ),
            (
                "[simulation]\ncurve = [[10, -18], [5, -10]]",
                "hardware.simulation.curve: the points' minutes must increase",
            ),
        ];
        for (text, message) in cases {
            let error = real(text).validate().unwrap_err().to_string();
            assert!(error.starts_with(message), "{text}: {error}");
        }
        assert!(parse("lock_pn = 17").is_err(), "unknown keys are refused");
        assert!(parse("[simulation]\ncurve = [[0, 400]]").is_err());
    }

    #[test]
    fn off_a_pi_real_hardware_fails_naming_the_device_and_pin() {
        // CI and the development machine are not Pis; on a Pi this test has nothing to check.
        let settings = real("lock_pin = 17\ndoor_pin = 27");
        if let Err(error) = build(&settings) {
            let message = error.to_string();
            assert!(
                message.starts_with("door lock relay on GPIO 17: "),
                "{message}"
            );
        }
    }

    #[test]
    fn a_real_probe_needs_the_1_wire_bus() {
        let settings = parse("simulated = false\nw1_root = \"/nonexistent/w1\"").unwrap();
        let message = build(&settings).unwrap_err().to_string();
        assert!(
            message.starts_with("no 1-Wire bus at /nonexistent/w1"),
            "{message}"
        );
    }

    #[test]
    fn the_pi_example_config_parses() {
        let text = include_str!("../../deploy/pi/kiosk.toml");
        let document: toml::Table = toml::from_str(text).unwrap();
        let section = document["hardware"].clone();
        let settings: HardwareSettings = section.try_into().unwrap();
        settings.validate().unwrap();
        assert!(!settings.simulated);
        assert_eq!(settings.lock_pin, Some(17));
    }
}
