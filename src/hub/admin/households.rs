//! `congelo-hub household add`: a household with its tier, expiry, opening balance, pay-later
//! limit and cards, checked by the households page's form and written by the same audited
//! [`HouseholdStore::create_household`](crate::hub::store::HouseholdStore::create_household).

use std::io::Write;

use clap::Subcommand;

use super::{AdminError, CLI_LANG, cli_audit, refused};
use crate::clock::{Clock, SystemClock};
use crate::domain::Money;
use crate::domain::codes::PayloadKind;
use crate::domain::money::MAX_INPUT_CENTS;
use crate::hub::secrets::SecretError;
use crate::hub::store::{HubStore, NewHousehold};
use crate::hub::web::households::fields_detail;
use crate::hub::web::households_form::HouseholdForm;
use crate::hub::web::i18n;

/// Most cards `household add` prints for one household.
pub const MAX_CARDS: u32 = 10;

#[derive(Debug, Subcommand)]
pub enum HouseholdCommand {
    /// Creates a household and prints each of its card codes once.
    Add {
        /// The tier's id.
        #[arg(long)]
        tier: i64,
        /// How many cards to print.
        #[arg(long, default_value_t = 1)]
        cards: u32,
        /// Last valid day, YYYY-MM-DD.
        #[arg(long)]
        expires: Option<String>,
        /// Prepaid balance, e.g. 25,00.
        #[arg(long)]
        balance: Option<String>,
        /// How much the household may owe through pay-later, e.g. 15,00.
        #[arg(long)]
        pay_later_limit: Option<String>,
    },
}

pub(super) fn run(
    store: &dyn HubStore,
    command: HouseholdCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    let HouseholdCommand::Add {
        tier,
        cards,
        expires,
        balance,
        pay_later_limit,
    } = command;
    if !(1..=MAX_CARDS).contains(&cards) {
        return Err(AdminError::Invalid(format!(
            "a household has 1 to {MAX_CARDS} cards"
        )));
    }
    let form = HouseholdForm {
        tier: tier.to_string(),
        status: "active".into(),
        expires_on: expires.unwrap_or_default(),
        caps: vec![],
    };
    let tiers: Vec<_> = store.catalogue_tiers()?.iter().map(|e| e.tier.id).collect();
    let fields = form
        .validate(CLI_LANG, &tiers, Some(SystemClock::default().today()))
        .map_err(refused)?;
    let codes = (0..cards)
        .map(|_| crate::entropy::new_payload(PayloadKind::Card))
        .collect::<Result<Vec<_>, _>>()
        .map_err(SecretError::from)?;
    let household = NewHousehold {
        balance: balance.map(|b| money("balance", &b)).transpose()?,
        pay_later_limit: pay_later_limit
            .map(|l| money("pay-later limit", &l))
            .transpose()?,
        cards: codes.iter().map(|c| c.hash()).collect(),
        fields,
    };
    let mut detail = fields_detail(&household.fields);
    detail["balance_cents"] = household.balance.map(Money::cents).into();
    detail["pay_later_limit_cents"] = household.pay_later_limit.map(Money::cents).into();
    detail["cards"] = cards.into();
    let audit = cli_audit("household.create").detail(detail);
    let id = store.create_household(&household, &audit)?;
    writeln!(out, "household {id} added (tier {tier})")?;
    for code in codes {
        writeln!(
            out,
            "card (printed once; the hub keeps only its hash): {}",
            code.encode()
        )?;
    }
    Ok(())
}

/// An amount from 0 to [`MAX_INPUT_CENTS`].
fn money(name: &str, text: &str) -> Result<Money, AdminError> {
    let amount = Money::parse(text).map_err(|e| AdminError::Invalid(format!("{name}: {e}")))?;
    if amount.is_negative() || amount.cents() > MAX_INPUT_CENTS {
        let max = i18n::money(CLI_LANG, Money::from_cents(MAX_INPUT_CENTS));
        return Err(AdminError::Invalid(format!(
            "{name}: an amount from 0 to {max}"
        )));
    }
    Ok(amount)
}
