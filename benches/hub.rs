//! Hub benchmarks: `cargo bench --no-default-features --features hub,sync-client --bench hub`.
//!
//! 1. Ingest: two kiosks push sale events at the same time, in batches of 500, to a hub on
//!    loopback with its database on the project's disk (WAL, `synchronous=FULL`: one fsync per
//!    batch, as in production). Request bodies are serialised beforehand so the two cores measure
//!    the hub, not the client. Goal: at least 20 000 events/s.
//! 2. Catch-up: a kiosk with 10 000 pending events starts its real sync worker; time until the hub
//!    has acknowledged them all. Goal: under 5 s.
//!
//! Data goes to `target/bench-data` unless `CONGELO_BENCH_DIR` says otherwise.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use congelo::domain::cart::Cart;
use congelo::domain::config::Thresholds;
use congelo::domain::event::{Event, EventBody};
use congelo::domain::pricing::price_cart;
use congelo::domain::sale::{LotTake, Payment, PaymentMethod, Sale, SaleHeader};
use congelo::domain::sync::{KioskHealth, PushRequest, PushResponse};
use congelo::domain::{EventId, KioskId, Seq, SiteId};
use congelo::entropy::new_sale_id;
use congelo::hub::admin::cli_audit as cli;
use congelo::hub::store::{Contact, HubStore, NewCode, NewKiosk};
use congelo::hub::{HubState, SqliteHubStore, admin, secrets, server};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions};
use tokio_util::sync::CancellationToken;

const EVENTS_PER_KIOSK: u64 = 25_000;
const BATCH: usize = 500;
const CATCH_UP_EVENTS: u64 = 10_000;

fn main() {
    let dir = bench_dir();
    println!("Congélo hub benchmarks (data in {})\n", dir.display());
    congelo::sync::install_crypto_provider();
    let store = Arc::new(SqliteHubStore::open(&dir.join("hub.db")).expect("hub db"));
    let site = seed(store.as_ref());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let shutdown = CancellationToken::new();
    let addr = start_hub(&runtime, store.clone(), shutdown.clone());
    let url = format!("http://{addr}");
    ingest(&runtime, store.as_ref(), site, &url);
    storage_alone(store.as_ref(), site, &url);
    catch_up(store.as_ref(), site, &url, &dir);
    shutdown.cancel();
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}

fn bench_dir() -> PathBuf {
    let dir = std::env::var_os("CONGELO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"))
        .join("hub");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench directory");
    dir
}

fn seed(store: &dyn HubStore) -> SiteId {
    admin::init(store, "admin", "correct horse battery", &mut Vec::new()).expect("init");
    let territory = store
        .save_territory(None, "MRC", &cli("territory.create"))
        .expect("territory");
    let site = store
        .save_site(None, "Site", territory, &cli("site.create"))
        .expect("site");
    for product in congelo::demo::products() {
        store
            .save_product(None, &product, &cli("product.create"))
            .expect("product");
    }
    site
}

fn start_hub(
    runtime: &tokio::runtime::Runtime,
    store: Arc<SqliteHubStore>,
    shutdown: CancellationToken,
) -> SocketAddr {
    let state = HubState {
        store,
        max_body_bytes: 16 * 1024 * 1024,
        request_timeout: Duration::from_secs(60),
        clock_tolerance: Duration::from_secs(300),
        web: Default::default(),
        retention_months: 13,
        clock: Arc::new(congelo::clock::SystemClock::default()),
    };
    let listener = runtime
        .block_on(server::bind(SocketAddr::from(([127, 0, 0, 1], 0))))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    runtime.spawn(server::serve(listener, state, None, shutdown));
    addr
}

/// A kiosk and its token, enrolled over HTTP like a real one.
fn enrolled(store: &dyn HubStore, site: SiteId, name: &str, url: &str) -> (KioskId, String) {
    let (code, hash) = secrets::new_enrolment_code().expect("code");
    let now = Utc::now();
    let kiosk = NewKiosk {
        name: name.into(),
        site,
        payment_methods: PaymentMethod::ALL.to_vec(),
        thresholds: Thresholds::default(),
    };
    let code_row = NewCode {
        hash,
        created_at: now,
        expires_at: now + chrono::Duration::hours(1),
    };
    store
        .create_kiosk(&kiosk, &code_row, &cli("kiosk.create"))
        .expect("kiosk");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = congelo::sync::HubClient::new(Default::default()).expect("client");
    let answer = runtime.block_on(client.enrol(url, &code)).expect("enrol");
    (answer.kiosk, answer.token)
}

/// A realistic sale event: 1 to 4 lines with lots, like a kiosk commits.
fn sale_event(kiosk: KioskId, seq: u64, rng: &mut fastrand::Rng) -> Event {
    let products = congelo::demo::products();
    let mut cart = Cart::new();
    for _ in 0..rng.usize(1..=4) {
        let product = products[rng.usize(..products.len())].id;
        cart.add(product, None).expect("room");
    }
    let tier = congelo::domain::tier::Tier::full_price(congelo::domain::TierId(1));
    let priced =
        price_cart(&cart, |id| products.iter().find(|p| p.id == id), &tier).expect("priced");
    let header = SaleHeader {
        id: new_sale_id(),
        kiosk,
        at: Utc::now(),
        buyer: None,
        tier: tier.id,
        config_version: None,
    };
    let mut sale = Sale::from_cart(
        header,
        &priced,
        Payment::settle(PaymentMethod::Cash, priced.totals.due),
    );
    for line in &mut sale.lines {
        line.lots = vec![LotTake {
            lot: Some(format!("L2611-{:02}", line.product.0)),
            quantity: line.quantity,
        }];
    }
    Event {
        id: EventId(uuid::Uuid::now_v7()),
        kiosk,
        seq: Seq(seq),
        at: sale.at,
        clock: None,
        body: EventBody::Sale(sale),
    }
}

/// The request bodies of one kiosk's pushes, serialised beforehand.
fn bodies(kiosk: KioskId, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let events: Vec<Event> = (1..=EVENTS_PER_KIOSK)
        .map(|s| sale_event(kiosk, s, &mut rng))
        .collect();
    events
        .chunks(BATCH)
        .map(|chunk| {
            let health = KioskHealth {
                version: "bench".into(),
                uptime_s: 1,
                pending: 0,
                disk_free_bytes: None,
                last_millicelsius: None,
                clock: Utc::now(),
            };
            serde_json::to_vec(&PushRequest {
                health,
                events: chunk.to_vec(),
            })
            .expect("json")
        })
        .collect()
}

fn ingest(runtime: &tokio::runtime::Runtime, store: &dyn HubStore, site: SiteId, url: &str) {
    let kiosks = [
        enrolled(store, site, "A", url),
        enrolled(store, site, "B", url),
    ];
    let prepared: Vec<_> = kiosks
        .iter()
        .enumerate()
        .map(|(n, (kiosk, token))| (*kiosk, token.clone(), bodies(*kiosk, n as u64)))
        .collect();
    let bytes: usize = prepared.iter().flat_map(|p| p.2.iter().map(Vec::len)).sum();
    let http = reqwest::Client::new();
    let started = Instant::now();
    runtime.block_on(async {
        let pushes = prepared.into_iter().map(|(kiosk, token, bodies)| {
            let http = http.clone();
            let url = format!("{url}/api/v1/kiosks/{kiosk}/events");
            tokio::spawn(async move {
                for body in bodies {
                    let response = http
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .expect("push");
                    assert!(response.status().is_success(), "{}", response.status());
                    let answer: PushResponse = response.json().await.expect("answer");
                    assert_eq!(answer.stored as usize, BATCH);
                }
            })
        });
        for push in pushes.collect::<Vec<_>>() {
            push.await.expect("pusher");
        }
    });
    let elapsed = started.elapsed();
    let total = 2 * EVENTS_PER_KIOSK;
    for (kiosk, _) in &kiosks {
        assert_eq!(store.event_count(*kiosk).expect("count"), EVENTS_PER_KIOSK);
    }
    println!("1. Ingest: {total} sale events from 2 kiosks at once, batches of {BATCH}");
    println!(
        "   {:.2} s, {:.0} events/s ({:.1} MB of JSON; goal ≥ 20 000 events/s)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        bytes as f64 / 1e6
    );
}

/// The same work without HTTP or JSON parsing: what the storage layer alone sustains on one thread.
fn storage_alone(store: &dyn HubStore, site: SiteId, url: &str) {
    let (kiosk, _) = enrolled(store, site, "Storage", url);
    let mut rng = fastrand::Rng::with_seed(9);
    let events: Vec<Event> = (1..=EVENTS_PER_KIOSK)
        .map(|s| sale_event(kiosk, s, &mut rng))
        .collect();
    let contact = Contact {
        health: KioskHealth {
            version: "bench".into(),
            uptime_s: 1,
            pending: 0,
            disk_free_bytes: None,
            last_millicelsius: None,
            clock: Utc::now(),
        },
        received_at: Utc::now(),
        clock: congelo::domain::sync::read_clock(Utc::now(), Utc::now(), 1),
    };
    let started = Instant::now();
    for chunk in events.chunks(BATCH) {
        store.ingest(kiosk, chunk, &contact).expect("ingest");
    }
    let elapsed = started.elapsed();
    println!(
        "   storage alone (no HTTP, no JSON parsing, one thread): {EVENTS_PER_KIOSK} events in {:.2} s, {:.0} events/s\n",
        elapsed.as_secs_f64(),
        EVENTS_PER_KIOSK as f64 / elapsed.as_secs_f64()
    );
}

fn catch_up(store: &dyn HubStore, site: SiteId, url: &str, dir: &Path) {
    let (code, hash) = secrets::new_enrolment_code().expect("code");
    let now = Utc::now();
    let kiosk_row = NewKiosk {
        name: "Catch-up".into(),
        site,
        payment_methods: PaymentMethod::ALL.to_vec(),
        thresholds: Thresholds::default(),
    };
    let code_row = NewCode {
        hash,
        created_at: now,
        expires_at: now + chrono::Duration::hours(1),
    };
    store
        .create_kiosk(&kiosk_row, &code_row, &cli("kiosk.create"))
        .expect("kiosk");
    // Build the kiosk on tmpfs (10 000 durable commits on a disk would only slow the set-up),
    // then move it to the bench disk.
    let scratch =
        tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().expect("tempdir"));
    let scratch_db = scratch.path().join("kiosk.db");
    drop(congelo::demo::create_kiosk_database(&scratch_db, now).expect("demo kiosk"));
    let kiosk = congelo::sync::enrol(&scratch_db, url, &code)
        .expect("enrol")
        .kiosk;
    {
        let mut kiosk_store = KioskStore::open(&scratch_db).expect("open");
        let mut rng = fastrand::Rng::with_seed(5);
        while kiosk_store.last_seq().expect("seq").0 < CATCH_UP_EVENTS {
            let mut sale = match sale_event(kiosk, 0, &mut rng).body {
                EventBody::Sale(sale) => sale,
                _ => unreachable!(),
            };
            sale.lines.iter_mut().for_each(|l| l.lots.clear());
            kiosk_store.record_sale(&sale).expect("sale");
        }
    }
    let db = dir.join("kiosk.db");
    std::fs::copy(&scratch_db, &db).expect("copy the kiosk database");
    let kiosk_store = KioskStore::open(&db).expect("open");
    let pending = kiosk_store.pending_count().expect("pending");
    let started = Instant::now();
    let handle = SyncHandle::start(db.clone(), SyncOptions::default()).expect("worker");
    while kiosk_store.pending_count().expect("pending") > 0 {
        std::thread::sleep(Duration::from_millis(2));
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "{:?}",
            handle.status().borrow()
        );
    }
    let elapsed = started.elapsed();
    handle.shutdown();
    assert_eq!(store.event_count(kiosk).expect("count"), CATCH_UP_EVENTS);
    println!(
        "2. Catch-up: {pending} pending events, real sync worker, batches of {BATCH}, loopback"
    );
    println!("   {:.2} s (goal < 5 s)", elapsed.as_secs_f64());
}
