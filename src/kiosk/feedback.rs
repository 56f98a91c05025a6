//! Feedback the kiosk gives besides the screen: sounds, the status LED.
//!
//! The core says what happened; the hardware layer decides how it sounds. In the demo the events
//! only go to the log.

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
