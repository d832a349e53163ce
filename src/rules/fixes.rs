//! Building blocks of quick fixes: each returns edit commands for the design as it is.

use super::{IdText, Index};
use crate::edit::{EditCommand, Field, Target};
use crate::model::{Edge, EdgeKind, ElementId, GroupId, Node, NodeId, Pos};

/// Sets a node property.
pub fn set_prop(id: impl IdText, key: &str, value: &str) -> EditCommand {
    EditCommand::SetField {
        target: Target::Node(NodeId::made(id.text())),
        field: Field::Prop(key.to_string()),
        value: Some(value.to_string()),
    }
}

/// A new node of `service` near `anchor` (offset by `dx`, `dy`), in the anchor's group unless
/// it is an actor outside AWS (users, devices, apps: the catalog's general category), which
/// stays outside every box. Returns the commands and the new id.
fn new_node_near(
    ix: &Index,
    anchor: &str,
    service: &str,
    dx: f32,
    dy: f32,
    taken: &[String],
) -> (Vec<EditCommand>, NodeId) {
    let pos = ix
        .node(anchor)
        .map_or(Pos::default(), |n| n.pos.offset(dx, dy));
    let id = NodeId::made(ix.unique_id(service, taken));
    let mut steps = vec![EditCommand::InsertNode {
        index: usize::MAX,
        node: Node::new(id.clone(), service, pos),
    }];
    let outside_aws = crate::catalog::catalog().category_of(service).id == "general";
    if let Some(parent) = ix.parent(anchor).filter(|_| !outside_aws) {
        steps.push(EditCommand::SetParent {
            id: ElementId::from(&id),
            parent: Some(GroupId::made(parent)),
            index: usize::MAX,
        });
    }
    (steps, id)
}

fn edge(from: impl Into<ElementId>, to: impl Into<ElementId>, kind: EdgeKind) -> EditCommand {
    EditCommand::InsertEdge {
        index: usize::MAX,
        edge: Edge::new(from, to, kind),
    }
}

/// Adds a `service` node left of `target`, feeding it with an edge of `kind`.
pub fn add_source(ix: &Index, target: impl IdText, service: &str, kind: EdgeKind) -> EditCommand {
    let target = target.text();
    let (mut steps, id) = new_node_near(ix, target, service, -180.0, 90.0, &[]);
    steps.push(edge(id, ix.element(target), kind));
    EditCommand::Batch(steps)
}

/// Adds a `service` node right of `source`, fed by it with an edge of `kind`.
pub fn add_target(ix: &Index, source: impl IdText, service: &str, kind: EdgeKind) -> EditCommand {
    let source = source.text();
    let (mut steps, id) = new_node_near(ix, source, service, 180.0, 90.0, &[]);
    steps.push(edge(ix.element(source), id, kind));
    EditCommand::Batch(steps)
}

/// Adds a `service` node above `target` that points at it with an edge of `kind`
/// (a monitor, a role, a backup).
pub fn add_watcher(ix: &Index, target: impl IdText, service: &str, kind: EdgeKind) -> EditCommand {
    let target = target.text();
    let (mut steps, id) = new_node_near(ix, target, service, 0.0, -150.0, &[]);
    steps.push(edge(id, ix.element(target), kind));
    EditCommand::Batch(steps)
}

/// Replaces edge `e` by a chain through new nodes of `services` (each with the kind of
/// the edge that enters it; `last` is the kind of the edge into the old target). The edge is
/// named by its id, so a fix applied after other edits removes this edge or nothing.
pub fn insert_between(
    ix: &Index,
    e: &Edge,
    services: &[(&str, EdgeKind)],
    last: EdgeKind,
) -> Option<EditCommand> {
    let (a, b) = (ix.node(&e.from)?.pos, ix.node(&e.to)?.pos);
    let mut steps = vec![EditCommand::RemoveEdge { id: e.id }];
    let mut prev = e.from.clone();
    let mut taken = Vec::new();
    for (k, (service, kind)) in services.iter().enumerate() {
        let t = (k + 1) as f32 / (services.len() + 1) as f32;
        let (dx, dy) = ((b.x - a.x) * t, (b.y - a.y) * t + 70.0);
        let (mut add, id) = new_node_near(ix, e.from.as_str(), service, dx, dy, &taken);
        steps.append(&mut add);
        steps.push(edge(prev, &id, *kind));
        taken.push(id.to_string());
        prev = id.into();
    }
    steps.push(edge(&prev, &e.to, last));
    Some(EditCommand::Batch(steps))
}

/// Replaces a node's service (keeping its edges and label).
pub fn replace_service(id: impl IdText, service: &str) -> EditCommand {
    EditCommand::SetField {
        target: Target::Node(NodeId::made(id.text())),
        field: Field::Service,
        value: Some(service.to_string()),
    }
}

/// Sets an edge's label.
pub fn label_edge(edge: crate::model::EdgeId, label: &str) -> EditCommand {
    EditCommand::SetField {
        target: Target::Edge(edge),
        field: Field::Label,
        value: Some(label.to_string()),
    }
}
