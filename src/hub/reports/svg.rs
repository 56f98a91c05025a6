//! A small server-side SVG renderer for stacked bar charts: no JavaScript, no chart library.
//!
//! Charts are read on screens and on paper printed in grey, and by screen readers: each series has
//! a distinct grey shade *and* a pattern (plain, hatched, dotted, crossed…), the chart has a
//! `<title>` and `<desc>`, every bar has its own `<title>` with the value, and the legend and axes
//! are real text. Numbers are written in the reader's language (`1 234,5` or `1,234.5`).

use std::fmt::Write;

use crate::domain::product::Locale;

/// One stacked series: a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A stacked bar chart: one bar per category, one stacked segment per series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Unique on its page: prefixes the pattern ids.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Written after values in bar titles (`kg`, or empty).
    pub unit: String,
    /// Printed along the vertical axis: what a bar's height measures, with its unit.
    pub axis_label: String,
    /// Printed before the legend: what the series are (tiers, territories…).
    pub legend_title: String,
    /// Decimals shown in bar titles.
    pub decimals: usize,
    pub lang: Locale,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 16.0;
/// Room above the plot for the chart's printed title.
const TOP: f64 = 40.0;
const PLOT_BOTTOM: f64 = 270.0;
const TICKS: usize = 5;
/// Shades far enough apart to tell in grey print, darkest first.
const SHADES: [&str; 6] = [
    "#262626", "#7a7a7a", "#c4c4c4", "#4d4d4d", "#a0a0a0", "#e3e3e3",
];

/// Writes `value` for a reader: thousands grouped, `decimals` digits after the separator.
pub fn format_number(value: f64, decimals: usize, lang: Locale) -> String {
    let (group, point) = match lang {
        Locale::EnCa => (",", "."),
        // A narrow no-break space groups thousands in French; a number never wraps.
        Locale::FrCa | Locale::Es => ("\u{202f}", ","),
    };
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// Escapes text for SVG content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A round axis maximum at or above `max`: 1, 2 or 5 times a power of ten.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|candidate| *candidate >= max)
        .unwrap_or(10.0 * power)
}

/// The fill pattern of series `index`: a shade, and lines or dots over it.
fn pattern(chart_id: &str, index: usize) -> String {
    let shade = SHADES[index % SHADES.len()];
    let ink = if matches!(index % SHADES.len(), 0 | 3) {
        "#ffffff"
    } else {
        "#000000"
    };
    let overlay = match index % 5 {
        0 => String::new(),
        1 => format!(r#"<path d="M0,8 L8,0" stroke="{ink}" stroke-width="1.5"/>"#),
        2 => format!(r#"<circle cx="4" cy="4" r="1.4" fill="{ink}"/>"#),
        3 => format!(r#"<path d="M0,0 L8,8 M0,8 L8,0" stroke="{ink}" stroke-width="1"/>"#),
        _ => format!(r#"<path d="M0,4 L8,4" stroke="{ink}" stroke-width="1.5"/>"#),
    };
    format!(
        r#"<pattern id="{chart_id}-p{index}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{shade}"/>{overlay}</pattern>"#
    )
}

/// Renders the chart as a standalone `<svg>` element.
pub fn render(chart: &BarChart) -> String {
    let id = escape(&chart.id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="sans-serif" font-size="12"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><defs>"#,
        escape(&chart.title),
        escape(&chart.desc)
    );
    for index in 0..chart.series.len() {
        svg.push_str(&pattern(&id, index));
    }
    svg.push_str("</defs>");
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="20" font-size="15" font-weight="bold">{}</text>"#,
        escape(&chart.title)
    );
    let totals: Vec<f64> = (0..chart.categories.len())
        .map(|c| chart.series.iter().filter_map(|s| s.values.get(c)).sum())
        .collect();
    let max = nice_max(totals.iter().copied().fold(0.0, f64::max));
    axis(&mut svg, chart, max);
    bars(&mut svg, chart, &id, max);
    legend(&mut svg, chart, &id);
    svg.push_str("</svg>");
    svg
}

fn y_of(value: f64, max: f64) -> f64 {
    PLOT_BOTTOM - (value / max) * (PLOT_BOTTOM - TOP)
}

fn axis(svg: &mut String, chart: &BarChart, max: f64) {
    let decimals = if max < TICKS as f64 { 1 } else { 0 };
    for tick in 0..=TICKS {
        let value = max * tick as f64 / TICKS as f64;
        let y = y_of(value, max);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#d0d0d0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&format_number(value, decimals, chart.lang))
        );
    }
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{PLOT_BOTTOM}" x2="{:.1}" y2="{PLOT_BOTTOM}" stroke="#000"/>"##,
        WIDTH - RIGHT
    );
    let middle = (TOP + PLOT_BOTTOM) / 2.0;
    let _ = write!(
        svg,
        r#"<text x="16" y="{middle:.1}" text-anchor="middle" transform="rotate(-90 16 {middle:.1})">{}</text>"#,
        escape(&chart.axis_label)
    );
}

fn bars(svg: &mut String, chart: &BarChart, id: &str, max: f64) {
    let count = chart.categories.len().max(1) as f64;
    let slot = (WIDTH - LEFT - RIGHT) / count;
    let width = (slot * 0.7).max(1.0);
    for (c, category) in chart.categories.iter().enumerate() {
        let x = LEFT + slot * c as f64 + (slot - width) / 2.0;
        let mut base = 0.0;
        for (s, series) in chart.series.iter().enumerate() {
            let value = series.values.get(c).copied().unwrap_or(0.0);
            if value <= 0.0 {
                continue;
            }
            let (top, bottom) = (y_of(base + value, max), y_of(base, max));
            let _ = write!(
                svg,
                r##"<rect x="{x:.1}" y="{top:.1}" width="{width:.1}" height="{:.1}" fill="url(#{id}-p{s})" stroke="#000" stroke-width="0.5"><title>{} — {} : {}{}</title></rect>"##,
                bottom - top,
                escape(category),
                escape(&series.name),
                escape(&format_number(value, chart.decimals, chart.lang)),
                unit_suffix(&chart.unit),
            );
            base += value;
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + width / 2.0,
            PLOT_BOTTOM + 16.0,
            escape(category)
        );
    }
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!("\u{a0}{}", escape(unit))
    }
}

fn legend(svg: &mut String, chart: &BarChart, id: &str) {
    let (mut x, mut y) = (LEFT, PLOT_BOTTOM + 40.0);
    if !chart.legend_title.is_empty() {
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{y:.1}" font-weight="bold">{}</text>"#,
            escape(&chart.legend_title)
        );
        x += 12.0 + 7.5 * chart.legend_title.chars().count() as f64;
    }
    for (s, series) in chart.series.iter().enumerate() {
        let label_width = 28.0 + 7.0 * series.name.chars().count() as f64;
        if x + label_width > WIDTH - RIGHT && x > LEFT {
            x = LEFT;
            y += 22.0;
        }
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{:.1}" width="16" height="16" fill="url(#{id}-p{s})" stroke="#000" stroke-width="0.5"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            y - 12.0,
            x + 22.0,
            y,
            escape(&series.name)
        );
        x += label_width + 12.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn chart() -> BarChart {
        BarChart {
            id: "kg".into(),
            title: "Kilogrammes par mois".into(),
            desc: "Barres empilées par palier".into(),
            categories: vec!["2026-10".into(), "2026-11".into()],
            series: vec![
                Series {
                    name: "Tarif A <30 %>".into(),
                    values: vec![1234.5, 10.0],
                },
                Series {
                    name: "Plein tarif".into(),
                    values: vec![100.0, 0.0],
                },
            ],
            unit: "kg".into(),
            axis_label: "kg distribués".into(),
            legend_title: "Tarif :".into(),
            decimals: 1,
            lang: Locale::FrCa,
        }
    }

    #[rstest]
    #[case(1234.5, 1, Locale::FrCa, "1\u{202f}234,5")]
    #[case(1234.5, 1, Locale::EnCa, "1,234.5")]
    #[case(1_234_567.0, 0, Locale::EnCa, "1,234,567")]
    #[case(999.0, 0, Locale::FrCa, "999")]
    #[case(0.25, 2, Locale::FrCa, "0,25")]
    #[case(-1500.0, 0, Locale::EnCa, "-1,500")]
    #[case(-0.01, 1, Locale::EnCa, "0.0")]
    fn numbers_follow_the_language(
        #[case] value: f64,
        #[case] decimals: usize,
        #[case] lang: Locale,
        #[case] text: &str,
    ) {
        assert_eq!(format_number(value, decimals, lang), text);
    }

    #[rstest]
    #[case(0.0, 1.0)]
    #[case(7.0, 10.0)]
    #[case(1234.5, 2000.0)]
    #[case(400.0, 500.0)]
    #[case(100.0, 100.0)]
    fn axes_end_on_round_numbers(#[case] max: f64, #[case] nice: f64) {
        assert_eq!(nice_max(max), nice);
    }

    #[test]
    fn the_chart_is_accessible_and_escaped() {
        let svg = render(&chart());
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"<title id="kg-title">Kilogrammes par mois</title>"#));
        assert!(svg.contains(r#"<desc id="kg-desc">"#));
        assert!(svg.contains("Tarif A &lt;30 %&gt;"));
        assert!(!svg.contains("<30"));
        assert!(
            svg.contains("1\u{202f}234,5\u{a0}kg"),
            "bar titles carry values"
        );
        assert_eq!(svg.matches("<pattern ").count(), 2);
        // Three stacked segments drawn (a zero value draws none), plus two legend swatches.
        assert_eq!(svg.matches("fill=\"url(#kg-p").count(), 5);
        // Six ticks, two months, two legend names, the title, the axis label, the legend's title.
        assert_eq!(svg.matches("<text").count(), 6 + 2 + 2 + 3);
        assert!(
            svg.contains(">Kilogrammes par mois</text>"),
            "the title is printed"
        );
        assert!(svg.contains("rotate(-90") && svg.contains(">kg distribués</text>"));
        assert!(svg.contains(">Tarif :</text>"));
        assert_eq!(svg.matches('<').count(), svg.matches('>').count());
    }

    #[test]
    fn series_get_distinct_patterns() {
        let patterns: Vec<String> = (0..6).map(|i| pattern("c", i)).collect();
        for (i, a) in patterns.iter().enumerate() {
            for b in &patterns[i + 1..] {
                assert_ne!(a.replace(|c: char| c.is_ascii_digit(), ""), "");
                assert_ne!(a[a.find('>').unwrap()..], b[b.find('>').unwrap()..]);
            }
        }
    }

    #[test]
    fn an_empty_chart_still_renders() {
        let svg = render(&BarChart {
            categories: vec![],
            series: vec![],
            ..chart()
        });
        assert!(svg.contains("<title id=\"kg-title\">"));
    }
}
