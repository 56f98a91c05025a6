//! The pack label pages in a real browser (Debian's headless Chromium through chromedriver): the
//! kitchen's staff open a batch's labels page, read what each stock holds (the Nutrition Facts
//! only on the large one) and what a label carries; the admin sets who packs the food. The pages
//! are saved as `hub-labels.png` and `hub-labels-settings.png` (committed under
//! `docs/screenshots/`).

use crate::common::browser::Browser;
use crate::common::web::{PASSWORD, WebHub};
use crate::hub_labels::{LOT, batch};

async fn log_in(browser: &Browser, login: &str) {
    browser.open("/login").await;
    browser.type_into("login", login).await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Se connecter").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_open_a_batch_labels_page_and_the_admin_sets_the_packer() {
    let (hub, id) = tokio::task::spawn_blocking(|| {
        let hub = WebHub::start();
        let id = batch(&hub);
        (hub, id)
    })
    .await
    .expect("hub");
    let browser = Browser::start(hub.addr).await;

    log_in(&browser, "admin").await;
    browser.follow("nav a[href='/staff/labels/settings']").await;
    assert_eq!(browser.heading().await, "Réglages des étiquettes");
    browser.type_into("packer_name", "Frigos solidaires").await;
    browser
        .type_into(
            "address",
            "1234, rue du Marché, Saint-Hyacinthe (Québec) J2S 1A1",
        )
        .await;
    browser.type_into("rcn_prefix", "03").await;
    browser.press("Enregistrer").await;
    assert!(
        browser
            .text()
            .await
            .contains("Le préfixe est 02, 04 ou 20 à 29"),
        "a wrong prefix is explained"
    );
    browser.type_into("rcn_prefix", "04").await;
    browser.press("Enregistrer").await;
    assert!(
        browser
            .text()
            .await
            .contains("Réglages des étiquettes enregistrés.")
    );
    browser.screenshot("hub-labels-settings").await;
    browser.press("Se déconnecter").await;
    assert_eq!(browser.heading().await, "Connexion");

    log_in(&browser, "staff-a").await;
    browser.open(&format!("/staff/batches/{id}/labels")).await;
    assert_eq!(browser.heading().await, "Étiquettes des sachets");
    let text = browser.text().await;
    assert!(text.contains(LOT) && text.contains("28 MA 01"), "{text}");
    assert!(
        text.contains("seules les étiquettes de 4 po × 3⅓ po peuvent le contenir"),
        "the page says which stock holds the Nutrition Facts: {text}"
    );
    assert_eq!(browser.count("#stock option").await, 4);
    browser.screenshot("hub-labels").await;
    browser.close().await;
}
