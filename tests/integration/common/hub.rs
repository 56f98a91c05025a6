//! A real hub on 127.0.0.1:0 with a temp database, seeded through the real admin code and the
//! audited store methods (as the command line: [`cli`]), and kiosks on temp files enrolled with it;
//! plus the totals both sides compute, to compare them.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use congelo::domain::Seq;
use congelo::domain::cart::Cart;
use congelo::domain::codes::{Payload, PayloadKind};
use congelo::domain::config::Thresholds;
use congelo::domain::event::EventBody;
use congelo::domain::pricing::price_cart;
use congelo::domain::sale::{Buyer, Payment, PaymentMethod, Sale, SaleHeader};
use congelo::domain::{HouseholdId, KioskId, Money, SiteId};
use congelo::entropy::new_sale_id;
use congelo::hub::admin;
pub use congelo::hub::admin::cli_audit as cli;
use congelo::hub::secrets;
use congelo::hub::server;
use congelo::hub::store::{
    HouseholdFields, HubStore, LineTotals, NewCode, NewHousehold, NewKiosk, TierEntry,
};
use congelo::hub::web::WebSettings;
use congelo::hub::{HubState, SqliteHubStore};
use congelo::store::KioskStore;
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

use super::wait::wait_until;

/// A temp directory on tmpfs when there is one: the tests measure behaviour, not fsync, and tens of
/// thousands of durable commits on a real disk would make them slow.
pub fn fast_tempdir() -> TempDir {
    tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().expect("tempdir"))
}

/// The state every test hub serves: 1 MiB bodies, 30 s per request, 5 minutes of clock tolerance,
/// 13 months of retention.
pub fn test_state(
    store: Arc<SqliteHubStore>,
    web: WebSettings,
    clock: Arc<dyn congelo::clock::Clock>,
) -> HubState {
    HubState {
        store,
        max_body_bytes: 1024 * 1024,
        request_timeout: Duration::from_secs(30),
        clock_tolerance: Duration::from_secs(300),
        web,
        retention_months: 13,
        clock,
    }
}

/// A hub's service on 127.0.0.1:0, on its own thread and runtime like the real one; dropping it
/// shuts the hub down and waits for it.
pub struct Served {
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    pub fn start(state: HubState, limits: server::ServeLimits) -> Served {
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = server::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                server::serve_with(listener, state, None, limits, stop)
                    .await
                    .expect("serve");
            });
        });
        Served {
            addr: rx.recv().expect("hub address"),
            shutdown,
            thread: Some(thread),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A seeded hub serving on its own thread and runtime, like the real one.
pub struct TestHub {
    pub addr: SocketAddr,
    pub url: String,
    pub store: Arc<SqliteHubStore>,
    pub seeded: Seeded,
    _served: Served,
    _dir: TempDir,
}

impl TestHub {
    /// Starts a seeded hub (body limit 1 MiB).
    pub fn start() -> TestHub {
        let dir = fast_tempdir();
        let store = Arc::new(SqliteHubStore::open(&dir.path().join("hub.db")).expect("hub db"));
        let seeded = seed(store.as_ref());
        let state = test_state(
            store.clone(),
            Default::default(),
            Arc::new(congelo::clock::SystemClock::default()),
        );
        let served = Served::start(state, server::ServeLimits::default());
        let addr = served.addr;
        TestHub {
            addr,
            url: format!("http://{addr}"),
            store,
            seeded,
            _served: served,
            _dir: dir,
        }
    }

    /// A new kiosk at the seeded site and its enrolment code.
    pub fn add_kiosk(&self, name: &str) -> (KioskId, String) {
        add_kiosk(self.store.as_ref(), self.seeded.site, name)
    }
}

/// What [`seed`] created.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub site: SiteId,
    /// Household cards (the secret, as a printed card holds it).
    pub cards: Vec<(HouseholdId, Payload)>,
}

/// The demo catalogue (ids 1 to 20, as in a demo kiosk), three tiers, three households.
pub fn seed(store: &dyn HubStore) -> Seeded {
    admin::init(store, "admin", "correct horse battery", &mut Vec::new()).expect("init");
    let territory = store
        .save_territory(None, "MRC de Test", &cli("territory.create"))
        .expect("territory");
    let site = store
        .save_site(None, "Centre de bénévolat", territory, &cli("site.create"))
        .expect("site");
    for product in congelo::demo::products() {
        store
            .save_product(None, &product, &cli("product.create"))
            .expect("product");
    }
    let tier = |label: &str, percent| {
        store
            .save_tier(
                None,
                &TierEntry::plain(label, percent, false),
                &cli("tier.create"),
            )
            .expect("tier")
    };
    let (t60, t30) = (tier("Tarif B", 60), tier("Tarif A", 30));
    let mut cards = Vec::new();
    for (tier, balance) in [(t30, Some(10_000)), (t60, None), (t30, None)] {
        let card = congelo::entropy::new_payload(PayloadKind::Card).expect("card");
        let household = store
            .create_household(
                &NewHousehold {
                    fields: HouseholdFields::active(tier),
                    balance: balance.map(Money::from_cents),
                    pay_later_limit: Some(Money::from_cents(1_500)),
                    cards: vec![card.hash()],
                },
                &cli("household.create"),
            )
            .expect("household");
        cards.push((household, card));
    }
    Seeded { site, cards }
}

/// Adds a kiosk offering every payment method; returns its id and enrolment code.
pub fn add_kiosk(store: &dyn HubStore, site: SiteId, name: &str) -> (KioskId, String) {
    let (code, hash) = secrets::new_enrolment_code().expect("code");
    let now = Utc::now();
    let kiosk = store
        .create_kiosk(
            &NewKiosk {
                name: name.into(),
                site,
                payment_methods: PaymentMethod::ALL.to_vec(),
                thresholds: Thresholds::default(),
            },
            &NewCode {
                hash,
                created_at: now,
                expires_at: now + chrono::Duration::days(1),
            },
            &cli("kiosk.create"),
        )
        .expect("kiosk");
    (kiosk, code)
}

/// A demo kiosk database at `path`, enrolled with the hub at `url` (configuration pulled).
pub fn enrolled_kiosk(path: &Path, url: &str, code: &str) -> KioskId {
    drop(super::demo_kiosk(path));
    let enrolment = congelo::sync::enrol(path, url, code).expect("enrol");
    assert_eq!(enrolment.pull_error, None);
    enrolment.kiosk
}

/// A random sale, with one of `cards` (or none) at its household's tier.
pub fn sale_with_card(
    store: &KioskStore,
    rng: &mut fastrand::Rng,
    cards: &[(HouseholdId, Payload)],
) -> Sale {
    let products = store.products(true).expect("products");
    let mut cart = Cart::new();
    for _ in 0..rng.usize(1..=3) {
        let product = products[rng.usize(..products.len())].id;
        for _ in 0..rng.u32(1..=2) {
            cart.add(product, None).expect("cart has room");
        }
    }
    let card = (!cards.is_empty() && rng.bool()).then(|| &cards[rng.usize(..cards.len())]);
    let (buyer, tier) = match card {
        Some((_, payload)) => {
            let found = store
                .card(&payload.hash())
                .expect("lookup")
                .expect("known card");
            let tier = store
                .tier(found.household.tier)
                .expect("tier")
                .expect("tier exists");
            let buyer = Buyer {
                card: payload.hash(),
                household: found.household.id,
            };
            (Some(buyer), tier)
        }
        None => (None, store.default_tier().expect("default tier")),
    };
    let priced =
        price_cart(&cart, |id| products.iter().find(|p| p.id == id), &tier).expect("priced");
    let methods: &[PaymentMethod] = if buyer.is_some() {
        &PaymentMethod::ALL
    } else {
        &[PaymentMethod::Cash, PaymentMethod::CardTerminal]
    };
    let method = methods[rng.usize(..methods.len())];
    let header = SaleHeader {
        id: new_sale_id(),
        kiosk: store.kiosk_id().expect("kiosk id"),
        at: Utc::now(),
        buyer,
        tier: tier.id,
        config_version: None,
    };
    Sale::from_cart(header, &priced, Payment::settle(method, priced.totals.due))
}

/// Records `count` random sales.
pub fn record_sales(
    store: &mut KioskStore,
    count: usize,
    seed: u64,
    cards: &[(HouseholdId, Payload)],
) {
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..count {
        let sale = sale_with_card(store, &mut rng, cards);
        store.record_sale(&sale).expect("record sale");
    }
}

/// The kiosk's own totals per tier and product (voided sales excluded), from its event log,
/// labelled with the kiosk id the hub knows it by.
pub fn kiosk_totals(store: &KioskStore, kiosk: KioskId) -> Vec<LineTotals> {
    let events = store.events_after(Seq(0), usize::MAX >> 1).expect("events");
    let voided: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SaleVoid(v) => Some(v.sale),
            _ => None,
        })
        .collect();
    let mut totals: BTreeMap<(i64, i64), LineTotals> = BTreeMap::new();
    for event in &events {
        let EventBody::Sale(sale) = &event.body else {
            continue;
        };
        if voided.contains(&sale.id) {
            continue;
        }
        for line in &sale.lines {
            let entry = totals
                .entry((sale.tier.0, line.product.0))
                .or_insert(LineTotals {
                    kiosk,
                    tier: sale.tier,
                    product: line.product,
                    items: 0,
                    full: Money::ZERO,
                    paid: Money::ZERO,
                    weight_g: 0,
                });
            entry.items += u64::from(line.quantity);
            entry.full += line.full();
            entry.paid += line.paid();
            entry.weight_g += u64::from(line.unit_weight_g) * u64::from(line.quantity);
        }
    }
    totals.into_values().collect()
}

/// The hub's totals for one kiosk.
pub fn hub_totals(store: &dyn HubStore, kiosk: KioskId) -> Vec<LineTotals> {
    store
        .line_totals()
        .expect("totals")
        .into_iter()
        .filter(|t| t.kiosk == kiosk)
        .collect()
}

/// Waits (up to `ceiling`, a failure bound, not a timed assertion) until the kiosk's own database
/// says the hub has acknowledged everything, nudging the worker with "sync now" while it has not.
pub fn wait_synced(handle: &congelo::sync::SyncHandle, store: &KioskStore, ceiling: Duration) {
    let synced = wait_until(ceiling, || {
        let done = store.pending_count().expect("pending") == 0;
        if !done {
            handle.sync_now();
        }
        done
    });
    assert!(
        synced,
        "sync did not finish within {ceiling:?}: {:?}",
        handle.status().borrow()
    );
}
