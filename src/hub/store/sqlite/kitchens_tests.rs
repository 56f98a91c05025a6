use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::Money;
use crate::domain::kitchen::read_lot_code;
use crate::domain::nutrition::Nutrition;
use crate::domain::product::{Product, TaxRate};
use crate::hub::admin::cli_audit;
use crate::hub::store::{CatalogueStore, SiteStore};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteHubStore,
    kitchen: SiteId,
    other: SiteId,
    product: ProductId,
    source: SourceId,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let store = SqliteHubStore::open(&dir.path().join("hub.db")).expect("open");
    let a = cli_audit("test");
    let territory = store
        .save_territory(None, "Bas-Saint-Laurent", &a)
        .expect("t");
    let kitchen = store
        .save_site(None, "Cuisine Rimouski", territory, &a)
        .expect("s");
    let other = store
        .save_site(None, "Cuisine Matane", territory, &a)
        .expect("s");
    let product = Product {
        id: ProductId(0),
        barcodes: vec![],
        internal_code: None,
        names: BTreeMap::from([(Locale::FrCa, "Carottes".to_owned())]),
        pictogram: "carrot".into(),
        net_weight_g: 500,
        full_price: Money::from_cents(400),
        tax_rate: TaxRate::ZERO_RATED,
        active: true,
        photo: None,
    };
    let product = store.save_product(None, &product, &a).expect("p");
    let source = store
        .add_source("Ferme des Anses", SourceKind::Farm, &a)
        .expect("source");
    Fixture {
        _dir: dir,
        store,
        kitchen,
        other,
        product,
        source,
    }
}

/// Rows of every table a kitchen write touches, to prove a refusal changed nothing.
fn counts(store: &SqliteHubStore) -> Vec<i64> {
    let conn = store.reader();
    [
        "sources",
        "intakes",
        "production_batches",
        "batch_intakes",
        "lot_dates",
        "audit_log",
    ]
    .iter()
    .map(|t| {
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .expect("count")
    })
    .collect()
}

fn intake(f: &Fixture, kg: u64, on: NaiveDate) -> NewIntake {
    NewIntake {
        received_on: on,
        source: f.source,
        description: "Carottes déclassées".into(),
        category: "Légumes racines".into(),
        received_g: kg * 1000,
        kitchen: f.kitchen,
    }
}

fn batch(f: &Fixture, uses: Vec<(IntakeId, u64)>, packed_g: u64) -> NewBatch {
    NewBatch {
        produced_on: day(2026, 12, 4),
        kitchen: f.kitchen,
        programme: Some("Cuisine d'insertion".into()),
        participant_minutes: Some(180),
        product: f.product,
        uses,
        packs: 20,
        packed_g,
        best_before: None,
    }
}

fn shelf_life(f: &Fixture, days: u32) {
    let facts = LabelFacts {
        shelf_life_days: Some(days),
        ..LabelFacts::default()
    };
    f.store
        .save_label_facts(f.product, &facts, &cli_audit("product.label"))
        .expect("facts");
}

#[test]
fn a_batch_takes_kilograms_from_its_intakes_and_gets_the_days_next_lot() {
    let f = fixture();
    let today = day(2026, 12, 5);
    shelf_life(&f, 365);
    let a = cli_audit("intake.create");
    let first = f
        .store
        .add_intake(&intake(&f, 100, day(2026, 12, 1)), today, &a)
        .expect("i");
    let second = f
        .store
        .add_intake(&intake(&f, 10, day(2026, 12, 2)), today, &a)
        .expect("i");
    let b = cli_audit("batch.create");
    let one = f
        .store
        .add_batch(
            &batch(&f, vec![(first, 40_000), (second, 10_000)], 45_000),
            today,
            &b,
        )
        .expect("batch");
    assert_eq!(read_lot_code(&one.lot), Some((day(2026, 12, 4), 1)));
    assert_eq!(one.best_before, day(2027, 12, 4));
    let two = f
        .store
        .add_batch(&batch(&f, vec![(first, 60_000)], 50_000), today, &b)
        .expect("batch");
    assert_eq!(read_lot_code(&two.lot), Some((day(2026, 12, 4), 2)));

    let intakes = f.store.intakes(None, 100).expect("intakes");
    let left: Vec<u64> = intakes.iter().map(IntakeRow::left_g).collect();
    assert_eq!(left, vec![0, 0], "newest first, both used up");
    let batches = f.store.batches(Some(f.kitchen), 100).expect("batches");
    assert_eq!(batches[0].lot, two.lot);
    assert_eq!(batches[1].used_g(), 50_000);
    assert_eq!(batches[1].lost_g(), 5_000);
    assert!(
        f.store
            .batches(Some(f.other), 100)
            .expect("none")
            .is_empty()
    );
    let best_before: String = f
        .store
        .reader()
        .query_row(
            "SELECT best_before FROM lot_dates WHERE product_id = ?1 AND lot = ?2",
            params![f.product.0, one.lot],
            |r| r.get(0),
        )
        .expect("lot dates");
    assert_eq!(best_before, "2027-12-04");
}

#[test]
fn every_refusal_changes_nothing() {
    let f = fixture();
    let today = day(2026, 12, 5);
    let a = cli_audit("intake.create");
    let used = f
        .store
        .add_intake(&intake(&f, 10, day(2026, 12, 1)), today, &a)
        .expect("i");
    let b = cli_audit("batch.create");
    let before = counts(&f.store);
    // Without a shelf life, no batch.
    let refused = f
        .store
        .add_batch(&batch(&f, vec![(used, 5_000)], 4_000), today, &b);
    assert!(matches!(refused, Err(HubStoreError::Invalid(m)) if m.contains("shelf life")));
    assert_eq!(counts(&f.store), before);
    shelf_life(&f, 365);
    let before = counts(&f.store);
    let bad_batches = [
        batch(&f, vec![(used, 10_001)], 4_000),
        batch(&f, vec![(used, 5_000)], 5_001),
        batch(&f, vec![(IntakeId(99), 5_000)], 4_000),
        NewBatch {
            produced_on: day(2026, 12, 6),
            ..batch(&f, vec![(used, 5_000)], 4_000)
        },
        NewBatch {
            kitchen: f.other,
            ..batch(&f, vec![(used, 5_000)], 4_000)
        },
        NewBatch {
            packs: 0,
            ..batch(&f, vec![(used, 5_000)], 4_000)
        },
        NewBatch {
            product: ProductId(99),
            ..batch(&f, vec![(used, 5_000)], 4_000)
        },
        NewBatch {
            kitchen: SiteId(99),
            ..batch(&f, vec![(used, 5_000)], 4_000)
        },
    ];
    for bad in bad_batches {
        assert!(f.store.add_batch(&bad, today, &b).is_err(), "{bad:?}");
        assert_eq!(counts(&f.store), before, "{bad:?}");
    }
    let bad_intakes = [
        intake(&f, 0, day(2026, 12, 1)),
        intake(&f, 1, day(2026, 12, 6)),
        NewIntake {
            source: SourceId(99),
            ..intake(&f, 1, today)
        },
        NewIntake {
            kitchen: SiteId(99),
            ..intake(&f, 1, today)
        },
        NewIntake {
            description: " ".into(),
            ..intake(&f, 1, today)
        },
    ];
    for bad in bad_intakes {
        assert!(f.store.add_intake(&bad, today, &a).is_err(), "{bad:?}");
        assert_eq!(counts(&f.store), before, "{bad:?}");
    }
    let taken = f
        .store
        .add_source("Ferme des Anses", SourceKind::Grocer, &a);
    assert!(matches!(taken, Err(HubStoreError::Invalid(_))));
    let bad_facts = LabelFacts {
        nutrition: Some(Nutrition {
            serving_g: 0,
            ..Nutrition::default()
        }),
        ..LabelFacts::default()
    };
    assert!(f.store.save_label_facts(f.product, &bad_facts, &a).is_err());
    assert!(
        f.store
            .save_label_facts(ProductId(99), &LabelFacts::default(), &a)
            .is_err()
    );
    assert_eq!(counts(&f.store), before);
}

#[test]
fn label_facts_round_trip() {
    let f = fixture();
    let facts = LabelFacts {
        shelf_life_days: Some(300),
        ingredients: BTreeMap::from([
            (Locale::FrCa, "Carottes".to_owned()),
            (Locale::EnCa, "Carrots".to_owned()),
        ]),
        allergens: BTreeMap::new(),
        nutrition: Some(Nutrition {
            serving_g: 85,
            calories: 35,
            carbohydrate_dg: 80,
            fibre_dg: 24,
            sugars_dg: 40,
            protein_dg: 7,
            sodium_mg: 58,
            ..Nutrition::default()
        }),
    };
    f.store
        .save_label_facts(f.product, &facts, &cli_audit("product.label"))
        .expect("save");
    assert_eq!(f.store.label_facts(f.product).expect("read"), facts);
    assert!(f.store.label_facts(ProductId(99)).is_err());
}
