//! When the freezer's lock may open: a pure state machine.
//!
//! The rule from the design brief: the sale is committed **before** the door unlocks. The lock is
//! locked by default; a committed sale opens it for a window (60 s by default); once the resident
//! opens the door it stays unlocked while the door is open (relocking a bolt on an open door would
//! stop it from closing) and relocks as soon as the door is closed again; if the window runs out
//! without the door opening, it relocks.
//!
//! [`LockController::sale_committed`] is the only way to an unlocked state, and the only maker of
//! the [`SaleGrant`] that a [`LockCommand::Unlock`] carries: a [`super::DoorLock`] can therefore
//! not be told to open by any other path. Times are monotonic milliseconds, passed in.

use crate::domain::Seq;

/// Proof that a committed sale opened the lock. Only [`LockController::sale_committed`] makes one
/// (its field is private), so only that path can produce [`LockCommand::Unlock`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleGrant {
    sale: Seq,
}

impl SaleGrant {
    /// The event-log seq of the sale that opened the lock.
    pub fn sale(&self) -> Seq {
        self.sale
    }
}

/// What the lock relay should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockCommand {
    Lock,
    Unlock(SaleGrant),
}

/// Why the lock closed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelockReason {
    /// The door was opened and closed again.
    DoorClosed,
    /// Nobody opened the door within the window.
    Timeout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Locked,
    Unlocked {
        grant: SaleGrant,
        until_ms: u64,
        opened: bool,
    },
}

/// The lock's state machine. Each method returns the command to send to the relay, if any.
#[derive(Debug, Clone)]
pub struct LockController {
    window_ms: u64,
    state: State,
    door_open: bool,
}

impl LockController {
    /// Locked, door closed; a sale opens the lock for `window_ms`.
    pub fn new(window_ms: u64) -> LockController {
        LockController {
            window_ms,
            state: State::Locked,
            door_open: false,
        }
    }

    pub fn is_locked(&self) -> bool {
        self.state == State::Locked
    }

    /// The sale `sale` is committed: open for the window (or give the window again if already
    /// open for an earlier sale).
    pub fn sale_committed(&mut self, sale: Seq, now_ms: u64) -> Option<LockCommand> {
        let grant = SaleGrant { sale };
        let until_ms = now_ms.saturating_add(self.window_ms);
        match self.state {
            State::Locked => {
                self.state = State::Unlocked {
                    grant,
                    until_ms,
                    opened: self.door_open,
                };
                Some(LockCommand::Unlock(grant))
            }
            State::Unlocked { opened, .. } => {
                self.state = State::Unlocked {
                    grant,
                    until_ms,
                    opened,
                };
                None
            }
        }
    }

    /// The (debounced) door switch changed.
    pub fn door(&mut self, open: bool) -> Option<(LockCommand, RelockReason)> {
        self.door_open = open;
        match (&mut self.state, open) {
            (State::Unlocked { opened, .. }, true) => {
                *opened = true;
                None
            }
            (State::Unlocked { opened: true, .. }, false) => {
                self.state = State::Locked;
                Some((LockCommand::Lock, RelockReason::DoorClosed))
            }
            _ => None,
        }
    }

    /// Time passes: relock when the window ran out and the door was never opened.
    pub fn tick(&mut self, now_ms: u64) -> Option<(LockCommand, RelockReason)> {
        match self.state {
            State::Unlocked {
                until_ms,
                opened: false,
                ..
            } if now_ms >= until_ms => {
                self.state = State::Locked;
                Some((LockCommand::Lock, RelockReason::Timeout))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// What happens to the lock, step by step.
    #[derive(Debug, Clone, Copy)]
    enum Step {
        Sale(u64),
        Door(bool),
        Tick(u64),
    }
    use Step::*;

    /// Runs the steps on a 60 s window; returns whether the lock is open after each step.
    fn open_after_each(steps: &[Step]) -> Vec<bool> {
        let mut lock = LockController::new(60_000);
        let mut sales = 0;
        steps
            .iter()
            .map(|step| {
                match *step {
                    Sale(at) => {
                        sales += 1;
                        lock.sale_committed(Seq(sales), at);
                    }
                    Door(open) => {
                        lock.door(open);
                    }
                    Tick(at) => {
                        lock.tick(at);
                    }
                }
                !lock.is_locked()
            })
            .collect()
    }

    #[rstest]
    #[case::locked_by_default(&[Tick(0), Tick(1_000_000)], &[false, false])]
    #[case::the_door_forced_open_does_not_unlock(
        &[Door(true), Tick(1000), Door(false), Tick(2000)],
        &[false, false, false, false]
    )]
    #[case::a_sale_opens_then_the_window_runs_out(
        &[Sale(0), Tick(59_999), Tick(60_000), Tick(61_000)],
        &[true, true, false, false]
    )]
    #[case::opened_and_closed_relocks(
        &[Sale(0), Door(true), Door(false), Tick(1000)],
        &[true, true, false, false]
    )]
    #[case::stays_open_while_the_door_is_open_past_the_window(
        &[Sale(0), Door(true), Tick(60_000), Tick(600_000), Door(false)],
        &[true, true, true, true, false]
    )]
    #[case::a_second_sale_gives_the_window_again(
        &[Sale(0), Tick(50_000), Sale(50_000), Tick(100_000), Tick(110_000)],
        &[true, true, true, true, false]
    )]
    #[case::after_relocking_the_door_no_longer_matters(
        &[Sale(0), Door(true), Door(false), Door(true), Door(false)],
        &[true, true, false, false, false]
    )]
    fn lock_table(#[case] steps: &[Step], #[case] open: &[bool]) {
        assert_eq!(open_after_each(steps), open);
    }

    #[test]
    fn the_commands_name_the_sale_and_the_reason() {
        let mut lock = LockController::new(60_000);
        assert_eq!(lock.door(true), None, "no command while locked");
        assert_eq!(lock.door(false), None);
        let Some(LockCommand::Unlock(grant)) = lock.sale_committed(Seq(7), 0) else {
            panic!("a committed sale unlocks");
        };
        assert_eq!(grant.sale(), Seq(7));
        assert_eq!(lock.sale_committed(Seq(8), 10), None, "already open");
        assert_eq!(lock.tick(60_009), None);
        assert_eq!(
            lock.tick(60_010),
            Some((LockCommand::Lock, RelockReason::Timeout))
        );
        lock.sale_committed(Seq(9), 70_000);
        assert_eq!(lock.door(true), None);
        assert_eq!(
            lock.door(false),
            Some((LockCommand::Lock, RelockReason::DoorClosed))
        );
    }

    #[test]
    fn a_sale_while_the_door_hangs_open_relocks_when_it_closes() {
        let mut lock = LockController::new(60_000);
        lock.door(true);
        lock.sale_committed(Seq(1), 0);
        assert_eq!(lock.tick(120_000), None, "open door: no timeout");
        assert_eq!(
            lock.door(false),
            Some((LockCommand::Lock, RelockReason::DoorClosed))
        );
    }
}
