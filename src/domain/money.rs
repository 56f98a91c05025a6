//! Money as integer cents of Canadian dollars.
//!
//! Floats never hold an amount in Congélo: a price list, a cart total and a funder's report must add
//! up to the cent. This module parses what people type, formats for the resident's language, applies
//! percentages with half-up rounding and rounds cash totals to 5 ¢ (Canada has had no penny since 2013).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The largest amount Congélo accepts from outside: one million dollars. Far above any freezer sale,
/// low enough that sums of millions of sales never overflow an `i64`.
pub const MAX_INPUT_CENTS: i64 = 100_000_000;

/// An amount of Canadian money in cents. May be negative (refunds, cash rounding down).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Money(i64);

/// How an amount is written for a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyStyle {
    /// `1 234,25 $`: French (Canada) and Spanish readers.
    CommaSymbolAfter,
    /// `$1,234.25`: English (Canada).
    DotSymbolBefore,
}

/// Why a typed amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("the amount is empty")]
    Empty,
    #[error("«{0}» is not an amount: use digits with at most two decimals, e.g. 4,25")]
    Malformed(String),
    #[error("an amount has at most two decimals (cents)")]
    TooManyDecimals,
    #[error("the amount is over the limit of 1 000 000 $")]
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// This amount times a quantity; `None` on overflow.
    pub fn checked_times(self, quantity: u32) -> Option<Money> {
        self.0.checked_mul(i64::from(quantity)).map(Money)
    }

    /// This amount times a quantity. Quantities come from a cart bounded far below overflow.
    pub fn times(self, quantity: u32) -> Money {
        Money(self.0 * i64::from(quantity))
    }

    /// `pct` percent of this amount, rounded half-up (half away from zero) to the cent.
    pub fn percent(self, pct: u32) -> Money {
        let scaled = i128::from(self.0) * i128::from(pct);
        let half_up = (scaled.abs() + 50) / 100;
        let cents = if scaled < 0 { -half_up } else { half_up };
        // |self| × pct / 100 exceeds i64 only for percentages far above 100: saturate.
        Money(i64::try_from(cents).unwrap_or(if cents < 0 { i64::MIN } else { i64::MAX }))
    }

    /// Rounds to the nearest 5 ¢ as the Government of Canada prescribes for cash: amounts ending
    /// in 1 or 2 round down to 0, 3, 4, 6 and 7 to 5, 8 and 9 up to 10. Negative amounts (cash
    /// refunds) round symmetrically.
    pub fn round_cash(self) -> Money {
        let magnitude = self.0.abs();
        let rounded = (magnitude + 2) / 5 * 5;
        Money(if self.0 < 0 { -rounded } else { rounded })
    }

    /// Parses an amount as people type it: `4,25`, `4.25`, `4,25 $`, `$4.25`, `1 234,50`, `-2`.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, '$' | ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, unsigned) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let cents = parse_unsigned_cents(unsigned, text)?;
        Ok(Money(if negative { -cents } else { cents }))
    }

    /// Writes the amount for a reader, e.g. `4,25 $` or `$4.25`. French uses no-break spaces so
    /// an amount never wraps across two lines of a kiosk screen.
    pub fn format(self, style: MoneyStyle) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        let (dollars, cents) = (magnitude / 100, magnitude % 100);
        match style {
            MoneyStyle::CommaSymbolAfter => {
                let whole = group_thousands(dollars, '\u{a0}');
                format!("{sign}{whole},{cents:02}\u{a0}$")
            }
            MoneyStyle::DotSymbolBefore => {
                let whole = group_thousands(dollars, ',');
                format!("{sign}${whole}.{cents:02}")
            }
        }
    }

    /// A plain decimal with a point and no symbol (`-1234.50`), for CSV files and JSON reports.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
    }
}

fn parse_unsigned_cents(unsigned: &str, original: &str) -> Result<i64, MoneyError> {
    let malformed = || MoneyError::Malformed(original.trim().to_owned());
    let normalised = unsigned.replace(',', ".");
    // A comma used as a thousands separator (`1,234.50`) leaves two points: keep the last as decimal.
    let (whole, fraction) = match normalised.rsplit_once('.') {
        Some((whole, fraction)) => (whole.replace('.', ""), fraction),
        None => (normalised.clone(), ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(malformed());
    }
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
    {
        return Err(malformed());
    }
    if fraction.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    if whole.len() > 9 {
        return Err(MoneyError::TooLarge);
    }
    let dollars: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| malformed())?
    };
    let fraction_cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| malformed())? * 10,
        _ => fraction.parse().map_err(|_| malformed())?,
    };
    let cents = dollars * 100 + fraction_cents;
    if cents > MAX_INPUT_CENTS {
        return Err(MoneyError::TooLarge);
    }
    Ok(cents)
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

impl fmt::Display for Money {
    /// The neutral form used in logs and errors: `4.25 CAD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} CAD", self.to_decimal_string())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, 0)]
    #[case(100, 100)]
    #[case(101, 100)]
    #[case(102, 100)]
    #[case(103, 105)]
    #[case(104, 105)]
    #[case(105, 105)]
    #[case(106, 105)]
    #[case(107, 105)]
    #[case(108, 110)]
    #[case(109, 110)]
    #[case(1299, 1300)]
    #[case(-103, -105)]
    #[case(-101, -100)]
    fn cash_rounding_follows_the_canadian_rule(#[case] cents: i64, #[case] expected: i64) {
        assert_eq!(Money(cents).round_cash(), Money(expected));
    }

    #[rstest]
    #[case(425, MoneyStyle::CommaSymbolAfter, "4,25\u{a0}$")]
    #[case(425, MoneyStyle::DotSymbolBefore, "$4.25")]
    #[case(5, MoneyStyle::CommaSymbolAfter, "0,05\u{a0}$")]
    #[case(123_450, MoneyStyle::CommaSymbolAfter, "1\u{a0}234,50\u{a0}$")]
    #[case(123_450, MoneyStyle::DotSymbolBefore, "$1,234.50")]
    #[case(-425, MoneyStyle::DotSymbolBefore, "-$4.25")]
    #[case(-425, MoneyStyle::CommaSymbolAfter, "-4,25\u{a0}$")]
    #[case(100_000_000, MoneyStyle::DotSymbolBefore, "$1,000,000.00")]
    fn formats_for_each_reader(#[case] cents: i64, #[case] style: MoneyStyle, #[case] text: &str) {
        assert_eq!(Money(cents).format(style), text);
    }

    #[rstest]
    #[case("4,25", 425)]
    #[case("4.25", 425)]
    #[case("4,25 $", 425)]
    #[case("$4.25", 425)]
    #[case("4", 400)]
    #[case("4,5", 450)]
    #[case(",5", 50)]
    #[case("1 234,50 $", 123_450)]
    #[case("1,234.50", 123_450)]
    #[case("-2", -200)]
    #[case("  0,00 ", 0)]
    fn parses_what_people_type(#[case] text: &str, #[case] cents: i64) {
        assert_eq!(Money::parse(text), Ok(Money(cents)));
    }

    #[rstest]
    #[case("", MoneyError::Empty)]
    #[case(" $ ", MoneyError::Empty)]
    #[case("4,255", MoneyError::TooManyDecimals)]
    #[case("quatre", MoneyError::Malformed("quatre".into()))]
    #[case("4e2", MoneyError::Malformed("4e2".into()))]
    #[case(".", MoneyError::Malformed(".".into()))]
    #[case("1000000,01", MoneyError::TooLarge)]
    #[case("99999999999999999999", MoneyError::TooLarge)]
    fn refuses_what_is_not_an_amount(#[case] text: &str, #[case] error: MoneyError) {
        assert_eq!(Money::parse(text), Err(error));
    }

    #[rstest]
    #[case(425, 30, 128)] // 127.5 rounds up
    #[case(425, 60, 255)]
    #[case(425, 100, 425)]
    #[case(399, 30, 120)] // 119.7
    #[case(1, 50, 1)] // 0.5 rounds up
    #[case(0, 30, 0)]
    fn percent_rounds_half_up(#[case] cents: i64, #[case] pct: u32, #[case] expected: i64) {
        assert_eq!(Money(cents).percent(pct), Money(expected));
    }

    proptest! {
        #[test]
        fn cash_rounding_moves_at_most_two_cents(cents in -MAX_INPUT_CENTS..MAX_INPUT_CENTS) {
            let rounded = Money(cents).round_cash();
            prop_assert!((rounded.cents() - cents).abs() <= 2);
            prop_assert_eq!(rounded.cents() % 5, 0);
        }

        #[test]
        fn formatted_amounts_parse_back(cents in -MAX_INPUT_CENTS..=MAX_INPUT_CENTS) {
            for style in [MoneyStyle::CommaSymbolAfter, MoneyStyle::DotSymbolBefore] {
                prop_assert_eq!(Money::parse(&Money(cents).format(style)), Ok(Money(cents)));
            }
            prop_assert_eq!(Money::parse(&Money(cents).to_decimal_string()), Ok(Money(cents)));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC*") {
            let _ = Money::parse(&text);
        }

        #[test]
        fn percent_stays_between_zero_and_the_price(cents in 0..MAX_INPUT_CENTS, pct in 0u32..=100) {
            let part = Money(cents).percent(pct);
            prop_assert!(part >= Money::ZERO && part <= Money(cents));
        }
    }
}
