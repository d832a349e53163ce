//! What a change does to an architecture: two versions of a design compared element by
//! element (services, connections, boxes added, removed and changed, renames told from a
//! removal and an addition) and the findings the change introduces and fixes. What a review
//! of a pull request needs, where a template or `.drawio` diff is a wall of text.

mod draw;
mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use draw::{Drawn, Marked, drawing, keep_old_places, key};
pub use render::{json, markdown, outline, text};

use crate::model::{Design, Edge, ElementRef};
use crate::rules::{Finding, Severity};

/// One element's change: what it is called in each version and what differs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Changed {
    /// Its id in the new version.
    pub id: String,
    /// Its id in the old version when it was renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// What differs, one entry per field: `label: "Raw" -> "Raw zone"`.
    pub fields: Vec<String>,
}

impl Changed {
    /// What differs, said in one run: `renamed from sql; label: "Raw" -> "Raw zone"`.
    pub fn note(&self) -> String {
        let mut parts = Vec::new();
        if let Some(old) = &self.renamed_from {
            parts.push(format!("renamed from {old}"));
        }
        parts.extend(self.fields.iter().cloned());
        parts.join("; ")
    }

    /// The element and what differs: `raw: label: "Raw" -> "Raw zone"`.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.id, self.note())
    }
}

/// Whether an element was added, removed or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    /// `+`, `-` or `~`, as a diff marks a line.
    pub fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        }
    }

    /// `added`, `removed` or `changed`.
    pub fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// What kind of element a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Service,
    Box,
    Connection,
}

impl Kind {
    /// `service`, `box` or `connection`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Box => "box",
            Kind::Connection => "connection",
        }
    }
}

/// One change in words ([`Review::lines`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeLine {
    pub change: Change,
    pub kind: Kind,
    /// The element, and for a change what differs.
    pub text: String,
}

/// One side's element as a review names it: its id and what a person reads.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Named {
    pub id: String,
    /// The service or box kind, as a person reads it.
    pub what: String,
    pub label: String,
}

impl Named {
    /// `crawler (AWS Glue)`, or `raw (Amazon S3, "Raw zone")` with a label.
    pub fn describe(&self) -> String {
        if self.label.is_empty() {
            format!("{} ({})", self.id, self.what)
        } else {
            format!("{} ({}, \"{}\")", self.id, self.what, self.label)
        }
    }
}

/// A connection as a review names it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
}

impl Link {
    /// `raw -> sql (Query)`, with its label in quotes when it has one.
    pub fn describe(&self) -> String {
        let label = if self.label.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", self.label)
        };
        format!("{} -> {} ({}){label}", self.from, self.to, self.kind)
    }
}

/// A finding as a review names it: the same finding in both versions has the same key.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Noted {
    pub rule: String,
    pub severity: Severity,
    /// The elements it is about, by their ids in the version it was found in.
    pub elements: Vec<String>,
    pub message: String,
}

/// Added, removed and changed elements of one kind.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Delta<T> {
    pub added: Vec<T>,
    pub removed: Vec<T>,
    pub changed: Vec<Changed>,
}

impl<T> Delta<T> {
    /// How many were added, removed and changed.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.added.len(), self.removed.len(), self.changed.len())
    }

    fn is_empty(&self) -> bool {
        self.counts() == (0, 0, 0)
    }
}

impl<T> Default for Delta<T> {
    fn default() -> Self {
        Delta {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

/// The whole comparison.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Review {
    pub services: Delta<Named>,
    pub connections: Delta<Link>,
    pub boxes: Delta<Named>,
    /// Findings of the new version that the old one did not have.
    pub introduced: Vec<Noted>,
    /// Findings of the old version that the new one no longer has.
    pub fixed: Vec<Noted>,
}

impl Review {
    /// Whether the versions hold the same architecture (positions aside).
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.connections.is_empty()
            && self.boxes.is_empty()
            && self.introduced.is_empty()
            && self.fixed.is_empty()
    }

    /// Every change as one line, services first, then boxes, then connections, each added,
    /// removed, changed: what the text, the Markdown's list and a drawing's key all say.
    pub fn lines(&self) -> Vec<ChangeLine> {
        let mut lines = Vec::new();
        let mut add = |change, kind, text| lines.push(ChangeLine { change, kind, text });
        for (kind, delta) in [(Kind::Service, &self.services), (Kind::Box, &self.boxes)] {
            for n in &delta.added {
                add(Change::Added, kind, n.describe());
            }
            for n in &delta.removed {
                add(Change::Removed, kind, n.describe());
            }
            for c in &delta.changed {
                add(Change::Changed, kind, c.describe());
            }
        }
        let c = &self.connections;
        for l in &c.added {
            add(Change::Added, Kind::Connection, l.describe());
        }
        for l in &c.removed {
            add(Change::Removed, Kind::Connection, l.describe());
        }
        for x in &c.changed {
            add(Change::Changed, Kind::Connection, x.describe());
        }
        lines
    }

    /// How many introduced findings are at `floor` or worse: what `--fail-on` counts.
    pub fn introduced_at(&self, floor: Severity) -> usize {
        self.introduced
            .iter()
            .filter(|f| rank(f.severity) <= rank(floor))
            .count()
    }
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Compares two versions, checking each with the notes' rules.
pub fn compare(old: &Design, new: &Design) -> Review {
    compare_with(
        old,
        new,
        &crate::rules::check(old),
        &crate::rules::check(new),
    )
}

/// [`compare`] with findings already made (a team's rule pack, other options).
pub fn compare_with(
    old: &Design,
    new: &Design,
    old_findings: &[Finding],
    new_findings: &[Finding],
) -> Review {
    let renames = renames(old, new);
    let old_name = |id: &str| renames.get(id).cloned().unwrap_or_else(|| id.to_string());
    let services = services(old, new, &renames);
    let boxes = boxes(old, new, &renames);
    let connections = connections(old, new, &old_name);
    // A finding is the same finding when its rule and elements are: its message names
    // elements by label, which a change may edit.
    let key = |f: &Noted, map: &dyn Fn(&str) -> String| {
        let mut elements: Vec<String> = f.elements.iter().map(|e| map(e)).collect();
        elements.sort();
        (f.rule.clone(), elements)
    };
    let noted = |findings: &[Finding], design: &Design| -> Vec<Noted> {
        findings
            .iter()
            .filter(|f| !f.suppressed)
            .map(|f| Noted {
                rule: f.rule.clone(),
                severity: f.severity,
                elements: f.elements.iter().map(|e| element_name(design, e)).collect(),
                message: f.message.clone(),
            })
            .collect()
    };
    let before = noted(old_findings, old);
    let after = noted(new_findings, new);
    // The old side's findings named as the new side names their elements.
    let identity = |id: &str| id.to_string();
    let new_of_old: HashMap<&str, &str> = renames
        .iter()
        .map(|(n, o)| (o.as_str(), n.as_str()))
        .collect();
    let one = |id: &str| new_of_old.get(id).map_or(id.to_string(), |n| n.to_string());
    let as_new = |id: &str| match id.split_once(" -> ") {
        Some((from, to)) => format!("{} -> {}", one(from), one(to)),
        None => one(id),
    };
    let before_keys: BTreeSet<_> = before.iter().map(|f| key(f, &as_new)).collect();
    let after_keys: BTreeSet<_> = after.iter().map(|f| key(f, &identity)).collect();
    Review {
        services,
        connections,
        boxes,
        introduced: after
            .iter()
            .filter(|f| !before_keys.contains(&key(f, &identity)))
            .cloned()
            .collect(),
        fixed: before
            .iter()
            .filter(|f| !after_keys.contains(&key(f, &as_new)))
            .cloned()
            .collect(),
    }
}

/// How a finding's element is named: a node's or box's id, an edge as `from -> to`.
fn element_name(design: &Design, element: &ElementRef) -> String {
    match element {
        ElementRef::Edge(id) => design
            .edge(*id)
            .map_or(id.to_string(), |e| format!("{} -> {}", e.from, e.to)),
        other => other.display_id(),
    }
}

/// Elements that only changed their id: a removed and an added element of the same service
/// (or box kind) with the same label or the same neighbours, paired when the pairing is the
/// only one. New id -> old id.
fn renames(old: &Design, new: &Design) -> BTreeMap<String, String> {
    let removed = only_in(old, new);
    let added = only_in(new, old);
    let old_near = neighbours(old, &removed);
    let new_near = neighbours(new, &added);
    // The added elements by what they are and their label, and by what they are and their
    // neighbours: each removed one then finds its candidates in two lookups.
    type Kind<'a> = (bool, &'a str);
    let mut by_label: HashMap<(Kind, &str), Vec<&str>> = HashMap::new();
    let mut by_near: HashMap<(Kind, &BTreeSet<String>), Vec<&str>> = HashMap::new();
    for a in &added {
        let kind = (a.is_box, a.what.as_str());
        if !a.label.is_empty() {
            by_label.entry((kind, &a.label)).or_default().push(&a.id);
        }
        if let Some(near) = new_near.get(a.id.as_str()) {
            by_near.entry((kind, near)).or_default().push(&a.id);
        }
    }
    let mut out = BTreeMap::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    for r in &removed {
        let kind = (r.is_box, r.what.as_str());
        let mut alike: BTreeSet<&str> = BTreeSet::new();
        if !r.label.is_empty() {
            alike.extend(
                by_label
                    .get(&(kind, r.label.as_str()))
                    .into_iter()
                    .flatten(),
            );
        }
        if let Some(near) = old_near.get(r.id.as_str()) {
            alike.extend(by_near.get(&(kind, near)).into_iter().flatten());
        }
        alike.retain(|id| !taken.contains(id));
        if let [only] = alike.into_iter().collect::<Vec<_>>().as_slice() {
            taken.insert(only);
            out.insert(only.to_string(), r.id.clone());
        }
    }
    out
}

/// A node or box one version has and the other lacks, as a rename is looked for.
struct Lone {
    is_box: bool,
    /// Its service, or its box kind.
    what: String,
    label: String,
    id: String,
}

fn only_in(a: &Design, b: &Design) -> Vec<Lone> {
    let nodes = a
        .nodes()
        .iter()
        .filter(|n| !b.has_text_id(n.id.as_str()))
        .map(|n| Lone {
            is_box: false,
            what: n.service.clone(),
            label: n.label.clone(),
            id: n.id.to_string(),
        });
    let groups = a
        .groups()
        .iter()
        .filter(|g| !b.has_text_id(g.id.as_str()))
        .map(|g| Lone {
            is_box: true,
            what: g.kind.name().to_string(),
            label: g.label.clone(),
            id: g.id.to_string(),
        });
    nodes.chain(groups).collect()
}

/// The neighbours of each of `lone` (the other end of each of its edges), in one walk over
/// the edges; elements without edges are left out.
fn neighbours(design: &Design, lone: &[Lone]) -> HashMap<String, BTreeSet<String>> {
    let wanted: BTreeSet<&str> = lone.iter().map(|l| l.id.as_str()).collect();
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for e in design.edges() {
        for (end, other) in [(&e.from, &e.to), (&e.to, &e.from)] {
            if wanted.contains(end.as_str()) {
                out.entry(end.to_string())
                    .or_default()
                    .insert(other.to_string());
            }
        }
    }
    out
}

fn services(old: &Design, new: &Design, renames: &BTreeMap<String, String>) -> Delta<Named> {
    let catalog = crate::catalog::catalog();
    let named = |n: &crate::model::Node| Named {
        id: n.id.to_string(),
        what: catalog.display_name(&n.service).to_string(),
        label: n.label.clone(),
    };
    let renamed_old: BTreeSet<&str> = renames.values().map(String::as_str).collect();
    let mut delta = Delta::default();
    for n in new.nodes() {
        let old_id = old_id_of(renames, n.id.as_str());
        let Some((_, before)) = old.node_by_text(old_id) else {
            delta.added.push(named(n));
            continue;
        };
        let mut fields = Vec::new();
        if before.service != n.service {
            fields.push(format!(
                "service: {} -> {}",
                catalog.display_name(&before.service),
                catalog.display_name(&n.service)
            ));
        }
        changed_text(&mut fields, "label", &before.label, &n.label);
        changed_text(&mut fields, "note", &before.note, &n.note);
        changed_props(&mut fields, &before.props, &n.props);
        changed_box(&mut fields, old, new, old_id, n.id.as_str(), renames);
        if !fields.is_empty() || old_id != n.id.as_str() {
            delta.changed.push(Changed {
                id: n.id.to_string(),
                renamed_from: (old_id != n.id.as_str()).then(|| old_id.to_string()),
                fields,
            });
        }
    }
    for n in old.nodes() {
        if !new.has_text_id(n.id.as_str()) && !renamed_old.contains(n.id.as_str()) {
            delta.removed.push(named(n));
        }
    }
    delta
}

fn boxes(old: &Design, new: &Design, renames: &BTreeMap<String, String>) -> Delta<Named> {
    let named = |g: &crate::model::Group| Named {
        id: g.id.to_string(),
        what: g.kind.display_name().to_string(),
        label: g.label.clone(),
    };
    let renamed_old: BTreeSet<&str> = renames.values().map(String::as_str).collect();
    let mut delta = Delta::default();
    for g in new.groups() {
        let old_id = old_id_of(renames, g.id.as_str());
        let Some((_, before)) = old.group_by_text(old_id) else {
            delta.added.push(named(g));
            continue;
        };
        let mut fields = Vec::new();
        if before.kind != g.kind {
            fields.push(format!(
                "kind: {} -> {}",
                before.kind.display_name(),
                g.kind.display_name()
            ));
        }
        changed_text(&mut fields, "label", &before.label, &g.label);
        changed_props(&mut fields, &before.props, &g.props);
        changed_box(&mut fields, old, new, old_id, g.id.as_str(), renames);
        if !fields.is_empty() || old_id != g.id.as_str() {
            delta.changed.push(Changed {
                id: g.id.to_string(),
                renamed_from: (old_id != g.id.as_str()).then(|| old_id.to_string()),
                fields,
            });
        }
    }
    for g in old.groups() {
        if !new.has_text_id(g.id.as_str()) && !renamed_old.contains(g.id.as_str()) {
            delta.removed.push(named(g));
        }
    }
    delta
}

fn connections(old: &Design, new: &Design, old_name: &dyn Fn(&str) -> String) -> Delta<Link> {
    let link = |e: &Edge| Link {
        from: e.from.to_string(),
        to: e.to.to_string(),
        kind: e.kind.name().to_string(),
        label: e.label.clone(),
    };
    // Old edges by their ends as the new version names them; several between one pair are
    // matched in order.
    let mut unmatched: BTreeMap<(String, String), Vec<&Edge>> = BTreeMap::new();
    let old_of_new: HashMap<String, String> = new
        .nodes()
        .iter()
        .map(|n| n.id.to_string())
        .chain(new.groups().iter().map(|g| g.id.to_string()))
        .map(|id| (old_name(&id), id))
        .collect();
    let as_new = |id: &str| {
        old_of_new
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    for e in old.edges() {
        unmatched
            .entry((as_new(e.from.as_str()), as_new(e.to.as_str())))
            .or_default()
            .push(e);
    }
    let mut delta = Delta::default();
    for e in new.edges() {
        let ends = (e.from.to_string(), e.to.to_string());
        let candidates = unmatched.get_mut(&ends);
        let Some(candidates) = candidates.filter(|c| !c.is_empty()) else {
            delta.added.push(link(e));
            continue;
        };
        let at = candidates
            .iter()
            .position(|o| o.kind == e.kind)
            .unwrap_or(0);
        let before = candidates.remove(at);
        let mut fields = Vec::new();
        if before.kind != e.kind {
            fields.push(format!("kind: {} -> {}", before.kind.name(), e.kind.name()));
        }
        changed_text(&mut fields, "label", &before.label, &e.label);
        changed_props(&mut fields, &before.props, &e.props);
        if !fields.is_empty() {
            delta.changed.push(Changed {
                id: format!("{} -> {}", e.from, e.to),
                renamed_from: None,
                fields,
            });
        }
    }
    for e in unmatched.into_values().flatten() {
        delta.removed.push(link(e));
    }
    delta
}

/// The id an element of the new version had in the old one.
fn old_id_of<'a>(renames: &'a BTreeMap<String, String>, id: &'a str) -> &'a str {
    renames.get(id).map_or(id, String::as_str)
}

fn changed_text(fields: &mut Vec<String>, what: &str, before: &str, after: &str) {
    if before != after {
        fields.push(format!("{what}: {before:?} -> {after:?}"));
    }
}

fn changed_props(
    fields: &mut Vec<String>,
    before: &crate::model::Props,
    after: &crate::model::Props,
) {
    for (k, v) in after {
        match before.get(k) {
            Some(old) if old == v => {}
            Some(old) => fields.push(format!("{k}: {old:?} -> {v:?}")),
            None => fields.push(format!("{k}: set to {v:?}")),
        }
    }
    for k in before.keys().filter(|k| !after.contains_key(*k)) {
        fields.push(format!("{k}: removed"));
    }
}

/// The box an element sits in, compared through renames.
fn changed_box(
    fields: &mut Vec<String>,
    old: &Design,
    new: &Design,
    old_id: &str,
    new_id: &str,
    renames: &BTreeMap<String, String>,
) {
    let before = old.parent_id_of_text(old_id).map(|p| p.to_string());
    let after = new.parent_id_of_text(new_id).map(|p| p.to_string());
    let after_as_old = after
        .as_deref()
        .map(|a| renames.get(a).cloned().unwrap_or_else(|| a.to_string()));
    if before != after_as_old {
        let name = |p: Option<String>| p.unwrap_or_else(|| "no box".to_string());
        fields.push(format!("box: {} -> {}", name(before), name(after)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(text: &str) -> Design {
        crate::io::load_str(text, "t.ron").unwrap()
    }

    const OLD: &str = r#"Design(format: 1, nodes: [
        Node(id: "app", service: "users", pos: (0.0, 0.0)),
        Node(id: "raw", service: "s3", label: "Raw", pos: (200.0, 0.0), props: {"versioning": "enabled"}),
        Node(id: "sql", service: "athena", pos: (400.0, 0.0)),
        Node(id: "queue", service: "sqs", pos: (0.0, 200.0)),
    ], edges: [
        Edge(from: "app", to: "raw", kind: Data),
        Edge(from: "raw", to: "sql", kind: Query),
    ], groups: [Group(id: "region", kind: Region, children: ["raw", "sql"])])"#;

    #[test]
    fn additions_removals_changes_and_renames_are_told_apart() {
        // `sql` is renamed `query` (same service, same neighbour), `queue` removed, a Glue
        // crawler added, the bucket relabelled and moved out of its box, versioning dropped.
        let new = design(
            r#"Design(format: 1, nodes: [
            Node(id: "app", service: "users", pos: (0.0, 0.0)),
            Node(id: "raw", service: "s3", label: "Raw zone", pos: (200.0, 0.0)),
            Node(id: "query", service: "athena", pos: (400.0, 0.0)),
            Node(id: "crawler", service: "glue", pos: (300.0, 100.0)),
        ], edges: [
            Edge(from: "app", to: "raw", kind: Data),
            Edge(from: "raw", to: "query", kind: Query),
            Edge(from: "raw", to: "crawler", kind: Catalog),
        ], groups: [Group(id: "region", kind: Region, children: ["query", "crawler"])])"#,
        );
        let r = compare(&design(OLD), &new);
        let ids = |v: &[Named]| v.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&r.services.added), ["crawler"]);
        assert_eq!(ids(&r.services.removed), ["queue"]);
        let raw = r.services.changed.iter().find(|c| c.id == "raw").unwrap();
        assert!(
            raw.fields
                .contains(&"label: \"Raw\" -> \"Raw zone\"".to_string()),
            "{raw:?}"
        );
        assert!(
            raw.fields.contains(&"versioning: removed".to_string()),
            "{raw:?}"
        );
        assert!(
            raw.fields.contains(&"box: region -> no box".to_string()),
            "{raw:?}"
        );
        let query = r.services.changed.iter().find(|c| c.id == "query").unwrap();
        assert_eq!(query.renamed_from.as_deref(), Some("sql"));
        assert!(query.fields.is_empty(), "{query:?}");
        // The renamed connection is the same connection; only the new one is added.
        assert!(r.connections.removed.is_empty(), "{:?}", r.connections);
        assert_eq!(r.connections.added.len(), 1);
        assert_eq!(r.connections.added[0].to, "crawler");
        assert!(r.boxes.changed.is_empty() && r.boxes.added.is_empty());
    }

    #[test]
    fn findings_a_change_introduces_and_fixes_are_told_from_old_debt() {
        let old = design(OLD);
        // Athena loses its S3 source (R001 introduced); nothing else changes.
        let new = design(&OLD.replace("Edge(from: \"raw\", to: \"sql\", kind: Query),", ""));
        let r = compare(&old, &new);
        assert!(
            r.introduced.iter().any(|f| f.rule == "R001"),
            "{:?}",
            r.introduced
        );
        assert!(r.fixed.iter().all(|f| f.rule != "R001"));
        let back = compare(&new, &old);
        assert!(
            back.fixed.iter().any(|f| f.rule == "R001"),
            "{:?}",
            back.fixed
        );
        assert!(back.introduced.iter().all(|f| f.rule != "R001"));
        // Findings both versions have are neither.
        let same = compare(&old, &old);
        assert!(same.is_empty(), "{same:?}");
    }
}
