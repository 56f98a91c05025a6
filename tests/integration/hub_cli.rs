//! `congelo-hub`'s admin commands, run as a person would: each prints what it created, refuses bad
//! input with a clear message (the staff form's own, where there is a form) and a failure status,
//! and then has changed nothing; every change is in the audit log as `cli`.

use std::path::Path;
use std::process::{Command, Output};

use congelo::domain::product::MAX_NET_WEIGHT_G;
use congelo::hub::web::i18n::{Lang, t};
use rusqlite::Connection;

fn hub(database: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
        .args(args)
        .env("CONGELO_HUB_DATABASE", database)
        .env("CONGELO_HUB_ADMIN_PASSWORD", "correct horse battery")
        .output()
        .expect("run congelo-hub")
}

fn ok(database: &Path, args: &[&str]) -> String {
    let output = hub(database, args);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

/// `product add` for carrots at 3,50 $ weighing `weight` grams, with `codes`.
fn carrots<'a>(weight: &'a str, codes: &[&'a str]) -> Vec<&'a str> {
    let common = ["product", "add", "--name-fr", "Carottes", "--price", "3,50"];
    [&common[..], &["--weight-g", weight][..], codes].concat()
}

fn refused(database: &Path, args: &[&str], says: &str) {
    let before = ok(database, &["kiosk", "list"]);
    let output = hub(database, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} should fail");
    assert!(
        stderr.contains(says),
        "{args:?}: «{stderr}» does not say «{says}»"
    );
    assert_eq!(ok(database, &["kiosk", "list"]), before);
}

#[test]
fn admin_commands_create_what_they_print_and_refuse_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let qr = dir.path().join("enrol.svg");
    let db = db.as_path();
    assert!(ok(db, &["init"]).contains("admin account «admin» created"));
    refused(db, &["init"], "already initialised");
    assert!(
        ok(db, &["territory", "add", "--name", "MRC des Collines"]).contains("territory 1 added")
    );
    assert!(
        ok(
            db,
            &[
                "site",
                "add",
                "--name",
                "Centre famille",
                "--territory",
                "1"
            ]
        )
        .contains("site 1 added")
    );
    let kiosk = ok(
        db,
        &[
            "kiosk",
            "add",
            "--name",
            "K1",
            "--site",
            "1",
            "--payment",
            "cash,prepaid",
            "--qr-svg",
            qr.to_str().unwrap(),
        ],
    );
    assert!(
        kiosk.contains("kiosk 1 added") && kiosk.contains("CGE1"),
        "{kiosk}"
    );
    assert!(std::fs::read_to_string(&qr).unwrap().contains("<svg"));
    assert!(ok(db, &["kiosk", "code", "--kiosk", "1"]).contains("CGE1"));
    assert!(ok(db, &["kiosk", "revoke", "--kiosk", "1"]).contains("0 token(s) revoked"));
    let product = ok(db, &carrots("500", &["--gtin", "0627000000016"]));
    assert!(product.contains("product 1 added: Carottes"));
    assert!(
        ok(
            db,
            &["tier", "add", "--label", "Tarif A", "--percent", "30"]
        )
        .contains("tier 2 added")
    );
    let household = ok(
        db,
        &[
            "household",
            "add",
            "--tier",
            "2",
            "--cards",
            "2",
            "--balance",
            "25,00",
            "--expires",
            "2030-12-31",
        ],
    );
    assert_eq!(household.matches("CGC1").count(), 2, "{household}");
    assert!(ok(db, &["kiosk", "list"]).contains("K1"));

    let product = |rest: &[&'static str]| {
        let common = ["product", "add", "--name-fr", "X", "--weight-g", "500"];
        [common.as_slice(), rest].concat()
    };
    let en = |key| t(Lang::EnCa, key);
    let refusals = [
        (
            vec!["site", "add", "--name", "Nulle part", "--territory", "9"],
            "territory 9 does not exist".to_owned(),
        ),
        (
            vec![
                "site",
                "add",
                "--name",
                "Centre famille",
                "--territory",
                "1",
            ],
            "already exists".into(),
        ),
        (
            vec!["kiosk", "add", "--name", "K2", "--site", "7"],
            "site 7 does not exist".into(),
        ),
        (
            vec![
                "kiosk",
                "add",
                "--name",
                "K2",
                "--site",
                "1",
                "--payment",
                "bitcoin",
            ],
            "unknown payment method".into(),
        ),
        (
            vec!["kiosk", "revoke", "--kiosk", "5"],
            "kiosk 5 does not exist".into(),
        ),
        (
            product(&["--price", "1", "--gtin", "0627000000017"]),
            "check digit".into(),
        ),
        (
            product(&["--price", "1", "--gtin", "0627000000016"]),
            "already exists".into(),
        ),
        (product(&["--price", "abc"]), "price".into()),
        (
            vec!["tier", "add", "--label", "Trop", "--percent", "150"],
            en("hub-tiers-error-percent"),
        ),
        (
            vec!["household", "add", "--tier", "9"],
            en("hub-households-error-tier"),
        ),
        (
            vec!["household", "add", "--tier", "2", "--expires", "demain"],
            en("hub-households-error-expiry"),
        ),
        (
            vec!["household", "add", "--tier", "2", "--cards", "0"],
            "1 to 10 cards".into(),
        ),
    ];
    for (args, says) in refusals {
        refused(db, &args, &says);
    }
}

/// `(user_id, login, action, subject)` of every audit row, oldest first.
fn audit_rows(database: &Path) -> Vec<(Option<i64>, String, String, String)> {
    let sql = Connection::open(database).unwrap();
    let mut statement = sql
        .prepare("SELECT user_id, login, action, subject FROM audit_log ORDER BY id")
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn count(database: &Path, table: &str) -> i64 {
    let sql = Connection::open(database).unwrap();
    sql.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_cli_change_is_audited_and_refused_like_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let db = db.as_path();
    ok(db, &["init"]);
    ok(db, &["territory", "add", "--name", "MRC des Collines"]);
    let args = carrots("500", &["--internal-code", "cgp7"]);
    assert!(ok(db, &args).contains("product 1 added: Carottes"));
    let cli = |action: &str, subject: &str| (None, "cli".to_owned(), action.into(), subject.into());
    assert_eq!(
        audit_rows(db),
        [
            cli("user.create", "user 1"),
            cli("tier.create", "tier 1"),
            cli("territory.create", "territory 1"),
            cli("product.create", "product 1"),
        ],
        "the same action codes as the pages, with no user id"
    );
    let internal: String = Connection::open(db)
        .unwrap()
        .query_row("SELECT internal_code FROM products", [], |r| r.get(0))
        .unwrap();
    assert_eq!(internal, "CGP7", "upper-cased as the form does");

    let (products, audit) = (count(db, "products"), count(db, "audit_log"));
    let too_heavy = (MAX_NET_WEIGHT_G + 1).to_string();
    for ((code, weight), key) in [
        (("XYZ7", "500"), "hub-products-error-internal"),
        (("CGP8", too_heavy.as_str()), "hub-products-error-weight"),
    ] {
        let args = carrots(weight, &["--internal-code", code]);
        refused(db, &args, &t(Lang::EnCa, key));
    }
    assert_eq!(count(db, "products"), products, "nothing written");
    assert_eq!(count(db, "audit_log"), audit, "nothing audited");
}
