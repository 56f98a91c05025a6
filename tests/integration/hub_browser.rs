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

use crate::common::browser::Browser;
use crate::common::web::{PASSWORD, WebHub};

/// A hub with the demo collective's last 13 months (13 kiosks, 5 territories, tiers, seasons),
/// small enough for a debug build.
fn demo_hub() -> WebHub {
    let hub = WebHub::start();
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
    browser.click("nav a[href='/products']").await;
    assert_eq!(browser.heading().await, "Produits");
    browser.screenshot("hub-products").await;

    browser.click("a[href='/products/new']").await;
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

async fn sales_report(browser: &Browser) {
    browser.click("nav a[href='/reports']").await;
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

    browser.click("a[href='/reports/charts']").await;
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
    browser.click("nav a[href='/audit']").await;
    let text = browser.text().await;
    assert!(
        text.contains("product.create"),
        "the product is in the audit log: {text}"
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
