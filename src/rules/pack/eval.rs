//! Checking a design against a rule pack: each rule picks its services through the index,
//! and path requirements walk the graph once per rule from all their ends together, so a
//! pack of a hundred rules stays linear in the design.

use std::collections::{HashSet, VecDeque};

use super::{PackRule, Requirement, RulePack, Subject};
use crate::model::{ElementRef, Node};
use crate::rules::{Finding, Index, node, q};

/// The findings of every rule of `pack` on the indexed design, skipping `disabled` ids.
pub fn findings(
    ix: &Index,
    pack: &RulePack,
    disabled: &std::collections::HashSet<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in pack.rules.iter().filter(|r| !disabled.contains(&r.id)) {
        let finding = |elements: Vec<ElementRef>, message: String| Finding {
            rule: rule.id.clone(),
            severity: rule.severity.into(),
            message,
            elements,
            quote: rule
                .explanation
                .clone()
                .unwrap_or_else(|| rule.message.replace("{label}", "it")),
            source: rule
                .link
                .clone()
                .unwrap_or_else(|| format!("{}:{}", pack.path, rule.line)),
            fix: None,
            suppressed: false,
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
        let said = |n: &Node| rule.message.replace("{label}", &q(ix, &n.id));
        match &rule.require {
            Requirement::AtMost(limit) if subjects.len() > *limit => {
                let elements = subjects.iter().map(|n| node(&n.id)).collect();
                out.push(finding(elements, counted(rule, subjects.len())));
            }
            Requirement::AtLeast(floor) if subjects.len() < *floor => {
                let elements = subjects.iter().map(|n| node(&n.id)).collect();
                out.push(finding(elements, counted(rule, subjects.len())));
            }
            Requirement::AtMost(_) | Requirement::AtLeast(_) | Requirement::HasGroup(_) => {}
            requirement => {
                let holds = Holds::new(ix, requirement);
                for n in subjects.into_iter().filter(|n| !holds.of(ix, n)) {
                    out.push(finding(vec![node(&n.id)], said(n)));
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

/// The nodes a rule looks at: of its services, meeting its `when` conditions.
fn subjects<'a>(ix: &Index<'a>, rule: &PackRule) -> Vec<&'a Node> {
    let nodes = match &rule.on {
        Subject::Service(s) => ix.of(&[s.as_str()]),
        Subject::Services(list) => {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            ix.of(&list)
        }
        Subject::Family(f) => ix.of_family(f),
        Subject::Design => Vec::new(),
    };
    nodes
        .into_iter()
        .filter(|n| {
            rule.when
                .iter()
                .all(|(key, value)| ix.prop(n, key) == Some(value.as_str()))
        })
        .collect()
}

/// A requirement made ready to ask of many nodes: paths are worked out once for all.
struct Holds<'r, 'a> {
    requirement: &'r Requirement,
    /// For path requirements: the nodes reached from (or reaching) the named services.
    reached: HashSet<&'a str>,
}

impl<'r, 'a> Holds<'r, 'a> {
    fn new(ix: &Index<'a>, requirement: &'r Requirement) -> Self {
        let reached = match requirement {
            Requirement::PathFrom(services) | Requirement::NoPathFrom(services) => {
                closure(ix, services, |ix, id| ix.flow_out(id))
            }
            Requirement::PathTo(services) | Requirement::NoPathTo(services) => {
                closure(ix, services, |ix, id| ix.flow_in(id))
            }
            _ => HashSet::new(),
        };
        Holds {
            requirement,
            reached,
        }
    }

    fn of(&self, ix: &Index<'a>, n: &Node) -> bool {
        let edge_with = |incoming: bool, services: &[String], kind: &Option<_>| {
            let edges: Vec<_> = if incoming {
                ix.inn(&n.id).map(|(_, e)| (e, e.from.as_str())).collect()
            } else {
                ix.out(&n.id).map(|(_, e)| (e, e.to.as_str())).collect()
            };
            edges.into_iter().any(|(e, other)| {
                kind.is_none_or(|k| e.kind == k)
                    && ix
                        .service(other)
                        .is_some_and(|s| services.iter().any(|x| x == s))
            })
        };
        match self.requirement {
            Requirement::EdgeFrom { services, kind } => edge_with(true, services, kind),
            Requirement::EdgeTo { services, kind } => edge_with(false, services, kind),
            Requirement::NoEdgeFrom { services, kind } => !edge_with(true, services, kind),
            Requirement::NoEdgeTo { services, kind } => !edge_with(false, services, kind),
            Requirement::PathFrom(_) | Requirement::PathTo(_) => {
                self.reached.contains(n.id.as_str())
            }
            Requirement::NoPathFrom(_) | Requirement::NoPathTo(_) => {
                !self.reached.contains(n.id.as_str())
            }
            Requirement::Inside(kind) => ix.inside(&n.id, *kind),
            Requirement::NotInside(kind) => !ix.inside(&n.id, *kind),
            Requirement::Property { key, one_of } => ix
                .prop(n, key)
                .is_some_and(|v| one_of.iter().any(|x| x == v)),
            Requirement::Absent => false,
            Requirement::AtMost(_) | Requirement::AtLeast(_) | Requirement::HasGroup(_) => true,
        }
    }
}

/// Every node reached in one or more steps of `next` from the nodes of `services`: one
/// breadth-first walk from all of them at once.
fn closure<'a>(
    ix: &Index<'a>,
    services: &[String],
    next: impl Fn(&Index<'a>, &str) -> Vec<&'a str>,
) -> HashSet<&'a str> {
    let names: Vec<&str> = services.iter().map(String::as_str).collect();
    let mut queue: VecDeque<&'a str> = ix.of(&names).iter().map(|n| n.id.as_str()).collect();
    let mut seen: HashSet<&'a str> = HashSet::new();
    while let Some(id) = queue.pop_front() {
        for o in next(ix, id) {
            if seen.insert(o) {
                queue.push_back(o);
            }
        }
    }
    seen
}
