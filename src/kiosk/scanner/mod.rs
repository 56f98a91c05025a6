//! Scanners: every path a code can arrive by feeds one queue of complete scans.
//!
//! - A keyboard-wedge scanner typing into the kiosk window ([`KeyboardWedge`], fed by the UI's
//!   captured key events, so a scan never lands in a text field).
//! - On Linux, a scanner's evdev device grabbed exclusively ([`evdev_reader`]): a hostile barcode
//!   cannot type into anything else, and key codes are read with a US layout whatever the system
//!   layout, so `/` and `:` of a Digital Link survive a French keyboard setting.
//! - A serial (CDC-ACM) scanner ([`serial_reader`]).
//!
//! Scans end with CR, LF or CR+LF; identical scans within a second are dropped later, by the core.

pub mod evdev_reader;
pub mod keymap;
pub mod serial_reader;

use std::sync::Arc;

use serde::Deserialize;

/// Delivers one complete scan to the core's queue.
pub type ScanSink = Arc<dyn Fn(String) + Send + Sync>;

/// A scan longer than this is not a scan: something is stuck or hostile.
pub const MAX_SCAN_CHARS: usize = crate::domain::codes::MAX_SCAN_LEN;
/// Keys typed further apart than this start a new scan: a scanner types a code in milliseconds,
/// so leftovers of an interrupted scan (or a person poking a keyboard) are dropped.
pub const MAX_KEY_GAP_MS: u64 = 1_000;

/// Assembles key presses into scans. Pure: the caller passes the time.
#[derive(Debug, Default)]
pub struct KeyboardWedge {
    buffer: String,
    last_key_ms: Option<u64>,
}

impl KeyboardWedge {
    /// Feeds the text of one key press (or a chunk of a serial stream); returns the scans it
    /// completes, usually none or one.
    pub fn key(&mut self, text: &str, at_ms: u64) -> Vec<String> {
        if self
            .last_key_ms
            .is_some_and(|last| at_ms.saturating_sub(last) > MAX_KEY_GAP_MS)
        {
            self.buffer.clear();
        }
        self.last_key_ms = Some(at_ms);
        let mut complete = Vec::new();
        for c in text.chars() {
            match c {
                '\r' | '\n' => {
                    if !self.buffer.is_empty() {
                        complete.push(std::mem::take(&mut self.buffer));
                    }
                }
                // GS (FNC1) is the one control character a GS1 code carries.
                '\u{1d}' => self.push(c),
                c if c.is_control() => {}
                // Slint reports special keys (arrows, F-keys) as private-use characters.
                c if ('\u{e000}'..='\u{f8ff}').contains(&c) => {}
                c => self.push(c),
            }
        }
        complete
    }

    fn push(&mut self, c: char) {
        if self.buffer.chars().count() < MAX_SCAN_CHARS {
            self.buffer.push(c);
        }
    }
}

/// Which scanners a kiosk reads, from its configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScannerSettings {
    /// An evdev scanner: a device path (`/dev/input/by-id/…-event-kbd`) or `vendor:product` in hex.
    pub evdev: Option<String>,
    /// A serial scanner's port (`/dev/ttyACM0`).
    pub serial: Option<String>,
    /// The serial port's speed.
    #[serde(default = "default_baud")]
    pub serial_baud: u32,
}

fn default_baud() -> u32 {
    9_600
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn feed(keys: &[(&str, u64)]) -> Vec<String> {
        let mut wedge = KeyboardWedge::default();
        keys.iter()
            .flat_map(|(text, at)| wedge.key(text, *at))
            .collect()
    }

    #[rstest]
    #[case(&[("4", 0), ("2", 5), ("\n", 10)], &["42"])]
    #[case(&[("42", 0), ("\r", 5), ("\n", 6)], &["42"])] // CR+LF is one end
    #[case(&[("42\r\n17\r", 0)], &["42", "17"])]
    #[case(&[("4", 0), ("2", 2_000), ("\n", 2_001)], &["2"])] // stale key dropped
    #[case(&[("\n", 0), ("\r", 1)], &[])]
    #[case(&[("0\u{1d}1", 0), ("\u{7}", 1), ("\n", 2)], &["0\u{1d}1"])]
    #[case(&[("\u{f700}5", 0), ("\n", 1)], &["5"])]
    fn scans_are_assembled(#[case] keys: &[(&str, u64)], #[case] expected: &[&str]) {
        assert_eq!(feed(keys), expected);
    }

    #[test]
    fn an_endless_scan_is_bounded() {
        let mut wedge = KeyboardWedge::default();
        for i in 0..2 * MAX_SCAN_CHARS as u64 {
            wedge.key("9", i);
        }
        let scans = wedge.key("\n", 2 * MAX_SCAN_CHARS as u64);
        assert_eq!(
            scans.iter().map(String::len).collect::<Vec<_>>(),
            [MAX_SCAN_CHARS]
        );
    }
}
