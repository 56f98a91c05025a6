//! Which Fluent message each resident screen speaks, and where its clip lives on disk.
//!
//! Every id in [`SPOKEN_MESSAGES`] is a `voice-…` message of every `locales/<tag>/kiosk.ftl` and
//! has a clip `assets/voice/<tag>/<id>.ogg` (or `.wav`, which a collective may drop in instead);
//! the tests below fail for a language without its clips. Staff screens are not spoken.

use std::path::{Path, PathBuf};

use super::Sound;
use crate::kiosk::view::{Screen, TerminalPhase};

/// Every message the kiosk speaks.
pub const SPOKEN_MESSAGES: &[&str] = &[
    "voice-idle",
    "voice-cart",
    "voice-grid",
    "voice-unknown-code",
    "voice-recalled-lot",
    "voice-card-accepted",
    "voice-card-refused",
    "voice-cap-reached",
    "voice-payment-choice",
    "voice-cash",
    "voice-prepaid",
    "voice-pay-later",
    "voice-terminal-waiting",
    "voice-terminal-failed",
    "voice-done",
    "voice-still-there",
    "voice-out-of-order",
];

/// Extensions looked for, in order: a collective's own WAV recording wins over the synthetic Ogg.
pub const EXTENSIONS: [&str; 2] = ["wav", "ogg"];

/// The main instruction of a resident screen; `None` for staff screens.
pub fn prompt(screen: Screen) -> Option<&'static str> {
    Some(match screen {
        Screen::Idle => "voice-idle",
        Screen::Cart => "voice-cart",
        Screen::Grid => "voice-grid",
        Screen::UnknownCode => "voice-unknown-code",
        Screen::RecalledLot => "voice-recalled-lot",
        Screen::CardAccepted => "voice-card-accepted",
        Screen::CardRefused(_) => "voice-card-refused",
        Screen::CapReached => "voice-cap-reached",
        Screen::PaymentChoice => "voice-payment-choice",
        Screen::Cash => "voice-cash",
        Screen::Prepaid => "voice-prepaid",
        Screen::PayLater => "voice-pay-later",
        Screen::Terminal(TerminalPhase::Waiting) => "voice-terminal-waiting",
        Screen::Terminal(TerminalPhase::Declined | TerminalPhase::TimedOut) => {
            "voice-terminal-failed"
        }
        Screen::Done => "voice-done",
        Screen::StillThere => "voice-still-there",
        Screen::OutOfOrder => "voice-out-of-order",
        Screen::Staff(_) => return None,
    })
}

/// The clip of `message` in `locale` under `dir` (`assets/voice`), if there is one.
pub fn prompt_file(dir: &Path, locale: &str, message: &str) -> Option<PathBuf> {
    first_existing(&dir.join(locale), message)
}

/// The file of `sound` under `dir` (`assets/voice`), if there is one.
pub fn sound_file(dir: &Path, sound: Sound) -> Option<PathBuf> {
    first_existing(&dir.join("sounds"), sound.file_stem())
}

fn first_existing(dir: &Path, stem: &str) -> Option<PathBuf> {
    EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|path| path.is_file())
}

/// The clips folder of a source checkout (`assets/voice`).
pub fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/voice")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::household::CardRefusal;
    use crate::kiosk::i18n;
    use crate::kiosk::view::StaffScreen;

    /// The languages of the kiosk, read from `locales/` itself (not from the compiled list), so
    /// a folder added there without clips fails here.
    fn locale_folders() -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut tags: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|entry| {
                let path = entry.unwrap().path();
                path.join("kiosk.ftl")
                    .is_file()
                    .then(|| path.file_name().unwrap().to_string_lossy().into_owned())
            })
            .collect();
        tags.sort();
        tags
    }

    #[test]
    fn every_spoken_message_has_a_clip_in_every_language() {
        let dir = source_dir();
        let tags = locale_folders();
        assert!(tags.len() >= 3, "{tags:?}");
        let mut missing = vec![];
        for tag in &tags {
            for id in SPOKEN_MESSAGES {
                if prompt_file(&dir, tag, id).is_none() {
                    missing.push(format!("assets/voice/{tag}/{id}.ogg"));
                }
            }
        }
        assert!(missing.is_empty(), "clips missing: {missing:?}");
        for sound in Sound::ALL {
            assert!(sound_file(&dir, sound).is_some(), "{sound:?}");
        }
    }

    #[test]
    fn no_clip_is_left_over_and_every_message_is_translated() {
        let dir = source_dir();
        for tag in locale_folders() {
            for entry in std::fs::read_dir(dir.join(&tag)).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                assert!(
                    SPOKEN_MESSAGES.contains(&stem.as_str()),
                    "{} is no spoken message",
                    path.display()
                );
            }
            for id in SPOKEN_MESSAGES {
                assert_ne!(i18n::text(&tag, id), *id, "{tag} lacks {id}");
            }
        }
    }

    #[test]
    fn every_committed_clip_decodes_as_16_khz_mono() {
        use rodio::Source;
        let dir = source_dir();
        let mut count = 0;
        for folder in std::fs::read_dir(&dir).unwrap() {
            let folder = folder.unwrap().path();
            if !folder.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&folder).unwrap() {
                let path = file.unwrap().path();
                let decoder = rodio::Decoder::try_from(std::fs::File::open(&path).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(decoder.channels().get(), 1, "{}", path.display());
                assert_eq!(decoder.sample_rate().get(), 16_000, "{}", path.display());
                count += 1;
            }
        }
        assert_eq!(
            count,
            locale_folders().len() * SPOKEN_MESSAGES.len() + Sound::ALL.len()
        );
    }

    #[test]
    fn every_resident_screen_speaks_and_staff_screens_do_not() {
        let resident = [
            Screen::Idle,
            Screen::Cart,
            Screen::Grid,
            Screen::UnknownCode,
            Screen::RecalledLot,
            Screen::CardAccepted,
            Screen::CardRefused(CardRefusal::Expired),
            Screen::CapReached,
            Screen::PaymentChoice,
            Screen::Cash,
            Screen::Prepaid,
            Screen::PayLater,
            Screen::Terminal(TerminalPhase::Waiting),
            Screen::Terminal(TerminalPhase::Declined),
            Screen::Done,
            Screen::StillThere,
            Screen::OutOfOrder,
        ];
        let mut spoken: Vec<&str> = resident.iter().filter_map(|s| prompt(*s)).collect();
        assert_eq!(spoken.len(), resident.len());
        spoken.sort();
        spoken.dedup();
        let mut all = SPOKEN_MESSAGES.to_vec();
        all.sort();
        assert_eq!(spoken, all, "every spoken message belongs to a screen");
        assert_eq!(prompt(Screen::Staff(StaffScreen::Menu)), None);
    }
}
