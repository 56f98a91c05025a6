//! A product photo's identity and shape, shared by the hub (which makes and serves photos) and the
//! kiosk (which caches and shows them).
//!
//! A photo is named by the SHA-256 of its stored bytes, so a kiosk can check what it downloaded,
//! keep it under that name, and never fetch the same photo twice; a configuration only carries the
//! name. The hub stores every photo as one square JPEG of [`PHOTO_SIDE`] pixels: large enough for
//! the biggest place a kiosk shows it at any supported screen size, small enough to download
//! quickly over a freezer's weak Wi-Fi.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Width and height of every stored photo, in pixels.
pub const PHOTO_SIDE: u32 = 256;
/// The file extension of a stored photo (every photo is a JPEG).
pub const PHOTO_EXTENSION: &str = "jpg";
/// The media type the hub serves photos with.
pub const PHOTO_MEDIA_TYPE: &str = "image/jpeg";

/// The lowercase hexadecimal SHA-256 of a photo's bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "hub", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
pub struct PhotoHash(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a photo name is 64 lowercase hexadecimal digits")]
pub struct BadPhotoHash;

impl PhotoHash {
    /// The name of `bytes`.
    pub fn of(bytes: &[u8]) -> PhotoHash {
        PhotoHash(hex::encode(Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `bytes` are the photo this names.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        PhotoHash::of(bytes) == *self
    }

    /// The file name a kiosk keeps the photo under: `<hash>.jpg`.
    pub fn file_name(&self) -> String {
        format!("{}.{PHOTO_EXTENSION}", self.0)
    }
}

impl FromStr for PhotoHash {
    type Err = BadPhotoHash;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let ok = text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok {
            Ok(PhotoHash(text.to_owned()))
        } else {
            Err(BadPhotoHash)
        }
    }
}

impl TryFrom<String> for PhotoHash {
    type Error = BadPhotoHash;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<PhotoHash> for String {
    fn from(hash: PhotoHash) -> String {
        hash.0
    }
}

impl fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_names_its_bytes_and_only_them() {
        let hash = PhotoHash::of(b"photo");
        assert_eq!(hash.as_str().len(), 64);
        assert!(hash.matches(b"photo"));
        assert!(!hash.matches(b"photo!"));
        assert_eq!(hash.as_str().parse::<PhotoHash>(), Ok(hash.clone()));
        assert_eq!(hash.file_name(), format!("{hash}.jpg"));
    }

    #[test]
    fn only_64_lowercase_hex_digits_are_a_hash() {
        let good = "a".repeat(64);
        assert!(good.parse::<PhotoHash>().is_ok());
        for bad in [
            "".to_owned(),
            "A".repeat(64),
            "a".repeat(63),
            "g".repeat(64),
            format!("../{}", "a".repeat(61)),
        ] {
            assert_eq!(bad.parse::<PhotoHash>(), Err(BadPhotoHash), "{bad}");
        }
        assert!(serde_json::from_str::<PhotoHash>("\"../x\"").is_err());
    }
}
