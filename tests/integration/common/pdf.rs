//! A printed PDF read back with Debian's poppler-utils (`pdfinfo`, `pdftotext -bbox`,
//! `pdftoppm`), so a test checks what lands on paper: pages, paper size, where each word starts.
//! A missing poppler-utils fails the test with the package's name.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::browser::program;

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
    /// Where the word ends (right, bottom).
    pub x_max: f64,
    pub y_max: f64,
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
                x_max: attribute("xMax"),
                y_max: attribute("yMax"),
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
