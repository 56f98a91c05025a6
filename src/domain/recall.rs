//! Whether a pack the kiosk sells without reading its lot may be sold while lots of its product
//! are recalled.
//!
//! A pack scanned with its lot (a GS1 code with AI 10) is judged by that lot alone. A pack whose
//! lot the kiosk did not read is booked first-expiry-first-out from the stock
//! ([`super::stock::assign_lots`]), and the kiosk cannot see which pack the resident holds. What it
//! knows is how the product was named and what the books say is in the freezer:
//!
//! - **Its code was read and carries no lot** (a plain EAN or UPC, a GS1 code without AI 10). Every
//!   pack the kitchens make carries its lot in its 2D code, so such a pack is not a lot-labelled
//!   pack. It is sold as long as the books hold a pack that is not recalled for it (beside the
//!   packs of the product already in the cart); when only recalled packs are left, the pack in hand
//!   is, by the books, a recalled one, so it is refused like a scanned recalled pack.
//! - **Nothing was read from the pack** (its picture tapped on the grid, or "+" on its cart line).
//!   It may be a recalled pack whose label would not scan. While the books say a recalled pack of
//!   the product is still in this freezer, the pack is refused and the resident asked to leave it
//!   for staff: a recall is about illness, and the only cost of refusing is that the product waits
//!   for the staff member the alarm calls, who pulls the recalled packs and so lifts the refusal.
//!   Scanning the pack's own label still sells a good pack at once. This is what a shop does when
//!   its till reads only the product: it blocks the product until the shelf is cleared.
//!
//! In both cases a refused pack is not sold, and a `recalled_lot_scanned` alarm names the recalled
//! lots still in the books, so staff know what to pull. No lot is chosen for the resident: the
//! screen says not to eat the pack and to leave it for staff.

use super::sale::LotTake;
use super::stock::{LotLevel, assign_lots};

/// How the kiosk learned which product a pack is, when it did not read the pack's lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithoutLot {
    /// Its code was read and carries no lot: a plain EAN or UPC, or a GS1 code without AI 10.
    CodeWithoutLot,
    /// Nothing was read from the pack: its picture was tapped, or "+" on its cart line.
    NotRead,
}

/// Whether one more pack of a product, whose lot was not read, may go into the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackVerdict {
    Sell,
    /// Do not sell: it may be a pack of these recalled lots (the ones the books still hold).
    Recalled {
        lots: Vec<String>,
    },
}

/// Judges one more pack of a product whose lot was not read. `in_cart` is how many packs of the
/// product the cart already holds and `scanned` the lots read from those packs' labels; `stock` is
/// the product's lots as the books hold them, recalled ones marked.
pub fn judge_pack_without_lot(
    how: WithoutLot,
    in_cart: u32,
    scanned: &[LotTake],
    stock: &[LotLevel],
) -> PackVerdict {
    let recalled_left: Vec<String> = stock
        .iter()
        .filter(|l| l.recalled && l.level > 0)
        .filter_map(|l| l.lot.clone())
        .collect();
    if recalled_left.is_empty() {
        return PackVerdict::Sell;
    }
    let refuse = match how {
        WithoutLot::NotRead => true,
        WithoutLot::CodeWithoutLot => {
            // What the store would book for the whole line with this pack in it.
            let takes = assign_lots(in_cart.saturating_add(1), scanned, stock);
            takes.iter().any(|take| {
                take.lot
                    .as_ref()
                    .is_some_and(|lot| recalled_left.contains(lot))
                    && !scanned.iter().any(|s| s.lot == take.lot)
            })
        }
    };
    if refuse {
        PackVerdict::Recalled {
            lots: recalled_left,
        }
    } else {
        PackVerdict::Sell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    use crate::domain::stock::tests::unknown;

    fn lot(code: &str, level: i64, recalled: bool) -> LotLevel {
        LotLevel {
            recalled,
            ..crate::domain::stock::tests::lot(code, None, level)
        }
    }

    fn refused(lots: &[&str]) -> PackVerdict {
        PackVerdict::Recalled {
            lots: lots.iter().map(|l| (*l).to_owned()).collect(),
        }
    }

    use WithoutLot::{CodeWithoutLot, NotRead};

    #[rstest]
    // Nothing recalled: every pack sells, even with nothing in the books.
    #[case(CodeWithoutLot, 0, vec![], vec![lot("G", 2, false)], PackVerdict::Sell)]
    #[case(NotRead, 5, vec![], vec![], PackVerdict::Sell)]
    // A recalled lot whose packs are gone from the books changes nothing.
    #[case(NotRead, 0, vec![], vec![lot("R", 0, true), lot("G", 2, false)], PackVerdict::Sell)]
    // A plain code with a good pack left in the books: sold (from the good lot).
    #[case(CodeWithoutLot, 0, vec![], vec![lot("R", 3, true), lot("G", 1, false)], PackVerdict::Sell)]
    // The cart already holds the last good pack: the next one is, by the books, recalled.
    #[case(CodeWithoutLot, 1, vec![], vec![lot("R", 3, true), lot("G", 1, false)], refused(&["R"]))]
    // Only recalled packs left: refused, naming every recalled lot still there.
    #[case(CodeWithoutLot, 0, vec![], vec![lot("R1", 1, true), lot("R2", 2, true), lot("G", 0, false)], refused(&["R1", "R2"]))]
    // Packs of unknown lot in stock count as good ones.
    #[case(CodeWithoutLot, 0, vec![], vec![lot("R", 3, true), unknown(1)], PackVerdict::Sell)]
    // Scanned packs of the good lot use it up.
    #[case(CodeWithoutLot, 2, vec![("G", 2)], vec![lot("R", 3, true), lot("G", 2, false)], refused(&["R"]))]
    #[case(CodeWithoutLot, 1, vec![("G", 1)], vec![lot("R", 3, true), lot("G", 2, false)], PackVerdict::Sell)]
    // Nothing read from the pack while recalled packs are in the freezer: refused, good stock or not.
    #[case(NotRead, 0, vec![], vec![lot("R", 1, true), lot("G", 9, false)], refused(&["R"]))]
    fn packs_without_a_lot_are_judged(
        #[case] how: WithoutLot,
        #[case] in_cart: u32,
        #[case] scanned: Vec<(&str, u32)>,
        #[case] stock: Vec<LotLevel>,
        #[case] expected: PackVerdict,
    ) {
        let scanned: Vec<LotTake> = scanned
            .into_iter()
            .map(|(lot, quantity)| LotTake {
                lot: Some(lot.into()),
                quantity,
            })
            .collect();
        assert_eq!(
            judge_pack_without_lot(how, in_cart, &scanned, &stock),
            expected
        );
    }

    proptest::proptest! {
        /// A plain-code pack that is sold is always booked out of a lot that is not recalled
        /// (or of no known lot when the books hold nothing at all).
        #[test]
        fn a_sold_plain_pack_is_never_booked_from_a_recalled_lot(
            in_cart in 0u32..6,
            levels in proptest::collection::vec((-2i64..4, proptest::bool::ANY), 0..5),
        ) {
            let stock: Vec<LotLevel> = levels.iter().enumerate().map(|(i, (level, recalled))| lot(&format!("L{i}"), *level, *recalled)).collect();
            if judge_pack_without_lot(CodeWithoutLot, in_cart, &[], &stock) == PackVerdict::Sell {
                let takes = assign_lots(in_cart + 1, &[], &stock);
                for take in takes {
                    let level = stock.iter().find(|l| l.lot == take.lot);
                    proptest::prop_assert!(!level.is_some_and(|l| l.recalled), "{take:?} {stock:?}");
                }
            }
        }
    }
}
