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
        include_str!("../../assets/references.ron"),
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

/// Connected parts of the design, through any edge, as node ids in design order.
fn components<'a>(ix: &Index<'a>) -> Vec<Vec<&'a str>> {
    let mut seen = vec![false; ix.design.nodes().len()];
    let any_group_edges = ix
        .design
        .edges()
        .iter()
        .any(|e| ix.group(&e.from).is_some() || ix.group(&e.to).is_some());
    let mut out = Vec::new();
    for (start, n) in ix.design.nodes().iter().enumerate() {
        // Notes are words about the drawing, not part of any pipeline.
        if seen[start] || n.is_note() {
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
    /// Which nodes the internet reaches by themselves (an internet-facing load balancer, a
    /// distribution), as an import says: they have users without a users node.
    faces_internet: Vec<bool>,
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
        let faces_internet = part
            .iter()
            .map(|id| {
                ix.node(id).is_some_and(|n| {
                    ix.prop(n, "scheme") == Some("internet-facing")
                        || ix.prop(n, "viewers").is_some_and(|v| !v.is_empty())
                })
            })
            .collect();
        Local {
            ids: part.to_vec(),
            services,
            words,
            component,
            reach: rows,
            faces_internet,
        }
    }

    /// Whether `b` is downstream of `a`.
    fn reaches(&self, a: usize, b: usize) -> bool {
        self.reach[self.component[a] * self.words + b / 64] & (1 << (b % 64)) != 0
    }
}

/// How a pipeline fills a reference's stages (local node indices).
struct Match<'r> {
    reference: &'r Reference,
    filled: Vec<Option<usize>>,
    out_of_order: Vec<(usize, usize)>,
    /// Stages filled, optional ones included.
    present: usize,
    /// Required stages filled.
    required_present: usize,
}

impl Match<'_> {
    fn required(&self) -> usize {
        self.reference.stages.iter().filter(|s| !s.optional).count()
    }

    /// Whether enough of the reference is there to say the pipeline follows it: most of its
    /// required stages, at least three of them or all.
    fn enough(&self) -> bool {
        let required = self.required();
        (self.required_present >= 3 || self.required_present == required)
            && self.required_present >= 2
            && self.required_present as f32 >= 0.6 * required as f32
    }

    /// How alike the pipeline and the reference are: the stages matched, counted on both
    /// sides, over the size of both (how much of the reference the pipeline covers and how
    /// much of the pipeline the reference explains at once). As a fraction, compared exactly.
    fn likeness(&self, pipeline: usize) -> (u64, u64) {
        (
            2 * self.present as u64,
            (self.reference.stages.len() + pipeline) as u64,
        )
    }

    /// The nearest filled ordered stage before or after stage `i`.
    fn filled_neighbour(&self, i: usize, after: bool) -> Option<usize> {
        let stages = &self.reference.stages;
        let fits = |k: &usize| self.filled[*k].is_some() && stages[*k].ordered;
        if after {
            (i + 1..stages.len()).find(fits)
        } else {
            (0..i).rev().find(fits)
        }
    }
}

/// Fills the stages as well as it can: in order first, and when that puts a stage after a
/// later one, also as a pipeline that starts later (the first stages left empty, their nodes
/// free for later stages) or from another node of the first stage's services, keeping the
/// reading that is in order and fills the most stages. An ECS task an EventBridge rule starts
/// is the consumer of T27, not its producer out of order; of two functions, the one that
/// publishes is the producer, not the first one drawn.
fn best_fill<'r>(local: &Local<'_>, set: &'r ReferenceSet, r: usize) -> Match<'r> {
    let first = fill(local, set, r, 0, None);
    if first.out_of_order.is_empty() {
        return first;
    }
    let stages = set.references[r].stages.len();
    let mut best: Option<Match<'r>> = None;
    for skip in 0..stages.min(4) {
        let starts: Vec<usize> = (0..local.ids.len())
            .filter(|&j| {
                local.services[j] != usize::MAX
                    && set.stages_of[local.services[j]].contains(&(r, skip))
            })
            .take(MAX_STARTS)
            .collect();
        for start in starts.into_iter().map(Some).chain([None]) {
            let m = fill(local, set, r, skip, start);
            let better = match &best {
                None => true,
                Some(b) => (m.enough(), m.present) > (b.enough(), b.present),
            };
            if m.out_of_order.is_empty() && better {
                best = Some(m);
            }
        }
    }
    // A node that fills an early stage out of order but could as well fill a later one (a
    // function is both T27's producer and its consumer) makes no departure: the pipeline then
    // reads in order, if only in part, and a part too small is not reported at all.
    let ambiguous = first.out_of_order.iter().all(|&(i, j)| {
        first.filled[i].is_some_and(|n| {
            local.services[n] != usize::MAX
                && set.stages_of[local.services[n]]
                    .iter()
                    .any(|&(rr, st)| rr == r && st > j)
        })
    });
    match best {
        Some(b) if b.enough() || ambiguous => b,
        _ => first,
    }
}

/// How many nodes [`best_fill`] tries as the first stage of a reading.
const MAX_STARTS: usize = 8;

/// Fills stages in order, each with a node of its services not used by an earlier stage:
/// one downstream of the previous filled stage, else one upstream of it (which the finding
/// then calls out of order), else any (a stage tied on by a relation); the first `skip` stages
/// stay empty, and `start` (when it fits) fills the first stage after them.
fn fill<'r>(
    local: &Local<'_>,
    set: &'r ReferenceSet,
    r: usize,
    skip: usize,
    start: Option<usize>,
) -> Match<'r> {
    let reference = &set.references[r];
    let k = local.ids.len();
    let mut used = vec![false; k];
    let mut filled: Vec<Option<usize>> = Vec::with_capacity(reference.stages.len());
    let mut prev: Option<usize> = None;
    for (st, stage) in reference.stages.iter().enumerate() {
        if st < skip {
            filled.push(None);
            continue;
        }
        let fits = |j: usize| {
            !used[j]
                && local.services[j] != usize::MAX
                && set.stages_of[local.services[j]].contains(&(r, st))
        };
        let pick = match (stage.ordered, prev) {
            _ if st == skip && start.is_some_and(fits) => start,
            (true, Some(p)) => (0..k)
                .find(|&j| fits(j) && local.reaches(p, j))
                .or_else(|| (0..k).find(|&j| fits(j) && local.reaches(j, p)))
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
    // A stage tied on only by a relation, flowing to and from neither neighbouring filled
    // stage, is not part of the pipeline (an authorizer beside the API is not a queue's
    // consumer; a function the API calls is not the consumer of a topic only mailed out).
    let flows = |a: usize, b: usize| local.reaches(a, b) || local.reaches(b, a);
    let ordered: Vec<usize> = (0..filled.len())
        .filter(|&i| reference.stages[i].ordered && filled[i].is_some())
        .collect();
    // The neighbours on each side: the filled stages up to the first required one, so an
    // optional stage between (keyless access between admin and EC2) is looked past.
    let neighbours = |k: usize| -> Vec<usize> {
        let mut out = Vec::new();
        let sides: [Vec<usize>; 2] = [(0..k).rev().collect(), (k + 1..ordered.len()).collect()];
        for side in sides {
            for o in side {
                out.push(ordered[o]);
                if !reference.stages[ordered[o]].optional {
                    break;
                }
            }
        }
        out
    };
    let loose: Vec<usize> = (0..ordered.len())
        .filter(|&k| {
            let n = filled[ordered[k]].unwrap_or_default();
            let around = neighbours(k);
            !around.is_empty()
                && !around
                    .iter()
                    .any(|&o| filled[o].is_some_and(|m| flows(n, m)))
        })
        .map(|k| ordered[k])
        .collect();
    if filled.iter().filter(|f| f.is_some()).count() > loose.len() + 1 {
        for i in loose {
            filled[i] = None;
        }
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
    let required_present = (0..filled.len())
        .filter(|&i| filled[i].is_some() && !reference.stages[i].optional)
        .count();
    Match {
        reference,
        filled,
        out_of_order,
        present,
        required_present,
    }
}

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
                .map(|f| f.map(|i| local.ids[i].into()))
                .collect(),
        })
        .collect()
}

fn matches<'a, 'r>(ix: &Index<'a>, set: &'r ReferenceSet) -> Vec<(Match<'r>, Local<'a>)> {
    let mut out = Vec::new();
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
            for &(r, stage) in &set.stages_of[service] {
                fillable.entry(r).or_default().insert(stage);
            }
        }
        let all = &set.references;
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
        let size = part.len();
        let best = candidates
            .into_iter()
            .map(|r| best_fill(&local, set, r))
            .filter(Match::enough)
            .filter(|m| {
                let nodes: Vec<usize> = m.filled.iter().flatten().copied().collect();
                nodes
                    .iter()
                    .any(|&a| nodes.iter().any(|&b| local.reaches(a, b)))
                    || m.reference.stages.iter().all(|s| !s.ordered)
            })
            .max_by(|a, b| {
                let (an, ad) = a.likeness(size);
                let (bn, bd) = b.likeness(size);
                (an * bd)
                    .cmp(&(bn * ad))
                    .then(b.reference.stages.len().cmp(&a.reference.stages.len()))
                    .then(b.reference.id.cmp(&a.reference.id))
            });
        if let Some(m) = best {
            out.push((m, local));
        }
    }
    out
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
