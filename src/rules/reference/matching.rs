//! Matching pipelines with references: the design's connected parts, which node reaches
//! which, and the best way a pipeline fills a reference's stages. The thresholds that decide
//! when a pipeline "follows" a reference are named at the top.

use super::*;

/// Connected parts of the design, through any edge, as node ids in design order.
pub(super) fn components<'a>(ix: &Index<'a>) -> Vec<Vec<&'a str>> {
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

/// A pipeline follows a reference when it has this many of its required stages (or all of
/// them, for a shorter reference)...
pub(super) const ENOUGH_STAGES: usize = 3;
/// ...and never fewer than this: one service alone matches nothing.
pub(super) const FEWEST_STAGES: usize = 2;
/// ...and at least this share of the required stages.
pub(super) const ENOUGH_SHARE: f32 = 0.6;
/// How many of a reference's first stages [`best_fill`] may leave empty, reading the pipeline
/// as one that starts later.
pub(super) const MOST_SKIPPED: usize = 4;
/// How many nodes [`best_fill`] tries as the first stage of a reading.
pub(super) const MAX_STARTS: usize = 8;

/// Which nodes each node reaches along `next` (paths of one step or more), as bit rows of
/// `words` words, one row per strongly connected component. Components come out of Tarjan's
/// algorithm downstream first, so each row is the union of rows already made: one pass over
/// the edges, not a search from every node.
pub(super) fn reach_rows(next: &[Vec<usize>], words: usize) -> (Vec<usize>, Vec<u64>) {
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
pub(super) struct Local<'a> {
    pub(super) ids: Vec<&'a str>,
    pub(super) services: Vec<usize>,
    pub(super) words: usize,
    /// Each node's strongly connected component: nodes of one reach the same nodes.
    pub(super) component: Vec<usize>,
    /// One bit row per component: the nodes reachable from it.
    pub(super) reach: Vec<u64>,
    /// Which nodes the internet reaches by themselves (an internet-facing load balancer, a
    /// distribution), as an import says: they have users without a users node.
    pub(super) faces_internet: Vec<bool>,
}

impl<'a> Local<'a> {
    pub(super) fn new(ix: &Index<'a>, part: &[&'a str], services: Vec<usize>) -> Self {
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
                    .filter_map(|(_, e)| find(e.to.as_str()))
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
    pub(super) fn reaches(&self, a: usize, b: usize) -> bool {
        self.reach[self.component[a] * self.words + b / 64] & (1 << (b % 64)) != 0
    }
}

/// How a pipeline fills a reference's stages (local node indices).
pub(super) struct Match<'r> {
    pub(super) reference: &'r Reference,
    pub(super) filled: Vec<Option<usize>>,
    pub(super) out_of_order: Vec<(usize, usize)>,
    /// Stages filled, optional ones included.
    pub(super) present: usize,
    /// Required stages filled.
    pub(super) required_present: usize,
}

impl Match<'_> {
    pub(super) fn required(&self) -> usize {
        self.reference.stages.iter().filter(|s| !s.optional).count()
    }

    /// Whether enough of the reference is there to say the pipeline follows it: most of its
    /// required stages, at least three of them or all.
    pub(super) fn enough(&self) -> bool {
        let required = self.required();
        (self.required_present >= ENOUGH_STAGES || self.required_present == required)
            && self.required_present >= FEWEST_STAGES
            && self.required_present as f32 >= ENOUGH_SHARE * required as f32
    }

    /// How alike the pipeline and the reference are: the stages matched, counted on both
    /// sides, over the size of both (how much of the reference the pipeline covers and how
    /// much of the pipeline the reference explains at once). As a fraction, compared exactly.
    pub(super) fn likeness(&self, pipeline: usize) -> (u64, u64) {
        (
            2 * self.present as u64,
            (self.reference.stages.len() + pipeline) as u64,
        )
    }

    /// The nearest filled ordered stage before or after stage `i`.
    pub(super) fn filled_neighbour(&self, i: usize, after: bool) -> Option<usize> {
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
pub(super) fn best_fill<'r>(local: &Local<'_>, set: &'r ReferenceSet, r: usize) -> Match<'r> {
    let first = fill(local, set, r, 0, None);
    if first.out_of_order.is_empty() {
        return first;
    }
    let stages = set.references[r].stages.len();
    let mut best: Option<Match<'r>> = None;
    for skip in 0..stages.min(MOST_SKIPPED) {
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

/// Fills stages in order, each with a node of its services not used by an earlier stage:
/// one downstream of the previous filled stage, else one upstream of it (which the finding
/// then calls out of order), else any (a stage tied on by a relation); the first `skip` stages
/// stay empty, and `start` (when it fits) fills the first stage after them.
pub(super) fn fill<'r>(
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

pub(super) fn matches<'a, 'r>(
    ix: &Index<'a>,
    set: &'r ReferenceSet,
) -> Vec<(Match<'r>, Local<'a>)> {
    let mut out = Vec::new();
    for part in components(ix) {
        if part.len() < FEWEST_STAGES || part.len() > LARGEST_MATCHED {
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
                n >= FEWEST_STAGES && n as f32 >= ENOUGH_SHARE * required as f32
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
