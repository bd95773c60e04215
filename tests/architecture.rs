//! The shape of the program, read from its source: what may import what, where SQL lives,
//! how errors are typed, and how large a file may grow.

use std::path::{Path, PathBuf};

/// Every Rust file under `src/`, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    assert!(out.len() > 50, "the sources were not found");
    out
}

/// The file's path below `src/`, with forward slashes.
fn under_src(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    path.strip_prefix(src)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// The lines of a file that are code: its tests and comments left out.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
}

/// Whether `line` names `what` as a whole word (not `StoreError` for `Store`).
fn names(line: &str, what: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(what).any(|(at, _)| {
        !line[..at].chars().next_back().is_some_and(word)
            && !line[at + what.len()..].chars().next().is_some_and(word)
    })
}

#[test]
fn pages_never_import_the_app_and_hold_no_store() {
    for (path, text) in sources() {
        let name = under_src(&path);
        // A page's `tests.rs` is its `#[cfg(test)]` module in a file of its own.
        if !name.starts_with("ui/") || name.ends_with("/tests.rs") {
            continue;
        }
        // A page asks through `reader::Ask`; the reads it asks for (closures and functions
        // that run on the reader) get a read-only `Db` there, never the store.
        for line in code_lines(&text) {
            assert!(!line.contains("crate::app"), "{name}: {line}");
            for store in ["Store", "store::Store", "Tx", "store::Tx"] {
                assert!(!names(line, store), "{name} names the store: {line}");
            }
        }
    }
}

#[test]
fn the_sqlite_engine_is_named_only_inside_the_store() {
    for (path, text) in sources() {
        let name = under_src(&path);
        if name.starts_with("store/") {
            continue;
        }
        for line in code_lines(&text) {
            assert!(!line.contains("rusqlite"), "{name}: {line}");
        }
    }
}

#[test]
fn errors_are_typed_everywhere_but_in_main() {
    for (path, text) in sources() {
        let name = under_src(&path);
        if name == "main.rs" {
            continue;
        }
        // As `grep "Result<.*String>"` would find it.
        for line in code_lines(&text) {
            let typed_as_text = line
                .find("Result<")
                .is_some_and(|at| line[at..].contains("String>"));
            assert!(!typed_as_text, "{name}: {line}");
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines_and_the_app_under_600() {
    for (path, text) in sources() {
        let name = under_src(&path);
        let lines = text.lines().count();
        let most = if name == "app/mod.rs" { 600 } else { 800 };
        assert!(lines <= most, "{name} has {lines} lines (at most {most})");
    }
}

#[test]
fn the_domain_does_no_io_and_reads_no_clock() {
    for (path, text) in sources() {
        let name = under_src(&path);
        if !name.starts_with("domain/") {
            continue;
        }
        for line in code_lines(&text) {
            for banned in [
                "std::fs",
                "egui",
                "rusqlite",
                "Local::now",
                "Utc::now",
                "std::io",
            ] {
                assert!(!line.contains(banned), "{name}: {line}");
            }
        }
    }
}
