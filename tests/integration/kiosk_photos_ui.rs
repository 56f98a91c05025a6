//! The kiosk's window with product photos in its cache: the picture grid, the cart and the staff
//! restock grid show each cached photo, and the pictogram for products without one. Also writes
//! the grid and the cart to `target/screenshots/` (or `$CONGELO_SCREENSHOT_DIR`).

use std::io::Cursor;
use std::path::PathBuf;

use congelo::demo;
use congelo::hub::photos::process;
use congelo::kiosk::photos::SHOWN_SIDE;
use congelo::kiosk::ui::UiState;
use image::{Rgb, RgbImage};
use slint::{ComponentHandle, Model};

use crate::common::kiosk_ui::UiKiosk;

/// A drawn "photo" of a freezer bag: a pale bag, a pile of `colour` pieces, a white label.
fn pack_photo(colour: [u8; 3], round: bool) -> Vec<u8> {
    let image = RgbImage::from_fn(480, 360, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let in_bag = (60.0..420.0).contains(&fx) && (30.0..340.0).contains(&fy);
        if !in_bag {
            return Rgb([70, 90, 110]);
        }
        if (170.0..310.0).contains(&fx) && (50.0..95.0).contains(&fy) {
            return Rgb([250, 250, 245]);
        }
        let (cx, cy) = ((fx - 60.0) % 36.0 - 18.0, (fy - 110.0) % 36.0 - 18.0);
        let piece = if round {
            cx * cx + cy * cy < 15.0 * 15.0
        } else {
            (cx + cy).abs() < 12.0
        };
        if fy > 110.0 && piece {
            let shade = 0.8 + 0.2 * ((fx * 0.05).sin() * (fy * 0.07).cos());
            Rgb(colour.map(|c| (f32::from(c) * shade) as u8))
        } else {
            Rgb([214, 226, 236])
        }
    });
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    process(&bytes.into_inner()).expect("a photo").bytes
}

/// Photos for carrots (1), zucchini (11), strawberries (16) and raspberries (18).
fn demo_photos() -> Vec<(i64, Vec<u8>)> {
    vec![
        (1, pack_photo([240, 120, 30], true)),
        (11, pack_photo([70, 140, 60], true)),
        (16, pack_photo([210, 30, 50], false)),
        (18, pack_photo([200, 20, 80], true)),
    ]
}

fn out_dir() -> PathBuf {
    std::env::var_os("CONGELO_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"))
}

fn scan_pack(kiosk: &mut UiKiosk, index: usize) {
    kiosk.scan(&demo::gtin_of(index).as_display());
}

#[test]
fn the_grid_and_the_cart_show_cached_photos_and_pictograms_otherwise() {
    let photos = demo_photos();
    for (_, bytes) in &photos {
        println!("demo photo: {} bytes", bytes.len());
    }
    let mut kiosk = UiKiosk::with_photos(800, 480, &photos);
    for index in [0, 17, 1] {
        scan_pack(&mut kiosk, index);
    }
    let state = kiosk.window.global::<UiState>();
    let lines = state.get_lines();
    let line_photo = |product: i32| {
        lines
            .iter()
            .find(|l| l.product == product)
            .map(|l| l.photo.size().width)
    };
    assert_eq!(line_photo(1), Some(SHOWN_SIDE), "carrots show their photo");
    assert_eq!(line_photo(18), Some(SHOWN_SIDE), "raspberries too");
    assert_eq!(
        line_photo(2),
        Some(0),
        "broccoli has none: its pictogram shows"
    );
    kiosk.screenshot(&out_dir().join("fr-CA-03-cart-photos.png"));

    kiosk.tap_key("cart-pictures");
    let grid = kiosk.window.global::<UiState>().get_grid();
    let with_photo: Vec<i32> = grid
        .iter()
        .filter(|t| t.photo.size().width == SHOWN_SIDE)
        .map(|t| t.product)
        .collect();
    assert_eq!(with_photo, vec![1, 11, 16, 18]);
    assert!(grid.iter().any(|t| t.photo.size().width == 0));
    kiosk.screenshot(&out_dir().join("fr-CA-04-grid-photos.png"));
}

#[test]
fn the_staff_stock_lists_show_cached_photos_too() {
    let photos = demo_photos();
    let mut kiosk = UiKiosk::with_photos(800, 480, &photos);
    kiosk.sign_in(demo::badges()[0].pin);
    kiosk.tap_key("staff-levels");
    let products = demo::products();
    let carrots = products[0].name(congelo::kiosk::i18n::product_locale("fr-CA"));
    let levels = kiosk.window.global::<UiState>().get_staff_levels();
    let photo_of = |name: &str| {
        levels
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.photo.size().width)
    };
    assert_eq!(
        photo_of(carrots),
        Some(SHOWN_SIDE),
        "carrots show their photo"
    );
    assert!(levels.iter().any(|row| row.photo.size().width == 0));
    kiosk.tap_key("staff-menu");
    kiosk.tap_key("staff-lots");
    let lots = kiosk.window.global::<UiState>().get_staff_lots();
    assert!(lots.iter().any(|row| row.photo.size().width == SHOWN_SIDE));
}
