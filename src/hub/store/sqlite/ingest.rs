//! Ingesting a push: each event stored once and applied to the projections, in one transaction.
//!
//! The rules that make the hub count every sale exactly once, whatever the network does:
//! - a batch must continue the kiosk's log: its first seq is at most one past what the hub holds
//!   (an earlier start is a re-send and is checked, a later one is a gap and refused whole);
//! - an event the hub already holds must have the same content hash, or the batch is refused
//!   (never overwritten);
//! - only a new event touches the projections, in seq order, in the transaction that stores it;
//! - a sale id seen before (under another seq) is stored as an event but never counted again.
//!
//! Before a new event touches anything it is checked against the domain's rules and what the hub
//! knows (`check.rs`): one that fails is stored — the kiosk's log stays whole and a re-send stays a
//! duplicate — but quarantined, out of every projection, and named in the push's answer.
//!
//! What sales add to rollups, stock and balances is summed over the batch in [`Pending`] and
//! written once, before the commit.

mod check;
mod pending;
mod prepare;

use rusqlite::{CachedStatement, OptionalExtension, Transaction, params};

use super::super::{Contact, HubStoreError, Ingested};
use crate::domain::event::{Alarm, Event, EventBody};
use crate::domain::event_check::{check_event, price_mismatches};
use crate::domain::sale::{PaymentMethod, Sale, SaleVoid};
use crate::domain::stock::StockMovement;
use crate::domain::sync::QuarantinedEvent;
use crate::domain::{KioskId, Seq};
use crate::sqlite::time_text;
use pending::{Pending, SalePlace};
use prepare::SaleTexts;
pub(super) use prepare::{Prepared, prepare};

/// Where a kiosk stands, copied onto each of its sales so reports need no join.
struct Place {
    site: i64,
    territory: i64,
}

/// The statements every stored sale runs, prepared once per batch.
struct Inserts<'tx> {
    event: CachedStatement<'tx>,
    sale: CachedStatement<'tx>,
    line: CachedStatement<'tx>,
    lot: CachedStatement<'tx>,
}

impl<'tx> Inserts<'tx> {
    fn prepare(tx: &'tx Transaction<'_>) -> Result<Inserts<'tx>, HubStoreError> {
        Ok(Inserts {
            event: tx.prepare_cached(
                "INSERT INTO events (kiosk_id, seq, id, at, received_at, kind, content_hash, payload)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            sale: tx.prepare_cached(
                "INSERT INTO sales (id, kiosk_id, event_seq, site_id, territory_id, at, month,
                    household_id, card_hash, tier_id, items, full_cents, paid_cents, subsidy_cents,
                    tax_cents, net_weight_g, payment_method, payment_cents, cash_rounding_cents,
                    day, claimed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                         ?18, ?19, ?20, ?21)
                 ON CONFLICT (id) DO NOTHING",
            )?,
            line: tx.prepare_cached(
                "INSERT INTO sale_lines (sale_id, line_no, kiosk_id, product_id, tier_id, month,
                    quantity, full_unit_cents, charged_unit_cents, unit_weight_g, tax_cents)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
            lot: tx.prepare_cached(
                "INSERT INTO sale_line_lots (sale_id, line_no, product_id, lot, quantity)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (sale_id, line_no, lot) DO UPDATE SET quantity = quantity + excluded.quantity",
            )?,
        })
    }
}

pub(super) fn ingest(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    events: &[Event],
    prepared: &[Prepared],
    contact: &Contact,
) -> Result<Ingested, HubStoreError> {
    let place = place(tx, kiosk)?;
    let held = held_through(tx, kiosk)?;
    if let Some(first) = events.first()
        && first.seq.0 > held.0 + 1
    {
        return Err(HubStoreError::SeqGap {
            held,
            offered: first.seq,
        });
    }
    let received_at = time_text(contact.received_at);
    let new_from = events.partition_point(|e| e.seq <= held);
    let known = check::reference(tx, &events[new_from..])?;
    let hub_version = i64::try_from(super::snapshot::version(tx)?).unwrap_or(i64::MAX);
    let mut ingested = Ingested {
        acked_through: held,
        stored: 0,
        duplicates: 0,
        quarantined: vec![],
    };
    let mut pending = Pending::default();
    let mut inserts = Inserts::prepare(tx)?;
    for (event, prepared) in events.iter().zip(prepared) {
        if event.seq <= held {
            check_same(tx, kiosk, event.seq, prepared)?;
            ingested.duplicates += 1;
            continue;
        }
        inserts.event.execute(params![
            kiosk.0,
            check::seq_value(event.seq)?,
            prepared.id,
            prepared.at,
            received_at,
            event.body.kind(),
            prepared.hash.as_slice(),
            prepared.payload
        ])?;
        ingested.stored += 1;
        if let Err(rejection) = check_event(event, &known) {
            let why = QuarantinedEvent {
                seq: event.seq,
                reason: rejection.code().to_owned(),
                message: rejection.to_string(),
            };
            check::quarantine(tx, kiosk, &received_at, &why)?;
            ingested.quarantined.push(why);
            continue;
        }
        if let EventBody::Sale(sale) = &event.body {
            let mismatches = price_mismatches(sale, &known);
            check::record_mismatches(tx, kiosk, sale, &mismatches, hub_version)?;
        }
        project(
            tx,
            &mut inserts,
            kiosk,
            &place,
            event,
            prepared,
            &mut pending,
        )?;
    }
    drop(inserts);
    pending.flush(tx)?;
    ingested.acked_through = events.last().map_or(held, |e| e.seq.max(held));
    tx.prepare_cached(
        "INSERT INTO kiosk_sync (kiosk_id, acked_through) VALUES (?1, ?2)
         ON CONFLICT (kiosk_id) DO UPDATE SET acked_through = excluded.acked_through",
    )?
    .execute(params![kiosk.0, check::seq_value(ingested.acked_through)?])?;
    record_health(tx, kiosk, contact)?;
    Ok(ingested)
}

fn place(tx: &Transaction<'_>, kiosk: KioskId) -> Result<Place, HubStoreError> {
    tx.prepare_cached(
        "SELECT k.site_id, s.territory_id FROM kiosks k JOIN sites s ON s.id = k.site_id
         WHERE k.id = ?1",
    )?
    .query_row([kiosk.0], |r| {
        Ok(Place {
            site: r.get(0)?,
            territory: r.get(1)?,
        })
    })
    .optional()?
    .ok_or_else(|| HubStoreError::NotFound(format!("kiosk {kiosk}")))
}

fn held_through(tx: &Transaction<'_>, kiosk: KioskId) -> Result<Seq, HubStoreError> {
    let held: Option<i64> = tx
        .prepare_cached("SELECT acked_through FROM kiosk_sync WHERE kiosk_id = ?1")?
        .query_row([kiosk.0], |r| r.get(0))
        .optional()?;
    let held = u64::try_from(held.unwrap_or(0))
        .map_err(|_| HubStoreError::Corrupt(format!("kiosk {kiosk} holds a negative seq")))?;
    Ok(Seq(held))
}

/// A re-sent event must be the one the hub holds: the same bytes, or the same sale with the
/// buyer a kiosk's retention has since taken out.
fn check_same(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    seq: Seq,
    prepared: &Prepared,
) -> Result<(), HubStoreError> {
    let existing: Option<(Vec<u8>, String)> = tx
        .prepare_cached(
            "SELECT content_hash, payload FROM events WHERE kiosk_id = ?1 AND seq = ?2",
        )?
        .query_row(params![kiosk.0, check::seq_value(seq)?], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match existing {
        Some((hash, _)) if hash == prepared.hash => Ok(()),
        Some((_, stored)) if check::is_detached_copy(&stored, &prepared.payload) => Ok(()),
        Some(_) => Err(HubStoreError::SeqConflict(seq)),
        None => Err(HubStoreError::Corrupt(format!(
            "kiosk {kiosk} is acknowledged through seq {seq} but the event is missing"
        ))),
    }
}

fn project(
    tx: &Transaction<'_>,
    inserts: &mut Inserts<'_>,
    kiosk: KioskId,
    place: &Place,
    event: &Event,
    prepared: &Prepared,
    pending: &mut Pending,
) -> Result<(), HubStoreError> {
    match &event.body {
        EventBody::Sale(sale) => {
            let texts = prepared.sale.as_ref().ok_or_else(|| {
                HubStoreError::Corrupt(format!("sale event {} was not prepared", event.seq))
            })?;
            project_sale(inserts, kiosk, place, event.seq, sale, texts, pending)
        }
        EventBody::SaleVoid(void) => project_void(tx, kiosk, void, pending),
        EventBody::Stock(movement) => {
            // A count reads the level the batch's earlier sales left.
            pending.flush(tx)?;
            project_movement(tx, kiosk, event.seq, movement)
        }
        EventBody::Alarm(alarm) => project_alarm(tx, kiosk, event.seq, alarm),
        // Kept in the event store (the audit trail); no projection yet.
        EventBody::Staff(_) => Ok(()),
    }
}

fn project_sale(
    inserts: &mut Inserts<'_>,
    kiosk: KioskId,
    place: &Place,
    seq: Seq,
    sale: &Sale,
    texts: &SaleTexts,
    pending: &mut Pending,
) -> Result<(), HubStoreError> {
    let (t, p) = (&sale.totals, &sale.payment);
    let inserted = inserts.sale.execute(params![
        texts.id,
        kiosk.0,
        check::seq_value(seq)?,
        place.site,
        place.territory,
        texts.at,
        texts.month(),
        sale.buyer.map(|b| b.household.0),
        sale.buyer.map(|b| b.card.0.to_vec()),
        sale.tier.0,
        t.items,
        t.full.cents(),
        t.paid.cents(),
        t.subsidy.cents(),
        t.tax.cents(),
        i64::try_from(t.net_weight_g).map_err(|_| HubStoreError::Invalid("net weight".into()))?,
        p.method.as_str(),
        p.amount.cents(),
        p.cash_rounding.cents(),
        texts.day,
        texts.claimed_at
    ])?;
    if inserted == 0 {
        tracing::warn!(%kiosk, %seq, sale = %texts.id, "a sale id arrived twice under different seqs; counted once");
        return Ok(());
    }
    for (line_no, line) in sale.lines.iter().enumerate() {
        inserts.line.execute(params![
            texts.id,
            i64::try_from(line_no).unwrap_or(i64::MAX),
            kiosk.0,
            line.product.0,
            sale.tier.0,
            texts.month(),
            line.quantity,
            line.full_unit.cents(),
            line.charged_unit.cents(),
            line.unit_weight_g,
            line.tax.cents()
        ])?;
        for take in &line.lots {
            let lot = take.lot.as_deref().unwrap_or("");
            inserts.lot.execute(params![
                texts.id,
                i64::try_from(line_no).unwrap_or(i64::MAX),
                line.product.0,
                lot,
                take.quantity
            ])?;
        }
    }
    let place = SalePlace {
        kiosk: kiosk.0,
        site: place.site,
        territory: place.territory,
    };
    pending.add_sale(place, sale, &texts.day)
}

/// Prepaid sales draw on the household's balance; pay-later sales add to what it owes. A void
/// passes the negated amount.
fn settle_household(
    tx: &Transaction<'_>,
    household: i64,
    method: PaymentMethod,
    cents: i64,
) -> Result<(), HubStoreError> {
    let sql = match method {
        PaymentMethod::Prepaid => {
            "UPDATE households SET balance_cents = balance_cents - ?2
             WHERE id = ?1 AND balance_cents IS NOT NULL"
        }
        PaymentMethod::PayLater => {
            "UPDATE households SET pay_later_owed_cents = pay_later_owed_cents + ?2 WHERE id = ?1"
        }
        PaymentMethod::Cash | PaymentMethod::CardTerminal => return Ok(()),
    };
    tx.prepare_cached(sql)?.execute(params![household, cents])?;
    Ok(())
}

fn add_stock(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    product: i64,
    lot: &str,
    delta: i64,
) -> Result<(), HubStoreError> {
    tx.prepare_cached(
        "INSERT INTO stock_levels (kiosk_id, product_id, lot, level) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kiosk_id, product_id, lot) DO UPDATE SET level = level + excluded.level",
    )?
    .execute(params![kiosk.0, product, lot, delta])?;
    Ok(())
}

fn project_void(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    void: &SaleVoid,
    pending: &mut Pending,
) -> Result<(), HubStoreError> {
    // The voided sale may be earlier in this batch: its sums must be written before they are undone.
    pending.flush(tx)?;
    let id = void.sale.to_string();
    let voided = tx
        .prepare_cached(
            "UPDATE sales SET voided = 1 WHERE id = ?1 AND kiosk_id = ?2 AND voided = 0",
        )?
        .execute(params![id, kiosk.0])?;
    if voided == 0 {
        tracing::warn!(%kiosk, sale = %id, "a void names a sale this kiosk never sent, or one already voided");
        return Ok(());
    }
    let lots: Vec<(i64, String, i64)> = tx
        .prepare_cached("SELECT product_id, lot, quantity FROM sale_line_lots WHERE sale_id = ?1")?
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (product, lot, quantity) in lots {
        add_stock(tx, kiosk, product, &lot, quantity)?;
    }
    super::rollups::remove_sale_from_rollups(tx, &id)?;
    super::household_rollups::remove_sale(tx, &id)?;
    let payment: (Option<i64>, String, i64) = tx
        .prepare_cached(
            "SELECT household_id, payment_method, payment_cents FROM sales WHERE id = ?1",
        )?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if let (Some(household), Some(method)) = (payment.0, PaymentMethod::from_name(&payment.1)) {
        settle_household(tx, household, method, -payment.2)?;
    }
    Ok(())
}

fn project_movement(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    seq: Seq,
    movement: &StockMovement,
) -> Result<(), HubStoreError> {
    let lot = movement.lot.as_deref().unwrap_or("");
    let before: i64 = tx
        .prepare_cached(
            "SELECT level FROM stock_levels WHERE kiosk_id = ?1 AND product_id = ?2 AND lot = ?3",
        )?
        .query_row(params![kiosk.0, movement.product.0, lot], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let delta = movement.change.apply(before) - before;
    add_stock(tx, kiosk, movement.product.0, lot, delta)?;
    let reason = match &movement.change {
        crate::domain::stock::StockChange::Loss { reason, .. } => {
            serde_json::to_value(reason)?.as_str().map(str::to_owned)
        }
        _ => None,
    };
    tx.prepare_cached(
        "INSERT INTO stock_movements (kiosk_id, event_seq, id, product_id, lot, at, kind, delta,
                                      loss_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        kiosk.0,
        check::seq_value(seq)?,
        movement.id.to_string(),
        movement.product.0,
        lot,
        time_text(movement.at),
        movement.change.kind(),
        delta,
        reason
    ])?;
    Ok(())
}

fn project_alarm(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    seq: Seq,
    alarm: &Alarm,
) -> Result<(), HubStoreError> {
    let kind = serde_json::to_value(alarm.kind)?;
    tx.prepare_cached(
        "INSERT INTO alarms (kiosk_id, event_seq, kind, raised, at, lots, peak_millicelsius)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        kiosk.0,
        check::seq_value(seq)?,
        kind.as_str().unwrap_or("unknown"),
        alarm.raised,
        time_text(alarm.at),
        serde_json::to_string(&alarm.lots)?,
        alarm.peak_millicelsius
    ])?;
    Ok(())
}

fn record_health(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    contact: &Contact,
) -> Result<(), HubStoreError> {
    let h = &contact.health;
    tx.prepare_cached(
        "INSERT INTO kiosk_health (kiosk_id, last_contact, version, uptime_s, pending,
            disk_free_bytes, last_millicelsius, kiosk_clock, clock_offset_ms, clock_suspect)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (kiosk_id) DO UPDATE SET last_contact = excluded.last_contact,
            version = excluded.version, uptime_s = excluded.uptime_s, pending = excluded.pending,
            disk_free_bytes = excluded.disk_free_bytes, last_millicelsius = excluded.last_millicelsius,
            kiosk_clock = excluded.kiosk_clock, clock_offset_ms = excluded.clock_offset_ms,
            clock_suspect = excluded.clock_suspect",
    )?
    .execute(params![
        kiosk.0,
        time_text(contact.received_at),
        h.version,
        saturating(h.uptime_s),
        saturating(h.pending),
        h.disk_free_bytes.map(saturating),
        h.last_millicelsius,
        time_text(h.clock),
        contact.clock.offset_ms,
        contact.clock.suspect
    ])?;
    Ok(())
}

/// A kiosk's counter as SQLite stores it; past `i64::MAX` it is pinned there.
fn saturating(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
