//! Purchase caps per household and period.
//!
//! Subsidised food is shared fairly by capping what one household can buy at its tier in a week or a
//! month, by amount paid or by number of packs. Caps are checked offline on the kiosk against the
//! household's purchase history, so this is a pure function of that history and today's local date.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::money::Money;

/// The window a cap counts over: the calendar week (Monday to Sunday, ISO 8601) or calendar month
/// that contains today. Calendar windows are what a resident can be told: "this week", "this month".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum CapPeriod {
    Week,
    Month,
}

/// The largest pack count a cap may set (a cap by amount is bounded by
/// [`MAX_INPUT_CENTS`](super::money::MAX_INPUT_CENTS)).
pub const MAX_CAP_ITEMS: u32 = 10_000;

/// What a cap limits: the amount the household pays, or the number of packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum CapLimit {
    Amount(Money),
    Items(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Cap {
    pub period: CapPeriod,
    pub limit: CapLimit,
}

/// One earlier purchase of the household, as far as caps are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct PastPurchase {
    /// Local date of the sale.
    pub on: NaiveDate,
    pub paid: Money,
    pub items: u32,
}

/// How much of a cap is used, in the cap's own unit (cents or packs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapExceeded {
    pub cap: Cap,
    /// Already used in the period before this basket.
    pub used: i64,
    /// What the basket would add.
    pub wanted: i64,
    /// The cap's limit, in the same unit.
    pub limit: i64,
}

impl CapExceeded {
    /// What is left in the period (never negative).
    pub fn remaining(&self) -> i64 {
        (self.limit - self.used).max(0)
    }

    /// What is left in the period beside a cart that already holds `in_cart` (in the cap's unit):
    /// what the resident may still add. Negative when the cart alone is over the cap, by that much.
    pub fn left_beside(&self, in_cart: i64) -> i64 {
        self.limit - self.used - in_cart
    }
}

impl CapPeriod {
    /// First day of the window containing `today`.
    pub fn start(self, today: NaiveDate) -> NaiveDate {
        match self {
            CapPeriod::Week => {
                let back = u64::from(today.weekday().num_days_from_monday());
                today.checked_sub_days(Days::new(back)).unwrap_or(today)
            }
            CapPeriod::Month => today.with_day(1).unwrap_or(today),
        }
    }
}

/// Checks a basket (`paid`, `items`) against every cap, given the household's earlier purchases.
/// Purchases dated after today still count: a kiosk clock set backwards must not reopen a cap.
/// Returns the first cap the basket would exceed.
pub fn check_caps(
    caps: &[Cap],
    history: &[PastPurchase],
    today: NaiveDate,
    paid: Money,
    items: u32,
) -> Result<(), CapExceeded> {
    for cap in caps {
        let start = cap.period.start(today);
        let in_window = history.iter().filter(|p| p.on >= start);
        let (used, wanted, limit) = match cap.limit {
            CapLimit::Amount(limit) => (
                in_window.map(|p| p.paid.cents()).sum::<i64>(),
                paid.cents(),
                limit.cents(),
            ),
            CapLimit::Items(limit) => (
                in_window.map(|p| i64::from(p.items)).sum::<i64>(),
                i64::from(items),
                i64::from(limit),
            ),
        };
        if used + wanted > limit {
            return Err(CapExceeded {
                cap: *cap,
                used,
                wanted,
                limit,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn bought(on: NaiveDate, cents: i64, items: u32) -> PastPurchase {
        PastPurchase {
            on,
            paid: Money::from_cents(cents),
            items,
        }
    }

    const WEEK_ITEMS_10: Cap = Cap {
        period: CapPeriod::Week,
        limit: CapLimit::Items(10),
    };
    const MONTH_40_DOLLARS: Cap = Cap {
        period: CapPeriod::Month,
        limit: CapLimit::Amount(Money::from_cents(4000)),
    };

    #[rstest]
    #[case(date(2026, 11, 28), CapPeriod::Week, date(2026, 11, 23))] // Saturday → Monday
    #[case(date(2026, 11, 23), CapPeriod::Week, date(2026, 11, 23))] // Monday
    #[case(date(2026, 11, 29), CapPeriod::Week, date(2026, 11, 23))] // Sunday ends the week
    #[case(date(2026, 11, 28), CapPeriod::Month, date(2026, 11, 1))]
    #[case(date(2027, 1, 1), CapPeriod::Week, date(2026, 12, 28))] // across a year
    fn windows_start_on_monday_and_the_first(
        #[case] today: NaiveDate,
        #[case] period: CapPeriod,
        #[case] start: NaiveDate,
    ) {
        assert_eq!(period.start(today), start);
    }

    #[rstest]
    // No history: a basket up to the limit passes.
    #[case(vec![], 1000, 10, true)]
    #[case(vec![], 1000, 11, false)]
    // Last week's purchases do not count; this week's do.
    #[case(vec![bought(date(2026, 11, 22), 0, 9)], 0, 10, true)]
    #[case(vec![bought(date(2026, 11, 24), 0, 9)], 0, 2, false)]
    // Amount cap over the month.
    #[case(vec![bought(date(2026, 11, 2), 3000, 1)], 1000, 1, true)]
    #[case(vec![bought(date(2026, 11, 2), 3000, 1)], 1001, 1, false)]
    #[case(vec![bought(date(2026, 10, 31), 3900, 1)], 4000, 1, true)]
    // A purchase dated in the future (clock moved back) still counts.
    #[case(vec![bought(date(2026, 12, 1), 0, 10)], 0, 1, false)]
    fn baskets_are_checked_against_the_window(
        #[case] history: Vec<PastPurchase>,
        #[case] paid: i64,
        #[case] items: u32,
        #[case] allowed: bool,
    ) {
        let caps = [WEEK_ITEMS_10, MONTH_40_DOLLARS];
        let result = check_caps(
            &caps,
            &history,
            date(2026, 11, 28),
            Money::from_cents(paid),
            items,
        );
        assert_eq!(result.is_ok(), allowed, "{result:?}");
    }

    #[rstest]
    // Three a week, none bought: three in the cart leave nothing to add.
    #[case(0, 3, 0)]
    #[case(0, 1, 2)]
    // Two bought earlier this week: one in the cart leaves nothing.
    #[case(2, 1, 0)]
    // A card scanned after the packs: the cart is one over.
    #[case(0, 4, -1)]
    fn what_is_left_counts_the_cart(#[case] bought: u32, #[case] in_cart: i64, #[case] left: i64) {
        let cap = Cap {
            period: CapPeriod::Week,
            limit: CapLimit::Items(3),
        };
        let history = [PastPurchase {
            on: date(2026, 11, 24),
            paid: Money::ZERO,
            items: bought,
        }];
        let refusal = check_caps(&[cap], &history, date(2026, 11, 28), Money::ZERO, 10)
            .expect_err("ten packs are over three");
        assert_eq!(refusal.left_beside(in_cart), left);
    }

    #[test]
    fn the_refusal_says_what_is_left() {
        let history = [bought(date(2026, 11, 24), 0, 7)];
        let refusal = check_caps(
            &[WEEK_ITEMS_10],
            &history,
            date(2026, 11, 28),
            Money::ZERO,
            5,
        )
        .unwrap_err();
        assert_eq!(
            (refusal.used, refusal.wanted, refusal.remaining()),
            (7, 5, 3)
        );
    }

    #[test]
    fn no_caps_means_no_limit() {
        assert!(check_caps(&[], &[], date(2026, 1, 1), Money::from_cents(1 << 40), 9999).is_ok());
    }
}
