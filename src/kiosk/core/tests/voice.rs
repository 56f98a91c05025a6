//! What the speaker says, through a sink that records it: each resident screen's instruction in
//! the reader's language when it appears and on "listen", the events' sounds, and silence when
//! muted or within quiet hours.

use chrono::{Local, NaiveTime, Timelike};

use super::*;
use crate::domain::voice::{QuietHours, VoiceSettings};
use crate::kiosk::voice::{Clip, RecordedVoice, Sound, Utterance};

fn speaking() -> (Harness, RecordedVoice) {
    let mut h = harness();
    let voice = RecordedVoice::default();
    h.core.set_voice(Box::new(voice.clone()));
    (h, voice)
}

fn prompt(locale: &str, message: &'static str) -> Clip {
    Clip::Prompt {
        locale: locale.into(),
        message,
    }
}

fn clips(voice: &RecordedVoice) -> Vec<Vec<Clip>> {
    voice.take().into_iter().map(|u| u.clips).collect()
}

/// Replaces the kiosk's voice settings, as a newer configuration from the hub would.
fn set_voice_settings(h: &Harness, settings: VoiceSettings) {
    let mut store = KioskStore::open(&h._dir.path().join("kiosk.db")).unwrap();
    let mut config = demo::config();
    config.version = h.core.store().config_version().unwrap().unwrap() + 1;
    config.voice = settings;
    store.apply_config(&config).unwrap();
}

#[test]
fn each_screen_speaks_its_instruction_in_the_readers_language_when_it_appears() {
    let (mut h, voice) = speaking();
    h.wait(1);
    assert!(
        voice.take().is_empty(),
        "the attract screen is silent by itself"
    );
    h.tap(Action::SetLanguage("es".into()));
    assert_eq!(clips(&voice), [vec![prompt("es", "voice-idle")]]);
    h.scan(&pack(0));
    assert_eq!(
        clips(&voice),
        [vec![Clip::Sound(Sound::ScanOk), prompt("es", "voice-cart")]],
        "the event's sound, then the new screen's instruction"
    );
    h.scan(&pack(1));
    assert_eq!(
        clips(&voice),
        [vec![Clip::Sound(Sound::ScanOk)]],
        "the same screen is not announced again"
    );
    h.wait(1);
    assert!(voice.take().is_empty(), "a quiet tick says nothing");
    h.tap(Action::Pay);
    h.tap(Action::ChooseMethod(PaymentMethod::Cash));
    assert_eq!(
        voice.take_prompts(),
        [
            ("es".to_owned(), "voice-payment-choice"),
            ("es".to_owned(), "voice-cash")
        ]
    );
    h.tap(Action::ConfirmPayment);
    assert_eq!(
        clips(&voice),
        [vec![Clip::Sound(Sound::Done), prompt("es", "voice-done")]]
    );
    h.wait(9);
    assert!(
        voice.take().is_empty(),
        "back to the attract screen by itself: nobody may be there"
    );
}

#[test]
fn listen_repeats_the_instruction_of_the_screen_shown() {
    let (mut h, voice) = speaking();
    h.scan(&pack(0));
    voice.take();
    h.tap(Action::Listen);
    h.tap(Action::Listen);
    assert_eq!(
        voice.take(),
        vec![
            Utterance {
                clips: vec![prompt("fr-CA", "voice-cart")],
                volume_percent: VoiceSettings::default().volume_percent,
            };
            2
        ]
    );
    h.tap(Action::OpenGrid);
    h.tap(Action::SetLanguage("en-CA".into()));
    h.tap(Action::Listen);
    assert_eq!(
        voice.take_prompts(),
        [
            ("fr-CA".to_owned(), "voice-grid"),
            ("en-CA".to_owned(), "voice-grid"),
            ("en-CA".to_owned(), "voice-grid")
        ]
    );
}

#[test]
fn unknown_codes_and_errors_have_their_own_sounds() {
    let (mut h, voice) = speaking();
    h.scan("4006381333931"); // a valid EAN-13 of no product here
    assert_eq!(
        clips(&voice),
        [vec![
            Clip::Sound(Sound::Unknown),
            prompt("fr-CA", "voice-unknown-code")
        ]]
    );
    h.wait(4);
    voice.take();
    h.scan(&card(4));
    assert_eq!(
        clips(&voice),
        [vec![
            Clip::Sound(Sound::Error),
            prompt("fr-CA", "voice-card-refused")
        ]]
    );
}

#[test]
fn staff_screens_are_not_spoken() {
    let (mut h, voice) = speaking();
    let badge = &demo::badges()[0];
    h.scan(&badge.payload.encode());
    h.tap(Action::SubmitPin(badge.pin.into()));
    h.tap(Action::Listen);
    assert!(voice.take_prompts().is_empty());
}

#[test]
fn mute_and_quiet_hours_silence_voice_and_sounds() {
    let (mut h, voice) = speaking();
    set_voice_settings(
        &h,
        VoiceSettings {
            muted: true,
            ..VoiceSettings::default()
        },
    );
    h.scan(&pack(0));
    h.tap(Action::Listen);
    assert!(voice.take().is_empty(), "muted");

    // Quiet from an hour before the clock's time to an hour after, local time.
    let hour = h.clock.now().with_timezone(&Local).hour();
    let at = |h: u32| NaiveTime::from_hms_opt(h % 24, 0, 0).unwrap();
    set_voice_settings(
        &h,
        VoiceSettings {
            volume_percent: 40,
            muted: false,
            quiet_hours: Some(QuietHours {
                start: at(hour + 23),
                end: at(hour + 1),
            }),
        },
    );
    h.tap(Action::Listen);
    h.scan(&pack(1));
    assert!(voice.take().is_empty(), "within quiet hours");
    h.clock.advance(Duration::from_secs(2 * 3600));
    h.tap(Action::Listen);
    assert_eq!(
        voice.take(),
        [Utterance {
            clips: vec![prompt("fr-CA", "voice-cart")],
            volume_percent: 40,
        }]
    );
}
