//! The rows of the bilingual Canadian Nutrition Facts table, from a product's values per serving.
//!
//! Staff enter the values on the product's label page ([`super::nutrition::Nutrition`], stored as
//! JSON in tenths and milligrams); a pack label prints them as the
//! « Valeur nutritive / Nutrition Facts » table when the label is large enough. The % daily values
//! use the daily values of the Food and Drug Regulations (fat 75 g, saturated and trans 20 g,
//! fibre 28 g, sugars 100 g, sodium 2 300 mg, potassium 3 400 mg, calcium 1 300 mg, iron 18 mg);
//! carbohydrate, protein and cholesterol have no % daily value in the table.

use serde::{Deserialize, Serialize};

use super::nutrition::Nutrition;

/// The values of a Nutrition Facts table, per serving, in the units the table prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NutritionFacts {
    /// As printed after « Par / Per », e.g. `125 mL (85 g)`.
    pub serving_size: String,
    pub calories: f64,
    pub fat_g: f64,
    /// Saturated plus trans fat: the table gives them one % daily value.
    pub saturated_trans_g: f64,
    pub carbohydrate_g: f64,
    pub fibre_g: f64,
    pub sugars_g: f64,
    pub protein_g: f64,
    pub cholesterol_mg: f64,
    pub sodium_mg: f64,
    pub potassium_mg: f64,
    pub calcium_mg: f64,
    pub iron_mg: f64,
}

/// One line of the table: its bilingual label, the amount, the % daily value if it has one, and
/// whether it is indented under the line above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NutritionRow {
    pub label: &'static str,
    pub amount: String,
    pub daily_value: Option<String>,
    pub indented: bool,
    pub bold: bool,
}

fn amount(value: f64, unit: &str) -> String {
    let value = value.max(0.0);
    if value >= 5.0 || value.fract() == 0.0 {
        format!("{} {unit}", value.round())
    } else {
        format!("{value:.1} {unit}")
    }
}

fn percent(value: f64, daily: f64) -> Option<String> {
    Some(format!("{} %", (value.max(0.0) / daily * 100.0).round()))
}

impl NutritionFacts {
    /// The table's lines below « Calories », in the regulated order.
    pub fn rows(&self) -> Vec<NutritionRow> {
        let row = |label, amount, daily_value, indented, bold| NutritionRow {
            label,
            amount,
            daily_value,
            indented,
            bold,
        };
        vec![
            row(
                "Lipides / Fat",
                amount(self.fat_g, "g"),
                percent(self.fat_g, 75.0),
                false,
                true,
            ),
            row(
                "saturés + trans / Saturated + Trans",
                amount(self.saturated_trans_g, "g"),
                percent(self.saturated_trans_g, 20.0),
                true,
                false,
            ),
            row(
                "Glucides / Carbohydrate",
                amount(self.carbohydrate_g, "g"),
                None,
                false,
                true,
            ),
            row(
                "Fibres / Fibre",
                amount(self.fibre_g, "g"),
                percent(self.fibre_g, 28.0),
                true,
                false,
            ),
            row(
                "Sucres / Sugars",
                amount(self.sugars_g, "g"),
                percent(self.sugars_g, 100.0),
                true,
                false,
            ),
            row(
                "Protéines / Protein",
                amount(self.protein_g, "g"),
                None,
                false,
                true,
            ),
            row(
                "Cholestérol / Cholesterol",
                amount(self.cholesterol_mg, "mg"),
                None,
                false,
                true,
            ),
            row(
                "Sodium",
                amount(self.sodium_mg, "mg"),
                percent(self.sodium_mg, 2300.0),
                false,
                true,
            ),
            row(
                "Potassium",
                amount(self.potassium_mg, "mg"),
                percent(self.potassium_mg, 3400.0),
                false,
                true,
            ),
            row(
                "Calcium",
                amount(self.calcium_mg, "mg"),
                percent(self.calcium_mg, 1300.0),
                false,
                true,
            ),
            row(
                "Fer / Iron",
                amount(self.iron_mg, "mg"),
                percent(self.iron_mg, 18.0),
                false,
                true,
            ),
        ]
    }

    /// The calories, rounded as printed.
    pub fn calories_text(&self) -> String {
        format!("{}", self.calories.max(0.0).round())
    }
}

impl From<&Nutrition> for NutritionFacts {
    fn from(n: &Nutrition) -> NutritionFacts {
        let tenths = |v: u32| f64::from(v) / 10.0;
        NutritionFacts {
            serving_size: format!("{} g", n.serving_g),
            calories: f64::from(n.calories),
            fat_g: tenths(n.fat_dg),
            saturated_trans_g: tenths(n.saturated_trans_dg),
            carbohydrate_g: tenths(n.carbohydrate_dg),
            fibre_g: tenths(n.fibre_dg),
            sugars_g: tenths(n.sugars_dg),
            protein_g: tenths(n.protein_dg),
            cholesterol_mg: f64::from(n.cholesterol_mg),
            sodium_mg: f64::from(n.sodium_mg),
            potassium_mg: f64::from(n.potassium_mg),
            calcium_mg: f64::from(n.calcium_mg),
            iron_mg: tenths(n.iron_dmg),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_table_and_compute_daily_values() {
        let stored = Nutrition {
            serving_g: 85,
            calories: 35,
            fat_dg: 2,
            carbohydrate_dg: 70,
            fibre_dg: 30,
            sugars_dg: 20,
            protein_dg: 20,
            sodium_mg: 46,
            potassium_mg: 170,
            calcium_mg: 40,
            iron_dmg: 10,
            ..Nutrition::default()
        };
        let facts = NutritionFacts::from(&stored);
        assert_eq!(facts.serving_size, "85 g");
        let rows = facts.rows();
        assert_eq!(rows.len(), 11);
        assert_eq!(rows[0].amount, "0.2 g");
        assert_eq!(rows[1].label, "saturés + trans / Saturated + Trans");
        assert_eq!(
            rows[3].daily_value.as_deref(),
            Some("11 %"),
            "fibre, 3 g of 28 g"
        );
        assert_eq!(rows[7].amount, "46 mg");
        assert_eq!(rows[7].daily_value.as_deref(), Some("2 %"));
        assert_eq!(rows[10].amount, "1 mg");
        assert_eq!(facts.calories_text(), "35");
    }

    #[test]
    fn missing_values_read_as_zero() {
        let facts = NutritionFacts::from(&Nutrition::default());
        assert_eq!(facts.rows()[10].amount, "0 mg");
    }
}
