//! What a pack label says, from a production batch, its product and the collective's settings.
//!
//! Every pack that leaves a kitchen carries the same facts for three readers: the household (names
//! in French and English, net quantity, « Garder congelé / Keep frozen », ingredients and allergens),
//! the inspector (best-before in the Canadian bilingual form, lot code, who packed it), and the
//! kiosk's scanner (a GS1 code with the GTIN, lot, best-before and net weight). This module decides
//! the content only; the hub lays it out on label stock (PDF) or for thermal printers (ZPL).
//!
//! **Best-before.** The Safe Food for Canadians Regulations (and the CFIA's labelling guide) write a
//! durable-life date as year (optional, two digits), then month, then day, the month as one of the
//! bilingual abbreviations JA FE MR AL MA JN JL AU SE OC NO DE: 1 May 2027 is `27 MA 01`. The
//! year is always printed: frozen packs keep longer than a year.
//!
//! **GS1 code.** The element string is (01) GTIN-14, (15) best-before YYMMDD, (3103) net weight in
//! kilograms with three decimals, then (10) the lot. The one variable-length field comes last, so
//! the string needs no FNC1 separator inside: a scanner that drops the group separator still sends
//! a string the kiosk reads whole.
//!
//! **Restricted-circulation numbers.** A product the collective makes has no GTIN from a brand
//! owner; the hub numbers it inside the collective with a GS1 restricted-circulation number (RCN):
//! a GTIN-13 starting with the configured prefix (04 by default: GS1's prefix for numbers kept
//! within one company; 02 and 20–29 belong to the country's GS1 office, which in North America
//! uses them for variable-measure items whose digits hold a price or a weight).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::codes::{Gtin, check_digit};
pub use super::nutrition_table::NutritionFacts;

/// The CFIA's bilingual month abbreviations, January first.
pub const MONTHS: [&str; 12] = [
    "JA", "FE", "MR", "AL", "MA", "JN", "JL", "AU", "SE", "OC", "NO", "DE",
];

/// The storage statement every pack carries.
pub const KEEP_FROZEN: &str = "Garder congelé / Keep frozen";
/// The words before the best-before date.
pub const BEST_BEFORE: &str = "Meilleur avant / Best before";

/// GS1 allows 20 characters in a lot (AI 10).
pub const MAX_LOT_LEN: usize = 20;
/// Longest weight AI (3103) holds: 999.999 kg.
const MAX_WEIGHT_G: u32 = 999_999;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LabelError {
    #[error("the lot «{0}» is empty, longer than 20 characters or holds characters GS1 refuses")]
    BadLot(String),
    #[error("a net weight of {0} g does not fit the GS1 weight field (up to 999.999 kg)")]
    BadWeight(u32),
    #[error("the best-before date {0} is outside the years GS1 can write (2000 to 2099)")]
    BadDate(NaiveDate),
    #[error(
        "the restricted-circulation prefix «{0}» must be 02, 04 or 20 to 29 followed by at most 5 digits"
    )]
    BadPrefix(String),
    #[error("every number with prefix «{0}» is taken")]
    PrefixFull(String),
    #[error("the product has no name in {0}")]
    MissingName(&'static str),
}

/// The best-before date as the CFIA asks for it: `YY MM DD` with the bilingual month, `27 MA 01`.
pub fn best_before_text(date: NaiveDate) -> String {
    format!(
        "{:02} {} {:02}",
        date.year().rem_euclid(100),
        MONTHS[date.month0() as usize],
        date.day()
    )
}

/// The net quantity in metric units: `500 g`, or `2 kg` for whole kilograms.
pub fn net_quantity(grams: u32) -> String {
    if grams >= 1000 && grams.is_multiple_of(1000) {
        format!("{} kg", grams / 1000)
    } else {
        format!("{grams} g")
    }
}

/// Whether `c` is in GS1's character set 82 (what AI 10 may hold).
fn is_cset82(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c)
}

/// What the 2D code holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gs1Data {
    pub gtin: Gtin,
    pub lot: String,
    pub best_before: NaiveDate,
    pub net_weight_g: u32,
}

impl Gs1Data {
    /// Checks the values fit their GS1 fields.
    pub fn new(
        gtin: Gtin,
        lot: &str,
        best_before: NaiveDate,
        net_weight_g: u32,
    ) -> Result<Gs1Data, LabelError> {
        if lot.is_empty() || lot.len() > MAX_LOT_LEN || !lot.chars().all(is_cset82) {
            return Err(LabelError::BadLot(lot.to_owned()));
        }
        if net_weight_g == 0 || net_weight_g > MAX_WEIGHT_G {
            return Err(LabelError::BadWeight(net_weight_g));
        }
        if !(2000..2100).contains(&best_before.year()) {
            return Err(LabelError::BadDate(best_before));
        }
        Ok(Gs1Data {
            gtin,
            lot: lot.to_owned(),
            best_before,
            net_weight_g,
        })
    }

    fn fields(&self) -> [(&'static str, String); 4] {
        [
            ("01", self.gtin.as_gtin14()),
            ("15", self.best_before.format("%y%m%d").to_string()),
            ("3103", format!("{:06}", self.net_weight_g)),
            ("10", self.lot.clone()),
        ]
    }

    /// The element string the symbol encodes after its leading FNC1 (no separator needed: the
    /// lot, the only variable-length field, is last).
    pub fn element_string(&self) -> String {
        self.fields()
            .into_iter()
            .map(|(ai, d)| ai.to_owned() + &d)
            .collect()
    }

    /// The human-readable interpretation printed under the symbol, one AI a line.
    pub fn human_lines(&self) -> Vec<String> {
        self.fields()
            .into_iter()
            .map(|(ai, data)| format!("({ai}) {data}"))
            .collect()
    }

    /// The bracketed form `(01)…(15)…(3103)…(10)…`, which the kiosk also reads.
    pub fn bracketed(&self) -> String {
        self.fields()
            .into_iter()
            .map(|(ai, data)| format!("({ai}){data}"))
            .collect()
    }
}

/// Checks a restricted-circulation prefix (GTIN-13 form): 02, 04 or 20–29, up to 7 digits.
pub fn check_rcn_prefix(prefix: &str) -> Result<(), LabelError> {
    let bad = || LabelError::BadPrefix(prefix.to_owned());
    if !(2..=7).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match &prefix[..2] {
        "02" | "04" | "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" => Ok(()),
        _ => Err(bad()),
    }
}

/// The restricted-circulation GTIN numbered `serial` under `prefix`: prefix, the serial padded to
/// fill twelve digits, the check digit (a GTIN-13, stored as GTIN-14 like every barcode).
pub fn restricted_number(prefix: &str, serial: u64) -> Result<Gtin, LabelError> {
    check_rcn_prefix(prefix)?;
    let width = 12 - prefix.len();
    let body = format!("{prefix}{serial:0width$}");
    if body.len() != 12 {
        return Err(LabelError::PrefixFull(prefix.to_owned()));
    }
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let full = format!("0{body}{}", check_digit(&digits));
    Gtin::parse(&full)
        .map(|(gtin, _)| gtin)
        .map_err(|_| LabelError::PrefixFull(prefix.to_owned()))
}

/// The serial of a restricted-circulation GTIN under `prefix`, if it is one.
pub fn restricted_serial(prefix: &str, gtin: &Gtin) -> Option<u64> {
    let ean13 = gtin.as_gtin14();
    let body = ean13.get(1..13)?;
    body.strip_prefix(prefix)?.parse().ok()
}

/// A text in French and in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub fr: String,
    pub en: String,
}

impl Bilingual {
    /// `fr / en`, or one of them when both say the same.
    pub fn joined(&self) -> String {
        if self.fr == self.en {
            self.fr.clone()
        } else {
            format!("{} / {}", self.fr, self.en)
        }
    }
}

/// Who packed the food, from the hub's label settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packer {
    pub name: String,
    pub address: String,
}

/// Everything a pack label carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelContent {
    pub name: Bilingual,
    /// `500 g`.
    pub net_quantity: String,
    /// `27 MA 01`.
    pub best_before: String,
    pub lot: String,
    pub ingredients: Option<Bilingual>,
    pub allergens: Option<Bilingual>,
    pub packer: Packer,
    pub gs1: Gs1Data,
    pub nutrition: Option<NutritionFacts>,
}

/// What the label model takes from a batch and its product.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelInput {
    pub name_fr: Option<String>,
    pub name_en: Option<String>,
    pub net_weight_g: u32,
    pub gtin: Gtin,
    pub lot: String,
    pub best_before: NaiveDate,
    pub ingredients: Option<Bilingual>,
    pub allergens: Option<Bilingual>,
    pub nutrition: Option<NutritionFacts>,
}

impl LabelContent {
    /// The label of one pack of the batch.
    pub fn new(input: LabelInput, packer: Packer) -> Result<LabelContent, LabelError> {
        let fr = input
            .name_fr
            .filter(|n| !n.trim().is_empty())
            .ok_or(LabelError::MissingName("French"))?;
        let en = input
            .name_en
            .filter(|n| !n.trim().is_empty())
            .ok_or(LabelError::MissingName("English"))?;
        let gs1 = Gs1Data::new(
            input.gtin,
            &input.lot,
            input.best_before,
            input.net_weight_g,
        )?;
        let present = |text: Option<Bilingual>| {
            text.filter(|t| !t.fr.trim().is_empty() || !t.en.trim().is_empty())
        };
        Ok(LabelContent {
            name: Bilingual { fr, en },
            net_quantity: net_quantity(input.net_weight_g),
            best_before: best_before_text(input.best_before),
            lot: input.lot,
            ingredients: present(input.ingredients),
            allergens: present(input.allergens),
            packer,
            gs1,
            nutrition: input.nutrition,
        })
    }

    /// « Meilleur avant / Best before 27 MA 01 ».
    pub fn best_before_line(&self) -> String {
        format!("{BEST_BEFORE} {}", self.best_before)
    }

    /// « Ingrédients : … / Ingredients: … ».
    pub fn ingredients_line(&self) -> Option<String> {
        self.ingredients
            .as_ref()
            .map(|t| format!("Ingrédients : {} / Ingredients: {}", t.fr, t.en))
    }

    /// « Contient : … / Contains: … ».
    pub fn allergens_line(&self) -> Option<String> {
        self.allergens
            .as_ref()
            .map(|t| format!("Contient : {} / Contains: {}", t.fr, t.en))
    }
}

#[cfg(test)]
#[path = "label_tests.rs"]
mod tests;
