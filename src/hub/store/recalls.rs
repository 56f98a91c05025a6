//! Recalls in storage: which lots a recall covers, where each went, and opening and closing one.
//!
//! A recall starts from what the collective hears about: a lot code, a production batch, or an
//! intake ("the farm says that delivery was contaminated"), and is stored with every lot it
//! covers, so what kiosks refuse does not change if a batch is edited later. The trace of a lot
//! (restocked, sold, left, lost per kiosk) is read from the hub's projections at the time of
//! reading; it counts packs and never names a household. The SQLite side is
//! `hub/store/sqlite/recalls.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::HubStoreError;
use super::users::Audit;
use crate::domain::product::Locale;
use crate::domain::{KioskId, ProductId, SiteId};

/// What a recall starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecallOrigin {
    /// A lot code, of one product or (`None`) of every product that has a lot of that code.
    Lot {
        product: Option<ProductId>,
        lot: String,
    },
    /// A production batch, by its id: its lot.
    Batch(i64),
    /// An intake, by its id: the lots of every batch that used it.
    Intake(i64),
}

impl RecallOrigin {
    /// Its kind as stored and shown (`lot`, `batch`, `intake`).
    pub fn kind(&self) -> &'static str {
        match self {
            RecallOrigin::Lot { .. } => "lot",
            RecallOrigin::Batch(_) => "batch",
            RecallOrigin::Intake(_) => "intake",
        }
    }
}

/// A recall as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallSummary {
    pub id: i64,
    /// `lot`, `batch` or `intake`.
    pub origin: String,
    /// The lot code, the batch's id or the intake's id, as typed.
    pub origin_ref: String,
    pub reason: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub close_reason: Option<String>,
    /// The lots it covers.
    pub lots: Vec<RecalledLotRow>,
}

impl RecallSummary {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// One lot a recall covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecalledLotRow {
    pub product: ProductId,
    pub product_name: String,
    pub lot: String,
    /// From `lot_dates` (a batch's best-before, or the date kiosks read on the label).
    pub best_before: Option<NaiveDate>,
}

/// Where one recalled lot went at one kiosk, in packs. Never a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallTraceRow {
    pub product: ProductId,
    pub product_name: String,
    pub lot: String,
    pub kiosk: KioskId,
    pub kiosk_name: String,
    pub site: SiteId,
    pub site_name: String,
    /// Packs put in the freezer (restock movements).
    pub restocked: i64,
    /// Packs sold (voided sales excluded).
    pub sold: i64,
    /// Packs the books say are still there: these are the ones to pull.
    pub left: i64,
    /// Packs written off (loss movements).
    pub lost: i64,
}

/// A recall with where its lots went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallDetail {
    pub recall: RecallSummary,
    pub trace: Vec<RecallTraceRow>,
}

/// The recall pages' and commands' storage. Every method is one transaction.
pub trait RecallStore {
    /// Opens a recall of every lot `origin` covers, with its audit row; the configuration version
    /// goes up, so every kiosk refuses those lots after its next pull. An origin that names no lot
    /// (unknown batch or intake, a lot code seen nowhere, an empty reason) is `Invalid` or
    /// `NotFound`, and nothing is written.
    fn open_recall(
        &self,
        origin: &RecallOrigin,
        reason: &str,
        at: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<i64, HubStoreError>;
    /// Closes an open recall, with why (kiosks sell its lots again after their next pull).
    fn close_recall(
        &self,
        id: i64,
        reason: &str,
        at: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    /// Every recall, open ones first, newest first.
    fn recalls(&self, lang: Locale) -> Result<Vec<RecallSummary>, HubStoreError>;
    /// One recall with its trace, limited to one site's kiosks when `site` is given.
    fn recall_detail(
        &self,
        id: i64,
        site: Option<SiteId>,
        lang: Locale,
    ) -> Result<Option<RecallDetail>, HubStoreError>;
}
