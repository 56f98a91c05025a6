//! The territories, sites, kiosks and staff badges pages over real HTTP: each form's validation
//! (bad input changes nothing), enrolment codes shown once, token revocation with its
//! confirmation, settings kiosks pull, and who sees which site's kiosks.

use chrono::Utc;
use congelo::domain::KioskId;
use congelo::hub::secrets::{enrolment_code_hash, new_token};
use congelo::hub::store::{KioskApiStore, SiteStore};

use crate::common::web::{Reply, WebHub};

fn count(hub: &WebHub, sql: &str) -> i64 {
    hub.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The enrolment code a page shows (`<code class="enrolment-code">…`).
fn shown_code(reply: &Reply) -> String {
    let marker = "<code class=\"enrolment-code\">";
    let start = reply.body.find(marker).expect("a code") + marker.len();
    reply.body[start..].split('<').next().unwrap().to_owned()
}

const GOOD_KIOSK: &[(&str, &str)] = &[
    ("method", "cash"),
    ("method", "prepaid"),
    ("max_celsius", "-15,5"),
    ("excursion_minutes", "20"),
    ("door_seconds", "90"),
];

/// A kiosk made through the page, at `site`; its id and the code shown.
fn web_kiosk(hub: &WebHub, name: &str, site: i64) -> (KioskId, String) {
    let mut admin = hub.logged_in("admin");
    let site = site.to_string();
    let mut fields = vec![("name", name), ("site", site.as_str())];
    fields.extend_from_slice(GOOD_KIOSK);
    let made = admin.submit("/kiosks/new", "/kiosks", &fields);
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(made.header("cache-control"), Some("no-store"));
    assert!(made.body.contains("<svg"), "the QR code");
    let id = count(hub, "SELECT max(id) FROM kiosks");
    (KioskId(id), shown_code(&made))
}

#[test]
fn territories_and_sites_are_created_and_renamed_with_unique_names() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let made = admin.submit("/sites", "/territories", &[("name", "Haute-Côte")]);
    assert_eq!(made.status, 303);
    let territory = count(&hub, "SELECT id FROM territories WHERE name = 'Haute-Côte'");
    let taken = admin.submit("/sites", "/territories", &[("name", "MRC du Test")]);
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("Ce nom est déjà utilisé"));
    let empty = admin.submit("/sites", "/territories", &[("name", "  ")]);
    assert_eq!(empty.status, 422);
    assert_eq!(count(&hub, "SELECT count(*) FROM territories"), 2);

    let t = territory.to_string();
    let site = admin.submit(
        "/sites",
        "/sites",
        &[("name", "Épicerie"), ("territory", &t)],
    );
    assert_eq!(site.status, 303);
    let orphan = admin.submit(
        "/sites",
        "/sites",
        &[("name", "Nulle part"), ("territory", "99")],
    );
    assert_eq!(orphan.status, 422);
    assert!(orphan.body.contains("Choisissez un des territoires"));
    let id = count(&hub, "SELECT id FROM sites WHERE name = 'Épicerie'");
    let renamed = admin.submit(
        "/sites",
        &format!("/sites/{id}"),
        &[("name", "Épicerie solidaire"), ("territory", &t)],
    );
    assert_eq!(renamed.status, 303);
    let clash = admin.submit(
        "/sites",
        &format!("/sites/{id}"),
        &[("name", "Site A"), ("territory", &t)],
    );
    assert_eq!(clash.status, 422);
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM sites WHERE name = 'Épicerie solidaire'"
        ),
        1
    );
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action IN ('territory.create', 'site.create', 'site.rename') AND login <> 'cli'"
        ),
        3
    );
}

#[test]
fn a_kiosk_is_created_enrolled_configured_and_revoked() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let mut bad = vec![("name", ""), ("site", "99"), ("max_celsius", "-2")];
    bad.extend_from_slice(&[("excursion_minutes", "0"), ("door_seconds", "5")]);
    let refused = admin.submit("/kiosks/new", "/kiosks", &bad);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("La température la plus chaude est entre")
    );
    assert!(refused.body.contains("Cochez au moins un mode de paiement"));
    assert_eq!(count(&hub, "SELECT count(*) FROM kiosks"), 0);

    let (kiosk, code) = web_kiosk(&hub, "Congélateur 1", hub.site_a.0);
    let hash = enrolment_code_hash(&code).expect("a real enrolment code");
    let (_, token) = new_token().unwrap();
    assert_eq!(hub.store.enrol(&hash, &token, Utc::now()).unwrap(), kiosk);
    let (_, config) = hub.store.config_since(kiosk, 0).unwrap();
    let config = config.unwrap();
    assert_eq!(config.thresholds.max_millicelsius, -15_500);
    assert_eq!(config.payment_methods.len(), 2);

    let page = format!("/kiosks/{}", kiosk.0);
    let wrong = admin.submit(
        &page,
        &page,
        &[
            ("method", "cash"),
            ("max_celsius", "-40"),
            ("excursion_minutes", "30"),
            ("door_seconds", "120"),
        ],
    );
    assert_eq!(wrong.status, 422);
    let shown = admin.get(&page);
    assert!(shown.body.contains("name=\"volume\"") && shown.body.contains("value=\"80\""));
    let mut settings = vec![
        ("method", "card_terminal"),
        ("max_celsius", "-18"),
        ("excursion_minutes", "30"),
        ("door_seconds", "120"),
        ("stop_sales", "1"),
        ("volume", "60"),
        ("quiet_start", "22:00"),
    ];
    let version = count(&hub, "SELECT version FROM config_state");
    let half_quiet = admin.submit(&page, &page, &settings);
    assert_eq!(half_quiet.status, 422, "quiet hours need both ends");
    assert!(half_quiet.body.contains("Deux heures différentes"));
    assert_eq!(count(&hub, "SELECT version FROM config_state"), version);
    settings.extend_from_slice(&[("quiet_end", "07:00"), ("muted", "1")]);
    let saved = admin.submit(&page, &page, &settings);
    assert_eq!(saved.status, 303);
    let (new_version, config) = hub.store.config_since(kiosk, version as u64).unwrap();
    assert!(new_version > version as u64);
    let config = config.expect("kiosks pull the new settings");
    assert!(config.thresholds.stop_sales_on_excursion);
    assert_eq!(config.thresholds.max_millicelsius, -18_000);
    let quiet = config.voice.quiet_hours.expect("quiet hours");
    assert_eq!(
        (config.voice.volume_percent, config.voice.muted),
        (60, true)
    );
    assert_eq!(
        (quiet.start.to_string(), quiet.end.to_string()),
        ("22:00:00".to_owned(), "07:00:00".to_owned())
    );
    let detail: String = hub
        .sql()
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'kiosk.settings' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(detail.contains("\"volume_percent\":60"), "{detail}");

    let unconfirmed = admin.submit(&page, &format!("{page}/revoke"), &[]);
    assert_eq!(unconfirmed.status, 422);
    assert_eq!(hub.store.kiosk_for_token(&token).unwrap(), Some(kiosk));
    let revoked = admin.submit(&page, &format!("{page}/revoke"), &[("confirm", "yes")]);
    assert_eq!(revoked.status, 303);
    assert_eq!(hub.store.kiosk_for_token(&token).unwrap(), None);

    let fresh = admin.submit(&page, &format!("{page}/code"), &[]);
    assert_eq!(fresh.status, 200);
    let again = enrolment_code_hash(&shown_code(&fresh)).unwrap();
    let (_, token) = new_token().unwrap();
    assert_eq!(hub.store.enrol(&again, &token, Utc::now()).unwrap(), kiosk);
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'kiosk.%'"
        ),
        4
    );
}

#[test]
fn site_staff_see_only_their_own_kiosks_read_only_and_viewers_none() {
    let hub = WebHub::start();
    let (a, _) = web_kiosk(&hub, "Borne A", hub.site_a.0);
    let (b, _) = web_kiosk(&hub, "Borne B", hub.site_b.0);
    let mut staff = hub.logged_in("staff-a");
    let list = staff.get("/kiosks");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Borne A") && !list.body.contains("Borne B"));
    let own = staff.get(&format!("/kiosks/{}", a.0));
    assert_eq!(own.status, 200);
    assert!(own.body.contains("disabled") && !own.body.contains("/revoke"));
    assert_eq!(staff.get(&format!("/kiosks/{}", b.0)).status, 403);
    let token = own.csrf();
    let version = count(&hub, "SELECT version FROM config_state");
    for target in [a, b] {
        let change = staff.post(
            &format!("/kiosks/{}", target.0),
            &[
                ("csrf", &token),
                ("method", "cash"),
                ("max_celsius", "-10"),
                ("excursion_minutes", "30"),
                ("door_seconds", "120"),
            ],
        );
        assert_eq!(change.status, 403);
        let revoke = staff.post(
            &format!("/kiosks/{}/revoke", target.0),
            &[("csrf", &token), ("confirm", "yes")],
        );
        assert_eq!(revoke.status, 403);
    }
    assert_eq!(count(&hub, "SELECT version FROM config_state"), version);
    let sites = staff.get("/sites");
    assert_eq!(sites.status, 200);
    assert!(sites.body.contains("Site A") && !sites.body.contains("Site B"));
    assert_eq!(staff.get("/badges").status, 403);

    let mut viewer = hub.logged_in("viewer");
    for path in ["/kiosks", "/sites", "/badges", "/kiosks/new"] {
        assert_eq!(viewer.get(path).status, 403, "{path}");
    }
    assert_eq!(viewer.get(&format!("/kiosks/{}", a.0)).status, 403);
}

#[test]
fn badges_are_issued_printed_once_re_pinned_and_revoked() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let site = hub.site_a.0.to_string();
    let weak = admin.submit(
        "/badges",
        "/badges",
        &[("site", &site), ("pin", "1234"), ("pin_again", "1234")],
    );
    assert_eq!(weak.status, 422);
    let differ = admin.submit(
        "/badges",
        "/badges",
        &[("site", &site), ("pin", "2580"), ("pin_again", "2581")],
    );
    assert_eq!(differ.status, 422);
    assert!(differ.body.contains("Les deux NIP diffèrent"));
    assert_eq!(count(&hub, "SELECT count(*) FROM staff_badges"), 0);

    let printed = admin.submit(
        "/badges",
        "/badges",
        &[("site", &site), ("pin", "2580"), ("pin_again", "2580")],
    );
    assert_eq!(printed.status, 200, "{}", printed.body);
    assert_eq!(printed.header("cache-control"), Some("no-store"));
    assert!(printed.body.contains("card-code") && printed.body.contains("<svg"));
    assert!(!printed.body.contains("2580"), "the PIN is never shown");
    let badges = hub.store.badges().unwrap();
    assert_eq!(badges.len(), 1);
    let id = badges[0].staff.0;

    let pin = admin.submit(
        "/badges",
        &format!("/badges/{id}/pin"),
        &[("pin", "0000"), ("pin_again", "0000")],
    );
    assert_eq!(pin.status, 422);
    let pin = admin.submit(
        "/badges",
        &format!("/badges/{id}/pin"),
        &[("pin", "7391"), ("pin_again", "7391")],
    );
    assert_eq!(pin.status, 303);
    let unconfirmed = admin.submit("/badges", &format!("/badges/{id}/revoke"), &[]);
    assert_eq!(unconfirmed.status, 422);
    let revoked = admin.submit(
        "/badges",
        &format!("/badges/{id}/revoke"),
        &[("confirm", "yes")],
    );
    assert_eq!(revoked.status, 303);
    assert!(hub.store.badges().unwrap()[0].revoked);
    let audit: Vec<String> = hub
        .sql()
        .prepare("SELECT detail FROM audit_log WHERE action LIKE 'badge.%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(audit.len(), 3);
    assert!(
        audit
            .iter()
            .all(|d| !d.contains("2580") && !d.contains("7391"))
    );
}
