//! The external card terminal, behind a trait, with a simulated one for the demo and tests.
//!
//! A real debit/credit terminal answers after seconds, or never. The core starts a payment and goes
//! on handling ticks; the terminal's answer comes back later as an input, tagged with the attempt
//! it answers so a late reply to an abandoned attempt is ignored.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::Money;

/// How a terminal attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalOutcome {
    Approved { reference: String },
    Declined,
    Cancelled,
}

/// Delivers a terminal's answer for attempt `n` back to the core.
pub type TerminalReply = Arc<dyn Fn(u64, TerminalOutcome) + Send + Sync>;

pub trait CardTerminal: Send {
    /// Asks the resident to pay `amount` on the terminal. The answer arrives through `reply`.
    fn start(&mut self, attempt: u64, amount: Money, reply: TerminalReply);
    /// Abandons the current attempt (timeout, resident pressed cancel).
    fn cancel(&mut self, attempt: u64);
}

/// What the simulated terminal answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedBehaviour {
    Approve,
    Decline,
    /// Never answers: the core's timeout ends the attempt.
    NoAnswer,
    /// The resident cancels on the terminal.
    Cancel,
}

/// A terminal that answers as configured, after a delay (none in tests).
pub struct SimulatedTerminal {
    pub behaviour: SimulatedBehaviour,
    pub delay: Duration,
}

impl SimulatedTerminal {
    pub fn new(behaviour: SimulatedBehaviour, delay: Duration) -> SimulatedTerminal {
        SimulatedTerminal { behaviour, delay }
    }
}

impl CardTerminal for SimulatedTerminal {
    fn start(&mut self, attempt: u64, amount: Money, reply: TerminalReply) {
        let outcome = match self.behaviour {
            SimulatedBehaviour::Approve => TerminalOutcome::Approved {
                reference: format!("SIM-{attempt:06}-{}", amount.cents()),
            },
            SimulatedBehaviour::Decline => TerminalOutcome::Declined,
            SimulatedBehaviour::Cancel => TerminalOutcome::Cancelled,
            SimulatedBehaviour::NoAnswer => return,
        };
        if self.delay.is_zero() {
            reply(attempt, outcome);
        } else {
            let delay = self.delay;
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                reply(attempt, outcome);
            });
        }
    }

    fn cancel(&mut self, _attempt: u64) {}
}
