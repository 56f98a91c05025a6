//! Product photos end to end: a photo given to a product on a real hub reaches a real kiosk's
//! cache through its sync worker, shows in the kiosk's picture grid and cart, is not downloaded
//! again when a newer configuration arrives, and still shows with the hub stopped.

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use congelo::clock::ManualClock;
use congelo::domain::ProductId;
use congelo::domain::money::Money;
use congelo::domain::photo::PhotoHash;
use congelo::hub::photos::process;
use congelo::hub::store::{CatalogueStore, KioskApiStore};
use congelo::kiosk::core::{Action, Input};
use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::view::View;
use congelo::store::KioskStore;
use congelo::store::photos::photo_path;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{TestHub, cli, enrolled_kiosk, fast_tempdir};
use crate::common::kiosk_core::core_on;
use crate::common::wait::{STEP_CEILING, wait_until};

fn options() -> SyncOptions {
    SyncOptions {
        interval: Duration::from_secs(3600),
        ..SyncOptions::default()
    }
}

/// A green square with a white band, as a phone would send it (PNG).
fn upload() -> Vec<u8> {
    let image = image::RgbImage::from_fn(400, 300, |_, y| {
        if (140..160).contains(&y) {
            image::Rgb([250, 250, 250])
        } else {
            image::Rgb([30, 160, 60])
        }
    });
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// The grid and the cart of a kiosk core on `path`, with product 1 in the cart.
fn grid_and_cart(path: &std::path::Path) -> (View, View) {
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut driven = core_on(
        KioskStore::open(path).unwrap(),
        clock,
        SimulatedBehaviour::Approve,
    );
    let grid = driven.core.handle(Input::Action(Action::OpenGrid));
    let cart = driven
        .core
        .handle(Input::Action(Action::AddProduct(ProductId(1))));
    (grid, cart)
}

fn shown_photo(view: &View, product: ProductId) -> Option<PhotoHash> {
    let tile = view.grid.iter().find(|t| t.product == product)?;
    tile.photo.as_ref().map(|p| p.hash.clone())
}

#[test]
fn a_photo_uploaded_on_the_hub_shows_on_the_kiosk_once_downloaded_and_offline() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let path = dir.path().join("kiosk.db");
    let (kiosk, code) = hub.add_kiosk("Kiosque photo");
    enrolled_kiosk(&path, &hub.url, &code);
    let (grid, _) = grid_and_cart(&path);
    assert_eq!(shown_photo(&grid, ProductId(1)), None, "no photo yet");

    let photo = process(&upload()).unwrap();
    let hash = photo.hash.clone();
    hub.store
        .set_product_photo(ProductId(1), Some(&photo), &cli("product.photo.set"))
        .unwrap();

    let store = KioskStore::open(&path).unwrap();
    let cached = photo_path(&store.photos_dir(), &hash);
    let handle = SyncHandle::start(path.clone(), options()).unwrap();
    let arrived = wait_until(STEP_CEILING, || {
        handle.sync_now();
        cached.is_file()
    });
    assert!(
        arrived,
        "the photo reached the cache: {:?}",
        handle.status().borrow()
    );
    assert_eq!(std::fs::read(&cached).unwrap(), photo.bytes);
    assert_eq!(handle.status().borrow().photos_downloaded, 1);

    let (grid, cart) = grid_and_cart(&path);
    assert_eq!(shown_photo(&grid, ProductId(1)), Some(hash.clone()));
    assert_eq!(
        shown_photo(&grid, ProductId(2)),
        None,
        "others keep their pictogram"
    );
    let line = cart
        .lines
        .iter()
        .find(|l| l.product == ProductId(1))
        .unwrap();
    assert_eq!(
        line.photo.as_ref().map(|p| p.hash.clone()),
        Some(hash.clone())
    );

    // A newer configuration (another product's price) does not download the photo again.
    let mut other = hub
        .store
        .catalogue_products()
        .unwrap()
        .into_iter()
        .find(|p| p.id == ProductId(2))
        .unwrap();
    other.full_price = Money::from_cents(other.full_price.cents() + 5);
    hub.store
        .save_product(Some(other.id), &other, &cli("product.update"))
        .unwrap();
    let hub_version = hub
        .store
        .config_since(kiosk, 0)
        .map(|(version, _)| version)
        .unwrap();
    let pulled = wait_until(STEP_CEILING, || {
        handle.sync_now();
        store.config_version().unwrap() >= Some(hub_version)
    });
    assert!(pulled, "the newer configuration was pulled");
    assert_eq!(
        handle.status().borrow().photos_downloaded,
        1,
        "not downloaded twice"
    );

    // With the hub gone, rounds fail but the photo stays and shows.
    drop(hub);
    let failed = wait_until(STEP_CEILING, || {
        handle.sync_now();
        handle.status().borrow().last_error.is_some()
    });
    assert!(failed, "the hub is unreachable");
    assert!(cached.is_file(), "kept while offline");
    let (grid, _) = grid_and_cart(&path);
    assert_eq!(shown_photo(&grid, ProductId(1)), Some(hash));
    drop(handle);
}

#[test]
fn the_kiosk_api_serves_photos_to_enrolled_kiosks_only() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let path = dir.path().join("kiosk.db");
    let (_, code) = hub.add_kiosk("Kiosque API");
    enrolled_kiosk(&path, &hub.url, &code);
    let photo = process(&upload()).unwrap();
    hub.store
        .set_product_photo(ProductId(3), Some(&photo), &cli("product.photo.set"))
        .unwrap();
    let credentials = KioskStore::open(&path)
        .unwrap()
        .hub_credentials()
        .unwrap()
        .unwrap();
    let client = congelo::sync::HubClient::new(Default::default()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let bytes = runtime
        .block_on(client.photo(&credentials, &photo.hash))
        .unwrap();
    assert_eq!(bytes, photo.bytes);
    let unknown = PhotoHash::of(b"no such photo");
    let missing = runtime.block_on(client.photo(&credentials, &unknown));
    assert!(matches!(
        missing,
        Err(congelo::sync::SyncError::Hub { status: 404, .. })
    ));
    let mut stranger = credentials.clone();
    stranger.token = "not-a-token".into();
    let refused = runtime.block_on(client.photo(&stranger, &photo.hash));
    assert!(matches!(
        refused,
        Err(congelo::sync::SyncError::Hub { status: 401, .. })
    ));
    let answer = runtime
        .block_on(
            reqwest::Client::new()
                .get(format!("{}/api/v1/photos/{}", hub.url, photo.hash))
                .bearer_auth(&credentials.token)
                .send(),
        )
        .unwrap();
    let cache = answer.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cache.contains("immutable") && cache.contains("max-age=31536000"),
        "{cache}"
    );
    assert_eq!(answer.headers()["content-type"], "image/jpeg");
}
