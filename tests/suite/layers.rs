//! The README's layer table is true: every module of `src/` uses only modules of lower
//! layers. Each module's source is read (comments and test modules left out) and every
//! `crate::name` path in it is looked up in the table.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

/// Module name -> layer, from the README's table rows "| `src/name` | N | ... |".
fn layers() -> BTreeMap<String, u32> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut out = BTreeMap::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let (Some(module), Ok(layer)) = (
            cells[1]
                .strip_prefix("`src/")
                .and_then(|m| m.strip_suffix('`')),
            cells[2].parse::<u32>(),
        ) else {
            continue;
        };
        out.insert(module.trim_end_matches(".rs").to_string(), layer);
    }
    out
}

/// The code of a source file without comments and without its test module.
fn code(path: &Path) -> String {
    code_of_text(&std::fs::read_to_string(path).unwrap())
}

fn code_of_text(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| l.split(" // ").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module of `src/` a file belongs to: its first path component, without `.rs`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix("src").unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Each `crate::` path in `code` (of `module`, shown as `shown`) that does not point to a
/// lower layer.
fn upward_uses(
    shown: &str,
    module: &str,
    code: &str,
    table: &BTreeMap<String, u32>,
) -> Vec<String> {
    let own = table[module];
    let mut problems = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let used: String = code[at + 7..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if used == module {
            continue;
        }
        match table.get(&used) {
            Some(&layer) if layer < own => {}
            Some(&layer) => problems.push(format!(
                "{shown} (layer {own}) uses crate::{used} (layer {layer})"
            )),
            None => problems.push(format!(
                "{shown} uses crate::{used}, which has no row in the README's layer table"
            )),
        }
    }
    problems
}

#[test]
fn every_module_uses_only_lower_layers() {
    let table = layers();
    assert!(table.len() >= 15, "the README's layer table was not found");
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    let mut problems = Vec::new();
    for path in &all {
        let module = module_of(path);
        if module == "lib" || module == "main" {
            continue;
        }
        if !table.contains_key(&module) {
            problems.push(format!(
                "{module} ({}) has no row in the README's layer table",
                path.display()
            ));
            continue;
        }
        problems.extend(upward_uses(
            &path.display().to_string(),
            &module,
            &code(path),
            &table,
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The near miss: a use that points up, or sideways, is caught; one that points down and a
/// path in a comment are not.
#[test]
fn an_upward_use_is_reported() {
    let table = layers();
    let upward = "use crate::edit::EditCommand;\nfn f() {}";
    assert_eq!(upward_uses("m.rs", "model", upward, &table).len(), 1);
    let sideways = "use crate::rules::check;";
    assert_eq!(upward_uses("l.rs", "layout", sideways, &table).len(), 1);
    let downward = "use crate::model::Design;";
    assert!(upward_uses("e.rs", "edit", downward, &table).is_empty());
    let commented = code_of_text("/// See [`crate::edit::EditCommand`].\nfn f() {}");
    assert!(upward_uses("m.rs", "model", &commented, &table).is_empty());
}
