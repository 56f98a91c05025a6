//! `congelo-hub`'s admin commands, run as a person would: each prints what it created, refuses bad
//! input with a clear message and a failure status, and then has changed nothing.

use std::path::Path;
use std::process::{Command, Output};

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
    let product = ok(
        db,
        &[
            "product",
            "add",
            "--name-fr",
            "Carottes",
            "--price",
            "3,50",
            "--weight-g",
            "500",
            "--gtin",
            "0627000000016",
        ],
    );
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

    refused(
        db,
        &["site", "add", "--name", "Nulle part", "--territory", "9"],
        "territory 9 does not exist",
    );
    refused(
        db,
        &[
            "site",
            "add",
            "--name",
            "Centre famille",
            "--territory",
            "1",
        ],
        "already exists",
    );
    refused(
        db,
        &["kiosk", "add", "--name", "K2", "--site", "7"],
        "site 7 does not exist",
    );
    refused(
        db,
        &[
            "kiosk",
            "add",
            "--name",
            "K2",
            "--site",
            "1",
            "--payment",
            "bitcoin",
        ],
        "unknown payment method",
    );
    refused(
        db,
        &["kiosk", "revoke", "--kiosk", "5"],
        "kiosk 5 does not exist",
    );
    refused(
        db,
        &[
            "product",
            "add",
            "--name-fr",
            "X",
            "--price",
            "1",
            "--weight-g",
            "500",
            "--gtin",
            "0627000000017",
        ],
        "check digit",
    );
    refused(
        db,
        &[
            "product",
            "add",
            "--name-fr",
            "X",
            "--price",
            "1",
            "--weight-g",
            "500",
            "--gtin",
            "0627000000016",
        ],
        "already exists",
    );
    refused(
        db,
        &[
            "product",
            "add",
            "--name-fr",
            "X",
            "--price",
            "abc",
            "--weight-g",
            "500",
        ],
        "price",
    );
    refused(
        db,
        &["tier", "add", "--label", "Trop", "--percent", "150"],
        "percentage",
    );
    refused(
        db,
        &["household", "add", "--tier", "9"],
        "tier 9 does not exist",
    );
    refused(
        db,
        &["household", "add", "--tier", "2", "--expires", "demain"],
        "not a date",
    );
    refused(
        db,
        &["household", "add", "--tier", "2", "--cards", "0"],
        "1 to 10 cards",
    );
}
