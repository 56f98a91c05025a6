//! A product's photo through the hub's pages: JPEG, PNG and WebP uploads become one square JPEG
//! without metadata, served to staff and to kiosks; what is not an image or too large is refused
//! with its reason and changes nothing; every change is audited and bumps the configuration.

use std::io::Cursor;

use congelo::domain::photo::PhotoHash;
use congelo::hub::photos::MAX_UPLOAD_BYTES;
use congelo::hub::store::CatalogueStore;

use crate::common::hub::cli;
use crate::common::web::{Browser, Reply, WebHub};

fn count(hub: &WebHub, sql: &str) -> i64 {
    hub.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn state(hub: &WebHub) -> (i64, i64, Option<PhotoHash>) {
    let photo = hub.store.catalogue_products().unwrap()[0].photo.clone();
    (
        count(hub, "SELECT version FROM config_state"),
        count(
            hub,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'product.%'",
        ),
        photo,
    )
}

/// A hub with one product, and its page's path.
fn hub_with_product() -> (WebHub, String) {
    let hub = WebHub::start();
    let product = &congelo::demo::products()[0];
    let id = hub
        .store
        .save_product(None, product, &cli("product.create"))
        .unwrap();
    (hub, format!("/products/{}", id.0))
}

/// A picture in `format`; each format's picture differs (the same pixels make the same photo).
fn picture(format: image::ImageFormat) -> Vec<u8> {
    let shade = match format {
        image::ImageFormat::Jpeg => 40,
        image::ImageFormat::Png => 90,
        _ => 140,
    };
    let image = image::RgbImage::from_fn(320, 240, |x, _| image::Rgb([x as u8, shade, 200]));
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

fn send(admin: &mut Browser, page: &str, file: &[u8]) -> Reply {
    let token = admin.get(page).csrf();
    admin.upload(&format!("{page}/photo"), &token, file)
}

#[test]
fn jpeg_png_and_webp_uploads_become_the_products_photo() {
    let (hub, page) = hub_with_product();
    let mut admin = hub.logged_in("admin");
    for format in [
        image::ImageFormat::Jpeg,
        image::ImageFormat::Png,
        image::ImageFormat::WebP,
    ] {
        let (version, audits, _) = state(&hub);
        let reply = send(&mut admin, &page, &picture(format));
        assert_eq!(reply.status, 303, "{format:?}: {}", reply.body);
        let (new_version, new_audits, photo) = state(&hub);
        assert!(new_version > version, "kiosks pull the change");
        assert_eq!(new_audits, audits + 1);
        let hash = photo.expect("the product names its photo");
        let stored = hub.store.photo(&hash).unwrap().unwrap();
        assert!(hash.matches(&stored.bytes));
        let decoded = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (256, 256));
        println!("{format:?}: stored photo {} bytes", stored.bytes.len());
        let shown = admin.get(&page);
        assert!(shown.body.contains(&format!("/products/photos/{hash}.jpg")));
        let served = admin.get(&format!("/products/photos/{hash}.jpg"));
        assert_eq!(served.status, 200);
        assert_eq!(served.header("content-type"), Some("image/jpeg"));
        assert!(admin.get("/products").body.contains(&format!("{hash}.jpg")));
    }
    let audit = count(
        &hub,
        "SELECT count(*) FROM audit_log WHERE action = 'product.photo.set' AND login = 'admin'",
    );
    assert_eq!(audit, 3);
}

#[test]
fn what_is_not_an_image_or_too_large_is_refused_and_changes_nothing() {
    let (hub, page) = hub_with_product();
    let mut admin = hub.logged_in("admin");
    let before = state(&hub);
    let reply = send(&mut admin, &page, b"%PDF-1.7 not a photo");
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains("n’est pas une photo JPEG, PNG ou WebP"),
        "{}",
        reply.body
    );
    let mut big = picture(image::ImageFormat::Png);
    big.resize(MAX_UPLOAD_BYTES + 1, 0);
    let reply = send(&mut admin, &page, &big);
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("dépasse 15 Mo"), "{}", reply.body);
    let reply = send(&mut admin, &page, b"");
    assert_eq!(reply.status, 422);
    assert_eq!(state(&hub), before, "nothing written, nothing audited");

    let mut english = hub.logged_in("admin");
    english.accept_language = Some("en-CA".into());
    english.post("/language", &[("lang", "en-CA")]);
    let token = english.get(&page).csrf();
    let reply = english.upload(&format!("{page}/photo"), &token, b"GIF89a");
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains("is not a JPEG, PNG or WebP picture")
            || reply.body.contains("n’est pas une photo"),
        "{}",
        reply.body
    );

    // A wrong token is refused before anything is read.
    let reply = admin.upload(
        &format!("{page}/photo"),
        "forged",
        &picture(image::ImageFormat::Png),
    );
    assert_eq!(reply.status, 403);
    assert_eq!(state(&hub), before);
}

#[test]
fn metadata_is_gone_and_a_photo_can_be_removed() {
    let (hub, page) = hub_with_product();
    let mut admin = hub.logged_in("admin");
    let jpeg = picture(image::ImageFormat::Jpeg);
    let comment = b"GPS 45.50N 73.56W owner phone";
    let mut upload = jpeg[..2].to_vec();
    upload.extend_from_slice(&[0xFF, 0xFE]);
    upload.extend_from_slice(&u16::try_from(comment.len() + 2).unwrap().to_be_bytes());
    upload.extend_from_slice(comment);
    upload.extend_from_slice(&jpeg[2..]);
    assert_eq!(send(&mut admin, &page, &upload).status, 303);
    let hash = state(&hub).2.unwrap();
    let stored = hub.store.photo(&hash).unwrap().unwrap();
    assert!(!stored.bytes.windows(comment.len()).any(|w| w == comment));

    let (version, _, _) = state(&hub);
    let removed = admin.submit(&page, &format!("{page}/photo/remove"), &[]);
    assert_eq!(removed.status, 303);
    let (new_version, _, photo) = state(&hub);
    assert_eq!(photo, None);
    assert!(new_version > version);
    let audited = count(
        &hub,
        "SELECT count(*) FROM audit_log WHERE action = 'product.photo.remove'",
    );
    assert_eq!(audited, 1);
    assert!(admin.get(&page).body.contains("Pas de photo"));
}
