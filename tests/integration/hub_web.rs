//! The hub's web foundation over real HTTP: login, logout, password change, lockout, session
//! expiry, CSRF, each role's access, the users page and the audit log.

use std::time::Duration;

use crate::common::web::{PASSWORD, Reply, WebHub};

/// The audit log's `(login, action)` rows, oldest first, without the seed's (written as `cli`).
fn audit_actions(hub: &WebHub) -> Vec<(String, String)> {
    let sql = hub.sql();
    let mut statement = sql
        .prepare("SELECT login, action FROM audit_log WHERE user_id IS NOT NULL OR login <> 'cli' ORDER BY id")
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn count(hub: &WebHub, sql: &str) -> i64 {
    hub.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_front_door_leads_to_a_french_login_page_or_an_english_one() {
    let hub = WebHub::start();
    let mut browser = hub.browser();
    let root = browser.get("/");
    assert_eq!(
        (root.status, root.header("location")),
        (303, Some("/login"))
    );
    let page = browser.get("/login");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"fr\">") && page.body.contains("Connexion"));
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("script-src 'none'")
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let mut english = hub.browser();
    english.accept_language = Some("en-US,en;q=0.9".into());
    assert!(english.get("/login").body.contains("Log in"));
    // The API and the health check are untouched.
    assert_eq!(browser.get("/healthz").body, "ok");
    assert!(
        browser
            .get("/api/v1/openapi.json")
            .body
            .contains("\"openapi\"")
    );
}

#[test]
fn login_opens_a_secure_session_and_logout_ends_it() {
    let hub = WebHub::start();
    let mut browser = hub.browser();
    let wrong = browser.login("admin", "not the password");
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("incorrect"), "{}", wrong.body);
    let unknown = browser.login("nobody", PASSWORD);
    assert_eq!(unknown.status, 401);

    let ok = browser.login("admin", PASSWORD);
    assert_eq!(
        (ok.status, ok.header("location")),
        (303, Some("/dashboard"))
    );
    let cookie = ok
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("congelo_session="))
        .map(|(_, v)| v.clone())
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");
    let id = browser.cookies["congelo_session"].clone();
    assert_eq!(id.len(), 64);
    // Only the hash of the id is stored.
    let stored: i64 = count(&hub, "SELECT count(*) FROM web_sessions");
    assert_eq!(stored, 1);
    let dashboard = browser.get("/dashboard");
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("Bonjour admin"));

    let token = dashboard.csrf();
    let out = browser.post("/logout", &[("csrf", &token)]);
    assert_eq!((out.status, out.header("location")), (303, Some("/login")));
    assert!(!browser.cookies.contains_key("congelo_session"));
    // The old cookie no longer opens anything.
    browser.cookies.insert("congelo_session".into(), id);
    let again = browser.get("/dashboard");
    assert_eq!(again.status, 303);
    assert_eq!(again.header("location"), Some("/login?next=%2Fdashboard"));
    let actions = audit_actions(&hub);
    let names: Vec<&str> = actions.iter().map(|(_, a)| a.as_str()).collect();
    assert_eq!(names, ["login.failed", "login.failed", "login", "logout"]);
}

#[test]
fn after_login_the_browser_returns_where_it_was_going_but_never_off_site() {
    let hub = WebHub::start();
    let mut browser = hub.browser();
    let asked = browser.get("/audit");
    assert_eq!(asked.header("location"), Some("/login?next=%2Faudit"));
    let page = browser.get("/login?next=%2Faudit");
    let token = page.csrf();
    let ok = browser.post(
        "/login",
        &[
            ("csrf", &token),
            ("login", "admin"),
            ("password", PASSWORD),
            ("next", "/audit"),
        ],
    );
    assert_eq!(ok.header("location"), Some("/audit"));
    let mut other = hub.browser();
    let token = other.get("/login").csrf();
    let ok = other.post(
        "/login",
        &[
            ("csrf", &token),
            ("login", "admin"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(ok.header("location"), Some("/dashboard"));
}

#[test]
fn repeated_failures_lock_the_account_even_against_the_right_password() {
    let hub = WebHub::start();
    let mut browser = hub.browser();
    for attempt in 1..=5 {
        let reply = browser.login("viewer", "wrong password");
        let expected = if attempt < 5 { 401 } else { 429 };
        assert_eq!(reply.status, expected, "attempt {attempt}");
    }
    let locked = browser.login("viewer", PASSWORD);
    assert_eq!(locked.status, 429);
    assert!(locked.body.contains("bloqué"), "{}", locked.body);
    // Another account is not affected.
    assert_eq!(hub.browser().login("admin", PASSWORD).status, 303);
    // Still locked just before the lock (15 minutes by default) has passed.
    hub.clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(browser.login("viewer", PASSWORD).status, 429);
    // Once it has passed, the right password works and the count starts again.
    hub.clock.advance(Duration::from_secs(2 * 60));
    assert_eq!(browser.login("viewer", PASSWORD).status, 303);
    assert_eq!(
        count(
            &hub,
            "SELECT failed_logins FROM users WHERE login = 'viewer'"
        ),
        0
    );
}

#[test]
fn sessions_expire_when_idle_and_after_their_maximum_age() {
    let hub = WebHub::start();
    let mut idle = hub.logged_in("admin");
    let mut busy = hub.logged_in("viewer");
    assert_eq!(idle.get("/dashboard").status, 200);
    let logged_out = |reply: Reply| {
        assert_eq!(reply.status, 303);
        assert!(reply.header("location").unwrap().starts_with("/login"));
    };
    // A session nobody comes back to is cleared away at a later login.
    let _forgotten = hub.logged_in("staff-b");
    // The busy user asks for a page every 20 minutes: for the session's maximum age (12 hours
    // by default) it lives on.
    let step = Duration::from_secs(20 * 60);
    for round in 1..=35 {
        hub.clock.advance(step);
        assert_eq!(busy.get("/dashboard").status, 200, "round {round}");
        if round == 2 {
            // 40 minutes without a request (the default idle limit is 30).
            logged_out(idle.get("/dashboard"));
        }
    }
    hub.logged_in("staff-a");
    let staff_b_sessions = "SELECT count(*) FROM web_sessions
         WHERE user_id = (SELECT id FROM users WHERE login = 'staff-b')";
    assert_eq!(count(&hub, staff_b_sessions), 0);
    // Active 25 minutes ago, but logged in 12 hours 5 minutes ago.
    hub.clock.advance(Duration::from_secs(25 * 60));
    logged_out(busy.get("/dashboard"));
    let left = "SELECT count(*) FROM web_sessions
         WHERE user_id IN (SELECT id FROM users WHERE login IN ('admin', 'viewer'))";
    assert_eq!(count(&hub, left), 0);
}

#[test]
fn a_form_without_the_right_token_is_refused_and_changes_nothing() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let users_before = count(&hub, "SELECT count(*) FROM users");
    let audit_before = count(&hub, "SELECT count(*) FROM audit_log");
    let fields = [
        ("login", "mallory"),
        ("password", "a long enough password"),
        ("role", "admin"),
    ];
    for token in [None, Some("0".repeat(64)), Some(String::new())] {
        let mut all = fields.to_vec();
        if let Some(token) = &token {
            all.push(("csrf", token));
        }
        let reply = admin.post("/users", &all);
        assert_eq!(reply.status, 403, "{token:?}");
        assert!(reply.body.contains("Formulaire refusé"), "{}", reply.body);
    }
    let logout = admin.post("/logout", &[("csrf", "forged")]);
    assert_eq!(logout.status, 403);
    assert_eq!(admin.get("/dashboard").status, 200, "still logged in");
    // The login form is protected too (its token comes from a cookie of its own).
    let mut stranger = hub.browser();
    let reply = stranger.post("/login", &[("login", "admin"), ("password", PASSWORD)]);
    assert_eq!(reply.status, 403);
    assert_eq!(count(&hub, "SELECT count(*) FROM users"), users_before);
    assert_eq!(count(&hub, "SELECT count(*) FROM audit_log"), audit_before);
}

#[test]
fn each_role_sees_and_uses_only_its_pages() {
    let hub = WebHub::start();
    let cases: [(&str, &[&str], &[&str]); 4] = [
        (
            "admin",
            &["/users", "/audit", "/account", "/dashboard"],
            &[],
        ),
        (
            "staff-a",
            &["/account", "/dashboard"],
            &["/users", "/audit"],
        ),
        (
            "staff-b",
            &["/account", "/dashboard"],
            &["/users", "/audit"],
        ),
        ("viewer", &["/account", "/dashboard"], &["/users", "/audit"]),
    ];
    for (login, allowed, refused) in cases {
        let mut browser = hub.logged_in(login);
        for path in allowed {
            assert_eq!(browser.get(path).status, 200, "{login} {path}");
        }
        for path in refused {
            let reply = browser.get(path);
            assert_eq!(reply.status, 403, "{login} {path}");
            assert!(reply.body.contains("Accès refusé"));
        }
    }
    // The navigation shows what the role may use, nothing else.
    let nav = |login: &str| hub.logged_in(login).get("/dashboard").body;
    let admin = nav("admin");
    assert!(admin.contains("href=\"/users\"") && admin.contains("href=\"/products\""));
    let labels = "href=\"/staff/labels/settings\"";
    assert!(admin.contains(labels), "the admin finds the label settings");
    let viewer = nav("viewer");
    assert!(!viewer.contains(labels));
    assert!(viewer.contains("href=\"/reports\""));
    assert!(!viewer.contains("href=\"/users\"") && !viewer.contains("href=\"/products\""));
    let staff = nav("staff-a");
    assert!(staff.contains("href=\"/fleet\"") && !staff.contains("href=\"/reports\""));
    assert!(!staff.contains("href=\"/households\"") && !staff.contains(labels));
    // A refused write changes nothing either.
    let mut viewer = hub.logged_in("viewer");
    let token = viewer.get("/dashboard").csrf();
    let reply = viewer.post(
        "/users",
        &[
            ("csrf", &token),
            ("login", "x"),
            ("password", "a long enough password"),
            ("role", "admin"),
        ],
    );
    assert_eq!(reply.status, 403);
    assert_eq!(
        count(&hub, "SELECT count(*) FROM users WHERE login = 'x'"),
        0
    );
}

#[test]
fn an_admin_creates_changes_and_disables_users_with_every_mistake_explained() {
    let hub = WebHub::start();
    let mut admin = hub.logged_in("admin");
    let bad = admin.submit(
        "/users",
        "/users",
        &[
            ("login", "two words"),
            ("password", "short"),
            ("role", "site_staff"),
            ("site", ""),
        ],
    );
    assert_eq!(bad.status, 422);
    for message in [
        "sans espace",
        "de 10 à 200 caractères",
        "Choisissez le site",
    ] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }
    let taken = admin.submit(
        "/users",
        "/users",
        &[
            ("login", "viewer"),
            ("password", "a long enough password"),
            ("role", "viewer"),
        ],
    );
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("déjà pris"));
    assert_eq!(count(&hub, "SELECT count(*) FROM users"), 4);

    let site = hub.site_a.0.to_string();
    let made = admin.submit(
        "/users",
        "/users",
        &[
            ("login", "nadia"),
            ("password", "a long enough password"),
            ("role", "site_staff"),
            ("site", &site),
        ],
    );
    assert_eq!(
        (made.status, made.header("location")),
        (303, Some("/users?saved=1"))
    );
    assert!(
        admin
            .get("/users?saved=1")
            .body
            .contains("Utilisateur enregistré")
    );
    let mut nadia = hub.browser();
    assert_eq!(nadia.login("nadia", "a long enough password").status, 303);
    assert_eq!(nadia.get("/dashboard").status, 200);

    // Disabling ends her session at once.
    let id: i64 = count(&hub, "SELECT id FROM users WHERE login = 'nadia'");
    let reply = admin.submit(
        "/users",
        &format!("/users/{id}"),
        &[("role", "site_staff"), ("site", &site), ("disabled", "1")],
    );
    assert_eq!(reply.status, 303);
    assert_eq!(nadia.get("/dashboard").status, 303);
    assert_eq!(nadia.login("nadia", "a long enough password").status, 401);

    // The admin cannot lock the collective out by demoting themself.
    let me: i64 = count(&hub, "SELECT id FROM users WHERE login = 'admin'");
    let reply = admin.submit("/users", &format!("/users/{me}"), &[("role", "viewer")]);
    assert_eq!(reply.status, 422);
    assert_eq!(
        count(
            &hub,
            "SELECT count(*) FROM users WHERE login = 'admin' AND role = 'admin'"
        ),
        1
    );

    let audit = admin.get("/audit");
    assert!(audit.body.contains("user.create") && audit.body.contains("user.update"));
    assert!(
        !audit.body.contains("a long enough password"),
        "no password in the log"
    );
}

#[test]
fn a_password_change_checks_the_old_one_and_closes_other_sessions() {
    let hub = WebHub::start();
    let mut here = hub.logged_in("viewer");
    let mut elsewhere = hub.logged_in("viewer");
    let fields = |current: &'static str, new: &'static str, confirm: &'static str| {
        [("current", current), ("new", new), ("confirm", confirm)]
    };
    let wrong = here.submit(
        "/account",
        "/account/password",
        &fields("nope", "new long password", "new long password"),
    );
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("actuel est incorrect"));
    let mismatch = here.submit(
        "/account",
        "/account/password",
        &fields(PASSWORD, "new long password", "other long password"),
    );
    assert_eq!(mismatch.status, 422);
    assert!(mismatch.body.contains("pas identiques"));
    let ok = here.submit(
        "/account",
        "/account/password",
        &fields(PASSWORD, "new long password", "new long password"),
    );
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("Mot de passe changé"));
    assert_eq!(here.get("/dashboard").status, 200, "this session stays");
    assert_eq!(
        elsewhere.get("/dashboard").status,
        303,
        "the other one is closed"
    );
    assert_eq!(hub.browser().login("viewer", PASSWORD).status, 401);
    assert_eq!(
        hub.browser().login("viewer", "new long password").status,
        303
    );
    let actions = audit_actions(&hub);
    assert!(actions.contains(&("viewer".to_owned(), "user.password".to_owned())));
}

#[test]
fn the_language_switch_sticks_to_the_browser_and_the_account() {
    let hub = WebHub::start();
    let mut anonymous = hub.browser();
    let reply = anonymous.submit(
        "/login",
        "/language",
        &[("lang", "en-CA"), ("back", "/login")],
    );
    assert_eq!(
        (reply.status, reply.header("location")),
        (303, Some("/login"))
    );
    assert!(anonymous.get("/login").body.contains("Log in"));

    let mut admin = hub.logged_in("admin");
    admin.submit(
        "/dashboard",
        "/language",
        &[("lang", "en-CA"), ("back", "/dashboard")],
    );
    assert!(admin.get("/dashboard").body.contains("Hello admin"));
    // A new browser picks the account's language up at login.
    let mut fresh = hub.logged_in("admin");
    assert!(fresh.get("/dashboard").body.contains("Hello admin"));
    let refused = admin.submit("/dashboard", "/language", &[("lang", "de"), ("back", "/")]);
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("Unreadable form"));
}

#[test]
fn the_audit_log_pages_and_filters_by_user() {
    let hub = WebHub::start();
    for _ in 0..3 {
        hub.logged_in("viewer");
    }
    let mut admin = hub.logged_in("admin");
    let viewer: i64 = count(&hub, "SELECT id FROM users WHERE login = 'viewer'");
    let page = admin.get(&format!("/audit?user={viewer}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("<code>login</code>").count(), 3);
    let all = admin.get("/audit");
    assert_eq!(all.body.matches("<code>login</code>").count(), 4);
    assert_eq!(admin.get("/audit?user=oops&before=").status, 200);
}
