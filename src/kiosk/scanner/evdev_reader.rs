//! An evdev scanner, grabbed exclusively and read with a US layout (see [`super::keymap`]).
//!
//! Grabbing (`EVIOCGRAB`) means the scanner's keys reach no other program — not the kiosk window,
//! not a console, not LinuxKMS's Ctrl+Alt+Backspace. The device is opened and grabbed before the
//! kiosk starts, so a wrong path fails at start-up with a message naming it; if it is unplugged
//! later, the reader waits and opens it again.

use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::Duration;

use evdev::{Device, EventType};
use thiserror::Error;

use super::keymap::{KEY_RIGHTBRACE, is_ctrl, is_enter, is_shift, us_char};
use super::{KeyboardWedge, ScanSink};

#[derive(Debug, Error)]
pub enum EvdevError {
    #[error(
        "no input device matches the scanner «{0}» (a /dev/input path or vendor:product in hex)"
    )]
    NotFound(String),
    #[error("cannot open the scanner {path}: {source} (is the kiosk user in the `input` group?)")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot grab the scanner {path} for the kiosk alone: {source}")]
    Grab {
        path: String,
        source: std::io::Error,
    },
}

/// Where the scanner is: a path, or the first device with this USB vendor and product id.
fn locate(spec: &str) -> Result<PathBuf, EvdevError> {
    if spec.starts_with('/') {
        return Ok(PathBuf::from(spec));
    }
    let (vendor, product) = spec
        .split_once(':')
        .and_then(|(v, p)| {
            Some((
                u16::from_str_radix(v, 16).ok()?,
                u16::from_str_radix(p, 16).ok()?,
            ))
        })
        .ok_or_else(|| EvdevError::NotFound(spec.to_owned()))?;
    evdev::enumerate()
        .find(|(_, device)| {
            let id = device.input_id();
            id.vendor() == vendor && id.product() == product && device.supported_keys().is_some()
        })
        .map(|(path, _)| path)
        .ok_or_else(|| EvdevError::NotFound(spec.to_owned()))
}

fn open_grabbed(spec: &str) -> Result<(PathBuf, Device), EvdevError> {
    let path = locate(spec)?;
    let shown = path.display().to_string();
    let mut device = Device::open(&path).map_err(|source| EvdevError::Open {
        path: shown.clone(),
        source,
    })?;
    device.grab().map_err(|source| EvdevError::Grab {
        path: shown,
        source,
    })?;
    Ok((path, device))
}

/// Opens and grabs the scanner now, then reads it on its own thread, sending each scan to `sink`.
pub fn start(spec: &str, sink: ScanSink) -> Result<JoinHandle<()>, EvdevError> {
    let (path, device) = open_grabbed(spec)?;
    tracing::info!(path = %path.display(), "evdev scanner grabbed");
    let spec = spec.to_owned();
    Ok(std::thread::Builder::new()
        .name("scanner-evdev".into())
        .spawn(move || read_forever(spec, device, sink))
        .expect("spawning a thread"))
}

fn read_forever(spec: String, mut device: Device, sink: ScanSink) {
    let started = std::time::Instant::now();
    let mut keys = KeyState::default();
    loop {
        let failed = match device.fetch_events() {
            Ok(events) => {
                for event in events.filter(|e| e.event_type() == EventType::KEY) {
                    let at = started.elapsed().as_millis() as u64;
                    for scan in keys.on_key(event.code(), event.value(), at) {
                        sink(scan);
                    }
                }
                None
            }
            Err(error) => Some(error),
        };
        if let Some(error) = failed {
            tracing::warn!(%error, "the evdev scanner stopped; reopening");
            device = reopen(&spec);
        }
    }
}

fn reopen(spec: &str) -> Device {
    loop {
        std::thread::sleep(Duration::from_secs(2));
        match open_grabbed(spec) {
            Ok((_, device)) => return device,
            Err(error) => tracing::debug!(%error, "scanner not back yet"),
        }
    }
}

/// Modifier state and the scan being typed.
#[derive(Debug, Default)]
struct KeyState {
    shift: bool,
    ctrl: bool,
    wedge: KeyboardWedge,
}

impl KeyState {
    /// One key event (`value`: 1 press, 0 release, 2 auto-repeat, which a scanner never sends).
    fn on_key(&mut self, code: u16, value: i32, at_ms: u64) -> Vec<String> {
        if is_shift(code) {
            self.shift = value != 0;
            return vec![];
        }
        if is_ctrl(code) {
            self.ctrl = value != 0;
            return vec![];
        }
        if value != 1 {
            return vec![];
        }
        if is_enter(code) {
            return self.wedge.key("\n", at_ms);
        }
        if self.ctrl {
            // Ctrl+] is GS; every other control chord is ignored.
            return if code == KEY_RIGHTBRACE {
                self.wedge.key("\u{1d}", at_ms)
            } else {
                vec![]
            };
        }
        match us_char(code, self.shift) {
            Some(c) => self.wedge.key(c.encode_utf8(&mut [0; 4]), at_ms),
            None => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_events_make_a_scan_with_gs_and_shift() {
        let mut keys = KeyState::default();
        let mut out = Vec::new();
        // "0", Ctrl+], Shift+"c" (C), Enter
        for (code, value) in [
            (11, 1),
            (11, 0),
            (29, 1),
            (27, 1),
            (27, 0),
            (29, 0),
            (42, 1),
            (46, 1),
            (46, 0),
            (42, 0),
            (28, 1),
        ] {
            out.extend(keys.on_key(code, value, 0));
        }
        assert_eq!(out, ["0\u{1d}C"]);
    }

    #[test]
    fn a_missing_device_is_named() {
        let error = locate("ffff:fffe").unwrap_err();
        assert!(error.to_string().contains("ffff:fffe"));
        assert!(matches!(locate("nonsense"), Err(EvdevError::NotFound(_))));
    }
}
