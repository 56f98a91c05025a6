//! Coins and banknotes for a cash amount.
//!
//! Many residents read numbers more easily as money they hold: the kiosk shows a cash total as the
//! fewest Canadian banknotes and coins that make it up (there is no penny, and cash totals are
//! already rounded to 5 ¢).

use serde::{Deserialize, Serialize};

use super::money::Money;

/// A Canadian banknote or circulation coin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Denomination {
    pub cents: i64,
    pub is_note: bool,
}

/// From the largest to the smallest: $100, $50, $20, $10 and $5 notes; toonie, loonie, quarter,
/// dime, nickel.
pub const DENOMINATIONS: [Denomination; 10] = [
    Denomination {
        cents: 10_000,
        is_note: true,
    },
    Denomination {
        cents: 5_000,
        is_note: true,
    },
    Denomination {
        cents: 2_000,
        is_note: true,
    },
    Denomination {
        cents: 1_000,
        is_note: true,
    },
    Denomination {
        cents: 500,
        is_note: true,
    },
    Denomination {
        cents: 200,
        is_note: false,
    },
    Denomination {
        cents: 100,
        is_note: false,
    },
    Denomination {
        cents: 25,
        is_note: false,
    },
    Denomination {
        cents: 10,
        is_note: false,
    },
    Denomination {
        cents: 5,
        is_note: false,
    },
];

/// The fewest notes and coins making up `amount` (rounded to 5 ¢ first), largest first, each with
/// its count. Zero or negative amounts need none.
pub fn breakdown(amount: Money) -> Vec<(Denomination, u32)> {
    let mut left = amount.round_cash().cents().max(0);
    let mut pieces = Vec::new();
    for denomination in DENOMINATIONS {
        let count = left / denomination.cents;
        if count > 0 {
            pieces.push((denomination, count as u32));
            left -= count * denomination.cents;
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn cents_of(pieces: &[(Denomination, u32)]) -> Vec<(i64, u32)> {
        pieces.iter().map(|(d, n)| (d.cents, *n)).collect()
    }

    #[rstest]
    #[case(1235, vec![(1000, 1), (200, 1), (25, 1), (10, 1)])]
    #[case(436, vec![(200, 2), (25, 1), (10, 1)])] // 4,36 → 4,35 in cash
    #[case(4000, vec![(2000, 2)])]
    #[case(0, vec![])]
    #[case(-500, vec![])]
    fn fewest_pieces(#[case] cents: i64, #[case] expected: Vec<(i64, u32)>) {
        assert_eq!(cents_of(&breakdown(Money::from_cents(cents))), expected);
    }

    proptest! {
        #[test]
        fn pieces_add_up_to_the_cash_amount(cents in 0i64..1_000_000) {
            let total: i64 = breakdown(Money::from_cents(cents)).iter().map(|(d, n)| d.cents * i64::from(*n)).sum();
            prop_assert_eq!(total, Money::from_cents(cents).round_cash().cents());
        }
    }
}
