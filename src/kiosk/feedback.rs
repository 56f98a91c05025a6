//! Feedback the kiosk gives besides the screen: sounds, the status LED.
//!
//! The core says what happened; [`BuzzerFeedback`] maps it to the hardware's buzzer patterns (the
//! hardware layer knows nothing of the kiosk). In the demo the events only go to the log.

use std::sync::Arc;

use crate::hardware::{BuzzPattern, Buzzer, HardwareHandle};

/// Something the resident should hear or see beyond the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feedback {
    /// A pack or card was read and accepted.
    ScanOk,
    /// A code the kiosk does not know.
    Unknown,
    /// A scan arrived while paying: ignored, gently.
    Ignored,
    /// Something went wrong (a refused card, a cap reached, the kiosk out of order).
    Error,
    /// The sale is committed: the resident may take the packs.
    Done,
}

pub trait FeedbackSink: Send {
    fn emit(&mut self, feedback: Feedback);
}

impl From<Feedback> for BuzzPattern {
    fn from(feedback: Feedback) -> BuzzPattern {
        match feedback {
            Feedback::ScanOk => BuzzPattern::ScanOk,
            Feedback::Unknown => BuzzPattern::Unknown,
            Feedback::Ignored => BuzzPattern::Ignored,
            Feedback::Error => BuzzPattern::Error,
            Feedback::Done => BuzzPattern::Done,
        }
    }
}

/// A [`FeedbackSink`] that plays the core's feedback on the buzzer (and logs it).
pub struct BuzzerFeedback(Arc<dyn Buzzer>);

impl BuzzerFeedback {
    /// The core's feedback sink, playing on this kiosk's buzzer.
    pub fn of(hardware: &HardwareHandle) -> BuzzerFeedback {
        BuzzerFeedback(hardware.buzzer())
    }
}

impl FeedbackSink for BuzzerFeedback {
    fn emit(&mut self, feedback: Feedback) {
        tracing::debug!(?feedback, "feedback");
        self.0.play(feedback.into());
    }
}

/// The demo's feedback: one log line per event.
#[derive(Debug, Default)]
pub struct LogFeedback;

impl FeedbackSink for LogFeedback {
    fn emit(&mut self, feedback: Feedback) {
        tracing::info!(?feedback, "feedback");
    }
}

/// Records feedback for tests.
#[derive(Debug, Default, Clone)]
pub struct RecordedFeedback(pub std::sync::Arc<std::sync::Mutex<Vec<Feedback>>>);

impl FeedbackSink for RecordedFeedback {
    fn emit(&mut self, feedback: Feedback) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(feedback);
    }
}

impl RecordedFeedback {
    pub fn take(&self) -> Vec<Feedback> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
