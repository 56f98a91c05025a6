//! The hub's pages in a real browser (Debian's headless Chromium through chromedriver), as a
//! collective's admin uses them: log in, create a product (one mistake first, answered in
//! French), issue cards and get their printable sheet, read the sales report and its charts, log
//! out. Along the way every main page is saved as a PNG under `target/hub-screenshots/` (a
//! selection is committed under `docs/screenshots/hub-*.png`), and the card sheet is printed to
//! PDF on Letter paper.
//!
//! Needs the `chromium` and `chromium-driver` Debian packages (`.ci/install-packages`); without
//! them the test fails with the package's name. Assertions are on what a person sees: headings,
//! texts, messages, how many cards are on the sheet — not on markup.

use chrono::{Days, Local};
use congelo::hub::demo_data::{self, DemoOptions};
use congelo::hub::web::WebSettings;
use fantoccini::wd::PrintSize;

use crate::common::browser::{Browser, screenshot_dir};
use crate::common::pdf::Pdf;
use crate::common::web::{PASSWORD, WebHub};

/// The collective's name, printed on every card.
const COLLECTIVE: &str = "Frigos solidaires des Maskoutains";

/// A card, ISO/IEC 7810 ID-1, in PDF points (1 pt = 25.4 / 72 mm).
const CARD_PT: (f64, f64) = (85.6 * 72.0 / 25.4, 54.0 * 72.0 / 25.4);

/// US Letter in PDF points.
const LETTER_PT: (f64, f64) = (612.0, 792.0);

/// A hub with the demo collective's last 13 months (13 kiosks, 5 territories, tiers, seasons),
/// small enough for a debug build.
fn demo_hub() -> WebHub {
    let hub = WebHub::start_with(WebSettings {
        collective_name: COLLECTIVE.into(),
        ..WebSettings::default()
    });
    let options = DemoOptions {
        sales: 3_000,
        seed: 5,
        until: Local::now().date_naive(),
        months: 13,
    };
    demo_data::generate(hub.store.as_ref(), &options, &mut Vec::new()).expect("demo data");
    hub
}

/// A valid EAN-13 (GS1 check digit) from its first twelve digits.
fn ean13(first12: &str) -> String {
    let sum: u32 = first12
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    format!("{first12}{}", (10 - sum % 10) % 10)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_logs_in_creates_a_product_issues_cards_and_reads_a_report() {
    let hub = tokio::task::spawn_blocking(demo_hub).await.expect("hub");
    let browser = Browser::start(hub.addr).await;

    log_in(&browser).await;
    fleet(&browser).await;
    create_product(&browser).await;
    issue_cards(&browser).await;
    sites_and_kiosks(&browser).await;
    sales_report(&browser).await;
    stock_and_recall(&browser, &hub).await;
    audit_log(&browser).await;
    log_out(&browser).await;

    browser.close().await;
}

async fn log_in(browser: &Browser) {
    browser.open("/").await;
    assert!(browser.path().await.starts_with("/login"));
    assert_eq!(browser.heading().await, "Connexion");
    browser.screenshot("hub-login").await;

    browser.type_into("login", "admin").await;
    browser.type_into("password", "not the password").await;
    browser.press("Se connecter").await;
    assert!(
        browser
            .text()
            .await
            .contains("Nom d’utilisateur ou mot de passe incorrect."),
        "a wrong password is told in French"
    );

    browser.type_into("password", PASSWORD).await;
    browser.press("Se connecter").await;
    assert_eq!(browser.heading().await, "Accueil");
    let text = browser.text().await;
    assert!(text.contains("Bonjour") && text.contains("admin"), "{text}");
    browser.screenshot("hub-dashboard").await;
}

async fn fleet(browser: &Browser) {
    browser.open("/fleet").await;
    assert_eq!(browser.heading().await, "État des bornes");
    let text = browser.text().await;
    assert!(
        text.contains("Jamais contactée") || text.contains("Silencieuse depuis"),
        "the demo's silent kiosk needs attention: {text}"
    );
    browser.screenshot("hub-fleet").await;
}

async fn create_product(browser: &Browser) {
    browser.open("/dashboard").await;
    browser.follow("nav a[href='/products']").await;
    assert_eq!(browser.heading().await, "Produits");
    browser.screenshot("hub-products").await;

    browser.follow("a[href='/products/new']").await;
    assert_eq!(browser.heading().await, "Nouveau produit");
    browser.type_into("name_fr", "Pâté chinois").await;
    browser.type_into("name_en", "Shepherd’s pie").await;
    browser.type_into("name_es", "Pastel de carne").await;
    browser.type_into("barcodes", &ean13("062891234567")).await;
    browser.type_into("net_weight_g", "750").await;
    browser.type_into("full_price", "six dollars").await;
    browser.type_into("tax_rate", "0").await;
    browser.click("input[name='pictogram']").await;
    browser.press("Enregistrer").await;

    let text = browser.text().await;
    assert!(
        text.contains("Le plein prix est un montant de 0 à 1 000 000 $, par exemple 4,25."),
        "the price's mistake is explained in French: {text}"
    );
    assert!(text.contains("Rien n’a été enregistré."), "{text}");
    browser.screenshot("hub-product-form-error").await;

    browser.type_into("full_price", "6,50").await;
    browser.press("Enregistrer").await;
    assert_eq!(browser.path().await, "/products?saved=1");
    let text = browser.text().await;
    assert!(text.contains("Produit enregistré."), "{text}");
    assert!(
        text.contains("Pâté chinois") && text.contains("6,50"),
        "{text}"
    );
}

async fn issue_cards(browser: &Browser) {
    browser.follow("nav a[href='/households']").await;
    assert_eq!(browser.heading().await, "Ménages");
    browser.screenshot("hub-households").await;

    browser.follow("a[href='/cards/distribution']").await;
    assert_eq!(browser.heading().await, "Journée de distribution");
    browser.type_into("count", "10").await;
    browser.click("#tier option:nth-child(2)").await;
    browser.press("Émettre et imprimer").await;

    assert_eq!(browser.heading().await, "Cartes à imprimer");
    let text = browser.text().await;
    assert!(
        text.contains("Ces codes ne sont montrés qu’une fois"),
        "the sheet warns that the codes are shown once: {text}"
    );
    assert_eq!(
        browser.count(".card-item").await,
        10,
        "ten cards on the sheet"
    );
    assert_eq!(
        text.matches(COLLECTIVE).count(),
        10,
        "each card carries the collective's name"
    );
    browser.screenshot("hub-card-sheet").await;

    let pdf = Pdf::open(
        &browser
            .print_pdf("hub-card-sheet", PrintSize::US_LETTER)
            .await,
    );
    check_printed_sheet(&pdf);
    pdf.render_page(1, 60, &screenshot_dir().join("hub-card-sheet-print.png"));

    browser.open("/households").await;
}

/// Ten cards on one Letter page, laid out 2 × 5 at exactly the card's size: the collective's name
/// starts at the same place on every card, so the distance between two neighbours' names is the
/// card's width across and its height down.
fn check_printed_sheet(pdf: &Pdf) {
    let (pages, size) = pdf.pages_and_size();
    assert_eq!(pages, 1, "ten cards fit on one page");
    assert!(
        (size.0 - LETTER_PT.0).abs() < 1.0 && (size.1 - LETTER_PT.1).abs() < 1.0,
        "Letter paper: {size:?}"
    );
    let first_word = COLLECTIVE.split(' ').next().expect("a word");
    let names: Vec<(f64, f64)> = pdf
        .words()
        .into_iter()
        .filter(|w| w.page == 1 && w.text == first_word)
        .map(|w| (w.x, w.y))
        .collect();
    assert_eq!(names.len(), 10, "ten printed cards: {names:?}");
    let columns = distinct(names.iter().map(|n| n.0));
    let rows = distinct(names.iter().map(|n| n.1));
    assert_eq!(
        (columns.len(), rows.len()),
        (2, 5),
        "2 × 5 cards: {names:?}"
    );
    let across = columns[1] - columns[0];
    assert!(
        (across - CARD_PT.0).abs() < 0.5,
        "cards are 85.6 mm wide: {across:.2} pt apart, expected {:.2}",
        CARD_PT.0
    );
    // Chromium places text on whole CSS pixels (0.75 pt): one step may be a pixel off, the
    // mean over the four steps down may not.
    for pair in rows.windows(2) {
        let down = pair[1] - pair[0];
        assert!(
            (down - CARD_PT.1).abs() <= 0.8,
            "cards are 54 mm high: {down:.2} pt apart, expected {:.2}",
            CARD_PT.1
        );
    }
    let mean_down = (rows[4] - rows[0]) / 4.0;
    assert!(
        (mean_down - CARD_PT.1).abs() < 0.25,
        "cards are 54 mm high: {mean_down:.2} pt apart on average, expected {:.2}",
        CARD_PT.1
    );
    let block = (2.0 * CARD_PT.0, 5.0 * CARD_PT.1);
    assert!(
        block.0 < LETTER_PT.0 && block.1 < LETTER_PT.1,
        "the cards fit on the page"
    );
}

/// The distinct values (within a quarter point), in order.
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.collect();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup_by(|a, b| (*a - *b).abs() < 0.25);
    sorted
}

async fn sites_and_kiosks(browser: &Browser) {
    browser.follow("nav a[href='/sites']").await;
    let text = browser.text().await;
    assert!(text.contains("Les Maskoutains"), "{text}");
    browser.screenshot("hub-sites").await;

    browser.open("/kiosks").await;
    assert_eq!(browser.heading().await, "Bornes");
    let text = browser.text().await;
    assert!(text.contains("SH-Famille"), "{text}");
    browser.screenshot("hub-kiosks").await;
}

async fn sales_report(browser: &Browser) {
    browser.follow("nav a[href='/reports']").await;
    assert_eq!(browser.heading().await, "Rapports de ventes");
    let last_month = Local::now()
        .date_naive()
        .checked_sub_days(Days::new(31))
        .expect("a month ago")
        .format("%Y-%m")
        .to_string();
    browser.type_into("period", &last_month).await;
    browser.click("input[name='tier']").await;
    browser.press("Afficher").await;
    let text = browser.text().await;
    assert!(
        text.contains("Total") && text.contains("Aide accordée"),
        "{text}"
    );
    browser.screenshot("hub-report-sales").await;

    browser.follow("a[href='/reports/charts']").await;
    assert!(
        browser.count("figure svg").await >= 2,
        "the charts are drawn"
    );
    let text = browser.text().await;
    assert!(
        text.contains("Plein tarif") && text.contains("Les Maskoutains"),
        "the legends name the tiers and the territories: {text}"
    );
    browser.screenshot("hub-report-charts").await;
}

async fn stock_and_recall(browser: &Browser, hub: &WebHub) {
    browser.open("/reports/stock").await;
    assert_eq!(browser.heading().await, "Stock");
    browser.screenshot("hub-stock").await;

    let lot: String = hub
        .sql()
        .query_row(
            "SELECT lot FROM sale_line_lots WHERE lot <> '' ORDER BY lot DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("a lot sold");
    browser.open("/reports/recall").await;
    assert_eq!(browser.heading().await, "Rappel d’un lot");
    browser.type_into("lot", &lot).await;
    browser.press("Afficher").await;
    let text = browser.text().await;
    assert!(
        text.contains("Première vente") && text.contains("Encore en stock"),
        "the kiosks that sold lot {lot}: {text}"
    );
    browser.screenshot("hub-recall").await;
}

async fn audit_log(browser: &Browser) {
    browser.follow("nav a[href='/audit']").await;
    let text = browser.text().await;
    assert!(
        text.contains("product.create") && text.contains("card.distribution"),
        "the product and the cards are in the audit log: {text}"
    );
    browser.screenshot("hub-audit").await;
}

async fn log_out(browser: &Browser) {
    browser.press("Se déconnecter").await;
    assert_eq!(browser.heading().await, "Connexion");
    browser.open("/products").await;
    assert!(
        browser.path().await.starts_with("/login"),
        "after logging out the pages ask to log in again"
    );
}
