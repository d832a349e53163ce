//! The design as pure data: what a person drew, with no view state and no GUI types.
//!
//! The model changes only through [`crate::edit::EditCommand`]s; the invariants that loading
//! enforces (unique ids, resolvable references, a proper group tree) are checked in one place,
//! [`Design::validate`].

mod design;
pub mod geom;
pub mod idmap;
mod ids;
mod index;
mod kinds;
mod naming;
pub mod sample;
mod validate;
mod views;

use std::collections::{BTreeMap, HashSet};

pub use design::{Design, DesignParts};
pub use geom::{Frame, Pos, Rect};
pub use ids::{AnyId, BadId, ElementId, GroupId, GroupKey, NodeId, NodeKey};
#[cfg(test)]
pub(crate) use ids::{gid, nid};
pub use kinds::{EdgeKind, EdgeStyle, GroupKind};
pub use naming::{FreshIds, fresh_id, is_id_char, is_valid_id, slugify, unused_id};
pub use validate::Invalid;
pub use views::{EdgeMut, GroupMut, NodeMut};

/// Property maps keep a stable, sorted order so files diff well.
pub type Props = BTreeMap<String, String>;

/// How far from the origin a position or a size is taken as it is written: a canvas many
/// kilometres of screen wide. Beyond it a design still loads, a finding (G003) names the
/// element, and drawing clamps to it so nothing grows with a coordinate.
pub const SANE_COORDINATE: f32 = 1e7;

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
    pub fn new(id: NodeId, service: impl Into<String>, pos: Pos) -> Self {
        Self {
            id,
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
    pub from: ElementId,
    pub to: ElementId,
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
    pub fn new(from: impl Into<ElementId>, to: impl Into<ElementId>, kind: EdgeKind) -> Self {
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
    pub children: Vec<ElementId>,
    pub props: Props,
    /// A box of its own, which it keeps even when its contents are smaller; `None` wraps its
    /// contents. In files it is the `x`, `y`, `width`, `height` properties.
    pub frame: Option<Frame>,
}

impl Group {
    /// An empty group of the given kind.
    pub fn new(id: GroupId, kind: GroupKind) -> Self {
        Self {
            id,
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
    pub target: Option<ElementId>,
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

    /// The node or group it is, as an id an edge end or a box member can hold; `None` for
    /// an edge.
    pub fn element_id(&self) -> Option<ElementId> {
        match self {
            ElementRef::Node(id) => Some(ElementId::Node(id.clone())),
            ElementRef::Group(id) => Some(ElementId::Group(id.clone())),
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

impl From<ElementId> for ElementRef {
    fn from(id: ElementId) -> Self {
        match id {
            ElementId::Node(id) => ElementRef::Node(id),
            ElementId::Group(id) => ElementRef::Group(id),
        }
    }
}

impl From<&ElementId> for ElementRef {
    fn from(id: &ElementId) -> Self {
        ElementRef::from(id.clone())
    }
}

/// Every node and group inside a group, however deeply nested, in the order they are listed
/// (each box's contents, then those of its last inner box, ...). `group` finds a group by id:
/// the caller brings its hashed lookup.
pub fn descendants_by<'a>(
    group_id: &GroupId,
    group: impl Fn(&GroupId) -> Option<&'a Group>,
) -> Vec<&'a ElementId> {
    let mut out = Vec::new();
    let mut stack: Vec<&'a Group> = group(group_id).into_iter().collect();
    let mut seen = HashSet::new();
    while let Some(g) = stack.pop() {
        if !seen.insert(g.id.as_str()) {
            continue;
        }
        for c in &g.children {
            out.push(c);
            stack.extend(c.group().and_then(&group));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_count_up_from_two() {
        let mut d = Design::default();
        assert_eq!(d.unique_id("s3"), "s3");
        d.push_node(Node::new(NodeId::made("s3"), "s3", Pos::default()))
            .unwrap();
        assert_eq!(d.unique_id("s3"), "s3_2");
        assert_eq!(d.unique_id("Raw zone!"), "raw_zone");
    }

    #[test]
    fn nested_group_cycle_is_rejected() {
        let (a_id, b_id) = (GroupId::made("a"), GroupId::made("b"));
        let mut a = Group::new(a_id.clone(), GroupKind::Generic);
        a.children.push(b_id.clone().into());
        let mut b = Group::new(b_id, GroupKind::Generic);
        b.children.push(a_id.into());
        let parts = DesignParts {
            groups: vec![a, b],
            ..DesignParts::default()
        };
        assert!(
            Design::from_parts(parts)
                .unwrap_err()
                .message
                .contains("contains itself")
        );
    }
}
