//! Households, their cards and prepaid ledger in storage (households are pseudonymous: no names).
//!
//! Every write takes its [`Audit`] and records it in the same transaction as the change; the
//! schema's triggers bump the configuration version, so kiosks pull balances and cards at their
//! next sync. The SQLite side is `hub/store/sqlite/households.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use super::HubStoreError;
use super::users::Audit;
use crate::domain::caps::Cap;
use crate::domain::household::{CardHash, HouseholdStatus};
use crate::domain::{HouseholdId, Money, TierId};

/// What staff set on a household (no names: households are pseudonymous).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdFields {
    pub tier: TierId,
    pub status: HouseholdStatus,
    pub expires_on: Option<NaiveDate>,
    /// The household's own caps; empty: the tier's apply.
    pub caps: Vec<Cap>,
}

impl HouseholdFields {
    /// An active household of `tier`, without expiry or caps of its own.
    pub fn active(tier: TierId) -> HouseholdFields {
        HouseholdFields {
            tier,
            status: HouseholdStatus::Active,
            expires_on: None,
            caps: vec![],
        }
    }
}

/// A new household: what staff set, plus what only the command line sets today (an opening
/// prepaid balance, a pay-later limit, the hashes of its first cards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHousehold {
    pub fields: HouseholdFields,
    /// Opening prepaid balance (`None`: no prepaid account); written with its ledger line.
    pub balance: Option<Money>,
    /// How much it may owe through pay-later (`None`: pay-later refused).
    pub pay_later_limit: Option<Money>,
    pub cards: Vec<CardHash>,
}

impl NewHousehold {
    /// A household with these fields and nothing else (the households page's "new household").
    pub fn with_fields(fields: HouseholdFields) -> NewHousehold {
        NewHousehold {
            fields,
            balance: None,
            pay_later_limit: None,
            cards: Vec::new(),
        }
    }
}

/// A household as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: HouseholdId,
    pub fields: HouseholdFields,
    pub tier_label: String,
    /// `None`: no prepaid account.
    pub balance: Option<Money>,
    pub pay_later_owed: Money,
    /// Cards not revoked.
    pub live_cards: u32,
    pub created_at: DateTime<Utc>,
}

/// One card of a household: its hash only (the secret was printed once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardSummary {
    pub hash: CardHash,
    pub revoked: bool,
    pub created_at: DateTime<Utc>,
}

/// One line of a household's prepaid ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub at: DateTime<Utc>,
    pub delta: Money,
    pub balance_after: Money,
    pub reason: String,
    pub login: String,
}

/// A household's page: its summary, cards and ledger (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdDetail {
    pub summary: HouseholdSummary,
    pub cards: Vec<CardSummary>,
    pub adjustments: Vec<Adjustment>,
}

/// Who receives a batch of new cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardTarget {
    /// Every card to this household (it must be active).
    Household(HouseholdId),
    /// A distribution day: one new household with these fields per card.
    NewHouseholds(HouseholdFields),
}

/// A batch of cards to store. `nonce` is the random token of the form that asked for it: a
/// second batch with the same nonce is refused (`Duplicate`) and stores nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardBatch {
    pub nonce: String,
    pub target: CardTarget,
    pub cards: Vec<CardHash>,
}

/// The households and cards pages' storage. Every method is one transaction.
pub trait HouseholdStore {
    /// Every household, by id.
    fn households(&self) -> Result<Vec<HouseholdSummary>, HubStoreError>;
    fn household(&self, id: HouseholdId) -> Result<Option<HouseholdDetail>, HubStoreError>;
    /// Creates a household with its cards. An unknown tier is `NotFound`, a card code in use
    /// `Duplicate`, a negative amount or one above
    /// [`MAX_INPUT_CENTS`](crate::domain::money::MAX_INPUT_CENTS) `Invalid`.
    fn create_household(
        &self,
        household: &NewHousehold,
        audit: &Audit,
    ) -> Result<HouseholdId, HubStoreError>;
    fn update_household(
        &self,
        id: HouseholdId,
        fields: &HouseholdFields,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    /// Adds `delta` to the prepaid balance (a household without one gets one) with its ledger
    /// line; refuses a balance that would go below zero (`Invalid`). Returns the new balance.
    fn adjust_balance(
        &self,
        id: HouseholdId,
        delta: Money,
        reason: &str,
        audit: &Audit,
    ) -> Result<Money, HubStoreError>;
    /// Stores a batch; returns each card's household, in the batch's order.
    fn issue_cards(
        &self,
        batch: &CardBatch,
        audit: &Audit,
    ) -> Result<Vec<HouseholdId>, HubStoreError>;
    /// Revokes the household's live card `lost` and stores `batch` (one card, to the same
    /// household) in the same transaction.
    fn replace_card(
        &self,
        lost: CardHash,
        batch: &CardBatch,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
}
