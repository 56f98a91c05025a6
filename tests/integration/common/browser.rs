//! A real browser for the hub's pages: Debian's headless Chromium driven through `chromedriver`
//! (WebDriver) with fantoccini, so the pages are tested as a person's browser renders them — forms
//! filled in by typing, buttons clicked, screenshots and a printed PDF of what is on screen.
//!
//! `chromedriver` runs as a child process on a free loopback port (its own process group, ended
//! with the browser on drop); Chromium gets a temp profile and French as its language. A missing
//! `chromium` or `chromedriver` fails the test with the Debian package to install: the browser
//! test is never skipped silently.

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, PrintConfiguration, PrintMargins, PrintSize};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

/// The browser's window: wide enough for the navigation bar on one line, like a staff laptop.
const WINDOW: (u32, u32) = (1280, 900);

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

    /// Waits (boundedly) for chromedriver to accept connections; fails with its own words if it
    /// exits or never listens.
    fn wait_until_listening(&mut self) {
        for _ in 0..200 {
            if TcpStream::connect(self.addr).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut said = String::new();
                if let Some(mut stderr) = self.child.stderr.take() {
                    let _ = stderr.read_to_string(&mut said);
                }
                panic!("chromedriver exited ({status}): {said}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not listen on {}", self.addr);
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

    /// Opens a page of the hub by its path.
    pub async fn open(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client.goto(&url).await.expect("open page");
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

    /// Clicks what `css` finds (a radio button, a checkbox, a link).
    pub async fn click(&self, css: &str) {
        self.find(Locator::Css(css), css)
            .await
            .click()
            .await
            .expect("click");
    }

    /// Clicks the button whose text is `label` and waits for the next page.
    pub async fn press(&self, label: &str) {
        let xpath = format!("//button[normalize-space(.)='{label}']");
        let button = self
            .find(Locator::XPath(&xpath), &format!("button « {label} »"))
            .await;
        button.click().await.expect("press");
        self.client
            .wait()
            .for_element(Locator::Css("body"))
            .await
            .expect("next page");
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

    /// Ends the WebDriver session (Chromium quits).
    pub async fn close(self) {
        let Browser { client, .. } = self;
        client.close().await.expect("close the browser");
    }
}

/// A printed PDF as poppler-utils reads it (`pdfinfo`, `pdftotext -bbox`, `pdftoppm`).
pub struct Pdf {
    path: PathBuf,
}

/// A word on a printed page and where it starts, in points from the page's top left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedWord {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub text: String,
}

impl Pdf {
    pub fn open(path: &Path) -> Pdf {
        program("CONGELO_PDFINFO", "pdfinfo", "poppler-utils");
        Pdf {
            path: path.to_owned(),
        }
    }

    /// Pages, and the first page's size in points (`pdfinfo`).
    pub fn pages_and_size(&self) -> (usize, (f64, f64)) {
        let info = run("pdfinfo", &[self.path.as_os_str()]);
        let field = |name: &str| {
            info.lines()
                .find_map(|line| line.strip_prefix(name))
                .map(str::trim)
                .unwrap_or_else(|| panic!("pdfinfo says no {name}: {info}"))
                .to_owned()
        };
        let pages = field("Pages:").parse().expect("page count");
        let size = field("Page size:");
        let mut numbers = size
            .split_whitespace()
            .filter_map(|word| word.parse::<f64>().ok());
        let (width, height) = (numbers.next(), numbers.next());
        (pages, (width.expect("width"), height.expect("height")))
    }

    /// Every word of the text layer with its position (`pdftotext -bbox`).
    pub fn words(&self) -> Vec<PlacedWord> {
        let html = run(
            "pdftotext",
            &["-bbox".as_ref(), self.path.as_os_str(), "-".as_ref()],
        );
        let mut words = Vec::new();
        let mut page = 0;
        for line in html.lines().map(str::trim) {
            if line.starts_with("<page ") {
                page += 1;
            }
            let Some(rest) = line.strip_prefix("<word ") else {
                continue;
            };
            let attribute = |name: &str| {
                let start = rest.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                rest[start..]
                    .split('"')
                    .next()
                    .expect("value")
                    .parse::<f64>()
                    .expect("number")
            };
            let text = rest
                .split_once('>')
                .and_then(|(_, tail)| tail.split_once("</word>"))
                .map(|(text, _)| text.to_owned())
                .unwrap_or_default();
            words.push(PlacedWord {
                page,
                x: attribute("xMin"),
                y: attribute("yMin"),
                text,
            });
        }
        words
    }

    /// Renders page `page` (from 1) as a PNG at `dpi` to `target` (`pdftoppm`).
    pub fn render_page(&self, page: usize, dpi: u32, target: &Path) {
        let stem = target.with_extension("");
        let page = page.to_string();
        let dpi = dpi.to_string();
        run(
            "pdftoppm",
            &[
                "-png".as_ref(),
                "-singlefile".as_ref(),
                "-f".as_ref(),
                page.as_ref(),
                "-l".as_ref(),
                page.as_ref(),
                "-r".as_ref(),
                dpi.as_ref(),
                self.path.as_os_str(),
                stem.as_os_str(),
            ],
        );
    }
}

/// Runs a poppler-utils program and returns what it printed; fails the test if it fails.
fn run(name: &str, args: &[&std::ffi::OsStr]) -> String {
    let binary = program(
        &format!("CONGELO_{}", name.to_uppercase()),
        name,
        "poppler-utils",
    );
    let output = Command::new(&binary)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
