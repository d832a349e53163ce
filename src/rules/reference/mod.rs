//! Reference-architecture conformance: for each pipeline (connected part of the design), the
//! closest of the notes' reference architectures T01-T35 and which of its stages are present,
//! missing or out of order. Works on services and flow edges only, so extra nodes, other
//! branches and renamed labels do not matter.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;

mod matching;

use super::index::HashMap;

use crate::model::ElementRef;
use crate::rules::{Finding, Index, Severity, node};

/// One stage of a reference architecture: any service it lists, of the family it names or of
/// the role it names fills it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    #[serde(default)]
    pub services: Vec<String>,
    /// A catalog family (`record_streams`, ...) whose services also fill it.
    #[serde(default)]
    pub family: Option<String>,
    /// A role of `references.ron` (`producers`, `query_engines`, ...): the notes give the
    /// stage's service as an example or one of alternatives, so any service of the role fits.
    #[serde(default)]
    pub role: Option<String>,
    /// Whether it takes part in the left-to-right order (monitors and attachments do not).
    #[serde(default = "yes")]
    pub ordered: bool,
    /// Whether its absence is fine (an alternative path of the notes).
    #[serde(default)]
    pub optional: bool,
}

fn yes() -> bool {
    true
}

impl Stage {
    /// Every service that fills the stage: its own list, then its family's, then its role's.
    pub fn all_services(&self) -> impl Iterator<Item = &str> {
        let family = self
            .family
            .as_deref()
            .map_or(&[][..], |f| crate::catalog::catalog().family(f));
        let role = self.role.as_deref().map_or(&[][..], role_services);
        self.services
            .iter()
            .chain(family)
            .chain(role)
            .map(String::as_str)
    }
}

/// A kind of service the notes treat as interchangeable in a pipeline ("Kinesis (or other)"):
/// the vocabulary stages use to accept alternatives.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub services: Vec<String>,
}

/// A reference architecture: one of the notes' (as `assets/references.ron` declares it) or a
/// team's own, made from a design.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    pub name: String,
    /// Where it comes from: a note line ("4:8") or, for an own reference, its file.
    pub source: String,
    pub stages: Vec<Stage>,
    /// A team's own reference (made from a design), not one of the notes'.
    #[serde(skip)]
    pub own: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct References {
    roles: Vec<Role>,
    references: Vec<Reference>,
}

static FILE: LazyLock<References> = LazyLock::new(|| {
    crate::catalog::parse_asset(
        include_str!("../../../assets/references.ron"),
        "references.ron",
    )
});

/// The roles stages name, read once from `assets/references.ron`.
pub fn roles() -> &'static [Role] {
    &FILE.roles
}

fn role_services(id: &str) -> &'static [String] {
    roles()
        .iter()
        .find(|r| r.id == id)
        .map_or(&[][..], |r| &r.services[..])
}

/// The reference architectures of the notes, T01 to T35, read once from
/// `assets/references.ron`.
pub fn references() -> &'static [Reference] {
    &FILE.references
}

/// References a pipeline is compared with, and for each catalog service the (reference,
/// stage) pairs it can fill: built once per set, so a pipeline finds its candidate
/// references with a handful of lookups.
#[derive(Debug)]
pub struct ReferenceSet {
    references: Vec<Reference>,
    stages_of: Vec<Vec<(usize, usize)>>,
}

static BUILTIN: LazyLock<ReferenceSet> = LazyLock::new(|| ReferenceSet::new(references().to_vec()));

impl ReferenceSet {
    /// The notes' references only: what every check uses unless told otherwise.
    pub fn builtin() -> &'static ReferenceSet {
        &BUILTIN
    }

    /// The notes' references and a team's own, which are matched exactly alike.
    pub fn with_own(own: Vec<Reference>) -> ReferenceSet {
        ReferenceSet::new(references().iter().cloned().chain(own).collect())
    }

    fn new(references: Vec<Reference>) -> ReferenceSet {
        let cat = crate::catalog::catalog();
        let mut stages_of = vec![Vec::new(); cat.services.len()];
        for (r, reference) in references.iter().enumerate() {
            for (st, stage) in reference.stages.iter().enumerate() {
                for service in stage.all_services() {
                    if let Some(i) = cat.service_index(service)
                        && !stages_of[i].contains(&(r, st))
                    {
                        stages_of[i].push((r, st));
                    }
                }
            }
        }
        ReferenceSet {
            references,
            stages_of,
        }
    }

    /// Every reference of the set, the notes' first.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// The references that are not the notes'.
    pub fn own(&self) -> &[Reference] {
        &self.references[references().len().min(self.references.len())..]
    }
}
pub use matching::LARGEST_MATCHED;
use matching::{Local, Match, matches};

/// Which reference a pipeline follows and which of its nodes fills each stage: what the
/// window highlights when it shows the reference beside the design.
#[derive(Clone, Debug, PartialEq)]
pub struct Followed {
    /// The reference's id (`T01`, or an own reference's).
    pub reference: String,
    /// For each stage of the reference, the node that fills it.
    pub stages: Vec<Option<crate::model::NodeId>>,
}

/// One conformance finding per pipeline that resembles a reference architecture of the notes.
pub fn conformance(ix: &Index) -> Vec<Finding> {
    conformance_with(ix, ReferenceSet::builtin())
}

/// [`conformance`] against a chosen set of references (the notes' and a team's own).
pub fn conformance_with(ix: &Index, set: &ReferenceSet) -> Vec<Finding> {
    matches(ix, set)
        .into_iter()
        .map(|(m, local)| finding(&m, &local))
        .collect()
}

/// Which reference each pipeline follows, as node ids per stage.
pub fn followed(ix: &Index, set: &ReferenceSet) -> Vec<Followed> {
    matches(ix, set)
        .into_iter()
        .map(|(m, local)| Followed {
            reference: m.reference.id.clone(),
            stages: m
                .filled
                .iter()
                .map(|f| f.map(|i| crate::model::NodeId::made(local.ids[i])))
                .collect(),
        })
        .collect()
}

/// A stage as the message names it: the service that fills it when the stage names
/// alternatives ("Athena" for "Athena or EMR"), else the stage's own name.
fn stage_label(m: &Match, local: &Local<'_>, i: usize) -> String {
    let stage = &m.reference.stages[i];
    let cat = crate::catalog::catalog();
    m.filled[i]
        .and_then(|n| cat.services.get(local.services[n]))
        .map(|s| {
            s.name
                .trim_start_matches("Amazon ")
                .trim_start_matches("AWS ")
                .to_string()
        })
        .filter(|short| short != &stage.name && contains_word(&stage.name, short))
        .unwrap_or_else(|| stage.name.clone())
}

fn contains_word(text: &str, word: &str) -> bool {
    text.split([' ', ',']).any(|w| w == word)
}

/// The finding for a match. Severity follows what matters: a stage missing between two
/// matched ones, a required attachment missing, or stages in the wrong order are warnings; a
/// pipeline that starts later or stops earlier than the reference, or leaves out an optional
/// stage, is a valid variant and gets an info.
fn finding(m: &Match, local: &Local<'_>) -> Finding {
    let r = m.reference;
    let total = r.stages.len();
    let label = |i: usize| stage_label(m, local, i);
    let mut problems = Vec::new();
    let mut without = Vec::new();
    for i in (0..total).filter(|&i| m.filled[i].is_none() && !r.stages[i].optional) {
        let name = r.stages[i].name.as_str();
        if !r.stages[i].ordered {
            problems.push(format!("missing {name}"));
            continue;
        }
        let users_stage = r.stages[i].services.iter().any(|s| s == "users");
        let next = m.filled_neighbour(i, true).and_then(|a| m.filled[a]);
        if users_stage && next.is_some_and(|n| local.faces_internet[n]) {
            continue;
        }
        match (m.filled_neighbour(i, false), m.filled_neighbour(i, true)) {
            (Some(b), Some(a)) => problems.push(format!(
                "missing {name} between {} and {}",
                label(b),
                label(a)
            )),
            _ => without.push(name),
        }
    }
    for &(i, j) in &m.out_of_order {
        problems.push(format!("{} comes after {}", label(i), label(j)));
    }
    let present: Vec<String> = (0..total)
        .filter(|&i| m.filled[i].is_some())
        .map(label)
        .collect();
    let heading = if r.own && r.name == r.id {
        format!("own reference {}", r.id)
    } else if r.own {
        format!("own reference {} ({})", r.name, r.id)
    } else {
        format!("{} {}", r.id, r.name)
    };
    let message = if problems.is_empty() {
        let mut text = format!("Matches {heading}: {}", present.join(", "));
        if !without.is_empty() {
            text.push_str(&format!("; without {}", without.join(", ")));
        }
        text
    } else {
        format!("Departs from {heading}: {}", problems.join("; "))
    };
    let elements: Vec<ElementRef> = m
        .filled
        .iter()
        .flatten()
        .map(|&i| node(local.ids[i]))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Finding {
        rule: r.id.to_string(),
        severity: if problems.is_empty() {
            Severity::Info
        } else {
            Severity::Warning
        },
        message,
        elements,
        quote: if r.own {
            format!("Own reference architecture {} ({})", r.id, r.name)
        } else {
            format!("Reference architecture {} ({}) of the notes", r.id, r.name)
        },
        source: r.source.to_string(),
        fix: None,
        suppressed: false,
        pipeline: true,
    }
}

#[cfg(test)]
mod reach_tests {
    use super::matching::reach_rows;

    /// Reachability the slow way: a search from every node.
    fn by_search(next: &[Vec<usize>]) -> Vec<Vec<bool>> {
        (0..next.len())
            .map(|i| {
                let mut seen = vec![false; next.len()];
                let mut stack = next[i].clone();
                while let Some(j) = stack.pop() {
                    if !seen[j] {
                        seen[j] = true;
                        stack.extend(&next[j]);
                    }
                }
                seen
            })
            .collect()
    }

    #[test]
    fn rows_agree_with_a_search_from_every_node() {
        // Pseudo-random graphs with chains, cycles, self-loops and fan-outs.
        let mut seed = 7u64;
        let mut rand = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for k in [1usize, 2, 5, 63, 64, 65, 130] {
            for _ in 0..5 {
                let next: Vec<Vec<usize>> = (0..k)
                    .map(|_| (0..rand(4)).map(|_| rand(k)).collect())
                    .collect();
                let words = k.div_ceil(64).max(1);
                let (component, rows) = reach_rows(&next, words);
                let expected = by_search(&next);
                for a in 0..k {
                    for b in 0..k {
                        let got = rows[component[a] * words + b / 64] & (1 << (b % 64)) != 0;
                        assert_eq!(got, expected[a][b], "k={k} {a}->{b}");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod data_tests {
    use super::{references, roles};
    use crate::catalog::catalog;

    #[test]
    fn roles_name_catalog_services_and_every_named_role_exists() {
        let cat = catalog();
        for role in roles() {
            assert!(!role.services.is_empty(), "role {} is empty", role.id);
            for service in &role.services {
                assert!(
                    cat.service(service).is_some(),
                    "role {}: {service}",
                    role.id
                );
            }
        }
        for r in references() {
            for stage in &r.stages {
                if let Some(role) = &stage.role {
                    assert!(
                        roles().iter().any(|x| &x.id == role),
                        "{}: unknown role {role}",
                        r.id
                    );
                }
            }
        }
    }

    #[test]
    fn references_name_only_catalog_services_and_families_with_unique_ids() {
        let cat = catalog();
        let mut ids = std::collections::HashSet::new();
        for r in references() {
            assert!(ids.insert(r.id.as_str()), "{} is declared twice", r.id);
            assert!(!r.stages.is_empty(), "{} has no stages", r.id);
            for stage in &r.stages {
                if let Some(family) = &stage.family {
                    assert!(!cat.family(family).is_empty(), "{}: family {family}", r.id);
                }
                assert!(
                    stage.all_services().next().is_some(),
                    "{}: empty stage",
                    r.id
                );
                for service in stage.all_services() {
                    assert!(cat.service(service).is_some(), "{}: {service}", r.id);
                }
            }
        }
        assert!(ids.contains("T01") && ids.contains("T35"));
    }
}
