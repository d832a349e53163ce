//! The design as pure data: what a person drew, with no view state and no GUI types.
//!
//! The model changes only through [`crate::edit::EditCommand`]s; the invariants that loading
//! enforces (unique ids, resolvable references, a proper group tree) are checked in one place,
//! [`Design::validate`].

pub mod geom;
pub mod idmap;
mod ids;
mod kinds;
pub mod sample;

use std::collections::{BTreeMap, HashMap, HashSet};

pub use geom::{Frame, Pos, Rect};
pub use ids::{GroupId, NodeId};
pub use kinds::{EdgeKind, EdgeStyle, GroupKind};

/// Property maps keep a stable, sorted order so files diff well.
pub type Props = BTreeMap<String, String>;

/// How far from the origin a position or a size is taken as it is written: a canvas many
/// kilometres of screen wide. Beyond it a design still loads, a finding (G003) names the
/// element, and drawing clamps to it so nothing grows with a coordinate.
pub const SANE_COORDINATE: f32 = 1e7;

/// A whole design: the unit that is opened, saved, checked and exported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Design {
    pub title: String,
    pub description: String,
    /// How edges without a style of their own are drawn.
    pub edge_style: EdgeStyle,
    pub nodes: Vec<Node>,
    /// Add edges with [`Design::push_edge`] (or an edit command), which gives each its id.
    pub edges: Vec<Edge>,
    pub groups: Vec<Group>,
    pub suppressions: Vec<Suppression>,
    next_edge: EdgeCounter,
}

/// The next [`EdgeId`] to hand out. Bookkeeping, not content: two designs with the same
/// elements are equal whatever their counters say.
#[derive(Clone, Copy, Debug, Default)]
struct EdgeCounter(u32);

impl PartialEq for EdgeCounter {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// An edge's identity while a design is open. A position in the edge list shifts when an
/// earlier edge is deleted; an id does not, so a selection, a finding or a stored route that
/// names an edge keeps naming it through edits, undo and redo. Ids are not written to files:
/// loading numbers edges in file order from 0, so reports name an edge the same way each run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(pub u32);

impl EdgeId {
    /// The id of an edge not yet in a design; [`Design::push_edge`] replaces it.
    pub const UNASSIGNED: EdgeId = EdgeId(u32::MAX);
}

impl std::fmt::Display for EdgeId {
    /// `edge-N`: how reports, exports and the window name an edge that has no id in the file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "edge-{}", self.0)
    }
}

/// One service or external actor on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: NodeId,
    pub service: String,
    pub label: String,
    pub pos: Pos,
    pub props: Props,
    pub note: String,
}

/// The service of a note: free text on the canvas (a title, an explanation) that is moved,
/// edited, copied and undone like a service, drawn as text only, and ignored by the checks.
pub const NOTE_SERVICE: &str = "note";

impl Node {
    /// Whether the node is a note (free text), not a service.
    pub fn is_note(&self) -> bool {
        self.service == NOTE_SERVICE
    }

    /// A node with no label, properties or note, as the palette creates it.
    pub fn new(id: impl Into<NodeId>, service: impl Into<String>, pos: Pos) -> Self {
        Self {
            id: id.into(),
            service: service.into(),
            label: String::new(),
            pos,
            props: Props::new(),
            note: String::new(),
        }
    }
}

/// A directed connection between two nodes or groups.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Given by the design the edge is added to.
    pub id: EdgeId,
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
    pub props: Props,
    /// The edge's own drawing style; `None` follows the design's.
    pub style: Option<EdgeStyle>,
    /// Bend points a person placed by dragging a segment of an orthogonal route, in order from
    /// `from` to `to`. Empty means the router chooses; kept only while they make a valid route.
    pub bends: Vec<Pos>,
}

impl Edge {
    /// An unlabelled edge of the given kind.
    pub fn new(from: impl Into<String>, to: impl Into<String>, kind: EdgeKind) -> Self {
        Self {
            id: EdgeId::UNASSIGNED,
            from: from.into(),
            to: to.into(),
            kind,
            label: String::new(),
            props: Props::new(),
            style: None,
            bends: Vec::new(),
        }
    }

    /// The style this edge is drawn in, given the design's default.
    pub fn style_in(&self, design_style: EdgeStyle) -> EdgeStyle {
        self.style.unwrap_or(design_style)
    }
}

/// An AWS group box (Cloud, Region, AZ, VPC, subnet, ...) around nodes and other groups.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: GroupId,
    pub kind: GroupKind,
    pub label: String,
    pub children: Vec<String>,
    pub props: Props,
    /// A box of its own, which it keeps even when its contents are smaller; `None` wraps its
    /// contents. In files it is the `x`, `y`, `width`, `height` properties.
    pub frame: Option<Frame>,
}

impl Group {
    /// An empty group of the given kind.
    pub fn new(id: impl Into<GroupId>, kind: GroupKind) -> Self {
        Self {
            id: id.into(),
            kind,
            label: String::new(),
            children: Vec::new(),
            props: Props::new(),
            frame: None,
        }
    }
}

/// A finding the author has accepted, for one element or the whole design.
#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    pub rule: String,
    pub target: Option<String>,
    pub reason: String,
}

/// Which element of a design something refers to: a selection, a finding, a badge.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementRef {
    Node(NodeId),
    Edge(EdgeId),
    Group(GroupId),
}

impl ElementRef {
    /// The id of a node or a group, as text; `None` for an edge.
    pub fn named_id(&self) -> Option<&str> {
        match self {
            ElementRef::Node(id) => Some(id.as_str()),
            ElementRef::Group(id) => Some(id.as_str()),
            ElementRef::Edge(_) => None,
        }
    }

    /// How reports and exports name the element: its id, or `edge-N` for an edge.
    pub fn display_id(&self) -> String {
        match self {
            ElementRef::Node(id) => id.to_string(),
            ElementRef::Group(id) => id.to_string(),
            ElementRef::Edge(id) => id.to_string(),
        }
    }
}

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
    /// Adds an edge at the end, giving it a fresh id (unless it brings one no edge has).
    pub fn push_edge(&mut self, mut edge: Edge) -> EdgeId {
        edge.id = self.claim_edge_id(edge.id);
        let id = edge.id;
        self.edges.push(edge);
        id
    }

    /// `wanted` when it is a real id no edge of the design has, else a fresh one; either way
    /// the counter moves past it, so it is never handed out again.
    pub(crate) fn claim_edge_id(&mut self, wanted: EdgeId) -> EdgeId {
        let fresh = wanted == EdgeId::UNASSIGNED
            || (wanted.0 < self.next_edge.0 && self.edges.iter().any(|e| e.id == wanted));
        let id = if fresh {
            EdgeId(self.next_edge.0)
        } else {
            wanted
        };
        self.next_edge.0 = self.next_edge.0.max(id.0.saturating_add(1));
        id
    }

    /// The id the next edge added will get, for an edit that must name the edge it creates.
    pub fn next_edge_id(&self) -> EdgeId {
        EdgeId(self.next_edge.0)
    }

    /// Where the edge with this id is in the list.
    pub fn edge_index(&self, id: EdgeId) -> Option<usize> {
        self.edges.iter().position(|e| e.id == id)
    }

    /// The edge with this id.
    pub fn edge(&self, id: EdgeId) -> Option<&Edge> {
        self.edges.iter().find(|e| e.id == id)
    }

    /// The nodes and groups among `elements`, by id in design order (nodes first): what a
    /// selection moves, groups or places a box around.
    pub fn ids_among(&self, elements: &std::collections::BTreeSet<ElementRef>) -> Vec<String> {
        // Ids are unique among nodes and groups, so one set of names serves both lists.
        let named: HashSet<&str> = elements.iter().filter_map(ElementRef::named_id).collect();
        let nodes = self.nodes.iter().map(|n| n.id.as_str());
        let groups = self.groups.iter().map(|g| g.id.as_str());
        nodes
            .chain(groups)
            .filter(|id| named.contains(id))
            .map(str::to_string)
            .collect()
    }

    /// The part of a design a selection covers: the selected nodes, the selected groups with
    /// everything inside them, and the edges between what is kept, each with its id, so ids
    /// and badges stay those of the design. What an export of a selection draws, and what
    /// Copy puts on the clipboard.
    pub fn part(&self, selection: &[ElementRef]) -> Design {
        let design = self;
        let mut keep: std::collections::HashSet<String> = std::collections::HashSet::new();
        for e in selection {
            match e {
                ElementRef::Node(id) => {
                    keep.insert(id.to_string());
                }
                ElementRef::Group(id) => {
                    keep.insert(id.to_string());
                    keep.extend(design.descendants(id));
                }
                ElementRef::Edge(_) => {}
            }
        }
        let mut out = Design {
            title: design.title.clone(),
            description: design.description.clone(),
            edge_style: design.edge_style,
            ..Design::default()
        };
        out.nodes = design
            .nodes
            .iter()
            .filter(|n| keep.contains(n.id.as_str()))
            .cloned()
            .collect();
        out.groups = design
            .groups
            .iter()
            .filter(|g| keep.contains(g.id.as_str()))
            .map(|g| {
                let mut g = g.clone();
                g.children.retain(|c| keep.contains(c));
                g
            })
            .collect();
        // The kept edges keep their ids, which are unique already; new ones count on from
        // the design's counter.
        out.edges = design
            .edges
            .iter()
            .filter(|e| keep.contains(&e.from) && keep.contains(&e.to))
            .cloned()
            .collect();
        out.next_edge = design.next_edge;
        out
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Index of the node with this id.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Index of the group with this id.
    pub fn group_index(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.id == id)
    }

    /// Whether a node or group has this id.
    pub fn has_id(&self, id: &str) -> bool {
        self.node(id).is_some() || self.group(id).is_some()
    }

    /// The group directly containing `id`, if any.
    pub fn parent_of(&self, id: &str) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.children.iter().any(|c| c == id))
    }

    /// Map from node id to its index, for code that resolves many ids at once.
    pub fn node_indices(&self) -> HashMap<&str, usize> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect()
    }

    /// Map from group id to its index, for code that resolves many ids at once.
    pub fn group_indices(&self) -> HashMap<&str, usize> {
        self.groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect()
    }

    /// Map from child id to parent group id, for code that asks many times per frame.
    pub fn parent_map(&self) -> HashMap<&str, &str> {
        let mut map = HashMap::new();
        for g in &self.groups {
            for c in &g.children {
                map.insert(c.as_str(), g.id.as_str());
            }
        }
        map
    }

    /// Whether `ancestor` is `id` or contains it, directly or through nested groups.
    pub fn is_within(&self, id: &str, ancestor: &str) -> bool {
        let mut current = Some(id);
        let mut steps = 0;
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.groups.len() + 1 {
                return false;
            }
            current = self.parent_of(c).map(|g| g.id.as_str());
        }
        false
    }

    /// How many groups enclose each group (by index into `groups`), or the id of a group that
    /// contains itself through nested groups. A walk up stops at a group whose depth is known,
    /// so a nest of any depth costs one visit per group: validation, the scene's drawing order
    /// and the rules' inherited regions all stand on it.
    pub fn group_depths(&self) -> Result<Vec<usize>, String> {
        let parents = self.parent_map();
        let index = self.group_indices();
        let mut depth: Vec<Option<usize>> = vec![None; self.groups.len()];
        for start in 0..self.groups.len() {
            let mut path = vec![start];
            let mut on_path = HashSet::from([start]);
            let mut above = 0;
            let mut current = parents
                .get(self.groups[start].id.as_str())
                .and_then(|p| index.get(p).copied());
            while let Some(i) = current {
                if let Some(d) = depth[i] {
                    above = d + 1;
                    break;
                }
                if !on_path.insert(i) {
                    return Err(self.groups[i].id.to_string());
                }
                path.push(i);
                current = parents
                    .get(self.groups[i].id.as_str())
                    .and_then(|p| index.get(p).copied());
            }
            for i in path.into_iter().rev() {
                depth[i] = Some(above);
                above += 1;
            }
        }
        Ok(depth.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Every node and group inside a group, however deeply nested.
    pub fn descendants(&self, group_id: &str) -> Vec<String> {
        let index = self.group_indices();
        descendants_by(group_id, |g| index.get(g).map(|&i| &self.groups[i]))
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Every node inside a group, however deeply nested.
    pub fn nodes_within(&self, group_id: &str) -> Vec<String> {
        let nodes = self.node_indices();
        let mut out = self.descendants(group_id);
        out.retain(|id| nodes.contains_key(id.as_str()));
        out
    }

    /// A fresh readable id from `base` (`s3`, `s3_2`, ...), unique among nodes and groups.
    pub fn unique_id(&self, base: &str) -> String {
        fresh_id(base, |id| self.has_id(id))
    }

    /// Checks every invariant a loaded file must meet; the first failure is returned.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let ids = self
            .nodes
            .iter()
            .map(|n| n.id.as_str())
            .chain(self.groups.iter().map(|g| g.id.as_str()));
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
        let has_id = |id: &str| seen.contains_key(id);
        // Edge ids come from `push_edge` and edit commands, never from a file: a repeat is a
        // bug in the code that built the design, reported like any broken invariant.
        let mut edge_ids = HashSet::with_capacity(self.edges.len());
        for e in &self.edges {
            if e.id == EdgeId::UNASSIGNED || !edge_ids.insert(e.id) {
                return Err(invalid(
                    format!(
                        "edge {} -> {} has no id of its own (add edges with push_edge)",
                        e.from, e.to
                    ),
                    &e.from,
                    0,
                ));
            }
        }
        for e in &self.edges {
            for end in [&e.from, &e.to] {
                if !has_id(end) {
                    return Err(invalid(
                        format!(
                            "edge {} -> {} names \"{end}\", which is no node or group",
                            e.from, e.to
                        ),
                        end,
                        0,
                    ));
                }
            }
        }
        let mut parent: HashMap<&str, &str> = HashMap::new();
        for g in &self.groups {
            for c in &g.children {
                if !has_id(c) {
                    return Err(invalid(
                        format!(
                            "group \"{}\" lists child \"{c}\", which is no node or group",
                            g.id
                        ),
                        c,
                        0,
                    ));
                }
                if c == &g.id {
                    return Err(invalid(format!("group \"{c}\" contains itself"), c, 0));
                }
                if let Some(first) = parent.insert(c, &g.id) {
                    return Err(invalid(
                        format!(
                            "\"{c}\" is in two groups, \"{first}\" and \"{}\"; an element has at most one parent",
                            g.id
                        ),
                        c,
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
                    t,
                    0,
                ));
            }
        }
        Ok(())
    }
}

/// Every node and group inside a group, however deeply nested, in the order they are listed
/// (each box's contents, then those of its last inner box, ...). `group` finds a group by id:
/// the caller brings its hashed lookup.
pub fn descendants_by<'a>(
    group_id: &str,
    group: impl Fn(&str) -> Option<&'a Group>,
) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut stack: Vec<&'a Group> = group(group_id).into_iter().collect();
    let mut seen = HashSet::new();
    while let Some(g) = stack.pop() {
        if !seen.insert(g.id.as_str()) {
            continue;
        }
        for c in &g.children {
            out.push(c.as_str());
            stack.extend(group(c));
        }
    }
    out
}

fn invalid(message: String, id: &str, occurrence: usize) -> Invalid {
    Invalid {
        message,
        id: id.to_string(),
        at_definition: false,
        occurrence,
    }
}

fn invalid_definition(message: String, id: &str, occurrence: usize) -> Invalid {
    Invalid {
        at_definition: true,
        ..invalid(message, id, occurrence)
    }
}

/// The id scheme of new elements: `base` slugified (`node` when nothing is left), then
/// `base_2`, `base_3`, ... until `taken` says no. Callers bring their own lookup.
pub fn fresh_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slugify(base);
    let base = if base.is_empty() {
        "node".to_string()
    } else {
        base
    };
    unused_id(base, taken)
}

/// `base` as it is when free, else `base_2`, `base_3`, ...: for ids that come from elsewhere
/// (a template's logical ids, a draw.io file's cell ids) and must stay recognisable.
pub fn unused_id(base: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

/// Hands out ids nobody has taken, as [`unused_id`] names them (`x`, `x_2`, `x_3`, ...), in
/// constant time per id however many share a base: 20,000 draw.io cells all called "same"
/// would otherwise cost 20,000 tries each.
#[derive(Default)]
pub struct FreshIds {
    taken: std::collections::HashSet<String>,
    /// For each base handed out, the suffix to try next.
    next: HashMap<String, usize>,
}

impl FreshIds {
    /// `base` if it is free, else the first free `base_N`; either way taken from now on.
    pub fn fresh(&mut self, base: String) -> String {
        let id = if self.taken.contains(&base) {
            let mut n = self.next.get(&base).copied().unwrap_or(2);
            let mut candidate = format!("{base}_{n}");
            while self.taken.contains(&candidate) {
                n += 1;
                candidate = format!("{base}_{n}");
            }
            self.next.insert(base, n + 1);
            candidate
        } else {
            base
        };
        self.taken.insert(id.clone());
        id
    }
}

/// Whether a character may appear in an id (`[A-Za-z0-9_.-]`).
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Whether `id` fits the file format's id pattern `[A-Za-z0-9_.-]+`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(is_id_char)
}

/// Turns a label into an id fragment: lowercase ASCII, runs of anything else become `_`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_count_up_from_two() {
        let mut d = Design::default();
        assert_eq!(d.unique_id("s3"), "s3");
        d.nodes.push(Node::new("s3", "s3", Pos::default()));
        assert_eq!(d.unique_id("s3"), "s3_2");
        assert_eq!(d.unique_id("Raw zone!"), "raw_zone");
    }

    #[test]
    fn nested_group_cycle_is_rejected() {
        let mut d = Design::default();
        let mut a = Group::new("a", GroupKind::Generic);
        a.children.push("b".into());
        let mut b = Group::new("b", GroupKind::Generic);
        b.children.push("a".into());
        d.groups = vec![a, b];
        assert!(
            d.validate()
                .unwrap_err()
                .message
                .contains("contains itself")
        );
    }
}
