//! The kiosk's languages: Fluent messages from `locales/<tag>/kiosk.ftl`, compiled in.
//!
//! Every string a resident sees comes from a Fluent key; `.slint` files call `Tr.t(lang, <key>)`
//! and the glue answers from here. Adding a language is adding a folder under `locales/` (plus, if
//! wanted, its flag as `assets/flags/<tag>.svg`): the build script lists the folders, each file
//! names its language in its own words (`language-name`) and says how it writes amounts
//! (`meta-money-style`) and times of day (`meta-time-format`). Product names come from the catalogue, which carries French, English and
//! Spanish; other languages show the French name.

use std::borrow::Cow;
use std::collections::HashMap;

use std::fmt::Write as _;

use chrono::NaiveTime;
use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::domain::money::{Money, MoneyStyle};
use crate::domain::product::Locale;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fr-CA",
        // Slint would draw Unicode bidi isolation marks as boxes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

// `LANGUAGES: &[(&str, Option<&[u8]>)]`: every folder of `locales/`, the default first, with the
// bytes of its flag's SVG if there is one. Written by build.rs.
include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language a kiosk starts in and returns to after each visit.
pub const DEFAULT_LANGUAGE: &str = "fr-CA";

/// A language offered on the attract screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub tag: &'static str,
    /// The language's name in its own words ("Français", "English", "Español").
    pub name: String,
    pub flag_svg: Option<&'static [u8]>,
}

/// Every language the kiosk speaks, the default first.
pub fn languages() -> Vec<Language> {
    LANGUAGES
        .iter()
        .map(|(tag, flag_svg)| Language {
            tag,
            name: text(tag, "language-name"),
            flag_svg: *flag_svg,
        })
        .collect()
}

/// Whether `tag` is one of the kiosk's languages.
pub fn is_language(tag: &str) -> bool {
    LANGUAGES.iter().any(|(t, _)| *t == tag)
}

fn langid(tag: &str) -> LanguageIdentifier {
    tag.parse()
        .unwrap_or_else(|_| fluent_templates::langid!("fr-CA"))
}

/// The message `key` in language `tag`; the key itself if no language has it (a test guards
/// against that).
pub fn text(tag: &str, key: &str) -> String {
    LOCALES
        .try_lookup(&langid(tag), key)
        .unwrap_or_else(|| key.to_owned())
}

/// The message `key` with arguments (`{ $name }` in the message).
pub fn text_with(tag: &str, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
        .collect();
    LOCALES
        .try_lookup_with_args(&langid(tag), key, &args)
        .unwrap_or_else(|| key.to_owned())
}

/// How this language writes amounts, from its `meta-money-style` message.
pub fn money_style(tag: &str) -> MoneyStyle {
    match text(tag, "meta-money-style").trim() {
        "dot-before" => MoneyStyle::DotSymbolBefore,
        _ => MoneyStyle::CommaSymbolAfter,
    }
}

/// An amount as this language writes it: `4,25 $` or `$4.25`.
pub fn money(tag: &str, amount: Money) -> String {
    amount.format(money_style(tag))
}

/// A net weight: `500 g`, `1,5 kg` / `1.5 kg`.
pub fn weight(tag: &str, grams: u64) -> String {
    if grams < 1_000 {
        return format!("{grams}\u{a0}g");
    }
    let tenths = (grams + 50) / 100;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let separator = match money_style(tag) {
        MoneyStyle::DotSymbolBefore => '.',
        MoneyStyle::CommaSymbolAfter => ',',
    };
    if tenth == 0 {
        format!("{whole}\u{a0}kg")
    } else {
        format!("{whole}{separator}{tenth}\u{a0}kg")
    }
}

/// A time of day as this language writes it, from its `meta-time-format` message (a chrono
/// format): `16 h 43` in Québec French, `16:43` elsewhere. Spaces do not break.
pub fn time(tag: &str, at: NaiveTime) -> String {
    let format = text(tag, "meta-time-format");
    let format = if format.contains('%') {
        format
    } else {
        "%H:%M".to_owned()
    };
    let mut written = String::new();
    if write!(written, "{}", at.format(format.trim())).is_err() {
        written = at.format("%H:%M").to_string();
    }
    written.replace(' ', "\u{a0}")
}

/// The catalogue language to name products in: the reader's own if the catalogue has it.
pub fn product_locale(tag: &str) -> Locale {
    Locale::from_tag(tag).unwrap_or(Locale::FrCa)
}

#[cfg(test)]
mod tests;
