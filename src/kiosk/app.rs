//! Wiring the kiosk: the UI on the main thread, the core on its own thread, scanners and the
//! card terminal on theirs, all feeding one input queue.
//!
//! ```text
//! scanners (evdev, serial) ─┐
//! window keys (wedge) ──────┼──► input channel ──► core thread ──► View ──► upgrade_in_event_loop
//! taps ─────────────────────┤                      (store, cart,            └─► apply_view (UI)
//! card terminal answers ────┘                       pricing, commit) ──► voice thread (speaker)
//! ```
//!
//! Under systemd the UI thread also tells it the kiosk is ready and alive, reading the heartbeat
//! the core bumps on every turn of its loop (`watchdog`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use slint::ComponentHandle;
use thiserror::Error;

use super::core::{CoreParts, Input, KioskCore};
use super::feedback::{BuzzerFeedback, FeedbackSink};
use super::scanner::{ScanSink, evdev_reader, serial_reader};
use super::services::AppServices;
use super::settings::KioskSettings;
use super::terminal::{SimulatedTerminal, TerminalReply};
use super::ui::{self, InputSink, KioskWindow};
use super::view::View;
use super::voice::player::AudioPlayer;
use super::watchdog::{Heartbeat, KioskWatchdog};
use crate::clock::{Clock, SystemClock};
use crate::clock_trust::Timedatectl;
use crate::hardware::{HardwareEvent, HardwareHandle};
use crate::store::{KioskStore, StoreError};
use crate::sync::{SyncHandle, SyncOptions};

/// How often the core wakes up with nothing to do (timeouts, countdown).
const TICK: Duration = Duration::from_millis(250);
/// How often the system is asked whether its clock is synchronised.
const CLOCK_SYNC_POLL: Duration = Duration::from_secs(30);
/// How long the simulated card terminal takes to answer.
const SIMULATED_TERMINAL_DELAY: Duration = Duration::from_secs(2);

#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the kiosk window cannot open: {0}")]
    Window(#[from] slint::PlatformError),
    #[error(transparent)]
    Evdev(#[from] evdev_reader::EvdevError),
    #[error(transparent)]
    Serial(#[from] serial_reader::SerialError),
    #[error("the sync worker cannot start: {0}")]
    Sync(#[from] crate::sync::SyncError),
    #[error(transparent)]
    Hardware(#[from] crate::hardware::HardwareError),
    #[error("cannot watch for SIGTERM: {0}")]
    Signals(std::io::Error),
}

/// Runs the kiosk until its window closes.
pub fn run(settings: KioskSettings) -> Result<(), AppError> {
    run_with_clock(settings, Arc::new(SystemClock::default()))
}

/// [`run`] with the core reading the time from `clock` (tests stop it to hang the core).
pub fn run_with_clock(settings: KioskSettings, clock: Arc<dyn Clock>) -> Result<(), AppError> {
    let mut store = KioskStore::open(&settings.db)?;
    // The resident never waits for a WAL checkpoint: the core runs it after "done".
    store.defer_checkpoints()?;
    let (sender, receiver) = mpsc::channel::<Input>();
    let sink: InputSink = Arc::new(move |input| {
        // The core thread only ends when the window has closed; a late input is then moot.
        let _ = sender.send(input);
    });
    // Devices first: a configured lock pin, probe or scanner that is missing stops the kiosk with
    // a message naming it, before a window promises sales it could not complete.
    let hardware = start_hardware(&settings, &sink)?;
    start_scanners(&settings, &sink)?;
    crate::sync::install_crypto_provider();
    let sync = SyncHandle::start(settings.db.clone(), SyncOptions::default())?;
    let window = ui::create_window(sink.clone())?;
    if settings.fullscreen {
        window.window().set_fullscreen(true);
    }
    let feedback = BuzzerFeedback::of(&hardware);
    let services = AppServices::new(sync, hardware, sink.clone());
    let running = Arc::new(AtomicBool::new(true));
    let status_thread = services.watch_status(running.clone());
    let mut core = KioskCore::new(core_parts(
        &settings,
        store,
        clock,
        &sink,
        services,
        Box::new(feedback),
    ));
    core.set_disk_reserve(settings.disk_reserve_bytes());
    // A Pi without a battery clock may boot days behind: events are marked until it is trusted.
    core.watch_clock(
        Arc::new(Timedatectl::spawn(CLOCK_SYNC_POLL)),
        crate::clock_trust::built_at(),
    );
    // The speaker plays on its own thread; without one the kiosk is silent.
    core.set_voice(Box::new(AudioPlayer::start(settings.voice_dir.clone())));
    // The first view is on the window before the event loop draws its first frame.
    let first = core.view();
    ui::apply_view(&window, &first);
    let heartbeat = Heartbeat::default();
    let core_thread = spawn_core(core, receiver, window.as_weak(), first, heartbeat.clone());
    ui::fit_to_screen_once_shown(&window);
    let systemd = KioskWatchdog::from_env(heartbeat).map(ui::watchdog::start);
    close_on_signals()?;
    window.run()?;
    if let Some(systemd) = systemd {
        systemd.stopping();
    }
    drop(window);
    running.store(false, Ordering::Relaxed);
    sink(Input::Shutdown);
    // Dropping the core drops its services: the sync worker stops and its thread is joined.
    let _ = core_thread.join();
    let _ = status_thread.join();
    Ok(())
}

fn core_parts(
    settings: &KioskSettings,
    store: KioskStore,
    clock: Arc<dyn Clock>,
    sink: &InputSink,
    services: AppServices,
    feedback: Box<dyn FeedbackSink>,
) -> CoreParts {
    let reply_sink = sink.clone();
    let terminal_reply: TerminalReply =
        Arc::new(move |attempt, outcome| reply_sink(Input::Terminal { attempt, outcome }));
    CoreParts {
        store,
        clock,
        terminal: Box::new(SimulatedTerminal::new(
            settings.terminal.simulated(),
            SIMULATED_TERMINAL_DELAY,
        )),
        terminal_reply,
        feedback,
        timings: settings.timings(),
        default_language: settings.language.clone(),
        services: Box::new(services),
        hub_url: settings.hub_url.clone(),
    }
}

/// SIGTERM (`systemctl stop`) or SIGINT closes the window, so the kiosk shuts down as when its
/// window closes: systemd hears `STOPPING=1`, the workers stop, the lock is locked, the LED off.
fn close_on_signals() -> Result<(), AppError> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(AppError::Signals)?;
    // Registered here, before the window opens, so a signal that comes early is not lost.
    let (mut term, mut int) = {
        let _entered = runtime.enter();
        let term = signal(SignalKind::terminate()).map_err(AppError::Signals)?;
        let int = signal(SignalKind::interrupt()).map_err(AppError::Signals)?;
        (term, int)
    };
    std::thread::Builder::new()
        .name("kiosk-signals".into())
        .spawn(move || {
            runtime.block_on(async {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
                    _ = int.recv() => tracing::info!("SIGINT: shutting down"),
                }
            });
            let _ = slint::quit_event_loop();
        })
        .map_err(AppError::Signals)?;
    Ok(())
}

/// The hardware worker: door lock, door switch, buzzer, LED, probe (simulated in the demo). Real
/// devices that are not there fail here, with a message naming the pin or device.
fn start_hardware(settings: &KioskSettings, sink: &InputSink) -> Result<HardwareHandle, AppError> {
    let hardware = crate::hardware::build(&settings.hardware)?;
    let sink = sink.clone();
    let on_event = Box::new(move |event: HardwareEvent| {
        if let HardwareEvent::ColdChainHold { held, .. } = event {
            sink(Input::ColdChainHold(held));
        }
    });
    Ok(HardwareHandle::spawn(
        &settings.db,
        hardware,
        settings.hardware.worker_options(),
        on_event,
    )?)
}

/// Scanners besides the window's keyboard wedge, each on its own thread.
fn start_scanners(settings: &KioskSettings, sink: &InputSink) -> Result<(), AppError> {
    let scan_sink = |sink: &InputSink| -> ScanSink {
        let sink = sink.clone();
        Arc::new(move |scan| sink(Input::Scan(scan)))
    };
    if let Some(device) = &settings.scanners.evdev {
        evdev_reader::start(device, scan_sink(sink))?;
    }
    if let Some(port) = &settings.scanners.serial {
        serial_reader::start(port, settings.scanners.serial_baud, scan_sink(sink))?;
    }
    Ok(())
}

/// The core's loop: one input (or a tick) at a time, answered with a view for the UI. `shown` is
/// the view already on the window.
fn spawn_core(
    core: KioskCore,
    inputs: mpsc::Receiver<Input>,
    window: slint::Weak<KioskWindow>,
    shown: View,
    heartbeat: Heartbeat,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("kiosk-core".into())
        .spawn(move || {
            run_core(core, &inputs, &window, shown, &heartbeat);
            tracing::info!("kiosk core stopped");
        })
        .expect("spawning the core thread")
}

/// Handles inputs until shutdown. Inputs queued while one was handled (a burst of keys, taps or
/// terminal answers) are all handled before the UI is sent the resulting view, once; a view equal
/// to the one last sent (most ticks) is not sent at all, so the UI thread draws only changes.
/// Each turn bumps `heartbeat`: the systemd watchdog pings only while it moves.
fn run_core(
    mut core: KioskCore,
    inputs: &mpsc::Receiver<Input>,
    window: &slint::Weak<KioskWindow>,
    mut shown: View,
    heartbeat: &Heartbeat,
) {
    loop {
        heartbeat.beat();
        let input = match inputs.recv_timeout(TICK) {
            Ok(Input::Shutdown) | Err(RecvTimeoutError::Disconnected) => return,
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => Input::Tick,
        };
        let view = core.handle(input);
        let Some(view) = handle_queued(&mut core, inputs, view) else {
            return;
        };
        if view == shown {
            continue;
        }
        shown = view.clone();
        if window
            .upgrade_in_event_loop(move |w| ui::apply_view(&w, &view))
            .is_err()
        {
            return;
        }
    }
}

/// Handles every input already queued after the one that gave `view`; the last view, or `None`
/// at shutdown.
fn handle_queued(
    core: &mut KioskCore,
    inputs: &mpsc::Receiver<Input>,
    mut view: View,
) -> Option<View> {
    loop {
        match inputs.try_recv() {
            Ok(Input::Shutdown) | Err(TryRecvError::Disconnected) => return None,
            Ok(input) => view = core.handle(input),
            Err(TryRecvError::Empty) => return Some(view),
        }
    }
}
