//! A kiosk window on Slint's headless testing backend, with the real core on the same thread.
//!
//! In the real kiosk the core runs on its own thread and answers through the event loop; here its
//! inputs queue up and [`UiKiosk::pump`] runs them, so a test is deterministic step by step. The
//! window, the glue, the core and the store are the real ones; time is a [`ManualClock`].

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use congelo::clock::ManualClock;
use congelo::kiosk::core::{Input, KioskCore};
use congelo::kiosk::feedback::RecordedFeedback;
use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::ui::{self, KioskWindow, ScreenKind, UiState};
use i_slint_backend_testing::ElementHandle;
use slint::ComponentHandle;
use slint::platform::{Key, WindowEvent};

pub struct UiKiosk {
    pub window: KioskWindow,
    pub core: KioskCore,
    pub clock: Arc<ManualClock>,
    #[allow(dead_code)] // read by some tests only
    pub feedback: RecordedFeedback,
    queue: Arc<Mutex<VecDeque<Input>>>,
    _dir: tempfile::TempDir,
}

/// Uses the testing backend with the software renderer on this thread (each test has its own).
fn init_platform() {
    let backend = i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    );
    let _ = slint::platform::set_platform(Box::new(backend));
}

impl UiKiosk {
    pub fn new(width: u32, height: u32) -> UiKiosk {
        UiKiosk::with_terminal(width, height, SimulatedBehaviour::Approve)
    }

    pub fn with_terminal(width: u32, height: u32, terminal: SimulatedBehaviour) -> UiKiosk {
        let dir = tempfile::tempdir().unwrap();
        let store = super::demo_kiosk(&dir.path().join("kiosk.db"));
        UiKiosk::build(dir, store, width, height, terminal)
    }

    /// A demo kiosk whose photo cache holds `photos` (product id, JPEG bytes), each named by the
    /// product's row as a pulled configuration names it.
    #[allow(dead_code)] // used by the photo tests only
    pub fn with_photos(width: u32, height: u32, photos: &[(i64, Vec<u8>)]) -> UiKiosk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let store = super::demo_kiosk(&path);
        let sql = rusqlite::Connection::open(&path).unwrap();
        for (product, bytes) in photos {
            let hash = congelo::domain::photo::PhotoHash::of(bytes);
            congelo::store::photos::keep_photo(&store.photos_dir(), &hash, bytes).unwrap();
            sql.execute(
                "UPDATE products SET photo = ?1 WHERE id = ?2",
                rusqlite::params![hash.as_str(), product],
            )
            .unwrap();
        }
        UiKiosk::build(dir, store, width, height, SimulatedBehaviour::Approve)
    }

    /// A kiosk whose database has no configuration: it must be out of order.
    pub fn unconfigured(width: u32, height: u32) -> UiKiosk {
        let dir = tempfile::tempdir().unwrap();
        let store = congelo::store::KioskStore::open(&dir.path().join("kiosk.db")).unwrap();
        UiKiosk::build(dir, store, width, height, SimulatedBehaviour::Approve)
    }

    fn build(
        dir: tempfile::TempDir,
        store: congelo::store::KioskStore,
        width: u32,
        height: u32,
        terminal: SimulatedBehaviour,
    ) -> UiKiosk {
        init_platform();
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 28, 15, 0, 0).unwrap(),
        ));
        let driven = super::kiosk_core::core_on(store, clock, terminal);
        // The window's taps and keys join the inputs the core sends itself, in one queue.
        let sink_queue = driven.queue.clone();
        let window = ui::create_window(Arc::new(move |input| {
            sink_queue.lock().unwrap().push_back(input)
        }))
        .unwrap();
        ui::fit_window(&window, width, height);
        window.show().unwrap();
        let super::kiosk_core::Driven {
            core,
            clock,
            feedback,
            queue,
        } = driven;
        let mut kiosk = UiKiosk {
            window,
            core,
            clock,
            feedback,
            queue,
            _dir: dir,
        };
        let view = kiosk.core.view();
        ui::apply_view(&kiosk.window, &view);
        kiosk
    }

    /// Resizes the window to `width`×`height` physical pixels, scaled as a kiosk scales it.
    pub fn resize(&self, width: u32, height: u32) {
        ui::fit_window(&self.window, width, height);
    }

    /// Runs every queued input through the core and draws the result.
    pub fn pump(&mut self) {
        loop {
            let next = self.queue.lock().unwrap().pop_front();
            let Some(input) = next else { break };
            let view = self.core.handle(input);
            ui::apply_view(&self.window, &view);
        }
    }

    /// Types `code` and Return into the window, as a keyboard-wedge scanner does. A second passes
    /// first, so identical scans are not taken for a repeat.
    pub fn scan(&mut self, code: &str) {
        self.clock.advance(Duration::from_millis(1_100));
        for c in code.chars() {
            self.key(c.to_string().into());
        }
        self.key(Key::Return.into());
        self.pump();
    }

    fn key(&self, text: slint::SharedString) {
        self.window
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        self.window
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text });
    }

    /// Taps the element whose accessible label is `label` (the text a resident reads).
    pub fn tap(&mut self, label: &str) {
        let element = ElementHandle::find_by_accessible_label(&self.window, label)
            .next()
            .unwrap_or_else(|| panic!("nothing labelled «{label}» on {:?}", self.screen()));
        element.invoke_accessible_default_action();
        self.pump();
    }

    /// Touches the screen at (`x`, `y`) logical pixels, wherever that is.
    /// Scans the first demo badge and types `pin` on the PIN screen, as a volunteer does.
    #[allow(dead_code)] // used by some tests only
    pub fn sign_in(&mut self, pin: &str) {
        self.scan(&congelo::demo::badges()[0].payload.encode());
        assert_eq!(self.screen(), ScreenKind::StaffPin);
        for digit in pin.chars() {
            self.tap(&digit.to_string());
        }
        self.tap("OK");
    }

    /// Scans the first demo badge and types a wrong PIN five times: the badge locks.
    #[allow(dead_code)] // used by some tests only
    pub fn lock_the_badge(&mut self) {
        self.sign_in("0000");
        for _ in 0..4 {
            for digit in "9999".chars() {
                self.tap(&digit.to_string());
            }
            self.tap("OK");
        }
    }

    pub fn touch_at(&mut self, x: f32, y: f32) {
        let position = slint::LogicalPosition::new(x, y);
        let button = slint::platform::PointerEventButton::Left;
        let window = self.window.window();
        window.dispatch_event(WindowEvent::PointerPressed { position, button });
        window.dispatch_event(WindowEvent::PointerReleased { position, button });
        self.pump();
    }

    /// Whether the element labelled with the text of `key` (in the screen's language) is enabled.
    pub fn enabled(&self, key: &str) -> bool {
        let label = congelo::kiosk::i18n::text(&self.lang(), key);
        let element = ElementHandle::find_by_accessible_label(&self.window, &label)
            .next()
            .unwrap_or_else(|| panic!("nothing labelled «{label}» on {:?}", self.screen()));
        element.accessible_enabled().unwrap_or(true)
    }

    /// Whether some element carries exactly `label`.
    pub fn shows(&self, label: &str) -> bool {
        ElementHandle::find_by_accessible_label(&self.window, label)
            .next()
            .is_some()
    }

    /// Taps the element labelled with the French text of `key`.
    pub fn tap_key(&mut self, key: &str) {
        let label = congelo::kiosk::i18n::text(&self.lang(), key);
        self.tap(&label);
    }

    /// Lets `seconds` pass for the core (timeouts, countdown).
    pub fn wait(&mut self, seconds: u64) {
        self.clock.advance(Duration::from_secs(seconds));
        self.queue.lock().unwrap().push_back(Input::Tick);
        self.pump();
    }

    pub fn screen(&self) -> ScreenKind {
        self.window.global::<UiState>().get_screen()
    }

    pub fn lang(&self) -> String {
        self.window.global::<UiState>().get_lang().to_string()
    }

    pub fn total(&self) -> String {
        self.window.global::<UiState>().get_total().to_string()
    }

    pub fn items(&self) -> i32 {
        self.window.global::<UiState>().get_items()
    }

    /// Renders the window and writes it as a PNG.
    pub fn screenshot(&self, path: &Path) {
        let snapshot = self
            .window
            .window()
            .take_snapshot()
            .expect("a snapshot of the window");
        let (width, height) = (snapshot.width(), snapshot.height());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        let mut encoder = png::Encoder::new(file, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(snapshot.as_bytes()).unwrap();
    }
}
