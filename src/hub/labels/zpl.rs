//! ZPL II for thermal label printers (Zebra and compatibles): one 4″ × 2″ label format at
//! 203 dpi, printed `count` times (`^PQ`).
//!
//! Text is UTF-8 (`^CI28`) in the printer's scalable font `^A0`, wrapped in field blocks (`^FB`)
//! whose line counts are measured beforehand so no line is overprinted; the GS1 DataMatrix is
//! the printer's own `^BX` symbol, ECC 200, with `_1` (FNC1) first and the element string after
//! it. Field data is written with `^FH` so a `^` or `~` typed in a name cannot end a command.

use std::fmt::Write;

use super::font::fonts;
use super::{LabelError, MAX_LABELS};
use crate::domain::label::{KEEP_FROZEN, LabelContent};

/// Label width and height in dots (4″ × 2″ at 203 dpi).
pub const WIDTH: u32 = 812;
pub const HEIGHT: u32 = 406;
const MARGIN: u32 = 20;
/// DataMatrix module size in dots (0.5 mm at 203 dpi, within GS1's 0.38–0.99 mm for retail).
const MODULE: u32 = 4;
const CODE_COLUMN: u32 = 210;

/// The escape character of `^BX` (its `_1` is FNC1).
const BX_ESCAPE: char = '_';

/// The ZPL for `count` copies of `label`.
pub fn render_zpl(label: &LabelContent, count: u32) -> Result<String, LabelError> {
    if count == 0 || count > MAX_LABELS {
        return Err(LabelError::Count);
    }
    let fonts = fonts().ok_or(LabelError::Font)?;
    let text_w = WIDTH - 2 * MARGIN - CODE_COLUMN - 16;
    let mut blocks: Vec<(String, f32)> = vec![
        (label.name.fr.clone(), 1.35),
        (label.name.en.clone(), 1.35),
        (label.net_quantity.clone(), 1.35),
        (KEEP_FROZEN.into(), 1.0),
        (label.best_before_line(), 1.0),
        (format!("Lot : {}", label.lot), 1.0),
    ];
    blocks.extend(label.ingredients_line().map(|l| (l, 0.8)));
    blocks.extend(label.allergens_line().map(|l| (l, 0.8)));
    blocks.push((
        format!(
            "Emballé par / Packed by : {}, {}",
            label.packer.name, label.packer.address
        ),
        0.75,
    ));
    let mut zpl = String::new();
    zpl.push_str("^XA\n^CI28\n^PW812\n^LL406\n^LH0,0\n");
    let mut base = 26.0_f32;
    let placed = loop {
        let mut y = MARGIN as f32;
        let mut fields = Vec::new();
        for (text, scale) in &blocks {
            let h = (base * scale).round();
            // Noto Sans is wider than the printer's condensed ^A0: the count is an upper bound.
            let lines = fonts.regular.wrap(text, h, text_w as f32).len().max(1);
            fields.push((y.round() as u32, h as u32, lines, text));
            y += h * 1.1 * lines as f32 + h * 0.2;
        }
        if y <= (HEIGHT - MARGIN) as f32 || base <= 12.0 {
            if y > (HEIGHT - MARGIN) as f32 {
                return Err(LabelError::DoesNotFit("4″ × 2″ thermal"));
            }
            break fields;
        }
        base -= 1.0;
    };
    for (y, h, lines, text) in placed {
        let gap = (h / 10).max(1);
        let _ = writeln!(
            zpl,
            "^FO{MARGIN},{y}^A0N,{h},{h}^FB{text_w},{lines},{gap},L,0^FH\\^FD{}^FS",
            escape_fd(text)
        );
    }
    let code_x = WIDTH - MARGIN - CODE_COLUMN;
    let _ = writeln!(
        zpl,
        "^FO{code_x},{MARGIN}^BXN,{MODULE},200,0,0,,{BX_ESCAPE},1^FD{}^FS",
        bx_data(&label.gs1.element_string())
    );
    // The printer picks the smallest square symbol, as the PDF's encoder does.
    let modules = super::Symbol::gs1(&label.gs1)?.size as u32;
    let mut y = MARGIN + modules * MODULE + 12;
    for line in label.gs1.human_lines() {
        let _ = writeln!(
            zpl,
            "^FO{code_x},{y}^A0N,20,18^FH\\^FD{}^FS",
            escape_fd(&line)
        );
        y += 24;
    }
    let _ = writeln!(zpl, "^PQ{count}\n^XZ");
    Ok(zpl)
}

/// The `^BX` field data: FNC1, then the element string with the escape character itself written
/// as its code word.
pub fn bx_data(element_string: &str) -> String {
    let mut data = format!("{BX_ESCAPE}1");
    for c in element_string.chars() {
        if c == BX_ESCAPE {
            data.push_str("_d095");
        } else {
            data.push(c);
        }
    }
    data
}

/// Field data for `^FH\`: `^`, `~` and `\` as hexadecimal escapes.
fn escape_fd(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '^' => out.push_str("\\5E"),
            '~' => out.push_str("\\7E"),
            '\\' => out.push_str("\\5C"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
