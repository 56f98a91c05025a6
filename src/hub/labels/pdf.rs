//! Sheets of labels as PDF, written with `pdf-writer`: the label is drawn once as a form XObject
//! and placed at each position of each sheet, so 2 000 labels cost little more than one.
//!
//! The text uses the embedded Noto Sans faces as CID fonts (Identity-H, glyph ids from the font,
//! their widths, and a ToUnicode map so the text can be searched and extracted); the font files are
//! deflated once per process, not subset.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use super::font::{Font, fonts};
use super::{Drawing, Item, LabelError, MAX_LABELS, Stock};

/// A sheet file of `count` copies of `drawing` on `stock`.
pub fn render_pdf(drawing: &Drawing, stock: &Stock, count: u32) -> Result<Vec<u8>, LabelError> {
    if count == 0 || count > MAX_LABELS {
        return Err(LabelError::Count);
    }
    let fonts = fonts().ok_or(LabelError::Font)?;
    let mut used: [BTreeMap<u16, char>; 2] = [BTreeMap::new(), BTreeMap::new()];
    let label = label_content(drawing, fonts, &mut used);

    let mut next = 1;
    let mut id = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree, form) = (id(), id(), id());
    let font_refs: Vec<[Ref; 5]> = (0..2).map(|_| [id(), id(), id(), id(), id()]).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);

    let mut form_x = pdf.form_xobject(form, &label);
    form_x.bbox(Rect::new(0.0, 0.0, drawing.width, drawing.height));
    let mut resources = form_x.resources();
    let mut font_dict = resources.fonts();
    font_dict.pair(Name(b"F0"), font_refs[0][0]);
    font_dict.pair(Name(b"F1"), font_refs[1][0]);
    font_dict.finish();
    resources.finish();
    form_x.finish();

    for (bold, refs) in font_refs.iter().enumerate() {
        write_font(&mut pdf, fonts.get(bold == 1), refs, &used[bold]);
    }

    let (page_w, page_h) = stock.page();
    let sheets = (count as usize).div_ceil(stock.per_sheet());
    let mut page_ids = Vec::with_capacity(sheets);
    for sheet in 0..sheets {
        let (page_id, content_id) = (id(), id());
        page_ids.push(page_id);
        let on_sheet = (count as usize - sheet * stock.per_sheet()).min(stock.per_sheet());
        let mut content = Content::new();
        for index in 0..on_sheet {
            let (x, y) = stock.origin(index);
            content.save_state();
            content.transform([1.0, 0.0, 0.0, 1.0, x, page_h - y - drawing.height]);
            content.x_object(Name(b"L"));
            content.restore_state();
        }
        pdf.stream(content_id, &content.finish());
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, page_w, page_h));
        page.parent(tree);
        page.contents(content_id);
        page.resources().x_objects().pair(Name(b"L"), form);
        page.finish();
    }
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    Ok(pdf.finish())
}

/// The label's drawing operators in PDF coordinates (y up), noting the glyphs each face uses.
fn label_content(
    drawing: &Drawing,
    fonts: &super::font::Fonts,
    used: &mut [BTreeMap<u16, char>; 2],
) -> Vec<u8> {
    let mut content = Content::new();
    for item in &drawing.items {
        match item {
            Item::Rect { x, y, w, h } => {
                content.rect(*x, drawing.height - y - h, *w, *h);
                content.fill_nonzero();
            }
            Item::Text {
                x,
                baseline,
                size,
                bold,
                text,
            } => {
                let face = usize::from(*bold);
                let font = fonts.get(*bold);
                let mut glyphs = Vec::with_capacity(text.len() * 2);
                for c in text.chars() {
                    let glyph = font.glyph(c).0;
                    used[face].entry(glyph).or_insert(c);
                    glyphs.extend_from_slice(&glyph.to_be_bytes());
                }
                content.begin_text();
                content.set_font(Name(if *bold { b"F1" } else { b"F0" }), *size);
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, drawing.height - baseline]);
                content.show(Str(&glyphs));
                content.end_text();
            }
        }
    }
    content.finish().to_vec()
}

/// The Type 0 font, its CID font, descriptor, ToUnicode map and font file.
fn write_font(pdf: &mut Pdf, font: &Font, refs: &[Ref; 5], used: &BTreeMap<u16, char>) {
    let [type0, cid, descriptor, cmap, file] = *refs;
    let name = Name(font.name.as_bytes());
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(name)
        .system_info(info)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = cid_font.widths();
    for glyph in used.keys() {
        let width = font.advance(ttf_parser::GlyphId(*glyph));
        widths.consecutive(*glyph, [width]);
    }
    widths.finish();
    cid_font.finish();

    let face = &font.face;
    let scale = 1000.0 / f32::from(face.units_per_em());
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(name)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(0.0)
        .ascent(f32::from(face.ascender()) * scale)
        .descent(f32::from(face.descender()) * scale)
        .cap_height(f32::from(face.capital_height().unwrap_or(714)) * scale)
        .stem_v(if font.name.ends_with("Bold") {
            140.0
        } else {
            80.0
        })
        .font_file2(file);

    let mut unicode = UnicodeCmap::new(Name(b"Congelo-UTF16"), info);
    for (glyph, c) in used {
        unicode.pair(*glyph, *c);
    }
    pdf.cmap(cmap, &unicode.finish());

    let compressed = font
        .deflated
        .get_or_init(|| miniz_oxide::deflate::compress_to_vec_zlib(font.data, 6));
    pdf.stream(file, compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), font.data.len() as i32);
}
