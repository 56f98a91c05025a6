//! GS1 element strings: the data behind GS1-128, GS1 DataBar, GS1 DataMatrix and GS1 QR codes.
//!
//! The collective labels its own packs with GS1 codes so that a scan gives the lot, the packing date
//! and the best-before date, which makes recalls answerable. An element string is a chain of
//! application identifiers (AIs) with their data; variable-length fields end with the GS character
//! (FNC1). We read the AIs Congélo uses and skip, by their known length, the common ones it does not.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ScannedLot;
use super::gtin::{Gtin, GtinError};

/// The ASCII group separator a scanner sends for FNC1 between variable-length fields.
pub const GS: char = '\u{1d}';

/// Longest lot code GS1 allows (AI 10).
const MAX_LOT_LEN: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Gs1Error {
    #[error("unknown GS1 application identifier at «{0}»")]
    UnknownAi(String),
    #[error("the data of AI ({ai}) is cut short")]
    Truncated { ai: String },
    #[error("the data of AI ({ai}) must be digits")]
    NotNumeric { ai: String },
    #[error("AI ({ai}) holds «{value}», which is not a date YYMMDD")]
    BadDate { ai: String, value: String },
    #[error("AI ({ai}) is longer than GS1 allows")]
    TooLong { ai: String },
    #[error("AI ({ai}) appears twice with different data")]
    Conflicting { ai: String },
    #[error("the lot holds characters GS1 does not allow")]
    BadLotCharacters,
    #[error("the GS1 code names no product: it has no GTIN, AI (01)")]
    MissingGtin,
    #[error("the GTIN in AI (01) is wrong: {0}")]
    Gtin(#[from] GtinError),
}

/// How long the data of an AI is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataLen {
    Fixed(usize),
    Variable(usize),
}

/// Length of the AI starting `text` and of its data, for the AIs found on food packaging.
fn ai_spec(text: &str) -> Option<(usize, DataLen)> {
    use DataLen::{Fixed, Variable};
    let two = text.get(..2)?;
    let spec = match two {
        "00" => (2, Fixed(18)),
        "01" | "02" | "03" => (2, Fixed(14)),
        "10" | "21" | "22" => (2, Variable(20)),
        "11" | "12" | "13" | "15" | "16" | "17" => (2, Fixed(6)),
        "20" => (2, Fixed(2)),
        "30" | "37" => (2, Variable(8)),
        "90" => (2, Variable(30)),
        "91" | "92" | "93" | "94" | "95" | "96" | "97" | "98" | "99" => (2, Variable(90)),
        "31" | "32" | "33" | "34" | "35" | "36" => (4, Fixed(6)),
        "39" => match text.get(..3)? {
            "390" | "392" => (4, Variable(15)),
            "391" | "393" => (4, Variable(18)),
            _ => return None,
        },
        "24" | "25" | "40" | "41" | "42" => three_digit_spec(text.get(..3)?)?,
        "70" => match text.get(..4)? {
            "7003" => (4, Fixed(10)),
            "7006" => (4, Fixed(6)),
            "7007" => (4, Variable(12)),
            _ => return None,
        },
        "80" => match text.get(..4)? {
            "8008" => (4, Variable(12)),
            "8020" => (4, Variable(25)),
            _ => return None,
        },
        _ => return None,
    };
    Some(spec)
}

fn three_digit_spec(ai: &str) -> Option<(usize, DataLen)> {
    use DataLen::{Fixed, Variable};
    let len = match ai {
        "240" | "241" | "250" | "251" | "253" | "400" | "401" | "403" => Variable(30),
        "242" => Variable(6),
        "254" | "420" => Variable(20),
        "402" => Fixed(17),
        "410" | "411" | "412" | "413" | "414" | "415" | "416" | "417" => Fixed(13),
        "421" => Variable(12),
        "422" | "426" => Fixed(3),
        _ => return None,
    };
    Some((3, len))
}

/// Splits a raw element string (FNC1 as GS) into (AI, data) pairs.
pub fn split_element_string(text: &str) -> Result<Vec<(String, String)>, Gs1Error> {
    let mut rest = text.trim_start_matches(GS);
    let mut pairs = Vec::new();
    while !rest.is_empty() {
        let (ai_len, data_len) = ai_spec(rest).ok_or_else(|| unknown_ai(rest))?;
        let ai = rest
            .get(..ai_len)
            .filter(|ai| ai.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| unknown_ai(rest))?
            .to_owned();
        let after_ai = &rest[ai_len..];
        let (data, remaining) = match data_len {
            DataLen::Fixed(n) => {
                let data = after_ai.get(..n).filter(|d| !d.contains(GS));
                let data = data.ok_or_else(|| Gs1Error::Truncated { ai: ai.clone() })?;
                (data, &after_ai[n..])
            }
            DataLen::Variable(max) => {
                let end = after_ai.find(GS).unwrap_or(after_ai.len());
                if end > max {
                    return Err(Gs1Error::TooLong { ai });
                }
                (&after_ai[..end], &after_ai[end..])
            }
        };
        if data.is_empty() {
            return Err(Gs1Error::Truncated { ai });
        }
        pairs.push((ai, data.to_owned()));
        rest = remaining.trim_start_matches(GS);
    }
    Ok(pairs)
}

/// Whether `ai` is exactly an application identifier this module knows.
pub fn is_known_ai(ai: &str) -> bool {
    ai.bytes().all(|b| b.is_ascii_digit()) && ai_spec(ai).is_some_and(|(len, _)| len == ai.len())
}

/// Checks the data of one AI given separately (bracketed form, Digital Link).
pub fn check_pair(ai: &str, data: &str) -> Result<(), Gs1Error> {
    if !is_known_ai(ai) {
        return Err(unknown_ai(ai));
    }
    check_data_length(ai, data)
}

/// Splits the human-readable form `(01)09506000134352(10)AB12` into (AI, data) pairs.
pub fn split_bracketed(text: &str) -> Result<Vec<(String, String)>, Gs1Error> {
    let mut pairs = Vec::new();
    let mut rest = text;
    while let Some(after_open) = rest.strip_prefix('(') {
        let close = after_open.find(')').ok_or_else(|| unknown_ai(rest))?;
        let ai = &after_open[..close];
        if !is_known_ai(ai) {
            return Err(unknown_ai(rest));
        }
        let data_and_more = &after_open[close + 1..];
        let end = data_and_more.find('(').unwrap_or(data_and_more.len());
        let data = &data_and_more[..end];
        check_pair(ai, data)?;
        pairs.push((ai.to_owned(), data.to_owned()));
        rest = &data_and_more[end..];
    }
    if rest.is_empty() {
        Ok(pairs)
    } else {
        Err(unknown_ai(rest))
    }
}

fn check_data_length(ai: &str, data: &str) -> Result<(), Gs1Error> {
    let ok = match ai_spec(ai).map(|(_, len)| len) {
        Some(DataLen::Fixed(n)) => data.len() == n,
        Some(DataLen::Variable(max)) => !data.is_empty() && data.len() <= max,
        None => false,
    };
    if ok {
        Ok(())
    } else if data.is_empty()
        || matches!(ai_spec(ai), Some((_, DataLen::Fixed(n))) if data.len() < n)
    {
        Err(Gs1Error::Truncated { ai: ai.to_owned() })
    } else {
        Err(Gs1Error::TooLong { ai: ai.to_owned() })
    }
}

fn unknown_ai(at: &str) -> Gs1Error {
    Gs1Error::UnknownAi(at.chars().take(4).collect())
}

/// Reads the GTIN and lot data out of (AI, data) pairs, from an element string or a Digital Link.
pub fn interpret(pairs: &[(String, String)]) -> Result<(Gtin, ScannedLot), Gs1Error> {
    check_no_conflicts(pairs)?;
    let mut gtin = None;
    let mut lot = ScannedLot::default();
    for (ai, data) in pairs {
        match ai.as_str() {
            "01" => gtin = Some(parse_gtin(data)?),
            "10" => lot.lot = Some(parse_lot(data)?),
            "11" => lot.produced_on = Some(parse_date(ai, data)?),
            "15" => lot.best_before = Some(parse_date(ai, data)?),
            "17" => lot.expires_on = Some(parse_date(ai, data)?),
            _ if ai.starts_with("310") => lot.net_weight_g = Some(parse_kilograms(ai, data)?),
            _ => {}
        }
    }
    Ok((gtin.ok_or(Gs1Error::MissingGtin)?, lot))
}

fn check_no_conflicts(pairs: &[(String, String)]) -> Result<(), Gs1Error> {
    for (i, (ai, data)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(a, d)| a == ai && d != data) {
            return Err(Gs1Error::Conflicting { ai: ai.clone() });
        }
    }
    Ok(())
}

fn parse_gtin(data: &str) -> Result<Gtin, Gs1Error> {
    if data.len() != 14 {
        return Err(Gs1Error::Truncated { ai: "01".into() });
    }
    Ok(Gtin::parse(data)?.0)
}

/// A lot may hold GS1's character set 82: printable ASCII but space, `"`, `#`, `$`, `@`, `[`…
/// We accept printable ASCII without space, which covers it and refuses control characters.
fn parse_lot(data: &str) -> Result<String, Gs1Error> {
    if data.len() > MAX_LOT_LEN {
        return Err(Gs1Error::TooLong { ai: "10".into() });
    }
    if !data.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Gs1Error::BadLotCharacters);
    }
    Ok(data.to_owned())
}

/// A GS1 date as printed, YYMMDD, whose century is not known yet.
///
/// The century depends on the day the label is read (GS1 General Specifications §7.12): the year
/// is the one ending in YY within −49..+50 years of the reference year. This pure code may not
/// read a clock, so a scan keeps the printed parts and [`Gs1Date::resolve`] places them once the
/// caller — the kiosk with its clock, the hub with its own — gives the day. DD = 00 means the last
/// day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Gs1Date {
    yy: u8,
    month: u8,
    /// 1..=31, or 0 for the month's last day.
    day: u8,
}

impl Gs1Date {
    /// The date these parts name, in the century GS1's window gives around `today`; `None` only
    /// for 29 February of a century year that is not leap (2100), which no window can avoid.
    pub fn resolve(self, today: NaiveDate) -> Option<NaiveDate> {
        let year = year_near(self.yy, today.year());
        if self.day == 0 {
            let first = NaiveDate::from_ymd_opt(year, self.month.into(), 1)?;
            return first.checked_add_months(chrono::Months::new(1))?.pred_opt();
        }
        NaiveDate::from_ymd_opt(year, self.month.into(), self.day.into())
    }

    /// The printed YYMMDD.
    pub fn printed(self) -> String {
        format!("{:02}{:02}{:02}", self.yy, self.month, self.day)
    }
}

/// The year ending in `yy` (0..=99) within −49..+50 years of `reference`.
pub fn year_near(yy: u8, reference: i32) -> i32 {
    let candidate = reference - reference.rem_euclid(100) + i32::from(yy);
    if candidate - reference > 50 {
        candidate - 100
    } else if candidate - reference < -49 {
        candidate + 100
    } else {
        candidate
    }
}

/// Reads YYMMDD: a real month, and a day that month can have in some year ending in YY (29
/// February only when YY is a multiple of four), or 00 for its last day.
pub fn parse_date(ai: &str, data: &str) -> Result<Gs1Date, Gs1Error> {
    let bad = || Gs1Error::BadDate {
        ai: ai.to_owned(),
        value: data.to_owned(),
    };
    if data.len() != 6 || !data.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| data[range].parse::<u8>().map_err(|_| bad());
    let (yy, month, day) = (number(0..2)?, number(2..4)?, number(4..6)?);
    // A year 2000 + YY has the same month lengths as any year ending in YY but a century year.
    let first = NaiveDate::from_ymd_opt(2000 + i32::from(yy), month.into(), 1).ok_or_else(bad)?;
    let days_in_month = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .map(|last| last.day())
        .ok_or_else(bad)?;
    if u32::from(day) > days_in_month {
        return Err(bad());
    }
    Ok(Gs1Date { yy, month, day })
}

/// AI 310n: net weight in kilograms with n decimals, returned in grams (rounded to the gram).
fn parse_kilograms(ai: &str, data: &str) -> Result<u32, Gs1Error> {
    let not_numeric = || Gs1Error::NotNumeric { ai: ai.to_owned() };
    let decimals = ai
        .get(3..)
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(not_numeric)?;
    if data.len() != 6 || !data.bytes().all(|b| b.is_ascii_digit()) || decimals > 5 {
        return Err(not_numeric());
    }
    let raw: u64 = data.parse().map_err(|_| not_numeric())?;
    let divisor = 10u64.pow(decimals);
    let grams = (raw * 1000 + divisor / 2) / divisor;
    u32::try_from(grams).map_err(|_| not_numeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[rstest]
    #[case("270315", date(2027, 3, 15))]
    #[case("260200", date(2026, 2, 28))]
    #[case("280200", date(2028, 2, 29))]
    #[case("280229", date(2028, 2, 29))]
    #[case("261200", date(2026, 12, 31))]
    #[case("991231", date(1999, 12, 31))]
    #[case("760101", date(2076, 1, 1))]
    #[case("770101", date(1977, 1, 1))]
    #[case("000101", date(2000, 1, 1))]
    fn dates_read_in_2026(#[case] text: &str, #[case] expected: NaiveDate) {
        let today = date(2026, 6, 15);
        assert_eq!(
            parse_date("15", text).unwrap().resolve(today),
            Some(expected)
        );
    }

    #[rstest]
    #[case(76, 2026, 2076)]
    #[case(77, 2026, 1977)]
    #[case(99, 2026, 1999)]
    #[case(0, 2026, 2000)]
    #[case(26, 2026, 2026)]
    #[case(49, 2099, 2149)]
    #[case(50, 2099, 2050)]
    #[case(0, 2049, 2000)]
    #[case(0, 2050, 2100)]
    #[case(0, 2051, 2100)]
    #[case(1, 2051, 2101)]
    #[case(2, 2051, 2002)]
    #[case(99, 2000, 1999)]
    #[case(50, 2000, 2050)]
    #[case(51, 2000, 1951)]
    fn two_digit_years_fall_within_49_years_back_and_50_ahead(
        #[case] yy: u8,
        #[case] reference: i32,
        #[case] year: i32,
    ) {
        assert_eq!(year_near(yy, reference), year);
        assert!((-49..=50).contains(&(year - reference)));
    }

    #[test]
    fn a_leap_day_of_a_century_that_is_not_leap_resolves_to_nothing() {
        let leap = parse_date("15", "000229").unwrap();
        assert_eq!(leap.resolve(date(2026, 1, 1)), Some(date(2000, 2, 29)));
        assert_eq!(leap.resolve(date(2060, 1, 1)), None);
        assert_eq!(leap.printed(), "000229");
    }

    #[rstest]
    #[case("271315")]
    #[case("270230")]
    #[case("270229")]
    #[case("270431")]
    #[case("270015")]
    #[case("2703")]
    #[case("27031a")]
    fn bad_dates(#[case] text: &str) {
        assert!(matches!(
            parse_date("15", text),
            Err(Gs1Error::BadDate { .. })
        ));
    }

    #[rstest]
    #[case("3103", "000500", 500)]
    #[case("3102", "000150", 1500)]
    #[case("3100", "000002", 2000)]
    #[case("3105", "000001", 0)]
    #[case("3104", "004535", 454)]
    fn weights_in_grams(#[case] ai: &str, #[case] data: &str, #[case] grams: u32) {
        assert_eq!(parse_kilograms(ai, data), Ok(grams));
    }

    #[test]
    fn element_string_with_variable_field_in_the_middle() {
        let text = "0109506000134352\u{1d}10LOT-7\u{1d}15270315";
        let pairs = split_element_string(text).unwrap();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[1], ("10".into(), "LOT-7".into()));
    }

    #[test]
    fn fixed_fields_need_no_separator_and_unknown_common_ais_are_skipped() {
        let pairs = split_element_string("01095060001343521727033121SERIAL9").unwrap();
        let ais: Vec<&str> = pairs.iter().map(|(ai, _)| ai.as_str()).collect();
        assert_eq!(ais, ["01", "17", "21"]);
    }

    #[rstest]
    #[case("0109506000134", Gs1Error::Truncated { ai: "01".into() })]
    #[case("0109506000134352\u{1d}10", Gs1Error::Truncated { ai: "10".into() })]
    #[case("0109506000134352\u{1d}10ABCDEFGHIJKLMNOPQRSTU", Gs1Error::TooLong { ai: "10".into() })]
    #[case("0109506000134352\u{1d}77X", Gs1Error::UnknownAi("77X".into()))]
    #[case("01095060\u{1d}00134352", Gs1Error::Truncated { ai: "01".into() })]
    fn malformed_element_strings(#[case] text: &str, #[case] error: Gs1Error) {
        assert_eq!(split_element_string(text), Err(error));
    }

    #[test]
    fn bracketed_form() {
        let pairs = split_bracketed("(01)09506000134352(10)AB12(3103)000500").unwrap();
        assert_eq!(pairs[2], ("3103".into(), "000500".into()));
        assert!(matches!(
            split_bracketed("(01)0950600013435"),
            Err(Gs1Error::Truncated { .. })
        ));
        assert!(matches!(
            split_bracketed("(7)1"),
            Err(Gs1Error::UnknownAi(_))
        ));
    }

    #[test]
    fn interpretation_refuses_conflicts_and_missing_gtin() {
        let pair = |a: &str, d: &str| (a.to_owned(), d.to_owned());
        assert_eq!(interpret(&[pair("10", "A")]), Err(Gs1Error::MissingGtin));
        let conflicting = [
            pair("01", "09506000134352"),
            pair("10", "A"),
            pair("10", "B"),
        ];
        assert_eq!(
            interpret(&conflicting),
            Err(Gs1Error::Conflicting { ai: "10".into() })
        );
        let bad_lot = [pair("01", "09506000134352"), pair("10", "A B")];
        assert_eq!(interpret(&bad_lot), Err(Gs1Error::BadLotCharacters));
    }
}
