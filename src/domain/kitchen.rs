//! The kitchens' rules: what an intake and a production batch must satisfy, the lot code a batch
//! gets, kilograms as staff type them.
//!
//! Surplus comes in as an intake (grams received from an organisation); a batch uses grams of one
//! or more intakes and packs some of them as one product under one lot. These checks are the same
//! for the pages, the command line and the store (which re-runs [`check_batch`] inside the
//! transaction against the grams still left), so a refusal is worded once and changes nothing.
//!
//! **Lot codes.** `L` + the production date `YYMMDD` + `-` + the batch's number that day across
//! the collective (`01`–`99`) + one check letter, e.g. `L261205-03K`: 11 characters, sortable by
//! date, readable over the phone, and inside GS1's AI (10) character set. The check letter is the
//! sum of each digit times its position (1–8) modulo 23, written with the 23 letters `A`–`Z` without
//! `I`, `O` and `S`: any single mistyped digit and any swap of two neighbouring digits changes it.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

macro_rules! kitchen_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

kitchen_id!(
    /// An organisation surplus comes from (a farm, a grocer, a distributor), never a person.
    SourceId
);
kitchen_id!(
    /// One delivery of surplus to a kitchen.
    IntakeId
);
kitchen_id!(
    /// One production batch: one product, one lot.
    BatchId
);

/// Heaviest single weight the hub records: 100 tonnes, in grams.
pub const MAX_GRAMS: u64 = 100_000_000;
/// Most batches the collective makes on one day (the lot's two-digit number).
pub const MAX_BATCHES_PER_DAY: u32 = 99;
/// Most participant-hours one batch records.
pub const MAX_PARTICIPANT_MINUTES: u32 = 10_000 * 60;
/// Longest free text (a description, a category, a programme, a source's name).
pub const MAX_TEXT_CHARS: usize = 100;

/// The kind of organisation a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Farm,
    Grocer,
    Distributor,
    Other,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Farm,
        SourceKind::Grocer,
        SourceKind::Distributor,
        SourceKind::Other,
    ];

    /// The name stored and typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Farm => "farm",
            SourceKind::Grocer => "grocer",
            SourceKind::Distributor => "distributor",
            SourceKind::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What is wrong with an intake or a batch, one variant per rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KitchenError {
    #[error("a weight must be more than 0 kg (at most 100 000 kg)")]
    BadWeight,
    #[error("{0} is in the future")]
    FutureDate(NaiveDate),
    #[error("a text has 1 to 100 characters")]
    BadText,
    #[error("a batch has at least one pack (at most 1 000 000)")]
    BadPacks,
    #[error("participant-hours must be between 0 and 10 000")]
    BadHours,
    #[error("a batch uses at least one intake")]
    NoIntake,
    #[error("intake {0} is listed twice")]
    IntakeTwice(IntakeId),
    #[error("intake {0} does not exist")]
    UnknownIntake(IntakeId),
    #[error("intake {intake} was received by another kitchen")]
    OtherKitchen { intake: IntakeId },
    #[error("intake {intake} has {left_g} g left; the batch uses {used_g} g")]
    MoreThanLeft {
        intake: IntakeId,
        left_g: u64,
        used_g: u64,
    },
    #[error("intake {intake} was received on {received_on}, after the batch's date")]
    IntakeAfterBatch {
        intake: IntakeId,
        received_on: NaiveDate,
    },
    #[error("{packed_g} g packed is more than the {used_g} g used")]
    PackedMoreThanUsed { packed_g: u64, used_g: u64 },
    #[error("the product has no shelf life: set it on the product's page first")]
    NoShelfLife,
    #[error("the best-before date is before the production date")]
    BestBeforeTooEarly,
    #[error("the collective already made 99 batches on {0}")]
    DayFull(NaiveDate),
}

/// Kilograms as people type them (`12`, `12,5`, `0.25 kg`), to the gram: more than 0 and at most
/// [`MAX_GRAMS`].
pub fn parse_kg(text: &str) -> Result<u64, KitchenError> {
    let cleaned = text.trim().trim_end_matches("kg").trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let valid = !whole.is_empty() && whole.len() <= 6 && digits(whole);
    if !valid || fraction.len() > 3 || !digits(fraction) {
        return Err(KitchenError::BadWeight);
    }
    let whole: u64 = whole.parse().map_err(|_| KitchenError::BadWeight)?;
    let fraction: u64 = format!("{fraction:0<3}")
        .parse()
        .map_err(|_| KitchenError::BadWeight)?;
    let grams = whole * 1000 + fraction;
    check_grams(grams)
}

/// `grams` if it is a weight the hub records.
pub fn check_grams(grams: u64) -> Result<u64, KitchenError> {
    if (1..=MAX_GRAMS).contains(&grams) {
        Ok(grams)
    } else {
        Err(KitchenError::BadWeight)
    }
}

/// Grams as kilograms, to the gram, without trailing zeros: `12.5`, `0.25`, `3`.
pub fn kg_text(grams: u64) -> String {
    let (whole, fraction) = (grams / 1000, grams % 1000);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:03}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// Hours as people type them (`3`, `3,5`, `1.25 h`), as whole minutes (rounded), at most
/// [`MAX_PARTICIPANT_MINUTES`].
pub fn parse_hours(text: &str) -> Result<u32, KitchenError> {
    let cleaned = text.trim().trim_end_matches('h').trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let valid = !whole.is_empty() && whole.len() <= 5 && digits(whole);
    if !valid || fraction.len() > 2 || !digits(fraction) {
        return Err(KitchenError::BadHours);
    }
    let whole: u32 = whole.parse().map_err(|_| KitchenError::BadHours)?;
    let hundredths: u32 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| KitchenError::BadHours)?;
    let minutes = whole * 60 + (hundredths * 60 + 50) / 100;
    if minutes > MAX_PARTICIPANT_MINUTES {
        return Err(KitchenError::BadHours);
    }
    Ok(minutes)
}

/// Minutes as hours, to the hundredth, without trailing zeros: `3.5`, `1.25`, `2`.
pub fn hours_text(minutes: u64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    if fraction == 0 {
        return whole.to_string();
    }
    format!("{whole}.{}", format!("{fraction:02}").trim_end_matches('0'))
}

/// A free text of 1 to [`MAX_TEXT_CHARS`] characters without control characters, trimmed.
pub fn clean_text(text: &str) -> Result<String, KitchenError> {
    let text = text.trim();
    let bad = text.is_empty()
        || text.chars().count() > MAX_TEXT_CHARS
        || text.chars().any(char::is_control);
    if bad {
        Err(KitchenError::BadText)
    } else {
        Ok(text.to_owned())
    }
}

/// A date that is not after `today`.
pub fn check_not_future(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, KitchenError> {
    if date > today {
        Err(KitchenError::FutureDate(date))
    } else {
        Ok(date)
    }
}

/// The letters a check character is written with: `A`–`Z` without `I`, `O`, `S`.
const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// The check letter of eight digits (date and number).
fn check_letter(digits: &[u8; 8]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(1u32..)
        .map(|(d, weight)| u32::from(*d) * weight)
        .sum();
    char::from(CHECK_LETTERS[(sum % 23) as usize])
}

fn lot_digits(date: NaiveDate, number: u32) -> Option<[u8; 8]> {
    use chrono::Datelike;
    let year = u32::try_from(date.year()).ok()?;
    if !(2000..=2099).contains(&year) || !(1..=MAX_BATCHES_PER_DAY).contains(&number) {
        return None;
    }
    let text = format!(
        "{:02}{:02}{:02}{number:02}",
        year % 100,
        date.month(),
        date.day()
    );
    let mut digits = [0u8; 8];
    for (slot, b) in digits.iter_mut().zip(text.bytes()) {
        *slot = b - b'0';
    }
    Some(digits)
}

/// The lot code of the `number`th batch (1–99) made on `date` (years 2000–2099).
pub fn lot_code(date: NaiveDate, number: u32) -> Result<String, KitchenError> {
    let digits = lot_digits(date, number).ok_or(KitchenError::DayFull(date))?;
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    Ok(format!(
        "L{}-{}{}",
        &text[..6],
        &text[6..],
        check_letter(&digits)
    ))
}

/// The date and number of a lot code the hub made, if its check letter is right.
pub fn read_lot_code(code: &str) -> Option<(NaiveDate, u32)> {
    let code = code.trim().to_ascii_uppercase();
    let bytes = code.as_bytes();
    if bytes.len() != 11 || bytes[0] != b'L' || bytes[7] != b'-' {
        return None;
    }
    let digit_text = format!("{}{}", &code[1..7], &code[8..10]);
    if !digit_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = NaiveDate::parse_from_str(&format!("20{}", &code[1..7]), "%Y%m%d").ok()?;
    let number: u32 = code[8..10].parse().ok()?;
    let digits = lot_digits(date, number)?;
    (char::from(bytes[10]) == check_letter(&digits)).then_some((date, number))
}

/// An intake as the kitchen records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntake {
    pub received_on: NaiveDate,
    pub source: SourceId,
    pub description: String,
    pub category: String,
    pub received_g: u64,
    /// The kitchen (a site) that received it.
    pub kitchen: crate::domain::SiteId,
}

impl NewIntake {
    /// The intake with its texts trimmed, if every rule holds on `today`.
    pub fn checked(&self, today: NaiveDate) -> Result<NewIntake, KitchenError> {
        Ok(NewIntake {
            received_on: check_not_future(self.received_on, today)?,
            description: clean_text(&self.description)?,
            category: clean_text(&self.category)?,
            received_g: check_grams(self.received_g)?,
            ..self.clone()
        })
    }
}

/// A batch as the kitchen records it (the hub gives it its lot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch {
    pub produced_on: NaiveDate,
    pub kitchen: crate::domain::SiteId,
    pub programme: Option<String>,
    pub participant_minutes: Option<u32>,
    pub product: crate::domain::ProductId,
    /// Grams of each intake used.
    pub uses: Vec<(IntakeId, u64)>,
    pub packs: u32,
    pub packed_g: u64,
    /// `None`: the production date plus the product's shelf life.
    pub best_before: Option<NaiveDate>,
}

/// What the store knows about an intake a batch names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeLeft {
    pub kitchen: crate::domain::SiteId,
    pub received_on: NaiveDate,
    pub left_g: u64,
}

/// A batch that passed every rule, with its best-before decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBatch {
    pub batch: NewBatch,
    pub best_before: NaiveDate,
    pub used_g: u64,
}

impl CheckedBatch {
    /// Kilograms lost in preparation: used minus packed.
    pub fn lost_g(&self) -> u64 {
        self.used_g - self.batch.packed_g
    }
}

/// Checks `batch` against `today`, the product's shelf life in days (`None`: not set) and what
/// `intake` says of each intake it uses (`None`: unknown).
pub fn check_batch(
    batch: &NewBatch,
    today: NaiveDate,
    shelf_life_days: Option<u32>,
    intake: impl Fn(IntakeId) -> Option<IntakeLeft>,
) -> Result<CheckedBatch, KitchenError> {
    check_not_future(batch.produced_on, today)?;
    let programme = batch.programme.as_deref().map(clean_text).transpose()?;
    if batch
        .participant_minutes
        .is_some_and(|m| m > MAX_PARTICIPANT_MINUTES)
    {
        return Err(KitchenError::BadHours);
    }
    if !(1..=1_000_000).contains(&batch.packs) {
        return Err(KitchenError::BadPacks);
    }
    check_grams(batch.packed_g)?;
    if batch.uses.is_empty() {
        return Err(KitchenError::NoIntake);
    }
    let mut used_g = 0u64;
    for (n, &(id, grams)) in batch.uses.iter().enumerate() {
        check_grams(grams)?;
        if batch.uses[..n].iter().any(|(other, _)| *other == id) {
            return Err(KitchenError::IntakeTwice(id));
        }
        let known = intake(id).ok_or(KitchenError::UnknownIntake(id))?;
        if known.kitchen != batch.kitchen {
            return Err(KitchenError::OtherKitchen { intake: id });
        }
        if known.received_on > batch.produced_on {
            return Err(KitchenError::IntakeAfterBatch {
                intake: id,
                received_on: known.received_on,
            });
        }
        if grams > known.left_g {
            return Err(KitchenError::MoreThanLeft {
                intake: id,
                left_g: known.left_g,
                used_g: grams,
            });
        }
        used_g += grams;
    }
    if batch.packed_g > used_g {
        return Err(KitchenError::PackedMoreThanUsed {
            packed_g: batch.packed_g,
            used_g,
        });
    }
    let days = shelf_life_days.ok_or(KitchenError::NoShelfLife)?;
    let best_before = match batch.best_before {
        Some(date) if date < batch.produced_on => return Err(KitchenError::BestBeforeTooEarly),
        Some(date) => date,
        None => best_before(batch.produced_on, days),
    };
    Ok(CheckedBatch {
        batch: NewBatch {
            programme,
            ..batch.clone()
        },
        best_before,
        used_g,
    })
}

/// The production date plus `shelf_life_days` (the last day of the calendar when it overflows).
pub fn best_before(produced_on: NaiveDate, shelf_life_days: u32) -> NaiveDate {
    produced_on
        .checked_add_days(chrono::Days::new(u64::from(shelf_life_days)))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
#[path = "kitchen_tests.rs"]
mod tests;
