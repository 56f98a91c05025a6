//! Households, cards and prepaid adjustments as the staff pages read and write them.
//!
//! Each write is one transaction with its audit row. The `households` and `cards` triggers bump
//! the configuration version, so a new card, a revoked one or a new balance reaches every kiosk
//! at its next pull.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::web::record_audit;
use super::{SqliteHubStore, immediate};
use crate::domain::caps::Cap;
use crate::domain::household::{CardHash, HouseholdStatus};
use crate::domain::money::{MAX_INPUT_CENTS, MoneyStyle};
use crate::domain::{HouseholdId, Money, TierId};
use crate::hub::store::Audit;
use crate::hub::store::{
    Adjustment, CardBatch, CardSummary, CardTarget, HouseholdDetail, HouseholdFields,
    HouseholdStore, HouseholdSummary, NewHousehold,
};
use crate::hub::store::{Duplicated, HubStoreError};
use crate::sqlite::{parse_time, time_text};

fn corrupt(what: impl std::fmt::Display) -> HubStoreError {
    HubStoreError::Corrupt(what.to_string())
}

fn time(text: &str) -> Result<DateTime<Utc>, HubStoreError> {
    parse_time(text).map_err(corrupt)
}

fn status_text(status: HouseholdStatus) -> &'static str {
    match status {
        HouseholdStatus::Active => "active",
        HouseholdStatus::Revoked => "revoked",
    }
}

const SUMMARY_SQL: &str = "SELECT h.id, h.tier_id, h.status, h.expires_on, h.caps, h.balance_cents,
        h.pay_later_owed_cents, h.created_at, t.label,
        (SELECT count(*) FROM cards c WHERE c.household_id = h.id AND c.revoked = 0)
    FROM households h JOIN tiers t ON t.id = h.tier_id";

/// The columns of [`SUMMARY_SQL`], as text where they need parsing after the row is read.
struct RawSummary {
    id: i64,
    tier: i64,
    status: String,
    expires_on: Option<String>,
    caps: String,
    balance: Option<i64>,
    owed: i64,
    created_at: String,
    tier_label: String,
    live_cards: u32,
}

impl RawSummary {
    fn read(r: &Row<'_>) -> rusqlite::Result<RawSummary> {
        Ok(RawSummary {
            id: r.get(0)?,
            tier: r.get(1)?,
            status: r.get(2)?,
            expires_on: r.get(3)?,
            caps: r.get(4)?,
            balance: r.get(5)?,
            owed: r.get(6)?,
            created_at: r.get(7)?,
            tier_label: r.get(8)?,
            live_cards: r.get(9)?,
        })
    }

    fn parse(self) -> Result<HouseholdSummary, HubStoreError> {
        let status = match self.status.as_str() {
            "active" => HouseholdStatus::Active,
            "revoked" => HouseholdStatus::Revoked,
            other => return Err(corrupt(format!("household status «{other}»"))),
        };
        let expires_on = self
            .expires_on
            .map(|d| d.parse::<NaiveDate>().map_err(corrupt))
            .transpose()?;
        let caps: Vec<Cap> = serde_json::from_str(&self.caps)?;
        Ok(HouseholdSummary {
            id: HouseholdId(self.id),
            fields: HouseholdFields {
                tier: TierId(self.tier),
                status,
                expires_on,
                caps,
            },
            tier_label: self.tier_label,
            balance: self.balance.map(Money::from_cents),
            pay_later_owed: Money::from_cents(self.owed),
            live_cards: self.live_cards,
            created_at: time(&self.created_at)?,
        })
    }
}

fn summaries(
    conn: &Connection,
    filter: &str,
    id: i64,
) -> Result<Vec<HouseholdSummary>, HubStoreError> {
    let sql = format!("{SUMMARY_SQL} {filter} ORDER BY h.id");
    let mut statement = conn.prepare_cached(&sql)?;
    let raw = if filter.is_empty() {
        statement
            .query_map([], RawSummary::read)?
            .collect::<Result<Vec<_>, _>>()?
    } else {
        statement
            .query_map([id], RawSummary::read)?
            .collect::<Result<Vec<_>, _>>()?
    };
    raw.into_iter().map(RawSummary::parse).collect()
}

fn cards_of(conn: &Connection, id: HouseholdId) -> Result<Vec<CardSummary>, HubStoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT hash, revoked, created_at FROM cards WHERE household_id = ?1
         ORDER BY revoked, created_at",
    )?;
    let raw = statement
        .query_map([id.0], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    raw.into_iter()
        .map(|(hash, revoked, at)| {
            let hash: [u8; 32] = hash.try_into().map_err(|_| corrupt("a card hash"))?;
            Ok(CardSummary {
                hash: CardHash(hash),
                revoked,
                created_at: time(&at)?,
            })
        })
        .collect()
}

fn ledger(conn: &Connection, id: HouseholdId) -> Result<Vec<Adjustment>, HubStoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT at, delta_cents, balance_cents, reason, login FROM balance_adjustments
         WHERE household_id = ?1 ORDER BY id DESC",
    )?;
    let raw = statement
        .query_map([id.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    raw.into_iter()
        .map(|(at, delta, balance, reason, login)| {
            Ok(Adjustment {
                at: time(&at)?,
                delta: Money::from_cents(delta),
                balance_after: Money::from_cents(balance),
                reason,
                login,
            })
        })
        .collect()
}

fn require_tier(tx: &Transaction<'_>, tier: TierId) -> Result<(), HubStoreError> {
    let found = tx
        .query_row("SELECT 1 FROM tiers WHERE id = ?1", [tier.0], |_| Ok(()))
        .optional()?;
    found.ok_or_else(|| HubStoreError::NotFound(format!("tier {tier}")))
}

fn insert_household(
    tx: &Transaction<'_>,
    fields: &HouseholdFields,
    now: DateTime<Utc>,
) -> Result<HouseholdId, HubStoreError> {
    tx.execute(
        "INSERT INTO households (tier_id, status, expires_on, caps, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            fields.tier.0,
            status_text(fields.status),
            fields.expires_on.map(|d| d.to_string()),
            serde_json::to_string(&fields.caps)?,
            time_text(now)
        ],
    )?;
    Ok(HouseholdId(tx.last_insert_rowid()))
}

/// The household's status, or `NotFound`.
fn household_status(tx: &Transaction<'_>, id: HouseholdId) -> Result<String, HubStoreError> {
    tx.query_row("SELECT status FROM households WHERE id = ?1", [id.0], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| HubStoreError::NotFound(format!("household {id}")))
}

/// Records the batch's nonce (refusing one seen before) and checks no hash is in use.
fn claim_batch(
    tx: &Transaction<'_>,
    batch: &CardBatch,
    now: DateTime<Utc>,
) -> Result<(), HubStoreError> {
    let inserted = tx.execute(
        "INSERT INTO card_batches (nonce, at, cards) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![batch.nonce, time_text(now), batch.cards.len() as i64],
    )?;
    if inserted == 0 {
        return Err(HubStoreError::Duplicate(Duplicated::CardBatch));
    }
    cards_free(tx, &batch.cards)
}

/// Refuses a hash already held by a card or a staff badge (kiosks look both up by hash).
fn cards_free(tx: &Transaction<'_>, cards: &[CardHash]) -> Result<(), HubStoreError> {
    let mut used = tx.prepare_cached(
        "SELECT 1 FROM cards WHERE hash = ?1 UNION ALL SELECT 1 FROM staff_badges WHERE hash = ?1",
    )?;
    for hash in cards {
        if used
            .query_row([hash.0.as_slice()], |_| Ok(()))
            .optional()?
            .is_some()
        {
            return Err(HubStoreError::Duplicate(Duplicated::CardCode));
        }
    }
    Ok(())
}

/// An opening balance or an amount of money kept for a household: never negative, at most
/// [`MAX_INPUT_CENTS`].
fn check_amounts(household: &NewHousehold) -> Result<(), HubStoreError> {
    let amounts = [household.balance, household.pay_later_limit];
    if amounts
        .into_iter()
        .flatten()
        .any(|m| m.is_negative() || m.cents() > MAX_INPUT_CENTS)
    {
        let max = Money::from_cents(MAX_INPUT_CENTS).format(MoneyStyle::DotSymbolBefore);
        return Err(HubStoreError::Invalid(format!(
            "a balance or a pay-later limit is an amount from 0 to {max}"
        )));
    }
    Ok(())
}

fn insert_ledger_line(
    tx: &Transaction<'_>,
    id: HouseholdId,
    delta: Money,
    after: Money,
    reason: &str,
    audit: &Audit,
) -> Result<(), HubStoreError> {
    tx.execute(
        "INSERT INTO balance_adjustments
             (household_id, at, delta_cents, balance_cents, reason, user_id, login)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id.0,
            time_text(audit.at),
            delta.cents(),
            after.cents(),
            reason,
            audit.actor.user.map(|u| u.0),
            audit.actor.login
        ],
    )?;
    Ok(())
}

fn insert_card(
    tx: &Transaction<'_>,
    hash: &CardHash,
    household: HouseholdId,
    now: DateTime<Utc>,
) -> Result<(), HubStoreError> {
    tx.execute(
        "INSERT INTO cards (hash, household_id, created_at) VALUES (?1, ?2, ?3)",
        params![hash.0.as_slice(), household.0, time_text(now)],
    )?;
    Ok(())
}

/// Stores the batch's cards inside `tx`; returns each card's household.
fn store_batch(
    tx: &Transaction<'_>,
    batch: &CardBatch,
    now: DateTime<Utc>,
) -> Result<Vec<HouseholdId>, HubStoreError> {
    claim_batch(tx, batch, now)?;
    let mut owners = Vec::with_capacity(batch.cards.len());
    for hash in &batch.cards {
        let owner = match &batch.target {
            CardTarget::Household(id) => *id,
            CardTarget::NewHouseholds(fields) => insert_household(tx, fields, now)?,
        };
        insert_card(tx, hash, owner, now)?;
        owners.push(owner);
    }
    Ok(owners)
}

fn check_target(tx: &Transaction<'_>, target: &CardTarget) -> Result<(), HubStoreError> {
    match target {
        CardTarget::Household(id) => {
            if household_status(tx, *id)? != "active" {
                return Err(HubStoreError::Invalid(format!("household {id} is revoked")));
            }
            Ok(())
        }
        CardTarget::NewHouseholds(fields) => require_tier(tx, fields.tier),
    }
}

impl HouseholdStore for SqliteHubStore {
    fn households(&self) -> Result<Vec<HouseholdSummary>, HubStoreError> {
        summaries(&self.reader(), "", 0)
    }

    fn household(&self, id: HouseholdId) -> Result<Option<HouseholdDetail>, HubStoreError> {
        let conn = self.reader();
        let Some(summary) = summaries(&conn, "WHERE h.id = ?1", id.0)?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        Ok(Some(HouseholdDetail {
            summary,
            cards: cards_of(&conn, id)?,
            adjustments: ledger(&conn, id)?,
        }))
    }

    fn create_household(
        &self,
        household: &NewHousehold,
        audit: &Audit,
    ) -> Result<HouseholdId, HubStoreError> {
        check_amounts(household)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        require_tier(&tx, household.fields.tier)?;
        cards_free(&tx, &household.cards)?;
        let id = insert_household(&tx, &household.fields, audit.at)?;
        tx.execute(
            "UPDATE households SET balance_cents = ?2, pay_later_limit_cents = ?3 WHERE id = ?1",
            params![
                id.0,
                household.balance.map(Money::cents),
                household.pay_later_limit.map(Money::cents)
            ],
        )?;
        if let Some(balance) = household.balance.filter(|b| b.cents() > 0) {
            insert_ledger_line(&tx, id, balance, balance, "opening balance", audit)?;
        }
        for hash in &household.cards {
            insert_card(&tx, hash, id, audit.at)?;
        }
        let audit = audit.clone().subject(format!("household {id}"));
        record_audit(&tx, &audit)?;
        tx.commit()?;
        Ok(id)
    }

    fn update_household(
        &self,
        id: HouseholdId,
        fields: &HouseholdFields,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        self.audited(audit, |tx| {
            household_status(tx, id)?;
            require_tier(tx, fields.tier)?;
            tx.execute(
                "UPDATE households SET tier_id = ?2, status = ?3, expires_on = ?4, caps = ?5
                 WHERE id = ?1",
                params![
                    id.0,
                    fields.tier.0,
                    status_text(fields.status),
                    fields.expires_on.map(|d| d.to_string()),
                    serde_json::to_string(&fields.caps)?
                ],
            )?;
            Ok(())
        })
    }

    fn adjust_balance(
        &self,
        id: HouseholdId,
        delta: Money,
        reason: &str,
        audit: &Audit,
    ) -> Result<Money, HubStoreError> {
        self.audited(audit, |tx| {
            let current: Option<Option<i64>> = tx
                .query_row(
                    "SELECT balance_cents FROM households WHERE id = ?1",
                    [id.0],
                    |r| r.get(0),
                )
                .optional()?;
            let current =
                current.ok_or_else(|| HubStoreError::NotFound(format!("household {id}")))?;
            let after = current
                .unwrap_or(0)
                .checked_add(delta.cents())
                .filter(|c| *c >= 0);
            let after = after
                .ok_or_else(|| HubStoreError::Invalid("the balance cannot go below zero".into()))?;
            tx.execute(
                "UPDATE households SET balance_cents = ?2 WHERE id = ?1",
                params![id.0, after],
            )?;
            insert_ledger_line(tx, id, delta, Money::from_cents(after), reason, audit)?;
            Ok(Money::from_cents(after))
        })
    }

    fn issue_cards(
        &self,
        batch: &CardBatch,
        audit: &Audit,
    ) -> Result<Vec<HouseholdId>, HubStoreError> {
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        check_target(&tx, &batch.target)?;
        let owners = store_batch(&tx, batch, audit.at)?;
        let mut audit = audit.clone();
        if let serde_json::Value::Object(detail) = &mut audit.detail {
            detail.insert("households".into(), owners.iter().map(|h| h.0).collect());
        }
        record_audit(&tx, &audit)?;
        tx.commit()?;
        Ok(owners)
    }

    fn replace_card(
        &self,
        lost: CardHash,
        batch: &CardBatch,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        let CardTarget::Household(household) = batch.target else {
            return Err(HubStoreError::Invalid(
                "a replacement card goes to the same household".into(),
            ));
        };
        self.audited(audit, |tx| {
            check_target(tx, &batch.target)?;
            let revoked = tx.execute(
                "UPDATE cards SET revoked = 1 WHERE hash = ?1 AND household_id = ?2 AND revoked = 0",
                params![lost.0.as_slice(), household.0],
            )?;
            if revoked == 0 {
                return Err(HubStoreError::NotFound(format!(
                    "a live card of household {household}"
                )));
            }
            store_batch(tx, batch, audit.at)?;
            Ok(())
        })
    }
}
