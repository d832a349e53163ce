//! Views of one node, edge or group that let its fields change in place but not what the
//! design's lookups stand on (its id, an edge's ends, a box's members), so an edit through a
//! view cannot make the lookups drift from the lists.

use super::{Edge, Group, Node, NodeId};
use super::{EdgeId, EdgeKind, EdgeStyle, ElementId, Frame, GroupId, GroupKind, Pos, Props};

/// The fields of a node that may change in place; its id may not (it is what finds it).
pub struct NodeMut<'a> {
    pub id: &'a NodeId,
    pub service: &'a mut String,
    pub label: &'a mut String,
    pub pos: &'a mut Pos,
    pub props: &'a mut Props,
    pub note: &'a mut String,
}

impl<'a> NodeMut<'a> {
    pub(super) fn of(node: &'a mut Node) -> Self {
        let Node {
            id,
            service,
            label,
            pos,
            props,
            note,
        } = node;
        NodeMut {
            id,
            service,
            label,
            pos,
            props,
            note,
        }
    }
}

/// The fields of an edge that may change in place; its id and ends may not (its ends change
/// with [`Design::set_edge_ends`], which keeps the count of each element's edges).
pub struct EdgeMut<'a> {
    pub id: EdgeId,
    pub from: &'a ElementId,
    pub to: &'a ElementId,
    pub kind: &'a mut EdgeKind,
    pub label: &'a mut String,
    pub props: &'a mut Props,
    pub style: &'a mut Option<EdgeStyle>,
    pub bends: &'a mut Vec<Pos>,
}

impl<'a> EdgeMut<'a> {
    pub(super) fn of(edge: &'a mut Edge) -> Self {
        let Edge {
            id,
            from,
            to,
            kind,
            label,
            props,
            style,
            bends,
        } = edge;
        EdgeMut {
            id: *id,
            from,
            to,
            kind,
            label,
            props,
            style,
            bends,
        }
    }
}

/// The fields of a group that may change in place; its id and members may not (members move
/// with [`Design::move_into`], which keeps the parent of each element).
pub struct GroupMut<'a> {
    pub id: &'a GroupId,
    pub kind: &'a mut GroupKind,
    pub label: &'a mut String,
    pub props: &'a mut Props,
    pub frame: &'a mut Option<Frame>,
    pub children: &'a [ElementId],
}

impl<'a> GroupMut<'a> {
    pub(super) fn of(group: &'a mut Group) -> Self {
        let Group {
            id,
            kind,
            label,
            children,
            props,
            frame,
        } = group;
        GroupMut {
            id,
            kind,
            label,
            props,
            frame,
            children,
        }
    }
}
