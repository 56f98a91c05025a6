//! The charts funders ask for — sales and kilograms per month, stacked by tier or by territory —
//! built from a sales report grouped by month and that dimension.

use super::ReportError;
use super::model::{Figures, SalesReport, SalesRow};
use super::query::Dimension;
use super::svg::{BarChart, Series};
use crate::domain::product::Locale;

/// What the bars measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Sales,
    Kilograms,
}

impl Measure {
    fn of(self, figures: &Figures) -> f64 {
        match self {
            Measure::Sales => figures.sales as f64,
            Measure::Kilograms => figures.grams as f64 / 1000.0,
        }
    }
}

/// The texts around a chart, in the reader's language (the caller's messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartText {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub unit: String,
    /// What the bars measure, with the unit: the vertical axis's label.
    pub axis_label: String,
    /// What the series are: the legend's title.
    pub legend_title: String,
}

fn series_name(row: &SalesRow, by: Dimension) -> Option<&str> {
    let named = match by {
        Dimension::Tier => &row.tier,
        Dimension::Territory => &row.territory,
        Dimension::Site => &row.site,
        Dimension::Kiosk => &row.kiosk,
        Dimension::Product => &row.product,
        Dimension::Month => return None,
    };
    named.as_ref().map(|n| n.name.as_str())
}

/// One bar per month of `report` and one stacked series per value of `by`. The report must be
/// grouped by exactly month and `by`.
pub fn monthly(
    report: &SalesReport,
    by: Dimension,
    measure: Measure,
    text: ChartText,
    lang: Locale,
) -> Result<BarChart, ReportError> {
    let mut expected = vec![Dimension::Month, by];
    expected.sort();
    if report.group_by != expected || by == Dimension::Month {
        return Err(ReportError::BadGrouping(format!(
            "a monthly chart by {} needs a report grouped by month and {}",
            by.name(),
            by.name()
        )));
    }
    let mut categories: Vec<String> = report.rows.iter().filter_map(|r| r.month.clone()).collect();
    categories.sort();
    categories.dedup();
    let mut names: Vec<&str> = report
        .rows
        .iter()
        .filter_map(|r| series_name(r, by))
        .collect();
    names.sort();
    names.dedup();
    let series = names
        .iter()
        .map(|name| Series {
            name: (*name).to_owned(),
            values: categories
                .iter()
                .map(|month| {
                    report
                        .rows
                        .iter()
                        .filter(|r| {
                            r.month.as_ref() == Some(month) && series_name(r, by) == Some(name)
                        })
                        .map(|r| measure.of(&r.figures))
                        .sum()
                })
                .collect(),
        })
        .collect();
    Ok(BarChart {
        id: text.id,
        title: text.title,
        desc: text.desc,
        categories,
        series,
        unit: text.unit,
        axis_label: text.axis_label,
        legend_title: text.legend_title,
        decimals: if measure == Measure::Kilograms { 1 } else { 0 },
        lang,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::reports::model::Named;
    use chrono::NaiveDate;

    fn row(month: &str, tier: &str, grams: i64) -> SalesRow {
        SalesRow {
            month: Some(month.into()),
            territory: None,
            site: None,
            kiosk: None,
            tier: Some(Named {
                id: 1,
                name: tier.into(),
            }),
            product: None,
            figures: Figures::new(2, 3, grams, 0, 0),
        }
    }

    fn report(group_by: Vec<Dimension>) -> SalesReport {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        SalesReport {
            period: "2026".into(),
            from: day,
            to: day,
            group_by,
            rows: vec![
                row("2026-02", "B", 1_500),
                row("2026-01", "A", 500),
                row("2026-02", "A", 2_000),
            ],
            totals: Figures::default(),
        }
    }

    fn text() -> ChartText {
        ChartText {
            id: "c".into(),
            title: "t".into(),
            desc: "d".into(),
            unit: "kg".into(),
            axis_label: "kg".into(),
            legend_title: "tier".into(),
        }
    }

    #[test]
    fn months_become_bars_and_tiers_series() {
        let report = report(vec![Dimension::Month, Dimension::Tier]);
        let chart = monthly(
            &report,
            Dimension::Tier,
            Measure::Kilograms,
            text(),
            Locale::FrCa,
        )
        .unwrap();
        assert_eq!(chart.categories, ["2026-01", "2026-02"]);
        assert_eq!(chart.series[0].name, "A");
        assert_eq!(chart.series[0].values, [0.5, 2.0]);
        assert_eq!(chart.series[1].values, [0.0, 1.5]);
        let sales = monthly(
            &report,
            Dimension::Tier,
            Measure::Sales,
            text(),
            Locale::FrCa,
        )
        .unwrap();
        assert_eq!(sales.series[1].values, [0.0, 2.0]);
    }

    #[test]
    fn a_report_with_another_grouping_is_refused() {
        let report = report(vec![Dimension::Month, Dimension::Territory]);
        assert!(
            monthly(
                &report,
                Dimension::Tier,
                Measure::Sales,
                text(),
                Locale::FrCa
            )
            .is_err()
        );
    }
}
