//! The configuration snapshot on the kiosk: applied whole, read by indexed lookups.
//!
//! A scan must find its product in well under a millisecond with 10 000 products, and start-up must
//! not depend on the catalogue's size, so nothing is loaded in memory up front: every lookup is an
//! indexed query on a cached statement.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{KioskStore, StoreError};
use crate::domain::codes::{Gtin, ProductKey};
use crate::domain::config::{CardEntry, KioskConfig, Thresholds};
use crate::domain::household::{CardHash, Household, HouseholdStatus};
use crate::domain::product::{Locale, Product, TaxRate};
use crate::domain::sale::PaymentMethod;
use crate::domain::tier::{PriceOverride, Tier};
use crate::domain::voice::VoiceSettings;
use crate::domain::{HouseholdId, Money, ProductId, TierId};

/// What applying a snapshot did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigApplied {
    /// The snapshot replaced the previous one.
    Applied { version: u64 },
    /// The kiosk already had this version or a newer one; nothing changed.
    AlreadyCurrent { version: u64 },
}

/// A scanned card, as the kiosk knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardLookup {
    pub card: CardEntry,
    pub household: Household,
}

const PRODUCT_COLUMNS: &str =
    "id, internal_code, names, pictogram, net_weight_g, full_price_cents, tax_rate, active, photo";

impl KioskStore {
    /// Validates `config` and, if it is newer than what the kiosk has, replaces the whole snapshot
    /// in one transaction. An invalid snapshot changes nothing.
    pub fn apply_config(&mut self, config: &KioskConfig) -> Result<ConfigApplied, StoreError> {
        config.validate()?;
        let current = self.config_version()?;
        if current.is_some_and(|v| v >= config.version) {
            return Ok(ConfigApplied::AlreadyCurrent {
                version: current.unwrap_or_default(),
            });
        }
        let tx = self.write()?;
        tx.execute_batch(
            "DELETE FROM badges; DELETE FROM cards; DELETE FROM households;
             DELETE FROM tier_overrides; DELETE FROM tiers; DELETE FROM barcodes;
             DELETE FROM products; DELETE FROM recalled_lots;",
        )?;
        super::recalls::insert_recalled_lots(&tx, &config.recalled_lots)?;
        insert_products(&tx, &config.products)?;
        insert_tiers(&tx, &config.tiers)?;
        insert_households(&tx, &config.households, &config.cards)?;
        super::staff::insert_badges(&tx, &config.badges)?;
        tx.execute(
            "INSERT INTO config_meta (id, version, as_of_seq, payment_methods, thresholds, voice)
             VALUES (1, ?1, (SELECT acked_through FROM sync_state WHERE id = 1), ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, as_of_seq = excluded.as_of_seq,
               payment_methods = excluded.payment_methods, thresholds = excluded.thresholds,
               voice = excluded.voice",
            params![
                i64::try_from(config.version)
                    .map_err(|_| StoreError::Corrupt("configuration version out of range".into()))?,
                serde_json::to_string(&config.payment_methods)?,
                serde_json::to_string(&config.thresholds)?,
                serde_json::to_string(&config.voice)?
            ],
        )?;
        tx.commit()?;
        Ok(ConfigApplied::Applied {
            version: config.version,
        })
    }

    /// The version of the snapshot in force, if any.
    pub fn config_version(&self) -> Result<Option<u64>, StoreError> {
        let version: Option<i64> = self
            .conn
            .query_row("SELECT version FROM config_meta WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(version.map(|v| v as u64))
    }

    pub fn payment_methods(&self) -> Result<Vec<PaymentMethod>, StoreError> {
        self.meta_json("payment_methods")
            .map(Option::unwrap_or_default)
    }

    pub fn thresholds(&self) -> Result<Thresholds, StoreError> {
        self.meta_json("thresholds").map(Option::unwrap_or_default)
    }

    /// The speaker's settings (the defaults before any configuration).
    pub fn voice_settings(&self) -> Result<VoiceSettings, StoreError> {
        self.meta_json("voice").map(Option::unwrap_or_default)
    }

    fn meta_json<T: serde::de::DeserializeOwned>(
        &self,
        column: &str,
    ) -> Result<Option<T>, StoreError> {
        let sql = format!("SELECT {column} FROM config_meta WHERE id = 1");
        let text: Option<String> = self
            .conn
            .prepare_cached(&sql)?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
    }

    /// The product a scan names, active or not: a pack in the resident's hand is sold even if the
    /// product was withdrawn from the catalogue since.
    pub fn product_by_key(&self, key: &ProductKey) -> Result<Option<Product>, StoreError> {
        let id: Option<i64> = match key {
            ProductKey::Gtin(gtin) => self
                .conn
                .prepare_cached("SELECT product_id FROM barcodes WHERE gtin = ?1")?
                .query_row([gtin.as_gtin14()], |r| r.get(0))
                .optional()?,
            ProductKey::Internal(code) => self
                .conn
                .prepare_cached("SELECT id FROM products WHERE internal_code = ?1")?
                .query_row([code], |r| r.get(0))
                .optional()?,
        };
        match id {
            Some(id) => self.product(ProductId(id)),
            None => Ok(None),
        }
    }

    pub fn product(&self, id: ProductId) -> Result<Option<Product>, StoreError> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id = ?1");
        let row = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id.0], product_row)
            .optional()?;
        row.map(|r| self.finish_product(r)).transpose()
    }

    /// Every product, active ones only if asked, ordered by id.
    pub fn products(&self, active_only: bool) -> Result<Vec<Product>, StoreError> {
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS} FROM products {} ORDER BY id",
            if active_only { "WHERE active = 1" } else { "" }
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map([], product_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(|r| self.finish_product(r)).collect()
    }

    fn finish_product(&self, row: ProductRow) -> Result<Product, StoreError> {
        let barcodes = self
            .conn
            .prepare_cached("SELECT gtin FROM barcodes WHERE product_id = ?1 ORDER BY gtin")?
            .query_map([row.product.id.0], |r| r.get::<_, String>(0))?
            .map(|g| {
                let text = g?;
                text.parse::<Gtin>()
                    .map_err(|_| StoreError::Corrupt(format!("barcode «{text}»")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let names: BTreeMap<Locale, String> = serde_json::from_str(&row.names)?;
        Ok(Product {
            barcodes,
            names,
            ..row.product
        })
    }

    pub fn tier(&self, id: TierId) -> Result<Option<Tier>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT id, label, percent, is_default, caps FROM tiers WHERE id = ?1")?
            .query_row([id.0], tier_row)
            .optional()?;
        row.map(|r| self.finish_tier(r)).transpose()
    }

    /// The tier for sales without a card; full price if no configuration was ever applied.
    pub fn default_tier(&self) -> Result<Tier, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM tiers WHERE is_default = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        match id {
            Some(id) => Ok(self
                .tier(TierId(id))?
                .unwrap_or_else(|| Tier::full_price(TierId(id)))),
            None => Ok(Tier::full_price(TierId(0))),
        }
    }

    fn finish_tier(&self, (mut tier, caps): (Tier, String)) -> Result<Tier, StoreError> {
        tier.caps = serde_json::from_str(&caps)?;
        tier.overrides = self
            .conn
            .prepare_cached(
                "SELECT product_id, price_cents FROM tier_overrides WHERE tier_id = ?1",
            )?
            .query_map([tier.id.0], |r| {
                Ok(PriceOverride {
                    product: ProductId(r.get(0)?),
                    price: Money::from_cents(r.get(1)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(tier)
    }

    /// The card with this hash and its household, if the kiosk knows it.
    pub fn card(&self, hash: &CardHash) -> Result<Option<CardLookup>, StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT c.revoked, h.id, h.tier_id, h.status, h.expires_on, h.caps, h.balance_cents,
                        h.pay_later_limit_cents, h.pay_later_owed_cents
                 FROM cards c JOIN households h ON h.id = c.household_id WHERE c.hash = ?1",
            )?
            .query_row([hash.0.as_slice()], |r| {
                let revoked: bool = r.get(0)?;
                Ok((revoked, household_row(r, 1)?))
            })
            .optional()?;
        let Some((revoked, (household, caps))) = found else {
            return Ok(None);
        };
        let household = Household {
            caps: serde_json::from_str(&caps)?,
            ..household
        };
        let card = CardEntry {
            hash: *hash,
            household: household.id,
            revoked,
        };
        Ok(Some(CardLookup { card, household }))
    }
}

struct ProductRow {
    product: Product,
    names: String,
}

fn product_row(r: &Row<'_>) -> rusqlite::Result<ProductRow> {
    Ok(ProductRow {
        product: Product {
            id: ProductId(r.get(0)?),
            barcodes: vec![],
            internal_code: r.get(1)?,
            names: BTreeMap::new(),
            pictogram: r.get(3)?,
            net_weight_g: r.get(4)?,
            full_price: Money::from_cents(r.get(5)?),
            tax_rate: TaxRate(r.get(6)?),
            active: r.get(7)?,
            photo: crate::sqlite::photo_hash(r, 8)?,
        },
        names: r.get(2)?,
    })
}

fn tier_row(r: &Row<'_>) -> rusqlite::Result<(Tier, String)> {
    let tier = Tier {
        id: TierId(r.get(0)?),
        label: r.get(1)?,
        percent: r.get(2)?,
        overrides: vec![],
        caps: vec![],
        is_default: r.get(3)?,
    };
    Ok((tier, r.get(4)?))
}

/// Reads a household from columns starting at `first`; its caps come back as JSON to parse.
fn household_row(r: &Row<'_>, first: usize) -> rusqlite::Result<(Household, String)> {
    let status: String = r.get(first + 2)?;
    let household = Household {
        id: HouseholdId(r.get(first)?),
        tier: TierId(r.get(first + 1)?),
        status: if status == "revoked" {
            HouseholdStatus::Revoked
        } else {
            HouseholdStatus::Active
        },
        expires_on: r.get(first + 3)?,
        caps: vec![],
        balance: r.get::<_, Option<i64>>(first + 5)?.map(Money::from_cents),
        pay_later_limit: r.get::<_, Option<i64>>(first + 6)?.map(Money::from_cents),
        pay_later_owed: Money::from_cents(r.get(first + 7)?),
    };
    Ok((household, r.get(first + 4)?))
}

fn insert_products(tx: &Transaction<'_>, products: &[Product]) -> Result<(), StoreError> {
    let mut product = tx.prepare(
        "INSERT INTO products (id, internal_code, names, pictogram, net_weight_g, full_price_cents,
                               tax_rate, active, photo)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut barcode = tx.prepare("INSERT INTO barcodes (gtin, product_id) VALUES (?1, ?2)")?;
    for p in products {
        product.execute(params![
            p.id.0,
            p.internal_code,
            serde_json::to_string(&p.names)?,
            p.pictogram,
            p.net_weight_g,
            p.full_price.cents(),
            p.tax_rate.0,
            p.active,
            p.photo.as_ref().map(|h| h.as_str())
        ])?;
        for gtin in &p.barcodes {
            barcode.execute(params![gtin.as_gtin14(), p.id.0])?;
        }
    }
    Ok(())
}

fn insert_tiers(tx: &Transaction<'_>, tiers: &[Tier]) -> Result<(), StoreError> {
    let mut tier = tx.prepare(
        "INSERT INTO tiers (id, label, percent, is_default, caps) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut price = tx.prepare(
        "INSERT INTO tier_overrides (tier_id, product_id, price_cents) VALUES (?1, ?2, ?3)",
    )?;
    for t in tiers {
        tier.execute(params![
            t.id.0,
            t.label,
            t.percent,
            t.is_default,
            serde_json::to_string(&t.caps)?
        ])?;
        for o in &t.overrides {
            price.execute(params![t.id.0, o.product.0, o.price.cents()])?;
        }
    }
    Ok(())
}

fn insert_households(
    tx: &Transaction<'_>,
    households: &[Household],
    cards: &[CardEntry],
) -> Result<(), StoreError> {
    let mut household = tx.prepare(
        "INSERT INTO households (id, tier_id, status, expires_on, caps, balance_cents,
                                 pay_later_limit_cents, pay_later_owed_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for h in households {
        let status = match h.status {
            HouseholdStatus::Active => "active",
            HouseholdStatus::Revoked => "revoked",
        };
        household.execute(params![
            h.id.0,
            h.tier.0,
            status,
            h.expires_on,
            serde_json::to_string(&h.caps)?,
            h.balance.map(Money::cents),
            h.pay_later_limit.map(Money::cents),
            h.pay_later_owed.cents()
        ])?;
    }
    let mut card =
        tx.prepare("INSERT INTO cards (hash, household_id, revoked) VALUES (?1, ?2, ?3)")?;
    for c in cards {
        card.execute(params![c.hash.0.as_slice(), c.household.0, c.revoked])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{demo_config, temp_store};

    #[test]
    fn a_snapshot_is_applied_whole_and_read_back() {
        let (_dir, mut store) = temp_store();
        let config = demo_config();
        assert_eq!(
            store.apply_config(&config).unwrap(),
            ConfigApplied::Applied { version: 1 }
        );
        let first = &config.products[0];
        let key = ProductKey::Gtin(first.barcodes[0]);
        assert_eq!(store.product_by_key(&key).unwrap().as_ref(), Some(first));
        assert_eq!(store.products(false).unwrap(), config.products);
        assert_eq!(
            store.tier(config.tiers[1].id).unwrap().as_ref(),
            Some(&config.tiers[1])
        );
        assert!(store.default_tier().unwrap().is_default);
        let card = config.cards[0];
        let found = store.card(&card.hash).unwrap().unwrap();
        assert_eq!(
            (found.card, &found.household),
            (card, &config.households[0])
        );
        assert_eq!(store.payment_methods().unwrap(), config.payment_methods);
        assert_eq!(store.thresholds().unwrap(), config.thresholds);
    }

    #[test]
    fn an_older_or_equal_version_changes_nothing() {
        let (_dir, mut store) = temp_store();
        let config = demo_config();
        store.apply_config(&config).unwrap();
        let mut older = config.clone();
        older.products.truncate(1);
        assert_eq!(
            store.apply_config(&older).unwrap(),
            ConfigApplied::AlreadyCurrent { version: 1 }
        );
        assert_eq!(store.products(false).unwrap().len(), config.products.len());
    }

    #[test]
    fn an_invalid_snapshot_changes_nothing() {
        let (_dir, mut store) = temp_store();
        let config = demo_config();
        store.apply_config(&config).unwrap();
        let mut broken = config.clone();
        broken.version = 2;
        broken.tiers.iter_mut().for_each(|t| t.is_default = false);
        assert!(matches!(
            store.apply_config(&broken),
            Err(StoreError::InvalidConfig(_))
        ));
        assert_eq!(store.config_version().unwrap(), Some(1));
        assert_eq!(store.products(false).unwrap(), config.products);
    }

    #[test]
    fn a_newer_snapshot_replaces_every_table() {
        let (_dir, mut store) = temp_store();
        let mut config = demo_config();
        store.apply_config(&config).unwrap();
        config.version = 2;
        let removed = config.products.pop().unwrap();
        config.products[0].full_price = Money::from_cents(1);
        store.apply_config(&config).unwrap();
        assert_eq!(store.product(removed.id).unwrap(), None);
        assert_eq!(
            store
                .product(config.products[0].id)
                .unwrap()
                .unwrap()
                .full_price,
            Money::from_cents(1)
        );
        assert_eq!(
            store
                .product_by_key(&ProductKey::Gtin(removed.barcodes[0]))
                .unwrap(),
            None
        );
    }

    #[test]
    fn unknown_keys_find_nothing() {
        let (_dir, mut store) = temp_store();
        store.apply_config(&demo_config()).unwrap();
        let gtin = Gtin::with_check_digit("0000000000001").unwrap();
        assert_eq!(store.product_by_key(&ProductKey::Gtin(gtin)).unwrap(), None);
        assert_eq!(
            store
                .product_by_key(&ProductKey::Internal("CGPNONE".into()))
                .unwrap(),
            None
        );
        assert_eq!(store.card(&CardHash([9; 32])).unwrap(), None);
    }
}
