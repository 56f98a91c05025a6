//! The kiosk's helper commands, run as a user would: `decode` and `demo-data`.

use std::process::Command;

fn kiosk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_congelo-kiosk"))
}

#[test]
fn decode_prints_json_for_a_gs1_label() {
    let output = kiosk()
        .args([
            "decode",
            "]C10109506000134352\u{1d}10L2611-07\u{1d}15270531",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["kind"], "product");
    assert_eq!(json["gtin"], "09506000134352");
    assert_eq!(json["lot"], "L2611-07");
    assert_eq!(json["best_before"], "2027-05-31");
}

#[test]
fn decode_refuses_a_bad_code_with_status_2_and_one_line() {
    let output = kiosk().args(["decode", "4006381333932"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("check digit"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn demo_data_prints_cards_that_decode_to_their_hash_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let output = kiosk()
        .args(["demo-data", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let card = stdout
        .split_whitespace()
        .find(|w| w.starts_with("CGC1"))
        .expect("a card code");
    let decoded = kiosk().args(["decode", card]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(json["kind"], "card");
    assert_eq!(json["sha256"].as_str().unwrap().len(), 64);
    assert!(!String::from_utf8_lossy(&decoded.stdout).contains(&card[4..]));
    // A second run refuses to overwrite the database.
    let again = kiosk()
        .args(["demo-data", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}
