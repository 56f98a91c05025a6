//! Kiosk UI benchmarks: `cargo bench --bench kiosk_ui` (release build, default features).
//!
//! The real window, core and store (on the project's disk, a 10 000-product catalogue); only the
//! core's clock is simulated. The window runs on Slint's software renderer as on the Pi: a
//! `MinimalSoftwareWindow` drawn into a reused 800×480 RGB888 buffer (the Pi's XRGB8888 dumb buffer
//! costs the same), a frame drawn after every change, as the kiosk's event loop does before the
//! next input arrives.
//! 1. Scan key sequence → cart state updated: the keys of a barcode and Return dispatched to the
//!    window (the keyboard-wedge path), the core's decode, lookup, pricing and cart update, and the
//!    new view applied to the window (goal: p99 under 1 ms). Also printed: until the frame showing
//!    the new cart is drawn (the changed part of the screen).
//! 2. A full frame of the cart screen (two lines) rendered by the software renderer at 800×480
//!    (goal: under 2 ms): the same window in a thread of its own (Slint's platform is per thread),
//!    every pixel repainted each frame (`RepaintBufferType::NewBuffer`) into a reused RGB888, then
//!    RGB565, buffer. `Window::take_snapshot()` is printed too, labelled: it adds a fresh RGBA
//!    buffer and a copy of every pixel to the rendering (the figure this bench printed before).
//! 3. The process's peak resident memory after 1 000 sales through the screens, card-less and
//!    paid in cash (goal: under 60 MB).

mod common;

use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use congelo::clock::ManualClock;
use congelo::kiosk::core::{CoreParts, Input, KioskCore, NoServices, Timings};
use congelo::kiosk::feedback::RecordedFeedback;
use congelo::kiosk::terminal::{SimulatedBehaviour, SimulatedTerminal};
use congelo::kiosk::ui::{self, KioskWindow, ScreenKind, UiState};
use congelo::kiosk::view::View;
use i_slint_backend_testing::ElementHandle;
use slint::platform::software_renderer::{
    MinimalSoftwareWindow, RepaintBufferType, Rgb565Pixel, TargetPixel,
};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, Model, Rgb8Pixel};

use common::software::SoftwarePlatform;
use common::{CATALOGUE_SIZE, Xorshift, bench_dir, big_config, gtin, micros, percentile};

/// Sales through the screens (`CONGELO_BENCH_SALES` overrides it for a quick check).
const SALES: usize = 1_000;
const FRAMES: usize = 300;
const WIDTH: usize = 800;
const HEIGHT: usize = 480;

struct Kiosk {
    window: KioskWindow,
    display: Rc<MinimalSoftwareWindow>,
    frame: Vec<Rgb8Pixel>,
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
    let mut updated = Vec::with_capacity(sales * 2);
    let mut drawn = Vec::with_capacity(sales * 2);
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..sales {
        for _ in 0..2 {
            let code = gtin(rng.below(CATALOGUE_SIZE)).as_display();
            let (cart_updated, cart_drawn) = kiosk.scan(&code);
            updated.push(cart_updated);
            drawn.push(cart_drawn);
        }
        kiosk.pay_cash();
    }
    report_scans(&mut updated, &mut drawn, sales);
    kiosk.scan(&gtin(1).as_display());
    kiosk.scan(&gtin(2).as_display());
    report_frames(&mut kiosk);
    report_memory(sales);
    let _ = std::fs::remove_dir_all(&dir);
}

fn kiosk(path: &std::path::Path) -> Kiosk {
    let mut store = congelo::demo::create_kiosk_database(path, Utc::now()).expect("database");
    store.apply_config(&big_config()).expect("catalogue");
    let screen = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
    let platform = SoftwarePlatform {
        window: screen.clone(),
    };
    slint::platform::set_platform(Box::new(platform)).expect("the software platform");
    let queue: Arc<Mutex<VecDeque<Input>>> = Arc::default();
    let sink = queue.clone();
    let window = ui::create_window(Arc::new(move |input| {
        sink.lock().expect("queue").push_back(input)
    }))
    .expect("window");
    window
        .window()
        .set_size(slint::PhysicalSize::new(WIDTH as u32, HEIGHT as u32));
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
        display: screen,
        frame: vec![Rgb8Pixel::default(); WIDTH * HEIGHT],
        core,
        clock,
        queue,
    };
    ui::apply_view(&kiosk.window, &kiosk.core.view());
    kiosk.draw();
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

    /// Draws what changed since the last frame, as the event loop does after every change.
    fn draw(&mut self) {
        let frame = &mut self.frame;
        self.display.draw_if_needed(|renderer| {
            renderer.render(frame, WIDTH);
        });
    }

    /// Types `code` and Return into the window; returns how long until the cart's state shows it,
    /// and until the frame showing it is drawn.
    fn scan(&mut self, code: &str) -> (Duration, Duration) {
        self.clock.advance(Duration::from_millis(1_100));
        let items = self.window.global::<UiState>().get_items();
        let start = Instant::now();
        for c in code.chars() {
            self.key(c.to_string().into());
        }
        self.key(Key::Return.into());
        self.pump();
        let updated = start.elapsed();
        self.draw();
        let drawn = start.elapsed();
        assert_eq!(self.window.global::<UiState>().get_items(), items + 1);
        (updated, drawn)
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
        self.draw();
    }

    fn pay_cash(&mut self) {
        self.tap("cart-pay");
        self.tap("pay-method-cash");
        self.tap("cash-confirm");
        assert_eq!(self.screen(), ScreenKind::Done);
        self.clock.advance(Duration::from_secs(9));
        self.queue.lock().expect("queue").push_back(Input::Tick);
        self.pump();
        self.draw();
        assert_eq!(self.screen(), ScreenKind::Idle);
    }

    fn screen(&self) -> ScreenKind {
        self.window.global::<UiState>().get_screen()
    }
}

fn report_scans(updated: &mut [Duration], drawn: &mut [Duration], sales: usize) {
    println!(
        "scan keys → cart ({} scans over {sales} sales, {CATALOGUE_SIZE} products)",
        updated.len()
    );
    print_scans("state updated", updated, "   (goal p99 < 1000 µs)");
    print_scans("frame drawn", drawn, "");
    println!();
}

fn print_scans(label: &str, samples: &mut [Duration], goal: &str) {
    let (p50, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
    println!(
        "  {label:<14} p50 {:>7.1} µs   p99 {:>7.1} µs   max {:>8.1} µs{goal}",
        micros(p50),
        micros(p99),
        micros(*samples.last().expect("samples"))
    );
}

fn report_frames(kiosk: &mut Kiosk) {
    let view = kiosk.core.view();
    let rendered = std::thread::spawn(move || render_frames(&view))
        .join()
        .expect("the rendering thread");
    println!(
        "full frame, cart screen with two lines, software renderer, 800×480 ({FRAMES} frames)"
    );
    for (label, mut frames) in rendered {
        print_frames(label, &mut frames);
    }
    let mut frames = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        let start = Instant::now();
        let snapshot = kiosk.window.window().take_snapshot().expect("a frame");
        frames.push(start.elapsed());
        assert_eq!((snapshot.width(), snapshot.height()), (800, 480));
    }
    print_frames("Window::take_snapshot() (RGBA copy)", &mut frames);
    println!();
}

fn print_frames(label: &str, frames: &mut [Duration]) {
    let (p50, p99) = (percentile(frames, 0.5), percentile(frames, 0.99));
    println!(
        "  {label:<38} p50 {:>6.2} ms   p99 {:>6.2} ms   (goal < 2 ms)",
        micros(p50) / 1e3,
        micros(p99) / 1e3
    );
}

/// Shows `view` in a new kiosk window on this thread and renders it `FRAMES` times (after one
/// frame to warm up), every pixel each time, into reused RGB888 and RGB565 buffers.
fn render_frames(view: &View) -> Vec<(&'static str, Vec<Duration>)> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    let platform = SoftwarePlatform {
        window: window.clone(),
    };
    slint::platform::set_platform(Box::new(platform)).expect("the software platform");
    let kiosk = ui::create_window(Arc::new(|_| {})).expect("window");
    kiosk
        .window()
        .set_size(slint::PhysicalSize::new(WIDTH as u32, HEIGHT as u32));
    kiosk.show().expect("show");
    ui::apply_view(&kiosk, view);
    let state = kiosk.global::<UiState>();
    assert_eq!(
        (state.get_screen(), state.get_lines().row_count()),
        (ScreenKind::Cart, 2)
    );
    let mut rgb888 = vec![Rgb8Pixel::default(); WIDTH * HEIGHT];
    let mut rgb565 = vec![Rgb565Pixel::default(); WIDTH * HEIGHT];
    vec![
        (
            "software renderer → RGB888 buffer",
            time_frames(&window, &mut rgb888),
        ),
        (
            "software renderer → RGB565 buffer",
            time_frames(&window, &mut rgb565),
        ),
    ]
}

fn time_frames<P: TargetPixel>(window: &MinimalSoftwareWindow, buffer: &mut [P]) -> Vec<Duration> {
    let mut frames = Vec::with_capacity(FRAMES);
    for frame in 0..=FRAMES {
        window.request_redraw();
        let start = Instant::now();
        let drawn = window.draw_if_needed(|renderer| {
            let region = renderer.render(buffer, WIDTH);
            assert_eq!(
                region.bounding_box_size(),
                slint::PhysicalSize::new(800, 480)
            );
        });
        let elapsed = start.elapsed();
        assert!(drawn, "a frame was drawn");
        if frame > 0 {
            frames.push(elapsed);
        }
    }
    frames
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
