//! The documentation points at files that exist: every path `ARCHITECTURE.md` and the README
//! name in backquotes is in the repository, so the map cannot drift from the code unnoticed.

use std::path::{Path, PathBuf};

/// Every file under `root`, as paths relative to it (build output and VCS folders skipped).
fn files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read folder") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "target" || name == ".git" {
                continue;
            }
            if path.is_dir() {
                found.push(format!("{}/", relative(root, &path)));
                folders.push(path);
            } else {
                found.push(relative(root, &path));
            }
        }
    }
    found
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .expect("under root")
        .to_string_lossy()
        .into_owned()
}

/// The backquoted words of `text` that look like repository paths.
fn named_paths(text: &str) -> Vec<String> {
    let extensions = [
        ".rs", ".toml", ".md", ".sql", ".slint", ".ftl", ".html", ".css", ".svg",
    ];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| !word.contains(' ') && !word.contains("://") && !word.starts_with('/'))
        // What builds and tests write is not in the repository.
        .filter(|word| !word.starts_with("target/"))
        .filter(|word| word.ends_with('/') || extensions.iter().any(|e| word.ends_with(e)))
        .map(str::to_owned)
        .collect()
}

/// A path exists when a file or folder has it as its whole relative path or as its last
/// components (`ingest/pending.rs`); `<tag>` and `*` stand for any one component.
fn exists(path: &str, all: &[String]) -> bool {
    let pattern: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let matches = |candidate: &str| {
        let parts: Vec<&str> = candidate.trim_end_matches('/').split('/').collect();
        parts.len() >= pattern.len()
            && parts[parts.len() - pattern.len()..]
                .iter()
                .zip(&pattern)
                .all(|(have, want)| component_matches(have, want))
    };
    all.iter().any(|candidate| matches(candidate))
}

fn component_matches(have: &str, want: &str) -> bool {
    if want.starts_with('<') || want == "*" {
        return true;
    }
    match want.split_once('*') {
        Some((before, after)) => have.starts_with(before) && have.ends_with(after),
        None => have == want,
    }
}

#[test]
fn every_path_the_documentation_names_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let all = files(&root);
    for document in ["ARCHITECTURE.md", "README.md"] {
        let text = std::fs::read_to_string(root.join(document)).expect("read document");
        let missing: Vec<String> = named_paths(&text)
            .into_iter()
            .filter(|path| !exists(path, &all))
            .collect();
        assert!(
            missing.is_empty(),
            "{document} names paths that do not exist: {missing:?}"
        );
    }
}

#[test]
fn architecture_is_read_in_one_sitting() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let size = std::fs::metadata(root.join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md")
        .len();
    assert!(
        size <= 12 * 1024,
        "ARCHITECTURE.md is {size} bytes: keep the map under 12 KiB"
    );
}
