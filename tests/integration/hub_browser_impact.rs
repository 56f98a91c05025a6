//! The year's impact summary printed by a real browser (headless Chromium, as `hub_browser.rs`):
//! on a hub with the demo collective (several territories, sites and products, a kitchen year of
//! intakes and batches, so every chart is full), a coordinator opens
//! `/reports/impact/year?year=…` and prints it on US Letter with Chromium's default margins. The
//! funder gets ONE page, charts included: `pdfinfo` counts the pages, `pdftotext` finds the three
//! chart titles and the figures on it. Saved as `hub-impact-year.png` (the screen) and
//! `hub-impact-year-print.png` (the printed page; copies under `docs/screenshots/`).

use chrono::{Datelike, Local};
use congelo::hub::demo_data::{self, DemoOptions};

use crate::common::browser::{Browser, screenshot_dir};
use crate::common::pdf::Pdf;
use crate::common::web::{PASSWORD, WebHub};

/// US Letter in points.
const LETTER_PT: (f64, f64) = (612.0, 792.0);

fn demo_hub() -> WebHub {
    let hub = WebHub::start();
    let options = DemoOptions {
        sales: 3_000,
        seed: 11,
        until: Local::now().date_naive(),
        months: 13,
    };
    demo_data::generate(hub.store.as_ref(), &options, &mut Vec::new()).expect("demo data");
    hub
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_year_summary_prints_on_one_letter_page_with_its_charts() {
    let hub = tokio::task::spawn_blocking(demo_hub).await.expect("hub");
    let year = Local::now().year();
    let (intakes, batches): (i64, i64) = hub
        .sql()
        .query_row(
            "SELECT (SELECT count(*) FROM intakes), (SELECT count(*) FROM production_batches)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("kitchen rows");
    assert!(
        intakes > 0 && batches > 0,
        "the demo makes intakes and batches"
    );

    let browser = Browser::start(hub.addr).await;
    browser.open("/login").await;
    browser.type_into("login", "viewer").await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Se connecter").await;
    browser
        .open(&format!("/reports/impact/year?year={year}"))
        .await;
    assert_eq!(browser.count(".impact-charts svg").await, 3);
    assert_eq!(browser.count(".impact-figures dd").await, 7);
    browser.screenshot("hub-impact-year").await;

    let pdf = Pdf::open(&browser.print_letter_pdf("hub-impact-year").await);
    let (pages, size) = pdf.pages_and_size();
    assert!(
        (size.0 - LETTER_PT.0).abs() < 1.0 && (size.1 - LETTER_PT.1).abs() < 1.0,
        "Letter paper: {size:?}"
    );
    assert_eq!(pages, 1, "the year's summary fits one Letter page");
    let words: Vec<String> = pdf.words().into_iter().map(|w| w.text).collect();
    let printed = words.join(" ");
    for title in [
        format!("kg reçus — {year}"),
        format!("kg emballés — {year}"),
        format!("kg distribués — {year}"),
    ] {
        assert!(printed.contains(&title), "{title}: {printed}");
    }
    assert!(
        printed.contains("Ménages servis"),
        "the figures are printed: {printed}"
    );
    pdf.render_page(1, 80, &screenshot_dir().join("hub-impact-year-print.png"));
    browser.close().await;
}
