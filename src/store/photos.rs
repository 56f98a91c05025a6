//! The kiosk's photo cache: product photos in a `photos/` folder next to its database, one file
//! per photo named by its SHA-256 (`photos/<hash>.jpg`).
//!
//! The sync worker fills it after applying a configuration; the core reads it when it builds a
//! view. A file is only ever written whole and checked: the bytes must hash to the name, are
//! written to a temporary file, synced, then renamed, so a crash or a cut connection leaves either
//! the whole photo or none. A photo already there is never downloaded again, and nothing is
//! removed while offline except photos the configuration in force no longer names.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{KioskStore, StoreError};
use crate::domain::photo::{PHOTO_EXTENSION, PhotoHash};

/// Why a downloaded photo was not kept.
#[derive(Debug, Error)]
pub enum PhotoCacheError {
    #[error("the bytes received do not hash to {0}")]
    HashMismatch(PhotoHash),
    #[error("cannot write the photo cache: {0}")]
    Io(#[from] io::Error),
}

/// The photo cache folder of the kiosk database at `database`.
pub fn photos_dir(database: &Path) -> PathBuf {
    database
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("photos")
}

/// Where the photo `hash` is kept in `dir`.
pub fn photo_path(dir: &Path, hash: &PhotoHash) -> PathBuf {
    dir.join(hash.file_name())
}

/// Whether `dir` holds the photo `hash`.
pub fn has_photo(dir: &Path, hash: &PhotoHash) -> bool {
    photo_path(dir, hash).is_file()
}

/// Keeps `bytes` as the photo `hash` if they are that photo (temporary file, sync, rename).
pub fn keep_photo(dir: &Path, hash: &PhotoHash, bytes: &[u8]) -> Result<(), PhotoCacheError> {
    if !hash.matches(bytes) {
        return Err(PhotoCacheError::HashMismatch(hash.clone()));
    }
    fs::create_dir_all(dir)?;
    let temporary = dir.join(format!("{hash}.part"));
    let mut file = fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temporary, photo_path(dir, hash))?;
    Ok(())
}

/// Removes the photos (and left-over temporary files) of `dir` that `wanted` does not name;
/// returns how many were removed.
pub fn prune_photos(dir: &Path, wanted: &BTreeSet<PhotoHash>) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error),
    };
    let mut removed = 0;
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kept = name
            .strip_suffix(PHOTO_EXTENSION)
            .and_then(|stem| stem.strip_suffix('.'))
            .and_then(|stem| stem.parse::<PhotoHash>().ok())
            .is_some_and(|hash| wanted.contains(&hash));
        if !kept && path.is_file() {
            fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

impl KioskStore {
    /// This kiosk's photo cache folder, next to its database.
    pub fn photos_dir(&self) -> PathBuf {
        photos_dir(self.path())
    }

    /// Every photo the configuration in force names.
    pub fn photo_hashes(&self) -> Result<BTreeSet<PhotoHash>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT DISTINCT photo FROM products WHERE photo IS NOT NULL")?;
        let hashes = statement
            .query_map([], |r| crate::sqlite::photo_hash(r, 0))?
            .filter_map(|r| r.transpose())
            .collect::<Result<_, _>>()?;
        Ok(hashes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_kept_only_under_its_own_hash_and_pruned_when_unnamed() {
        let dir = tempfile::tempdir().unwrap();
        let photos = dir.path().join("photos");
        let hash = PhotoHash::of(b"jpeg bytes");
        let other = PhotoHash::of(b"other");
        assert!(matches!(
            keep_photo(&photos, &hash, b"jpeg bytez"),
            Err(PhotoCacheError::HashMismatch(_))
        ));
        assert!(!has_photo(&photos, &hash));
        keep_photo(&photos, &hash, b"jpeg bytes").unwrap();
        keep_photo(&photos, &other, b"other").unwrap();
        fs::write(photos.join("stray.part"), b"half").unwrap();
        assert_eq!(fs::read(photo_path(&photos, &hash)).unwrap(), b"jpeg bytes");
        let wanted = BTreeSet::from([hash.clone()]);
        assert_eq!(prune_photos(&photos, &wanted).unwrap(), 2);
        assert!(has_photo(&photos, &hash) && !has_photo(&photos, &other));
        assert_eq!(prune_photos(&dir.path().join("none"), &wanted).unwrap(), 0);
    }
}
