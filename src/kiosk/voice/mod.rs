//! The kiosk's voice: each resident screen's main instruction spoken in the reader's language,
//! and short sounds for a scan accepted, an unknown code, a payment done and an error.
//!
//! A resident who cannot read hears what to do. The core decides *what* to say (see
//! `core/voice.rs`) and hands an [`Utterance`] to a [`VoiceSink`]; the real sink
//! ([`player::AudioPlayer`]) plays recorded clips on its own thread, so neither the core nor the
//! UI thread ever waits for the speaker. A new utterance interrupts the one playing.
//!
//! Clips are files, `assets/voice/<locale>/<message-id>.<ogg|wav>` and `assets/voice/sounds/`,
//! read when played: a collective replaces the synthetic voice by dropping its own recordings in
//! ([`clips`] lists every id).

pub mod clips;
pub mod player;

use std::sync::{Arc, Mutex};

/// A short sound through the speaker (the buzzer keeps the door and the alarms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sound {
    /// A pack or card was read and accepted.
    ScanOk,
    /// A code the kiosk does not know.
    Unknown,
    /// The sale is committed.
    Done,
    /// Something went wrong (a refused card, a cap reached, the kiosk out of order).
    Error,
}

impl Sound {
    pub const ALL: [Sound; 4] = [Sound::ScanOk, Sound::Unknown, Sound::Done, Sound::Error];

    /// Its file's name without extension, under `assets/voice/sounds/`.
    pub fn file_stem(self) -> &'static str {
        match self {
            Sound::ScanOk => "scan-ok",
            Sound::Unknown => "unknown-code",
            Sound::Done => "payment-done",
            Sound::Error => "error",
        }
    }
}

/// One thing to play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clip {
    /// A spoken Fluent message (`voice-…`) in a language of `locales/`.
    Prompt {
        locale: String,
        message: &'static str,
    },
    Sound(Sound),
}

/// Clips played one after the other, at a volume (0–100 % of the clips' level). Playing one stops
/// whatever was playing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    pub clips: Vec<Clip>,
    pub volume_percent: u8,
}

/// Where utterances go. Must return at once: the core calls it between two inputs.
pub trait VoiceSink: Send {
    fn say(&mut self, utterance: Utterance);
}

/// No speaker (tests, a bare demo).
#[derive(Debug, Default)]
pub struct Silence;

impl VoiceSink for Silence {
    fn say(&mut self, _utterance: Utterance) {}
}

/// Records what would play, for tests.
#[derive(Debug, Default, Clone)]
pub struct RecordedVoice(pub Arc<Mutex<Vec<Utterance>>>);

impl VoiceSink for RecordedVoice {
    fn say(&mut self, utterance: Utterance) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(utterance);
    }
}

impl RecordedVoice {
    /// What was said since the last call.
    pub fn take(&self) -> Vec<Utterance> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The spoken messages since the last call, as `(locale, message id)`.
    pub fn take_prompts(&self) -> Vec<(String, &'static str)> {
        self.take()
            .into_iter()
            .flat_map(|u| u.clips)
            .filter_map(|clip| match clip {
                Clip::Prompt { locale, message } => Some((locale, message)),
                Clip::Sound(_) => None,
            })
            .collect()
    }
}
