//! The stock ledger: movements per product and lot, from which levels are derived.
//!
//! Nothing stores "the stock"; it is the sum of restocks, sales, losses and transfers since the last
//! count. A level may go negative: a pack in the resident's hand is sold even if the books say
//! zero, and the discrepancy is flagged for staff rather than blocking the sale.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{KioskId, MovementId, ProductId, SaleId, StaffId};
use super::sale::LotTake;

/// Why packs were taken out of the freezer without a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum LossReason {
    Thawed,
    Damaged,
    Expired,
    Other,
}

impl LossReason {
    pub const ALL: [LossReason; 4] = [
        LossReason::Thawed,
        LossReason::Damaged,
        LossReason::Expired,
        LossReason::Other,
    ];
}

/// What happened to the stock of one product and lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum StockChange {
    Restock {
        quantity: u32,
    },
    Sale {
        quantity: u32,
        sale: SaleId,
    },
    Loss {
        quantity: u32,
        reason: LossReason,
    },
    /// Staff counted the packs: the level is now exactly this.
    Count {
        level: i64,
    },
    TransferOut {
        quantity: u32,
        to: KioskId,
    },
    TransferIn {
        quantity: u32,
        from: KioskId,
    },
}

impl StockChange {
    /// The level after this change, given the level before.
    pub fn apply(&self, level: i64) -> i64 {
        match *self {
            StockChange::Restock { quantity } | StockChange::TransferIn { quantity, .. } => {
                level + i64::from(quantity)
            }
            StockChange::Sale { quantity, .. }
            | StockChange::Loss { quantity, .. }
            | StockChange::TransferOut { quantity, .. } => level - i64::from(quantity),
            StockChange::Count { level: counted } => counted,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            StockChange::Restock { .. } => "restock",
            StockChange::Sale { .. } => "sale",
            StockChange::Loss { .. } => "loss",
            StockChange::Count { .. } => "count",
            StockChange::TransferOut { .. } => "transfer_out",
            StockChange::TransferIn { .. } => "transfer_in",
        }
    }
}

/// One entry of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct StockMovement {
    pub id: MovementId,
    pub kiosk: KioskId,
    pub product: ProductId,
    /// The lot, when known (from a GS1 label or chosen first-expiry-first-out).
    pub lot: Option<String>,
    pub at: DateTime<Utc>,
    pub change: StockChange,
    /// The staff member who recorded it (restock, count, loss); none for a sale.
    #[serde(default)]
    pub by: Option<StaffId>,
}

/// The level after a sequence of movements, in order, starting from nothing.
pub fn level_of<'a>(changes: impl IntoIterator<Item = &'a StockChange>) -> i64 {
    changes
        .into_iter()
        .fold(0, |level, change| change.apply(level))
}

/// The stock of one lot of a product, as the store derives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotLevel {
    pub lot: Option<String>,
    pub best_before: Option<NaiveDate>,
    pub level: i64,
    /// Under an open recall: its packs stay in the books until staff pull them (see
    /// [`assign_lots`], [`distribute_count`]).
    #[serde(default)]
    pub recalled: bool,
}

/// Decides which lots the packs of a sale line (or a loss) come from: first the lots already
/// `known` (read from the packs' labels), then first-expiry-first-out among lots in stock that are
/// not recalled, then the packs of unknown lot in stock, then recalled lots, and what is left from
/// no known lot. The result sums to `quantity`, and no named lot is taken below zero.
///
/// A recalled lot is taken only once nothing else in the books can explain the pack: a pack whose
/// lot was not read is never booked out of a recalled lot while other stock remains, so the
/// recalled packs stay counted, and listed for staff to pull. The kiosk refuses to sell a pack that
/// would come from a recalled lot ([`super::recall::judge_pack_without_lot`]); that the store may
/// still book one (a recall applied between the scan and the payment) keeps the trace honest:
/// the hub's recall then shows that pack as sold.
pub fn assign_lots(quantity: u32, known: &[LotTake], stock: &[LotLevel]) -> Vec<LotTake> {
    let mut takes: Vec<LotTake> = Vec::new();
    let mut left = quantity;
    let mut take = |lot: Option<String>, wanted: u32, left: &mut u32| {
        let n = wanted.min(*left);
        if n == 0 {
            return;
        }
        *left -= n;
        match takes.iter_mut().find(|t| t.lot == lot) {
            Some(existing) => existing.quantity += n,
            None => takes.push(LotTake { lot, quantity: n }),
        }
    };
    for known in known.iter().filter(|k| k.lot.is_some()) {
        take(known.lot.clone(), known.quantity, &mut left);
    }
    let available = |candidate: &LotLevel| -> u32 {
        let already: i64 = known
            .iter()
            .filter(|k| k.lot == candidate.lot)
            .map(|k| i64::from(k.quantity))
            .sum();
        (candidate.level - already).clamp(0, i64::from(u32::MAX)) as u32
    };
    let mut candidates: Vec<&LotLevel> = stock
        .iter()
        .filter(|l| l.lot.is_some() && l.level > 0)
        .collect();
    // Earliest best-before first; lots without a date last; then by code for a stable answer.
    candidates.sort_by_key(|l| (l.best_before.is_none(), l.best_before, l.lot.clone()));
    for candidate in candidates.iter().filter(|l| !l.recalled) {
        take(candidate.lot.clone(), available(candidate), &mut left);
    }
    if let Some(unknown) = stock.iter().find(|l| l.lot.is_none()) {
        take(None, available(unknown), &mut left);
    }
    for candidate in candidates.iter().filter(|l| l.recalled) {
        take(candidate.lot.clone(), available(candidate), &mut left);
    }
    let rest = left;
    take(None, rest, &mut left);
    takes
}

/// Spreads a product count over its lots: staff count packs, not lots. Recalled lots keep their
/// packs first: sales never take from them while other stock remains ([`assign_lots`]), so they
/// are still in the freezer until staff pull them (a loss of the scanned pack), and a count must
/// not make them vanish from the list of packs to pull. The other packs still there are assumed
/// to be the freshest (first-expiry-first-out sells the oldest first), so the count fills lots
/// from the latest best-before back; whatever the known lots cannot hold goes to the unknown lot.
/// Returns the new level of every lot whose level changes.
pub fn distribute_count(counted: u32, lots: &[LotLevel]) -> Vec<(Option<String>, i64)> {
    let mut known: Vec<&LotLevel> = lots.iter().filter(|l| l.lot.is_some()).collect();
    // Recalled lots first, then latest best-before first; undated lots count as the freshest.
    known.sort_by_key(|l| {
        (
            !l.recalled,
            std::cmp::Reverse((l.best_before.is_none(), l.best_before, l.lot.clone())),
        )
    });
    let mut left = i64::from(counted);
    let mut new_levels: Vec<(Option<String>, i64)> = Vec::new();
    for lot in known {
        let keep = lot.level.clamp(0, left);
        left -= keep;
        new_levels.push((lot.lot.clone(), keep));
    }
    new_levels.push((None, left));
    let level_of =
        |lot: &Option<String>| lots.iter().find(|l| &l.lot == lot).map_or(0, |l| l.level);
    new_levels
        .into_iter()
        .filter(|(lot, level)| *level != level_of(lot))
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use rstest::rstest;

    pub(in crate::domain) fn lot(
        code: &str,
        best_before: Option<(i32, u32, u32)>,
        level: i64,
    ) -> LotLevel {
        LotLevel {
            lot: Some(code.into()),
            best_before: best_before.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            level,
            recalled: false,
        }
    }

    fn recalled(code: &str, best_before: Option<(i32, u32, u32)>, level: i64) -> LotLevel {
        LotLevel {
            recalled: true,
            ..lot(code, best_before, level)
        }
    }

    pub(in crate::domain) fn unknown(level: i64) -> LotLevel {
        LotLevel {
            lot: None,
            best_before: None,
            level,
            recalled: false,
        }
    }

    fn take(lot: Option<&str>, quantity: u32) -> LotTake {
        LotTake {
            lot: lot.map(str::to_owned),
            quantity,
        }
    }

    #[test]
    fn levels_follow_the_ledger_and_may_go_negative() {
        let sale = SaleId(uuid::Uuid::nil());
        let changes = [
            StockChange::Restock { quantity: 5 },
            StockChange::Sale { quantity: 2, sale },
            StockChange::Loss {
                quantity: 1,
                reason: LossReason::Thawed,
            },
            StockChange::Count { level: 1 },
            StockChange::Sale { quantity: 3, sale },
            StockChange::TransferIn {
                quantity: 4,
                from: KioskId(2),
            },
            StockChange::TransferOut {
                quantity: 1,
                to: KioskId(3),
            },
        ];
        assert_eq!(level_of(&changes[..3]), 2);
        assert_eq!(level_of(&changes[..5]), -2);
        assert_eq!(level_of(&changes), 1);
    }

    #[rstest]
    // Scanned lots come first.
    #[case(2, vec!["A"], vec![lot("B", Some((2027, 1, 1)), 5)], vec![take(Some("A"), 1), take(Some("B"), 1)])]
    // First expiry first out, undated lots last.
    #[case(3, vec![], vec![lot("LATE", Some((2027, 6, 1)), 5), lot("NODATE", None, 5), lot("SOON", Some((2027, 1, 1)), 2)],
        vec![take(Some("SOON"), 2), take(Some("LATE"), 1)])]
    // Not enough stock: the rest is from no known lot.
    #[case(4, vec![], vec![lot("A", None, 1), lot("Z", None, 0)], vec![take(Some("A"), 1), take(None, 3)])]
    // Nothing known at all.
    #[case(2, vec![], vec![], vec![take(None, 2)])]
    // A scanned lot is not taken twice from its stock.
    #[case(2, vec!["A"], vec![lot("A", None, 1)], vec![take(Some("A"), 1), take(None, 1)])]
    // A recalled lot is skipped while other stock remains, even when it expires first.
    #[case(2, vec![], vec![recalled("R", Some((2027, 1, 1)), 5), lot("G", Some((2027, 6, 1)), 3)],
        vec![take(Some("G"), 2)])]
    // Packs of unknown lot in stock come before a recalled lot.
    #[case(3, vec![], vec![recalled("R", Some((2027, 1, 1)), 5), lot("G", None, 1), unknown(1)],
        vec![take(Some("G"), 1), take(None, 1), take(Some("R"), 1)])]
    // Only recalled packs left: they are booked (never below zero), then the unknown lot.
    #[case(4, vec![], vec![recalled("R", None, 2), lot("G", None, 0)], vec![take(Some("R"), 2), take(None, 2)])]
    // A scanned pack of a recalled lot stays its own.
    #[case(1, vec!["R"], vec![recalled("R", None, 2), lot("G", None, 5)], vec![take(Some("R"), 1)])]
    fn lots_are_assigned(
        #[case] quantity: u32,
        #[case] scanned: Vec<&str>,
        #[case] stock: Vec<LotLevel>,
        #[case] expected: Vec<LotTake>,
    ) {
        let known: Vec<LotTake> = scanned.into_iter().map(|l| take(Some(l), 1)).collect();
        assert_eq!(assign_lots(quantity, &known, &stock), expected);
    }

    #[rstest]
    // Enough packs in the lots: the freshest keep theirs, the oldest give up the difference.
    #[case(5, vec![lot("OLD", Some((2027, 1, 1)), 4), lot("NEW", Some((2027, 6, 1)), 4)], vec![(Some("OLD"), 1)])]
    // More packs than the books knew: the rest are of unknown lot.
    #[case(10, vec![lot("A", None, 4)], vec![(None, 6)])]
    // None left: every lot to zero, including a negative unknown lot.
    #[case(0, vec![lot("A", None, 3), unknown(-2)], vec![(Some("A"), 0), (None, 0)])]
    // The count matches the books: nothing changes.
    #[case(3, vec![lot("A", None, 3)], vec![])]
    // A recalled lot keeps its packs, even when it is the oldest; the others give up the rest.
    #[case(3, vec![recalled("R", Some((2027, 1, 1)), 2), lot("NEW", Some((2027, 6, 1)), 4)], vec![(Some("NEW"), 1)])]
    // Fewer packs than the recalled lot held: the count is all it can keep.
    #[case(1, vec![recalled("R", None, 2), lot("G", None, 4)], vec![(Some("R"), 1), (Some("G"), 0)])]
    fn counts_are_spread_over_lots(
        #[case] counted: u32,
        #[case] lots: Vec<LotLevel>,
        #[case] expected: Vec<(Option<&str>, i64)>,
    ) {
        let expected: Vec<(Option<String>, i64)> = expected
            .into_iter()
            .map(|(l, n)| (l.map(str::to_owned), n))
            .collect();
        assert_eq!(distribute_count(counted, &lots), expected);
    }

    proptest::proptest! {
        #[test]
        fn a_spread_count_always_totals_the_count(
            counted in 0u32..50,
            levels in proptest::collection::vec(-5i64..10, 0..5),
        ) {
            let lots: Vec<LotLevel> = levels.iter().enumerate().map(|(i, l)| lot(&format!("L{i}"), None, *l)).collect();
            let changes = distribute_count(counted, &lots);
            let total: i64 = lots.iter().map(|l| changes.iter().find(|(c, _)| c == &l.lot).map_or(l.level, |(_, n)| *n)).sum::<i64>()
                + changes.iter().find(|(c, _)| c.is_none()).map_or(0, |(_, n)| *n);
            proptest::prop_assert_eq!(total, i64::from(counted));
        }

        #[test]
        fn assigned_lots_always_sum_to_the_quantity(
            quantity in 0u32..50,
            known in proptest::collection::vec(0u32..5, 0..4),
            levels in proptest::collection::vec(-5i64..10, 0..5),
        ) {
            let known: Vec<LotTake> = known.iter().enumerate().map(|(i, q)| take(Some(&format!("K{i}")), *q)).collect();
            let stock: Vec<LotLevel> = levels.iter().enumerate().map(|(i, l)| LotLevel { recalled: i % 2 == 1, ..lot(&format!("S{i}"), None, *l) }).collect();
            let takes = assign_lots(quantity, &known, &stock);
            proptest::prop_assert_eq!(takes.iter().map(|t| t.quantity).sum::<u32>(), quantity);
            proptest::prop_assert!(takes.iter().all(|t| t.quantity > 0));
            // No lot of the stock is taken below zero, and a recalled lot only once every other
            // lot in stock is used up.
            for level in &stock {
                let taken = takes.iter().find(|t| t.lot == level.lot).map_or(0, |t| i64::from(t.quantity));
                proptest::prop_assert!(taken == 0 || taken <= level.level, "{level:?} {takes:?}");
                if level.recalled && taken > 0 {
                    for other in stock.iter().filter(|o| !o.recalled) {
                        let used = takes.iter().find(|t| t.lot == other.lot).map_or(0, |t| i64::from(t.quantity));
                        proptest::prop_assert!(used >= other.level.max(0), "{other:?} {takes:?}");
                    }
                }
            }
        }
    }
}
