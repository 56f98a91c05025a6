//! The configuration a kiosk pulls from the hub: catalogue, tiers, cards, payment methods and
//! cold-chain thresholds, as one versioned snapshot.
//!
//! A kiosk applies a snapshot whole or not at all, so a resident never sees half a price list. The
//! snapshot is validated here, once, before anything is written.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::codes::Gtin;
use super::household::{CardHash, Household};
use super::ids::{HouseholdId, ProductId, StaffId, TierId};
use super::product::{Product, ProductError};
use super::sale::PaymentMethod;
use super::tier::{Tier, TierError};
use super::voice::{VoiceError, VoiceSettings};

/// A participant card known to the kiosk: only its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct CardEntry {
    pub hash: CardHash,
    pub household: HouseholdId,
    /// A lost card is revoked on its own; the household keeps its other cards.
    #[serde(default)]
    pub revoked: bool,
}

/// A staff badge known to the kiosk: its hash, whose it is, and its PIN, hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct BadgeEntry {
    pub hash: CardHash,
    pub staff: StaffId,
    /// The PIN as an Argon2 PHC string; never the PIN.
    pub pin_hash: String,
    #[serde(default)]
    pub revoked: bool,
}

/// Cold-chain and door limits, set per kiosk by the collective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Thresholds {
    /// Warmest acceptable freezer temperature, thousandths of °C (default −12 °C).
    pub max_millicelsius: i32,
    /// How long above it before an alarm, in minutes (default 30).
    pub excursion_minutes: u32,
    /// How long the door may stay open, in seconds (default 120).
    pub door_open_seconds: u32,
    /// Whether a cold-chain alarm puts the kiosk out of order until staff clear it.
    pub stop_sales_on_excursion: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_millicelsius: -12_000,
            excursion_minutes: 30,
            door_open_seconds: 120,
            stop_sales_on_excursion: false,
        }
    }
}

/// One version of a kiosk's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct KioskConfig {
    /// Increases with every change on the hub.
    pub version: u64,
    pub products: Vec<Product>,
    pub tiers: Vec<Tier>,
    pub households: Vec<Household>,
    pub cards: Vec<CardEntry>,
    pub payment_methods: Vec<PaymentMethod>,
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Staff badges that may open staff mode here.
    #[serde(default)]
    pub badges: Vec<BadgeEntry>,
    /// The speaker's volume, mute and quiet hours.
    #[serde(default)]
    pub voice: VoiceSettings,
    /// Lots the collective recalled: a pack of one is refused at the scanner.
    #[serde(default)]
    pub recalled_lots: Vec<RecalledLot>,
}

/// A lot under an open recall: its packs must not be eaten.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct RecalledLot {
    pub product: ProductId,
    /// The lot code as printed in the GS1 code's (10).
    pub lot: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("product {id}: {error}")]
    Product { id: ProductId, error: ProductError },
    #[error("tier {id}: {error}")]
    Tier { id: TierId, error: TierError },
    #[error("product {0} appears twice")]
    DuplicateProduct(ProductId),
    #[error("barcode {0} belongs to two products")]
    DuplicateBarcode(Gtin),
    #[error("internal code {0} belongs to two products")]
    DuplicateInternalCode(String),
    #[error("tier {0} appears twice")]
    DuplicateTier(TierId),
    #[error("exactly one tier must be the default (full price) tier, found {0}")]
    DefaultTierCount(usize),
    #[error("household {household} refers to tier {tier}, which does not exist")]
    UnknownTier {
        household: HouseholdId,
        tier: TierId,
    },
    #[error("household {0} appears twice")]
    DuplicateHousehold(HouseholdId),
    #[error("a card refers to household {0}, which does not exist")]
    UnknownHousehold(HouseholdId),
    #[error("a card hash appears twice")]
    DuplicateCard,
    #[error("a badge hash appears twice, or is also a card's")]
    DuplicateBadge,
    #[error("staff member {0}'s badge has no PIN hash")]
    BadgePin(StaffId),
    #[error("a payment method appears twice")]
    DuplicatePaymentMethod,
    #[error("the door limit must be between 10 s and 1 h, the excursion duration 1 min to 24 h")]
    Thresholds,
    #[error(transparent)]
    Voice(#[from] VoiceError),
    #[error("a recalled lot code must be 1 to 20 printable characters")]
    RecalledLot,
}

fn unique<T: Ord + Clone>(items: impl IntoIterator<Item = T>) -> Result<BTreeSet<T>, T> {
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(item.clone()) {
            return Err(item);
        }
    }
    Ok(seen)
}

impl KioskConfig {
    /// Checks every invariant a kiosk relies on.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_products()?;
        let tiers = self.validate_tiers()?;
        let households = unique(self.households.iter().map(|h| h.id))
            .map_err(ConfigError::DuplicateHousehold)?;
        if let Some(h) = self.households.iter().find(|h| !tiers.contains(&h.tier)) {
            return Err(ConfigError::UnknownTier {
                household: h.id,
                tier: h.tier,
            });
        }
        if let Some(card) = self
            .cards
            .iter()
            .find(|c| !households.contains(&c.household))
        {
            return Err(ConfigError::UnknownHousehold(card.household));
        }
        unique(self.cards.iter().map(|c| c.hash)).map_err(|_| ConfigError::DuplicateCard)?;
        self.validate_badges()?;
        unique(self.payment_methods.iter().copied())
            .map_err(|_| ConfigError::DuplicatePaymentMethod)?;
        let t = &self.thresholds;
        if !(10..=3600).contains(&t.door_open_seconds) || !(1..=1440).contains(&t.excursion_minutes)
        {
            return Err(ConfigError::Thresholds);
        }
        self.voice.validate()?;
        if self
            .recalled_lots
            .iter()
            .any(|r| crate::domain::event_check::check_lot_code(&r.lot).is_err())
        {
            return Err(ConfigError::RecalledLot);
        }
        Ok(())
    }

    fn validate_badges(&self) -> Result<(), ConfigError> {
        let all = self
            .cards
            .iter()
            .map(|c| c.hash)
            .chain(self.badges.iter().map(|b| b.hash));
        unique(all).map_err(|_| ConfigError::DuplicateBadge)?;
        match self
            .badges
            .iter()
            .find(|b| !b.pin_hash.starts_with("$argon2"))
        {
            Some(badge) => Err(ConfigError::BadgePin(badge.staff)),
            None => Ok(()),
        }
    }

    fn validate_products(&self) -> Result<(), ConfigError> {
        for p in &self.products {
            p.validate()
                .map_err(|error| ConfigError::Product { id: p.id, error })?;
        }
        unique(self.products.iter().map(|p| p.id)).map_err(ConfigError::DuplicateProduct)?;
        unique(
            self.products
                .iter()
                .flat_map(|p| p.barcodes.iter().copied()),
        )
        .map_err(ConfigError::DuplicateBarcode)?;
        unique(self.products.iter().filter_map(|p| p.internal_code.clone()))
            .map_err(ConfigError::DuplicateInternalCode)?;
        Ok(())
    }

    fn validate_tiers(&self) -> Result<BTreeSet<TierId>, ConfigError> {
        for t in &self.tiers {
            t.validate()
                .map_err(|error| ConfigError::Tier { id: t.id, error })?;
        }
        let ids = unique(self.tiers.iter().map(|t| t.id)).map_err(ConfigError::DuplicateTier)?;
        let defaults = self.tiers.iter().filter(|t| t.is_default).count();
        if defaults != 1 {
            return Err(ConfigError::DefaultTierCount(defaults));
        }
        Ok(ids)
    }

    /// The tier for sales without a card.
    pub fn default_tier(&self) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.is_default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::household::HouseholdStatus;
    use crate::domain::product::tests::product;

    fn config() -> KioskConfig {
        KioskConfig {
            version: 1,
            products: vec![product(1, 425), product(2, 599)],
            tiers: vec![
                Tier::full_price(TierId(1)),
                Tier {
                    percent: 30,
                    is_default: false,
                    ..Tier::full_price(TierId(2))
                },
            ],
            households: vec![Household {
                id: HouseholdId(1),
                tier: TierId(2),
                status: HouseholdStatus::Active,
                expires_on: None,
                caps: vec![],
                balance: None,
                pay_later_limit: None,
                pay_later_owed: crate::domain::Money::ZERO,
            }],
            cards: vec![CardEntry {
                hash: CardHash([1; 32]),
                household: HouseholdId(1),
                revoked: false,
            }],
            payment_methods: vec![PaymentMethod::Cash],
            thresholds: Thresholds::default(),
            badges: vec![],
            voice: VoiceSettings::default(),
            recalled_lots: vec![],
        }
    }

    #[test]
    fn a_good_config_passes() {
        assert_eq!(config().validate(), Ok(()));
    }

    #[test]
    fn each_broken_invariant_is_named() {
        type Breakage = fn(&mut KioskConfig);
        let cases: Vec<(Breakage, ConfigError)> = vec![
            (
                |c| c.products[1].id = ProductId(1),
                ConfigError::DuplicateProduct(ProductId(1)),
            ),
            (
                |c| c.tiers[1].is_default = true,
                ConfigError::DefaultTierCount(2),
            ),
            (|c| c.tiers.clear(), ConfigError::DefaultTierCount(0)),
            (
                |c| c.households[0].tier = TierId(9),
                ConfigError::UnknownTier {
                    household: HouseholdId(1),
                    tier: TierId(9),
                },
            ),
            (
                |c| c.cards[0].household = HouseholdId(9),
                ConfigError::UnknownHousehold(HouseholdId(9)),
            ),
            (
                |c| {
                    let card = c.cards[0];
                    c.cards.push(card)
                },
                ConfigError::DuplicateCard,
            ),
            (
                |c| c.payment_methods.push(PaymentMethod::Cash),
                ConfigError::DuplicatePaymentMethod,
            ),
            (
                |c| c.thresholds.door_open_seconds = 0,
                ConfigError::Thresholds,
            ),
            (
                |c| c.voice.volume_percent = 150,
                ConfigError::Voice(VoiceError::Volume),
            ),
            (
                |c| c.products[0].net_weight_g = 0,
                ConfigError::Product {
                    id: ProductId(1),
                    error: ProductError::WeightOutOfRange,
                },
            ),
        ];
        for (break_it, error) in cases {
            let mut c = config();
            break_it(&mut c);
            assert_eq!(c.validate(), Err(error));
        }
    }

    #[test]
    fn a_configuration_without_voice_settings_takes_the_defaults() {
        let mut json = serde_json::to_value(config()).unwrap();
        json.as_object_mut().unwrap().remove("voice");
        let parsed: KioskConfig = serde_json::from_value(json).unwrap();
        assert_eq!(parsed.voice, VoiceSettings::default());
    }

    #[test]
    fn barcodes_are_unique_across_products() {
        let mut c = config();
        let gtin: Gtin = "4006381333931".parse().unwrap();
        c.products[0].barcodes.push(gtin);
        c.products[1].barcodes.push(gtin);
        assert_eq!(c.validate(), Err(ConfigError::DuplicateBarcode(gtin)));
    }
}
