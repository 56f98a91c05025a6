//! What the passing of time does: notices close, the "still there?" countdown runs, the card
//! terminal times out, "done" returns to the attract screen, the attract screen checks the disk
//! has room for sales, an out-of-order kiosk tries again, a removal can no longer be put back, and
//! a language chosen on the attract screen by someone who left returns to the default.

use super::KioskCore;
use crate::kiosk::view::{OutOfOrderReason, Screen, TerminalPhase};

impl KioskCore {
    pub(super) fn on_tick(&mut self) {
        let now = self.now_ms();
        let on_screen = now.saturating_sub(self.screen_since_ms);
        let idle = now.saturating_sub(self.last_activity_ms);
        let t = self.timings;
        if self.staff.is_some() {
            self.staff_tick();
            return;
        }
        self.expire_undo(now);
        match self.screen {
            Screen::OutOfOrder => self.probe_recovery(now),
            // A language chosen on the attract screen by someone who then left: back to the
            // default for the next person.
            Screen::Idle if idle >= t.inactivity_ms && self.language != self.default_language => {
                self.language = self.default_language.clone();
                self.view_stale = true;
            }
            Screen::Idle => self.check_room(now),
            Screen::Done => {
                if on_screen >= t.done_ms {
                    self.reset_session();
                } else if let Err(error) = self.store.checkpoint_if_due() {
                    tracing::warn!(%error, "WAL checkpoint failed");
                }
            }
            Screen::UnknownCode | Screen::CardAccepted if on_screen >= t.notice_ms => {
                self.show(self.resume);
            }
            // Long enough to read "do not eat" and put the pack in the bin.
            Screen::RecalledLot if on_screen >= t.notice_ms.saturating_mul(3) => {
                self.show(self.resume);
            }
            Screen::StillThere if on_screen >= t.still_there_ms => {
                tracing::info!("nobody answered: the cart is emptied");
                self.reset_session();
            }
            Screen::Terminal(TerminalPhase::Waiting) if on_screen >= t.terminal_timeout_ms => {
                tracing::warn!(
                    attempt = self.terminal_attempt,
                    "the card terminal did not answer"
                );
                self.terminal.cancel(self.terminal_attempt);
                self.show(Screen::Terminal(TerminalPhase::TimedOut));
            }
            // Counting down, or waiting for the terminal: inactivity does not apply.
            Screen::StillThere | Screen::Terminal(TerminalPhase::Waiting) => {}
            screen if idle >= t.inactivity_ms => {
                self.resume = screen;
                self.show(Screen::StillThere);
            }
            _ => {}
        }
    }

    /// Seconds left on the "still there?" countdown.
    pub(super) fn countdown(&self) -> u32 {
        let on_screen = self.now_ms().saturating_sub(self.screen_since_ms);
        let left = self.timings.still_there_ms.saturating_sub(on_screen);
        left.div_ceil(1000) as u32
    }

    /// On the attract screen, every probe interval: out of order once the disk is short of room.
    fn check_room(&mut self, now: u64) {
        if now.saturating_sub(self.last_probe_ms) < self.timings.recovery_probe_ms {
            return;
        }
        self.last_probe_ms = now;
        if let Err(error) = self.ensure_room() {
            self.fail(error);
        }
    }

    /// An out-of-order kiosk returns to service once it can write again (and is configured).
    fn probe_recovery(&mut self, now: u64) {
        if now.saturating_sub(self.last_probe_ms) < self.timings.recovery_probe_ms {
            return;
        }
        self.last_probe_ms = now;
        let configured =
            matches!(self.store.config_version(), Ok(Some(_))) && self.store.kiosk_id().is_ok();
        let writable = self.ensure_room().is_ok()
            && self
                .store
                .set_setting("last_recovery_probe", &self.clock.now().to_rfc3339())
                .is_ok();
        let recovered = match self.out_of_order {
            Some(OutOfOrderReason::NotConfigured) => configured,
            // Only a staff member clears a cold-chain hold, after checking the freezer.
            Some(OutOfOrderReason::ColdChain) => false,
            _ => configured && writable,
        };
        if recovered {
            tracing::info!("the kiosk can record sales again");
            self.out_of_order = None;
            self.bootstrap_notice = None;
            self.reset_session();
        }
    }
}
