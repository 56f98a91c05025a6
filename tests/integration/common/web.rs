//! The hub's web pages: a hub with users of every role, and a tiny browser (cookie jar, forms with
//! their CSRF token).
//!
//! [`WebHub::browser`] sends each request through the hub's router in-process
//! (`tower::ServiceExt::oneshot`, with the peer address a socket would give), which is all most
//! tests need. The hub also serves on 127.0.0.1:0 ([`WebHub::addr`]) for what needs a real socket:
//! [`WebHub::socket_browser`] (plain HTTP/1.1 on `std::net`) for concurrent clients, raw
//! `TcpStream`s for timeouts and connection limits, and the headless browser.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use tower::ServiceExt;

use chrono::Utc;
use congelo::clock::ManualClock;
use congelo::domain::SiteId;
use congelo::hub::admin::cli_audit as cli;
use congelo::hub::store::{Role, SiteStore, UserStore};
use congelo::hub::web::WebSettings;
use congelo::hub::{SqliteHubStore, admin, secrets, server};
use tempfile::TempDir;

/// Every seeded user's password.
pub const PASSWORD: &str = "correct horse battery";

/// A hub serving the web pages on its own thread, with an admin (`admin`), staff of site A
/// (`staff-a`), staff of site B (`staff-b`) and a report viewer (`viewer`).
pub struct WebHub {
    pub addr: SocketAddr,
    pub store: Arc<SqliteHubStore>,
    pub site_a: SiteId,
    #[allow(dead_code)]
    pub site_b: SiteId,
    pub db: PathBuf,
    /// The hub's clock: it starts at the real time and moves only when a test advances it.
    pub clock: Arc<ManualClock>,
    /// The same service the socket serves (its own login limits), for in-process requests.
    router: Router,
    _served: super::hub::Served,
    _dir: Option<TempDir>,
}

impl WebHub {
    pub fn start() -> WebHub {
        WebHub::start_with(WebSettings::default())
    }

    pub fn start_with(web: WebSettings) -> WebHub {
        let dir = tempfile::tempdir_in("/dev/shm")
            .unwrap_or_else(|_| tempfile::tempdir().expect("tempdir"));
        let mut hub = WebHub::start_on(dir.path().join("hub.db"), web);
        hub._dir = Some(dir);
        hub
    }

    /// The same hub on the database file `db`, in a directory the test owns (a small disk it
    /// fills, for one).
    pub fn start_on(db: PathBuf, web: WebSettings) -> WebHub {
        let store = Arc::new(SqliteHubStore::open(&db).expect("hub db"));
        admin::init(store.as_ref(), "admin", PASSWORD, &mut Vec::new()).expect("init");
        let territory = store
            .save_territory(None, "MRC du Test", &cli("territory.create"))
            .expect("territory");
        let site = |name| {
            store
                .save_site(None, name, territory, &cli("site.create"))
                .expect(name)
        };
        let (site_a, site_b) = (site("Site A"), site("Site B"));
        let hash = secrets::hash_password(PASSWORD).expect("hash");
        for (login, role) in [
            ("staff-a", Role::SiteStaff(site_a)),
            ("staff-b", Role::SiteStaff(site_b)),
            ("viewer", Role::Viewer),
        ] {
            store
                .create_user(login, &hash, role, &cli("user.create"))
                .expect("user");
        }
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let state = super::hub::test_state(store.clone(), web, clock.clone());
        let router = congelo::hub::router(state.clone());
        let served = super::hub::Served::start(state, server::ServeLimits::default());
        let addr = served.addr;
        WebHub {
            addr,
            store,
            site_a,
            site_b,
            db,
            clock,
            router,
            _served: served,
            _dir: None,
        }
    }

    /// A browser whose requests go through the router in-process.
    pub fn browser(&self) -> Browser {
        Browser {
            addr: self.addr,
            router: Some(self.router.clone()),
            cookies: BTreeMap::new(),
            accept_language: None,
        }
    }

    /// A browser that connects to the hub's socket (one connection per request).
    pub fn socket_browser(&self) -> Browser {
        Browser {
            router: None,
            ..self.browser()
        }
    }

    /// A browser logged in as `login` (with [`PASSWORD`]).
    pub fn logged_in(&self, login: &str) -> Browser {
        let mut browser = self.browser();
        let reply = browser.login(login, PASSWORD);
        assert_eq!(reply.status, 303, "login of {login}: {}", reply.body);
        browser
    }

    /// A second connection to the hub's database, for what no page shows (the audit table's
    /// raw rows, a session's age).
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open hub db")
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body as sent (a PDF or another file a page answers).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The page's form token (`name="csrf" value="…"`).
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("the page has a form") + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .expect("token")
            .to_owned()
    }
}

/// Cookies, and requests through the router (or plain HTTP/1.1, one connection each, when it has
/// none).
pub struct Browser {
    addr: SocketAddr,
    router: Option<Router>,
    pub cookies: BTreeMap<String, String>,
    pub accept_language: Option<String>,
}

impl Browser {
    pub fn get(&mut self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    /// Posts `fields` form-encoded, exactly as given (no token added).
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.request("POST", path, Some(body))
    }

    /// Opens `page`, then posts `fields` to `action` with the page's CSRF token, like a person
    /// filling the form in.
    pub fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let shown = self.get(page);
        assert_eq!(shown.status, 200, "{page}: {}", shown.body);
        let token = shown.csrf();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all)
    }

    /// Posts a `multipart/form-data` form: `csrf`, then `file` as its `photo` field (through the
    /// router, like the photo form of a product's page).
    #[allow(dead_code)]
    pub fn upload(&mut self, path: &str, csrf: &str, file: &[u8]) -> Reply {
        let boundary = "----congelo-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; \
             filename=\"pack.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let router = self.router.clone().expect("uploads go through the router");
        let multipart = format!("multipart/form-data; boundary={boundary}");
        let reply = self.in_process(router, "POST", path, &multipart, body);
        self.remember(&reply);
        reply
    }

    pub fn login(&mut self, login: &str, password: &str) -> Reply {
        self.submit(
            "/login",
            "/login",
            &[("login", login), ("password", password)],
        )
    }

    fn request(&mut self, method: &str, path: &str, body: Option<String>) -> Reply {
        let reply = match self.router.clone() {
            Some(router) => {
                let body = body.unwrap_or_default().into_bytes();
                self.in_process(router, method, path, FORM, body)
            }
            None => self.over_socket(method, path, body),
        };
        self.remember(&reply);
        reply
    }

    /// The request a socket would carry (same headers, the peer's address), through the router;
    /// a POST's body is of `content_type`.
    fn in_process(
        &self,
        router: Router,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string());
        if let Some(jar) = self.cookie_header() {
            request = request.header("cookie", jar);
        }
        if let Some(lang) = &self.accept_language {
            request = request.header("accept-language", lang);
        }
        if method == "POST" {
            request = request
                .header("content-type", content_type)
                .header("content-length", body.len());
        }
        let mut request = request.body(Body::from(body)).expect("request");
        let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
        request.extensions_mut().insert(ConnectInfo(peer));
        runtime().block_on(async move {
            let response = router.oneshot(request).await.expect("infallible");
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
                .collect();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            Reply {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
                bytes: bytes.to_vec(),
            }
        })
    }

    fn cookie_header(&self) -> Option<String> {
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        (!jar.is_empty()).then(|| jar.join("; "))
    }

    fn over_socket(&self, method: &str, path: &str, body: Option<String>) -> Reply {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if let Some(jar) = self.cookie_header() {
            head.push_str(&format!("Cookie: {jar}\r\n"));
        }
        if let Some(lang) = &self.accept_language {
            head.push_str(&format!("Accept-Language: {lang}\r\n"));
        }
        let body = body.unwrap_or_default();
        if method == "POST" {
            head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("send head");
        stream.write_all(body.as_bytes()).expect("send body");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read reply");
        parse(&raw)
    }

    fn remember(&mut self, reply: &Reply) {
        for (name, value) in &reply.headers {
            if !name.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let pair = value.split(';').next().unwrap_or_default();
            let Some((key, val)) = pair.split_once('=') else {
                continue;
            };
            if value.contains("Max-Age=0") || val.is_empty() {
                self.cookies.remove(key.trim());
            } else {
                self.cookies
                    .insert(key.trim().to_owned(), val.trim().to_owned());
            }
        }
    }
}

/// The runtime in-process requests run on (shared by every test, never dropped).
/// The body type of the pages' forms.
const FORM: &str = "application/x-www-form-urlencoded";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        bytes: body.to_vec(),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}
