//! What the kiosk shows, as plain Rust data: the contract between the core and the UI glue.
//!
//! The core builds a [`View`] after every input; the UI glue maps it to Slint properties. Nothing
//! here names a Slint type, so the whole resident flow is testable without a screen. Amounts stay
//! [`Money`] and are formatted for the chosen language by the glue.

use crate::domain::caps::CapPeriod;
use crate::domain::household::CardRefusal;
use crate::domain::sale::PaymentMethod;
use crate::domain::{Money, ProductId};
use crate::kiosk::photos::PhotoPixels;

/// Which screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Attract screen: scan your card, scan a pack, choose a language.
    Idle,
    Cart,
    /// The picture grid of what this freezer stocks, for labels that will not scan.
    Grid,
    UnknownCode,
    /// A pack of a recalled lot: do not eat it, leave it in the bin for staff.
    RecalledLot,
    /// A discreet welcome after a card scan; never the tier.
    CardAccepted,
    CardRefused(CardRefusal),
    CapReached,
    PaymentChoice,
    Cash,
    Prepaid,
    PayLater,
    Terminal(TerminalPhase),
    /// The sale is committed: take your packs, close the freezer.
    Done,
    /// Inactivity: a countdown before the cart is emptied.
    StillThere,
    /// The kiosk cannot record sales and takes none.
    OutOfOrder,
    /// Staff mode (badge and PIN).
    Staff(StaffScreen),
}

/// The screens of staff mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffScreen {
    /// Typing the badge's PIN.
    Pin,
    Menu,
    Restock,
    Count,
    Loss,
    Levels,
    Lots,
    Alarms,
    Temperature,
    Sync,
    Enrol,
}

impl Screen {
    /// Screens during which a scan is ignored (with a gentle sound) rather than acted on.
    pub fn is_paying(self) -> bool {
        matches!(
            self,
            Screen::PaymentChoice
                | Screen::Cash
                | Screen::Prepaid
                | Screen::PayLater
                | Screen::Terminal(_)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalPhase {
    Waiting,
    Declined,
    TimedOut,
}

/// Why the kiosk is out of order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfOrderReason {
    /// The database refused a write (disk full, I/O error).
    CannotRecord,
    /// No catalogue yet: the kiosk was never configured.
    NotConfigured,
    /// A cold-chain excursion: sales stop until staff check the freezer.
    ColdChain,
}

/// One line of the cart as the resident sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    pub product: ProductId,
    pub name: String,
    pub pictogram: String,
    /// The pack's photo, when the kiosk has it (else the pictogram is shown).
    pub photo: Option<PhotoPixels>,
    pub unit_weight_g: u32,
    pub quantity: u32,
    /// What this household pays per pack.
    pub unit_price: Money,
    pub line_price: Money,
}

/// A tile of the picture grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridItem {
    pub product: ProductId,
    pub name: String,
    pub pictogram: String,
    /// The pack's photo, when the kiosk has it (else the pictogram is shown).
    pub photo: Option<PhotoPixels>,
    pub unit_weight_g: u32,
    pub unit_price: Money,
}

/// What a reached cap leaves beside the cart as it stands, and over which period ("this week").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapLeft {
    pub period: CapPeriod,
    pub room: CapRoom,
}

/// Room left under a cap once the cart is counted, in the cap's unit: what may still be added;
/// negative when the cart alone is over the cap, by that much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapRoom {
    Items(i64),
    Amount(Money),
}

/// What the "put back" bar offers to undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoView {
    /// A line left the cart (`−` at one pack, or the bin): the product's name.
    Line { name: String },
    /// "Cancel everything" emptied the cart.
    Cart,
}

/// The sync worker's state, shown discreetly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncView {
    pub pending: u64,
    /// Local time of the last successful exchange with the hub (written per language by the glue).
    pub last_success: Option<chrono::NaiveTime>,
    /// Why the last exchange failed, for staff.
    pub last_error: Option<String>,
    /// The hub finds this kiosk's clock implausible.
    pub clock_suspect: bool,
}

/// Everything the UI needs to draw the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub screen: Screen,
    /// The reader's language: a folder of `locales/` (`fr-CA`, `en-CA`, `es`…).
    pub language: String,
    /// A card was accepted in this session (prices are the household's).
    pub has_card: bool,
    pub lines: Vec<LineView>,
    pub items: u32,
    pub net_weight_g: u64,
    /// What is due (before cash rounding).
    pub total: Money,
    /// The cash amount (rounded to 5 ¢).
    pub cash_total: Money,
    pub grid: Vec<GridItem>,
    /// Payment methods offered for this cart.
    pub methods: Vec<PaymentMethod>,
    pub balance_after: Option<Money>,
    pub owed_after: Option<Money>,
    pub cap_left: Option<CapLeft>,
    /// Seconds left on the "still there?" countdown.
    pub countdown: u32,
    /// A removal that can still be put back.
    pub undo: Option<UndoView>,
    pub out_of_order: Option<OutOfOrderReason>,
    /// The sync worker's status, once the kiosk is enrolled with a hub.
    pub sync: Option<SyncView>,
    /// Staff mode's data, while in staff mode.
    pub staff: Option<StaffView>,
    /// The speaker may play at this moment: not muted, not within quiet hours.
    pub voice_on: bool,
}

/// A short confirmation or error shown on a staff screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffNotice {
    Saved,
    WrongPin,
    Enrolling,
    Enrolled,
    /// Enrolment failed: why, in the hub's or network's words.
    EnrolFailed(String),
    /// No hub address in the kiosk's settings.
    NoHubAddress,
    SyncRequested,
    /// "Send now" on a kiosk not linked to a hub.
    NotLinked,
    /// A PIN typed while the badge is locked.
    BadgeLocked,
    HoldCleared,
    /// A pack of a recalled lot scanned to restock: it stays out of the freezer.
    RecalledLot,
}

/// A product's stock, for the levels screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRow {
    pub name: String,
    pub pictogram: String,
    /// The pack's photo, when the kiosk has it (else the pictogram is shown).
    pub photo: Option<PhotoPixels>,
    pub level: i64,
}

/// A lot in the freezer, for the lots screen, in first-expiry-first-out order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotRow {
    pub name: String,
    pub pictogram: String,
    /// The pack's photo, when the kiosk has it (else the pictogram is shown).
    pub photo: Option<PhotoPixels>,
    pub lot: String,
    pub best_before: Option<chrono::NaiveDate>,
    pub level: i64,
    /// The product's lot to sell first.
    pub first_out: bool,
    pub expired: bool,
    /// Under an open recall: pull these packs.
    pub recalled: bool,
}

/// An alarm event, for the alarms screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmRow {
    pub kind: crate::domain::event::AlarmKind,
    pub raised: bool,
    /// Local date and time, to the minute.
    pub at: chrono::NaiveDateTime,
}

/// What staff mode shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StaffView {
    pub staff: Option<crate::domain::StaffId>,
    pub pin_failures_left: u32,
    /// Local time the badge is locked until.
    pub locked_until: Option<chrono::NaiveTime>,
    pub notice: Option<StaffNotice>,
    /// The product being restocked, counted or written off.
    pub product: Option<GridItem>,
    pub lot: Option<String>,
    pub best_before: Option<chrono::NaiveDate>,
    pub quantity: i64,
    /// The books' level of the chosen product (count screen).
    pub book_level: Option<i64>,
    pub reason: Option<crate::domain::stock::LossReason>,
    pub levels: Vec<LevelRow>,
    pub lots: Vec<LotRow>,
    pub alarms: Vec<AlarmRow>,
    /// A cold-chain excursion awaits a staff check.
    pub hold: bool,
    /// The last 24 hours of freezer temperature: (seconds ago, thousandths of °C), oldest first.
    pub temperatures: Vec<(i64, i32)>,
    pub max_millicelsius: i32,
    pub hub: Option<String>,
}

impl View {
    pub fn new(language: &str) -> View {
        View {
            screen: Screen::Idle,
            language: language.to_owned(),
            has_card: false,
            lines: vec![],
            items: 0,
            net_weight_g: 0,
            total: Money::ZERO,
            cash_total: Money::ZERO,
            grid: vec![],
            methods: vec![],
            balance_after: None,
            owed_after: None,
            cap_left: None,
            countdown: 0,
            undo: None,
            out_of_order: None,
            sync: None,
            staff: None,
            voice_on: true,
        }
    }
}
