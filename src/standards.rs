//! Where a team's standards live on disk: a rule pack (`archsketch.rules.ron`) and a folder of
//! reference architectures (`references/`), found next to the checked designs or named on the
//! command line, read with the limits of every other file and handed to the rules as a
//! [`Team`](crate::rules::team::Team).

use std::path::{Path, PathBuf};

use crate::rules::pack::{self, PACK_FILE, RulePack};
use crate::rules::reference::Reference;
use crate::rules::team::reference_from_design;

/// The folder of own reference architectures next to the designs.
pub const REFERENCES_DIR: &str = "references";

/// Finds the standards for designs in `dir`: `rules` (else `dir/archsketch.rules.ron`, when
/// present) and the designs in `references` (else `dir/references/`, when present). Every
/// problem is returned, each naming its file and place.
pub fn find(
    dir: &Path,
    rules: Option<&Path>,
    references: Option<&Path>,
) -> Result<(RulePack, Vec<Reference>), Vec<String>> {
    let mut errors = Vec::new();
    let pack = given_or_next_to(rules, dir.join(PACK_FILE), Path::is_file)
        .map(|p| keep(read_pack(&p), &mut errors))
        .unwrap_or_default();
    let own = given_or_next_to(references, dir.join(REFERENCES_DIR), Path::is_dir)
        .map(|d| keep(read_references(&d), &mut errors))
        .unwrap_or_default();
    if errors.is_empty() {
        Ok((pack, own))
    } else {
        Err(errors)
    }
}

/// What was read, or nothing with its problems added to `errors`.
fn keep<T: Default>(read: Result<T, Vec<String>>, errors: &mut Vec<String>) -> T {
    read.unwrap_or_else(|mut e| {
        errors.append(&mut e);
        T::default()
    })
}

/// The path given on the command line, else the default one when it exists.
fn given_or_next_to(
    given: Option<&Path>,
    default: PathBuf,
    exists: fn(&Path) -> bool,
) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| exists(&default).then_some(default))
}

/// Reads and checks one rule pack file.
pub fn read_pack(path: &Path) -> Result<RulePack, Vec<String>> {
    let shown = path.display().to_string();
    // Read with the limits of every other file (size, devices, NUL bytes, a byte-order mark).
    let text = crate::io::read_text(path, "rule pack").map_err(|e| vec![e.to_string()])?;
    pack::parse(&text, &shown).map_err(|errors| errors.iter().map(|e| e.to_string()).collect())
}

/// Every design (`.ron`) in a folder, as own references, in file-name order.
pub fn read_references(dir: &Path) -> Result<Vec<Reference>, Vec<String>> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| vec![format!("{shown}: cannot read the references folder: {e}")])?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron") && p.is_file())
        .collect();
    files.sort();
    let mut own = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        match crate::io::load_file(&path) {
            Ok(design) => {
                let id = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match reference_from_design(&design, &id, &path.display().to_string()) {
                    Ok(r) if own.iter().any(|o: &Reference| o.id == r.id) => {
                        errors.push(format!("{}: a second reference named {id}", path.display()))
                    }
                    Ok(r) => own.push(r),
                    Err(e) => errors.push(format!("{}: {e}", path.display())),
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(own)
    } else {
        Err(errors)
    }
}
