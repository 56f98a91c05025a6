//! Pack labels for a production batch: the label model of [`crate::domain::label`] laid out on
//! label stock and written as a PDF sheet, or as ZPL for a thermal printer.
//!
//! - [`Stock`]: the label sizes the hub prints, with their sheet geometry ([`STOCKS`]).
//! - `layout`: one label as a list of placed texts, symbol modules and rules, in points from the
//!   label's top-left corner; the text size is the largest at which everything fits, so nothing is
//!   ever cut off (a label whose text cannot fit even small is refused with a message).
//! - `pdf`: sheets of N labels with the Noto Sans font embedded (accents render, text stays
//!   searchable: `pdftotext` reads it back). `zpl`: one ZPL label per pack at 203 dpi.
//! - `symbol`: the GS1 DataMatrix (FNC1 first, then the element string).
//! - `type_height`: the smallest type the regulations allow for mandatory text, which the layout
//!   never goes under.
//!
//! **Why GS1 DataMatrix rather than a QR code with a GS1 Digital Link URI.** The data is an
//! element string of digits and the lot, which DataMatrix holds in a smaller symbol than the URI
//! needs in a QR code (22 × 22 modules for a 12-character lot, against 37 × 37 for the URI at
//! QR version 5), so it stays large and
//! easy to read on a 2″ label and at 203 dpi; it needs no web address the collective would have to
//! keep alive, and a restricted-circulation number is not meant to be published on the web. The
//! kiosks' 2D scanners read DataMatrix and send `]d2` and the element string; a scanner in
//! keyboard mode types digits, letters and hyphens the same on any keyboard layout, where the `/`,
//! `?` and `:` of a URI depend on it. The lot comes last, so no group separator is needed.

mod font;
mod layout;
mod pdf;
mod symbol;
mod type_height;
mod zpl;

use thiserror::Error;

pub use layout::{Drawing, Item, draw};
pub use pdf::render_pdf;
pub use symbol::Symbol;
pub use zpl::render_zpl;

/// Points per inch, the PDF unit.
pub const PT: f32 = 72.0;

/// A label size and how its sheet is laid out (all in points, 1/72″).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stock {
    /// The value of the page's layout select.
    pub id: &'static str,
    pub width: f32,
    pub height: f32,
    pub columns: usize,
    pub rows: usize,
    /// Left edge of the first column, top edge of the first row.
    pub left: f32,
    pub top: f32,
    /// From one label's left (top) edge to the next one's.
    pub pitch_x: f32,
    pub pitch_y: f32,
    /// Whether the label has room for the Nutrition Facts table.
    pub holds_nutrition: bool,
}

const LETTER_W: f32 = 8.5 * PT;
const LETTER_H: f32 = 11.0 * PT;

/// The sheets the hub prints, on US Letter paper.
pub const STOCKS: [Stock; 3] = [
    // 2″ × 4″, 2 columns of 5 (Avery 5163 and compatible).
    Stock {
        id: "2x4",
        width: 4.0 * PT,
        height: 2.0 * PT,
        columns: 2,
        rows: 5,
        left: 0.156 * PT,
        top: 0.5 * PT,
        pitch_x: 4.188 * PT,
        pitch_y: 2.0 * PT,
        holds_nutrition: false,
    },
    // 3″ × 3″ squares, 2 columns of 3, 1″ side margins, ¼″ between rows.
    Stock {
        id: "3x3",
        width: 3.0 * PT,
        height: 3.0 * PT,
        columns: 2,
        rows: 3,
        left: 1.0 * PT,
        top: 0.75 * PT,
        pitch_x: 3.5 * PT,
        pitch_y: 3.25 * PT,
        holds_nutrition: false,
    },
    // 4″ × 3⅓″, 2 columns of 3 (Avery 5164 and compatible): room for Nutrition Facts.
    Stock {
        id: "4x3",
        width: 4.0 * PT,
        height: 10.0 / 3.0 * PT,
        columns: 2,
        rows: 3,
        left: 0.156 * PT,
        top: 0.5 * PT,
        pitch_x: 4.188 * PT,
        pitch_y: 10.0 / 3.0 * PT,
        holds_nutrition: true,
    },
];

impl Stock {
    /// The stock named `id`.
    pub fn by_id(id: &str) -> Option<&'static Stock> {
        STOCKS.iter().find(|s| s.id == id)
    }

    /// Labels per sheet.
    pub fn per_sheet(&self) -> usize {
        self.columns * self.rows
    }

    /// Where label `index` of a sheet starts, from the page's top-left corner.
    pub fn origin(&self, index: usize) -> (f32, f32) {
        let column = index % self.columns;
        let row = (index / self.columns) % self.rows;
        (
            self.left + column as f32 * self.pitch_x,
            self.top + row as f32 * self.pitch_y,
        )
    }

    /// The page size, US Letter.
    pub fn page(&self) -> (f32, f32) {
        (LETTER_W, LETTER_H)
    }
}

/// The thermal label ZPL is written for: 4″ × 2″ at 203 dpi.
pub const ZPL_DOTS_PER_INCH: u32 = 203;

/// Most labels one request prints.
pub const MAX_LABELS: u32 = 2000;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum LabelError {
    #[error("the label font could not be read")]
    Font,
    #[error("the GS1 code could not be made: {0}")]
    Symbol(String),
    #[error(
        "the text does not fit on a {0} label even in small type: shorten the ingredients or the address"
    )]
    DoesNotFit(&'static str),
    #[error("print between 1 and {MAX_LABELS} labels")]
    Count,
}

#[cfg(test)]
mod tests;
