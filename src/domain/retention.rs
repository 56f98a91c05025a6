//! Privacy by retention (Québec Law 25): after a number of months a sale no longer says which
//! household made it, on the hub and on every kiosk. This is the one rule both share: where the
//! cutoff falls.

use chrono::{DateTime, Months, Utc};

/// Sales made before this instant are detached: `now` minus `months` calendar months (clamped to
/// the month's last day, e.g. 31 March − 1 month = 28 or 29 February).
pub fn cutoff(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("2026-12-05T10:00:00Z", 13, "2025-11-05T10:00:00Z")]
    #[case("2026-03-31T00:00:00Z", 1, "2026-02-28T00:00:00Z")]
    #[case("2028-03-31T00:00:00Z", 1, "2028-02-29T00:00:00Z")]
    fn the_cutoff_is_calendar_months_back(
        #[case] now: &str,
        #[case] months: u32,
        #[case] expected: &str,
    ) {
        let now: DateTime<Utc> = now.parse().unwrap();
        assert_eq!(
            cutoff(now, months),
            expected.parse::<DateTime<Utc>>().unwrap()
        );
    }
}
