//! Administration writes: sites, territories, kiosks, products, tiers, households, users.
//!
//! Each function is one transaction that checks what it needs (the site exists, the barcode is
//! free…) and names what is wrong, so a bad command changes nothing and says why.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::super::{Duplicated, HubStoreError, NewCode, NewHousehold, NewKiosk, NewTier, Role};
use super::immediate;
use crate::domain::product::Product;
use crate::domain::tier::Tier;
use crate::domain::{HouseholdId, KioskId, ProductId, SiteId, TerritoryId, TierId};
use crate::sqlite::time_text;

fn exists(tx: &Transaction<'_>, sql: &str, id: i64) -> Result<bool, HubStoreError> {
    Ok(tx.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

fn taken(tx: &Transaction<'_>, sql: &str, value: &str) -> Result<bool, HubStoreError> {
    Ok(tx.query_row(sql, [value], |_| Ok(())).optional()?.is_some())
}

fn non_empty(what: &str, name: &str) -> Result<String, HubStoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(HubStoreError::Invalid(format!(
            "a {what} name has 1 to 100 characters"
        )));
    }
    Ok(name.to_owned())
}

pub(super) fn add_territory(
    conn: &mut Connection,
    name: &str,
) -> Result<TerritoryId, HubStoreError> {
    let name = non_empty("territory", name)?;
    let tx = immediate(conn)?;
    if taken(&tx, "SELECT 1 FROM territories WHERE name = ?1", &name)? {
        return Err(HubStoreError::Duplicate(Duplicated::Territory(
            name.to_owned(),
        )));
    }
    tx.execute("INSERT INTO territories (name) VALUES (?1)", [&name])?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(TerritoryId(id))
}

pub(super) fn add_site(
    conn: &mut Connection,
    name: &str,
    territory: TerritoryId,
) -> Result<SiteId, HubStoreError> {
    let name = non_empty("site", name)?;
    let tx = immediate(conn)?;
    if !exists(&tx, "SELECT 1 FROM territories WHERE id = ?1", territory.0)? {
        return Err(HubStoreError::NotFound(format!("territory {territory}")));
    }
    if taken(&tx, "SELECT 1 FROM sites WHERE name = ?1", &name)? {
        return Err(HubStoreError::Duplicate(Duplicated::Site(name.to_owned())));
    }
    tx.execute(
        "INSERT INTO sites (name, territory_id) VALUES (?1, ?2)",
        params![name, territory.0],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(SiteId(id))
}

pub(super) fn require_kiosk(tx: &Transaction<'_>, kiosk: KioskId) -> Result<(), HubStoreError> {
    if exists(tx, "SELECT 1 FROM kiosks WHERE id = ?1", kiosk.0)? {
        Ok(())
    } else {
        Err(HubStoreError::NotFound(format!("kiosk {kiosk}")))
    }
}

pub(super) fn insert_code(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    code: &NewCode,
) -> Result<(), HubStoreError> {
    tx.execute(
        "INSERT INTO enrolment_codes (code_hash, kiosk_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            code.hash.0.as_slice(),
            kiosk.0,
            time_text(code.created_at),
            time_text(code.expires_at)
        ],
    )?;
    Ok(())
}

pub(super) fn add_kiosk(
    conn: &mut Connection,
    kiosk: &NewKiosk,
    code: &NewCode,
) -> Result<KioskId, HubStoreError> {
    let name = non_empty("kiosk", &kiosk.name)?;
    if kiosk.payment_methods.is_empty() {
        return Err(HubStoreError::Invalid(
            "a kiosk needs at least one payment method".into(),
        ));
    }
    let tx = immediate(conn)?;
    if !exists(&tx, "SELECT 1 FROM sites WHERE id = ?1", kiosk.site.0)? {
        return Err(HubStoreError::NotFound(format!("site {}", kiosk.site)));
    }
    if taken(&tx, "SELECT 1 FROM kiosks WHERE name = ?1", &name)? {
        return Err(HubStoreError::Duplicate(Duplicated::Kiosk(name.to_owned())));
    }
    let mut methods = kiosk.payment_methods.clone();
    methods.sort();
    methods.dedup();
    tx.execute(
        "INSERT INTO kiosks (name, site_id, created_at, payment_methods, thresholds)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            name,
            kiosk.site.0,
            time_text(code.created_at),
            serde_json::to_string(&methods)?,
            serde_json::to_string(&kiosk.thresholds)?
        ],
    )?;
    let id = KioskId(tx.last_insert_rowid());
    insert_code(&tx, id, code)?;
    // A new kiosk changes no existing kiosk's configuration, but its own first pull needs a
    // version above 0: bump once.
    tx.execute("UPDATE config_state SET version = version + 1", [])?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn add_product(
    conn: &mut Connection,
    product: &Product,
) -> Result<ProductId, HubStoreError> {
    product
        .validate()
        .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
    let tx = immediate(conn)?;
    for gtin in &product.barcodes {
        let text = gtin.as_gtin14();
        if taken(&tx, "SELECT 1 FROM barcodes WHERE gtin = ?1", &text)? {
            return Err(HubStoreError::Duplicate(Duplicated::Barcode(
                text.to_string(),
            )));
        }
    }
    if let Some(code) = &product.internal_code
        && taken(&tx, "SELECT 1 FROM products WHERE internal_code = ?1", code)?
    {
        return Err(HubStoreError::Duplicate(Duplicated::InternalCode(
            code.to_string(),
        )));
    }
    tx.execute(
        "INSERT INTO products (internal_code, names, pictogram, net_weight_g, full_price_cents,
                               tax_rate, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            product.internal_code,
            serde_json::to_string(&product.names)?,
            product.pictogram,
            product.net_weight_g,
            product.full_price.cents(),
            product.tax_rate.0,
            product.active
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut barcode = tx.prepare("INSERT INTO barcodes (gtin, product_id) VALUES (?1, ?2)")?;
    let mut seen = Vec::new();
    for gtin in &product.barcodes {
        let text = gtin.as_gtin14();
        if !seen.contains(&text) {
            barcode.execute(params![text, id])?;
            seen.push(text);
        }
    }
    drop(barcode);
    tx.commit()?;
    Ok(ProductId(id))
}

pub(super) fn add_tier(conn: &mut Connection, tier: &NewTier) -> Result<TierId, HubStoreError> {
    let candidate = Tier {
        id: TierId(0),
        label: tier.label.trim().to_owned(),
        percent: tier.percent,
        overrides: vec![],
        caps: tier.caps.clone(),
        is_default: tier.is_default,
    };
    candidate
        .validate()
        .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
    let tx = immediate(conn)?;
    if taken(
        &tx,
        "SELECT 1 FROM tiers WHERE label = ?1",
        &candidate.label,
    )? {
        return Err(HubStoreError::Duplicate(Duplicated::Tier(
            candidate.label.to_string(),
        )));
    }
    if tier.is_default {
        tx.execute("UPDATE tiers SET is_default = 0 WHERE is_default = 1", [])?;
    }
    tx.execute(
        "INSERT INTO tiers (label, percent, is_default, caps) VALUES (?1, ?2, ?3, ?4)",
        params![
            candidate.label,
            candidate.percent,
            candidate.is_default,
            serde_json::to_string(&candidate.caps)?
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(TierId(id))
}

pub(super) fn add_household(
    conn: &mut Connection,
    household: &NewHousehold,
    now: DateTime<Utc>,
) -> Result<HouseholdId, HubStoreError> {
    if household.balance.is_some_and(|b| b.is_negative())
        || household.pay_later_limit.is_some_and(|l| l.is_negative())
    {
        return Err(HubStoreError::Invalid(
            "a balance or a pay-later limit cannot be negative".into(),
        ));
    }
    let tx = immediate(conn)?;
    if !exists(&tx, "SELECT 1 FROM tiers WHERE id = ?1", household.tier.0)? {
        return Err(HubStoreError::NotFound(format!("tier {}", household.tier)));
    }
    let created = time_text(now);
    tx.execute(
        "INSERT INTO households (tier_id, status, expires_on, caps, balance_cents,
                                 pay_later_limit_cents, created_at)
         VALUES (?1, 'active', ?2, ?3, ?4, ?5, ?6)",
        params![
            household.tier.0,
            household.expires_on,
            serde_json::to_string(&household.caps)?,
            household.balance.map(|m| m.cents()),
            household.pay_later_limit.map(|m| m.cents()),
            created
        ],
    )?;
    let id = tx.last_insert_rowid();
    for card in &household.cards {
        let hash = card.0.as_slice();
        let clash = tx
            .query_row("SELECT 1 FROM cards WHERE hash = ?1", [hash], |_| Ok(()))
            .optional()?;
        if clash.is_some() {
            return Err(HubStoreError::Duplicate(Duplicated::CardCode));
        }
        tx.execute(
            "INSERT INTO cards (hash, household_id, created_at) VALUES (?1, ?2, ?3)",
            params![hash, id, created],
        )?;
    }
    tx.commit()?;
    Ok(HouseholdId(id))
}

pub(super) fn add_user(
    conn: &mut Connection,
    login: &str,
    password_hash: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), HubStoreError> {
    let login = login.trim();
    if login.is_empty() || login.len() > 64 || login.chars().any(char::is_whitespace) {
        return Err(HubStoreError::Invalid(
            "a login has 1 to 64 characters and no spaces".into(),
        ));
    }
    let (role_name, site) = match role {
        Role::Admin => ("admin", None),
        Role::SiteStaff(site) => ("site_staff", Some(site.0)),
        Role::Viewer => ("viewer", None),
    };
    let tx = immediate(conn)?;
    if taken(&tx, "SELECT 1 FROM users WHERE login = ?1", login)? {
        return Err(HubStoreError::Duplicate(Duplicated::Login(
            login.to_owned(),
        )));
    }
    if let Some(site) = site
        && !exists(&tx, "SELECT 1 FROM sites WHERE id = ?1", site)?
    {
        return Err(HubStoreError::NotFound(format!("site {site}")));
    }
    tx.execute(
        "INSERT INTO users (login, password_hash, role, site_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![login, password_hash, role_name, site, time_text(now)],
    )?;
    tx.commit()?;
    Ok(())
}
