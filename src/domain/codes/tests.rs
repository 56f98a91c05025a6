//! The decoding table: one row per kind of code a kiosk meets, good and broken.

use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn gtin(text: &str) -> ProductKey {
    ProductKey::Gtin(text.parse().unwrap())
}

/// The day the tests read labels on (GS1 dates take their century from it).
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn product_of(raw: &str) -> ProductScan {
    match decode(raw) {
        Ok(Scan::Product(p)) => p,
        other => panic!("{raw:?} gave {other:?}"),
    }
}

#[rstest]
#[case("4006381333931", CodeFormat::Ean13, "04006381333931")]
#[case("036000291452", CodeFormat::UpcA, "00036000291452")]
#[case("96385074", CodeFormat::Ean8, "00000096385074")]
#[case("10614141000415", CodeFormat::Gtin14, "10614141000415")]
#[case("4006381333931\r\n", CodeFormat::Ean13, "04006381333931")]
#[case("4006381333931\r", CodeFormat::Ean13, "04006381333931")]
#[case("]E04006381333931", CodeFormat::Ean13, "04006381333931")]
#[case(
    "]C10109506000134352\u{1d}10LOT7",
    CodeFormat::Gs1ElementString,
    "09506000134352"
)]
#[case(
    "]d2\u{1d}0109506000134352",
    CodeFormat::Gs1ElementString,
    "09506000134352"
)]
#[case("]Q30109506000134352", CodeFormat::Gs1ElementString, "09506000134352")]
#[case("]e00109506000134352", CodeFormat::Gs1ElementString, "09506000134352")]
#[case(
    "010950600013435210LOT7",
    CodeFormat::Gs1ElementString,
    "09506000134352"
)]
#[case(
    "(01)09506000134352(10)LOT7",
    CodeFormat::Gs1ElementString,
    "09506000134352"
)]
#[case(
    "https://congelo.example/01/09506000134352/10/LOT7",
    CodeFormat::Gs1DigitalLink,
    "09506000134352"
)]
#[case(
    "]Q1https://x.example/01/09506000134352",
    CodeFormat::Gs1DigitalLink,
    "09506000134352"
)]
#[case(
    "]Q3https://x.example/01/09506000134352",
    CodeFormat::Gs1DigitalLink,
    "09506000134352"
)]
fn product_codes(#[case] raw: &str, #[case] format: CodeFormat, #[case] gtin14: &str) {
    let scan = product_of(raw);
    assert_eq!((scan.format, scan.key), (format, gtin(gtin14)));
}

#[test]
fn gs1_label_of_the_collective_gives_the_whole_lot() {
    let scan = product_of("]C10109506000134352112611201527053110L2611-07\u{1d}3103000750");
    assert_eq!(scan.symbology.as_deref(), Some("]C1"));
    assert_eq!(scan.lot.lot.as_deref(), Some("L2611-07"));
    assert_eq!(
        scan.lot.produced(today()),
        NaiveDate::from_ymd_opt(2026, 11, 20)
    );
    assert_eq!(
        scan.lot.use_by(today()),
        NaiveDate::from_ymd_opt(2027, 5, 31)
    );
    assert_eq!(scan.lot.net_weight_g, Some(750));
}

#[test]
fn a_label_from_last_century_reads_as_last_century() {
    let scan = product_of("]C10109506000134352\u{1d}17991231");
    assert_eq!(
        scan.lot.use_by(today()),
        NaiveDate::from_ymd_opt(1999, 12, 31)
    );
}

#[test]
fn digital_link_carries_lot_and_dates_in_the_query() {
    let scan = product_of("https://congelo.example/01/09506000134352/10/L7?17=270600");
    assert_eq!(scan.lot.lot.as_deref(), Some("L7"));
    assert_eq!(
        scan.lot.use_by(today()),
        NaiveDate::from_ymd_opt(2027, 6, 30)
    );
}

#[rstest]
#[case("CGP42", "CGP42")]
#[case("cgpbrocoli1", "CGPBROCOLI1")]
fn internal_codes(#[case] raw: &str, #[case] key: &str) {
    let scan = product_of(raw);
    assert_eq!(scan.key, ProductKey::Internal(key.into()));
    assert_eq!(scan.format, CodeFormat::Internal);
}

#[test]
fn payloads_decode_to_their_kind() {
    for kind in PayloadKind::ALL {
        let payload = Payload::new(kind, [7; SECRET_BYTES]);
        assert_eq!(
            decode(&payload.encode()),
            Ok(Scan::Payload(payload.clone()))
        );
        assert_eq!(
            decode(&format!("{}\r\n", payload.encode())),
            Ok(Scan::Payload(payload))
        );
    }
}

#[rstest]
#[case("", DecodeError::Empty)]
#[case("\r\n", DecodeError::Empty)]
#[case("]E0", DecodeError::Empty)]
#[case("hello", DecodeError::Unrecognised)]
#[case("]", DecodeError::Unrecognised)]
#[case("4006381333932", DecodeError::Gtin(GtinError::BadCheckDigit { expected: 1, found: 2 }))]
#[case("1234567", DecodeError::Gtin(GtinError::BadLength(7)))]
#[case("400638133393\u{7}", DecodeError::ControlCharacter)]
#[case("CGP", DecodeError::BadInternalCode)]
#[case("CGP-12", DecodeError::BadInternalCode)]
#[case("CGC1ABC", DecodeError::Payload(PayloadError::WrongLength(7)))]
#[case("]C1(01)09506000134352(10)", DecodeError::Gs1(Gs1Error::Truncated { ai: "10".into() }))]
#[case("]C11709506", DecodeError::Gs1(Gs1Error::Truncated { ai: "17".into() }))]
#[case("]C110LOT", DecodeError::Gs1(Gs1Error::MissingGtin))]
#[case(
    "https://example.com/products/42",
    DecodeError::DigitalLink(DigitalLinkError::NoGtin)
)]
fn broken_codes_say_what_is_wrong(#[case] raw: &str, #[case] error: DecodeError) {
    assert_eq!(decode(raw), Err(error));
}

#[test]
fn an_overlong_scan_is_refused_before_parsing() {
    let long = "1".repeat(MAX_SCAN_LEN + 1);
    assert_eq!(decode(&long), Err(DecodeError::TooLong(MAX_SCAN_LEN + 1)));
}

#[test]
fn a_card_never_reads_as_a_product_nor_a_product_as_a_card() {
    let card = Payload::new(PayloadKind::Card, [0; SECRET_BYTES]).encode();
    assert!(matches!(decode(&card), Ok(Scan::Payload(_))));
    assert!(matches!(decode("4006381333931"), Ok(Scan::Product(_))));
    assert!(matches!(decode("CGP1"), Ok(Scan::Product(_))));
}

proptest! {
    #[test]
    fn decoding_never_panics_on_any_text(raw in "\\PC{0,80}") {
        let _ = decode(&raw);
    }

    #[test]
    fn decoding_never_panics_on_code_like_text(raw in "(\\]..)?[0-9()\\x1d]{0,60}") {
        let _ = decode(&raw);
    }

    #[test]
    fn decoding_never_panics_on_link_like_text(raw in "https?://[a-z.]{0,10}(/[0-9a-zA-Z%]{0,16}){0,6}(\\?[0-9a-z=&%]{0,20})?") {
        let _ = decode(&raw);
    }

    #[test]
    fn decoding_never_panics_on_payload_like_text(raw in "[cC][gG][A-Za-z0-9]{0,40}") {
        let _ = decode(&raw);
    }

    #[test]
    fn every_valid_ean13_decodes(body in "[0-9]{12}") {
        let code = format!("{body}{}", check_digit(&body.bytes().map(|b| b - b'0').collect::<Vec<_>>()));
        prop_assert!(matches!(decode(&code), Ok(Scan::Product(_))));
    }

    #[test]
    fn gs1_labels_round_trip(lot in "[A-Z0-9-]{1,20}", year in 20u32..50, month in 1u32..=12, day in 1u32..=28) {
        let date = format!("{year:02}{month:02}{day:02}");
        let raw = format!("]C10109506000134352\u{1d}10{lot}\u{1d}15{date}");
        let scan = product_of(&raw);
        prop_assert_eq!(scan.lot.lot.clone(), Some(lot));
        prop_assert_eq!(scan.lot.use_by(today()), NaiveDate::from_ymd_opt(2000 + year as i32, month, day));
    }
}
