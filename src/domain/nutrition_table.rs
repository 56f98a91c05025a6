//! The rows of the bilingual Canadian Nutrition Facts table, from a product's values per serving.
//!
//! Staff enter the values on the product's label page ([`super::nutrition::Nutrition`], stored as
//! JSON in tenths and milligrams); a pack label prints them as the
//! « Nutrition Facts / Valeur nutritive » table when the label is large enough, in the order and
//! with the bilingual names of the standard bilingual format of the Food and Drug Regulations
//! (B.01.401, B.01.450 and the Directory of Nutrition Facts Table Formats): English first, then
//! French. The % daily values use the daily values of those regulations (fat 75 g, saturated and
//! trans 20 g, fibre 28 g, sugars 100 g, sodium 2 300 mg, potassium 3 400 mg, calcium 1 300 mg,
//! iron 18 mg); carbohydrate, protein and cholesterol have no % daily value in the table.
//!
//! Saturated and trans fat are two lines, « Saturated / saturés » and « + Trans / trans », under
//! the fat, with one % daily value for their sum set beside the two lines. They are rounded as
//! the table following B.01.401 sets out for saturated and trans fatty acids: under 0.5 g, 0 g when
//! the food meets the conditions of the matching "free of" claim (table following B.01.513) and
//! the nearest 0.1 g otherwise; from 0.5 g to 5 g, the nearest 0.5 g; over 5 g, the nearest gram.
//! Those conditions are checked per serving of stated size (the hub knows no other reference
//! amount): "free of saturated fatty acids", less than 0.2 g saturated and less than 0.2 g trans;
//! "free of trans fatty acids", less than 0.2 g trans and "low in saturated fatty acids" (2 g or
//! less of saturated plus trans, providing 15 % or less of the energy). The combined % daily value
//! is the sum of the two amounts as printed over 20 g, to the nearest 1 %. The fat follows the
//! same steps, 0 g meaning under 0.5 g ("free of fat"), and its % daily value is that of the
//! amount printed. The other lines keep a simpler rounding: whole units from 5 up, one decimal
//! below.

use serde::{Deserialize, Serialize};

use super::nutrition::Nutrition;

/// The values of a Nutrition Facts table, per serving, in the units the table prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NutritionFacts {
    /// As printed after « Per / par », e.g. `125 mL (85 g)`.
    pub serving_size: String,
    pub calories: f64,
    pub fat_g: f64,
    pub saturated_g: f64,
    pub trans_g: f64,
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
/// how it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NutritionRow {
    pub label: &'static str,
    pub amount: String,
    pub daily_value: Option<String>,
    /// Whether `daily_value` is that of this line and the next one together (saturated + trans):
    /// it is then printed once, right-aligned and centred vertically on the two lines.
    pub daily_value_spans_next: bool,
    /// Indented under the line above.
    pub indented: bool,
    pub bold: bool,
    /// Whether a thin rule follows the line (none inside the fat, saturated and trans group).
    pub rule_after: bool,
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
    Some(format!(
        "{} %",
        grid(value.max(0.0) / daily * 100.0).round()
    ))
}

/// Daily value of saturated plus trans fat, in grams.
const SATURATED_TRANS_DAILY_G: f64 = 20.0;

/// A fat, saturated or trans fat amount in grams as the table declares it (see the module's doc):
/// `free` says whether the food meets the conditions of the matching "free of" claim.
fn fatty_acid_g(value: f64, free: bool) -> f64 {
    let value = grid(value.max(0.0));
    if value < 0.5 {
        if free {
            0.0
        } else {
            (value * 10.0).round() / 10.0
        }
    } else if value <= 5.0 {
        (value * 2.0).round() / 2.0
    } else {
        value.round()
    }
}

/// `grams` on a tenth-of-a-milligram grid, so sums of tenths (0.1 + 0.2) compare as typed.
fn grid(grams: f64) -> f64 {
    (grams * 10_000.0).round() / 10_000.0
}

/// Grams as printed: `0 g`, `0.3 g`, `2.5 g`, `7 g`.
fn grams_text(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0} g")
    } else {
        format!("{value:.1} g")
    }
}

impl NutritionFacts {
    /// "Free of saturated fatty acids", per serving: less than 0.2 g saturated and less than
    /// 0.2 g trans.
    fn free_of_saturated(&self) -> bool {
        grid(self.saturated_g) < 0.2 && grid(self.trans_g) < 0.2
    }

    /// "Free of trans fatty acids", per serving: less than 0.2 g trans, and low in saturated
    /// fatty acids (saturated plus trans 2 g or less and 15 % or less of the energy: at 9 Calories
    /// a gram, 60 times the grams at most the Calories).
    fn free_of_trans(&self) -> bool {
        let sum = grid(self.saturated_g + self.trans_g);
        grid(self.trans_g) < 0.2 && sum <= 2.0 && sum * 60.0 <= self.calories.max(0.0)
    }

    /// The saturated and the trans fat as declared, in grams.
    pub fn saturated_trans_declared(&self) -> (f64, f64) {
        (
            fatty_acid_g(self.saturated_g, self.free_of_saturated()),
            fatty_acid_g(self.trans_g, self.free_of_trans()),
        )
    }

    /// The table's lines below « Calories », in the regulated order.
    pub fn rows(&self) -> Vec<NutritionRow> {
        let row = |label, amount, daily_value, indented, bold| NutritionRow {
            label,
            amount,
            daily_value,
            daily_value_spans_next: false,
            indented,
            bold,
            rule_after: true,
        };
        let (saturated, trans) = self.saturated_trans_declared();
        // "Free of fat": less than 0.5 g a serving.
        let fat = fatty_acid_g(self.fat_g, grid(self.fat_g) < 0.5);
        vec![
            NutritionRow {
                rule_after: false,
                ..row(
                    "Fat / Lipides",
                    grams_text(fat),
                    percent(fat, 75.0),
                    false,
                    true,
                )
            },
            NutritionRow {
                daily_value_spans_next: true,
                rule_after: false,
                ..row(
                    "Saturated / saturés",
                    grams_text(saturated),
                    percent(saturated + trans, SATURATED_TRANS_DAILY_G),
                    true,
                    false,
                )
            },
            row("+ Trans / trans", grams_text(trans), None, true, false),
            row(
                "Carbohydrate / Glucides",
                amount(self.carbohydrate_g, "g"),
                None,
                false,
                true,
            ),
            row(
                "Fibre / Fibres",
                amount(self.fibre_g, "g"),
                percent(self.fibre_g, 28.0),
                true,
                false,
            ),
            row(
                "Sugars / Sucres",
                amount(self.sugars_g, "g"),
                percent(self.sugars_g, 100.0),
                true,
                false,
            ),
            row(
                "Protein / Protéines",
                amount(self.protein_g, "g"),
                None,
                false,
                true,
            ),
            row(
                "Cholesterol / Cholestérol",
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
                "Iron / Fer",
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
            saturated_g: tenths(n.saturated_dg),
            trans_g: tenths(n.trans_dg),
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

    fn stored() -> Nutrition {
        Nutrition {
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
        }
    }

    #[test]
    fn rows_follow_the_table_and_compute_daily_values() {
        let facts = NutritionFacts::from(&stored());
        assert_eq!(facts.serving_size, "85 g");
        let rows = facts.rows();
        let labels: Vec<&str> = rows.iter().map(|r| r.label).collect();
        assert_eq!(
            labels,
            [
                "Fat / Lipides",
                "Saturated / saturés",
                "+ Trans / trans",
                "Carbohydrate / Glucides",
                "Fibre / Fibres",
                "Sugars / Sucres",
                "Protein / Protéines",
                "Cholesterol / Cholestérol",
                "Sodium",
                "Potassium",
                "Calcium",
                "Iron / Fer",
            ]
        );
        assert_eq!(rows[0].amount, "0 g", "0.2 g of fat is free of fat");
        assert_eq!(
            rows[4].daily_value.as_deref(),
            Some("11 %"),
            "fibre, 3 g of 28 g"
        );
        assert_eq!(rows[8].amount, "46 mg");
        assert_eq!(rows[8].daily_value.as_deref(), Some("2 %"));
        assert_eq!(rows[11].amount, "1 mg");
        assert_eq!(facts.calories_text(), "35");
    }

    #[test]
    fn fat_follows_the_steps_of_the_table() {
        // (fat in tenths of a gram) → (printed, % daily value of 75 g)
        let cases = [
            (0, "0 g", "0 %"),
            (4, "0 g", "0 %"),
            (5, "0.5 g", "1 %"),
            (9, "1 g", "1 %"),
            (27, "2.5 g", "3 %"),
            (50, "5 g", "7 %"),
            (53, "5 g", "7 %"),
            (56, "6 g", "8 %"),
            (125, "13 g", "17 %"),
        ];
        for (fat_dg, printed, daily) in cases {
            let facts = NutritionFacts::from(&Nutrition {
                fat_dg,
                calories: 200,
                ..stored()
            });
            let fat = &facts.rows()[0];
            assert_eq!(fat.amount, printed, "{fat_dg} tenths of a gram");
            assert_eq!(fat.daily_value.as_deref(), Some(daily), "{fat_dg}");
        }
    }

    #[test]
    fn saturated_and_trans_are_two_lines_with_one_daily_value() {
        let facts = NutritionFacts::from(&Nutrition {
            fat_dg: 25,
            saturated_dg: 6,
            trans_dg: 1,
            ..stored()
        });
        let rows = facts.rows();
        let (fat, saturated, trans) = (&rows[0], &rows[1], &rows[2]);
        assert!(fat.bold && !fat.indented && !fat.rule_after);
        assert!(!saturated.bold && saturated.indented && !saturated.rule_after);
        assert!(!trans.bold && trans.indented && trans.rule_after);
        assert_eq!(saturated.amount, "0.5 g", "0.6 g to the nearest 0.5 g");
        assert_eq!(
            trans.amount, "0.1 g",
            "not free of trans: 0.7 g is 18 % of 35 Calories"
        );
        assert!(saturated.daily_value_spans_next);
        assert_eq!(
            saturated.daily_value.as_deref(),
            Some("3 %"),
            "(0.5 g + 0.1 g) of 20 g"
        );
        assert_eq!(trans.daily_value, None);
        assert!(rows.iter().filter(|r| r.daily_value_spans_next).count() == 1);
    }

    /// (saturated g, trans g, Calories) → (saturated, trans, % daily value) as printed.
    #[test]
    fn saturated_and_trans_follow_the_rounding_rules() {
        let cases = [
            // Free of saturated fatty acids (both under 0.2 g) and of trans: 0 g.
            ((0.1, 0.1, 35.0), ("0 g", "0 g", "0 %")),
            ((0.0, 0.0, 0.0), ("0 g", "0 g", "0 %")),
            // 0.2 g saturated is not "free of": nearest 0.1 g; trans 0.1 g is free of trans.
            ((0.2, 0.1, 35.0), ("0.2 g", "0 g", "1 %")),
            ((0.4, 0.0, 35.0), ("0.4 g", "0 g", "2 %")),
            // Trans under 0.2 g but saturated over 2 g: not low in saturated, so not free of trans.
            ((2.5, 0.1, 300.0), ("2.5 g", "0.1 g", "13 %")),
            // Low in saturated needs 15 % or less of the energy: 0.5 g is 4.5 of 30 Calories.
            ((0.4, 0.1, 30.0), ("0.4 g", "0 g", "2 %")),
            ((0.4, 0.1, 29.0), ("0.4 g", "0.1 g", "3 %")),
            // 0.5 g to 5 g: nearest 0.5 g; over 5 g: nearest gram.
            ((0.7, 0.2, 200.0), ("0.5 g", "0.2 g", "4 %")),
            ((0.8, 0.5, 200.0), ("1 g", "0.5 g", "8 %")),
            ((4.8, 0.0, 500.0), ("5 g", "0 g", "25 %")),
            ((5.0, 1.2, 500.0), ("5 g", "1 g", "30 %")),
            ((5.4, 0.0, 500.0), ("5 g", "0 g", "25 %")),
            ((5.5, 0.0, 500.0), ("6 g", "0 g", "30 %")),
            ((12.3, 6.6, 900.0), ("12 g", "7 g", "95 %")),
        ];
        for ((saturated_g, trans_g, calories), (sat, trans, dv)) in cases {
            let facts = NutritionFacts {
                calories,
                fat_g: saturated_g + trans_g,
                saturated_g,
                trans_g,
                ..NutritionFacts::default()
            };
            let rows = facts.rows();
            assert_eq!(
                (
                    rows[1].amount.as_str(),
                    rows[2].amount.as_str(),
                    rows[1].daily_value.as_deref()
                ),
                (sat, trans, Some(dv)),
                "{saturated_g} g saturated, {trans_g} g trans, {calories} Calories"
            );
        }
    }

    #[test]
    fn missing_values_read_as_zero() {
        let facts = NutritionFacts::from(&Nutrition::default());
        let rows = facts.rows();
        assert_eq!(rows[11].amount, "0 mg");
        assert_eq!(
            (rows[1].amount.as_str(), rows[2].amount.as_str()),
            ("0 g", "0 g")
        );
    }
}
