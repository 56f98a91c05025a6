//! Kiosk UI benchmarks: `cargo bench --bench kiosk_ui` (release build, default features).
//!
//! The real window on Slint's headless testing backend with the software renderer, the real core
//! and the real store on the project's disk, a 10 000-product catalogue; only time is simulated.
//! 1. Scan key sequence → cart state updated: the keys of a barcode and Return dispatched to the
//!    window (the keyboard-wedge path), the core's decode, lookup, pricing and cart update, and the
//!    new view applied to the window (goal: p99 under 1 ms).
//! 2. A full frame of the cart screen rendered by the software renderer at 800×480 (goal: under
//!    2 ms).
//! 3. The process's peak resident memory after 1 000 sales through the screens, card-less and
//!    paid in cash (goal: under 60 MB).

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use congelo::kiosk::clock::ManualClock;
use congelo::kiosk::core::{CoreParts, Input, KioskCore, NoServices, Timings};
use congelo::kiosk::feedback::RecordedFeedback;
use congelo::kiosk::terminal::{SimulatedBehaviour, SimulatedTerminal};
use congelo::kiosk::ui::{self, KioskWindow, ScreenKind, UiState};
use i_slint_backend_testing::ElementHandle;
use slint::ComponentHandle;
use slint::platform::{Key, WindowEvent};

use common::{CATALOGUE_SIZE, Xorshift, bench_dir, big_config, gtin, micros, percentile};

/// Sales through the screens (`CONGELO_BENCH_SALES` overrides it for a quick check).
const SALES: usize = 1_000;
const FRAMES: usize = 300;

struct Kiosk {
    window: KioskWindow,
    core: KioskCore,
    clock: Arc<ManualClock>,
    queue: Arc<Mutex<VecDeque<Input>>>,
}

fn main() {
    let dir = bench_dir("kiosk_ui");
    println!("Congélo kiosk UI benchmarks (data in {})\n", dir.display());
    let sales = std::env::var("CONGELO_BENCH_SALES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SALES);
    let mut kiosk = kiosk(&dir.join("kiosk.db"));
    let mut scans = Vec::with_capacity(sales * 2);
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..sales {
        for _ in 0..2 {
            let code = gtin(rng.below(CATALOGUE_SIZE)).as_display();
            scans.push(kiosk.scan(&code));
        }
        kiosk.pay_cash();
    }
    report_scans(&mut scans, sales);
    kiosk.scan(&gtin(1).as_display());
    kiosk.scan(&gtin(2).as_display());
    report_frames(&kiosk);
    report_memory(sales);
    let _ = std::fs::remove_dir_all(&dir);
}

fn kiosk(path: &std::path::Path) -> Kiosk {
    let mut store = congelo::demo::create_kiosk_database(path, Utc::now()).expect("database");
    store.apply_config(&big_config()).expect("catalogue");
    let backend = i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    );
    slint::platform::set_platform(Box::new(backend)).expect("the testing backend");
    let queue: Arc<Mutex<VecDeque<Input>>> = Arc::default();
    let sink = queue.clone();
    let window = ui::create_window(Arc::new(move |input| {
        sink.lock().expect("queue").push_back(input)
    }))
    .expect("window");
    window.window().set_size(slint::PhysicalSize::new(800, 480));
    window.show().expect("show");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 15, 0, 0).unwrap(),
    ));
    let replies = queue.clone();
    let core = KioskCore::new(CoreParts {
        store,
        clock: clock.clone(),
        terminal: Box::new(SimulatedTerminal::new(
            SimulatedBehaviour::Approve,
            Duration::ZERO,
        )),
        terminal_reply: Arc::new(move |attempt, outcome| {
            replies
                .lock()
                .expect("queue")
                .push_back(Input::Terminal { attempt, outcome })
        }),
        feedback: Box::new(RecordedFeedback::default()),
        timings: Timings::default(),
        default_language: "fr-CA".into(),
        services: Box::new(NoServices),
        hub_url: None,
    });
    let mut kiosk = Kiosk {
        window,
        core,
        clock,
        queue,
    };
    ui::apply_view(&kiosk.window, &kiosk.core.view());
    kiosk
}

impl Kiosk {
    /// Runs the queued inputs through the core and applies each new view, as the UI thread does.
    fn pump(&mut self) {
        loop {
            let next = self.queue.lock().expect("queue").pop_front();
            let Some(input) = next else { break };
            let view = self.core.handle(input);
            ui::apply_view(&self.window, &view);
        }
    }

    /// Types `code` and Return into the window; returns how long until the cart shows it.
    fn scan(&mut self, code: &str) -> Duration {
        self.clock.advance(Duration::from_millis(1_100));
        let items = self.window.global::<UiState>().get_items();
        let start = Instant::now();
        for c in code.chars() {
            self.key(c.to_string().into());
        }
        self.key(Key::Return.into());
        self.pump();
        let elapsed = start.elapsed();
        assert_eq!(self.window.global::<UiState>().get_items(), items + 1);
        elapsed
    }

    fn key(&self, text: slint::SharedString) {
        let window = self.window.window();
        window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        window.dispatch_event(WindowEvent::KeyReleased { text });
    }

    fn tap(&mut self, key: &str) {
        let label = congelo::kiosk::i18n::text("fr-CA", key);
        ElementHandle::find_by_accessible_label(&self.window, &label)
            .next()
            .unwrap_or_else(|| panic!("no «{label}» on the screen"))
            .invoke_accessible_default_action();
        self.pump();
    }

    fn pay_cash(&mut self) {
        self.tap("cart-pay");
        self.tap("pay-method-cash");
        self.tap("cash-confirm");
        assert_eq!(self.screen(), ScreenKind::Done);
        self.clock.advance(Duration::from_secs(9));
        self.queue.lock().expect("queue").push_back(Input::Tick);
        self.pump();
        assert_eq!(self.screen(), ScreenKind::Idle);
    }

    fn screen(&self) -> ScreenKind {
        self.window.global::<UiState>().get_screen()
    }
}

fn report_scans(samples: &mut [Duration], sales: usize) {
    let (p50, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
    println!(
        "scan keys → cart updated ({} scans over {sales} sales, {CATALOGUE_SIZE} products)",
        samples.len()
    );
    println!(
        "  p50 {:>7.1} µs   p99 {:>7.1} µs   max {:>8.1} µs   (goal p99 < 1000 µs)\n",
        micros(p50),
        micros(p99),
        micros(*samples.last().expect("samples"))
    );
}

fn report_frames(kiosk: &Kiosk) {
    let mut frames = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        let start = Instant::now();
        let snapshot = kiosk.window.window().take_snapshot().expect("a frame");
        frames.push(start.elapsed());
        assert_eq!((snapshot.width(), snapshot.height()), (800, 480));
    }
    let (p50, p99) = (percentile(&mut frames, 0.5), percentile(&mut frames, 0.99));
    println!("full frame, cart screen, software renderer, 800×480 ({FRAMES} frames)");
    println!(
        "  p50 {:>7.2} ms   p99 {:>7.2} ms   (goal < 2 ms)\n",
        micros(p50) / 1e3,
        micros(p99) / 1e3
    );
}

/// Peak resident set size of this process, from `/proc/self/status` (Linux).
fn report_memory(sales: usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|rest| rest.trim().to_owned())
            .unwrap_or_else(|| "unknown".into())
    };
    println!("memory after {sales} sales through the screens");
    println!(
        "  peak RSS (VmHWM) {}   now (VmRSS) {}   (goal < 60 MB)",
        field("VmHWM:"),
        field("VmRSS:")
    );
}
