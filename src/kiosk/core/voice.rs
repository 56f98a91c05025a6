//! When the kiosk speaks: a resident screen's instruction when it appears and when "listen" is
//! pressed, and a short sound for the events, unless the hub's settings mute the kiosk or it is
//! within its quiet hours (local time, from the injected clock).
//!
//! The attract and out-of-order screens speak when a person acted (a tap, a scan), not when the
//! kiosk returns to them by itself: nobody may be there, and a freezer in a hallway should not
//! talk to an empty room. The sound of an event plays first, then the instruction of the screen it
//! led to, as one utterance.

use chrono::{Local, NaiveTime};

use super::KioskCore;
use crate::domain::voice::VoiceSettings;
use crate::kiosk::feedback::Feedback;
use crate::kiosk::view::{Screen, View};
use crate::kiosk::voice::clips::prompt;
use crate::kiosk::voice::{Clip, Silence, Sound, Utterance, VoiceSink};

/// The core's side of the voice.
pub(super) struct CoreVoice {
    sink: Box<dyn VoiceSink>,
    /// The screen and language whose instruction was last due: a repeat of either is not spoken
    /// again unless asked.
    shown: Option<(Screen, String)>,
    sounds: Vec<Sound>,
    listen: bool,
}

impl Default for CoreVoice {
    fn default() -> Self {
        CoreVoice {
            sink: Box::new(Silence),
            shown: None,
            sounds: vec![],
            listen: false,
        }
    }
}

impl CoreVoice {
    /// Notes the sound of an event, played after the input is handled.
    pub(super) fn on_feedback(&mut self, feedback: Feedback) {
        let sound = match feedback {
            Feedback::ScanOk => Sound::ScanOk,
            Feedback::Unknown => Sound::Unknown,
            Feedback::Done => Sound::Done,
            Feedback::Error => Sound::Error,
            Feedback::Ignored => return,
        };
        self.sounds.push(sound);
    }

    /// The resident pressed "listen".
    pub(super) fn listen(&mut self) {
        self.listen = true;
    }
}

impl KioskCore {
    /// Gives the core a speaker (it starts silent).
    pub fn set_voice(&mut self, sink: Box<dyn VoiceSink>) {
        self.voice.sink = sink;
    }

    /// Whether the speaker may play at the current local time (the "listen" button shows it).
    pub(super) fn voice_audible(&self) -> bool {
        self.voice_settings().audible_at(self.local_time())
    }

    fn voice_settings(&self) -> VoiceSettings {
        self.store.voice_settings().unwrap_or_else(|error| {
            tracing::warn!(%error, "voice settings unreadable; the defaults apply");
            VoiceSettings::default()
        })
    }

    fn local_time(&self) -> NaiveTime {
        self.clock.now().with_timezone(&Local).time()
    }

    /// Speaks what `view` calls for; `by_person` when the input was a tap or a scan.
    pub(super) fn speak_for(&mut self, view: &View, by_person: bool) {
        let key = (view.screen, view.language.clone());
        let appeared = self.voice.shown.as_ref() != Some(&key);
        self.voice.shown = Some(key);
        let unattended = matches!(view.screen, Screen::Idle | Screen::OutOfOrder) && !by_person;
        let asked = std::mem::take(&mut self.voice.listen);
        let sounds = std::mem::take(&mut self.voice.sounds);
        let message = prompt(view.screen).filter(|_| asked || (appeared && !unattended));
        if message.is_none() && sounds.is_empty() {
            return;
        }
        let settings = self.voice_settings();
        if !settings.audible_at(self.local_time()) {
            return;
        }
        let clips = sounds
            .into_iter()
            .map(Clip::Sound)
            .chain(message.map(|message| Clip::Prompt {
                locale: view.language.clone(),
                message,
            }))
            .collect();
        self.voice.sink.say(Utterance {
            clips,
            volume_percent: settings.volume_percent,
        });
    }
}
