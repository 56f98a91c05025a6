use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::domain::{ProductId, SiteId};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

#[test]
fn lot_codes_are_dated_numbered_and_checked() {
    let code = lot_code(day(2026, 12, 5), 3).expect("code");
    assert_eq!(code.len(), 11);
    assert!(code.starts_with("L261205-03"), "{code}");
    assert_eq!(read_lot_code(&code), Some((day(2026, 12, 5), 3)));
    assert_eq!(
        read_lot_code(&code.to_lowercase()),
        Some((day(2026, 12, 5), 3))
    );
    assert_eq!(
        lot_code(day(2026, 12, 5), 0),
        Err(KitchenError::DayFull(day(2026, 12, 5)))
    );
    assert!(lot_code(day(2026, 12, 5), 100).is_err());
    assert!(lot_code(day(1999, 12, 5), 1).is_err());
    for bad in [
        "",
        "L261205-03",
        "X261205-03A",
        "L261305-03A",
        "L2612a5-03A",
        "L261205_03A",
    ] {
        assert_eq!(read_lot_code(bad), None, "{bad}");
    }
    // Only GS1 AI (10) characters: upper-case letters, digits, '-'.
    assert!(
        code.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    );
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..36_500).prop_map(|n| day(2000, 1, 1) + chrono::Days::new(n as u64))
}

proptest! {
    #[test]
    fn a_lot_code_reads_back(date in any_day(), number in 1u32..=99) {
        let code = lot_code(date, number).unwrap();
        prop_assert_eq!(read_lot_code(&code), Some((date, number)));
    }

    #[test]
    fn lot_codes_of_different_batches_differ(
        a in any_day(), n in 1u32..=99, b in any_day(), m in 1u32..=99,
    ) {
        prop_assume!((a, n) != (b, m));
        prop_assert_ne!(lot_code(a, n).unwrap(), lot_code(b, m).unwrap());
    }

    #[test]
    fn codes_sort_by_date_then_number(a in any_day(), n in 1u32..=99, b in any_day(), m in 1u32..=99) {
        let (x, y) = (lot_code(a, n).unwrap(), lot_code(b, m).unwrap());
        prop_assert_eq!((a, n).cmp(&(b, m)), x[..10].cmp(&y[..10]));
    }

    #[test]
    fn one_wrong_digit_is_caught(date in any_day(), number in 1u32..=99, at in 0usize..8, to in 0u8..10) {
        let code = lot_code(date, number).unwrap();
        let position = if at < 6 { 1 + at } else { 2 + at };
        let mut bytes = code.clone().into_bytes();
        prop_assume!(bytes[position] != b'0' + to);
        bytes[position] = b'0' + to;
        let typo = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(read_lot_code(&typo), None);
    }

    #[test]
    fn a_swap_of_neighbouring_digits_is_caught(date in any_day(), number in 1u32..=99, at in 0usize..7) {
        let code = lot_code(date, number).unwrap();
        let positions: Vec<usize> = (1..7).chain(8..10).collect();
        let (i, j) = (positions[at], positions[at + 1]);
        let mut bytes = code.clone().into_bytes();
        prop_assume!(bytes[i] != bytes[j]);
        bytes.swap(i, j);
        let typo = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(read_lot_code(&typo), None);
    }

    #[test]
    fn kilograms_read_back(grams in 1u64..=MAX_GRAMS) {
        prop_assert_eq!(parse_kg(&kg_text(grams)), Ok(grams));
        prop_assert_eq!(parse_kg(&kg_text(grams).replace('.', ",")), Ok(grams));
    }

    #[test]
    fn hours_read_back_to_the_minute_of_quarter_hours(quarters in 0u32..40_000) {
        let minutes = quarters * 15;
        prop_assert_eq!(parse_hours(&hours_text(u64::from(minutes))), Ok(minutes));
    }
}

#[test]
fn weights_are_read_as_people_write_them() {
    let cases = [
        ("12", Ok(12_000)),
        ("12,5", Ok(12_500)),
        ("0.25 kg", Ok(250)),
        (" 3kg", Ok(3_000)),
        ("0,001", Ok(1)),
        ("0", Err(KitchenError::BadWeight)),
        ("-2", Err(KitchenError::BadWeight)),
        ("1.2345", Err(KitchenError::BadWeight)),
        ("", Err(KitchenError::BadWeight)),
        ("100001", Err(KitchenError::BadWeight)),
        ("abc", Err(KitchenError::BadWeight)),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_kg(text), expected, "{text}");
    }
    assert_eq!(kg_text(12_500), "12.5");
    assert_eq!(kg_text(3_000), "3");
    assert_eq!(parse_hours("3,5"), Ok(210));
    assert_eq!(parse_hours("-1"), Err(KitchenError::BadHours));
    assert_eq!(hours_text(210), "3.5");
}

fn intake_store(id: IntakeId) -> Option<IntakeLeft> {
    match id.0 {
        1 => Some(IntakeLeft {
            kitchen: SiteId(1),
            received_on: day(2026, 12, 1),
            left_g: 20_000,
        }),
        2 => Some(IntakeLeft {
            kitchen: SiteId(1),
            received_on: day(2026, 12, 3),
            left_g: 5_000,
        }),
        3 => Some(IntakeLeft {
            kitchen: SiteId(2),
            received_on: day(2026, 12, 1),
            left_g: 5_000,
        }),
        _ => None,
    }
}

fn batch() -> NewBatch {
    NewBatch {
        produced_on: day(2026, 12, 4),
        kitchen: SiteId(1),
        programme: Some(" Cuisine d'insertion ".into()),
        participant_minutes: Some(240),
        product: ProductId(1),
        uses: vec![(IntakeId(1), 12_000), (IntakeId(2), 3_000)],
        packs: 20,
        packed_g: 10_000,
        best_before: None,
    }
}

#[test]
fn a_good_batch_gets_its_best_before_and_loss() {
    let today = day(2026, 12, 5);
    let checked = check_batch(&batch(), today, Some(365), intake_store).expect("valid");
    assert_eq!(checked.best_before, day(2027, 12, 4));
    assert_eq!(checked.used_g, 15_000);
    assert_eq!(checked.lost_g(), 5_000);
    assert_eq!(
        checked.batch.programme.as_deref(),
        Some("Cuisine d'insertion")
    );
    let edited = NewBatch {
        best_before: Some(day(2027, 6, 1)),
        ..batch()
    };
    let checked = check_batch(&edited, today, Some(365), intake_store).expect("valid");
    assert_eq!(checked.best_before, day(2027, 6, 1));
}

#[test]
fn every_broken_rule_has_its_refusal() {
    let today = day(2026, 12, 5);
    let check = |b: NewBatch, shelf: Option<u32>| check_batch(&b, today, shelf, intake_store);
    let cases: Vec<(NewBatch, Option<u32>, KitchenError)> = vec![
        (
            NewBatch {
                produced_on: day(2026, 12, 6),
                ..batch()
            },
            Some(365),
            KitchenError::FutureDate(day(2026, 12, 6)),
        ),
        (batch(), None, KitchenError::NoShelfLife),
        (
            NewBatch {
                packs: 0,
                ..batch()
            },
            Some(365),
            KitchenError::BadPacks,
        ),
        (
            NewBatch {
                packed_g: 0,
                ..batch()
            },
            Some(365),
            KitchenError::BadWeight,
        ),
        (
            NewBatch {
                uses: vec![],
                ..batch()
            },
            Some(365),
            KitchenError::NoIntake,
        ),
        (
            NewBatch {
                uses: vec![(IntakeId(1), 0)],
                ..batch()
            },
            Some(365),
            KitchenError::BadWeight,
        ),
        (
            NewBatch {
                uses: vec![(IntakeId(1), 10), (IntakeId(1), 10)],
                packed_g: 5,
                ..batch()
            },
            Some(365),
            KitchenError::IntakeTwice(IntakeId(1)),
        ),
        (
            NewBatch {
                uses: vec![(IntakeId(9), 10)],
                ..batch()
            },
            Some(365),
            KitchenError::UnknownIntake(IntakeId(9)),
        ),
        (
            NewBatch {
                uses: vec![(IntakeId(3), 10)],
                ..batch()
            },
            Some(365),
            KitchenError::OtherKitchen {
                intake: IntakeId(3),
            },
        ),
        (
            NewBatch {
                uses: vec![(IntakeId(2), 6_000)],
                packed_g: 10,
                ..batch()
            },
            Some(365),
            KitchenError::MoreThanLeft {
                intake: IntakeId(2),
                left_g: 5_000,
                used_g: 6_000,
            },
        ),
        (
            NewBatch {
                produced_on: day(2026, 12, 2),
                ..batch()
            },
            Some(365),
            KitchenError::IntakeAfterBatch {
                intake: IntakeId(2),
                received_on: day(2026, 12, 3),
            },
        ),
        (
            NewBatch {
                packed_g: 15_001,
                ..batch()
            },
            Some(365),
            KitchenError::PackedMoreThanUsed {
                packed_g: 15_001,
                used_g: 15_000,
            },
        ),
        (
            NewBatch {
                best_before: Some(day(2026, 12, 3)),
                ..batch()
            },
            Some(365),
            KitchenError::BestBeforeTooEarly,
        ),
        (
            NewBatch {
                participant_minutes: Some(MAX_PARTICIPANT_MINUTES + 1),
                ..batch()
            },
            Some(365),
            KitchenError::BadHours,
        ),
        (
            NewBatch {
                programme: Some(" ".into()),
                ..batch()
            },
            Some(365),
            KitchenError::BadText,
        ),
    ];
    for (b, shelf, expected) in cases {
        assert_eq!(check(b.clone(), shelf), Err(expected.clone()), "{b:?}");
    }
}

#[test]
fn an_intake_is_checked_and_trimmed() {
    let today = day(2026, 12, 5);
    let intake = NewIntake {
        received_on: today,
        source: SourceId(1),
        description: " Carottes déclassées ".into(),
        category: "Légumes racines".into(),
        received_g: 120_000,
        kitchen: SiteId(1),
    };
    assert_eq!(
        intake.checked(today).expect("valid").description,
        "Carottes déclassées"
    );
    let future = NewIntake {
        received_on: day(2026, 12, 6),
        ..intake.clone()
    };
    assert_eq!(
        future.checked(today),
        Err(KitchenError::FutureDate(day(2026, 12, 6)))
    );
    let empty = NewIntake {
        category: "".into(),
        ..intake.clone()
    };
    assert_eq!(empty.checked(today), Err(KitchenError::BadText));
    let zero = NewIntake {
        received_g: 0,
        ..intake
    };
    assert_eq!(zero.checked(today), Err(KitchenError::BadWeight));
}
