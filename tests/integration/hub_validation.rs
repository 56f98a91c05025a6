//! Hostile and broken events through the real HTTP API: each one is stored and acknowledged (the
//! kiosk's queue moves on), quarantined with its reason, and changes no balance, stock level or
//! report; the good events around it count as usual.

use chrono::Utc;
use congelo::domain::config::KioskConfig;
use congelo::domain::event::{Event, EventBody};
use congelo::domain::pricing::price_line;
use congelo::domain::sale::{Buyer, Payment, PaymentMethod, Sale, SaleLine};
use congelo::domain::stock::{StockChange, StockMovement};
use congelo::domain::{EventId, KioskId, Money, MovementId, ProductId, Seq};
use congelo::hub::store::KioskApiStore;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::hub_api::{Api, health};

/// The configuration kiosk `who` pulls: the hub's catalogue, tiers and households.
async fn config(api: &Api, who: &(KioskId, String)) -> KioskConfig {
    let path = format!("/kiosks/{}/config?since=0", who.0);
    let (status, body) = api
        .json(Method::GET, &path, Some(&who.1), Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body["config"].clone()).expect("config")
}

/// A sale priced by the rules: `quantity` packs of `product` for the first seeded household,
/// paid from its prepaid balance.
fn good_sale(api: &Api, config: &KioskConfig, kiosk: KioskId, quantity: u32) -> Sale {
    let (household, card) = &api.hub.seeded.cards[0];
    let tier_id = config
        .households
        .iter()
        .find(|h| h.id == *household)
        .expect("household")
        .tier;
    let tier = config.tiers.iter().find(|t| t.id == tier_id).expect("tier");
    let product = &config.products[0];
    let priced = price_line(product, tier, quantity, &[]);
    let totals = congelo::domain::pricing::Totals::of(std::slice::from_ref(&priced));
    Sale {
        id: congelo::entropy::new_sale_id(),
        kiosk,
        at: Utc::now(),
        buyer: Some(Buyer {
            card: card.hash(),
            household: *household,
        }),
        tier: tier.id,
        lines: vec![SaleLine::from_priced(&priced)],
        totals,
        payment: Payment::settle(PaymentMethod::Prepaid, totals.due),
        config_version: Some(config.version),
    }
}

fn event(kiosk: KioskId, seq: u64, body: EventBody) -> Event {
    Event {
        id: EventId(uuid::Uuid::now_v7()),
        kiosk,
        seq: Seq(seq),
        at: Utc::now(),
        clock: None,
        body,
    }
}

fn movement(kiosk: KioskId, product: ProductId, change: StockChange) -> EventBody {
    EventBody::Stock(StockMovement {
        id: MovementId(uuid::Uuid::now_v7()),
        kiosk,
        product,
        lot: None,
        at: Utc::now(),
        change,
        by: None,
    })
}

/// What must not move: the household's prepaid balance, the hub's sales totals, stock.
async fn balance(api: &Api, who: &(KioskId, String)) -> Option<Money> {
    let household = api.hub.seeded.cards[0].0;
    config(api, who)
        .await
        .households
        .into_iter()
        .find(|h| h.id == household)
        .and_then(|h| h.balance)
}

/// One way to bend a good sale, the reason the hub must give.
type Bend = (&'static str, fn(&mut Sale), &'static str);

const BENDS: &[Bend] = &[
    (
        "a prepaid sale of −1 000,00 $",
        |s| s.payment.amount = Money::from_cents(-100_000),
        "payment_does_not_settle",
    ),
    (
        "a negative charged price that adds up",
        |s| {
            let line = &mut s.lines[0];
            line.charged_unit = Money::from_cents(-100_000);
            s.totals.paid = line.paid();
            s.totals.subsidy = s.totals.full - s.totals.paid;
            s.totals.due = s.totals.paid;
            s.payment = Payment::settle(PaymentMethod::Prepaid, s.totals.due);
        },
        "amount_out_of_range",
    ),
    (
        "a net weight of 2^64 − 1 g",
        |s| s.totals.net_weight_g = u64::MAX,
        "totals_do_not_add_up",
    ),
    (
        "a unit price of 6·10^18 cents",
        |s| {
            let line = &mut s.lines[0];
            line.full_unit = Money::from_cents(6_000_000_000_000_000_000);
            line.charged_unit = line.full_unit;
        },
        "amount_out_of_range",
    ),
    (
        "quantity 0",
        |s| s.lines[0].quantity = 0,
        "quantity_out_of_range",
    ),
    (
        "totals that do not add up",
        |s| s.totals.subsidy += Money::from_cents(1),
        "totals_do_not_add_up",
    ),
    (
        "another household's card",
        |s| {
            if let Some(buyer) = &mut s.buyer {
                buyer.household = congelo::domain::HouseholdId(buyer.household.0 + 1);
            }
        },
        "card_of_another_household",
    ),
    (
        "a product the hub does not sell",
        |s| s.lines[0].product = ProductId(9_999),
        "unknown_product",
    ),
    (
        "a sale dated in the year 262142",
        |s| s.at = chrono::DateTime::<Utc>::MAX_UTC,
        "time_out_of_range",
    ),
    (
        "pay-later with no card",
        |s| {
            s.buyer = None;
            s.payment = Payment::settle(PaymentMethod::PayLater, s.totals.due);
        },
        "account_without_buyer",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_events_are_quarantined_and_change_nothing() {
    let api = Api::start().await;
    let a = &api.a;
    let config = config(&api, a).await;
    let before = balance(&api, a).await.expect("a prepaid balance");
    let mut events: Vec<Event> = BENDS
        .iter()
        .enumerate()
        .map(|(n, (_, bend, _))| {
            let mut sale = good_sale(&api, &config, a.0, 1);
            bend(&mut sale);
            event(a.0, n as u64 + 1, EventBody::Sale(sale))
        })
        .collect();
    let product = config.products[0].id;
    let bad_movements = [
        (StockChange::Count { level: -5 }, "count_out_of_range"),
        (
            StockChange::Restock { quantity: u32::MAX },
            "quantity_out_of_range",
        ),
    ];
    for (change, _) in &bad_movements {
        let seq = events.len() as u64 + 1;
        events.push(event(a.0, seq, movement(a.0, product, change.clone())));
    }
    let good = good_sale(&api, &config, a.0, 2);
    let paid = good.payment.amount;
    events.push(event(a.0, events.len() as u64 + 1, EventBody::Sale(good)));
    let total = events.len() as u64;

    let (status, body) = api.push(a, events.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["acked_through"], total, "{body}");
    assert_eq!(body["stored"], total);
    let expected: Vec<&str> = BENDS
        .iter()
        .map(|(_, _, reason)| *reason)
        .chain(bad_movements.iter().map(|(_, reason)| *reason))
        .collect();
    let quarantined = body["quarantined"].as_array().expect("quarantined list");
    let reasons: Vec<&str> = quarantined
        .iter()
        .map(|q| q["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, expected, "{body}");
    for (n, q) in quarantined.iter().enumerate() {
        assert_eq!(q["seq"], n as u64 + 1);
        assert!(!q["message"].as_str().unwrap().is_empty());
    }

    // Only the good sale moved the balance and the totals.
    assert_eq!(balance(&api, a).await, Some(before - paid));
    let store = api.hub.store.clone();
    let totals = tokio::task::spawn_blocking(move || store.line_totals().unwrap())
        .await
        .unwrap();
    assert_eq!(totals.len(), 1, "{totals:?}");
    assert_eq!(totals[0].items, 2);

    // A re-send is harmless: duplicates, nothing new quarantined or counted.
    let (status, body) = api.push(a, events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["duplicates"], total);
    assert!(body.get("quarantined").is_none(), "{body}");
    assert_eq!(balance(&api, a).await, Some(before - paid));

    // Admins read each one, with its reason and the event as sent.
    let store = api.hub.store.clone();
    let listed = tokio::task::spawn_blocking(move || store.quarantined_events(100).unwrap())
        .await
        .unwrap();
    assert_eq!(listed.len(), expected.len());
    assert!(
        listed
            .iter()
            .any(|q| q.payload.contains("18446744073709551615"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_sales_pushed_apart_never_break_a_report() {
    let api = Api::start().await;
    let a = &api.a;
    let config = config(&api, a).await;
    for seq in 1..=2 {
        let mut sale = good_sale(&api, &config, a.0, 1);
        let line = &mut sale.lines[0];
        line.full_unit = Money::from_cents(6_000_000_000_000_000_000);
        line.charged_unit = line.full_unit;
        sale.totals.full = line.full_unit;
        sale.totals.paid = line.full_unit;
        sale.totals.due = line.full_unit;
        sale.totals.subsidy = Money::ZERO;
        sale.payment = Payment::settle(PaymentMethod::CardTerminal, sale.totals.due);
        let (status, body) = api
            .push(a, vec![event(a.0, seq, EventBody::Sale(sale))])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["quarantined"][0]["reason"], "amount_out_of_range");
    }
    let store = api.hub.store.clone();
    let (totals, fleet) = tokio::task::spawn_blocking(move || {
        (
            store.line_totals().unwrap(),
            congelo::hub::reports::fleet(
                store.as_ref(),
                congelo::hub::reports::Scope::All,
                Utc::now(),
                &Default::default(),
            )
            .unwrap(),
        )
    })
    .await
    .unwrap();
    assert!(totals.is_empty(), "{totals:?}");
    let row = fleet.iter().find(|r| r.facts.kiosk.id == a.0.0).unwrap();
    assert_eq!(row.facts.quarantined, 2);
    assert!(row.needs_attention);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_from_an_older_list_is_counted_and_listed() {
    let api = Api::start().await;
    let a = &api.a;
    let config = config(&api, a).await;
    let mut sale = good_sale(&api, &config, a.0, 1);
    // The kiosk sold at a price the hub no longer has (its own list was older).
    let line = &mut sale.lines[0];
    line.full_unit += Money::from_cents(100);
    sale.totals.full = line.full();
    sale.totals.subsidy = sale.totals.full - sale.totals.paid;
    let (status, body) = api
        .push(a, vec![event(a.0, 1, EventBody::Sale(sale))])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("quarantined").is_none(), "{body}");
    let store = api.hub.store.clone();
    let (mismatches, totals) = tokio::task::spawn_blocking(move || {
        (
            store.price_mismatches(10).unwrap(),
            store.line_totals().unwrap(),
        )
    })
    .await
    .unwrap();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(
        mismatches[0].full_unit,
        mismatches[0].hub_full_unit + Money::from_cents(100)
    );
    assert_eq!(
        mismatches[0].kiosk_config_version,
        Some(config.version as i64)
    );
    assert_eq!(totals.len(), 1, "the sale counts as usual");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_health_report_that_could_inject_a_spreadsheet_formula_is_refused() {
    let api = Api::start().await;
    let a = &api.a;
    for version in ["=HYPERLINK(\"http://x\")", "", &"9".repeat(65), "1.0\u{7}"] {
        let mut health = serde_json::to_value(health(Utc::now())).unwrap();
        health["version"] = json!(version);
        let path = format!("/kiosks/{}/events", a.0);
        let body = json!({ "health": health, "events": [] });
        let (status, answer) = api.json(Method::POST, &path, Some(&a.1), body).await;
        // `=` is printable ASCII: the formula is neutralised in the CSV writer instead.
        if version.starts_with('=') {
            assert_eq!(status, StatusCode::OK, "{answer}");
            continue;
        }
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{version:?}: {answer}"
        );
        assert_eq!(answer["error"], "invalid_batch");
    }
}
