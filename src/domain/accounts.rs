//! Prepaid balances and pay-later limits, decided offline.
//!
//! A kiosk knows a household's balance and debt as of the last configuration it pulled from the
//! hub, and its own sales since. It must never let a household spend money it does not have, even
//! after days without network, so it subtracts everything it sold since that snapshot — possibly
//! twice if the hub had already counted a sale whose acknowledgement was lost, which only errs on
//! the safe side.

use super::money::Money;

/// What a household may still spend from its prepaid balance here: the snapshot's balance minus
/// this kiosk's prepaid sales since, never below zero.
pub fn prepaid_available(snapshot_balance: Money, spent_here_since: Money) -> Money {
    (snapshot_balance - spent_here_since).max(Money::ZERO)
}

/// Whether a pay-later of `due` stays within the household's limit, counting what it owed in the
/// snapshot and what it put on its tab here since.
pub fn pay_later_allowed(
    limit: Option<Money>,
    owed_snapshot: Money,
    owed_here_since: Money,
    due: Money,
) -> bool {
    limit.is_some_and(|limit| owed_snapshot + owed_here_since + due <= limit)
}

/// What the household will owe after this pay-later.
pub fn owed_after(owed_snapshot: Money, owed_here_since: Money, due: Money) -> Money {
    owed_snapshot + owed_here_since + due
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    #[rstest]
    #[case(2500, 0, 2500)]
    #[case(2500, 1000, 1500)]
    #[case(2500, 3000, 0)]
    fn prepaid(#[case] balance: i64, #[case] spent: i64, #[case] available: i64) {
        assert_eq!(prepaid_available(m(balance), m(spent)), m(available));
    }

    #[rstest]
    #[case(None, 0, 0, 1, false)]
    #[case(Some(1500), 0, 0, 1500, true)]
    #[case(Some(1500), 1000, 0, 501, false)]
    #[case(Some(1500), 500, 500, 500, true)]
    #[case(Some(1500), 500, 501, 500, false)]
    fn pay_later(
        #[case] limit: Option<i64>,
        #[case] owed: i64,
        #[case] here: i64,
        #[case] due: i64,
        #[case] allowed: bool,
    ) {
        assert_eq!(
            pay_later_allowed(limit.map(m), m(owed), m(here), m(due)),
            allowed
        );
    }
}
