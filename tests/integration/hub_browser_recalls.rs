//! Recalls and the home page in a real browser (headless Chromium, as `hub_browser.rs`): an admin
//! recalls a lot the demo kiosks restocked and sold, reads where it went, and finds it on the home
//! page with the day's figures, the kiosks needing attention, low stock and lots expiring soon.
//! Screenshots go to `target/hub-screenshots/` (`hub-recalls`, `hub-recall-trace`, `hub-home`;
//! copies are committed under `docs/screenshots/`).

use chrono::Local;
use congelo::hub::demo_data::{self, DemoOptions};

use crate::common::browser::Browser;
use crate::common::web::{PASSWORD, WebHub};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_recalls_a_lot_reads_where_it_went_and_sees_it_on_the_home_page() {
    let hub = tokio::task::spawn_blocking(demo_hub).await.expect("hub");
    let lot: String = hub
        .sql()
        .query_row(
            "SELECT lot FROM sale_line_lots WHERE lot <> '' ORDER BY lot DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("a lot sold");
    let browser = Browser::start(hub.addr).await;
    browser.open("/login").await;
    browser.type_into("login", "admin").await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Se connecter").await;

    browser.follow("nav a[href='/recalls']").await;
    assert_eq!(browser.heading().await, "Rappels");
    assert!(browser.text().await.contains("Aucun rappel."));
    // A mistake first: no reason given.
    browser.type_into("reference", &lot).await;
    browser.press("Ouvrir le rappel").await;
    assert!(browser.text().await.contains("Dites pourquoi"));
    browser
        .type_into("reason", "La ferme signale une contamination")
        .await;
    browser.press("Ouvrir le rappel").await;
    assert_eq!(browser.heading().await, "Rappel");
    let text = browser.text().await;
    assert!(
        text.contains("Rappel ouvert")
            && text.contains(&lot)
            && text.contains("Où chaque lot est allé"),
        "{text}"
    );
    assert!(
        browser.count("tbody tr").await >= 2,
        "the lot, and at least one kiosk that received it"
    );
    browser.screenshot("hub-recall-trace").await;

    browser.open("/recalls").await;
    assert!(browser.text().await.contains(&lot));
    browser.screenshot("hub-recalls").await;

    browser.follow("nav a[href='/dashboard']").await;
    assert_eq!(browser.heading().await, "Accueil");
    let text = browser.text().await;
    for part in [
        "Aujourd’hui",
        "Ce mois-ci",
        "Rappels ouverts",
        "Bornes à surveiller",
        "Stock bas",
        "Lots qui expirent d’ici une semaine",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(text.contains(&lot), "the open recall is on the home page");
    browser.screenshot("hub-home").await;
    browser.follow("a[href='/recalls/1']").await;
    assert_eq!(browser.heading().await, "Rappel");

    browser.close().await;
}
