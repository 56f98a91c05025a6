//! Product photos as Slint images, on the UI thread, without touching the disk.
//!
//! The core hands decoded pixels in the view ([`PhotoPixels`]); each photo becomes one
//! `slint::Image` here, kept by hash for the life of the UI thread, so redrawing a list or coming
//! back to a screen copies nothing. No photo gives an empty image, and the screens show the
//! pictogram instead.

use std::cell::RefCell;
use std::collections::HashMap;

use slint::{Image, Rgba8Pixel, SharedPixelBuffer};

use crate::domain::photo::PhotoHash;
use crate::kiosk::photos::PhotoPixels;

/// At most this many images are kept; past it the cache starts over.
const MAX_IMAGES: usize = 512;

thread_local! {
    static IMAGES: RefCell<HashMap<PhotoHash, Image>> = RefCell::default();
}

/// The image of `photo`, or an empty image.
pub(super) fn image(photo: Option<&PhotoPixels>) -> Image {
    let Some(photo) = photo else {
        return Image::default();
    };
    IMAGES.with(|images| {
        let mut images = images.borrow_mut();
        if let Some(image) = images.get(&photo.hash) {
            return image.clone();
        }
        let buffer = SharedPixelBuffer::<Rgba8Pixel>::clone_from_slice(
            &photo.rgba,
            photo.width,
            photo.height,
        );
        let image = Image::from_rgba8(buffer);
        if images.len() >= MAX_IMAGES {
            images.clear();
        }
        images.insert(photo.hash.clone(), image.clone());
        image
    })
}
