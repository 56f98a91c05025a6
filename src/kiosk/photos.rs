//! Product photos as pixels for the screens, decoded on the core's thread.
//!
//! The UI thread never reads a disk, so the core decodes a photo from the kiosk's photo cache
//! (`photos/<hash>.jpg`, filled by the sync worker) when it first builds a view that shows it, at
//! the size the screens need, and keeps the pixels by hash: each photo is read and decoded once
//! per run. A view carries them as [`PhotoPixels`] (shared, compared by hash), and the UI glue
//! turns each hash into one `slint::Image`, also kept. A photo not downloaded yet is looked for
//! again after the next sync status, not on every view.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use image::imageops::FilterType;

use crate::domain::photo::PhotoHash;
use crate::store::photos::photo_path;

/// Side of the decoded square, in pixels: the largest a screen shows a photo (the 64 px grid
/// tile at a scale factor of 2).
pub const SHOWN_SIDE: u32 = 128;
/// At most this many decoded photos are kept (64 KiB each); past it the cache starts over.
const MAX_DECODED: usize = 512;

/// A decoded photo: opaque RGBA pixels, `SHOWN_SIDE` square.
#[derive(Clone)]
pub struct PhotoPixels {
    pub hash: PhotoHash,
    pub width: u32,
    pub height: u32,
    pub rgba: Arc<[u8]>,
}

impl PartialEq for PhotoPixels {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
    }
}

impl Eq for PhotoPixels {}

impl fmt::Debug for PhotoPixels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhotoPixels({})", self.hash)
    }
}

/// The decoded photos of one kiosk, by hash.
pub struct PhotoLibrary {
    dir: PathBuf,
    decoded: RefCell<HashMap<PhotoHash, PhotoPixels>>,
    missing: RefCell<HashSet<PhotoHash>>,
}

impl PhotoLibrary {
    /// The photos kept in `dir` (the kiosk's `photos/` folder).
    pub fn new(dir: PathBuf) -> PhotoLibrary {
        PhotoLibrary {
            dir,
            decoded: RefCell::default(),
            missing: RefCell::default(),
        }
    }

    /// The photo `hash` as pixels, if it is in the cache and decodes.
    pub fn get(&self, hash: Option<&PhotoHash>) -> Option<PhotoPixels> {
        let hash = hash?;
        if let Some(pixels) = self.decoded.borrow().get(hash) {
            return Some(pixels.clone());
        }
        if self.missing.borrow().contains(hash) {
            return None;
        }
        match self.decode(hash) {
            Some(pixels) => {
                let mut decoded = self.decoded.borrow_mut();
                if decoded.len() >= MAX_DECODED {
                    decoded.clear();
                }
                decoded.insert(hash.clone(), pixels.clone());
                Some(pixels)
            }
            None => {
                self.missing.borrow_mut().insert(hash.clone());
                None
            }
        }
    }

    /// Looks again for the photos that were missing (after the sync worker may have fetched them).
    pub fn recheck_missing(&self) {
        self.missing.borrow_mut().clear();
    }

    fn decode(&self, hash: &PhotoHash) -> Option<PhotoPixels> {
        let bytes = std::fs::read(photo_path(&self.dir, hash)).ok()?;
        let image = match image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg) {
            Ok(image) => image,
            Err(error) => {
                tracing::warn!(%hash, %error, "a cached photo does not decode");
                return None;
            }
        };
        let rgba = image
            .resize_exact(SHOWN_SIDE, SHOWN_SIDE, FilterType::Triangle)
            .to_rgba8();
        Some(PhotoPixels {
            hash: hash.clone(),
            width: rgba.width(),
            height: rgba.height(),
            rgba: rgba.into_raw().into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        let image = image::RgbImage::from_pixel(256, 256, image::Rgb([200, 40, 40]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image
            .write_to(&mut bytes, image::ImageFormat::Jpeg)
            .unwrap();
        bytes.into_inner()
    }

    #[test]
    fn a_cached_photo_decodes_once_and_a_missing_one_is_looked_for_after_a_sync() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = jpeg();
        let hash = PhotoHash::of(&bytes);
        let library = PhotoLibrary::new(dir.path().to_owned());
        assert_eq!(library.get(Some(&hash)), None);
        crate::store::photos::keep_photo(dir.path(), &hash, &bytes).unwrap();
        assert_eq!(library.get(Some(&hash)), None, "still known missing");
        library.recheck_missing();
        let pixels = library.get(Some(&hash)).unwrap();
        assert_eq!((pixels.width, pixels.height), (SHOWN_SIDE, SHOWN_SIDE));
        assert_eq!(pixels.rgba.len(), (SHOWN_SIDE * SHOWN_SIDE * 4) as usize);
        assert!(pixels.rgba[0] > 150 && pixels.rgba[3] == 255);
        std::fs::remove_file(photo_path(dir.path(), &hash)).unwrap();
        assert!(library.get(Some(&hash)).is_some(), "decoded once, kept");
        assert_eq!(library.get(None), None);
    }
}
