//! A kiosk's core as the window drives it, without the window: the real `KioskCore` on a store,
//! a manual clock, the simulated card terminal approving, and a queue for the inputs the core
//! sends itself (terminal answers), so a test runs them step by step.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use congelo::clock::ManualClock;
use congelo::kiosk::core::{CoreParts, Input, KioskCore, KioskServices, NoServices, Timings};
use congelo::kiosk::feedback::RecordedFeedback;
use congelo::kiosk::terminal::{SimulatedBehaviour, SimulatedTerminal};
use congelo::store::KioskStore;

/// What a test holds to drive a core: the clock it moves and the inputs waiting to run.
pub struct Driven {
    pub core: KioskCore,
    pub clock: Arc<ManualClock>,
    pub feedback: RecordedFeedback,
    pub queue: Arc<Mutex<VecDeque<Input>>>,
}

/// A core on `store` with `clock`, its terminal answering `terminal`.
pub fn core_on(store: KioskStore, clock: Arc<ManualClock>, terminal: SimulatedBehaviour) -> Driven {
    core_with_services(store, clock, terminal, Box::new(NoServices))
}

/// A core on `store` with `clock`, its terminal answering `terminal`, its door and hub `services`.
pub fn core_with_services(
    store: KioskStore,
    clock: Arc<ManualClock>,
    terminal: SimulatedBehaviour,
    services: Box<dyn KioskServices>,
) -> Driven {
    let queue: Arc<Mutex<VecDeque<Input>>> = Arc::default();
    let replies = queue.clone();
    let feedback = RecordedFeedback::default();
    let core = KioskCore::new(CoreParts {
        store,
        clock: clock.clone(),
        terminal: Box::new(SimulatedTerminal::new(terminal, Duration::ZERO)),
        terminal_reply: Arc::new(move |attempt, outcome| {
            replies
                .lock()
                .unwrap()
                .push_back(Input::Terminal { attempt, outcome })
        }),
        feedback: Box::new(feedback.clone()),
        timings: Timings::default(),
        default_language: "fr-CA".into(),
        services,
        hub_url: None,
    });
    Driven {
        core,
        clock,
        feedback,
        queue,
    }
}
