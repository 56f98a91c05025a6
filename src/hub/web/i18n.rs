//! The hub's languages: Fluent messages from `locales/<tag>/hub*.ftl`, compiled in.
//!
//! French (Canada) is the default, English (Canada) the other language of the pages. Every hub
//! message id starts with `hub-`, so the kiosk's `kiosk.ftl` in the same folders can never collide
//! with it. Templates call `page.t("hub-…")`; Rust code calls [`t`] / [`t_with`] with a literal id,
//! so the test in this module finds every id used and checks both languages define it.
//!
//! A new `hub-something.ftl` is picked up by the loader at the next build of this file (the
//! loader embeds each file with `include_str!`, so later edits of an existing file rebuild).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::domain::money::Money;
use crate::domain::product::Locale;

fluent_templates::static_loader! {
    static HUB_LOCALES = {
        locales: "./locales",
        fallback_language: "fr-CA",
        // Plain text in HTML: no bidi isolation marks around arguments.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the hub's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    FrCa,
    EnCa,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::FrCa, Lang::EnCa];

    /// The BCP 47 tag, also the folder under `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::FrCa => "fr-CA",
            Lang::EnCa => "en-CA",
        }
    }

    /// The language's name in its own words, for the switch in the page header.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::FrCa => "Français",
            Lang::EnCa => "English",
        }
    }

    /// The HTML `lang` attribute.
    pub fn html(self) -> &'static str {
        match self {
            Lang::FrCa => "fr",
            Lang::EnCa => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The catalogue locale of the same language (product names, amounts).
    pub fn locale(self) -> Locale {
        match self {
            Lang::FrCa => Locale::FrCa,
            Lang::EnCa => Locale::EnCa,
        }
    }

    /// The best language for an `Accept-Language` header: the first listed (by quality) whose
    /// primary subtag is `fr` or `en`; French when none is.
    pub fn negotiate(header: &str) -> Lang {
        let mut offers: Vec<(u32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(order, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let quality = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some(((quality.clamp(0.0, 1.0) * 1000.0) as u32, order, tag))
            })
            .filter(|(quality, _, _)| *quality > 0)
            .collect();
        offers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        offers
            .into_iter()
            .find_map(|(_, _, tag)| {
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                match primary.as_str() {
                    "fr" => Some(Lang::FrCa),
                    "en" => Some(Lang::EnCa),
                    _ => None,
                }
            })
            .unwrap_or_default()
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::FrCa => fluent_templates::langid!("fr-CA"),
            Lang::EnCa => fluent_templates::langid!("en-CA"),
        }
    }
}

/// The message `key` in `lang`; the key itself if it is missing (a test guards against that).
pub fn t(lang: Lang, key: &str) -> String {
    HUB_LOCALES
        .try_lookup(&lang.langid(), key)
        .unwrap_or_else(|| key.to_owned())
}

/// The message `key` with arguments (`{ $name }` in the message).
pub fn t_with(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
        .collect();
    HUB_LOCALES
        .try_lookup_with_args(&lang.langid(), key, &args)
        .unwrap_or_else(|| key.to_owned())
}

/// An amount as this language writes it: `4,25 $` or `$4.25`.
pub fn money(lang: Lang, amount: Money) -> String {
    amount.format(lang.locale().money_style())
}

/// An amount as a form field shows it for editing: `4,25` or `4.25` (no symbol).
pub fn money_input(lang: Lang, amount: Money) -> String {
    let plain = amount.to_decimal_string();
    match lang {
        Lang::FrCa => plain.replace('.', ","),
        Lang::EnCa => plain,
    }
}

/// A decimal written with a point (`12.5`, from `kg_text` or `hours_text`) as this language
/// writes it: `12,5` or `12.5`.
pub fn decimal(lang: Lang, text: &str) -> String {
    match lang {
        Lang::FrCa => text.replace('.', ","),
        Lang::EnCa => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;
