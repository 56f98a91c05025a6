//! The kitchen pages in a real browser (headless Chromium, as `hub_browser.rs`): a kitchen's staff
//! add the farm the vegetables come from, record an intake, see a mistaken one (a negative weight
//! and a date in the future) refused with its messages and nothing written, then record a
//! production batch from that intake and open the batch's page with its lot code and best-before.
//! Screenshots go to `target/hub-screenshots/` (`hub-intakes`, `hub-intake-form-error`,
//! `hub-batch-form`, `hub-batch-form-error`, `hub-batches`, `hub-batch`; copies are committed
//! under `docs/screenshots/`).

use chrono::{Days, NaiveDate};
use congelo::clock::Clock;
use congelo::domain::kitchen::read_lot_code;

use crate::common::browser::Browser;
use crate::common::web::{PASSWORD, WebHub};
use crate::hub_kitchens::product;

/// Rows of the tables an intake or a batch writes.
fn counts(hub: &WebHub) -> Vec<i64> {
    let sql = hub.sql();
    ["sources", "intakes", "production_batches", "batch_intakes"]
        .iter()
        .map(|table| {
            sql.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .expect("count")
        })
        .collect()
}

/// The newest row's id of `table`.
fn last_id(hub: &WebHub, table: &str) -> i64 {
    hub.sql()
        .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))
        .expect("an id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kitchen_records_an_intake_then_a_batch_and_opens_its_page() {
    let (hub, carrots) = tokio::task::spawn_blocking(|| {
        let hub = WebHub::start();
        let carrots = product(&hub, "Carottes en rondelles", Some(365));
        product(&hub, "Soupe aux poireaux", Some(180));
        (hub, carrots)
    })
    .await
    .expect("hub");
    let today = hub.clock.today();
    let browser = Browser::start(hub.addr).await;
    browser.open("/login").await;
    browser.type_into("login", "staff-a").await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Se connecter").await;

    browser.follow("nav a[href='/intakes']").await;
    assert_eq!(browser.heading().await, "Arrivages");
    assert!(browser.text().await.contains("Aucun arrivage enregistré."));

    // The farm first: an intake names the organisation it comes from.
    browser.type_into("source_name", "Ferme des Anses").await;
    browser.click("#kind option[value='farm']").await;
    browser.press("Ajouter la provenance").await;
    assert_eq!(browser.path().await, "/intakes?saved=1");
    assert!(browser.text().await.contains("Ferme des Anses"));

    let fill_intake = async |kg: &str, on: NaiveDate| {
        browser.type_date("received_on", on).await;
        browser.click("#source option:nth-child(2)").await;
        browser
            .type_into("description", "Carottes déclassées, 12 caisses")
            .await;
        browser.type_into("category", "Légumes racines").await;
        browser.type_into("kg", kg).await;
    };

    // A mistake: a negative weight, dated tomorrow. Both are explained; nothing is written.
    let before = counts(&hub);
    let tomorrow = today + Days::new(1);
    fill_intake("-3", tomorrow).await;
    browser.press("Enregistrer l'arrivage").await;
    let text = browser.text().await;
    for message in [
        "Certains champs sont à corriger",
        "Inscrivez un poids de plus de 0 kg",
        "Cette date est dans le futur.",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }
    assert_eq!(
        browser.count("#kg[aria-invalid='true']").await,
        1,
        "the weight is marked"
    );
    assert_eq!(counts(&hub), before, "a refused intake writes nothing");
    assert_eq!(browser.count("#intakes tbody tr").await, 0);
    browser.screenshot("hub-intake-form-error").await;

    fill_intake("120,5", today).await;
    browser.press("Enregistrer l'arrivage").await;
    assert_eq!(browser.path().await, "/intakes?saved=1");
    assert_eq!(browser.count("#intakes tbody tr").await, 1);
    let cells = browser.texts("#intakes tbody tr:first-child td").await;
    assert_eq!(
        cells,
        [
            today.to_string().as_str(),
            "Ferme des Anses",
            "Carottes déclassées, 12 caisses",
            "Légumes racines",
            "Site A",
            "120,5",
            "120,5",
        ]
        .map(str::to_owned)
    );
    browser.screenshot("hub-intakes").await;
    let intake = last_id(&hub, "intakes");

    browser.follow("nav a[href='/batches']").await;
    assert_eq!(browser.heading().await, "Lots de production");
    assert!(browser.text().await.contains("Aucun lot enregistré."));
    browser.follow("#new-batch").await;
    assert_eq!(browser.heading().await, "Enregistrer un lot");
    browser.type_into("programme", "Cuisine d'insertion").await;
    browser.type_into("hours", "12,5").await;
    browser
        .click(&format!("#product option[value='{}']", carrots.0))
        .await;
    browser.type_into("packs", "80").await;
    browser.type_into("kg_packed", "40").await;

    // More kilograms than the intake has left: refused, nothing written.
    let before = counts(&hub);
    browser.type_into(&format!("use_{intake}"), "130").await;
    browser.screenshot("hub-batch-form").await;
    browser
        .press("Enregistrer le lot et lui donner son code")
        .await;
    let text = browser.text().await;
    assert!(
        text.contains("Il ne reste que 120,5 kg de cet arrivage."),
        "{text}"
    );
    assert_eq!(counts(&hub), before, "a refused batch writes nothing");
    browser.screenshot("hub-batch-form-error").await;

    browser.type_into(&format!("use_{intake}"), "45").await;
    browser
        .press("Enregistrer le lot et lui donner son code")
        .await;
    assert_eq!(browser.path().await, "/batches?saved=1");
    let (lot, best_before): (String, String) = hub
        .sql()
        .query_row("SELECT lot, best_before FROM production_batches", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("the batch");
    assert_eq!(
        read_lot_code(&lot).map(|(day, _)| day),
        Some(today),
        "a readable lot code of the day: {lot}"
    );
    assert_eq!(
        best_before,
        (today + Days::new(365)).to_string(),
        "the product's shelf life gives the best-before"
    );
    let cells = browser.texts("#batches tbody tr:first-child td").await;
    let today_text = today.to_string();
    let hours = "12,5".to_owned();
    assert_eq!(
        cells,
        [
            &lot,
            &today_text,
            "Site A",
            "Carottes en rondelles",
            "80",
            "45",
            "40",
            "5",
            &best_before,
            "Cuisine d'insertion",
            &hours,
        ]
        .map(str::to_owned),
        "lot, date, kitchen, product, packs, kg used, packed, lost, best-before, team, hours"
    );
    browser.screenshot("hub-batches").await;

    browser.follow("#batches tbody a").await;
    let id = last_id(&hub, "production_batches");
    assert_eq!(browser.path().await, format!("/staff/batches/{id}/labels"));
    let text = browser.text().await;
    assert!(
        text.contains(&lot) && text.contains(&best_before),
        "the batch's page shows its lot and best-before: {text}"
    );
    browser.screenshot("hub-batch").await;
    browser.close().await;
}
