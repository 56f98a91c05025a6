//! What the buzzer and the status LED say, and the thread that plays it on a GPIO pin.
//!
//! A resident who reads little French still hears whether a scan worked: each outcome has its own
//! rhythm on an active (on/off) buzzer, distinct in the number and length of beeps. The LED shows
//! the kiosk's state to someone across the room. Both are on/off signals timed in milliseconds;
//! a [`PatternPlayer`] thread plays them so the caller never waits, and a new signal replaces the
//! one playing.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::HardwareError;

/// A sound. Durations alternate on, off, on… in milliseconds, starting with "on".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuzzPattern {
    /// A pack or card was read: one short beep.
    ScanOk,
    /// A scan while paying, ignored: a tick.
    Ignored,
    /// A code the kiosk does not know: two medium beeps.
    Unknown,
    /// Something went wrong (card refused, cap reached, out of order): one long beep.
    Error,
    /// The sale is committed, the door is open: two short beeps and a long one.
    Done,
    /// Door open too long (repeated while it stays open), cold chain broken: four long beeps.
    Alarm,
}

impl BuzzPattern {
    pub const ALL: [BuzzPattern; 6] = [
        BuzzPattern::ScanOk,
        BuzzPattern::Ignored,
        BuzzPattern::Unknown,
        BuzzPattern::Error,
        BuzzPattern::Done,
        BuzzPattern::Alarm,
    ];

    /// On/off durations in milliseconds, starting with on.
    pub fn steps(self) -> &'static [u16] {
        match self {
            BuzzPattern::ScanOk => &[70],
            BuzzPattern::Ignored => &[20],
            BuzzPattern::Unknown => &[180, 120, 180],
            BuzzPattern::Error => &[700],
            BuzzPattern::Done => &[60, 60, 60, 60, 250],
            BuzzPattern::Alarm => &[500, 250, 500, 250, 500, 250, 500],
        }
    }
}

/// The status LED (one LED on one pin):
///
/// | state | LED | meaning |
/// | --- | --- | --- |
/// | `Off` | off | the kiosk is not running |
/// | `Ok` | steady on | ready for a sale |
/// | `Attention` | slow blink (1 Hz) | door unlocked or open, door open too long, probe lost |
/// | `Fault` | fast blink (4 Hz) | out of order: cold-chain hold, database or device failure |
///
/// The worker shows the more serious of what the kiosk asks for and what the alarms say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LedState {
    #[default]
    Off,
    Ok,
    Attention,
    Fault,
}

/// A level to play on a pin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Set the level and keep it.
    Hold(bool),
    /// Play the on/off durations once, then off.
    Once(&'static [u16]),
    /// Play the on/off durations over and over.
    Repeat(&'static [u16]),
}

impl From<BuzzPattern> for Signal {
    fn from(pattern: BuzzPattern) -> Signal {
        Signal::Once(pattern.steps())
    }
}

impl From<LedState> for Signal {
    fn from(state: LedState) -> Signal {
        match state {
            LedState::Off => Signal::Hold(false),
            LedState::Ok => Signal::Hold(true),
            LedState::Attention => Signal::Repeat(&[500, 500]),
            LedState::Fault => Signal::Repeat(&[125, 125]),
        }
    }
}

/// Plays signals on one output (a GPIO pin, or anything that takes a level) on its own thread.
/// Dropping it turns the output off and joins the thread.
pub(crate) struct PatternPlayer {
    signals: Option<Sender<Signal>>,
    thread: Option<JoinHandle<()>>,
}

impl PatternPlayer {
    pub fn spawn(
        name: &'static str,
        output: impl FnMut(bool) + Send + 'static,
    ) -> Result<PatternPlayer, HardwareError> {
        let (signals, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(format!("congelo-{name}"))
            .spawn(move || play_loop(rx, output))
            .map_err(|e| HardwareError::Thread(name, e))?;
        Ok(PatternPlayer {
            signals: Some(signals),
            thread: Some(thread),
        })
    }

    /// Plays `signal` from now, replacing what was playing. Never blocks.
    pub fn play(&self, signal: Signal) {
        if let Some(signals) = &self.signals {
            let _ = signals.send(signal);
        }
    }
}

impl Drop for PatternPlayer {
    fn drop(&mut self) {
        self.signals.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Where the player is in a signal.
struct Playing {
    steps: &'static [u16],
    index: usize,
    repeat: bool,
    next_at: Instant,
}

fn play_loop(rx: Receiver<Signal>, mut output: impl FnMut(bool)) {
    let mut playing: Option<Playing> = None;
    loop {
        let received = match &playing {
            Some(p) => rx.recv_timeout(p.next_at.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        playing = match received {
            Ok(signal) => start(signal, &mut output),
            Err(RecvTimeoutError::Timeout) => playing.and_then(|p| advance(p, &mut output)),
            Err(RecvTimeoutError::Disconnected) => break,
        };
    }
    output(false);
}

fn start(signal: Signal, output: &mut impl FnMut(bool)) -> Option<Playing> {
    let (steps, repeat) = match signal {
        Signal::Hold(level) => {
            output(level);
            return None;
        }
        Signal::Once(steps) => (steps, false),
        Signal::Repeat(steps) => (steps, true),
    };
    let first = *steps.first()?;
    output(true);
    Some(Playing {
        steps,
        index: 0,
        repeat,
        next_at: Instant::now() + Duration::from_millis(u64::from(first)),
    })
}

/// The current step is over: go to the next one (or stop, off, after a one-shot signal).
fn advance(mut playing: Playing, output: &mut impl FnMut(bool)) -> Option<Playing> {
    playing.index += 1;
    if playing.index == playing.steps.len() {
        if !playing.repeat {
            output(false);
            return None;
        }
        playing.index = 0;
    }
    output(playing.index.is_multiple_of(2));
    let step = Duration::from_millis(u64::from(playing.steps[playing.index]));
    playing.next_at += step;
    Some(playing)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn every_sound_is_distinct_short_and_starts_with_a_beep() {
        let sounds: HashSet<_> = BuzzPattern::ALL.iter().map(|p| p.steps()).collect();
        assert_eq!(sounds.len(), BuzzPattern::ALL.len());
        for pattern in BuzzPattern::ALL {
            let steps = pattern.steps();
            assert_eq!(steps.len() % 2, 1, "{pattern:?} ends on a beep, then off");
            let total: u32 = steps.iter().map(|&ms| u32::from(ms)).sum();
            assert!(total <= 3000, "{pattern:?} lasts {total} ms");
        }
    }

    #[test]
    fn the_led_is_brighter_the_more_serious() {
        assert!(LedState::Fault > LedState::Attention);
        assert!(LedState::Attention > LedState::Ok);
        assert_eq!(Signal::from(LedState::Ok), Signal::Hold(true));
    }

    #[test]
    fn a_player_plays_a_pattern_then_turns_off_and_off_again_when_dropped() {
        let levels = Arc::new(Mutex::new(Vec::new()));
        let seen = levels.clone();
        let player =
            PatternPlayer::spawn("test", move |level| seen.lock().unwrap().push(level)).unwrap();
        // Two 1 ms beeps: the only real waiting in this test is a few milliseconds.
        player.play(Signal::Once(&[1, 1, 1]));
        player.play(Signal::Hold(true));
        drop(player);
        let levels = levels.lock().unwrap().clone();
        assert_eq!(levels.first(), Some(&true));
        assert_eq!(levels.last(), Some(&false), "off when dropped: {levels:?}");
    }

    #[test]
    fn stepping_through_a_pattern_alternates_and_repeats() {
        let mut levels = Vec::new();
        let mut output = |level| levels.push(level);
        let mut playing = start(Signal::Repeat(&[5, 5]), &mut output);
        for _ in 0..3 {
            playing = playing.and_then(|p| advance(p, &mut output));
        }
        assert!(playing.is_some(), "a repeating signal never ends");
        let mut once = start(Signal::Once(&[5]), &mut output);
        once = once.and_then(|p| advance(p, &mut output));
        assert!(once.is_none());
        assert_eq!(levels, [true, false, true, false, true, false]);
    }
}
