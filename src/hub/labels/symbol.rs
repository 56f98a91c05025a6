//! The GS1 DataMatrix of a label: FNC1 in first position (what makes it GS1 and makes scanners
//! send `]d2`), then the element string, in the smallest square ECC 200 symbol that holds it.

use datamatrix::{DataMatrix, SymbolList};

use super::LabelError;
use crate::domain::label::Gs1Data;

/// A square symbol: which modules are dark, row by row, without the quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub size: usize,
    dark: Vec<bool>,
}

impl Symbol {
    /// The GS1 DataMatrix of `data`.
    pub fn gs1(data: &Gs1Data) -> Result<Symbol, LabelError> {
        let text = data.element_string();
        let code = DataMatrix::encode_gs1(text.as_bytes(), SymbolList::default().enforce_square())
            .map_err(|e| LabelError::Symbol(format!("{e:?}")))?;
        let bitmap = code.bitmap();
        let size = bitmap.width();
        let mut dark = vec![false; size * bitmap.height()];
        for (x, y) in bitmap.pixels() {
            dark[y * size + x] = true;
        }
        Ok(Symbol { size, dark })
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && self.dark.get(y * self.size + x).copied().unwrap_or(false)
    }

    /// Runs of dark modules per row: (row, first column, length), to draw fewer rectangles.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.size && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}
