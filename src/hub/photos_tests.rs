use image::{ImageEncoder, Rgb, RgbImage};

use super::*;

/// A `width`×`height` picture, red on its left half and blue on its right.
fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    })
}

fn encoded(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// `jpeg` with an EXIF block (orientation `orientation`) and a comment inserted after its SOI.
fn with_exif_and_comment(jpeg: &[u8], orientation: u16, comment: &str) -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // padding, no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    for (marker, body) in [(0xE1u8, app1), (0xFE, comment.as_bytes().to_vec())] {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        out.extend_from_slice(&body);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn pixel(photo: &ProcessedPhoto, x: u32, y: u32) -> [u8; 3] {
    let image = image::load_from_memory(&photo.bytes).unwrap().to_rgb8();
    image.get_pixel(x, y).0
}

#[test]
fn jpeg_png_and_webp_become_one_square_jpeg() {
    for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
        let photo = process(&encoded(&halves(640, 480), format)).unwrap();
        assert_eq!(
            (photo.width, photo.height),
            (PHOTO_SIDE, PHOTO_SIDE),
            "{format:?}"
        );
        assert_eq!(
            image::guess_format(&photo.bytes).unwrap(),
            ImageFormat::Jpeg
        );
        let decoded = image::load_from_memory(&photo.bytes).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (PHOTO_SIDE, PHOTO_SIDE)
        );
        assert!(photo.hash.matches(&photo.bytes));
        // The centred square keeps both halves, side by side.
        assert!(pixel(&photo, 20, 128)[0] > 150, "{format:?}");
        assert!(pixel(&photo, 236, 128)[2] > 150, "{format:?}");
    }
}

#[test]
fn the_same_upload_gives_the_same_photo() {
    let upload = encoded(&halves(300, 300), ImageFormat::Png);
    assert_eq!(
        process(&upload).unwrap().hash,
        process(&upload).unwrap().hash
    );
}

#[test]
fn metadata_is_dropped_and_the_orientation_applied() {
    let jpeg = encoded(&halves(300, 200), ImageFormat::Jpeg);
    let upload = with_exif_and_comment(&jpeg, 6, "SECRET-PLACE-45.5N");
    assert!(
        upload.windows(18).any(|w| w == b"SECRET-PLACE-45.5N"),
        "the test upload carries its comment"
    );
    let photo = process(&upload).unwrap();
    assert!(!photo.bytes.windows(18).any(|w| w == b"SECRET-PLACE-45.5N"));
    assert!(!photo.bytes.windows(4).any(|w| w == b"Exif"));
    // Orientation 6 turns the picture a quarter clockwise: the left (red) half ends up on top.
    assert!(pixel(&photo, 128, 20)[0] > 150);
    assert!(pixel(&photo, 128, 236)[2] > 150);
}

#[test]
fn what_is_not_an_image_is_refused() {
    assert_eq!(process(b""), Err(PhotoError::Empty));
    assert_eq!(process(b"%PDF-1.7 hello"), Err(PhotoError::NotAnImage));
    assert_eq!(process(b"GIF89a......"), Err(PhotoError::NotAnImage));
    let mut truncated = encoded(&halves(64, 64), ImageFormat::Png);
    truncated.truncate(60);
    assert!(matches!(
        process(&truncated),
        Err(PhotoError::Damaged(_) | PhotoError::NotAnImage)
    ));
}

#[test]
fn too_many_bytes_or_pixels_are_refused_before_decoding() {
    let mut big = encoded(&halves(16, 16), ImageFormat::Png);
    big.resize(MAX_UPLOAD_BYTES + 1, 0);
    assert_eq!(process(&big), Err(PhotoError::TooManyBytes));
    // A PNG header declaring 20 000 × 20 000 pixels, with almost no data: a decompression bomb.
    let mut header = Vec::new();
    image::codecs::png::PngEncoder::new(&mut header)
        .write_image(&[0; 3], 1, 1, image::ExtendedColorType::Rgb8)
        .unwrap();
    declare_size(&mut header, 20_000);
    assert_eq!(process(&header), Err(PhotoError::TooManyPixels));
    // Within the side limit but over the pixel count.
    declare_size(&mut header, 10_000);
    assert_eq!(process(&header), Err(PhotoError::TooManyPixels));
}

/// Makes a PNG's header declare `side` × `side` pixels (with a valid checksum).
fn declare_size(png: &mut [u8], side: u32) {
    png[16..20].copy_from_slice(&side.to_be_bytes());
    png[20..24].copy_from_slice(&side.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
