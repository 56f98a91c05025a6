//! What a sales report asks for — a period and a grouping — parsed and validated from the text a
//! browser or a script sends, by pure functions, before any query runs.
//!
//! Periods are written the way people say them: `2026-11-28` (a day), `2026-W48` (an ISO week),
//! `2026-11` (a month), `2026-01-01..2026-03-31` (from–to, both included). Dates are the hub's
//! local calendar days. Groupings are a comma-separated list among `kiosk`, `site`, `territory`,
//! `product`, `tier` and `month`.

use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Serialize;

use super::ReportError;

/// The longest custom period a report may cover (ten years): a typo such as `0206` for `2026`
/// should be refused, not silently summed over two thousand years.
pub const MAX_PERIOD_DAYS: i64 = 3_660;

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
    /// Parses `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM` or `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Period, ReportError> {
        let text = text.trim();
        let bad = |why: &str| ReportError::BadPeriod(format!("«{text}»: {why}"));
        if let Some((from, to)) = text.split_once("..") {
            let from = date(from.trim()).ok_or_else(|| bad("the start is not a date"))?;
            let to = date(to.trim()).ok_or_else(|| bad("the end is not a date"))?;
            if from > to {
                return Err(bad("the start is after the end"));
            }
            if (to - from).num_days() >= MAX_PERIOD_DAYS {
                return Err(bad("a period may cover at most ten years"));
            }
            return Ok(Period::Custom { from, to });
        }
        if let Some((year, week)) = text.split_once("-W").or_else(|| text.split_once("-w")) {
            let (year, week) = (year.parse().ok(), week.parse().ok());
            return match (year, week) {
                (Some(year), Some(week))
                    if NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_some() =>
                {
                    Ok(Period::Week { year, week })
                }
                _ => Err(bad("not an ISO week such as 2026-W48")),
            };
        }
        if let Some(day) = date(text) {
            return Ok(Period::Day(day));
        }
        if let Some((year, month)) = text.split_once('-')
            && year.len() == 4
            && month.len() == 2
            && let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>())
            && NaiveDate::from_ymd_opt(year, month, 1).is_some()
        {
            return Ok(Period::Month { year, month });
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

    /// First and last day, both included.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Day(day) => (day, day),
            Period::Week { year, week } => {
                let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                    .expect("validated when parsed");
                (monday, monday + chrono::Days::new(6))
            }
            Period::Month { year, month } => {
                let first = NaiveDate::from_ymd_opt(year, month, 1).expect("validated when parsed");
                let last = first + Months::new(1) - chrono::Days::new(1);
                (first, last)
            }
            Period::Custom { from, to } => (from, to),
        }
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

/// Cuts `from..=to` (from ≤ to) into daily head, whole months, daily tail.
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
        assert_eq!(period.bounds(), (d(from), d(to)));
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
    #[case("0206-01-01..2026-01-01", "ten years")]
    #[case("2026-1-1", "write a day")]
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

    #[test]
    fn the_period_defaults_to_the_current_month() {
        let query = SalesQuery::from_params(None, Some("tier"), d("2026-11-28")).unwrap();
        assert_eq!(query.period.bounds(), (d("2026-11-01"), d("2026-11-30")));
        assert!(query.groups_by(Dimension::Tier));
        assert!(!query.groups_by(Dimension::Product));
    }
}
