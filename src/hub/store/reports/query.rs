//! What a sales report asks for — a period and a grouping — parsed and validated from the text a
//! browser or a script sends, by pure functions, before any query runs.
//!
//! Periods are written the way people say them: `2026-11-28` (a day), `2026-W48` (an ISO week),
//! `2026-11` (a month), `2026-01-01..2026-03-31` (from–to, both included). Dates are the hub's
//! local calendar days. Groupings are a comma-separated list among `kiosk`, `site`, `territory`,
//! `product`, `tier` and `month`.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;

use super::ReportError;

/// The longest custom period a report may cover (ten years): a typo such as `0206` for `2026`
/// should be refused, not silently summed over two thousand years.
pub const MAX_PERIOD_DAYS: i64 = 3_660;

/// Years a period may touch. The collective sold nothing before 2000; rollup keys and stored times
/// are ISO text, which sorts as dates only with four-digit years; and staying far from the
/// calendar's limits (year 262143) keeps every day and month step below from overflowing.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A reporting period in the hub's local calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day(NaiveDate),
    /// An ISO 8601 week: Monday to Sunday.
    Week {
        year: i32,
        week: u32,
    },
    Month {
        year: i32,
        month: u32,
    },
    /// From–to, both days included.
    Custom {
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl Period {
    /// Parses `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM` or `YYYY-MM-DD..YYYY-MM-DD`, within [`YEARS`].
    pub fn parse(text: &str) -> Result<Period, ReportError> {
        let text = text.trim();
        let bad = |why: &str| ReportError::BadPeriod(format!("«{text}»: {why}"));
        let period = Period::parse_form(text, &bad)?;
        // Every form is checked the same way: its first and last days must exist and lie in YEARS.
        period.bounds().map_err(|_| bad(OUT_OF_RANGE))?;
        Ok(period)
    }

    fn parse_form(text: &str, bad: &dyn Fn(&str) -> ReportError) -> Result<Period, ReportError> {
        if let Some((from, to)) = text.split_once("..") {
            let from = date(from.trim()).ok_or_else(|| bad("the start is not a date"))?;
            let to = date(to.trim()).ok_or_else(|| bad("the end is not a date"))?;
            if !in_years(from) || !in_years(to) {
                return Err(bad(OUT_OF_RANGE));
            }
            if from > to {
                return Err(bad("the start is after the end"));
            }
            if (to - from).num_days() >= MAX_PERIOD_DAYS {
                return Err(bad("a period may cover at most ten years"));
            }
            return Ok(Period::Custom { from, to });
        }
        if let Some((year, week)) = text.split_once("-W").or_else(|| text.split_once("-w")) {
            let (year, week) = (year.parse::<i32>().ok(), week.parse().ok());
            return match (year, week) {
                (Some(year), _) if !YEARS.contains(&year) => Err(bad(OUT_OF_RANGE)),
                (Some(year), Some(week))
                    if NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_some() =>
                {
                    Ok(Period::Week { year, week })
                }
                _ => Err(bad("not an ISO week such as 2026-W48")),
            };
        }
        if let Some(day) = date(text) {
            return if in_years(day) {
                Ok(Period::Day(day))
            } else {
                Err(bad(OUT_OF_RANGE))
            };
        }
        if let Some((year, month)) = text.split_once('-')
            && year.len() == 4
            && month.len() == 2
            && let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>())
            && NaiveDate::from_ymd_opt(year, month, 1).is_some()
        {
            return if YEARS.contains(&year) {
                Ok(Period::Month { year, month })
            } else {
                Err(bad(OUT_OF_RANGE))
            };
        }
        Err(bad(
            "write a day (2026-11-28), a week (2026-W48), a month (2026-11) or from..to",
        ))
    }

    /// The month holding `day`: the default period.
    pub fn month_of(day: NaiveDate) -> Period {
        Period::Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// First and last day, both included; refused when either is not a day within [`YEARS`]
    /// (a period built by hand rather than parsed).
    pub fn bounds(self) -> Result<(NaiveDate, NaiveDate), ReportError> {
        let range = match self {
            Period::Day(day) => Some((day, day)),
            Period::Week { year, week } => NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                .and_then(|monday| Some((monday, monday.checked_add_days(Days::new(6))?))),
            Period::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).and_then(|first| {
                    let next = first.checked_add_months(Months::new(1))?;
                    Some((first, next.pred_opt()?))
                })
            }
            Period::Custom { from, to } => Some((from, to)),
        };
        range
            .filter(|(from, to)| in_years(*from) && in_years(*to))
            .ok_or_else(|| ReportError::BadPeriod(format!("«{}»: {OUT_OF_RANGE}", self.text())))
    }

    /// The canonical text, which [`Period::parse`] reads back.
    pub fn text(self) -> String {
        match self {
            Period::Day(day) => day.to_string(),
            Period::Week { year, week } => format!("{year}-W{week:02}"),
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Custom { from, to } => format!("{from}..{to}"),
        }
    }
}

/// A period cut into what the daily rollups answer (partial months at either end) and what the
/// monthly rollups answer (whole months between), so a year reads about a dozen rows per key
/// instead of three hundred and sixty-five.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSplit {
    /// Days before the first whole month (or the whole period when it holds no whole month).
    pub head: Option<(NaiveDate, NaiveDate)>,
    /// First days of the first and last whole months.
    pub months: Option<(NaiveDate, NaiveDate)>,
    /// Days after the last whole month.
    pub tail: Option<(NaiveDate, NaiveDate)>,
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

/// Cuts `from..=to` (from ≤ to, both from [`Period::bounds`], so far from the calendar's limits)
/// into daily head, whole months, daily tail.
pub fn month_split(from: NaiveDate, to: NaiveDate) -> MonthSplit {
    let first_full = if from.day() == 1 {
        from
    } else {
        first_of_month(from) + Months::new(1)
    };
    let to_month = first_of_month(to);
    let last_full = if to + chrono::Days::new(1) == to_month + Months::new(1) {
        to_month
    } else {
        to_month - Months::new(1)
    };
    if first_full > last_full {
        return MonthSplit {
            head: Some((from, to)),
            months: None,
            tail: None,
        };
    }
    let after = last_full + Months::new(1);
    MonthSplit {
        head: (from < first_full).then(|| (from, first_full - chrono::Days::new(1))),
        months: Some((first_full, last_full)),
        tail: (after <= to).then_some((after, to)),
    }
}

/// Why a period outside [`YEARS`] is refused.
const OUT_OF_RANGE: &str = "reports cover the years 2000 to 2100";

fn in_years(day: NaiveDate) -> bool {
    YEARS.contains(&day.year())
}

fn date(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// What a sales report can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Month,
    Territory,
    Site,
    Kiosk,
    Tier,
    Product,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Month,
        Dimension::Territory,
        Dimension::Site,
        Dimension::Kiosk,
        Dimension::Tier,
        Dimension::Product,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dimension::Month => "month",
            Dimension::Territory => "territory",
            Dimension::Site => "site",
            Dimension::Kiosk => "kiosk",
            Dimension::Tier => "tier",
            Dimension::Product => "product",
        }
    }

    pub fn from_name(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// Parses `kiosk,tier,month`: each dimension at most once. Empty text means totals only. The
/// result is in a fixed order (month, territory, site, kiosk, tier, product) so the same report
/// always has the same columns whatever order they were asked in.
pub fn parse_grouping(text: &str) -> Result<Vec<Dimension>, ReportError> {
    let mut dims = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let dim = Dimension::from_name(&part.to_ascii_lowercase()).ok_or_else(|| {
            ReportError::BadGrouping(format!(
                "«{part}» is not one of month, territory, site, kiosk, tier, product"
            ))
        })?;
        if dims.contains(&dim) {
            return Err(ReportError::BadGrouping(format!("«{part}» is asked twice")));
        }
        dims.push(dim);
    }
    dims.sort();
    Ok(dims)
}

/// A validated sales report request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesQuery {
    pub period: Period,
    pub group_by: Vec<Dimension>,
}

impl SalesQuery {
    /// From the optional `period` and `group` texts of a request; the period defaults to the month
    /// holding `today`.
    pub fn from_params(
        period: Option<&str>,
        group: Option<&str>,
        today: NaiveDate,
    ) -> Result<SalesQuery, ReportError> {
        let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
            Some(text) => Period::parse(text)?,
            None => Period::month_of(today),
        };
        Ok(SalesQuery {
            period,
            group_by: parse_grouping(group.unwrap_or(""))?,
        })
    }

    pub fn groups_by(&self, dim: Dimension) -> bool {
        self.group_by.contains(&dim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[rstest]
    #[case("2026-11-28", "2026-11-28", "2026-11-28")]
    #[case(" 2026-11-28 ", "2026-11-28", "2026-11-28")]
    #[case("2026-W48", "2026-11-23", "2026-11-29")]
    #[case("2026-w01", "2025-12-29", "2026-01-04")]
    #[case("2020-W53", "2020-12-28", "2021-01-03")]
    #[case("2026-02", "2026-02-01", "2026-02-28")]
    #[case("2028-02", "2028-02-01", "2028-02-29")]
    #[case("2026-12", "2026-12-01", "2026-12-31")]
    #[case("2026-01-01..2026-03-31", "2026-01-01", "2026-03-31")]
    #[case("2026-01-01 .. 2026-01-01", "2026-01-01", "2026-01-01")]
    fn periods_parse_to_their_days(#[case] text: &str, #[case] from: &str, #[case] to: &str) {
        let period = Period::parse(text).unwrap();
        assert_eq!(period.bounds().unwrap(), (d(from), d(to)));
        assert_eq!(Period::parse(&period.text()).unwrap(), period);
    }

    #[rstest]
    #[case("", "write a day")]
    #[case("yesterday", "write a day")]
    #[case("2026-13", "write a day")]
    #[case("2026-02-30", "write a day")]
    #[case("2026-W54", "ISO week")]
    #[case("2026-W00", "ISO week")]
    #[case("2025-W53", "ISO week")]
    #[case("2026-03-01..2026-02-01", "after the end")]
    #[case("2026-03-01..", "end is not a date")]
    #[case("2006-01-01..2026-01-01", "ten years")]
    #[case("0206-01-01..2026-01-01", "2000 to 2100")]
    #[case("2026-1-1", "write a day")]
    #[case("262143-W01", "2000 to 2100")]
    #[case("262142-W52", "2000 to 2100")]
    #[case("-262144-W01", "2000 to 2100")]
    #[case("1999-W52", "2000 to 2100")]
    #[case("2101-W01", "2000 to 2100")]
    #[case("2100-W52", "2000 to 2100")]
    #[case("9999-12", "2000 to 2100")]
    #[case("1999-12-31", "2000 to 2100")]
    #[case("2101-01-01", "2000 to 2100")]
    #[case("1999-12-31..2000-01-02", "2000 to 2100")]
    #[case("2100-12-30..2101-01-01", "2000 to 2100")]
    fn bad_periods_are_refused_with_a_reason(#[case] text: &str, #[case] reason: &str) {
        let error = Period::parse(text).unwrap_err().to_string();
        assert!(error.contains(reason), "{text}: {error}");
    }

    #[rstest]
    #[case("", &[])]
    #[case("kiosk", &[Dimension::Kiosk])]
    #[case("product, month", &[Dimension::Month, Dimension::Product])]
    #[case("TIER,territory,site", &[Dimension::Territory, Dimension::Site, Dimension::Tier])]
    #[case("kiosk,site,territory,product,tier,month", &Dimension::ALL)]
    fn groupings_parse_in_a_fixed_order(#[case] text: &str, #[case] dims: &[Dimension]) {
        assert_eq!(parse_grouping(text).unwrap(), dims);
    }

    #[rstest]
    #[case("household", "not one of")]
    #[case("kiosk,kiosk", "asked twice")]
    #[case("kiosk;tier", "not one of")]
    fn bad_groupings_are_refused(#[case] text: &str, #[case] reason: &str) {
        let error = parse_grouping(text).unwrap_err().to_string();
        assert!(error.contains(reason), "{text}: {error}");
    }

    #[rstest]
    #[case("2026-11-01", "2026-11-30", None, Some(("2026-11-01", "2026-11-01")), None)]
    #[case("2026-11-05", "2026-11-20", Some(("2026-11-05", "2026-11-20")), None, None)]
    #[case("2026-10-15", "2026-11-20", Some(("2026-10-15", "2026-11-20")), None, None)]
    #[case(
        "2025-11-10",
        "2026-11-28",
        Some(("2025-11-10", "2025-11-30")),
        Some(("2025-12-01", "2026-10-01")),
        Some(("2026-11-01", "2026-11-28"))
    )]
    #[case("2026-01-01", "2026-03-31", None, Some(("2026-01-01", "2026-03-01")), None)]
    #[case(
        "2026-01-31",
        "2026-03-01",
        Some(("2026-01-31", "2026-01-31")),
        Some(("2026-02-01", "2026-02-01")),
        Some(("2026-03-01", "2026-03-01"))
    )]
    #[case("2026-02-01", "2026-02-28", None, Some(("2026-02-01", "2026-02-01")), None)]
    #[case("2026-12-01", "2026-12-31", None, Some(("2026-12-01", "2026-12-01")), None)]
    fn periods_split_into_days_and_whole_months(
        #[case] from: &str,
        #[case] to: &str,
        #[case] head: Option<(&str, &str)>,
        #[case] months: Option<(&str, &str)>,
        #[case] tail: Option<(&str, &str)>,
    ) {
        let pair = |p: Option<(&str, &str)>| p.map(|(a, b)| (d(a), d(b)));
        assert_eq!(
            month_split(d(from), d(to)),
            MonthSplit {
                head: pair(head),
                months: pair(months),
                tail: pair(tail),
            }
        );
    }

    #[rstest]
    #[case(Period::Week { year: 262_143, week: 1 })]
    #[case(Period::Week { year: 2026, week: 60 })]
    #[case(Period::Month { year: 262_143, month: 12 })]
    #[case(Period::Month { year: 2026, month: 13 })]
    #[case(Period::Day(NaiveDate::MAX))]
    #[case(Period::Custom { from: NaiveDate::MIN, to: NaiveDate::MAX })]
    fn periods_built_by_hand_outside_the_years_are_refused_not_panicking(#[case] period: Period) {
        assert!(matches!(period.bounds(), Err(ReportError::BadPeriod(_))));
    }

    #[rstest]
    #[case("2000-01-01", "2000-01-01", "2000-01-01")]
    #[case("2100-12", "2100-12-01", "2100-12-31")]
    #[case("2099-W53", "2099-12-28", "2100-01-03")]
    #[case("2000-01-01..2009-12-30", "2000-01-01", "2009-12-30")]
    fn the_edges_of_the_years_are_reports(
        #[case] text: &str,
        #[case] from: &str,
        #[case] to: &str,
    ) {
        assert_eq!(
            Period::parse(text).unwrap().bounds().unwrap(),
            (d(from), d(to))
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,40}") {
            if let Ok(period) = Period::parse(&text) {
                proptest::prop_assert!(period.bounds().is_ok());
            }
        }

        #[test]
        fn parsing_period_shaped_text_never_panics(
            text in "[+-]?[0-9]{1,7}(-[Ww][0-9]{1,3}|-[0-9]{1,3}(-[0-9]{1,3})?)(\\.\\.[+-]?[0-9]{1,7}-[0-9]{1,2}-[0-9]{1,2})?"
        ) {
            if let Ok(period) = Period::parse(&text) {
                let (from, to) = period.bounds().expect("a parsed period has bounds");
                proptest::prop_assert!(YEARS.contains(&from.year()) && YEARS.contains(&to.year()));
                proptest::prop_assert!(from <= to);
            }
        }
    }

    #[test]
    fn the_period_defaults_to_the_current_month() {
        let query = SalesQuery::from_params(None, Some("tier"), d("2026-11-28")).unwrap();
        assert_eq!(
            query.period.bounds().unwrap(),
            (d("2026-11-01"), d("2026-11-30"))
        );
        assert!(query.groups_by(Dimension::Tier));
        assert!(!query.groups_by(Dimension::Product));
    }
}
