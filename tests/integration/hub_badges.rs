//! Staff badges from the hub to the kiosk: issued with `congelo-hub badge add` (the PIN read from
//! the environment, checked, hashed), carried in the configuration of the kiosks of their site
//! only, checked offline by the kiosk, and refused there once revoked.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use chrono::Utc;
use congelo::domain::StaffId;
use congelo::domain::codes::{PayloadKind, Scan, decode};
use congelo::domain::household::CardHash;
use congelo::hub::store::{NewBadge, SiteStore};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{TestHub, cli, enrolled_kiosk, fast_tempdir};
use crate::common::wait::{STEP_CEILING, wait_until};

fn hub_cli(database: &Path, pin: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
        .args(args)
        .env("CONGELO_HUB_DATABASE", database)
        .env("CONGELO_HUB_ADMIN_PASSWORD", "correct horse battery")
        .env("CONGELO_HUB_BADGE_PIN", pin)
        .output()
        .expect("run congelo-hub")
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The badge code printed on the line that announces it.
fn printed_code(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|line| line.split("hash): ").nth(1))
        .expect("a badge code line")
        .trim()
        .to_owned()
}

#[test]
fn badge_commands_issue_check_and_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let qr = dir.path().join("badge.svg");
    stdout_of(&hub_cli(&db, "", &["init"]));
    stdout_of(&hub_cli(&db, "", &["territory", "add", "--name", "MRC"]));
    stdout_of(&hub_cli(
        &db,
        "",
        &["site", "add", "--name", "Centre", "--territory", "1"],
    ));
    let added = stdout_of(&hub_cli(
        &db,
        "2580",
        &[
            "badge",
            "add",
            "--site",
            "1",
            "--qr-svg",
            qr.to_str().unwrap(),
        ],
    ));
    assert!(added.contains("badge 1 added (site 1's kiosks)"), "{added}");
    let code = printed_code(&added);
    assert!(
        matches!(decode(&code), Ok(Scan::Payload(p)) if p.kind == PayloadKind::Badge),
        "{code}"
    );
    assert!(std::fs::read_to_string(&qr).unwrap().contains("<svg"));

    for (pin, args, says) in [
        ("1234", vec!["badge", "add"], "too easy to guess"),
        ("12", vec!["badge", "add"], "4 to 8 digits"),
        (
            "2580",
            vec!["badge", "add", "--site", "9"],
            "site 9 does not exist",
        ),
        (
            "9713",
            vec!["badge", "pin", "--badge", "7"],
            "badge 7 does not exist",
        ),
        (
            "",
            vec!["badge", "revoke", "--badge", "7"],
            "badge 7 does not exist",
        ),
    ] {
        let output = hub_cli(&db, pin, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} should fail");
        assert!(stderr.contains(says), "{args:?}: «{stderr}» lacks «{says}»");
    }
    let list = stdout_of(&hub_cli(&db, "", &["badge", "list"]));
    assert_eq!(
        list.lines().count(),
        1,
        "refused commands added nothing: {list}"
    );
    assert!(list.starts_with("1\tsite 1\tlive"), "{list}");

    stdout_of(&hub_cli(&db, "9713", &["badge", "pin", "--badge", "1"]));
    stdout_of(&hub_cli(&db, "", &["badge", "revoke", "--badge", "1"]));
    let output = hub_cli(&db, "", &["badge", "revoke", "--badge", "1"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("badge 1 is revoked"));
    assert!(stdout_of(&hub_cli(&db, "", &["badge", "list"])).contains("revoked"));
}

fn badge(hub: &TestHub, site: Option<congelo::domain::SiteId>, pin: &str) -> (StaffId, CardHash) {
    let hash = CardHash([site.map_or(0xA0, |s| s.0 as u8); 32]);
    let pin_hash = congelo::passwords::hash_secret(pin).unwrap();
    let staff = hub
        .store
        .issue_badge(
            &NewBadge {
                hash,
                pin_hash,
                site,
            },
            Utc::now(),
            &cli("badge.issue"),
        )
        .unwrap();
    (staff, hash)
}

/// Pulls configuration through the real worker until `done` holds.
fn sync_until(path: &Path, store: &KioskStore, done: impl Fn(&KioskStore) -> bool) {
    let options = SyncOptions {
        interval: Duration::from_secs(3600),
        ..SyncOptions::default()
    };
    let handle = SyncHandle::start(path.to_owned(), options).unwrap();
    let pulled = wait_until(STEP_CEILING, || {
        let done = done(store);
        if !done {
            handle.sync_now();
        }
        done
    });
    assert!(pulled, "{:?}", handle.status().borrow());
    handle.shutdown();
}

#[test]
fn kiosks_receive_their_sites_badges_and_follow_a_revocation() {
    let hub = TestHub::start();
    let other_territory = hub
        .store
        .save_territory(None, "Ailleurs", &cli("territory.create"));
    let other_site = hub
        .store
        .save_site(
            None,
            "Autre site",
            other_territory.unwrap(),
            &cli("site.create"),
        )
        .unwrap();
    let (ours, our_hash) = badge(&hub, Some(hub.seeded.site), "2580");
    let (everywhere, everywhere_hash) = badge(&hub, None, "97130");
    let (_, their_hash) = badge(&hub, Some(other_site), "4826");

    let dir = fast_tempdir();
    let path = dir.path().join("kiosk.db");
    let (_, code) = hub.add_kiosk("Kiosque");
    enrolled_kiosk(&path, &hub.url, &code);
    let store = KioskStore::open(&path).unwrap();

    let held = store.badge(&our_hash).unwrap().expect("the site's badge");
    assert_eq!(held.staff, ours);
    assert!(!held.revoked);
    assert!(congelo::passwords::verify_secret("2580", &held.pin_hash));
    assert!(!congelo::passwords::verify_secret("2581", &held.pin_hash));
    assert_eq!(
        store.badge(&everywhere_hash).unwrap().unwrap().staff,
        everywhere
    );
    assert_eq!(
        store.badge(&their_hash).unwrap(),
        None,
        "another site's badge"
    );
    // The demo badges of the kiosk's demo days are gone with the demo configuration.
    for demo in congelo::demo::badges() {
        assert_eq!(store.badge(&demo.entry.hash).unwrap(), None);
    }

    hub.store
        .revoke_badge_audited(ours, &cli("badge.revoke"))
        .unwrap();
    sync_until(&path, &store, |store| {
        store.badge(&our_hash).unwrap().is_some_and(|b| b.revoked)
    });
    assert!(!store.badge(&everywhere_hash).unwrap().unwrap().revoked);
}
