//! The invariants a design must meet to be opened, checked and drawn, tested in one place.

use std::collections::{HashMap, HashSet};

use super::{Design, EdgeId, ElementId, is_valid_id};

/// Why a design breaks an invariant; `id` names the element so callers can locate it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    /// The id (or referenced id) the problem is about, for finding its line in a file.
    pub id: String,
    /// Whether the culprit is where the id is defined (`id: "x"`) or where it is referenced.
    pub at_definition: bool,
    /// Which such occurrence in the file is the culprit (0 = first).
    pub occurrence: usize,
}

impl Design {
    /// Checks every invariant a loaded file must meet; the first failure is returned.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let ids = self
            .nodes()
            .iter()
            .map(|n| n.id.as_str())
            .chain(self.groups().iter().map(|g| g.id.as_str()));
        for id in ids {
            if !is_valid_id(id) {
                return Err(invalid_definition(
                    format!("id \"{id}\" may contain only letters, digits, '_', '.' and '-'"),
                    id,
                    0,
                ));
            }
            let count = seen.entry(id).or_insert(0);
            *count += 1;
            if *count > 1 {
                return Err(invalid_definition(
                    format!("duplicate id \"{id}\": ids must be unique among nodes and groups"),
                    id,
                    1,
                ));
            }
        }
        let group_ids: HashSet<&str> = self.groups().iter().map(|g| g.id.as_str()).collect();
        // An element id says whether it names a node or a group; the file reader decides it
        // from the file's groups, so a mismatch is a bug in code that built the design.
        let has_id = |id: &ElementId| {
            seen.contains_key(id.as_str()) && id.is_group() == group_ids.contains(id.as_str())
        };
        // Edge ids come from `push_edge` and edit commands, never from a file: a repeat is a
        // bug in the code that built the design, reported like any broken invariant.
        let mut edge_ids = HashSet::with_capacity(self.edges().len());
        for e in self.edges() {
            if e.id == EdgeId::UNASSIGNED || !edge_ids.insert(e.id) {
                return Err(invalid(
                    format!(
                        "edge {} -> {} has no id of its own (add edges with push_edge)",
                        e.from, e.to
                    ),
                    e.from.as_str(),
                    0,
                ));
            }
        }
        for e in self.edges() {
            for end in [&e.from, &e.to] {
                if !has_id(end) {
                    return Err(invalid(
                        format!(
                            "edge {} -> {} names \"{end}\", which is no node or group",
                            e.from, e.to
                        ),
                        end.as_str(),
                        0,
                    ));
                }
            }
        }
        let mut parent: HashMap<&str, &str> = HashMap::new();
        for g in self.groups() {
            for c in &g.children {
                if !has_id(c) {
                    return Err(invalid(
                        format!(
                            "group \"{}\" lists child \"{c}\", which is no node or group",
                            g.id
                        ),
                        c.as_str(),
                        0,
                    ));
                }
                if c == &g.id {
                    return Err(invalid(
                        format!("group \"{c}\" contains itself"),
                        c.as_str(),
                        0,
                    ));
                }
                if let Some(first) = parent.insert(c.as_str(), g.id.as_str()) {
                    return Err(invalid(
                        format!(
                            "\"{c}\" is in two groups, \"{first}\" and \"{}\"; an element has at most one parent",
                            g.id
                        ),
                        c.as_str(),
                        0,
                    ));
                }
            }
        }
        if let Err(id) = self.group_depths() {
            return Err(invalid_definition(
                format!("group \"{id}\" contains itself through nested groups"),
                &id,
                0,
            ));
        }
        for s in &self.suppressions {
            if let Some(t) = &s.target
                && !has_id(t)
            {
                return Err(invalid(
                    format!(
                        "suppression of {} names \"{t}\", which is no node or group",
                        s.rule
                    ),
                    t.as_str(),
                    0,
                ));
            }
        }
        Ok(())
    }
}

pub(super) fn invalid(message: String, id: &str, occurrence: usize) -> Invalid {
    Invalid {
        message,
        id: id.to_string(),
        at_definition: false,
        occurrence,
    }
}

pub(super) fn invalid_definition(message: String, id: &str, occurrence: usize) -> Invalid {
    Invalid {
        at_definition: true,
        ..invalid(message, id, occurrence)
    }
}
