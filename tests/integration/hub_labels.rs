//! Pack labels read back by independent tools: the PDF sheets rendered by poppler's `pdftoppm`
//! and every GS1 DataMatrix decoded by zxing-cpp (Python package `zxing-cpp`); the decoded GTIN,
//! lot, best-before and weight equal the batch's, and `congelo-kiosk decode` reads the same scan
//! the same way. `pdftotext -bbox` shows every word inside its label. The ZPL file is checked by
//! its structure: no maintained ZPL renderer runs offline.

use std::path::Path;
use std::process::Command;

use congelo::domain::codes::{self, ProductKey, Scan};
use congelo::hub::labels::Stock;
use serde_json::Value;

use crate::common::pdf::{Pdf, PlacedWord};
use crate::common::web::{Browser, WebHub};

pub const LOT: &str = "K1-270401-02";
const PACKS: u32 = 13;

/// A product without a GTIN and a batch of it at site A; returns the batch id.
pub fn batch(hub: &WebHub) -> i64 {
    let sql = hub.sql();
    sql.execute(
        "INSERT INTO products (names, pictogram, net_weight_g, full_price_cents, tax_rate, active,
                               shelf_life_days, ingredients, allergens, nutrition)
         VALUES ('{\"fr-CA\":\"Haricots verts et carottes\",\"en-CA\":\"Green beans and carrots\"}',
                 'vegetables', 500, 300, 0, 1, 365,
                 '{\"fr-CA\":\"haricots verts, carottes, moutarde\",\"en-CA\":\"green beans, carrots, mustard\"}',
                 '{\"fr-CA\":\"moutarde\",\"en-CA\":\"mustard\"}',
                 '{\"serving_g\":85,\"calories\":35,\"fat_dg\":9,\"saturated_dg\":6,
                   \"trans_dg\":1,\"carbohydrate_dg\":70,\"fibre_dg\":30,\"sugars_dg\":20,\"protein_dg\":20,
                   \"cholesterol_mg\":0,\"sodium_mg\":46,\"potassium_mg\":170,\"calcium_mg\":40,
                   \"iron_dmg\":10}')",
        [],
    )
    .expect("product");
    let product = sql.last_insert_rowid();
    sql.execute(
        "INSERT INTO production_batches (produced_on, site_id, product_id, packs, packed_g, lot,
                                         best_before, created_at)
         VALUES ('2027-04-01', ?1, ?2, ?3, 6500, ?4, '2028-05-01', '2027-04-01T12:00:00Z')",
        rusqlite::params![hub.site_a.0, product, PACKS, LOT],
    )
    .expect("batch");
    sql.last_insert_rowid()
}

fn print(staff: &mut Browser, id: i64, stock: &str, count: u32) -> Vec<u8> {
    let page = format!("/staff/batches/{id}/labels");
    let reply = staff.submit(
        &page,
        &page,
        &[("stock", stock), ("count", &count.to_string())],
    );
    assert_eq!(reply.status, 200, "{stock}: {}", reply.body);
    reply.bytes
}

/// The product's GTIN-14 as the hub stored it.
fn stored_gtin(hub: &WebHub) -> String {
    hub.sql()
        .query_row(
            "SELECT gtin FROM barcodes JOIN production_batches b USING (product_id)
             WHERE b.lot = ?1",
            [LOT],
            |r| r.get(0),
        )
        .expect("the product has a barcode")
}

/// Every code zxing-cpp finds on a grayscale page: format, symbology identifier, content bytes.
fn decode_page(pgm: &Path) -> Vec<Value> {
    const SCRIPT: &str = r#"
import json, sys
import zxingcpp
data = open(sys.argv[1], "rb").read()
magic, dims, maxval, pixels = data.split(b"\n", 3)
width, height = map(int, dims.split())
view = memoryview(pixels).cast("B", (height, width))
print(json.dumps([
    {"format": str(b.format), "symbology": b.symbology_identifier, "bytes": b.bytes.hex(),
     "hri": b.text}
    for b in zxingcpp.read_barcodes(view, text_mode=zxingcpp.TextMode.HRI)
]))
"#;
    let output = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(pgm)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "zxing-cpp could not decode (install the Python package zxing-cpp, see .ci/install-packages): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from the decoder")
}

fn render_gray(pdf: &Path, page: usize, target_stem: &Path) -> std::path::PathBuf {
    let page = page.to_string();
    let status = Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            "300",
            "-singlefile",
            "-f",
            &page,
            "-l",
            &page,
        ])
        .arg(pdf)
        .arg(target_stem)
        .status()
        .expect("pdftoppm (poppler-utils) runs");
    assert!(status.success());
    target_stem.with_extension("pgm")
}

/// What the kiosk's own command makes of a scan.
fn kiosk_decode(scan: &str) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_congelo-kiosk"))
        .args(["decode", scan])
        .output()
        .expect("congelo-kiosk runs");
    assert!(
        output.status.success(),
        "{scan:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn check_code(code: &Value, gtin: &str) {
    assert_eq!(code["format"], "Data Matrix", "{code}");
    assert_eq!(code["symbology"], "]d2", "a GS1 DataMatrix: {code}");
    assert_eq!(
        code["hri"],
        format!("(01){gtin}(15)280501(3103)000500(10){LOT}"),
        "{code}"
    );
    let bytes = hex::decode(code["bytes"].as_str().expect("hex")).expect("hex");
    let scan = format!("]d2{}", String::from_utf8(bytes).expect("ASCII"));
    let Ok(Scan::Product(product)) = codes::decode(&scan) else {
        panic!("the kiosk decoder refuses {scan:?}");
    };
    assert_eq!(product.key, ProductKey::Gtin(gtin.parse().expect("GTIN")));
    assert_eq!(product.lot.lot.as_deref(), Some(LOT));
    let today = chrono::NaiveDate::from_ymd_opt(2027, 4, 2).expect("date");
    assert_eq!(
        product.lot.use_by(today).map(|d| d.to_string()).as_deref(),
        Some("2028-05-01")
    );
    assert_eq!(product.lot.net_weight_g, Some(500));
    let json = kiosk_decode(&scan);
    assert_eq!(json["kind"], "product");
    assert_eq!(json["gtin"], gtin);
    assert_eq!(json["lot"], LOT);
    assert_eq!(json["best_before"], "2028-05-01");
    assert_eq!(json["net_weight_g"], 500);
}

/// The first label's « Saturated / saturés 0.5 g » and « + Trans / trans 0.1 g » lines, and
/// their one % daily value (3 %: 0.6 g of 20 g) right of them, vertically between the two.
fn saturated_and_trans_lines(words: &[PlacedWord], label: &Stock) {
    let label_right = f64::from(label.origin(0).0 + label.width);
    let line = |first: &str, y_after: f64| -> Vec<&PlacedWord> {
        let start = words
            .iter()
            .find(|w| w.page == 1 && w.text == first && w.y > y_after)
            .unwrap_or_else(|| panic!("no {first:?} on the first page"));
        words
            .iter()
            .filter(|w| w.page == 1 && (w.y - start.y).abs() < 0.5 && w.x >= start.x)
            .filter(|w| w.x < start.x + 150.0)
            .collect()
    };
    let text = |line: &[&PlacedWord]| {
        line.iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let saturated = line("Saturated", 0.0);
    let trans = line("+", saturated[0].y);
    assert!(
        text(&saturated).starts_with("Saturated / saturés 0.5 g"),
        "{saturated:?}"
    );
    assert_eq!(text(&trans), "+ Trans / trans 0.1 g", "{trans:?}");
    assert_eq!(saturated[0].x, trans[0].x, "both indented alike");
    let (top, bottom) = (saturated[0].y, trans[0].y);
    let right = saturated
        .iter()
        .chain(&trans)
        .map(|w| w.x_max)
        .fold(0.0, f64::max);
    let between: Vec<&PlacedWord> = words
        .iter()
        .filter(|w| w.page == 1 && w.x > right && w.x_max <= label_right)
        .filter(|w| w.y > top + 0.5 && w.y < bottom - 0.5)
        .collect();
    assert_eq!(
        between.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(),
        ["3", "%"],
        "one % daily value between the two lines"
    );
    let middle = (top + bottom) / 2.0;
    assert!(
        (between[0].y - middle).abs() < 0.5,
        "{between:?} centred on {middle}"
    );
}

#[test]
fn printed_sheets_decode_to_the_batch_and_keep_every_word_on_its_label() {
    let hub = WebHub::start();
    let id = batch(&hub);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut staff = hub.logged_in("staff-a");
    let page = staff.get(&format!("/staff/batches/{id}/labels"));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(LOT) && page.body.contains("28 MA 01"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"nutrition-note\""));

    for stock in ["2x4", "3x3", "4x3"] {
        let geometry = Stock::by_id(stock).expect("stock");
        let path = dir.path().join(format!("{stock}.pdf"));
        std::fs::write(&path, print(&mut staff, id, stock, PACKS)).expect("write");
        let gtin = stored_gtin(&hub);
        assert!(
            gtin.starts_with("004"),
            "a restricted-circulation number: {gtin}"
        );
        let pdf = Pdf::open(&path);
        let (pages, size) = pdf.pages_and_size();
        assert_eq!(
            pages,
            (PACKS as usize).div_ceil(geometry.per_sheet()),
            "{stock}"
        );
        assert_eq!(size, (612.0, 792.0), "US Letter");

        let words = pdf.words();
        let lots = words.iter().filter(|w| w.text == LOT).count();
        assert_eq!(
            lots,
            2 * PACKS as usize,
            "{stock}: the lot line and the code's digits, per label"
        );
        for word in &words {
            let inside = (0..geometry.per_sheet()).any(|i| {
                let (x, y) = geometry.origin(i);
                let (x, y) = (f64::from(x), f64::from(y));
                word.x >= x
                    && word.y >= y
                    && word.x_max <= x + f64::from(geometry.width)
                    && word.y_max <= y + f64::from(geometry.height)
            });
            assert!(inside, "{stock}: {word:?} is outside every label");
        }
        let has_table = words.iter().any(|w| w.text == "nutritive");
        assert_eq!(has_table, geometry.holds_nutrition, "{stock}");
        if has_table {
            saturated_and_trans_lines(&words, geometry);
        }

        let pgm = render_gray(&path, 1, &dir.path().join(stock));
        let found = decode_page(&pgm);
        assert_eq!(
            found.len(),
            geometry.per_sheet(),
            "{stock}: every code on a full sheet: {found:?}"
        );
        for code in &found {
            check_code(code, &gtin);
        }
    }
}

#[test]
fn zpl_holds_the_same_element_string_and_other_sites_may_not_print() {
    let hub = WebHub::start();
    let id = batch(&hub);
    let mut staff = hub.logged_in("staff-a");
    let zpl = String::from_utf8(print(&mut staff, id, "zpl", 5)).expect("ZPL is text");
    let gtin = stored_gtin(&hub);
    let element = format!("01{gtin}152805013103000500");
    let field = format!("^FD_1{element}10{LOT}^FS");
    assert!(zpl.starts_with("^XA\n^CI28\n^PW812\n^LL406\n"), "{zpl}");
    assert!(
        zpl.contains(&format!("^BXN,4,200,0,0,,_,1{field}")),
        "{zpl}"
    );
    assert!(zpl.contains("^PQ5\n^XZ"));
    for text in [
        "Garder congelé / Keep frozen",
        "Meilleur avant / Best before 28 MA 01",
    ] {
        assert!(zpl.contains(&format!("^FD{text}^FS")), "{text}: {zpl}");
    }
    // What the printer encodes after FNC1, as a scanner sends it, is what the kiosk reads.
    let json = kiosk_decode(&format!("]d2{element}10{LOT}"));
    assert_eq!(
        (json["gtin"].as_str(), json["lot"].as_str()),
        (Some(gtin.as_str()), Some(LOT))
    );

    let audit: i64 = hub
        .sql()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'product.gtin.assign'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audit, 1, "the number is assigned once, then reused");

    let mut other = hub.logged_in("staff-b");
    assert_eq!(
        other.get(&format!("/staff/batches/{id}/labels")).status,
        403
    );
    let refused = staff.submit(
        &format!("/staff/batches/{id}/labels"),
        &format!("/staff/batches/{id}/labels"),
        &[("stock", "2x4"), ("count", "0")],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("1 to 2000") || refused.body.contains("1 à 2000"));
}
