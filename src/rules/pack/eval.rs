//! Checking a design against a rule pack. The design is read once into integer tables (each
//! node's edges with their kinds and the other end's service, the group kinds around it), built
//! only as far as some rule needs them; each rule then picks its services through the index
//! and asks integers, and a path requirement is one walk from all its ends together. A pack
//! of a hundred rules stays linear in the design and costs little beside the built-in rules.

use std::collections::VecDeque;

use super::{PackRule, Requirement, RulePack, Subject};
use crate::catalog::catalog;
use crate::limits::MAX_FINDINGS_PER_PACK_RULE;
use crate::model::{EdgeKind, ElementRef, GroupKind, Node};
use crate::rules::{Finding, Index, node, q};

/// The findings of every rule of `pack` on the indexed design, skipping `disabled` ids.
pub fn findings(
    ix: &Index,
    pack: &RulePack,
    disabled: &std::collections::HashSet<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut tables = Tables::default();
    for rule in pack.rules.iter().filter(|r| !disabled.contains(&r.id)) {
        // What every finding of the rule shares, worked out once.
        let quote = rule
            .explanation
            .clone()
            .unwrap_or_else(|| rule.message.replace("{label}", "it"));
        let source = rule
            .link
            .clone()
            .unwrap_or_else(|| format!("{}:{}", pack.path, rule.line));
        let finding = |elements: Vec<ElementRef>, message: String| Finding {
            rule: rule.id.clone(),
            severity: rule.severity.into(),
            message,
            elements,
            quote: quote.clone(),
            source: source.clone(),
            fix: None,
            suppressed: false,
            pipeline: false,
        };
        if let Requirement::HasGroup(kind) = rule.require {
            if !ix.has_group(kind) {
                out.push(finding(
                    Vec::new(),
                    rule.message.replace("{label}", "the design"),
                ));
            }
            continue;
        }
        let subjects = subjects(ix, rule);
        match &rule.require {
            Requirement::AtMost(limit) if subjects.len() > *limit => {
                let elements = subjects.iter().map(|(_, n)| node(&n.id)).collect();
                out.push(finding(elements, counted(rule, subjects.len())));
            }
            Requirement::AtLeast(floor) if subjects.len() < *floor => {
                let elements = subjects.iter().map(|(_, n)| node(&n.id)).collect();
                out.push(finding(elements, counted(rule, subjects.len())));
            }
            Requirement::AtMost(_) | Requirement::AtLeast(_) | Requirement::HasGroup(_) => {}
            requirement => {
                let holds = Holds::new(ix, &mut tables, requirement);
                let mut broken = 0usize;
                for (at, n) in subjects {
                    if !holds.of(&tables, at, n, ix) {
                        broken += 1;
                        if broken <= MAX_FINDINGS_PER_PACK_RULE {
                            let message = rule.message.replace("{label}", &q(ix, &n.id));
                            out.push(finding(vec![node(&n.id)], message));
                        }
                    }
                }
                if broken > MAX_FINDINGS_PER_PACK_RULE {
                    let left_out = broken - MAX_FINDINGS_PER_PACK_RULE;
                    out.push(finding(
                        Vec::new(),
                        format!(
                            "{left_out} more services break this rule ({broken} in all); archsketch lists at most {MAX_FINDINGS_PER_PACK_RULE} per pack rule"
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// A count rule's message, with how many there are.
fn counted(rule: &PackRule, count: usize) -> String {
    format!(
        "{} ({count} in the design)",
        rule.message.replace("{label}", "the design")
    )
}

/// The nodes a rule looks at, with their positions: of its services, meeting its `when`.
fn subjects<'a>(ix: &Index<'a>, rule: &PackRule) -> Vec<(usize, &'a Node)> {
    let nodes = match &rule.on {
        Subject::Service(s) => ix.of_at(&[s.as_str()]),
        Subject::Services(list) => {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            ix.of_at(&list)
        }
        Subject::Family(f) => {
            let list: Vec<&str> = catalog().family(f).iter().map(String::as_str).collect();
            ix.of_at(&list)
        }
        Subject::Design => Vec::new(),
    };
    if rule.when.is_empty() {
        return nodes;
    }
    nodes
        .into_iter()
        .filter(|(_, n)| {
            rule.when
                .iter()
                .all(|(key, value)| ix.prop(n, key) == Some(value.as_str()))
        })
        .collect()
}

/// No service: an edge end that is a group or a node of a service the catalog lacks.
const NO_SERVICE: u32 = u32::MAX;

/// One edge as seen from a node: the other end's position and service, and the kind.
#[derive(Clone, Copy)]
struct Link {
    other: u32,
    service: u32,
    kind: EdgeKind,
}

/// Per node position, its edges: out, then in.
type Links = (Vec<Vec<Link>>, Vec<Vec<Link>>);

/// The design as integers, each table filled the first time a rule needs it.
#[derive(Default)]
struct Tables {
    /// Per node position: edges out and in (between nodes, or to and from groups, whose end
    /// counts with no service).
    links: Option<Links>,
    /// Per node position: one bit per group kind around it.
    kinds: Option<Vec<u32>>,
}

impl Tables {
    fn links(&mut self, ix: &Index) -> &Links {
        self.links.get_or_insert_with(|| {
            let cat = catalog();
            let n = ix.design.nodes().len();
            let service_of = |pos: Option<usize>| {
                pos.and_then(|p| cat.service_index(&ix.design.nodes()[p].service))
                    .map_or(NO_SERVICE, |s| s as u32)
            };
            let mut out = vec![Vec::new(); n];
            let mut inn = vec![Vec::new(); n];
            for e in ix.design.edges() {
                let (a, b) = (ix.node_position(&e.from), ix.node_position(&e.to));
                let (sa, sb) = (service_of(a), service_of(b));
                if let Some(a) = a {
                    out[a].push(Link {
                        other: b.map_or(u32::MAX, |b| b as u32),
                        service: sb,
                        kind: e.kind,
                    });
                }
                if let Some(b) = b {
                    inn[b].push(Link {
                        other: a.map_or(u32::MAX, |a| a as u32),
                        service: sa,
                        kind: e.kind,
                    });
                }
            }
            (out, inn)
        })
    }

    fn kinds(&mut self, ix: &Index) -> &[u32] {
        self.kinds.get_or_insert_with(|| {
            ix.design
                .nodes()
                .iter()
                .map(|n| ix.kinds_around(&n.id))
                .collect()
        })
    }
}

/// Catalog indices of named services, for comparing integers.
fn service_set(services: &[String]) -> Vec<u32> {
    let cat = catalog();
    services
        .iter()
        .filter_map(|s| cat.service_index(s))
        .map(|i| i as u32)
        .collect()
}

/// A requirement made ready to ask of many nodes.
struct Holds<'r> {
    requirement: &'r Requirement,
    services: Vec<u32>,
    /// For path requirements: by node position, the nodes reached from (or reaching) the
    /// named services.
    reached: Vec<bool>,
}

impl<'r> Holds<'r> {
    fn new(ix: &Index, tables: &mut Tables, requirement: &'r Requirement) -> Self {
        let mut holds = Holds {
            requirement,
            services: Vec::new(),
            reached: Vec::new(),
        };
        match requirement {
            Requirement::EdgeFrom { services, .. }
            | Requirement::EdgeTo { services, .. }
            | Requirement::NoEdgeFrom { services, .. }
            | Requirement::NoEdgeTo { services, .. } => {
                holds.services = service_set(services);
                tables.links(ix);
            }
            Requirement::PathFrom(services) | Requirement::NoPathFrom(services) => {
                holds.reached = reached(ix, tables, services, true);
            }
            Requirement::PathTo(services) | Requirement::NoPathTo(services) => {
                holds.reached = reached(ix, tables, services, false);
            }
            Requirement::Inside(_) | Requirement::NotInside(_) => {
                tables.kinds(ix);
            }
            _ => {}
        }
        holds
    }

    /// Whether the requirement holds of the node at position `at`.
    fn of(&self, tables: &Tables, at: usize, n: &Node, ix: &Index) -> bool {
        let linked = |incoming: bool, kind: &Option<EdgeKind>| {
            let Some((out, inn)) = &tables.links else {
                return false;
            };
            let links = if incoming { &inn[at] } else { &out[at] };
            links.iter().any(|l| {
                kind.is_none_or(|k| l.kind == k)
                    && l.service != NO_SERVICE
                    && self.services.contains(&l.service)
            })
        };
        let inside = |kind: GroupKind| {
            tables
                .kinds
                .as_ref()
                .is_some_and(|k| k[at] & (1 << (kind as u32)) != 0)
        };
        let reached = || self.reached.get(at).copied().unwrap_or(false);
        match self.requirement {
            Requirement::EdgeFrom { kind, .. } => linked(true, kind),
            Requirement::EdgeTo { kind, .. } => linked(false, kind),
            Requirement::NoEdgeFrom { kind, .. } => !linked(true, kind),
            Requirement::NoEdgeTo { kind, .. } => !linked(false, kind),
            Requirement::PathFrom(_) | Requirement::PathTo(_) => reached(),
            Requirement::NoPathFrom(_) | Requirement::NoPathTo(_) => !reached(),
            Requirement::Inside(kind) => inside(*kind),
            Requirement::NotInside(kind) => !inside(*kind),
            Requirement::Property { key, one_of } => ix
                .prop(n, key)
                .is_some_and(|v| one_of.iter().any(|x| x == v)),
            Requirement::Absent => false,
            Requirement::AtMost(_) | Requirement::AtLeast(_) | Requirement::HasGroup(_) => true,
        }
    }
}

/// Every node reached in one or more flow steps (forward, or backward) from the nodes of
/// `services`: one breadth-first walk from all of them at once.
fn reached(ix: &Index, tables: &mut Tables, services: &[String], forward: bool) -> Vec<bool> {
    let names: Vec<&str> = services.iter().map(String::as_str).collect();
    let starts: Vec<usize> = ix.of_at(&names).iter().map(|(at, _)| *at).collect();
    let (out, inn) = tables.links(ix);
    let steps = if forward { out } else { inn };
    let mut seen = vec![false; steps.len()];
    let mut queue: VecDeque<usize> = starts.into();
    while let Some(i) = queue.pop_front() {
        for l in &steps[i] {
            let o = l.other as usize;
            if l.other != u32::MAX && !l.kind.is_relation() && !seen[o] {
                seen[o] = true;
                queue.push_back(o);
            }
        }
    }
    seen
}
