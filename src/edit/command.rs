//! Every change a person can make to a design, as data. Applying a command returns its exact
//! inverse, so undo, redo, quick fixes and tests all go through [`apply`].

use crate::model::{
    AnyId, Design, Edge, EdgeId, EdgeKind, EdgeMut, EdgeStyle, ElementId, Frame, Group, GroupId,
    GroupKind, GroupMut, Node, NodeId, Pos, Suppression,
};

/// Which element a field edit is aimed at.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Design,
    Node(NodeId),
    Edge(EdgeId),
    Group(GroupId),
}

/// A field of an element that holds text; `Prop` is one entry of its property map.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Title,
    Description,
    Label,
    Note,
    /// A node's service id.
    Service,
    Prop(String),
}

/// One undoable change. Structural commands are primitive on purpose (removing a node needs
/// its edges and membership removed first); helpers in [`super::ops`] compose them.
#[derive(Clone, Debug, PartialEq)]
pub enum EditCommand {
    InsertNode {
        index: usize,
        node: Node,
    },
    /// Removes a node that has no edges, no parent group and no suppressions.
    RemoveNode {
        id: NodeId,
    },
    InsertEdge {
        index: usize,
        edge: Edge,
    },
    RemoveEdge {
        id: EdgeId,
    },
    InsertGroup {
        index: usize,
        group: Group,
    },
    /// Removes a group that has no children, no parent, no edges and no suppressions.
    RemoveGroup {
        id: GroupId,
    },
    /// Moves an element into `parent` at `index` of its children (or to the top level).
    SetParent {
        /// A node's or a group's id.
        id: ElementId,
        parent: Option<GroupId>,
        index: usize,
    },
    /// Sets absolute node positions (absolute, so the inverse is exact).
    SetPositions(Vec<(NodeId, Pos)>),
    /// Sets a text field; `None` removes a property (and empties other fields).
    SetField {
        target: Target,
        field: Field,
        value: Option<String>,
    },
    /// Sets how one edge is drawn: its own style (`None` follows the design) and the bend
    /// points a person placed (empty: the router chooses).
    SetRoute {
        edge: EdgeId,
        style: Option<EdgeStyle>,
        bends: Vec<Pos>,
    },
    /// Sets what an edge means (`Data`, `Catalog`, `Monitor`, ...).
    SetEdgeKind {
        edge: EdgeId,
        kind: EdgeKind,
    },
    /// Sets which AWS box a group is (Region, VPC, subnet, ...).
    SetGroupKind {
        id: GroupId,
        kind: GroupKind,
    },
    /// Gives a group a box of its own, or (`None`) lets it wrap its contents.
    SetGroupFrame {
        id: GroupId,
        frame: Option<Frame>,
    },
    /// Sets the style of every edge that has none of its own.
    SetEdgeStyle(EdgeStyle),
    InsertSuppression {
        index: usize,
        suppression: Suppression,
    },
    RemoveSuppression {
        index: usize,
    },
    /// Several commands as one step, applied in order.
    Batch(Vec<EditCommand>),
}

impl EditCommand {
    /// Whether the command only moves nodes or sets box frames (a drag, a nudge, align, a
    /// box dragged by its frame or resized): what the scene can follow without being built
    /// again.
    pub fn moves_only(&self) -> bool {
        match self {
            EditCommand::SetPositions(_) | EditCommand::SetGroupFrame { .. } => true,
            EditCommand::Batch(items) => items.iter().all(EditCommand::moves_only),
            _ => false,
        }
    }

    /// The ids of the nodes this command adds, in order (for selecting what a fix added).
    pub fn inserted_nodes(&self) -> Vec<NodeId> {
        match self {
            EditCommand::InsertNode { node, .. } => vec![node.id.clone()],
            EditCommand::Batch(items) => items.iter().flat_map(|c| c.inserted_nodes()).collect(),
            _ => Vec::new(),
        }
    }
}

/// Why a command could not be applied; the design is left unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// It names an element, edge or suppression the design does not have (a stale command).
    #[error("{0}")]
    Missing(String),
    /// It would break a rule of the design: a taken id, an element still connected, a group
    /// inside itself, a field the element does not have.
    #[error("{0}")]
    Refused(String),
}

fn missing<T>(message: impl Into<String>) -> Result<T, EditError> {
    Err(EditError::Missing(message.into()))
}

fn refused<T>(message: impl Into<String>) -> Result<T, EditError> {
    Err(EditError::Refused(message.into()))
}

/// Applies a command and returns the command that undoes it. On error nothing changes.
pub fn apply(design: &mut Design, command: EditCommand) -> Result<EditCommand, EditError> {
    match command {
        EditCommand::InsertNode { index, node } => {
            if !crate::model::is_valid_id(node.id.as_str()) {
                return refused(format!("id \"{}\" is invalid", node.id));
            }
            let id = node.id.clone();
            match design.insert_node(index, node) {
                Ok(_) => Ok(EditCommand::RemoveNode { id }),
                Err(_) => refused(format!("id \"{id}\" is taken")),
            }
        }
        EditCommand::RemoveNode { id } => {
            if design.node(&id).is_none() {
                return missing(format!("no node \"{id}\""));
            }
            if is_referenced(design, &id) {
                return refused(format!(
                    "node \"{id}\" still has edges, a group or suppressions"
                ));
            }
            match design.remove_node(&id) {
                Some((index, node)) => Ok(EditCommand::InsertNode { index, node }),
                None => missing(format!("no node \"{id}\"")),
            }
        }
        EditCommand::InsertEdge { index, edge } => {
            if !design.has_id(&edge.from) || !design.has_id(&edge.to) {
                return missing(format!(
                    "edge {} -> {} names a missing element",
                    edge.from, edge.to
                ));
            }
            let (id, _) = design.insert_edge(index, edge);
            Ok(EditCommand::RemoveEdge { id })
        }
        EditCommand::RemoveEdge { id } => match design.remove_edge(id) {
            Some((index, edge)) => Ok(EditCommand::InsertEdge { index, edge }),
            None => missing(format!("no edge {id}")),
        },
        EditCommand::InsertGroup { index, group } => {
            if !crate::model::is_valid_id(group.id.as_str()) {
                return refused(format!("id \"{}\" is invalid", group.id));
            }
            if !group.children.is_empty() {
                return refused("a group is inserted empty; children are moved in with SetParent");
            }
            let id = group.id.clone();
            match design.insert_group(index, group) {
                Ok(_) => Ok(EditCommand::RemoveGroup { id }),
                Err(_) => refused(format!("id \"{id}\" is taken")),
            }
        }
        EditCommand::RemoveGroup { id } => {
            let Some(group) = design.group(&id) else {
                return missing(format!("no group \"{id}\""));
            };
            if !group.children.is_empty() || is_referenced(design, &id) {
                return refused(format!(
                    "group \"{id}\" still has children, edges, a parent or suppressions"
                ));
            }
            match design.remove_group(&id) {
                Some((index, group)) => Ok(EditCommand::InsertGroup { index, group }),
                None => missing(format!("no group \"{id}\"")),
            }
        }
        EditCommand::SetParent { id, parent, index } => set_parent(design, id, parent, index),
        EditCommand::SetPositions(moves) => {
            // Each id found once; a missing one refuses the whole move before anything moves.
            let mut slots = Vec::with_capacity(moves.len());
            for (id, _) in &moves {
                match design.node_index(id) {
                    Some(i) => slots.push(i),
                    None => return missing(format!("no node \"{id}\"")),
                }
            }
            let mut old = Vec::with_capacity(moves.len());
            for ((id, pos), slot) in moves.into_iter().zip(slots) {
                if let Some(node) = design.node_at_mut(slot) {
                    old.push((id, std::mem::replace(node.pos, pos)));
                }
            }
            old.reverse();
            Ok(EditCommand::SetPositions(old))
        }
        EditCommand::SetField {
            target,
            field,
            value,
        } => set_field(design, target, field, value),
        EditCommand::SetRoute { edge, style, bends } => {
            let e = edge_mut(design, edge)?;
            Ok(EditCommand::SetRoute {
                edge,
                style: std::mem::replace(e.style, style),
                bends: std::mem::replace(e.bends, bends),
            })
        }
        EditCommand::SetEdgeKind { edge, kind } => {
            let e = edge_mut(design, edge)?;
            Ok(EditCommand::SetEdgeKind {
                edge,
                kind: std::mem::replace(e.kind, kind),
            })
        }
        EditCommand::SetGroupKind { id, kind } => {
            let g = group_mut(design, &id)?;
            let old = std::mem::replace(g.kind, kind);
            Ok(EditCommand::SetGroupKind { id, kind: old })
        }
        EditCommand::SetGroupFrame { id, frame } => {
            let g = group_mut(design, &id)?;
            let old = std::mem::replace(g.frame, frame);
            Ok(EditCommand::SetGroupFrame { id, frame: old })
        }
        EditCommand::SetEdgeStyle(style) => Ok(EditCommand::SetEdgeStyle(std::mem::replace(
            &mut design.edge_style,
            style,
        ))),
        EditCommand::InsertSuppression { index, suppression } => {
            if let Some(t) = &suppression.target
                && !design.has_id(t)
            {
                return missing(format!("no element \"{t}\""));
            }
            let index = index.min(design.suppressions.len());
            design.suppressions.insert(index, suppression);
            Ok(EditCommand::RemoveSuppression { index })
        }
        EditCommand::RemoveSuppression { index } => {
            if index >= design.suppressions.len() {
                return missing(format!("no suppression {index}"));
            }
            let suppression = design.suppressions.remove(index);
            Ok(EditCommand::InsertSuppression { index, suppression })
        }
        EditCommand::Batch(commands) => {
            let mut inverses = Vec::with_capacity(commands.len());
            for c in commands {
                match apply(design, c) {
                    Ok(inv) => inverses.push(inv),
                    Err(e) => {
                        // Roll back what was applied so a failed batch changes nothing.
                        for inv in inverses.into_iter().rev() {
                            let _ = apply(design, inv);
                        }
                        return Err(e);
                    }
                }
            }
            inverses.reverse();
            Ok(EditCommand::Batch(inverses))
        }
    }
}

/// Whether anything still points at the element: an edge, a box, a suppression. The first
/// two are the model's lookups; suppressions are few.
fn is_referenced(design: &Design, id: impl AnyId) -> bool {
    design.has_edges(&id)
        || design.parent_id(&id).is_some()
        || design
            .suppressions
            .iter()
            .any(|s| s.target.as_ref().is_some_and(|t| t.as_str() == id.key()))
}

fn set_parent(
    design: &mut Design,
    id: ElementId,
    parent: Option<GroupId>,
    index: usize,
) -> Result<EditCommand, EditError> {
    if !design.has_id(&id) {
        return missing(format!("no element \"{id}\""));
    }
    if let Some(p) = &parent {
        if design.group(p).is_none() {
            return missing(format!("no group \"{p}\""));
        }
        if design.is_within(p, &id) {
            return refused(format!("\"{id}\" cannot be put inside itself"));
        }
    }
    let old = match design.move_into(&id, parent.as_ref(), index) {
        Ok(old) => old,
        Err(e) => return missing(e.message),
    };
    Ok(match old {
        Some((old_parent, at)) => EditCommand::SetParent {
            id,
            parent: Some(old_parent),
            index: at,
        },
        None => EditCommand::SetParent {
            id,
            parent: None,
            index: 0,
        },
    })
}

fn set_field(
    design: &mut Design,
    target: Target,
    field: Field,
    value: Option<String>,
) -> Result<EditCommand, EditError> {
    let text = value.clone().unwrap_or_default();
    let old: Option<String> = match (&target, &field) {
        (Target::Design, Field::Title) => Some(std::mem::replace(&mut design.title, text)),
        (Target::Design, Field::Description) => {
            Some(std::mem::replace(&mut design.description, text))
        }
        (Target::Node(id), f) => {
            let Some(node) = design.node_mut(id) else {
                return missing(format!("no node \"{id}\""));
            };
            match f {
                Field::Label => Some(std::mem::replace(node.label, text)),
                Field::Note => Some(std::mem::replace(node.note, text)),
                Field::Service => {
                    if text.is_empty() {
                        return refused("a node needs a service");
                    }
                    Some(std::mem::replace(node.service, text))
                }
                Field::Prop(k) => set_prop(node.props, k, value),
                _ => return refused("nodes have no such field"),
            }
        }
        (Target::Edge(id), f) => {
            let edge = edge_mut(design, *id)?;
            match f {
                Field::Label => Some(std::mem::replace(edge.label, text)),
                Field::Prop(k) => set_prop(edge.props, k, value),
                _ => return refused("edges have no such field"),
            }
        }
        (Target::Group(id), f) => {
            let group = group_mut(design, id)?;
            match f {
                Field::Label => Some(std::mem::replace(group.label, text)),
                Field::Prop(k) => set_prop(group.props, k, value),
                _ => return refused("groups have no such field"),
            }
        }
        (Target::Design, _) => return refused("the design has no such field"),
    };
    Ok(EditCommand::SetField {
        target,
        field,
        value: old,
    })
}

/// The edge with this id, to change it.
fn edge_mut(design: &mut Design, id: EdgeId) -> Result<EdgeMut<'_>, EditError> {
    match design.edge_mut(id) {
        Some(edge) => Ok(edge),
        None => missing(format!("no edge {id}")),
    }
}

/// The group with this id, to change it.
fn group_mut<'a>(design: &'a mut Design, id: &GroupId) -> Result<GroupMut<'a>, EditError> {
    match design.group_mut(id) {
        Some(group) => Ok(group),
        None => missing(format!("no group \"{id}\"")),
    }
}

fn set_prop(props: &mut crate::model::Props, key: &str, value: Option<String>) -> Option<String> {
    match value {
        Some(v) => props.insert(key.to_string(), v),
        None => props.remove(key),
    }
}
