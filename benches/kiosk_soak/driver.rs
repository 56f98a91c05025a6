//! The soak's kiosk: the window on this thread, the core on its own, one input channel between.
//!
//! As in `kiosk::app`, the window's taps and keys and the card terminal's answers are inputs sent
//! to the core thread, which answers with views for the window. The bench adds one message,
//! "settle": the core handles every input already queued (the terminal answers an attempt while
//! its start is handled, so its answer is queued by then) and sends back the last view, which this
//! thread applies and draws before the next step. Every step is thus deterministic, with the
//! memory of each part on the thread it uses in the kiosk.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use congelo::clock::ManualClock;
use congelo::demo;
use congelo::kiosk::core::{CoreParts, Input, KioskCore, NoServices, Timings};
use congelo::kiosk::feedback::LogFeedback;
use congelo::kiosk::i18n;
use congelo::kiosk::terminal::{SimulatedBehaviour, SimulatedTerminal};
use congelo::kiosk::ui::{self, KioskWindow, ScreenKind, UiState};
use congelo::kiosk::view::View;
use congelo::store::KioskStore;
use i_slint_backend_testing::ElementHandle;
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, Model, Rgb8Pixel};

use crate::common::Xorshift;
use crate::common::software::SoftwarePlatform;

const WIDTH: usize = 800;
const HEIGHT: usize = 480;
/// The staff screens a visit may look at after its restock, in turn.
const STAFF_SCREENS: [&str; 5] = [
    "staff-levels",
    "staff-lots",
    "staff-alarms",
    "staff-temperature",
    "staff-sync",
];

enum ToCore {
    Input(Input),
    /// Handle what is queued, then answer with the last view.
    Settle,
}

pub struct Soak {
    window: KioskWindow,
    display: Rc<MinimalSoftwareWindow>,
    frame: Vec<Rgb8Pixel>,
    clock: Arc<ManualClock>,
    started: DateTime<Utc>,
    to_core: Sender<ToCore>,
    views: Receiver<Option<View>>,
    core: Option<JoinHandle<KioskCore>>,
}

impl Soak {
    /// Opens the window on this thread and starts the core on `store` on a thread of its own.
    pub fn start(mut store: KioskStore, started: DateTime<Utc>) -> Soak {
        // As the kiosk's sale connection does: checkpoints wait for the "done" screen.
        store.defer_checkpoints().expect("deferred checkpoints");
        let display = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
        slint::platform::set_platform(Box::new(SoftwarePlatform {
            window: display.clone(),
        }))
        .expect("the software platform");
        let (to_core, inputs) = mpsc::channel::<ToCore>();
        let (answer, views) = mpsc::channel();
        let sink = to_core.clone();
        let window = ui::create_window(Arc::new(move |input| {
            let _ = sink.send(ToCore::Input(input));
        }))
        .expect("window");
        window
            .window()
            .set_size(slint::PhysicalSize::new(WIDTH as u32, HEIGHT as u32));
        window.show().expect("show");
        let clock = Arc::new(ManualClock::new(started));
        let replies = to_core.clone();
        let parts = CoreParts {
            store,
            clock: clock.clone(),
            terminal: Box::new(SimulatedTerminal::new(
                SimulatedBehaviour::Approve,
                Duration::ZERO,
            )),
            terminal_reply: Arc::new(move |attempt, outcome| {
                let _ = replies.send(ToCore::Input(Input::Terminal { attempt, outcome }));
            }),
            feedback: Box::new(LogFeedback),
            timings: Timings::default(),
            default_language: "fr-CA".into(),
            services: Box::new(NoServices),
            hub_url: None,
        };
        let core = std::thread::Builder::new()
            .name("kiosk-core".into())
            .spawn(move || run_core(KioskCore::new(parts), &inputs, &answer))
            .expect("the core thread");
        let mut soak = Soak {
            window,
            display,
            frame: vec![Rgb8Pixel::default(); WIDTH * HEIGHT],
            clock,
            started,
            to_core,
            views,
            core: Some(core),
        };
        soak.settle();
        assert_eq!(
            soak.screen(),
            ScreenKind::Idle,
            "the kiosk starts in service"
        );
        soak
    }

    /// Stops the core thread and gives its core back (for its store).
    pub fn stop(mut self) -> KioskCore {
        let _ = self.to_core.send(ToCore::Input(Input::Shutdown));
        self.core
            .take()
            .expect("the core thread")
            .join()
            .expect("the core thread ends")
    }

    /// How much kiosk time has passed.
    pub fn simulated(&self) -> Duration {
        (congelo::clock::Clock::now(&*self.clock) - self.started)
            .to_std()
            .unwrap_or_default()
    }

    /// One resident's visit, from the attract screen back to it.
    pub fn sale(&mut self, sale: usize, rng: &mut Xorshift) {
        let languages = ["en-CA", "es"];
        if rng.below(5) == 0 {
            self.choose_language(languages[rng.below(languages.len())]);
        }
        if rng.below(5) < 2 {
            // The demo household without a cap: the run lasts weeks.
            self.scan(&demo::households()[1].card.encode());
            assert_eq!(self.screen(), ScreenKind::CardAccepted, "sale {sale}: card");
        }
        let products = demo::products().len();
        for _ in 0..=rng.below(4) {
            self.scan(&demo::gtin_of(rng.below(products)).as_display());
        }
        if rng.below(10) == 0 {
            self.tap_key("cart-pictures");
            // A tile of the first row: the others are scrolled out of sight.
            let tile = self.grid_tile(rng.below(4));
            if !self.try_tap(&tile) {
                let first = self.grid_tile(0);
                self.tap(&first);
            }
        }
        if rng.below(8) == 0 {
            let name = self.first_line();
            self.tap(&format!("{} {name}", self.text("cart-more")));
        }
        assert_eq!(self.screen(), ScreenKind::Cart, "sale {sale}: cart");
        self.tap_key("cart-pay");
        if rng.below(2) == 0 {
            self.tap_key("pay-method-cash");
            self.tap_key("cash-confirm");
        } else {
            self.tap_key("pay-method-card");
        }
        assert_eq!(self.screen(), ScreenKind::Done, "sale {sale}: paid");
        // The core checkpoints the WAL while "done" shows, then returns to the attract screen.
        self.wait(Duration::from_secs(1));
        self.wait(Duration::from_secs(8));
        assert_eq!(self.screen(), ScreenKind::Idle, "sale {sale}: back to idle");
    }

    /// A staff member signs in (badge, PIN, Argon2 check), restocks a pack, looks at one staff
    /// screen and leaves.
    pub fn staff_visit(&mut self, visit: usize) {
        let badges = demo::badges();
        let badge = &badges[visit % badges.len()];
        self.scan(&badge.payload.encode());
        assert_eq!(self.screen(), ScreenKind::StaffPin, "visit {visit}: badge");
        for digit in badge.pin.chars() {
            self.tap(&digit.to_string());
        }
        self.tap("OK");
        assert_eq!(self.screen(), ScreenKind::StaffMenu, "visit {visit}: PIN");
        self.tap_key("staff-restock");
        let product = demo::gtin_of(visit % demo::products().len());
        self.scan(&format!(
            "]C101{}\u{1d}10SOAK-{visit}\u{1d}15291201",
            product.as_gtin14()
        ));
        self.tap_key("staff-save");
        self.tap_key("staff-menu");
        self.tap_key(STAFF_SCREENS[visit % STAFF_SCREENS.len()]);
        self.tap_key("staff-leave");
        assert_eq!(self.screen(), ScreenKind::Idle, "visit {visit}: left");
    }

    /// Lets `time` pass on the attract screen (the kiosk ticks a few times meanwhile).
    pub fn wait(&mut self, time: Duration) {
        self.clock.advance(time);
        self.send(Input::Tick);
        self.settle();
    }

    fn choose_language(&mut self, tag: &str) {
        let languages = self.window.global::<UiState>().get_languages();
        let name = languages
            .iter()
            .find(|l| l.tag == tag)
            .map(|l| l.name.to_string())
            .expect("the language is offered");
        self.tap(&name);
        assert_eq!(self.lang(), tag);
    }

    /// The name of the `index`-th tile of the picture grid, as shown.
    fn grid_tile(&self, index: usize) -> String {
        let grid = self.window.global::<UiState>().get_grid();
        let tile = grid.row_data(index % grid.row_count()).expect("a tile");
        tile.name.to_string()
    }

    fn first_line(&self) -> String {
        let lines = self.window.global::<UiState>().get_lines();
        lines.row_data(0).expect("a cart line").name.to_string()
    }

    fn send(&self, input: Input) {
        self.to_core.send(ToCore::Input(input)).expect("the core");
    }

    /// Waits for the core to handle everything sent, applies its view and draws what changed.
    fn settle(&mut self) {
        self.to_core.send(ToCore::Settle).expect("the core");
        if let Some(view) = self.views.recv().expect("the core's answer") {
            ui::apply_view(&self.window, &view);
        }
        let frame = &mut self.frame;
        self.display.draw_if_needed(|renderer| {
            renderer.render(frame, WIDTH);
        });
    }

    /// Types `code` and Return, as a keyboard-wedge scanner does, a second after the last scan.
    fn scan(&mut self, code: &str) {
        self.clock.advance(Duration::from_millis(1_100));
        for c in code.chars() {
            self.key(c.to_string().into());
        }
        self.key(Key::Return.into());
        self.settle();
    }

    fn key(&self, text: slint::SharedString) {
        let window = self.window.window();
        window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        window.dispatch_event(WindowEvent::KeyReleased { text });
    }

    fn tap(&mut self, label: &str) {
        assert!(self.try_tap(label), "no «{label}» on {:?}", self.screen());
    }

    /// Taps the element labelled `label` if one is in sight.
    fn try_tap(&mut self, label: &str) -> bool {
        let Some(element) = ElementHandle::find_by_accessible_label(&self.window, label).next()
        else {
            return false;
        };
        self.clock.advance(Duration::from_millis(700));
        element.invoke_accessible_default_action();
        self.settle();
        true
    }

    fn tap_key(&mut self, key: &str) {
        self.tap(&self.text(key));
    }

    fn text(&self, key: &str) -> String {
        i18n::text(&self.lang(), key)
    }

    fn lang(&self) -> String {
        self.window.global::<UiState>().get_lang().to_string()
    }

    fn screen(&self) -> ScreenKind {
        self.window.global::<UiState>().get_screen()
    }
}

/// The core's loop: inputs in order; on "settle", whatever is queued, then the last view.
fn run_core(
    mut core: KioskCore,
    inputs: &Receiver<ToCore>,
    views: &Sender<Option<View>>,
) -> KioskCore {
    let mut last = Some(core.view());
    while let Ok(message) = inputs.recv() {
        match message {
            ToCore::Input(Input::Shutdown) => break,
            ToCore::Input(input) => last = Some(core.handle(input)),
            ToCore::Settle => {
                while let Ok(ToCore::Input(input)) = inputs.try_recv() {
                    last = Some(core.handle(input));
                }
                if views.send(last.take()).is_err() {
                    break;
                }
            }
        }
    }
    core
}
