//! Playing utterances through the speaker, with rodio over ALSA, on a thread of its own.
//!
//! [`AudioPlayer::say`] only sends on a channel: the core never waits for audio, the UI thread
//! never sees it. The thread opens the default output once; without one (CI, a Pi without a
//! speaker) it logs one line and ends, and every later utterance is dropped silently. Utterances
//! queued while one was being started are skipped for the newest: a new utterance interrupts the
//! previous one. Clips are read from disk when played, so a file dropped in replaces a clip without
//! a restart.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

use super::clips::{SPOKEN_MESSAGES, prompt_file, sound_file};
use super::{Clip, Utterance, VoiceSink};

/// What the player thread plays on: the speaker, or a fake in tests.
pub trait Output {
    /// Stops what is playing and plays `files` in order at `volume` (1.0: the files' level).
    fn play(&mut self, files: &[PathBuf], volume: f32);
}

/// The kiosk's speaker: sends each utterance to the player thread.
#[derive(Debug)]
pub struct AudioPlayer {
    commands: Sender<Utterance>,
}

impl AudioPlayer {
    /// Plays through the default ALSA output, clips read from `dir` (`assets/voice`).
    pub fn start(dir: PathBuf) -> AudioPlayer {
        AudioPlayer::start_with(dir, || {
            RodioOutput::open_default().map_err(|e| format!("no audio output: {e}"))
        })
    }

    /// Plays on the output `open` gives, opened on the player thread (audio streams are often
    /// not `Send`). `open` failing means silence and one log line.
    pub fn start_with<O, F>(dir: PathBuf, open: F) -> AudioPlayer
    where
        O: Output,
        F: FnOnce() -> Result<O, String> + Send + 'static,
    {
        let (commands, receiver) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("kiosk-voice".into())
            .spawn(move || match open() {
                Ok(output) => {
                    report_missing(&dir);
                    play_all(output, &dir, &receiver);
                }
                Err(error) => tracing::warn!(%error, "the kiosk stays silent"),
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "no voice thread; the kiosk stays silent");
        }
        AudioPlayer { commands }
    }
}

impl VoiceSink for AudioPlayer {
    fn say(&mut self, utterance: Utterance) {
        // The thread has ended only when there is no speaker: silence, as intended.
        let _ = self.commands.send(utterance);
    }
}

fn play_all<O: Output>(mut output: O, dir: &Path, receiver: &Receiver<Utterance>) {
    let mut warned: HashSet<String> = HashSet::new();
    while let Ok(mut utterance) = receiver.recv() {
        // Only the newest matters.
        while let Ok(newer) = receiver.try_recv() {
            utterance = newer;
        }
        let files: Vec<PathBuf> = utterance
            .clips
            .iter()
            .filter_map(|clip| {
                let file = clip_file(dir, clip);
                if file.is_none() && warned.insert(format!("{clip:?}")) {
                    tracing::warn!(?clip, dir = %dir.display(), "no clip file; skipped");
                }
                file
            })
            .collect();
        output.play(&files, f32::from(utterance.volume_percent.min(100)) / 100.0);
    }
}

/// Logs once, at start, how many clips `dir` lacks for the kiosk's languages.
fn report_missing(dir: &Path) {
    let languages = crate::kiosk::i18n::languages();
    let missing = languages
        .iter()
        .flat_map(|l| SPOKEN_MESSAGES.iter().map(move |id| (l.tag, *id)))
        .filter(|(tag, id)| prompt_file(dir, tag, id).is_none())
        .count();
    if missing > 0 {
        tracing::warn!(missing, dir = %dir.display(), "voice clips missing; those prompts stay silent");
    }
}

/// The file of a clip under `dir`.
pub fn clip_file(dir: &Path, clip: &Clip) -> Option<PathBuf> {
    match clip {
        Clip::Prompt { locale, message } => prompt_file(dir, locale, message),
        Clip::Sound(sound) => sound_file(dir, *sound),
    }
}

/// The speaker, through rodio's mixer on the default device.
pub struct RodioOutput {
    device: rodio::MixerDeviceSink,
    current: Option<rodio::Player>,
}

impl RodioOutput {
    pub fn open_default() -> Result<RodioOutput, rodio::DeviceSinkError> {
        let mut device = rodio::DeviceSinkBuilder::open_default_sink()?;
        device.log_on_drop(false);
        Ok(RodioOutput {
            device,
            current: None,
        })
    }
}

impl Output for RodioOutput {
    fn play(&mut self, files: &[PathBuf], volume: f32) {
        // Dropping the previous player stops it at once.
        self.current = None;
        let player = rodio::Player::connect_new(self.device.mixer());
        player.set_volume(volume);
        for file in files {
            let decoded = std::fs::File::open(file)
                .map_err(|e| e.to_string())
                .and_then(|f| rodio::Decoder::try_from(f).map_err(|e| e.to_string()));
            match decoded {
                Ok(source) => player.append(source),
                Err(error) => tracing::warn!(%error, file = %file.display(), "unplayable clip"),
            }
        }
        self.current = Some(player);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::super::Sound;
    use super::super::clips::source_dir;
    use super::*;

    /// Polls `done` until it holds; panics naming `what` after a generous ceiling.
    fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "timed out: {what}");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// The files and volume of one utterance played.
    type Played = (Vec<PathBuf>, f32);

    #[derive(Clone, Default)]
    struct FakeOutput(Arc<Mutex<Vec<Played>>>);

    impl Output for FakeOutput {
        fn play(&mut self, files: &[PathBuf], volume: f32) {
            self.0.lock().unwrap().push((files.to_vec(), volume));
        }
    }

    #[test]
    fn utterances_play_their_files_in_order_at_their_volume() {
        let output = FakeOutput::default();
        let played = output.0.clone();
        let mut player = AudioPlayer::start_with(source_dir(), move || Ok(output));
        player.say(Utterance {
            clips: vec![
                Clip::Sound(Sound::ScanOk),
                Clip::Prompt {
                    locale: "es".into(),
                    message: "voice-cart",
                },
            ],
            volume_percent: 50,
        });
        wait_until("the utterance is played", || {
            !played.lock().unwrap().is_empty()
        });
        let (files, volume) = played.lock().unwrap()[0].clone();
        assert_eq!(volume, 0.5);
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                let parent = f.parent().unwrap().file_name().unwrap().to_string_lossy();
                format!("{parent}/{}", f.file_stem().unwrap().to_string_lossy())
            })
            .collect();
        assert_eq!(names, ["sounds/scan-ok", "es/voice-cart"]);
    }

    #[test]
    fn no_audio_device_means_silence_not_a_panic() {
        let mut player =
            AudioPlayer::start_with(source_dir(), || Err::<FakeOutput, _>("no card".into()));
        for _ in 0..3 {
            player.say(Utterance {
                clips: vec![Clip::Sound(Sound::Error)],
                volume_percent: 80,
            });
        }
        // The machine's own default output: absent in CI, whatever is here otherwise.
        let mut real = AudioPlayer::start(source_dir());
        real.say(Utterance {
            clips: vec![Clip::Sound(Sound::ScanOk)],
            volume_percent: 0,
        });
        drop(real);
    }

    #[test]
    fn a_missing_clip_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let output = FakeOutput::default();
        let played = output.0.clone();
        let mut player = AudioPlayer::start_with(dir.path().to_owned(), move || Ok(output));
        player.say(Utterance {
            clips: vec![Clip::Sound(Sound::Done)],
            volume_percent: 100,
        });
        wait_until("the utterance is handled", || {
            !played.lock().unwrap().is_empty()
        });
        assert!(played.lock().unwrap()[0].0.is_empty());
    }
}
