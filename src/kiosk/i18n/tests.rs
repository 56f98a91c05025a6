//! Every language has every key, and every key the UI uses exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids defined in a `.ftl` file (lines `id = …`; terms and comments skipped).
fn keys_of(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim_end())
        .filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_owned)
        .collect()
}

/// Keys used by the UI: `Tr.t(UiState.lang, "key")` in `.slint` files and `text(…, "key")` /
/// `text_with(…, "key", …)` in the kiosk's Rust code.
fn keys_used() -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut files = Vec::new();
    collect(&manifest().join("ui"), "slint", &mut files);
    collect(&manifest().join("src/kiosk"), "rs", &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for marker in [
            "Tr.t(UiState.lang, \"",
            "text(lang, \"",
            "text_with(lang, \"",
            "text(tag, \"",
        ] {
            for piece in text.split(marker).skip(1) {
                if let Some(key) = piece.split('"').next() {
                    used.insert(key.to_owned());
                }
            }
        }
    }
    used
}

fn collect(dir: &Path, extension: &str, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extension, into);
        } else if path.extension().is_some_and(|e| e == extension) && !path.ends_with("tests.rs") {
            into.push(path);
        }
    }
}

#[test]
fn every_language_has_every_key() {
    let reference = keys_of(&manifest().join("locales/fr-CA/kiosk.ftl"));
    assert!(reference.len() > 50, "{reference:?}");
    for (tag, _) in LANGUAGES {
        let keys = keys_of(&manifest().join("locales").join(tag).join("kiosk.ftl"));
        let missing: Vec<_> = reference.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&reference).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{tag}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn every_key_the_ui_uses_exists() {
    let defined = keys_of(&manifest().join("locales/fr-CA/kiosk.ftl"));
    let used = keys_used();
    assert!(used.len() > 40, "the scan for keys found too few: {used:?}");
    let missing: Vec<_> = used.difference(&defined).collect();
    assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
}

#[test]
fn no_message_carries_bidi_isolation_marks() {
    let text = text_with(
        "fr-CA",
        "cap-left-items",
        &[("count", 3.into()), ("period", "cette semaine".into())],
    );
    assert_eq!(text, "Vous pouvez encore ajouter 3 produits cette semaine.");
    assert!(!text.contains(['\u{2068}', '\u{2069}']));
}

#[test]
fn amounts_and_weights_follow_the_language() {
    let amount = Money::from_cents(425);
    assert_eq!(money("fr-CA", amount), "4,25\u{a0}$");
    assert_eq!(money("en-CA", amount), "$4.25");
    assert_eq!(money("es", amount), "4,25\u{a0}$");
    assert_eq!(weight("fr-CA", 500), "500\u{a0}g");
    assert_eq!(weight("fr-CA", 1500), "1,5\u{a0}kg");
    assert_eq!(weight("en-CA", 1500), "1.5\u{a0}kg");
    assert_eq!(weight("en-CA", 2000), "2\u{a0}kg");
}

#[test]
fn languages_are_the_folders_french_first_each_in_its_own_words() {
    let languages = languages();
    assert_eq!(languages[0].tag, "fr-CA");
    let names: Vec<&str> = languages.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Français", "English", "Español"]);
    assert!(languages.iter().all(|l| l.flag_svg.is_some()));
}

#[test]
fn times_of_day_follow_the_language() {
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(time("fr-CA", at(16, 43)), "16\u{a0}h\u{a0}43");
    assert_eq!(time("fr-CA", at(9, 5)), "9\u{a0}h\u{a0}05");
    assert_eq!(time("en-CA", at(16, 43)), "16:43");
    assert_eq!(time("es", at(9, 5)), "09:05");
    assert_eq!(
        text_with(
            "fr-CA",
            "staff-pin-locked",
            &[("time", time("fr-CA", at(16, 43)).into())]
        ),
        "Badge bloqué jusqu'à 16\u{a0}h\u{a0}43"
    );
}

/// Words each language's readers expect: Québec says « NIP », Canadian English spells "-ize",
/// Spanish welcomes with "Bienvenido". Every `.ftl` file of the language is read.
#[test]
fn each_language_uses_its_readers_words() {
    let forbidden: [(&str, &[&str]); 3] = [
        ("fr-CA", &["Code PIN", "code PIN", " PIN "]),
        (
            "en-CA",
            &[
                "recognise",
                "organise",
                "authorise",
                "summarise",
                "minimise",
                "prioritise",
            ],
        ),
        ("es", &["Le damos la bienvenida", "Les damos la bienvenida"]),
    ];
    for (tag, words) in forbidden {
        let dir = manifest().join("locales").join(tag);
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for word in words {
                assert!(!text.contains(word), "{}: «{word}»", entry.path().display());
            }
        }
    }
    assert_eq!(text("fr-CA", "staff-pin-title"), "NIP");
    assert_eq!(text("es", "card-welcome-title"), "¡Bienvenido!");
}
