//! One label laid out: texts, symbol modules and rules placed in points from the label's top-left
//! corner, text baselines included. The PDF writer copies the drawing onto a sheet; tests read
//! the same geometry back from the PDF.
//!
//! The label has a 7 pt (2.5 mm) padding, the GS1 DataMatrix with its digits in a right-hand
//! column, the text in the left-hand column, and on stock that holds it the Nutrition Facts table
//! on the right (the code then goes under the text, its digits beside it). The text is set at the
//! largest size (9 pt down to 4.5 pt) at which all of it fits, never under the regulated type
//! height ([`type_height`]): every line when the label has room, else the common names, net
//! quantity, storage, best-before and lot.

use super::font::{Fonts, fonts};
use super::type_height;
use super::{LabelError, Stock, Symbol};
use crate::domain::label::{BEST_BEFORE, KEEP_FROZEN, LabelContent};
use crate::domain::nutrition_table::NutritionFacts;

const PAD: f32 = 7.0;
const GUTTER: f32 = 6.0;
const LEADING: f32 = 1.18;
/// A DataMatrix needs a quiet zone of one module; two are kept.
const QUIET_MODULES: f32 = 2.0;

/// What is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text; `baseline` is measured from the label's top.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    /// A filled rectangle (a run of symbol modules, a rule of the nutrition table).
    Rect { x: f32, y: f32, w: f32, h: f32 },
}

/// A laid-out label.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
    /// Whether the Nutrition Facts table is on it.
    pub nutrition_printed: bool,
}

struct Block {
    text: String,
    bold: bool,
    scale: f32,
    /// The size it never goes under (0: none).
    min_size: f32,
}

fn block(text: impl Into<String>, bold: bool, scale: f32) -> Block {
    Block {
        text: text.into(),
        bold,
        scale,
        min_size: 0.0,
    }
}

/// A block of the label's main mandatory text, never set under the smallest size the regulations
/// allow ([`type_height`]): letters of 1.6 mm, and for the net quantity (`numbers`), numbers of
/// 3.2 mm.
fn held(fonts: &Fonts, text: impl Into<String>, bold: bool, scale: f32, numbers: bool) -> Block {
    let text = text.into();
    Block {
        min_size: type_height::min_size(fonts.get(bold), &text, numbers),
        ..block(text, bold, scale)
    }
}

/// Lays out `label` on `stock`.
pub fn draw(label: &LabelContent, stock: &Stock) -> Result<Drawing, LabelError> {
    let fonts = fonts().ok_or(LabelError::Font)?;
    let symbol = Symbol::gs1(&label.gs1)?;
    let inner_w = stock.width - 2.0 * PAD;
    let inner_h = stock.height - 2.0 * PAD;
    let mut items = Vec::new();
    let nutrition = label.nutrition.as_ref().filter(|_| stock.holds_nutrition);
    let mut main_w = inner_w;
    if let Some(facts) = nutrition {
        let panel_w = (inner_w * 0.47).floor();
        main_w = inner_w - panel_w - GUTTER;
        let panel_x = PAD + main_w + GUTTER;
        nutrition_table(fonts, facts, panel_x, panel_w, inner_h, &mut items)
            .ok_or(LabelError::DoesNotFit(stock.id))?;
    }
    let (text_w, text_h) = code_block(fonts, label, &symbol, main_w, inner_h, &mut items);
    // Every line at the regulated type height when the label has room, else the main mandatory
    // text only.
    let lines = [true, false]
        .into_iter()
        .find_map(|all| fit_blocks(fonts, &text_blocks(fonts, label, all), text_w, text_h))
        .ok_or(LabelError::DoesNotFit(stock.id))?;
    for (y, size, bold, text) in lines {
        items.push(Item::Text {
            x: PAD,
            baseline: PAD + y,
            size,
            bold,
            text,
        });
    }
    Ok(Drawing {
        width: stock.width,
        height: stock.height,
        items,
        nutrition_printed: nutrition.is_some(),
    })
}

/// The text column: the common names, net quantity, storage, best-before and lot are held to the
/// regulated type height; the ingredients, allergens and packer too when `all`, else they shrink
/// with the rest.
fn text_blocks(fonts: &Fonts, label: &LabelContent, all: bool) -> Vec<Block> {
    let rest = |text: String, bold, scale| {
        if all {
            held(fonts, text, bold, scale, false)
        } else {
            block(text, bold, scale)
        }
    };
    let mut blocks = vec![
        held(fonts, &label.name.fr, true, 1.3, false),
        held(fonts, &label.name.en, true, 1.3, false),
        held(fonts, &label.net_quantity, true, 1.3, true),
        held(fonts, KEEP_FROZEN, true, 1.0, false),
        // The date is never broken across lines.
        held(
            fonts,
            format!("{BEST_BEFORE} {}", label.best_before.replace(' ', "\u{a0}")),
            false,
            1.0,
            false,
        ),
        held(fonts, format!("Lot : {}", label.lot), false, 1.0, false),
    ];
    if let Some(line) = label.ingredients_line() {
        blocks.push(rest(line, false, 0.85));
    }
    if let Some(line) = label.allergens_line() {
        blocks.push(rest(line, true, 0.85));
    }
    blocks.push(rest(
        format!(
            "Emballé par / Packed by : {}, {}",
            label.packer.name, label.packer.address
        ),
        false,
        0.8,
    ));
    blocks
}

/// The lines of `blocks` at the largest base size (9 pt down to 4.5 pt) at which they fit.
fn fit_blocks(
    fonts: &Fonts,
    blocks: &[Block],
    width: f32,
    height: f32,
) -> Option<Vec<(f32, f32, bool, String)>> {
    let mut size = 9.0;
    while size >= 4.5 {
        if let Some(lines) = set_blocks(fonts, blocks, size, width, height) {
            return Some(lines);
        }
        size -= 0.25;
    }
    None
}

/// Every line of `blocks` at base `size` as (baseline from the top of the column, size, bold,
/// text), or `None` when they do not fit `height`.
fn set_blocks(
    fonts: &Fonts,
    blocks: &[Block],
    size: f32,
    width: f32,
    height: f32,
) -> Option<Vec<(f32, f32, bool, String)>> {
    let mut y = 0.0;
    let mut lines = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let s = (size * b.scale).max(b.min_size);
        if i > 0 {
            y += s * 0.25;
        }
        for line in fonts.get(b.bold).wrap(&b.text, s, width) {
            y += s * LEADING;
            lines.push((y - s * 0.25, s, b.bold, line));
        }
    }
    (y <= height).then_some(lines)
}

/// Draws the symbol and its digits: in a column at the top right of the main area, or, when the
/// main area is narrow (beside a Nutrition Facts table), at its bottom left with the digits to its
/// right. Returns the room left for the text (width, height).
fn code_block(
    fonts: &Fonts,
    label: &LabelContent,
    symbol: &Symbol,
    main_w: f32,
    inner_h: f32,
    items: &mut Vec<Item>,
) -> (f32, f32) {
    let lines = label.gs1.human_lines();
    let widest = lines
        .iter()
        .map(|l| fonts.regular.width(l, 1.0))
        .fold(0.0_f32, f32::max);
    let modules = symbol.size as f32 + 2.0 * QUIET_MODULES;
    let stacked = main_w < 200.0;
    let (module, hri_size, hri_x, x0, y0, room);
    if stacked {
        let outer = (main_w * 0.45).min(inner_h * 0.35);
        module = outer / modules;
        hri_size = ((main_w - outer - 2.0) / widest).min(6.5);
        hri_x = PAD + outer + 2.0;
        x0 = PAD + module * QUIET_MODULES;
        y0 = PAD + inner_h - outer + module * QUIET_MODULES;
        room = (main_w, inner_h - outer - 2.0);
    } else {
        let column = (main_w * 0.34).min(inner_h * 0.62).min(100.0);
        hri_size = (column / widest).min(6.5);
        let hri_h = hri_size * LEADING * lines.len() as f32;
        module = ((column.min(inner_h - hri_h - 2.0)) / modules).max(0.5);
        let side = module * symbol.size as f32;
        hri_x = PAD + main_w - column;
        x0 = PAD + main_w - column + (column - side) / 2.0;
        y0 = PAD + module * QUIET_MODULES;
        room = (main_w - column - GUTTER, inner_h);
    }
    for (row, start, len) in symbol.runs() {
        items.push(Item::Rect {
            x: x0 + start as f32 * module,
            y: y0 + row as f32 * module,
            w: len as f32 * module,
            h: module,
        });
    }
    let side = module * symbol.size as f32;
    let mut baseline = if stacked {
        y0
    } else {
        y0 + side + module * QUIET_MODULES
    };
    for line in lines {
        baseline += hri_size * LEADING;
        items.push(Item::Text {
            x: hri_x,
            baseline: baseline - hri_size * 0.25,
            size: hri_size,
            bold: false,
            text: line,
        });
    }
    room
}

/// The bilingual Nutrition Facts table in a panel; `None` when it does not fit even small.
fn nutrition_table(
    fonts: &Fonts,
    facts: &NutritionFacts,
    x: f32,
    width: f32,
    height: f32,
    items: &mut Vec<Item>,
) -> Option<()> {
    let mut size = 7.0;
    loop {
        if let Some(table) = set_table(fonts, facts, x, width, size, height) {
            items.extend(table);
            return Some(());
        }
        size -= 0.25;
        if size < 4.5 {
            return None;
        }
    }
}

fn set_table(
    fonts: &Fonts,
    facts: &NutritionFacts,
    x: f32,
    width: f32,
    size: f32,
    height: f32,
) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    let inset = 2.5;
    let (left, right) = (x + inset, x + width - inset);
    let text_w = right - left;
    let mut y = PAD + inset;
    let text = |items: &mut Vec<Item>, y: &mut f32, s: f32, bold: bool, t: &str, align_right| {
        let font = fonts.get(bold);
        let mut last = None;
        for line in font.wrap(t, s, text_w) {
            *y += s * LEADING;
            let tx = if align_right {
                right - font.width(&line, s)
            } else {
                left
            };
            last = Some(line.clone());
            items.push(Item::Text {
                x: tx,
                baseline: *y - s * 0.25,
                size: s,
                bold,
                text: line,
            });
        }
        last
    };
    let rule = |items: &mut Vec<Item>, y: &mut f32, thickness: f32| {
        *y += 1.0;
        items.push(Item::Rect {
            x: left,
            y: *y,
            w: text_w,
            h: thickness,
        });
        *y += thickness + 0.5;
    };
    text(
        &mut items,
        &mut y,
        size * 1.45,
        true,
        "Nutrition Facts",
        false,
    );
    text(
        &mut items,
        &mut y,
        size * 1.45,
        true,
        "Valeur nutritive",
        false,
    );
    text(
        &mut items,
        &mut y,
        size,
        false,
        &format!("Per / par {}", facts.serving_size),
        false,
    );
    rule(&mut items, &mut y, 0.5);
    let calories = format!("Calories {}", facts.calories_text());
    text(&mut items, &mut y, size * 1.2, true, &calories, false);
    text(
        &mut items,
        &mut y,
        size * 0.8,
        true,
        "% Daily Value* / % valeur quotidienne*",
        true,
    );
    rule(&mut items, &mut y, 1.5);
    let rows = facts.rows();
    // The % daily value of the line above when it is that of both lines: text, baseline, width.
    let mut spanning: Option<(String, f32, f32)> = None;
    for row in rows {
        let font = fonts.get(row.bold);
        let label_x = if row.indented { left + size } else { left };
        let dv_w = |dv: &String| fonts.bold.width(dv, size) + 3.0;
        let room = row
            .daily_value
            .as_ref()
            .or(spanning.as_ref().map(|(dv, _, _)| dv))
            .map_or(0.0, dv_w);
        let line = format!("{} {}", row.label, row.amount);
        if font.width(&line, size) > right - room - label_x {
            return None;
        }
        y += size * LEADING;
        let baseline = y - size * 0.25;
        items.push(Item::Text {
            x: label_x,
            baseline,
            size,
            bold: row.bold,
            text: line,
        });
        if let Some((dv, above, w)) = spanning.take() {
            // Right-aligned, centred between the two lines it belongs to.
            items.push(Item::Text {
                x: right - w,
                baseline: (above + baseline) / 2.0,
                size,
                bold: true,
                text: dv,
            });
        } else if let Some(dv) = row.daily_value {
            let w = fonts.bold.width(&dv, size);
            if row.daily_value_spans_next {
                spanning = Some((dv, baseline, w));
            } else {
                items.push(Item::Text {
                    x: right - w,
                    baseline,
                    size,
                    bold: true,
                    text: dv,
                });
            }
        }
        if row.rule_after {
            rule(&mut items, &mut y, 0.3);
        } else {
            // The room a thin rule takes, so the lines stay evenly spaced.
            y += 1.8;
        }
    }
    y += 0.5;
    let footnote = size * 0.75;
    text(
        &mut items,
        &mut y,
        footnote,
        false,
        "*5% or less is a little, 15% or more is a lot",
        false,
    );
    text(
        &mut items,
        &mut y,
        footnote,
        false,
        "*5 % ou moins c'est peu, 15 % ou plus c'est beaucoup",
        false,
    );
    y += inset;
    if y - PAD > height {
        return None;
    }
    // The frame around the table.
    let (top, bottom, t) = (PAD, y, 0.6);
    items.push(Item::Rect {
        x,
        y: top,
        w: width,
        h: t,
    });
    items.push(Item::Rect {
        x,
        y: bottom - t,
        w: width,
        h: t,
    });
    items.push(Item::Rect {
        x,
        y: top,
        w: t,
        h: bottom - top,
    });
    items.push(Item::Rect {
        x: x + width - t,
        y: top,
        w: t,
        h: bottom - top,
    });
    Some(items)
}
