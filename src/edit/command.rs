//! Every change a person can make to a design, as data. Applying a command returns its exact
//! inverse, so undo, redo, quick fixes and tests all go through [`apply`].

use crate::model::{
    Design, Edge, EdgeId, EdgeKind, EdgeStyle, Frame, Group, GroupId, GroupKind, Node, NodeId, Pos,
    Suppression,
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
        index: usize,
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
        id: String,
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
    /// Whether the command only moves nodes (a drag, a nudge, align): what the scene can
    /// follow without being built again.
    pub fn moves_only(&self) -> bool {
        match self {
            EditCommand::SetPositions(_) => true,
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

/// The node index of each move, found in one walk over the nodes when the moves list them
/// in design order; `None` when they do not.
fn in_design_order(design: &Design, moves: &[(NodeId, Pos)]) -> Option<Vec<Option<usize>>> {
    let mut next = 0;
    let mut out = Vec::with_capacity(moves.len());
    for (id, _) in moves {
        let found = design.nodes[next..].iter().position(|n| n.id == *id)?;
        out.push(Some(next + found));
        next += found + 1;
    }
    Some(out)
}

/// Applies a command and returns the command that undoes it. On error nothing changes.
pub fn apply(design: &mut Design, command: EditCommand) -> Result<EditCommand, EditError> {
    match command {
        EditCommand::InsertNode { index, node } => {
            if design.has_id(&node.id) || !crate::model::is_valid_id(&node.id) {
                return refused(format!("id \"{}\" is taken or invalid", node.id));
            }
            let index = index.min(design.nodes.len());
            let id = node.id.clone();
            design.nodes.insert(index, node);
            Ok(EditCommand::RemoveNode { id })
        }
        EditCommand::RemoveNode { id } => {
            let Some(index) = design.node_index(&id) else {
                return missing(format!("no node \"{id}\""));
            };
            if is_referenced(design, &id) {
                return refused(format!(
                    "node \"{id}\" still has edges, a group or suppressions"
                ));
            }
            let node = design.nodes.remove(index);
            Ok(EditCommand::InsertNode { index, node })
        }
        EditCommand::InsertEdge { index, edge } => {
            if !design.has_id(&edge.from) || !design.has_id(&edge.to) {
                return missing(format!(
                    "edge {} -> {} names a missing element",
                    edge.from, edge.to
                ));
            }
            let index = index.min(design.edges.len());
            let mut edge = edge;
            edge.id = design.claim_edge_id(edge.id);
            design.edges.insert(index, edge);
            Ok(EditCommand::RemoveEdge { index })
        }
        EditCommand::RemoveEdge { index } => {
            if index >= design.edges.len() {
                return missing(format!("no edge {index}"));
            }
            let edge = design.edges.remove(index);
            Ok(EditCommand::InsertEdge { index, edge })
        }
        EditCommand::InsertGroup { index, group } => {
            if design.has_id(&group.id) || !crate::model::is_valid_id(&group.id) {
                return refused(format!("id \"{}\" is taken or invalid", group.id));
            }
            if !group.children.is_empty() {
                return refused("a group is inserted empty; children are moved in with SetParent");
            }
            let index = index.min(design.groups.len());
            let id = group.id.clone();
            design.groups.insert(index, group);
            Ok(EditCommand::RemoveGroup { id })
        }
        EditCommand::RemoveGroup { id } => {
            let Some(index) = design.group_index(&id) else {
                return missing(format!("no group \"{id}\""));
            };
            if !design.groups[index].children.is_empty() || is_referenced(design, &id) {
                return refused(format!(
                    "group \"{id}\" still has children, edges, a parent or suppressions"
                ));
            }
            let group = design.groups.remove(index);
            Ok(EditCommand::InsertGroup { index, group })
        }
        EditCommand::SetParent { id, parent, index } => set_parent(design, id, parent, index),
        EditCommand::SetPositions(moves) => {
            // Each id is found once: by scanning for a few moves, in one walk when the moves
            // come in design order (a drag of any size), through a map otherwise.
            let indices: Vec<Option<usize>> = if moves.len() <= 8 {
                moves.iter().map(|(id, _)| design.node_index(id)).collect()
            } else if let Some(walked) = in_design_order(design, &moves) {
                walked
            } else {
                let at = design.node_indices();
                moves
                    .iter()
                    .map(|(id, _)| at.get(id.as_str()).copied())
                    .collect()
            };
            let mut old = Vec::with_capacity(moves.len());
            for ((id, _), index) in moves.iter().zip(&indices) {
                match index {
                    Some(i) => old.push((id.clone(), design.nodes[*i].pos)),
                    None => return missing(format!("no node \"{id}\"")),
                }
            }
            for ((_, pos), index) in moves.into_iter().zip(indices) {
                if let Some(i) = index {
                    design.nodes[i].pos = pos;
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
                style: std::mem::replace(&mut e.style, style),
                bends: std::mem::replace(&mut e.bends, bends),
            })
        }
        EditCommand::SetEdgeKind { edge, kind } => {
            let e = edge_mut(design, edge)?;
            Ok(EditCommand::SetEdgeKind {
                edge,
                kind: std::mem::replace(&mut e.kind, kind),
            })
        }
        EditCommand::SetGroupKind { id, kind } => {
            let Some(i) = design.group_index(&id) else {
                return missing(format!("no group \"{id}\""));
            };
            let old = std::mem::replace(&mut design.groups[i].kind, kind);
            Ok(EditCommand::SetGroupKind { id, kind: old })
        }
        EditCommand::SetGroupFrame { id, frame } => {
            let Some(i) = design.group_index(&id) else {
                return missing(format!("no group \"{id}\""));
            };
            let old = std::mem::replace(&mut design.groups[i].frame, frame);
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

fn is_referenced(design: &Design, id: &str) -> bool {
    design.edges.iter().any(|e| e.from == id || e.to == id)
        || design.parent_of(id).is_some()
        || design
            .suppressions
            .iter()
            .any(|s| s.target.as_deref() == Some(id))
}

fn set_parent(
    design: &mut Design,
    id: String,
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
    let old = design
        .groups
        .iter()
        .enumerate()
        .find_map(|(gi, g)| g.children.iter().position(|c| *c == id).map(|ci| (gi, ci)));
    let inverse = match old {
        Some((gi, ci)) => {
            let old_parent = design.groups[gi].id.clone();
            design.groups[gi].children.remove(ci);
            EditCommand::SetParent {
                id: id.clone(),
                parent: Some(old_parent),
                index: ci,
            }
        }
        None => EditCommand::SetParent {
            id: id.clone(),
            parent: None,
            index: 0,
        },
    };
    if let Some(p) = parent
        && let Some(gi) = design.group_index(&p)
    {
        let children = &mut design.groups[gi].children;
        let index = index.min(children.len());
        children.insert(index, id);
    }
    Ok(inverse)
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
            let Some(i) = design.node_index(id) else {
                return missing(format!("no node \"{id}\""));
            };
            let node = &mut design.nodes[i];
            match f {
                Field::Label => Some(std::mem::replace(&mut node.label, text)),
                Field::Note => Some(std::mem::replace(&mut node.note, text)),
                Field::Service => {
                    if text.is_empty() {
                        return refused("a node needs a service");
                    }
                    Some(std::mem::replace(&mut node.service, text))
                }
                Field::Prop(k) => set_prop(&mut node.props, k, value),
                _ => return refused("nodes have no such field"),
            }
        }
        (Target::Edge(id), f) => {
            let edge = edge_mut(design, *id)?;
            match f {
                Field::Label => Some(std::mem::replace(&mut edge.label, text)),
                Field::Prop(k) => set_prop(&mut edge.props, k, value),
                _ => return refused("edges have no such field"),
            }
        }
        (Target::Group(id), f) => {
            let Some(i) = design.group_index(id) else {
                return missing(format!("no group \"{id}\""));
            };
            let group = &mut design.groups[i];
            match f {
                Field::Label => Some(std::mem::replace(&mut group.label, text)),
                Field::Prop(k) => set_prop(&mut group.props, k, value),
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
fn edge_mut(design: &mut Design, id: EdgeId) -> Result<&mut Edge, EditError> {
    match design.edges.iter_mut().find(|e| e.id == id) {
        Some(edge) => Ok(edge),
        None => missing(format!("no edge {id}")),
    }
}

fn set_prop(props: &mut crate::model::Props, key: &str, value: Option<String>) -> Option<String> {
    match value {
        Some(v) => props.insert(key.to_string(), v),
        None => props.remove(key),
    }
}
