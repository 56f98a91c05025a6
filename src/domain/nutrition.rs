//! What a pack label says about its product besides the name: shelf life, ingredients,
//! allergens, and the Nutrition Facts values per serving.
//!
//! Staff enter these on the product's page; a batch's best-before is its production date plus the
//! shelf life, and the labels print the rest. [`Nutrition`] is stored as JSON (`products.nutrition`)
//! and checked here, so a table on a label never shows an impossible value: each amount is bounded,
//! saturated and trans fat together never exceed the fat, sugars and fibre never exceed the
//! carbohydrate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::product::Locale;

/// Everything a label needs from its product besides the catalogue's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelFacts {
    /// Days from production to best-before; a batch of a product without one is refused.
    pub shelf_life_days: Option<u32>,
    /// The ingredient list per language (`None` or empty: none printed).
    pub ingredients: BTreeMap<Locale, String>,
    /// The « Contient / Contains » text per language (empty: the product has none).
    pub allergens: BTreeMap<Locale, String>,
    pub nutrition: Option<Nutrition>,
}

/// Longest ingredient list or allergen statement, per language.
pub const MAX_LABEL_TEXT_CHARS: usize = 500;

/// The Nutrition Facts values of one serving, as the Canadian table lists them. Masses of the
/// macronutrients are in tenths of a gram (`fat_dg: 25` is 2.5 g); cholesterol and minerals in
/// milligrams.
///
/// Saturated and trans fat are two values, as the table prints them on two lines (with one % daily
/// value for their sum). JSON that carries a single `saturated_trans_dg` field instead (the
/// combined figure, as rows stored by the single-field form of the label page hold it) reads as
/// saturated fat with trans fat at 0, so those rows still load; they are written back with both
/// fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nutrition {
    /// The serving, in grams (`85` for "1 cup (85 g)").
    pub serving_g: u32,
    pub calories: u32,
    pub fat_dg: u32,
    #[serde(alias = "saturated_trans_dg")]
    pub saturated_dg: u32,
    #[serde(default)]
    pub trans_dg: u32,
    pub carbohydrate_dg: u32,
    pub fibre_dg: u32,
    pub sugars_dg: u32,
    pub protein_dg: u32,
    pub cholesterol_mg: u32,
    pub sodium_mg: u32,
    pub potassium_mg: u32,
    pub calcium_mg: u32,
    pub iron_dmg: u32,
}

/// What is wrong with a product's label facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NutritionError {
    #[error("the serving is 1 to 1 000 g")]
    Serving,
    #[error("{0} is out of range")]
    OutOfRange(&'static str),
    #[error("saturated and trans fat together cannot weigh more than the fat")]
    SaturatedOverFat,
    #[error("fibre and sugars cannot exceed the carbohydrate")]
    PartsOverCarbohydrate,
    #[error("the macronutrients weigh more than the serving")]
    OverServing,
    #[error("a shelf life is 1 to 3 650 days")]
    ShelfLife,
}

/// Longest shelf life a product may have: ten years.
pub const MAX_SHELF_LIFE_DAYS: u32 = 3650;

/// Each value but the serving, by its index in [`NUTRITION_FIELDS`], with its name in messages and
/// its upper bound per serving: far above any vegetable, low enough to catch a typo in units.
const BOUNDS: [(usize, &str, u32); NUTRITION_VALUES - 1] = [
    (1, "calories", 9_000),
    (2, "fat", 10_000),
    (3, "saturated fat", 10_000),
    (4, "trans fat", 10_000),
    (5, "carbohydrate", 10_000),
    (6, "fibre", 10_000),
    (7, "sugars", 10_000),
    (8, "protein", 10_000),
    (9, "cholesterol", 10_000),
    (10, "sodium", 100_000),
    (11, "potassium", 100_000),
    (12, "calcium", 100_000),
    (13, "iron", 10_000),
];

impl NutritionError {
    /// The form fields (of [`NUTRITION_FIELDS`]) the error is about, to flag on the form.
    pub fn fields(&self) -> &'static [&'static str] {
        match self {
            NutritionError::OutOfRange(name) => {
                static FIELDS: [&str; NUTRITION_VALUES] = NUTRITION_FIELDS;
                BOUNDS
                    .iter()
                    .find(|(_, n, _)| n == name)
                    .map_or(&["serving_g"], |(i, _, _)| {
                        std::slice::from_ref(&FIELDS[*i])
                    })
            }
            NutritionError::SaturatedOverFat => &["saturated_dg", "trans_dg"],
            NutritionError::PartsOverCarbohydrate => &["fibre_dg", "sugars_dg"],
            NutritionError::Serving | NutritionError::OverServing | NutritionError::ShelfLife => {
                &["serving_g"]
            }
        }
    }
}

/// How many values a table has.
pub const NUTRITION_VALUES: usize = 14;

/// The names of the values, in the order of the table, as forms and JSON name them.
pub const NUTRITION_FIELDS: [&str; NUTRITION_VALUES] = [
    "serving_g",
    "calories",
    "fat_dg",
    "saturated_dg",
    "trans_dg",
    "carbohydrate_dg",
    "fibre_dg",
    "sugars_dg",
    "protein_dg",
    "cholesterol_mg",
    "sodium_mg",
    "potassium_mg",
    "calcium_mg",
    "iron_dmg",
];

impl Nutrition {
    /// The values in the order of [`NUTRITION_FIELDS`].
    pub fn values(&self) -> [u32; NUTRITION_VALUES] {
        [
            self.serving_g,
            self.calories,
            self.fat_dg,
            self.saturated_dg,
            self.trans_dg,
            self.carbohydrate_dg,
            self.fibre_dg,
            self.sugars_dg,
            self.protein_dg,
            self.cholesterol_mg,
            self.sodium_mg,
            self.potassium_mg,
            self.calcium_mg,
            self.iron_dmg,
        ]
    }

    /// The table from values in the order of [`NUTRITION_FIELDS`].
    pub fn from_values(v: [u32; NUTRITION_VALUES]) -> Nutrition {
        Nutrition {
            serving_g: v[0],
            calories: v[1],
            fat_dg: v[2],
            saturated_dg: v[3],
            trans_dg: v[4],
            carbohydrate_dg: v[5],
            fibre_dg: v[6],
            sugars_dg: v[7],
            protein_dg: v[8],
            cholesterol_mg: v[9],
            sodium_mg: v[10],
            potassium_mg: v[11],
            calcium_mg: v[12],
            iron_dmg: v[13],
        }
    }

    /// `self` if every value is plausible for one serving.
    pub fn checked(self) -> Result<Nutrition, NutritionError> {
        if !(1..=1000).contains(&self.serving_g) {
            return Err(NutritionError::Serving);
        }
        let values = self.values();
        if let Some((_, name, _)) = BOUNDS.iter().find(|(i, _, max)| values[*i] > *max) {
            return Err(NutritionError::OutOfRange(name));
        }
        if self.saturated_dg + self.trans_dg > self.fat_dg {
            return Err(NutritionError::SaturatedOverFat);
        }
        if self.fibre_dg + self.sugars_dg > self.carbohydrate_dg {
            return Err(NutritionError::PartsOverCarbohydrate);
        }
        if self.fat_dg + self.carbohydrate_dg + self.protein_dg > self.serving_g * 10 {
            return Err(NutritionError::OverServing);
        }
        Ok(self)
    }
}

/// A tenth-unit amount as text: `25` → `2.5`, `30` → `3`.
pub fn tenths_text(tenths: u32) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        d => format!("{}.{d}", tenths / 10),
    }
}

/// An amount typed with at most one decimal (`2,5`, `3`) in tenths.
pub fn parse_tenths(text: &str) -> Option<u32> {
    let cleaned = text.trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 6 || !digits(whole) || fraction.len() > 1 {
        return None;
    }
    if !digits(fraction) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let fraction: u32 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    Some(whole * 10 + fraction)
}

/// A shelf life in days, if plausible.
pub fn check_shelf_life(days: u32) -> Result<u32, NutritionError> {
    if (1..=MAX_SHELF_LIFE_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(NutritionError::ShelfLife)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Frozen green beans, per 85 g.
    pub fn beans() -> Nutrition {
        Nutrition {
            serving_g: 85,
            calories: 25,
            fat_dg: 1,
            saturated_dg: 0,
            trans_dg: 0,
            carbohydrate_dg: 60,
            fibre_dg: 25,
            sugars_dg: 10,
            protein_dg: 15,
            cholesterol_mg: 0,
            sodium_mg: 5,
            potassium_mg: 160,
            calcium_mg: 35,
            iron_dmg: 8,
        }
    }

    #[test]
    fn a_real_table_passes_and_round_trips_as_json() {
        let table = beans().checked().expect("valid");
        let json = serde_json::to_string(&table).expect("json");
        assert_eq!(
            serde_json::from_str::<Nutrition>(&json).expect("back"),
            table
        );
        assert_eq!(Nutrition::from_values(table.values()), table);
        assert!(json.contains("\"saturated_dg\":0,\"trans_dg\":0"), "{json}");
    }

    #[test]
    fn a_stored_combined_saturated_and_trans_value_reads_as_saturated() {
        let stored = r#"{"serving_g":85,"calories":70,"fat_dg":5,"saturated_trans_dg":3,
            "carbohydrate_dg":120,"fibre_dg":40,"sugars_dg":30,"protein_dg":45,"cholesterol_mg":0,
            "sodium_mg":60,"potassium_mg":150,"calcium_mg":20,"iron_dmg":10}"#;
        let table: Nutrition = serde_json::from_str(stored).expect("a stored row still loads");
        assert_eq!((table.saturated_dg, table.trans_dg), (3, 0));
        assert_eq!(table.checked(), Ok(table));
        let written = serde_json::to_string(&table).expect("json");
        assert!(!written.contains("saturated_trans_dg"), "{written}");
    }

    #[test]
    fn impossible_tables_are_refused() {
        let cases = [
            (
                Nutrition {
                    serving_g: 0,
                    ..beans()
                },
                NutritionError::Serving,
            ),
            (
                Nutrition {
                    saturated_dg: 2,
                    ..beans()
                },
                NutritionError::SaturatedOverFat,
            ),
            (
                Nutrition {
                    fat_dg: 10,
                    saturated_dg: 6,
                    trans_dg: 5,
                    ..beans()
                },
                NutritionError::SaturatedOverFat,
            ),
            (
                Nutrition {
                    trans_dg: 10_001,
                    ..beans()
                },
                NutritionError::OutOfRange("trans fat"),
            ),
            (
                Nutrition {
                    sugars_dg: 40,
                    ..beans()
                },
                NutritionError::PartsOverCarbohydrate,
            ),
            (
                Nutrition {
                    carbohydrate_dg: 900,
                    ..beans()
                },
                NutritionError::OverServing,
            ),
            (
                Nutrition {
                    sodium_mg: 100_001,
                    ..beans()
                },
                NutritionError::OutOfRange("sodium"),
            ),
        ];
        for (table, expected) in cases {
            assert_eq!(table.checked(), Err(expected));
        }
        let fat_parts = Nutrition {
            fat_dg: 10,
            saturated_dg: 6,
            trans_dg: 4,
            ..beans()
        };
        assert_eq!(
            fat_parts.checked(),
            Ok(fat_parts),
            "equal to the fat is possible"
        );
        assert_eq!(
            NutritionError::SaturatedOverFat.fields(),
            ["saturated_dg", "trans_dg"]
        );
        assert_eq!(
            NutritionError::OutOfRange("trans fat").fields(),
            ["trans_dg"]
        );
        assert_eq!(NutritionError::OutOfRange("iron").fields(), ["iron_dmg"]);
        assert_eq!(check_shelf_life(0), Err(NutritionError::ShelfLife));
        assert_eq!(check_shelf_life(365), Ok(365));
    }

    proptest! {
        #[test]
        fn tenths_read_back(tenths in 0u32..1_000_000) {
            prop_assert_eq!(parse_tenths(&tenths_text(tenths)), Some(tenths));
            prop_assert_eq!(parse_tenths(&tenths_text(tenths).replace('.', ",")), Some(tenths));
        }
    }
}
