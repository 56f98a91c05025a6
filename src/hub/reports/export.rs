//! Report tables as CSV files that open correctly in LibreOffice and Excel.
//!
//! UTF-8 with a byte-order mark (without it Excel reads «Brocoli» accents as Windows-1252), one
//! header row of stable English column names, dates in ISO 8601, decimal points (`12.34`), amounts
//! in dollars and weights in kilograms. Ids come next to names so a spreadsheet can join tables.
//!
//! Names and versions come from staff and kiosks, so a cell that a spreadsheet would run as a
//! formula (`=HYPERLINK(…)`) is written as text: see [`is_formula`]. Every table goes through
//! [`write`], which does this: the sales report here, the list reports from their column
//! descriptions (`hub::web::report_list`).

use chrono::{DateTime, SecondsFormat, Utc};

use super::ReportError;
use super::model::{Figures, Named, SalesReport};
use super::query::Dimension;
use crate::domain::Money;

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes a header and records as CSV, with the BOM (in memory).
pub fn write(header: &[String], records: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = BOM.to_vec();
    write_record(&mut out, header);
    for record in records {
        write_record(&mut out, &record);
    }
    out
}

/// One line: fields separated by commas, quoted when they hold a comma, a quote or a line break
/// (quotes doubled), and neutralised when a spreadsheet would read them as a formula.
fn write_record(out: &mut Vec<u8>, fields: &[String]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        let neutralised = is_formula(field);
        let quoted = neutralised || field.contains([',', '"', '\r', '\n']);
        if quoted {
            out.push(b'"');
        }
        if neutralised {
            out.push(b'\'');
        }
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        if quoted {
            out.push(b'"');
        }
    }
    out.push(b'\n');
}

/// Whether a spreadsheet would evaluate `field` (CSV injection, as OWASP describes it): text
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return. Such a cell is written with a
/// leading `'` and quoted, so LibreOffice and Excel show it as text. A plain number (`-2`,
/// `-18.5`) is never a formula and stays a number: the figures this module writes are negative
/// when stock or a temperature is below zero.
fn is_formula(field: &str) -> bool {
    field.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(field)
}

/// `-12`, `-0.005`: an optional minus, digits, and at most one decimal point between digits.
fn is_plain_number(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// `1234.50` from cents.
pub fn dollars(cents: i64) -> String {
    Money::from_cents(cents).to_decimal_string()
}

/// `12.345` from grams.
pub fn kilograms(grams: i64) -> String {
    let sign = if grams < 0 { "-" } else { "" };
    let grams = grams.unsigned_abs();
    format!("{sign}{}.{:03}", grams / 1000, grams % 1000)
}

/// An instant in ISO 8601, UTC, to the second; empty when unknown.
pub fn instant(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn named(record: &mut Vec<String>, named: &Named) {
    record.push(named.id.to_string());
    record.push(named.name.clone());
}

fn figures(record: &mut Vec<String>, f: &Figures) {
    record.extend([
        f.sales.to_string(),
        f.units.to_string(),
        kilograms(f.grams),
        dollars(f.paid_cents),
        dollars(f.full_cents),
        dollars(f.subsidy_cents),
    ]);
}

const FIGURES: [&str; 6] = ["sales", "units", "kg", "paid", "full_value", "subsidy"];

/// A sales report: one column per grouping key (id and name), then the figures.
pub fn sales_csv(report: &SalesReport) -> Result<Vec<u8>, ReportError> {
    let mut header = Vec::new();
    for dim in &report.group_by {
        match dim {
            Dimension::Month => header.push("month".to_owned()),
            other => {
                header.push(format!("{}_id", other.name()));
                header.push(other.name().to_owned());
            }
        }
    }
    header.extend(strings(&FIGURES));
    let records = report.rows.iter().map(|row| {
        let mut record = Vec::new();
        if let Some(month) = &row.month {
            record.push(month.clone());
        }
        for key in row.keys() {
            named(&mut record, key);
        }
        figures(&mut record, &row.figures);
        record
    });
    Ok(write(&header, records))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::reports::model::SalesRow;
    use chrono::NaiveDate;
    use rstest::rstest;

    fn report() -> SalesReport {
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        SalesReport {
            period: "2026-11".into(),
            from: day,
            to: day,
            group_by: vec![Dimension::Month, Dimension::Product],
            rows: vec![SalesRow {
                month: Some("2026-11".into()),
                territory: None,
                site: None,
                kiosk: None,
                tier: None,
                product: Some(Named {
                    id: 2,
                    name: "Brocoli en fleurons, «bio»".into(),
                }),
                figures: Figures::new(3, 4, 2_000, 1_700, 510),
            }],
            totals: Figures::default(),
        }
    }

    #[test]
    fn sales_csv_has_a_bom_a_header_and_decimal_points() {
        let bytes = sales_csv(&report()).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "month,product_id,product,sales,units,kg,paid,full_value,subsidy"
        );
        assert_eq!(
            lines[1],
            "2026-11,2,\"Brocoli en fleurons, «bio»\",3,4,2.000,5.10,17.00,11.90"
        );
        assert_eq!(lines.len(), 2);
    }

    #[rstest]
    #[case("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    #[case("+1+1", "\"'+1+1\"")]
    #[case("-1+cmd|' /C calc'!A0", "\"'-1+cmd|' /C calc'!A0\"")]
    #[case("@SUM(A1)", "\"'@SUM(A1)\"")]
    #[case("\tlead", "\"'\tlead\"")]
    #[case("\rlead", "\"'\rlead\"")]
    #[case("-", "\"'-\"")]
    #[case("-.5", "\"'-.5\"")]
    #[case("-2", "-2")]
    #[case("-18.5", "-18.5")]
    #[case("-1.500", "-1.500")]
    #[case("0", "0")]
    #[case("1.2.3", "1.2.3")]
    #[case("Brocoli", "Brocoli")]
    #[case("a=b", "a=b")]
    #[case("Brocoli, «bio»", "\"Brocoli, «bio»\"")]
    #[case("dit \"bio\"", "\"dit \"\"bio\"\"\"")]
    #[case("", "")]
    fn cells_a_spreadsheet_would_run_are_written_as_text(
        #[case] cell: &str,
        #[case] written: &str,
    ) {
        let mut out = Vec::new();
        write_record(&mut out, &[cell.to_owned()]);
        assert_eq!(String::from_utf8(out).unwrap(), format!("{written}\n"));
    }

    #[test]
    fn numbers_are_written_for_spreadsheets() {
        assert_eq!(kilograms(1_234_567), "1234.567");
        assert_eq!(kilograms(5), "0.005");
        assert_eq!(kilograms(-1_500), "-1.500");
        assert_eq!(dollars(123_456), "1234.56");
        assert_eq!(dollars(-5), "-0.05");
        let at = "2026-11-28T12:34:56.789Z".parse().ok();
        assert_eq!(instant(at), "2026-11-28T12:34:56Z");
    }
}
