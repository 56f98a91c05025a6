//! The households and cards pages over real HTTP: each form's validation (bad input changes
//! nothing), the prepaid ledger, card batches printed once on a ten-to-a-page sheet whose codes
//! are exactly the hashes kiosks pull, replacement of a lost card, a distribution day, and who
//! may use these pages.

use congelo::domain::codes::Payload;
use congelo::domain::household::CardHash;
use congelo::domain::{HouseholdId, KioskId};
use congelo::hub::store::KioskApiStore;

use crate::common::web::{Browser, Reply, WebHub};

fn count(hub: &WebHub, sql: &str) -> i64 {
    hub.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The value of the page's hidden input `name`.
fn hidden(reply: &Reply, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = reply.body.find(&marker).expect("hidden field") + marker.len();
    reply.body[start..].split('"').next().unwrap().to_owned()
}

/// The codes printed on a sheet (grouped for reading), as kiosks read them.
fn printed_codes(sheet: &str) -> Vec<Payload> {
    sheet
        .split("<p class=\"card-code\">")
        .skip(1)
        .map(|rest| {
            let text: String = rest.split('<').next().unwrap().split_whitespace().collect();
            Payload::decode(&text).expect("a card code")
        })
        .collect()
}

/// A kiosk of site A, to read the configuration kiosks pull.
fn kiosk(hub: &WebHub) -> KioskId {
    let mut admin = hub.logged_in("admin");
    let site = hub.site_a.0.to_string();
    let made = admin.submit(
        "/kiosks/new",
        "/kiosks",
        &[
            ("name", "Congélateur test"),
            ("site", &site),
            ("method", "cash"),
            ("max_celsius", "-12"),
            ("excursion_minutes", "30"),
            ("door_seconds", "120"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    KioskId(count(hub, "SELECT max(id) FROM kiosks"))
}

/// The card hashes (and whether revoked) of `household` in the configuration a kiosk pulls.
fn pulled_cards(hub: &WebHub, kiosk: KioskId, household: HouseholdId) -> Vec<(CardHash, bool)> {
    let (_, config) = hub.store.config_since(kiosk, 0).unwrap();
    config
        .expect("a configuration")
        .cards
        .iter()
        .filter(|c| c.household == household)
        .map(|c| (c.hash, c.revoked))
        .collect()
}

fn new_household(admin: &mut Browser) -> i64 {
    let made = admin.submit("/households/new", "/households", &[("tier", "1")]);
    assert_eq!(made.status, 303, "{}", made.body);
    let location = made.header("location").unwrap();
    location
        .trim_start_matches("/households/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_household_is_created_and_edited_only_with_valid_fields() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let before = count(&hub, "SELECT count(*) FROM households");
    let bad = admin.submit(
        "/households/new",
        "/households",
        &[
            ("tier", "99"),
            ("expires_on", "2020-01-01"),
            ("cap_kind_0", "amount"),
            ("cap_value_0", "-4"),
            ("cap_period_0", "week"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Choisissez un des tarifs"));
    assert!(bad.body.contains("Cette date est déjà passée"));
    assert!(bad.body.contains("Ce plafond n’est pas valide"));
    assert_eq!(count(&hub, "SELECT count(*) FROM households"), before);

    let made = admin.submit(
        "/households/new",
        "/households",
        &[
            ("tier", "1"),
            ("expires_on", "2099-12-31"),
            ("cap_kind_0", "amount"),
            ("cap_value_0", "25,00"),
            ("cap_period_0", "week"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let id = count(&hub, "SELECT max(id) FROM households");
    let caps: String = hub
        .sql()
        .query_row("SELECT caps FROM households WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(caps.contains("2500"), "{caps}");
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action = 'household.create'"
        ),
        1
    );

    let list = admin.get("/households");
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("/households/{id}")));

    let page = format!("/households/{id}");
    let wrong = admin.submit(&page, &page, &[("tier", "1"), ("status", "lost")]);
    assert_eq!(wrong.status, 422);
    let version = count(&hub, "SELECT version FROM config_state");
    let revoked = admin.submit(&page, &page, &[("tier", "1"), ("status", "revoked")]);
    assert_eq!(revoked.status, 303);
    let status: String = hub
        .sql()
        .query_row("SELECT status FROM households WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "revoked");
    assert!(count(&hub, "SELECT version FROM config_state") > version);
}

#[test]
fn balance_adjustments_need_a_reason_never_go_below_zero_and_reach_kiosks() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let id = new_household(&mut admin);
    let page = format!("/households/{id}");
    let action = format!("/households/{id}/balance");
    let balance = |hub: &WebHub| -> Option<i64> {
        hub.sql()
            .query_row(
                "SELECT balance_cents FROM households WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let bad = admin.submit(&page, &action, &[("amount", "0"), ("reason", " ")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Écrivez un montant non nul"));
    assert!(bad.body.contains("Donnez un motif"));
    assert_eq!(balance(&hub), None);

    let version = count(&hub, "SELECT version FROM config_state");
    let deposit = admin.submit(&page, &action, &[("amount", "25,00"), ("reason", "Dépôt")]);
    assert_eq!(deposit.status, 303);
    let english = admin.submit(&page, &action, &[("amount", "-5.50"), ("reason", "Fix")]);
    assert_eq!(english.status, 303);
    assert_eq!(balance(&hub), Some(1950));
    assert!(count(&hub, "SELECT version FROM config_state") > version);

    let too_much = admin.submit(&page, &action, &[("amount", "-20"), ("reason", "Oops")]);
    assert_eq!(too_much.status, 422);
    assert!(too_much.body.contains("sous zéro"));
    assert_eq!(balance(&hub), Some(1950));

    let shown = admin.get(&page);
    assert!(shown.body.contains("Dépôt") && shown.body.contains("19,50"));
    assert_eq!(count(&hub, "SELECT count(*) FROM balance_adjustments"), 2);
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action = 'household.balance'"
        ),
        2
    );
}

#[test]
fn cards_print_once_ten_to_a_page_and_are_what_kiosks_pull() {
    let hub = WebHub::start();
    let kiosk = kiosk(&hub);
    let mut admin = hub.logged_in("admin");
    let id = new_household(&mut admin);
    let page = format!("/households/{id}");
    let shown = admin.get(&page);
    let batch = hidden(&shown, "batch");
    let token = shown.csrf();
    let action = format!("/households/{id}/cards");

    let refused = admin.post(
        &action,
        &[("csrf", &token), ("batch", &batch), ("count", "0")],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Entre 1 et 100 cartes"));
    assert_eq!(count(&hub, "SELECT count(*) FROM cards"), 0);

    let fields = [
        ("csrf", token.as_str()),
        ("batch", &batch),
        ("count", "12"),
        ("paper", "a4"),
    ];
    let sheet = admin.post(&action, &fields);
    assert_eq!(sheet.status, 200, "{}", sheet.body);
    assert_eq!(sheet.header("cache-control"), Some("no-store"));
    let pages: Vec<&str> = sheet.body.split("<section class=\"sheet").skip(1).collect();
    let per_page: Vec<usize> = pages
        .iter()
        .map(|p| p.matches("class=\"card-item\"").count())
        .collect();
    assert_eq!(per_page, vec![10, 2]);
    assert!(sheet.body.contains("sheet-a4"));
    assert!(!sheet.body.contains("Plein tarif"), "no tier on a card");
    assert!(sheet.body.contains("Congélo") && sheet.body.contains("<svg"));
    assert!(sheet.body.contains("ne les montrera plus"));

    let codes = printed_codes(&sheet.body);
    assert_eq!(codes.len(), 12);
    let pulled = pulled_cards(&hub, kiosk, HouseholdId(id));
    for code in &codes {
        assert!(
            pulled.contains(&(code.hash(), false)),
            "a printed card is in the kiosk's configuration"
        );
    }
    // No secret is stored: only the hashes.
    let first = codes[0].encode();
    for file in [hub.db.clone(), hub.db.with_extension("db-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!bytes.windows(first.len()).any(|w| w == first.as_bytes()));
    }

    // Sending the same form again (a reload) issues nothing and shows no code.
    let again = admin.post(&action, &fields);
    assert_eq!(again.status, 409);
    assert!(again.body.contains("déjà été émises"));
    assert_eq!(count(&hub, "SELECT count(*) FROM cards"), 12);

    // A lost card: revoked and replaced in one step, as the next pull shows.
    let lost = codes[3].hash();
    let shown = admin.get(&page);
    let replace = admin.post(
        &format!("/households/{id}/cards/replace"),
        &[
            ("csrf", &shown.csrf()),
            ("batch", &hidden(&shown, "batch")),
            ("card", &lost.to_hex()),
        ],
    );
    assert_eq!(replace.status, 200, "{}", replace.body);
    let new = printed_codes(&replace.body);
    assert_eq!(new.len(), 1);
    let pulled = pulled_cards(&hub, kiosk, HouseholdId(id));
    assert!(pulled.contains(&(lost, true)), "the lost card is revoked");
    assert!(pulled.contains(&(new[0].hash(), false)));
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'card.%'"
        ),
        2
    );
}

#[test]
fn a_distribution_day_makes_one_household_per_card() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let before = count(&hub, "SELECT count(*) FROM households");
    let shown = admin.get("/cards/distribution");
    let batch = hidden(&shown, "batch");
    let bad = admin.post(
        "/cards/distribution",
        &[
            ("csrf", &shown.csrf()),
            ("batch", &batch),
            ("count", "500"),
            ("tier", ""),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Entre 1 et 100 cartes") && bad.body.contains("Choisissez un des tarifs")
    );
    assert_eq!(count(&hub, "SELECT count(*) FROM households"), before);

    let sheet = admin.post(
        "/cards/distribution",
        &[
            ("csrf", &shown.csrf()),
            ("batch", &batch),
            ("count", "3"),
            ("tier", "1"),
        ],
    );
    assert_eq!(sheet.status, 200, "{}", sheet.body);
    assert_eq!(printed_codes(&sheet.body).len(), 3);
    assert_eq!(count(&hub, "SELECT count(*) FROM households"), before + 3);
    assert_eq!(
        count(&hub, "SELECT count(DISTINCT household_id) FROM cards"),
        3
    );
}

#[test]
fn only_admins_reach_households_and_cards() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let id = new_household(&mut admin);
    for login in ["staff-a", "viewer"] {
        let mut other = hub.logged_in(login);
        assert_eq!(other.get("/households").status, 403, "{login}");
        assert_eq!(
            other.get(&format!("/households/{id}")).status,
            403,
            "{login}"
        );
        assert_eq!(other.get("/cards/distribution").status, 403, "{login}");
        let token = other.get("/account").csrf();
        let adjust = other.post(
            &format!("/households/{id}/balance"),
            &[("csrf", &token), ("amount", "100"), ("reason", "gift")],
        );
        assert_eq!(adjust.status, 403, "{login}");
    }
    assert_eq!(count(&hub, "SELECT count(*) FROM balance_adjustments"), 0);
    // Without the form token, even an admin changes nothing.
    let forged = admin.post(
        &format!("/households/{id}/balance"),
        &[("amount", "100"), ("reason", "gift")],
    );
    assert_eq!(forged.status, 403);
    assert_eq!(count(&hub, "SELECT count(*) FROM balance_adjustments"), 0);
}
