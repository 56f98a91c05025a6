//! Both languages define the same hub messages, and every message the pages use exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids defined in a language's `hub*.ftl` files.
fn hub_keys(tag: &str) -> BTreeSet<String> {
    let dir = manifest().join("locales").join(tag);
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
        let name = entry.file_name().into_string().unwrap();
        if !(name.starts_with("hub") && name.ends_with(".ftl")) {
            continue;
        }
        for line in std::fs::read_to_string(entry.path()).unwrap().lines() {
            if let Some((id, _)) = line.split_once('=')
                && !id.starts_with([' ', '#', '.', '-'])
                && !id.trim().is_empty()
            {
                let id = id.trim();
                assert!(
                    id.starts_with("hub-"),
                    "{tag}/{name}: «{id}» must start with hub-"
                );
                assert!(
                    keys.insert(id.to_owned()),
                    "{tag}/{name}: «{id}» defined twice"
                );
            }
        }
    }
    keys
}

/// Every `"hub-…"` literal in the web pages' Rust code and templates.
fn keys_used() -> BTreeSet<String> {
    let mut files = Vec::new();
    collect(&manifest().join("src/hub/web"), &mut files);
    let mut used = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for piece in text.split("\"hub-").skip(1) {
            let rest: String = piece
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if piece[rest.len()..].starts_with('"') && !rest.is_empty() && !rest.ends_with('-') {
                used.insert(format!("hub-{rest}"));
            }
        }
    }
    used
}

fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html")
            && !path.ends_with("i18n/tests.rs")
        {
            into.push(path);
        }
    }
}

#[test]
fn french_and_english_define_the_same_hub_messages() {
    let french = hub_keys("fr-CA");
    let english = hub_keys("en-CA");
    assert!(french.len() > 50, "{french:?}");
    let only_fr: Vec<_> = french.difference(&english).collect();
    let only_en: Vec<_> = english.difference(&french).collect();
    assert!(
        only_fr.is_empty() && only_en.is_empty(),
        "only fr-CA: {only_fr:?}, only en-CA: {only_en:?}"
    );
}

#[test]
fn every_message_the_pages_use_exists() {
    let defined = hub_keys("fr-CA");
    let used = keys_used();
    assert!(used.len() > 30, "{used:?}");
    let missing: Vec<_> = used.difference(&defined).collect();
    assert!(missing.is_empty(), "used but not defined: {missing:?}");
}

#[test]
fn messages_and_amounts_follow_the_language() {
    assert_eq!(t(Lang::FrCa, "hub-login-title"), "Connexion");
    assert_eq!(t(Lang::EnCa, "hub-login-title"), "Log in");
    let amount = Money::from_cents(425);
    assert_eq!(money(Lang::FrCa, amount), "4,25\u{a0}$");
    assert_eq!(money(Lang::EnCa, amount), "$4.25");
    assert_eq!(money_input(Lang::FrCa, amount), "4,25");
    assert_eq!(money_input(Lang::EnCa, amount), "4.25");
    assert_eq!(
        t_with(
            Lang::EnCa,
            "hub-dashboard-welcome",
            &[("login", "ana".into())]
        ),
        "Hello ana. What would you like to do?"
    );
}

#[test]
fn the_browser_language_is_a_fallback() {
    assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::EnCa);
    assert_eq!(Lang::negotiate("es-MX, en;q=0.5, fr;q=0.8"), Lang::FrCa);
    assert_eq!(Lang::negotiate("de-DE"), Lang::FrCa);
    assert_eq!(Lang::negotiate(""), Lang::FrCa);
    assert_eq!(Lang::negotiate("en;q=0, fr-CA"), Lang::FrCa);
}
