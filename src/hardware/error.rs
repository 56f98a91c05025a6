//! What can go wrong with the freezer's hardware, in words a person installing a kiosk can act on.
//!
//! Every message names the device and its GPIO pin or 1-Wire id, because the usual cause is a
//! setting or a wire, and the fix starts with knowing which one.

use std::path::PathBuf;

use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum HardwareError {
    #[error(
        "{device} on GPIO {pin}: this is not a Raspberry Pi ({detail}); \
         set `simulated = true` under [hardware] to run without the freezer's hardware"
    )]
    NotAPi {
        device: &'static str,
        pin: u8,
        detail: String,
    },
    #[error("{device} on GPIO {pin}: {detail}")]
    Gpio {
        device: &'static str,
        pin: u8,
        detail: String,
    },
    #[error(
        "hardware.{setting}: GPIO {pin} is not a pin of the 40-pin header \
         (use a BCM GPIO number from 0 to 27)"
    )]
    InvalidPin { setting: &'static str, pin: u8 },
    #[error("GPIO {pin} is set for both hardware.{first} and hardware.{second}")]
    PinUsedTwice {
        pin: u8,
        first: &'static str,
        second: &'static str,
    },
    #[error("hardware.{setting}: {problem}")]
    Setting {
        setting: &'static str,
        problem: String,
    },
    #[error(
        "no 1-Wire bus at {}: enable it with `dtoverlay=w1-gpio` in /boot/firmware/config.txt \
         and reboot, or set `temperature_probe = false` under [hardware]",
        root.display()
    )]
    NoW1Bus { root: PathBuf },
    #[error(
        "no DS18B20 temperature probe (a 28-… device) under {}: check its wiring and 4.7 kΩ \
         pull-up, or set `temperature_probe = false` under [hardware]",
        root.display()
    )]
    NoProbeFound { root: PathBuf },
    #[error(
        "several DS18B20 probes under {} ({found}): set hardware.w1_device to the freezer's",
        root.display()
    )]
    SeveralProbes { root: PathBuf, found: String },
    #[error("temperature probe {device}: {problem}")]
    Probe {
        device: String,
        problem: ProbeProblem,
    },
    #[error("hardware worker: {0}")]
    Store(#[from] StoreError),
    #[error("the hardware worker has stopped")]
    WorkerStopped,
    #[error("could not start the {0} thread: {1}")]
    Thread(&'static str, std::io::Error),
}

/// Why a temperature probe gave no reading.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProbeProblem {
    #[error("not found (unplugged, or a broken wire)")]
    Missing,
    #[error("the reading failed its CRC check (noise on the wire)")]
    CrcError,
    #[error("85 °C, the probe's power-on value: it was reset before converting (power supply?)")]
    PowerOnReset,
    #[error("all-zero data: the data line is probably shorted or missing its pull-up")]
    AllZero,
    #[error("{0} m°C is outside the DS18B20's range (−55 to +125 °C)")]
    OutOfRange(i32),
    #[error("unreadable answer «{0}»")]
    Unreadable(String),
    #[error("{0}")]
    Io(String),
    #[error("silent (simulated)")]
    Simulated,
}
