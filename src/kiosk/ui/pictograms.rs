//! The kiosk's pictograms as pixels, for the `Pictograms` global of the UI.
//!
//! Slint's software renderer rasterises an SVG image again on every frame it draws (it keeps no
//! raster), which cost most of a full frame. The pictograms are therefore rasterised here, once
//! per name and size, at the size the screen shows them (in physical pixels, so they stay crisp),
//! and handed to Slint as pixel buffers. The SVG sources are embedded by `build.rs`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use resvg::{tiny_skia, usvg};
use slint::{Image, Rgba8Pixel, SharedPixelBuffer};

mod sources {
    include!(concat!(env!("OUT_DIR"), "/pictograms.rs"));
}

/// Which set of pictograms a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Set {
    Ui,
    Products,
}

/// The rasterised pictograms of one window, by set, name and size in physical pixels.
#[derive(Default)]
pub(super) struct PictogramCache {
    images: RefCell<HashMap<(Set, String, u32), Image>>,
}

impl PictogramCache {
    pub(super) fn new() -> Rc<PictogramCache> {
        Rc::default()
    }

    /// A UI pictogram (`assets/pictograms/ui/<name>.svg`) in a `pixels`-wide square; an empty
    /// image for a name that does not exist.
    pub(super) fn icon(&self, name: &str, pixels: u32) -> Image {
        self.get(Set::Ui, name, pixels)
    }

    /// A product's pictogram in a `pixels`-wide square; the "unknown" pictogram for a name that
    /// does not exist (a catalogue may name one this kiosk version lacks).
    pub(super) fn product(&self, name: &str, pixels: u32) -> Image {
        if source(Set::Products, name).is_some() {
            self.get(Set::Products, name, pixels)
        } else {
            self.get(Set::Ui, "unknown", pixels)
        }
    }

    fn get(&self, set: Set, name: &str, pixels: u32) -> Image {
        let key = (set, name.to_owned(), pixels);
        if let Some(image) = self.images.borrow().get(&key) {
            return image.clone();
        }
        let image = source(set, name)
            .and_then(|svg| rasterise(svg, pixels))
            .unwrap_or_default();
        self.images.borrow_mut().insert(key, image.clone());
        image
    }
}

fn source(set: Set, name: &str) -> Option<&'static [u8]> {
    let list = match set {
        Set::Ui => sources::UI,
        Set::Products => sources::PRODUCTS,
    };
    list.iter()
        .find(|(stem, _)| *stem == name)
        .map(|(_, svg)| *svg)
}

/// The SVG drawn to fit a `pixels`-wide square, keeping its proportions; `None` if the SVG does
/// not parse or the size is zero.
fn rasterise(svg: &[u8], pixels: u32) -> Option<Image> {
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).ok()?;
    let size = tree.size();
    let scale = pixels as f32 / size.width().max(size.height());
    let width = (size.width() * scale).round() as u32;
    let height = (size.height() * scale).round() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia's pixels are RGBA with premultiplied alpha, which is what Slint takes.
    let buffer = SharedPixelBuffer::<Rgba8Pixel>::clone_from_slice(pixmap.data(), width, height);
    Some(Image::from_rgba8_premultiplied(buffer))
}

/// Logical pixels (as Slint passes a length) to whole physical pixels at `scale_factor`.
pub(super) fn physical(logical: f32, scale_factor: f32) -> u32 {
    (logical * scale_factor).round().max(0.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixels(image: &Image) -> (u32, u32) {
        let size = image.size();
        (size.width, size.height)
    }

    #[test]
    fn every_pictogram_rasterises_at_the_size_asked() {
        let cache = PictogramCache::default();
        for (name, _) in sources::UI {
            let image = cache.icon(name, 44);
            assert_eq!(pixels(&image), (44, 44), "{name}");
        }
        for (name, _) in sources::PRODUCTS {
            let image = cache.product(name, 48);
            assert_eq!(pixels(&image), (48, 48), "{name}");
        }
    }

    #[test]
    fn an_unknown_product_shows_the_unknown_pictogram() {
        let cache = PictogramCache::default();
        assert_eq!(pixels(&cache.product("durian", 36)), (36, 36));
        assert_eq!(pixels(&cache.icon("durian", 36)), (0, 0));
    }

    #[test]
    fn physical_pixels_round_to_the_nearest_whole_pixel() {
        assert_eq!(physical(44.0, 1.0), 44);
        assert_eq!(physical(44.0, 1.5), 66);
        assert_eq!(physical(-1.0, 1.0), 0);
    }
}
