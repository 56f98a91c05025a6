//! Building the configuration snapshot a kiosk pulls: the collective's catalogue, tiers, households
//! and cards, the lots under an open recall, with the kiosk's own payment methods and thresholds,
//! read in one transaction.

use rusqlite::{OptionalExtension, Transaction};

use super::super::HubStoreError;
use super::web::catalogue;
use crate::domain::config::{CardEntry, KioskConfig, Thresholds};
use crate::domain::household::{CardHash, Household, HouseholdStatus};
use crate::domain::sale::PaymentMethod;
use crate::domain::tier::Tier;
use crate::domain::voice::VoiceSettings;
use crate::domain::{HouseholdId, KioskId, Money, TierId};

pub(super) fn version(tx: &Transaction<'_>) -> Result<u64, HubStoreError> {
    let v: i64 = tx.query_row("SELECT version FROM config_state WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    Ok(v as u64)
}

pub(super) fn build(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    version: u64,
) -> Result<KioskConfig, HubStoreError> {
    let (payment_methods, thresholds, voice) = kiosk_settings(tx, kiosk)?;
    let config = KioskConfig {
        version,
        products: catalogue::products(tx)?,
        tiers: tiers(tx)?,
        households: households(tx)?,
        cards: cards(tx)?,
        payment_methods,
        thresholds,
        badges: super::badges::for_kiosk(tx, kiosk)?,
        voice,
        recalled_lots: super::recalls::open_lots(tx)?,
    };
    // Admin commands validate what they write, so this only fails on a hub bug; a kiosk would
    // refuse the snapshot anyway, so say so here where it can be read.
    config
        .validate()
        .map_err(|e| HubStoreError::Corrupt(format!("the configuration is inconsistent: {e}")))?;
    Ok(config)
}

fn kiosk_settings(
    tx: &Transaction<'_>,
    kiosk: KioskId,
) -> Result<(Vec<PaymentMethod>, Thresholds, VoiceSettings), HubStoreError> {
    let (methods, thresholds, voice): (String, String, String) = tx
        .query_row(
            "SELECT payment_methods, thresholds, voice FROM kiosks WHERE id = ?1",
            [kiosk.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| HubStoreError::NotFound(format!("kiosk {kiosk}")))?;
    Ok((
        serde_json::from_str(&methods)?,
        serde_json::from_str(&thresholds)?,
        serde_json::from_str(&voice)?,
    ))
}

/// The tiers as kiosks hold them (without their names per language).
pub(super) fn tiers(tx: &Transaction<'_>) -> Result<Vec<Tier>, HubStoreError> {
    Ok(catalogue::tiers(tx)?.into_iter().map(|e| e.tier).collect())
}

fn households(tx: &Transaction<'_>) -> Result<Vec<Household>, HubStoreError> {
    let mut statement = tx.prepare(
        "SELECT id, tier_id, status, expires_on, caps, balance_cents, pay_later_limit_cents,
                pay_later_owed_cents FROM households ORDER BY id",
    )?;
    let rows = statement
        .query_map([], |r| {
            let status: String = r.get(2)?;
            Ok((
                Household {
                    id: HouseholdId(r.get(0)?),
                    tier: TierId(r.get(1)?),
                    status: if status == "revoked" {
                        HouseholdStatus::Revoked
                    } else {
                        HouseholdStatus::Active
                    },
                    expires_on: r.get(3)?,
                    caps: vec![],
                    balance: r.get::<_, Option<i64>>(5)?.map(Money::from_cents),
                    pay_later_limit: r.get::<_, Option<i64>>(6)?.map(Money::from_cents),
                    pay_later_owed: Money::from_cents(r.get(7)?),
                },
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(household, caps)| {
            Ok(Household {
                caps: serde_json::from_str(&caps)?,
                ..household
            })
        })
        .collect()
}

fn cards(tx: &Transaction<'_>) -> Result<Vec<CardEntry>, HubStoreError> {
    let mut statement =
        tx.prepare("SELECT hash, household_id, revoked FROM cards ORDER BY household_id, hash")?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(hash, household, revoked)| {
            let hash: [u8; 32] = hash
                .try_into()
                .map_err(|_| HubStoreError::Corrupt("a card hash is not 32 bytes".into()))?;
            Ok(CardEntry {
                hash: CardHash(hash),
                household: HouseholdId(household),
                revoked,
            })
        })
        .collect()
}
