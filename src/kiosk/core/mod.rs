//! The kiosk core: the resident's purchase flow, off the UI thread.
//!
//! The core owns the cart, the store connection, pricing and payments. It takes [`Input`]s — scans,
//! taps, ticks, terminal answers — and answers each with a [`View`] for the UI glue to draw. It never
//! names a Slint type and never waits: slow things (the card terminal) answer later as inputs.
//! Timeouts use the injected [`Clock`], so tests drive time by hand.

mod flow;
mod pay;
mod space;
mod staff;
mod staff_stock;
mod staff_view;
mod timers;
mod undo;
mod view_builder;
mod voice;

pub use space::DEFAULT_RESERVE_BYTES;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::domain::ProductId;
use crate::domain::cart::{Cart, Debouncer};
use crate::domain::household::{CardHash, Household};
use crate::domain::sale::PaymentMethod;
use crate::domain::tier::Tier;
use crate::store::{KioskStore, StoreError};

use super::feedback::{Feedback, FeedbackSink};
use super::terminal::{CardTerminal, TerminalOutcome, TerminalReply};
use super::view::{CapLeft, OutOfOrderReason, Screen, StaffScreen, SyncView, View};
use crate::clock::Clock;
use crate::clock_trust::{ClockWatch, SyncSource};
use crate::domain::Seq;
use crate::domain::stock::LossReason;
use crate::kiosk::photos::PhotoLibrary;
use chrono::{DateTime, NaiveDate, Utc};

/// Something that happened, for the core to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A complete scan from any scanner (or typed under the picture grid).
    Scan(String),
    /// A tap on the screen.
    Action(Action),
    /// Time passed (about every quarter second).
    Tick,
    /// The card terminal answered attempt `attempt`.
    Terminal {
        attempt: u64,
        outcome: TerminalOutcome,
    },
    /// The sync worker's latest status.
    Sync(SyncView),
    /// The answer to an enrolment: the kiosk id given by the hub, or why it failed.
    Enrolment(Result<i64, String>),
    /// The cold-chain hold was raised (an excursion) or lifted, as the hardware worker saw it.
    ColdChainHold(bool),
    /// The window closed: the core stops.
    Shutdown,
}

/// What the resident tapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A language button: a folder of `locales/`.
    SetLanguage(String),
    OpenGrid,
    CloseGrid,
    /// A tile of the picture grid.
    AddProduct(ProductId),
    Increment(ProductId),
    Decrement(ProductId),
    Remove(ProductId),
    CancelAll,
    Pay,
    ChooseMethod(PaymentMethod),
    /// "I paid" (cash box), "Use my balance", "Put it on my tab".
    ConfirmPayment,
    /// Back one step.
    Back,
    /// After a refused card: continue without it.
    BuyAtFullPrice,
    /// Closes a notice (unknown code, welcome, cap reached).
    Dismiss,
    /// Answers the "still there?" countdown.
    StillHere,
    /// "Put back" what the last `−`, bin or "cancel everything" removed.
    Undo,
    CancelTerminal,
    RetryTerminal,
    /// Staff mode: the PIN typed on the keypad.
    SubmitPin(String),
    /// Staff mode: open a screen from the menu (or go back to the menu).
    StaffOpen(StaffScreen),
    /// Staff mode: a product chosen by its picture.
    StaffPick(ProductId),
    /// Staff mode: the big −/+ on a quantity.
    StaffQuantity(i64),
    /// Staff mode: move the best-before date by months.
    StaffBestBefore(i32),
    StaffReason(LossReason),
    /// Staff mode: save the restock, count or loss.
    StaffConfirm,
    StaffClearHold,
    StaffSyncNow,
    /// Leaves staff mode.
    StaffLeave,
    /// "Listen": say the screen's instruction again.
    Listen,
}

/// What the kiosk asks of the rest of the program: the door, the hub.
pub trait KioskServices: Send {
    /// The sale at this event seq was just committed: the door may open, the hub should hear.
    fn sale_committed(&mut self, sale: Seq);
    /// Staff asked for a sync now.
    fn sync_now(&mut self);
    /// Enrol with the hub at `hub_url` using a scanned code; the answer comes back as
    /// [`Input::Enrolment`].
    fn enrol(&mut self, hub_url: &str, code: &str);
    /// Staff checked the freezer: lift the cold-chain hold through the hardware worker. `None`
    /// when there is no worker (the core then lifts it in the store itself); otherwise whether
    /// there was a hold.
    fn clear_cold_chain_hold(&mut self) -> Option<Result<bool, String>> {
        None
    }
}

/// For a kiosk without door or hub (tests, a bare demo).
#[derive(Debug, Default)]
pub struct NoServices;

impl KioskServices for NoServices {
    fn sale_committed(&mut self, _sale: Seq) {}
    fn sync_now(&mut self) {}
    fn enrol(&mut self, _hub_url: &str, _code: &str) {}
}

/// How long things last, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// No touch or scan for this long opens the "still there?" countdown.
    pub inactivity_ms: u64,
    /// The countdown's length before the cart is emptied.
    pub still_there_ms: u64,
    /// How long a notice (welcome, unknown code) stays before returning by itself, unless touched:
    /// long enough for a slow reader.
    pub notice_ms: u64,
    /// How long a removed line or a cancelled cart can be put back.
    pub undo_ms: u64,
    /// How long the "done" screen stays.
    pub done_ms: u64,
    /// How long the card terminal may take before the attempt is abandoned.
    pub terminal_timeout_ms: u64,
    /// How often an out-of-order kiosk checks whether it can record again.
    pub recovery_probe_ms: u64,
    /// Staff mode closes by itself after this long without a touch.
    pub staff_inactivity_ms: u64,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            inactivity_ms: 60_000,
            still_there_ms: 20_000,
            notice_ms: 8_000,
            undo_ms: 8_000,
            done_ms: 8_000,
            terminal_timeout_ms: 90_000,
            recovery_probe_ms: 30_000,
            staff_inactivity_ms: 120_000,
        }
    }
}

/// A household whose card was accepted in this session.
#[derive(Debug, Clone)]
struct Buyer {
    card: CardHash,
    household: Household,
    tier: Tier,
}

/// One resident's visit, from the first scan to "done".
#[derive(Debug, Clone, Default)]
struct Session {
    buyer: Option<Buyer>,
    cart: Cart,
    cap_left: Option<CapLeft>,
    method: Option<PaymentMethod>,
}

/// Everything the core is given at start-up.
pub struct CoreParts {
    pub store: KioskStore,
    pub clock: Arc<dyn Clock>,
    pub terminal: Box<dyn CardTerminal>,
    /// Where the terminal's answers go (back into this core's input queue).
    pub terminal_reply: TerminalReply,
    pub feedback: Box<dyn FeedbackSink>,
    pub timings: Timings,
    /// The language the kiosk starts in and returns to after each visit.
    pub default_language: String,
    /// The door and the hub.
    pub services: Box<dyn KioskServices>,
    /// The collective's hub, for enrolment by scanning its code.
    pub hub_url: Option<String>,
}

pub struct KioskCore {
    store: KioskStore,
    clock: Arc<dyn Clock>,
    terminal: Box<dyn CardTerminal>,
    terminal_reply: TerminalReply,
    feedback: Box<dyn FeedbackSink>,
    timings: Timings,
    services: Box<dyn KioskServices>,
    hub_url: Option<String>,
    default_language: String,
    language: String,
    screen: Screen,
    /// Where a notice or the countdown returns to.
    resume: Screen,
    session: Session,
    /// The last removal, while it can be put back.
    undo: Option<undo::Undo>,
    debouncer: Debouncer,
    last_activity_ms: u64,
    screen_since_ms: u64,
    terminal_attempt: u64,
    out_of_order: Option<OutOfOrderReason>,
    last_probe_ms: u64,
    sync: Option<SyncView>,
    /// Staff mode, while a badge is in.
    staff: Option<staff::StaffState>,
    /// What an enrolment scanned on the out-of-order screen is doing (no staff mode then).
    bootstrap_notice: Option<crate::kiosk::view::StaffNotice>,
    /// The last view built, reused by quiet ticks (see `view_builder`).
    last_view: Option<View>,
    /// When `last_view` was built (monotonic ms).
    last_view_ms: u64,
    /// Something the view shows may have changed since `last_view` was built.
    view_stale: bool,
    /// What the speaker says (silent unless given one: [`KioskCore::set_voice`]).
    voice: voice::CoreVoice,
    /// Product photos from the cache the sync worker fills, decoded once each.
    photos: PhotoLibrary,
    /// Free bytes kept on the database's disk (`space.rs`).
    disk_reserve: u64,
    /// The judgement of the wall clock, once [`KioskCore::watch_clock`] is called; without it the
    /// clock is taken as it reads.
    clock_watch: Option<ClockWatch>,
}

impl KioskCore {
    pub fn new(parts: CoreParts) -> KioskCore {
        let now = parts.clock.monotonic_ms();
        let photos = PhotoLibrary::new(parts.store.photos_dir());
        let mut core = KioskCore {
            photos,
            store: parts.store,
            clock: parts.clock,
            terminal: parts.terminal,
            terminal_reply: parts.terminal_reply,
            feedback: parts.feedback,
            timings: parts.timings,
            services: parts.services,
            hub_url: parts.hub_url,
            language: parts.default_language.clone(),
            default_language: parts.default_language,
            screen: Screen::Idle,
            resume: Screen::Idle,
            session: Session::default(),
            undo: None,
            debouncer: Debouncer::default(),
            last_activity_ms: now,
            screen_since_ms: now,
            terminal_attempt: 0,
            out_of_order: None,
            last_probe_ms: now,
            sync: None,
            staff: None,
            bootstrap_notice: None,
            last_view: None,
            last_view_ms: now,
            view_stale: true,
            voice: voice::CoreVoice::default(),
            disk_reserve: DEFAULT_RESERVE_BYTES,
            clock_watch: None,
        };
        core.check_configured();
        core
    }

    /// Acts on one input and returns what to show.
    pub fn handle(&mut self, input: Input) -> View {
        // Every input but a tick may change the cart, the screen or the stock.
        self.view_stale |= input != Input::Tick;
        self.judge_clock();
        let by_person = matches!(input, Input::Scan(_) | Input::Action(_));
        match input {
            Input::Scan(text) => self.on_scan(&text),
            Input::Action(Action::Listen) => {
                self.touch();
                self.voice.listen();
            }
            Input::Action(action) => {
                self.touch();
                self.on_action(action);
            }
            Input::Tick => self.on_tick(),
            Input::Terminal { attempt, outcome } => self.on_terminal(attempt, outcome),
            Input::Sync(status) => {
                // A round may have brought photos that were missing.
                self.photos.recheck_missing();
                self.sync = Some(status);
            }
            Input::Enrolment(result) => self.on_enrolment(result),
            Input::ColdChainHold(raised) => self.on_cold_chain_hold(raised),
            Input::Shutdown => {}
        }
        let view = self.fresh_or_last_view();
        self.speak_for(&view, by_person);
        view
    }

    /// The current view, read afresh, without acting on anything.
    pub fn view(&mut self) -> View {
        let view = match self.build_view() {
            Ok(view) => view,
            Err(error) => {
                self.fail(error);
                self.build_view()
                    .unwrap_or_else(|_| self.out_of_order_view())
            }
        };
        self.remember_view(&view);
        view
    }

    pub fn store(&self) -> &KioskStore {
        &self.store
    }

    /// Judges the wall clock before each input after this call: events written while it is doubted
    /// (before `built`, before the last trusted time, or unsynchronised per `source`) are marked,
    /// and dates (caps, best-before, card expiry) count from the last trusted time meanwhile.
    pub fn watch_clock(&mut self, source: Arc<dyn SyncSource>, built: DateTime<Utc>) {
        let last_trusted = self.store.last_trusted_event_at().unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the last trusted event time");
            None
        });
        self.clock_watch = Some(ClockWatch::new(source, built, last_trusted));
        self.judge_clock();
    }

    /// Judges the clock now and tells the store which mark to put on what it writes.
    fn judge_clock(&mut self) {
        if let Some(watch) = &mut self.clock_watch {
            let _verdict = watch.observe(self.clock.now());
            self.store.set_clock_mark(watch.mark());
        }
    }

    /// The time dates count from: the clock, never before the last trusted time while the clock
    /// is doubted. (Records keep the clock's own reading, marked.)
    fn dating_now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        self.clock_watch
            .as_ref()
            .map_or(now, |watch| watch.effective_now(now))
    }

    /// Today's local date for caps, best-before and card expiry ([`KioskCore::dating_now`]).
    fn today(&self) -> NaiveDate {
        crate::clock::local_date(self.dating_now())
    }

    fn now_ms(&self) -> u64 {
        self.clock.monotonic_ms()
    }

    fn touch(&mut self) {
        self.last_activity_ms = self.now_ms();
    }

    fn show(&mut self, screen: Screen) {
        self.view_stale = true;
        self.screen = screen;
        self.screen_since_ms = self.now_ms();
    }

    fn emit(&mut self, feedback: Feedback) {
        self.feedback.emit(feedback);
        self.voice.on_feedback(feedback);
    }

    /// Where to go when a notice closes: the cart if the visit has started, else the attract screen.
    fn home(&self) -> Screen {
        if self.session.cart.is_empty() && self.session.buyer.is_none() {
            Screen::Idle
        } else {
            Screen::Cart
        }
    }

    /// Ends the visit: empty cart, no card, default language; back to the attract screen, or to
    /// "out of order" if the kiosk is.
    fn reset_session(&mut self) {
        self.session = Session::default();
        self.undo = None;
        self.debouncer.reset();
        self.language = self.default_language.clone();
        let next = if self.out_of_order.is_some() {
            Screen::OutOfOrder
        } else {
            Screen::Idle
        };
        self.show(next);
    }

    /// The store failed: the kiosk stops taking sales until a probe succeeds.
    fn fail(&mut self, error: StoreError) {
        tracing::error!(%error, "the kiosk cannot use its database; out of order");
        self.out_of_order = Some(OutOfOrderReason::CannotRecord);
        self.emit(Feedback::Error);
        self.show(Screen::OutOfOrder);
    }

    fn check_configured(&mut self) {
        let configured = matches!(self.store.config_version(), Ok(Some(_)));
        let has_id = self.store.kiosk_id().is_ok();
        if !configured || !has_id {
            tracing::warn!(
                configured,
                has_id,
                "the kiosk has no configuration or id; out of order"
            );
            self.out_of_order = Some(OutOfOrderReason::NotConfigured);
            self.show(Screen::OutOfOrder);
        } else if self.cold_chain_stops_sales() {
            tracing::warn!("a cold-chain excursion awaits a staff check; out of order");
            self.out_of_order = Some(OutOfOrderReason::ColdChain);
            self.show(Screen::OutOfOrder);
        }
    }

    /// Whether a cold-chain hold is on and this kiosk stops sales for it.
    fn cold_chain_stops_sales(&self) -> bool {
        let held = matches!(self.store.cold_chain_hold(), Ok(Some(_)));
        held && self
            .store
            .thresholds()
            .is_ok_and(|t| t.stop_sales_on_excursion)
    }

    fn on_cold_chain_hold(&mut self, raised: bool) {
        if raised && self.cold_chain_stops_sales() && self.out_of_order.is_none() {
            self.out_of_order = Some(OutOfOrderReason::ColdChain);
            if self.staff.is_none() {
                self.reset_session();
                self.show(Screen::OutOfOrder);
            }
        } else if !raised && self.out_of_order == Some(OutOfOrderReason::ColdChain) {
            self.out_of_order = None;
            if self.staff.is_none() {
                self.reset_session();
            }
        }
    }
}
