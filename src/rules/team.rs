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

    /// Whether there is anything beyond the built-in rules.
    pub fn is_empty(&self) -> bool {
        self.pack.rules.is_empty() && self.references.own().is_empty()
    }

    /// Finds the standards for designs in `dir`: `rules` (else `dir/archsketch.rules.ron`,
    /// when present) and the designs in `references` (else `dir/references/`, when present).
    /// Every problem is returned, each naming its file and place.
    pub fn discover(
        dir: &Path,
        rules: Option<&Path>,
        references: Option<&Path>,
    ) -> Result<Team, Vec<String>> {
        let mut errors = Vec::new();
        let pack_path = rules.map(Path::to_path_buf).or_else(|| {
            let p = dir.join(PACK_FILE);
            p.is_file().then_some(p)
        });
        let pack = match pack_path {
            Some(p) => match read_pack(&p) {
                Ok(pack) => pack,
                Err(mut e) => {
                    errors.append(&mut e);
                    RulePack::default()
                }
            },
            None => RulePack::default(),
        };
        let refs_dir = references.map(Path::to_path_buf).or_else(|| {
            let p = dir.join(REFERENCES_DIR);
            p.is_dir().then_some(p)
        });
        let own = match refs_dir {
            Some(d) => match read_references(&d) {
                Ok(own) => own,
                Err(mut e) => {
                    errors.append(&mut e);
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        if errors.is_empty() {
            Ok(Team::new(pack, own))
        } else {
            Err(errors)
        }
    }
}

/// Reads and checks one rule pack file.
pub fn read_pack(path: &Path) -> Result<RulePack, Vec<String>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("{shown}: cannot read the rule pack: {e}")])?;
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
    let known: Vec<usize> = (0..design.nodes.len())
        .filter(|&i| cat.service(&design.nodes[i].service).is_some())
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
        .map(|&i| (design.nodes[i].id.as_str(), i))
        .collect();
    let flow: Vec<(usize, usize)> = design
        .edges
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
    let mut indegree = vec![0usize; design.nodes.len()];
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
            let n = &design.nodes[i];
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
