//! A team's own standards beside the notes: a rule pack (`archsketch.rules.ron`) and
//! reference architectures drawn as ordinary designs (a `references/` folder), found next to
//! the checked designs or named on the command line, and checked exactly like the built-in
//! rules and T01-T35.

use std::path::{Path, PathBuf};

use super::pack::{self, PACK_FILE, RulePack};
use super::reference::{Reference, ReferenceSet, Stage};
use crate::model::Design;

/// The folder of own reference architectures next to the designs.
pub const REFERENCES_DIR: &str = "references";

/// The most services a reference design may have: references are pipelines, compared with
/// every pipeline of every checked design.
pub const LARGEST_REFERENCE: usize = 200;

/// A team's rule pack and own references, ready to check with.
#[derive(Debug)]
pub struct Team {
    pub pack: RulePack,
    /// The notes' references and the team's own.
    pub references: ReferenceSet,
}

impl Team {
    /// Standards from a pack and own references (either may be empty).
    pub fn new(pack: RulePack, own: Vec<Reference>) -> Team {
        Team {
            pack,
            references: ReferenceSet::with_own(own),
        }
    }

    /// The team's standards from a pack and own references, or `None` when both are empty
    /// (then the built-in rules and references are all there is, and no set is built).
    pub fn from_parts(pack: RulePack, own: Vec<Reference>) -> Option<Team> {
        (!pack.rules.is_empty() || !own.is_empty()).then(|| Team::new(pack, own))
    }
}

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

/// A design as a reference architecture: each service a stage, in the order data flows
/// through them (services no flow edge touches, such as a monitor, are unordered stages).
/// Its id is `id` (the file name), its name the design's title.
pub fn reference_from_design(design: &Design, id: &str, source: &str) -> Result<Reference, String> {
    if id.is_empty() {
        return Err("a reference needs a file name".into());
    }
    let upper = id.to_ascii_uppercase();
    if super::reference::references().iter().any(|r| r.id == upper)
        || super::registry().iter().any(|r| r.id == upper)
    {
        return Err(format!(
            "\"{id}\" is the id of a built-in rule or reference; rename the file"
        ));
    }
    let cat = crate::catalog::catalog();
    let known: Vec<usize> = (0..design.nodes().len())
        .filter(|&i| cat.service(&design.nodes()[i].service).is_some())
        .collect();
    if known.len() < 2 {
        return Err("a reference needs at least two known services".into());
    }
    if known.len() > LARGEST_REFERENCE {
        return Err(format!(
            "a reference has at most {LARGEST_REFERENCE} services; this design has {}",
            known.len()
        ));
    }
    let position: std::collections::HashMap<&str, usize> = known
        .iter()
        .map(|&i| (design.nodes()[i].id.as_str(), i))
        .collect();
    let flow: Vec<(usize, usize)> = design
        .edges()
        .iter()
        .filter(|e| !e.kind.is_relation())
        .filter_map(|e| {
            Some((
                *position.get(e.from.as_str())?,
                *position.get(e.to.as_str())?,
            ))
        })
        .filter(|(a, b)| a != b)
        .collect();
    let in_flow = |i: usize| flow.iter().any(|&(a, b)| a == i || b == i);
    // Kahn's order, earliest in the file first among equals; a cycle's rest in file order.
    let mut indegree = vec![0usize; design.nodes().len()];
    for &(_, b) in &flow {
        indegree[b] += 1;
    }
    let mut ready: std::collections::BTreeSet<usize> = known
        .iter()
        .copied()
        .filter(|&i| indegree[i] == 0)
        .collect();
    let mut order = Vec::with_capacity(known.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &(a, b) in &flow {
            if a == i {
                indegree[b] -= 1;
                if indegree[b] == 0 {
                    ready.insert(b);
                }
            }
        }
    }
    let in_a_cycle: Vec<usize> = known
        .iter()
        .copied()
        .filter(|i| !order.contains(i))
        .collect();
    order.extend(in_a_cycle);
    let stages = order
        .into_iter()
        .map(|i| {
            let n = &design.nodes()[i];
            Stage {
                name: if n.label.is_empty() {
                    cat.service(&n.service)
                        .map_or(n.service.clone(), |s| s.name.clone())
                } else {
                    n.label.clone()
                },
                services: vec![n.service.clone()],
                family: None,
                role: None,
                ordered: in_flow(i),
                optional: false,
            }
        })
        .collect();
    Ok(Reference {
        id: id.to_string(),
        name: if design.title.is_empty() {
            id.to_string()
        } else {
            design.title.clone()
        },
        source: source.to_string(),
        stages,
        own: true,
    })
}
