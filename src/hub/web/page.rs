//! What every page shares: the header (collective, navigation, language switch, user, logout),
//! the reader's language and the form token. Each page template has a `page: Page` field and
//! extends `base.html`.

use super::i18n::{self, Lang};
use super::policy::{Access, allows};
use super::session::Visitor;
use crate::domain::Money;
use crate::hub::store::Role;

/// One entry of the navigation bar: shown only to roles [`allows`] for its access.
struct NavEntry {
    href: &'static str,
    label: &'static str,
    access: fn(Role) -> bool,
}

/// The navigation, in order. Pages of other modules are listed here by the path they serve.
const NAV: &[NavEntry] = &[
    NavEntry {
        href: "/dashboard",
        label: "hub-nav-home",
        access: |_| true,
    },
    NavEntry {
        href: "/products",
        label: "hub-nav-products",
        access: |role| allows(role, Access::Catalogue),
    },
    NavEntry {
        href: "/tiers",
        label: "hub-nav-tiers",
        access: |role| allows(role, Access::Catalogue),
    },
    NavEntry {
        href: "/households",
        label: "hub-nav-households",
        access: |role| allows(role, Access::Households),
    },
    NavEntry {
        href: "/sites",
        label: "hub-nav-sites",
        access: |role| allows(role, Access::Sites) || matches!(role, Role::SiteStaff(_)),
    },
    NavEntry {
        href: "/intakes",
        label: "hub-nav-intakes",
        access: |role| allows(role, Access::Kitchens),
    },
    NavEntry {
        href: "/batches",
        label: "hub-nav-batches",
        access: |role| allows(role, Access::Kitchens),
    },
    // Who packs the food and the restricted-circulation prefix, printed on every pack label.
    NavEntry {
        href: "/staff/labels/settings",
        label: "hub-nav-labels",
        access: |role| allows(role, Access::Catalogue),
    },
    NavEntry {
        href: "/reports",
        label: "hub-nav-reports",
        access: |role| allows(role, Access::Reports),
    },
    NavEntry {
        href: "/fleet",
        label: "hub-nav-fleet",
        access: |role| allows(role, Access::AllSites) || matches!(role, Role::SiteStaff(_)),
    },
    NavEntry {
        href: "/recalls",
        label: "hub-nav-recalls",
        access: |role| allows(role, Access::Recalls),
    },
    NavEntry {
        href: "/users",
        label: "hub-nav-users",
        access: |role| allows(role, Access::Users),
    },
    NavEntry {
        href: "/audit",
        label: "hub-nav-audit",
        access: |role| allows(role, Access::Audit),
    },
];

/// Pages whose path is not under their section's entry: (path prefix, the entry they belong to).
const SECTIONS: &[(&str, &str)] = &[("/staff/batches/", "/batches"), ("/sources", "/intakes")];

/// The navigation entry `path` belongs to (itself when no other claims it).
fn section(path: &str) -> &str {
    SECTIONS
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map_or(path, |(_, entry)| entry)
}

/// A navigation link as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// The header's data for one page.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub csrf: String,
    /// Where the language switch returns to.
    pub path: String,
    /// The logged-in user's login and role, in words.
    pub user: Option<(String, String)>,
    pub nav: Vec<NavItem>,
    /// A sentence confirming the last action ("Product saved.").
    pub notice: Option<String>,
}

impl Page {
    /// The chrome for `visitor`, titled with message `title_key`.
    pub fn new(visitor: &Visitor, title_key: &str) -> Page {
        let lang = visitor.lang;
        let current_path = visitor.path.split('?').next().unwrap_or("/");
        let (user, nav) = match &visitor.signed_in {
            Some(signed) => {
                let role = signed.user.role;
                let nav = NAV
                    .iter()
                    .filter(|entry| (entry.access)(role))
                    .map(|entry| NavItem {
                        href: entry.href,
                        label: i18n::t(lang, entry.label),
                        current: section(current_path) == entry.href
                            || current_path.starts_with(&format!("{}/", entry.href)),
                    })
                    .collect();
                let user = (signed.user.login.clone(), role_name(lang, role));
                (Some(user), nav)
            }
            None => (None, Vec::new()),
        };
        Page {
            lang,
            title: i18n::t(lang, title_key),
            csrf: visitor.csrf.clone(),
            path: visitor.path.clone(),
            user,
            nav,
            notice: None,
        }
    }

    /// Adds a confirmation sentence (message id).
    pub fn notice(mut self, key: &str) -> Page {
        self.notice = Some(i18n::t(self.lang, key));
        self
    }

    /// Adds the confirmation sentence `key` when `saved` (a list after `?saved=1`).
    pub fn notice_if(self, saved: bool, key: &str) -> Page {
        if saved { self.notice(key) } else { self }
    }

    /// The message `key` in the page's language (what templates call).
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    pub fn money(&self, amount: &Money) -> String {
        i18n::money(self.lang, *amount)
    }

    /// The languages the switch offers (all but the current one).
    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }
}

/// One choice of a `<select>` of ids (sites, users, tiers…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

impl Choice {
    /// Whether this choice is the selected one.
    pub fn is(&self, selected: &Option<i64>) -> bool {
        *selected == Some(self.id)
    }
}

/// A role in words, e.g. "Personnel du site 3".
pub fn role_name(lang: Lang, role: Role) -> String {
    match role {
        Role::Admin => i18n::t(lang, "hub-role-admin"),
        Role::Viewer => i18n::t(lang, "hub-role-viewer"),
        Role::SiteStaff(site) => {
            i18n::t_with(lang, "hub-role-site-staff", &[("site", site.0.into())])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::section;

    #[test]
    fn a_batchs_own_pages_belong_to_the_batches_entry() {
        assert_eq!(section("/staff/batches/7/labels"), "/batches");
        assert_eq!(section("/sources"), "/intakes");
        assert_eq!(section("/staff/labels/settings"), "/staff/labels/settings");
        assert_eq!(section("/reports/sales"), "/reports/sales");
    }
}
