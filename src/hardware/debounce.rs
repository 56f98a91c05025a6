//! Software debounce for a switch read by polling.
//!
//! A reed switch chatters for a few milliseconds when the door moves, and a long cable picks up
//! noise. The worker reads the door every 100 ms; a new level counts only once every reading for
//! at least `settle` milliseconds has agreed, so one odd reading never opens or relocks anything.
//! Time-based rather than count-based, so it behaves the same whatever the polling rate, and pure
//! (times are passed in), so it is tested without a switch.

/// Follows raw readings and reports the settled level when it changes.
#[derive(Debug, Clone)]
pub struct Debouncer {
    settle_ms: u64,
    stable: bool,
    /// A level different from `stable`, and when it was first read.
    candidate: Option<(bool, u64)>,
}

impl Debouncer {
    /// Starts settled at `initial`.
    pub fn new(settle_ms: u64, initial: bool) -> Debouncer {
        Debouncer {
            settle_ms,
            stable: initial,
            candidate: None,
        }
    }

    /// The settled level.
    pub fn level(&self) -> bool {
        self.stable
    }

    /// A raw reading at `now_ms`; returns the new settled level when it changes.
    pub fn update(&mut self, raw: bool, now_ms: u64) -> Option<bool> {
        if raw == self.stable {
            self.candidate = None;
            return None;
        }
        match self.candidate {
            Some((level, since)) if level == raw => {
                if now_ms.saturating_sub(since) >= self.settle_ms {
                    self.stable = raw;
                    self.candidate = None;
                    return Some(raw);
                }
            }
            _ => self.candidate = Some((raw, now_ms)),
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// Feeds (ms, raw) readings; returns the settled changes with their times.
    fn run(readings: &[(u64, bool)]) -> Vec<(u64, bool)> {
        let mut debouncer = Debouncer::new(150, false);
        readings
            .iter()
            .filter_map(|&(at, raw)| debouncer.update(raw, at).map(|level| (at, level)))
            .collect()
    }

    #[rstest]
    #[case::steady_closed(&[(0, false), (100, false), (200, false)], &[])]
    #[case::opens_after_it_settles(&[(0, true), (100, true), (200, true)], &[(200, true)])]
    #[case::a_single_glitch_is_ignored(&[(0, true), (100, false), (200, false), (300, false)], &[])]
    #[case::chatter_restarts_the_wait(
        &[(0, true), (100, false), (200, true), (300, true), (400, true)],
        &[(400, true)]
    )]
    #[case::opens_then_closes(
        &[(0, true), (150, true), (300, false), (400, false), (450, false)],
        &[(150, true), (450, false)]
    )]
    #[case::slow_polling_still_needs_two_agreeing_reads(&[(0, true), (1000, true)], &[(1000, true)])]
    fn debounce(#[case] readings: &[(u64, bool)], #[case] expected: &[(u64, bool)]) {
        assert_eq!(run(readings), expected);
    }

    #[test]
    fn a_level_back_to_the_settled_one_cancels_the_candidate() {
        let mut debouncer = Debouncer::new(150, true);
        assert_eq!(debouncer.update(false, 0), None);
        assert_eq!(debouncer.update(true, 100), None);
        assert_eq!(debouncer.update(false, 200), None, "the wait starts again");
        assert_eq!(debouncer.update(false, 300), None);
        assert_eq!(debouncer.update(false, 350), Some(false));
        assert!(!debouncer.level());
    }
}
