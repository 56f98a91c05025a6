//! The freezer's DS18B20 probe, read through the Linux 1-Wire driver's files under
//! `/sys/bus/w1/devices` (enabled on a Pi by `dtoverlay=w1-gpio`).
//!
//! Reading `28-…/w1_slave` makes the kernel convert and answers two lines: the scratchpad with
//! its CRC verdict (`crc=e1 YES`), then the same bytes with `t=-18062` (thousandths of °C). Newer
//! kernels also offer a `temperature` file with the number alone, used when `w1_slave` is absent.
//! A reading is refused — and counts as no reading — when the CRC fails, when the scratchpad is all
//! zeros (a shorted line or a missing pull-up reads that way and still "passes" the CRC), when it
//! is exactly 85 °C (the value a DS18B20 holds after a power-on reset, before any conversion), or
//! when it is outside the sensor's range. A probe whose folder disappears is missing. The sysfs
//! root is a parameter, so the tests use a temp folder with fake files.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::{HardwareError, ProbeProblem, TemperatureProbe};

/// The default place of the 1-Wire devices.
pub const W1_ROOT: &str = "/sys/bus/w1/devices";

/// What a DS18B20 reads after a power-on reset, before it has converted anything.
const POWER_ON_RESET_MILLICELSIUS: i32 = 85_000;
/// The DS18B20's range: −55 °C to +125 °C.
const RANGE_MILLICELSIUS: std::ops::RangeInclusive<i32> = -55_000..=125_000;

/// Parses the text of a `w1_slave` file.
pub fn parse_w1_slave(text: &str) -> Result<i32, ProbeProblem> {
    let unreadable = || ProbeProblem::Unreadable(text.trim().chars().take(80).collect());
    let mut lines = text.lines();
    let (crc_line, data_line) = (lines.next().ok_or_else(unreadable)?, lines.next());
    let (bytes, verdict) = crc_line.split_once(" : ").ok_or_else(unreadable)?;
    if !verdict.trim_end().ends_with("YES") {
        return Err(ProbeProblem::CrcError);
    }
    if bytes.split_whitespace().all(|byte| byte == "00") {
        return Err(ProbeProblem::AllZero);
    }
    let value = data_line
        .and_then(|line| line.rsplit_once("t="))
        .ok_or_else(unreadable)?
        .1;
    let millicelsius = value.trim().parse().map_err(|_| unreadable())?;
    plausible(millicelsius)
}

/// Parses the text of a `temperature` file (thousandths of °C alone).
fn parse_temperature_file(text: &str) -> Result<i32, ProbeProblem> {
    let millicelsius = text
        .trim()
        .parse()
        .map_err(|_| ProbeProblem::Unreadable(text.trim().chars().take(80).collect()))?;
    plausible(millicelsius)
}

fn plausible(millicelsius: i32) -> Result<i32, ProbeProblem> {
    if millicelsius == POWER_ON_RESET_MILLICELSIUS {
        Err(ProbeProblem::PowerOnReset)
    } else if !RANGE_MILLICELSIUS.contains(&millicelsius) {
        Err(ProbeProblem::OutOfRange(millicelsius))
    } else {
        Ok(millicelsius)
    }
}

/// Whether `id` looks like a 1-Wire device id (family code, dash, hex serial) and nothing else,
/// so a setting can never point outside the sysfs root.
pub(crate) fn is_device_id(id: &str) -> bool {
    let Some((family, serial)) = id.split_once('-') else {
        return false;
    };
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    family.len() == 2 && hex(family) && serial.len() <= 16 && hex(serial)
}

/// A DS18B20 on the 1-Wire bus.
#[derive(Debug, Clone)]
pub struct Ds18b20 {
    id: String,
    dir: PathBuf,
}

impl Ds18b20 {
    /// The probe `device` (an id such as `28-0316a2795aff`) under `root`, or the only DS18B20
    /// there when `device` is `None`. Fails when the bus itself is missing, or when no device is
    /// named and there is not exactly one. A named probe that is absent now is accepted (it may be
    /// reconnected); the worker raises "probe lost" while it stays away.
    pub fn open(root: &Path, device: Option<&str>) -> Result<Ds18b20, HardwareError> {
        if !root.is_dir() {
            return Err(HardwareError::NoW1Bus {
                root: root.to_owned(),
            });
        }
        let id = match device {
            Some(id) => id.to_owned(),
            None => Self::find_the_only_one(root)?,
        };
        if !root.join(&id).is_dir() {
            tracing::warn!(probe = %id, root = %root.display(), "temperature probe not found now");
        }
        Ok(Ds18b20 {
            dir: root.join(&id),
            id,
        })
    }

    fn find_the_only_one(root: &Path) -> Result<String, HardwareError> {
        let entries = fs::read_dir(root).map_err(|_| HardwareError::NoW1Bus {
            root: root.to_owned(),
        })?;
        let mut found: Vec<String> = entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with("28-") && is_device_id(name))
            .collect();
        found.sort();
        match found.len() {
            0 => Err(HardwareError::NoProbeFound {
                root: root.to_owned(),
            }),
            1 => Ok(found.remove(0)),
            _ => Err(HardwareError::SeveralProbes {
                root: root.to_owned(),
                found: found.join(", "),
            }),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn read(&self) -> Result<i32, ProbeProblem> {
        match fs::read_to_string(self.dir.join("w1_slave")) {
            Ok(text) => return parse_w1_slave(&text),
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(ProbeProblem::Io(e.to_string()));
            }
            Err(_) => {}
        }
        match fs::read_to_string(self.dir.join("temperature")) {
            Ok(text) => parse_temperature_file(&text),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(ProbeProblem::Missing),
            Err(e) => Err(ProbeProblem::Io(e.to_string())),
        }
    }
}

impl TemperatureProbe for Ds18b20 {
    fn read_millicelsius(&mut self) -> Result<i32, HardwareError> {
        self.read().map_err(|problem| HardwareError::Probe {
            device: self.describe(),
            problem,
        })
    }

    fn describe(&self) -> String {
        format!("DS18B20 {}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    const GOOD: &str =
        "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n";
    const FROZEN: &str =
        "ee fe 4b 46 7f ff 02 10 95 : crc=95 YES\nee fe 4b 46 7f ff 02 10 95 t=-17125\n";

    #[rstest]
    #[case::room_temperature(GOOD, Ok(23_125))]
    #[case::frozen(FROZEN, Ok(-17_125))]
    #[case::crc_error(
        "72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n",
        Err(ProbeProblem::CrcError)
    )]
    #[case::power_on_reset(
        "50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n",
        Err(ProbeProblem::PowerOnReset)
    )]
    #[case::all_zero(
        "00 00 00 00 00 00 00 00 00 : crc=00 YES\n00 00 00 00 00 00 00 00 00 t=0\n",
        Err(ProbeProblem::AllZero)
    )]
    #[case::out_of_range(
        "ff 07 4b 46 7f ff 01 10 aa : crc=aa YES\nff 07 4b 46 7f ff 01 10 aa t=127937\n",
        Err(ProbeProblem::OutOfRange(127_937))
    )]
    #[case::truncated("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n", Err(ProbeProblem::Unreadable(
        "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES".into()
    )))]
    #[case::empty("", Err(ProbeProblem::Unreadable(String::new())))]
    fn w1_slave(#[case] text: &str, #[case] expected: Result<i32, ProbeProblem>) {
        assert_eq!(parse_w1_slave(text), expected);
    }

    #[rstest]
    #[case("28-0316a2795aff", true)]
    #[case("10-000802b4ba0e", true)]
    #[case("28-", false)]
    #[case("../../etc", false)]
    #[case("28-0316a2795aff/../x", false)]
    #[case("w1_bus_master1", false)]
    fn device_ids(#[case] id: &str, #[case] ok: bool) {
        assert_eq!(is_device_id(id), ok);
    }

    fn fake_bus(devices: &[(&str, &str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("w1_bus_master1")).unwrap();
        for (id, file, text) in devices {
            fs::create_dir_all(root.path().join(id)).unwrap();
            fs::write(root.path().join(id).join(file), text).unwrap();
        }
        root
    }

    #[test]
    fn the_only_probe_is_found_and_read_until_it_vanishes() {
        let root = fake_bus(&[("28-0316a2795aff", "w1_slave", FROZEN)]);
        let mut probe = Ds18b20::open(root.path(), None).unwrap();
        assert_eq!(probe.id(), "28-0316a2795aff");
        assert_eq!(probe.read_millicelsius().unwrap(), -17_125);
        fs::write(
            root.path().join("28-0316a2795aff/w1_slave"),
            GOOD.replace("YES", "NO"),
        )
        .unwrap();
        let error = probe.read_millicelsius().unwrap_err();
        assert_eq!(
            error.to_string(),
            "temperature probe DS18B20 28-0316a2795aff: the reading failed its CRC check (noise \
             on the wire)"
        );
        fs::remove_dir_all(root.path().join("28-0316a2795aff")).unwrap();
        assert!(matches!(
            probe.read_millicelsius(),
            Err(HardwareError::Probe {
                problem: ProbeProblem::Missing,
                ..
            })
        ));
    }

    #[test]
    fn the_newer_temperature_file_is_read_when_w1_slave_is_absent() {
        let root = fake_bus(&[("28-00000a1b2c3d", "temperature", "-18062\n")]);
        let mut probe = Ds18b20::open(root.path(), Some("28-00000a1b2c3d")).unwrap();
        assert_eq!(probe.read_millicelsius().unwrap(), -18_062);
    }

    #[test]
    fn a_named_probe_that_is_absent_now_is_accepted_and_reads_as_missing() {
        let root = fake_bus(&[]);
        let mut probe = Ds18b20::open(root.path(), Some("28-0316a2795aff")).unwrap();
        assert!(probe.read_millicelsius().is_err());
    }

    #[test]
    fn discovery_errors_say_what_to_do() {
        let missing = Ds18b20::open(Path::new("/nonexistent/w1"), None).unwrap_err();
        assert!(
            missing.to_string().contains("dtoverlay=w1-gpio"),
            "{missing}"
        );
        let empty = fake_bus(&[]);
        let none = Ds18b20::open(empty.path(), None).unwrap_err();
        assert!(matches!(none, HardwareError::NoProbeFound { .. }), "{none}");
        let two = fake_bus(&[
            ("28-000000000002", "w1_slave", GOOD),
            ("28-000000000001", "w1_slave", GOOD),
        ]);
        let several = Ds18b20::open(two.path(), None).unwrap_err();
        assert!(
            several
                .to_string()
                .contains("(28-000000000001, 28-000000000002): set hardware.w1_device"),
            "{several}"
        );
    }
}
