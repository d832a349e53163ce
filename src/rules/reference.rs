//! Reference-architecture conformance: for each pipeline (connected part of the design), the
//! closest of the notes' reference architectures T01-T35 and which of its stages are present,
//! missing or out of order. Works on services and flow edges only, so extra nodes, other
//! branches and renamed labels do not matter.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;

use super::index::HashMap;

use super::{Finding, Index, Severity, node};
use crate::model::ElementRef;

/// One stage of a reference architecture: any service it lists, or of the family it names,
/// fills it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    #[serde(default)]
    pub services: Vec<String>,
    /// A catalog family (`record_streams`, ...) whose services also fill it.
    #[serde(default)]
    pub family: Option<String>,
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
    /// Every service that fills the stage: its own list, then its family's.
    pub fn all_services(&self) -> impl Iterator<Item = &str> {
        let family = self
            .family
            .as_deref()
            .map_or(&[][..], |f| crate::catalog::catalog().family(f));
        self.services.iter().chain(family).map(String::as_str)
    }
}

/// A reference architecture of the notes, as `assets/references.ron` declares it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    pub name: String,
    pub source: String,
    pub stages: Vec<Stage>,
}

static REFERENCES: LazyLock<Vec<Reference>> = LazyLock::new(|| {
    crate::catalog::parse_asset(
        include_str!("../../assets/references.ron"),
        "references.ron",
    )
});

/// The reference architectures, T01 to T35, read once from `assets/references.ron`.
pub fn references() -> &'static [Reference] {
    &REFERENCES
}

/// For each service, the (reference, stage) pairs it can fill: built once, so a pipeline
/// finds its candidate references with a handful of lookups.
static STAGES_OF: LazyLock<Vec<Vec<(usize, usize)>>> = LazyLock::new(|| {
    let cat = crate::catalog::catalog();
    let mut table = vec![Vec::new(); cat.services.len()];
    for (r, reference) in references().iter().enumerate() {
        for (st, stage) in reference.stages.iter().enumerate() {
            for service in stage.all_services() {
                if let Some(i) = cat.service_index(service) {
                    table[i].push((r, st));
                }
            }
        }
    }
    table
});

/// Connected parts of the design, through any edge, as node ids in design order.
fn components<'a>(ix: &Index<'a>) -> Vec<Vec<&'a str>> {
    let mut seen = vec![false; ix.design.nodes.len()];
    let any_group_edges = ix
        .design
        .edges
        .iter()
        .any(|e| ix.group(&e.from).is_some() || ix.group(&e.to).is_some());
    let mut out = Vec::new();
    for (start, n) in ix.design.nodes.iter().enumerate() {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut part = vec![n.id.as_str()];
        let mut stack = vec![n.id.as_str()];
        while let Some(x) = stack.pop() {
            let mut visit = |o: &'a str, stack: &mut Vec<&'a str>, part: &mut Vec<&'a str>| {
                if let Some(i) = ix.node_position(o)
                    && !seen[i]
                {
                    seen[i] = true;
                    part.push(o);
                    stack.push(o);
                }
            };
            // Edges at the boxes around a node reach it too (a route table on its subnet).
            let mut others: Vec<&'a str> = ix
                .out(x)
                .map(|(_, e)| e.to.as_str())
                .chain(ix.inn(x).map(|(_, e)| e.from.as_str()))
                .collect();
            if any_group_edges {
                for g in ix.enclosing(x) {
                    others.extend(ix.touching(&g.id).into_iter().map(|(_, _, o)| o));
                }
            }
            for o in others {
                if ix.node_position(o).is_some() {
                    visit(o, &mut stack, &mut part);
                } else if let Some(g) = ix.group(o) {
                    // An edge to a box reaches what the box holds.
                    for inner in ix.nodes_within(&g.id) {
                        visit(inner, &mut stack, &mut part);
                    }
                }
            }
        }
        part.sort_by_key(|id| ix.position(id));
        out.push(part);
    }
    out
}

/// Pipelines larger than this are not matched against references: a reference has at most a
/// dozen stages, and the reach table of a connected part grows with its size squared.
pub const LARGEST_MATCHED: usize = 20_000;

/// Which nodes each node reaches along `next` (paths of one step or more), as bit rows of
/// `words` words, one row per strongly connected component. Components come out of Tarjan's
/// algorithm downstream first, so each row is the union of rows already made: one pass over
/// the edges, not a search from every node.
fn reach_rows(next: &[Vec<usize>], words: usize) -> (Vec<usize>, Vec<u64>) {
    let k = next.len();
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; k];
    let mut low = vec![0usize; k];
    let mut on_stack = vec![false; k];
    let mut component = vec![NONE; k];
    let mut stack: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut counter = 0;
    // (node, next edge to look at): the search's own stack, so deep chains cannot overflow.
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..k {
        if index[root] != NONE {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut at)) = work.last_mut() {
            if *at == 0 && index[v] == NONE {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = next[v].get(*at) {
                *at += 1;
                if index[w] == NONE {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let c = members.len();
                let mut part = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = c;
                    part.push(w);
                    if w == v {
                        break;
                    }
                }
                members.push(part);
            }
        }
    }
    let mut rows = vec![0u64; members.len() * words];
    for (c, part) in members.iter().enumerate() {
        let mut row = vec![0u64; words];
        let cyclic = part.len() > 1 || part.iter().any(|&v| next[v].contains(&v));
        for &v in part {
            if cyclic {
                row[v / 64] |= 1 << (v % 64);
            }
            for &w in &next[v] {
                let d = component[w];
                if d != c {
                    row[w / 64] |= 1 << (w % 64);
                    for (mine, theirs) in row.iter_mut().zip(&rows[d * words..(d + 1) * words]) {
                        *mine |= theirs;
                    }
                }
            }
        }
        rows[c * words..(c + 1) * words].copy_from_slice(&row);
    }
    (component, rows)
}

/// A pipeline with local indices: its nodes, their catalog services, and which node reaches
/// which along flow edges, as bit rows. Matching then compares integers, not strings.
struct Local<'a> {
    ids: Vec<&'a str>,
    services: Vec<usize>,
    words: usize,
    /// Each node's strongly connected component: nodes of one reach the same nodes.
    component: Vec<usize>,
    /// One bit row per component: the nodes reachable from it.
    reach: Vec<u64>,
}

impl<'a> Local<'a> {
    fn new(ix: &Index<'a>, part: &[&'a str], services: Vec<usize>) -> Self {
        let k = part.len();
        let words = k.div_ceil(64).max(1);
        // Small pipelines find local indices by scanning; large ones through a map.
        let local_of: Option<HashMap<&str, usize>> =
            (k > 32).then(|| part.iter().enumerate().map(|(i, id)| (*id, i)).collect());
        let find = |o: &str| match &local_of {
            Some(m) => m.get(o).copied(),
            None => part.iter().position(|p| *p == o),
        };
        let next: Vec<Vec<usize>> = part
            .iter()
            .map(|id| {
                ix.out(id)
                    .filter(|(_, e)| !e.kind.is_relation())
                    .filter_map(|(_, e)| find(&e.to))
                    .collect()
            })
            .collect();
        let (component, rows) = reach_rows(&next, words);
        Local {
            ids: part.to_vec(),
            services,
            words,
            component,
            reach: rows,
        }
    }

    /// Whether `b` is downstream of `a`.
    fn reaches(&self, a: usize, b: usize) -> bool {
        self.reach[self.component[a] * self.words + b / 64] & (1 << (b % 64)) != 0
    }
}

/// How a pipeline fills a reference's stages (local node indices).
struct Match {
    reference: &'static Reference,
    filled: Vec<Option<usize>>,
    out_of_order: Vec<(usize, usize)>,
    present: usize,
    missing_count: usize,
}

impl Match {
    fn missing(&self) -> Vec<usize> {
        (0..self.filled.len())
            .filter(|&i| self.filled[i].is_none() && !self.reference.stages[i].optional)
            .collect()
    }
    fn required(&self) -> usize {
        self.reference.stages.iter().filter(|s| !s.optional).count()
    }
    fn score(&self) -> f32 {
        self.present as f32
            - 0.75 * self.missing_count as f32
            - 0.5 * self.out_of_order.len() as f32
    }
}

/// Fills stages in order, each with a node of its services not used by an earlier stage,
/// preferring a node downstream of the previous filled stage.
fn fill(local: &Local<'_>, reference: &'static Reference, r: usize) -> Match {
    let k = local.ids.len();
    let mut used = vec![false; k];
    let mut filled: Vec<Option<usize>> = Vec::with_capacity(reference.stages.len());
    let mut prev: Option<usize> = None;
    for (st, stage) in reference.stages.iter().enumerate() {
        let fits = |j: usize| {
            !used[j]
                && local.services[j] != usize::MAX
                && STAGES_OF[local.services[j]].contains(&(r, st))
        };
        let pick = match (stage.ordered, prev) {
            (true, Some(p)) => (0..k)
                .find(|&j| fits(j) && local.reaches(p, j))
                .or_else(|| (0..k).find(|&j| fits(j))),
            _ => (0..k).find(|&j| fits(j)),
        };
        if let Some(p) = pick {
            used[p] = true;
            if stage.ordered {
                prev = Some(p);
            }
        }
        filled.push(pick);
    }
    let ordered: Vec<(usize, usize)> = filled
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.filter(|_| reference.stages[i].ordered).map(|n| (i, n)))
        .collect();
    let out_of_order = ordered
        .windows(2)
        .filter(|w| local.reaches(w[1].1, w[0].1) && !local.reaches(w[0].1, w[1].1))
        .map(|w| (w[0].0, w[1].0))
        .collect();
    let present = filled.iter().filter(|f| f.is_some()).count();
    let missing_count = (0..filled.len())
        .filter(|&i| filled[i].is_none() && !reference.stages[i].optional)
        .count();
    Match {
        reference,
        filled,
        out_of_order,
        present,
        missing_count,
    }
}

/// One conformance finding per pipeline that resembles a reference architecture.
pub fn conformance(ix: &Index) -> Vec<Finding> {
    let mut findings = Vec::new();
    for part in components(ix) {
        if part.len() < 2 || part.len() > LARGEST_MATCHED {
            continue;
        }
        let cat = crate::catalog::catalog();
        let services: Vec<usize> = part
            .iter()
            .map(|id| {
                ix.service(id)
                    .and_then(|s| cat.service_index(s))
                    .unwrap_or(usize::MAX)
            })
            .collect();
        // Only references that could reach the threshold are matched in full: for each
        // reference, the stages some service of the pipeline could fill.
        let mut fillable: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        let mut seen_services: Vec<usize> = Vec::with_capacity(8);
        for &service in &services {
            if service == usize::MAX || seen_services.contains(&service) {
                continue;
            }
            seen_services.push(service);
            for &(r, stage) in &STAGES_OF[service] {
                fillable.entry(r).or_default().insert(stage);
            }
        }
        let all = references();
        let candidates: Vec<usize> = fillable
            .iter()
            .filter(|&(&r, stages)| {
                let n = stages.len();
                let required = all[r].stages.iter().filter(|st| !st.optional).count();
                n >= 2 && n as f32 >= 0.6 * required as f32
            })
            .map(|(&r, _)| r)
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let local = Local::new(ix, &part, services);
        let best = candidates
            .into_iter()
            .map(|r| fill(&local, &all[r], r))
            .filter(|m| {
                (m.present >= 3 || m.missing_count == 0)
                    && m.present >= 2
                    && m.present as f32 >= 0.6 * m.required() as f32
            })
            .filter(|m| {
                let nodes: Vec<usize> = m.filled.iter().flatten().copied().collect();
                nodes
                    .iter()
                    .any(|&a| nodes.iter().any(|&b| local.reaches(a, b)))
                    || m.reference.stages.iter().all(|s| !s.ordered)
            })
            .max_by(|a, b| {
                a.score()
                    .total_cmp(&b.score())
                    .then(a.present.cmp(&b.present))
                    .then(b.reference.id.cmp(&a.reference.id))
            });
        let Some(m) = best else { continue };
        findings.push(finding(&m, &local));
    }
    findings
}

fn finding(m: &Match, local: &Local<'_>) -> Finding {
    let r = m.reference;
    let present = m.present;
    let total = r.stages.len();
    let missing = m.missing();
    let name = |i: usize| r.stages[i].name.as_str();
    let mut parts = Vec::new();
    for &i in &missing {
        let before = (0..i)
            .rev()
            .find(|&k| m.filled[k].is_some() && r.stages[k].ordered);
        let after = (i + 1..total).find(|&k| m.filled[k].is_some() && r.stages[k].ordered);
        parts.push(match (r.stages[i].ordered, before, after) {
            (true, Some(b), Some(a)) => {
                format!("missing {} between {} and {}", name(i), name(b), name(a))
            }
            (true, Some(b), None) => format!("missing {} after {}", name(i), name(b)),
            (true, None, Some(a)) => format!("missing {} before {}", name(i), name(a)),
            _ => format!("missing {}", name(i)),
        });
    }
    for &(i, j) in &m.out_of_order {
        parts.push(format!("{} comes after {}", name(i), name(j)));
    }
    let complete = parts.is_empty();
    let present_names: Vec<&str> = (0..total)
        .filter(|&i| m.filled[i].is_some())
        .map(name)
        .collect();
    let message = if complete {
        format!(
            "Matches {} {}, {present} of {total} stages: {}",
            r.id,
            r.name,
            present_names.join(", ")
        )
    } else {
        format!(
            "Matches {} {}, {present} of {total} stages: {}",
            r.id,
            r.name,
            parts.join("; ")
        )
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
        severity: if complete {
            Severity::Info
        } else {
            Severity::Warning
        },
        message,
        elements,
        quote: format!("Reference architecture {} ({}) of the notes", r.id, r.name),
        source: r.source.to_string(),
        fix: None,
        suppressed: false,
    }
}

#[cfg(test)]
mod reach_tests {
    use super::reach_rows;

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
    use super::references;
    use crate::catalog::catalog;

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
