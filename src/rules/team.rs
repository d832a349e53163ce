//! A team's own standards beside the notes: a rule pack and reference architectures drawn as
//! ordinary designs, checked exactly like the built-in rules and T01-T35. Finding and reading
//! them on disk is [`crate::standards`]'s job: the rules read no files.

use super::pack::RulePack;
use super::reference::{Reference, ReferenceSet, Stage};
use crate::model::Design;

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
