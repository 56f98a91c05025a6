//! Turning a photo staff took with a phone into the one image kiosks show.
//!
//! An upload is untrusted bytes: it is decoded with the `image` crate under [`Limits`] (a
//! decompression bomb is refused from its header, before any pixel is allocated), turned upright
//! from its EXIF orientation, cropped to a centred square, resized to
//! [`PHOTO_SIDE`](crate::domain::photo::PHOTO_SIDE) and encoded again as a JPEG. Nothing of the
//! original file survives but its pixels: no EXIF (place, time, camera), no comments, no colour
//! profile. Kiosks decode that JPEG with the decoder Slint already builds.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use thiserror::Error;

use crate::domain::photo::{PHOTO_MEDIA_TYPE, PHOTO_SIDE, PhotoHash};

/// The largest upload accepted, in bytes (a phone's JPEG is 2–8 MB).
pub const MAX_UPLOAD_BYTES: usize = 15 * 1024 * 1024;
/// The most pixels an upload may have (a 48-megapixel phone camera's full size).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longest side an upload may have, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// What the decoder may allocate at most.
const MAX_ALLOC_BYTES: u64 = 512 * 1024 * 1024;
/// JPEG quality of the stored photo: no visible artefacts at the sizes a kiosk shows.
const QUALITY: u8 = 85;

/// A photo ready to store: its JPEG bytes and their name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedPhoto {
    pub hash: PhotoHash,
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhotoError {
    #[error("no file was sent")]
    Empty,
    #[error("the file is larger than {} MB", MAX_UPLOAD_BYTES / 1024 / 1024)]
    TooManyBytes,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image has more than {} megapixels or a side over {MAX_SIDE} pixels", MAX_PIXELS / 1_000_000)]
    TooManyPixels,
    #[error("the image is damaged: {0}")]
    Damaged(String),
    #[error("the photo could not be encoded: {0}")]
    Encode(String),
}

/// Decodes, straightens, crops, resizes and re-encodes an upload.
pub fn process(upload: &[u8]) -> Result<ProcessedPhoto, PhotoError> {
    if upload.is_empty() {
        return Err(PhotoError::Empty);
    }
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooManyBytes);
    }
    let format = image::guess_format(upload).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let square = crop_square(&image).resize_exact(PHOTO_SIDE, PHOTO_SIDE, FilterType::Lanczos3);
    let rgb = square.to_rgb8();
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, QUALITY)
        .encode_image(&rgb)
        .map_err(|e| PhotoError::Encode(e.to_string()))?;
    Ok(ProcessedPhoto {
        hash: PhotoHash::of(&bytes),
        bytes,
        media_type: PHOTO_MEDIA_TYPE,
        width: PHOTO_SIDE,
        height: PHOTO_SIDE,
    })
}

/// The largest centred square of `image`.
fn crop_square(image: &DynamicImage) -> DynamicImage {
    let (width, height) = (image.width(), image.height());
    let side = width.min(height);
    image.crop_imm((width - side) / 2, (height - side) / 2, side, side)
}

fn refusal(error: image::ImageError) -> PhotoError {
    match error {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        image::ImageError::Unsupported(_) => PhotoError::NotAnImage,
        other => PhotoError::Damaged(other.to_string()),
    }
}

#[cfg(test)]
#[path = "photos_tests.rs"]
mod tests;
