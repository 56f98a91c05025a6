//! A real browser for the hub's pages: Debian's headless Chromium driven through `chromedriver`
//! (WebDriver) with fantoccini, so the pages are tested as a person's browser renders them — forms
//! filled in by typing, buttons clicked, screenshots and a printed PDF of what is on screen.
//!
//! `chromedriver` runs as a child process on a free loopback port (its own process group, ended
//! with the browser on drop); Chromium gets a temp profile and French as its language. A missing
//! `chromium` or `chromedriver` fails the test with the Debian package to install: the browser
//! test is never skipped silently. What it prints is read back by [`super::pdf`].
//!
//! Every step that leaves a page (opening a path, pressing a button, following a link) waits for
//! the *next* document, never for any document: before acting it marks the current document, and
//! afterwards it waits until the document in the window lacks the mark and has finished loading.
//! On a busy machine the click returns long before the next page arrives, and the old page still
//! has a `body`, a heading and an address; reading any of them too early reads the old page.

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrono::NaiveDate;
use fantoccini::elements::Element;
use fantoccini::wd::{
    Capabilities, PrintConfiguration, PrintMargins, PrintSize, WebDriverCompatibleCommand,
};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

use crate::common::wait::{STEP_CEILING, wait_until, wait_until_async};

/// The browser's window: wide enough for the navigation bar on one line, like a staff laptop.
const WINDOW: (u32, u32) = (1280, 900);

/// Marks the document a step leaves (a property of `document`, which every navigation replaces,
/// unlike `window`, which a same-origin navigation from the first blank page keeps).
const MARK_LEAVING: &str = "document.__congelo_old = true; return true;";

/// What the page in the window is: `old` while the marked document is still there, else the new
/// document's `readyState` (`loading`, `interactive`, `complete`).
const PAGE_STATE: &str = "return document.__congelo_old === true ? 'old' : document.readyState;";

/// Where the test writes its screenshots and PDFs: `$CONGELO_HUB_SCREENSHOT_DIR`, else
/// `target/hub-screenshots/` in the package.
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("CONGELO_HUB_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/hub-screenshots"))
}

/// A program of a Debian package: `$<variable>` when set, else `/usr/bin/<name>`. Panics naming
/// the package when it is not installed.
pub fn program(variable: &str, name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new("/usr/bin").join(name));
    assert!(
        path.is_file(),
        "{} not found: the hub's browser test needs Debian's `{package}` package \
         (`apt-get install {package}`, which .ci/install-packages does), or ${variable} \
         pointing at the program",
        path.display()
    );
    path
}

/// `chromedriver` on a free loopback port, in its own process group so the Chromium it starts
/// ends with it.
struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Driver {
    fn start() -> Driver {
        let binary = program("CONGELO_CHROMEDRIVER", "chromedriver", "chromium-driver");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let mut driver = Driver {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        driver.wait_until_listening();
        driver
    }

    /// Waits (up to [`STEP_CEILING`]) for chromedriver to accept connections; fails with its own
    /// words if it exits, or if it never listens.
    fn wait_until_listening(&mut self) {
        let (addr, child) = (self.addr, &mut self.child);
        let mut exited = None;
        let answered = wait_until(STEP_CEILING, || {
            if TcpStream::connect(addr).is_ok() {
                return true;
            }
            exited = child.try_wait().ok().flatten();
            exited.is_some()
        });
        if let Some(status) = exited {
            let mut said = String::new();
            if let Some(mut stderr) = self.child.stderr.take() {
                let _ = stderr.read_to_string(&mut said);
            }
            panic!("chromedriver exited ({status}): {said}");
        }
        assert!(
            answered,
            "chromedriver did not listen on {addr} within {STEP_CEILING:?}"
        );
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session on the hub at `base` (`http://127.0.0.1:port`).
pub struct Browser {
    pub client: Client,
    base: String,
    shots: PathBuf,
    _profile: TempDir,
    _driver: Driver,
}

impl Browser {
    /// Starts chromedriver and a French headless Chromium pointed at the hub at `addr`.
    pub async fn start(addr: SocketAddr) -> Browser {
        let chromium = program("CONGELO_CHROMIUM", "chromium", "chromium");
        let driver = Driver::start();
        let profile = tempfile::tempdir().expect("browser profile dir");
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--lang=fr-CA".to_owned(),
            format!("--window-size={},{}", WINDOW.0, WINDOW.1),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": args,
                "prefs": { "intl.accept_languages": "fr-CA,fr" },
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://{}", driver.addr))
            .await
            .expect("a WebDriver session with headless Chromium");
        let shots = screenshot_dir();
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        Browser {
            client,
            base: format!("http://{addr}"),
            shots,
            _profile: profile,
            _driver: driver,
        }
    }

    /// Opens a page of the hub by its path and waits until it has loaded.
    pub async fn open(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.mark_leaving().await;
        self.client.goto(&url).await.expect("open page");
        self.wait_for_next_page(&format!("opening {path}")).await;
    }

    /// Marks the document in the window as the one being left (see the module's doc).
    async fn mark_leaving(&self) {
        self.client
            .execute(MARK_LEAVING, vec![])
            .await
            .expect("mark the page being left");
    }

    /// Waits (up to [`STEP_CEILING`]) until the window holds a document other than the marked
    /// one, completely loaded; fails naming `step` otherwise. While the browser is between two
    /// documents a script may fail: that is "not yet", not an error.
    async fn wait_for_next_page(&self, step: &str) {
        let mut last = String::from("no answer");
        let arrived = wait_until_async(STEP_CEILING, async || {
            match self.client.execute(PAGE_STATE, vec![]).await {
                Ok(state) => last = state.as_str().unwrap_or_default().to_owned(),
                Err(e) => last = e.to_string(),
            }
            last == "complete"
        })
        .await;
        if !arrived {
            let page = self.client.current_url().await.map(|u| u.to_string());
            panic!(
                "no new page within {STEP_CEILING:?} after {step} (on {}: {last})",
                page.unwrap_or_default()
            );
        }
    }

    /// The path (and query) shown in the address bar.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// What a person reads on the page (the rendered text, not the markup).
    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("body")
            .text()
            .await
            .expect("page text")
    }

    /// The page's main heading.
    pub async fn heading(&self) -> String {
        self.text_of("h1").await
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.find(Locator::Css(css), css)
            .await
            .text()
            .await
            .expect("text")
    }

    /// The element `locator` finds; a missing one fails the test naming `what` and the page.
    async fn find(&self, locator: Locator<'_>, what: &str) -> Element {
        match self.client.find(locator).await {
            Ok(element) => element,
            Err(e) => {
                let page = self.client.current_url().await.map(|u| u.to_string());
                panic!("{what} on {}: {e}", page.unwrap_or_default())
            }
        }
    }

    /// The text of every element `css` matches, in page order (a table row's cells).
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.expect("find") {
            texts.push(element.text().await.expect("text"));
        }
        texts
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find")
            .len()
    }

    /// Types `value` into the field labelled by id `field`, replacing what was there.
    pub async fn type_into(&self, field: &str, value: &str) {
        let element = self
            .find(Locator::Id(field), &format!("field #{field}"))
            .await;
        element.clear().await.expect("clear field");
        element.send_keys(value).await.expect("type");
    }

    /// Types `day` into the date field with id `field` as a person would: the digits in the
    /// order the browser's field shows them, which follows the browser's own locale (Debian's
    /// headless Chromium shows month, day, year whatever the page's language). Fails unless the
    /// field then holds `day`.
    pub async fn type_date(&self, field: &str, day: NaiveDate) {
        let wanted = day.format("%Y-%m-%d").to_string();
        let mut held = Vec::new();
        for order in ["%m%d%Y", "%d%m%Y", "%Y%m%d"] {
            self.type_into(field, &day.format(order).to_string()).await;
            let value = self
                .client
                .execute(
                    "return document.getElementById(arguments[0]).value;",
                    vec![json!(field)],
                )
                .await
                .expect("the field's value");
            if value.as_str() == Some(wanted.as_str()) {
                return;
            }
            held.push(value.to_string());
        }
        panic!("the date field #{field} did not take {wanted}: it held {held:?}");
    }

    /// Clicks what `css` finds on this page (a radio button, a checkbox, an option) and does not
    /// wait: for a link to another page, use [`follow`](Browser::follow).
    pub async fn click(&self, css: &str) {
        self.find(Locator::Css(css), css)
            .await
            .click()
            .await
            .expect("click");
    }

    /// Clicks the link `css` finds and waits for the page it leads to.
    pub async fn follow(&self, css: &str) {
        let link = self.find(Locator::Css(css), css).await;
        self.mark_leaving().await;
        link.click().await.expect("follow the link");
        self.wait_for_next_page(&format!("following {css}")).await;
    }

    /// Clicks the button whose text is `label` and waits for the page the form's answer shows
    /// (a new document even when it is the same form again, with its mistakes explained).
    pub async fn press(&self, label: &str) {
        // XPath has no escapes: quote with what the label does not hold (« l'arrivage »).
        let quote = if label.contains('\'') { '"' } else { '\'' };
        let xpath = format!("//button[normalize-space(.)={quote}{label}{quote}]");
        let button = self
            .find(Locator::XPath(&xpath), &format!("button « {label} »"))
            .await;
        self.mark_leaving().await;
        button.click().await.expect("press");
        self.wait_for_next_page(&format!("pressing « {label} »"))
            .await;
    }

    /// Saves the whole page (not only the window) as `<name>.png`; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // The window's size includes the browser's own bars: grow it by the page's height plus
        // that difference, so the capture holds the whole page.
        let sizes = self
            .client
            .execute(
                "return [Math.ceil(document.documentElement.scrollHeight), \
                 window.outerHeight - window.innerHeight];",
                vec![],
            )
            .await
            .expect("page height");
        let number = |i: usize| sizes.get(i).and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        let (page, bars) = (number(0).clamp(WINDOW.1, 2400), number(1));
        self.client
            .set_window_size(WINDOW.0, page + bars)
            .await
            .expect("resize");
        let png = self.client.screenshot().await.expect("screenshot");
        self.client
            .set_window_size(WINDOW.0, WINDOW.1 + bars)
            .await
            .expect("resize back");
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Prints the page as the browser would on `size` paper, without margins of its own (the
    /// page's `@page` rules place the content), and saves it as `<name>.pdf`.
    pub async fn print_pdf(&self, name: &str, size: PrintSize) -> PathBuf {
        let config = PrintConfiguration::builder()
            .size(size)
            .margins(PrintMargins {
                top: 0.0,
                bottom: 0.0,
                left: 0.0,
                right: 0.0,
            })
            .background(true)
            .shrink_to_fit(false)
            .build()
            .expect("print configuration");
        let pdf = self.client.print(config).await.expect("print");
        let path = self.shots.join(format!("{name}.pdf"));
        std::fs::write(&path, pdf).expect("write pdf");
        path
    }

    /// Prints the page through Chromium's own `Page.printToPDF` (the DevTools command behind the
    /// print dialog's "Save as PDF") on US Letter with Chromium's default margins and no other
    /// option, as a coordinator printing the page would get it, and saves it as `<name>.pdf`.
    pub async fn print_letter_pdf(&self, name: &str) -> PathBuf {
        let command = DevTools {
            cmd: "Page.printToPDF",
            params: json!({ "paperWidth": 8.5, "paperHeight": 11.0 }),
        };
        let answer = self
            .client
            .issue_cmd(command)
            .await
            .expect("Page.printToPDF");
        let data = answer["data"]
            .as_str()
            .unwrap_or_else(|| panic!("Page.printToPDF answered no data: {answer}"));
        let pdf = data_encoding::BASE64
            .decode(data.as_bytes())
            .expect("a base64 PDF");
        let path = self.shots.join(format!("{name}.pdf"));
        std::fs::write(&path, pdf).expect("write pdf");
        path
    }

    /// Ends the WebDriver session (Chromium quits).
    pub async fn close(self) {
        let Browser { client, .. } = self;
        client.close().await.expect("close the browser");
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver's `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}
