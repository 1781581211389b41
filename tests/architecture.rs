//! The direction of dependencies inside the crate (README "Architecture"):
//! `main → commands → {read, compute, render, sla} → model`. The compiler
//! allows import circles between modules of one crate, so this test reads
//! the sources: `model/` names nothing in the crate but itself; outside
//! their unit tests, `read/` never renders, the pure core (`compute/`,
//! `sla/`) neither reads files nor renders, and no layer knows `commands/`.
//!
//! What counts as naming a module: a path starting with `crate::`,
//! `$crate::` or `supportctl::`, in code, comments and doc links alike (a
//! doc link is a dependency of the documentation). Not detected: `super::`
//! chains that climb out of `model/`.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively, in path order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    files
}

/// The crate's top-level modules that `text` names, with the 1-based line
/// of each mention: `crate::sla::clock::X` names `sla`, `crate::{model,
/// read::Scope}` names `model` and `read` (also across lines).
fn crate_modules_named(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for prefix in ["crate::", "supportctl::"] {
        for (at, _) in text.match_indices(prefix) {
            // `my_crate::` or `x::supportctl::` are other paths.
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            let rest = text[at + prefix.len()..].trim_start();
            if let Some(group) = rest.strip_prefix('{') {
                // Split the group at its top-level commas; each part's first
                // segment is a module.
                let (mut depth, mut part) = (0usize, String::new());
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            found.push((line, first_segment(&part)));
                            part.clear();
                            continue;
                        }
                        _ => {}
                    }
                    part.push(c);
                }
                if !part.trim().is_empty() {
                    found.push((line, first_segment(&part)));
                }
            } else {
                found.push((line, first_segment(rest)));
            }
        }
    }
    found.retain(|(_, m)| !m.is_empty());
    found.sort();
    found
}

/// The identifier at the start of `path`: `"sla"` for `"sla::clock::X"`.
fn first_segment(path: &str) -> String {
    path.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

#[test]
fn the_scanner_finds_crate_paths_in_every_form() {
    let text = "use crate::sla::clock::ClockKind;\n\
                use crate::model::Month;\n\
                use crate::{\n    model::Money,\n    read::{self, Scope},\n    render,\n};\n\
                /// See [`crate::compute::MonthReport`].\n\
                $crate::commands::run();\n\
                supportctl::append::append_row();\n\
                my_crate::sla::x(); other::supportctl::read::y();\n";
    let named = crate_modules_named(text);
    let named: Vec<(usize, &str)> = named.iter().map(|(l, m)| (*l, m.as_str())).collect();
    assert_eq!(
        named,
        vec![
            (1, "sla"),
            (2, "model"),
            (3, "model"),
            (3, "read"),
            (3, "render"),
            (8, "compute"),
            (9, "commands"),
            (10, "append")
        ]
    );
}

#[test]
fn model_names_nothing_in_the_crate_but_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = rust_files(&root.join("src/model"));
    // The scan must see the model, including the ticket settings moved into
    // it to break the model ↔ sla circle.
    for must in ["src/model/mod.rs", "src/model/sla.rs"] {
        assert!(files.contains(&root.join(must)), "{must} was not scanned: {files:?}");
    }
    let mut wrong = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for (line, module) in crate_modules_named(&text) {
            if module != "model" {
                let shown = file.strip_prefix(root).unwrap_or(file).display().to_string();
                wrong.push(format!("{shown}:{line}: names crate::{module}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "model/ must name nothing in the crate but itself (dependencies point \
         main → commands → {{read, compute, render, sla}} → model):\n{}",
        wrong.join("\n")
    );
}

/// `text` without its unit tests: everything from the first `#[cfg(test)]`
/// on (the house puts a file's test module at its end).
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// Whether `file` is a module its parent (`mod.rs` beside it) declares
/// under `#[cfg(test)]`: test code, like a file's own test module.
fn test_only(file: &Path) -> bool {
    let (Some(stem), Some(dir)) = (file.file_stem().and_then(|s| s.to_str()), file.parent()) else { return false };
    let Ok(parent) = fs::read_to_string(dir.join("mod.rs")) else { return false };
    let lines: Vec<&str> = parent.lines().map(str::trim).collect();
    lines.windows(2).any(|w| {
        w[0] == "#[cfg(test)]" && [format!("mod {stem};"), format!("pub mod {stem};")].iter().any(|d| d == w[1])
    })
}

/// Every mention, outside unit tests, of one of `forbidden` by the files
/// under `src/<dir>` (except those named in `exempt`).
fn mentions(dir: &str, forbidden: &[&str], exempt: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = rust_files(&root.join("src").join(dir));
    assert!(!files.is_empty(), "src/{dir} holds no Rust files");
    let mut wrong = Vec::new();
    for file in &files {
        let shown = file.strip_prefix(root).unwrap_or(file).display().to_string();
        if exempt.contains(&shown.as_str()) || test_only(file) {
            continue;
        }
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for (line, module) in crate_modules_named(without_tests(&text)) {
            if forbidden.contains(&module.as_str()) {
                wrong.push(format!("{shown}:{line}: names crate::{module}"));
            }
        }
    }
    wrong
}

#[test]
fn the_layers_point_one_way() {
    let mut wrong = Vec::new();
    // Reading files never renders, and the pure core neither reads files
    // nor renders; none of them knows the commands. The fuzz harness lives
    // in read/ but drives every layer, as a test does.
    wrong.extend(mentions("read", &["render", "commands"], &["src/read/fuzz.rs"]));
    wrong.extend(mentions("compute", &["read", "render", "commands", "append"], &[]));
    wrong.extend(mentions("render", &["commands", "append"], &[]));
    wrong.extend(mentions("sla", &["read", "render", "commands", "append"], &[]));
    assert!(wrong.is_empty(), "a layer names one it must not:\n{}", wrong.join("\n"));
}
