use chrono::NaiveDate;
use rstest::rstest;

use super::*;
use crate::domain::codes::{self, GS, ProductKey, Scan};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[rstest]
#[case(date(2027, 5, 1), "27 MA 01")]
#[case(date(2026, 1, 31), "26 JA 31")]
#[case(date(2026, 4, 9), "26 AL 09")]
#[case(date(2030, 6, 15), "30 JN 15")]
#[case(date(2030, 7, 15), "30 JL 15")]
#[case(date(2031, 12, 25), "31 DE 25")]
fn best_before_is_year_month_day_with_bilingual_months(#[case] day: NaiveDate, #[case] text: &str) {
    assert_eq!(best_before_text(day), text);
}

#[test]
fn net_quantity_is_metric() {
    assert_eq!(net_quantity(500), "500 g");
    assert_eq!(net_quantity(1500), "1500 g");
    assert_eq!(net_quantity(2000), "2 kg");
}

fn sample() -> Gs1Data {
    let gtin = restricted_number("04", 17).expect("valid prefix");
    Gs1Data::new(gtin, "K1-260501-03", date(2027, 5, 1), 500).expect("valid data")
}

#[test]
fn element_string_puts_the_lot_last_and_needs_no_separator() {
    let data = sample();
    assert_eq!(
        data.element_string(),
        "0100400000000176152705013103000500".to_owned() + "10K1-260501-03"
    );
    assert_eq!(
        data.human_lines(),
        [
            "(01) 00400000000176",
            "(15) 270501",
            "(3103) 000500",
            "(10) K1-260501-03"
        ]
    );
}

/// What the kiosk makes of the label's code, however the scanner sends it.
#[rstest]
#[case::datamatrix_with_symbology("]d2")]
#[case::without_symbology("")]
fn the_kiosk_decoder_reads_what_is_printed(#[case] symbology: &str) {
    let data = sample();
    for text in [
        format!("{symbology}{}", data.element_string()),
        format!("{symbology}{GS}{}", data.element_string()),
        data.bracketed(),
    ] {
        let Ok(Scan::Product(scan)) = codes::decode(&text) else {
            panic!("{text:?} does not decode as a pack");
        };
        assert_eq!(scan.key, ProductKey::Gtin(data.gtin));
        assert_eq!(scan.lot.lot.as_deref(), Some("K1-260501-03"));
        assert_eq!(scan.lot.use_by(date(2026, 5, 1)), Some(date(2027, 5, 1)));
        assert_eq!(scan.lot.net_weight_g, Some(500));
    }
}

#[test]
fn restricted_numbers_have_their_prefix_and_check_digit() {
    let gtin = restricted_number("04", 17).expect("valid");
    assert_eq!(gtin.as_gtin14(), "00400000000176");
    assert_eq!(restricted_serial("04", &gtin), Some(17));
    assert_eq!(restricted_serial("29", &gtin), None);
    let gtin = restricted_number("2912", 1).expect("valid");
    assert_eq!(&gtin.as_gtin14()[..6], "029120");
    assert!(restricted_number("03", 1).is_err());
    assert!(restricted_number("0x", 1).is_err());
    assert_eq!(
        restricted_number("04", 10_000_000_000),
        Err(LabelError::PrefixFull("04".into()))
    );
}

#[rstest]
#[case("", 500)]
#[case("LOT WITH SPACE", 500)]
#[case("ABCDEFGHIJKLMNOPQRSTU", 500)]
#[case("K1#2", 500)]
#[case("K1", 0)]
#[case("K1", 1_000_000)]
fn values_that_do_not_fit_gs1_are_refused(#[case] lot: &str, #[case] grams: u32) {
    let gtin = restricted_number("04", 1).expect("valid");
    assert!(Gs1Data::new(gtin, lot, date(2027, 5, 1), grams).is_err());
}

fn input() -> LabelInput {
    LabelInput {
        name_fr: Some("Haricots verts".into()),
        name_en: Some("Green beans".into()),
        net_weight_g: 500,
        gtin: restricted_number("04", 17).expect("valid"),
        lot: "K1-260501-03".into(),
        best_before: date(2027, 5, 1),
        ingredients: Some(Bilingual {
            fr: "haricots verts".into(),
            en: "green beans".into(),
        }),
        allergens: Some(Bilingual {
            fr: String::new(),
            en: " ".into(),
        }),
        nutrition: None,
    }
}

fn packer() -> Packer {
    Packer {
        name: "Congélo".into(),
        address: "1 rue du Marché, Montréal QC H2X 1A1".into(),
    }
}

#[test]
fn content_holds_every_mandatory_line() {
    let label = LabelContent::new(input(), packer()).expect("valid");
    assert_eq!(label.name.joined(), "Haricots verts / Green beans");
    assert_eq!(label.net_quantity, "500 g");
    assert_eq!(
        label.best_before_line(),
        "Meilleur avant / Best before 27 MA 01"
    );
    assert_eq!(
        label.ingredients_line().as_deref(),
        Some("Ingrédients : haricots verts / Ingredients: green beans")
    );
    assert_eq!(
        label.allergens_line(),
        None,
        "blank allergens print nothing"
    );
}

#[test]
fn a_name_missing_in_one_language_is_refused() {
    let mut missing = input();
    missing.name_en = None;
    assert_eq!(
        LabelContent::new(missing, packer()),
        Err(LabelError::MissingName("English"))
    );
}
