//! Households and the cards that identify them.
//!
//! A household is pseudonymous: a number, a tier, an expiry, a status, optional caps and an optional
//! prepaid balance. No name, address or phone number is ever stored (Québec Law 25); the host
//! organisation keeps its own participant file. Kiosks know a card only by the SHA-256 of its payload.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::caps::Cap;
use super::ids::{HouseholdId, TierId};
use super::money::Money;

/// SHA-256 of a card's canonical payload: all a kiosk ever stores about a card.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "hub", schema(value_type = String))]
pub struct CardHash(pub [u8; 32]);

impl CardHash {
    pub fn of_payload(canonical_payload: &str) -> CardHash {
        CardHash(Sha256::digest(canonical_payload.as_bytes()).into())
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for CardHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardHash({})", self.to_hex())
    }
}

impl fmt::Display for CardHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a card hash is 64 hexadecimal characters")]
pub struct CardHashError;

impl FromStr for CardHash {
    type Err = CardHashError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(s, &mut bytes).map_err(|_| CardHashError)?;
        Ok(CardHash(bytes))
    }
}

impl Serialize for CardHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for CardHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum HouseholdStatus {
    Active,
    Revoked,
}

/// A household as a kiosk knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Household {
    pub id: HouseholdId,
    pub tier: TierId,
    pub status: HouseholdStatus,
    /// Last day the card is valid (local date), if it expires.
    pub expires_on: Option<NaiveDate>,
    /// The household's own caps; when empty, the tier's caps apply.
    #[serde(default)]
    pub caps: Vec<Cap>,
    /// Prepaid balance as last synced from the hub, if the household has one.
    pub balance: Option<Money>,
    /// How much this household may owe through pay-later, if allowed.
    #[serde(default)]
    pub pay_later_limit: Option<Money>,
    /// What it owed through pay-later as of the snapshot.
    #[serde(default)]
    pub pay_later_owed: Money,
}

/// Why a scanned card cannot be used; each is explained to the resident by a pictogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardRefusal {
    #[error("this card is not known to this freezer")]
    Unknown,
    #[error("this card was revoked")]
    Revoked,
    #[error("this card expired")]
    Expired,
}

impl Household {
    /// Whether the household's card may be used on `today` (local date).
    pub fn check_usable(&self, today: NaiveDate) -> Result<(), CardRefusal> {
        if self.status == HouseholdStatus::Revoked {
            return Err(CardRefusal::Revoked);
        }
        match self.expires_on {
            Some(last_day) if today > last_day => Err(CardRefusal::Expired),
            _ => Ok(()),
        }
    }

    /// The caps that apply: the household's own, otherwise its tier's.
    pub fn effective_caps<'a>(&'a self, tier_caps: &'a [Cap]) -> &'a [Cap] {
        if self.caps.is_empty() {
            tier_caps
        } else {
            &self.caps
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::caps::{CapLimit, CapPeriod};

    fn household() -> Household {
        Household {
            id: HouseholdId(7),
            tier: TierId(1),
            status: HouseholdStatus::Active,
            expires_on: NaiveDate::from_ymd_opt(2026, 12, 31),
            caps: vec![],
            balance: None,
            pay_later_limit: None,
            pay_later_owed: Money::ZERO,
        }
    }

    #[test]
    fn usable_until_the_end_of_its_last_day() {
        let h = household();
        assert_eq!(
            h.check_usable(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            Ok(())
        );
        assert_eq!(
            h.check_usable(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            Err(CardRefusal::Expired)
        );
        let revoked = Household {
            status: HouseholdStatus::Revoked,
            ..h
        };
        assert_eq!(
            revoked.check_usable(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            Err(CardRefusal::Revoked)
        );
    }

    #[test]
    fn own_caps_replace_the_tiers() {
        let tier_caps = [Cap {
            period: CapPeriod::Week,
            limit: CapLimit::Items(5),
        }];
        let mut h = household();
        assert_eq!(h.effective_caps(&tier_caps), &tier_caps);
        h.caps = vec![Cap {
            period: CapPeriod::Month,
            limit: CapLimit::Items(30),
        }];
        assert_eq!(h.effective_caps(&tier_caps), h.caps.as_slice());
    }

    #[test]
    fn card_hash_hex_round_trips() {
        let hash = CardHash::of_payload("CGC1EXAMPLE");
        assert_eq!(hash.to_hex().parse::<CardHash>(), Ok(hash));
        assert_eq!("zz".parse::<CardHash>(), Err(CardHashError));
        let json = serde_json::to_string(&hash).unwrap();
        assert_eq!(serde_json::from_str::<CardHash>(&json).unwrap(), hash);
    }
}
