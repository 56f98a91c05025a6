//! A small real filesystem (a tmpfs mount) for the full-disk tests, and the means to fill it.
//!
//! Mounting needs root. Without it (a developer's machine) the tests that need one say why and
//! return; CI runs as root and sets `CONGELO_REQUIRE_MOUNT=1`, which turns a refused mount into a
//! failure so the tests can never be skipped there by accident.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A tmpfs mounted on a temp directory; unmounted on drop.
pub struct SmallDisk {
    dir: TempDir,
    filler: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `bytes`, or says why it cannot and returns `None`.
    pub fn mount(bytes: u64) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("mount point");
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={bytes},mode=0755"))
            .arg("tmpfs")
            .arg(dir.path())
            .output();
        let refused = match output {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
            Err(error) => Some(error.to_string()),
        };
        if let Some(why) = refused {
            assert!(
                std::env::var_os("CONGELO_REQUIRE_MOUNT").is_none(),
                "CONGELO_REQUIRE_MOUNT is set but a tmpfs could not be mounted: {why}"
            );
            eprintln!(
                "SKIPPED: this test needs a small filesystem and could not mount a tmpfs \
                 (run as root): {why}"
            );
            return None;
        }
        let filler = dir.path().join("filler");
        Some(SmallDisk { dir, filler })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Bytes free on the filesystem.
    pub fn free(&self) -> u64 {
        congelo::sync::health::disk_free(&self.filler).expect("statvfs")
    }

    /// Writes a filler file until at most `left` bytes are free.
    pub fn fill_leaving(&self, left: u64) {
        let mut file = self.open_filler();
        let chunk = vec![0xA5u8; 64 * 1024];
        while self.free() > left {
            let want = (self.free() - left).min(chunk.len() as u64) as usize;
            if file.write_all(&chunk[..want]).is_err() {
                break;
            }
        }
        let _ = file.sync_all();
    }

    /// Writes a filler file until the filesystem refuses to hold more.
    pub fn fill(&self) {
        let mut file = self.open_filler();
        let chunk = vec![0x5Au8; 4096];
        while file.write_all(&chunk).is_ok() {}
        // The last pages, smaller than a chunk.
        while file.write_all(&[0]).is_ok() {}
        let _ = file.sync_all();
    }

    /// Removes the filler: the room is back.
    pub fn make_room(&self) {
        std::fs::remove_file(&self.filler).expect("remove the filler");
    }

    fn open_filler(&self) -> File {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.filler)
            .expect("filler file")
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: a connection a test leaked must not leave the mount behind.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}
