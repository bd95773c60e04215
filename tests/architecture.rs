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
        // A `Result` whose error type is `String`.
        for line in code_lines(&text) {
            let typed_as_text = line
                .match_indices("Result<")
                .any(|(at, _)| error_type(&line[at + "Result<".len()..]) == Some("String"));
            assert!(!typed_as_text, "{name}: {line}");
        }
    }
}

/// The error type of a `Result<T, E>` whose arguments `text` begins with: its second
/// argument at the top level of the angle brackets, if the line holds it.
fn error_type(text: &str) -> Option<&str> {
    let mut depth = 0;
    let mut comma = None;
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '>' if depth == 0 => return comma.map(|at: usize| text[at + 1..i].trim()),
            '>' => depth -= 1,
            ',' if depth == 0 => comma = Some(i),
            _ => {}
        }
    }
    None
}

#[test]
fn errors_as_text_are_told_apart_from_texts_in_a_result() {
    assert_eq!(error_type("T, String>"), Some("String"));
    assert_eq!(error_type("Vec<String>, StoreError> {"), Some("StoreError"));
    assert_eq!(error_type("(String, Vec<u8>), String>"), Some("String"));
    assert_eq!(error_type("Option<String>>"), None);
}

#[test]
fn an_error_says_its_russian_and_english_sentences_side_by_side() {
    // A type said in both languages (`impl Localized`) has one `text` whose every arm holds
    // both sentences (`lang.say(ru, en)`): no English kept apart in a `#[error("…")]`
    // attribute, no Russian in an arm of its own, no English taken from `Display`.
    let apart = [
        "#[error(\"",
        "Lang::Ru) =>",
        "Lang::En) =>",
        "if lang == Lang::En",
        "if lang == Lang::Ru",
    ];
    let mut said = 0;
    for (path, text) in sources() {
        let name = under_src(&path);
        if !text.contains("impl Localized for") {
            continue;
        }
        said += 1;
        for line in code_lines(&text) {
            for apart in apart {
                assert!(!line.contains(apart), "{name}: {line}");
            }
        }
    }
    assert!(said >= 12, "only {said} files say errors in both languages");
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

/// The module a file is part of, as the graph of imports counts modules: `store::sales` for
/// `src/store/sales.rs`, `store::postgres` for anything under `src/store/postgres/`, `ui`
/// for anything under `src/ui/`: the crate's modules, and those of `store` one level down.
fn module_of(name: &str) -> String {
    let parts: Vec<&str> = name.trim_end_matches(".rs").split('/').collect();
    match parts.as_slice() {
        ["store", "mod"] | ["store"] => "store".to_owned(),
        ["store", sub, ..] => format!("store::{sub}"),
        [top, ..] => (*top).to_owned(),
        [] => String::new(),
    }
}

/// The modules `line` of a file of `module` names, as `module_of` counts them: `crate::…`
/// paths, and `super::…` paths from a module of `store`.
fn named_modules(module: &str, line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let path: Vec<&str> = line[at + "crate::".len()..]
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap_or_default()
            .split("::")
            .collect();
        match path.as_slice() {
            ["store", sub, _, ..] if *sub != "store" => found.push(format!("store::{sub}")),
            [top, ..] if !top.is_empty() => found.push((*top).to_owned()),
            _ => {}
        }
    }
    if let Some(sub) = module.strip_prefix("store::") {
        for (at, _) in line.match_indices("super::") {
            let next = line[at + "super::".len()..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default();
            // From `store::x`'s own file, `super::y` is `store::y`; from a file below it
            // (`store/x/z.rs`), `super::` is `store::x` itself.
            let is_file_of_store = !next.is_empty() && next != "super" && next != sub;
            if is_file_of_store && next.chars().next().is_some_and(|c| c.is_lowercase()) {
                found.push(format!("store::{next}"));
            }
        }
    }
    found
}

#[test]
fn no_two_modules_import_each_other() {
    use std::collections::{BTreeMap, BTreeSet};
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources() {
        let name = under_src(&path);
        let from = module_of(&name);
        for line in code_lines(&text) {
            for to in named_modules(&from, line) {
                // A module and those inside it, or around it, are one.
                let related = to == from
                    || to.starts_with(&format!("{from}::"))
                    || from.starts_with(&format!("{to}::"));
                if !related {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    let mut circles = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            if from < to && edges.get(to).is_some_and(|back| back.contains(from)) {
                circles.push(format!("{from} <-> {to}"));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other: {circles:?}"
    );
}

#[test]
fn the_crates_front_page_lists_every_module_and_no_other() {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
        .collect();
    let listed: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//! - [`")?.split('`').next())
        .collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted, declared,
        "lib.rs's list of modules and its `pub mod`s"
    );
}
