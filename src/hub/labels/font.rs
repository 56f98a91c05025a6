//! The label font (Noto Sans, regular and bold, from `assets/fonts/`): glyph ids and advance widths
//! for the PDF, and text measured and wrapped to a column, so the layout knows where every word
//! lands before anything is drawn.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

/// One face of the font, parsed once.
pub struct Font {
    pub data: &'static [u8],
    pub face: Face<'static>,
    /// The PostScript name written in the PDF.
    pub name: &'static str,
    /// The font file deflated for the PDF, made on first use.
    pub deflated: OnceLock<Vec<u8>>,
}

impl Font {
    fn load(data: &'static [u8], name: &'static str) -> Option<Font> {
        Face::parse(data, 0).ok().map(|face| Font {
            data,
            face,
            name,
            deflated: OnceLock::new(),
        })
    }

    /// The glyph drawn for `c` (the font's "missing" glyph 0 when it has none).
    pub fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    /// Advance of `glyph` in thousandths of the font size (PDF glyph space).
    pub fn advance(&self, glyph: GlyphId) -> f32 {
        let units = f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0));
        units * 1000.0 / f32::from(self.face.units_per_em())
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// Height of `c`'s outline (its bounding box, overshoot included) in points at `size`; 0 for
    /// a glyph without outline.
    pub fn glyph_height(&self, c: char, size: f32) -> f32 {
        self.face
            .glyph_bounding_box(self.glyph(c))
            .map_or(0.0, |b| f32::from(b.y_max) - f32::from(b.y_min))
            * size
            / f32::from(self.face.units_per_em())
    }

    /// `text` broken into lines no wider than `width` at `size`, at spaces (never at a no-break
    /// space); a word wider than the column is broken between characters (a long lot or address
    /// never runs off the label).
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// The two faces a label uses.
pub struct Fonts {
    pub regular: Font,
    pub bold: Font,
}

impl Fonts {
    pub fn get(&self, bold: bool) -> &Font {
        if bold { &self.bold } else { &self.regular }
    }
}

/// The fonts, parsed on first use; `None` only if the embedded files were damaged at build time.
pub fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Font::load(REGULAR, "NotoSans-Regular")?,
                bold: Font::load(BOLD, "NotoSans-Bold")?,
            })
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_their_column() {
        let fonts = fonts().expect("embedded fonts parse");
        let text = "Ingrédients : haricots verts, carottes, pois / Ingredients: green beans, carrots, peas";
        let lines = fonts.regular.wrap(text, 7.0, 100.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(fonts.regular.width(line, 7.0) <= 100.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
        let long = fonts.bold.wrap("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10.0, 40.0);
        assert!(long.len() > 2 && long.iter().all(|l| fonts.bold.width(l, 10.0) <= 40.0));
        assert!(fonts.regular.glyph('é').0 != 0 && fonts.bold.glyph('«').0 != 0);
    }
}
