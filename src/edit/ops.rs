//! Composite edits built from the primitive commands: what the editor's gestures and menu
//! items do. Each returns one command (usually a `Batch`) so it is one undo step.

use std::collections::{BTreeSet, HashSet};

use super::command::EditCommand;
use crate::catalog::{Endpoint, catalog};
use crate::model::{
    Design, Edge, EdgeId, ElementId, ElementRef, Frame, Group, GroupId, GroupKind, Node, NodeId,
    Pos, descendants_by,
};

/// Adds a node of `service` at `pos`, inside `parent` if given. Returns the command and the id.
pub fn add_node(
    design: &Design,
    service: &str,
    pos: Pos,
    parent: Option<&GroupId>,
) -> (EditCommand, NodeId) {
    let id = design.fresh_node_id(service);
    let node = Node::new(id.clone(), service, pos);
    let insert = EditCommand::InsertNode {
        index: design.nodes().len(),
        node,
    };
    (placed(design, insert, (&id).into(), parent), id)
}

/// An insertion followed, when `parent` names a group, by moving the new element into it.
fn placed(
    design: &Design,
    insert: EditCommand,
    id: ElementId,
    parent: Option<&GroupId>,
) -> EditCommand {
    let mut steps = vec![insert];
    if let Some(p) = parent.filter(|p| design.group(*p).is_some()) {
        steps.push(EditCommand::SetParent {
            id,
            parent: Some(p.clone()),
            index: usize::MAX,
        });
    }
    EditCommand::Batch(steps)
}

/// The edge kind for a new edge between two elements, from the catalog's table.
pub fn default_kind(design: &Design, from: &ElementId, to: &ElementId) -> crate::model::EdgeKind {
    let end = |id: &ElementId| match design.node(id) {
        Some(n) => Some(Endpoint::Service(n.service.as_str())),
        None => design.group(id).map(|g| Endpoint::Group(g.kind)),
    };
    match (end(from), end(to)) {
        (Some(a), Some(b)) => catalog().default_edge_kind(a, b),
        _ => crate::model::EdgeKind::Data,
    }
}

/// Connects two elements with the kind the catalog gives the pair. None for a self-loop or
/// when the same connection already exists.
pub fn connect(design: &Design, from: &ElementId, to: &ElementId) -> Option<EditCommand> {
    if from == to || !design.has_id(from) || !design.has_id(to) {
        return None;
    }
    let kind = default_kind(design, from, to);
    if design
        .edges()
        .iter()
        .any(|e| &e.from == from && &e.to == to && e.kind == kind)
    {
        return None;
    }
    Some(EditCommand::InsertEdge {
        index: design.edges().len(),
        edge: Edge {
            id: design.next_edge_id(),
            ..Edge::new(from.clone(), to.clone(), kind)
        },
    })
}

/// Deletes the selected elements; a group goes with everything inside it, a node with its
/// edges, and suppressions aimed at what is deleted go too.
pub fn delete(design: &Design, selection: &[ElementRef]) -> Option<EditCommand> {
    let mut ids: BTreeSet<ElementId> = BTreeSet::new();
    let mut edges: Vec<EdgeId> = Vec::new();
    let mut chosen_edges = HashSet::new();
    for sel in selection {
        match sel {
            ElementRef::Node(id) if design.node(id).is_some() => {
                ids.insert(id.into());
            }
            ElementRef::Group(id) if design.group(id).is_some() => {
                ids.insert(id.into());
                ids.extend(design.descendants(id));
            }
            ElementRef::Edge(id) => {
                chosen_edges.insert(*id);
            }
            _ => {}
        }
    }
    for e in design.edges() {
        if chosen_edges.contains(&e.id) || ids.contains(&e.from) || ids.contains(&e.to) {
            edges.push(e.id);
        }
    }
    if ids.is_empty() && edges.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    for (i, s) in design.suppressions.iter().enumerate().rev() {
        if s.target.as_ref().is_some_and(|t| ids.contains(t)) {
            steps.push(EditCommand::RemoveSuppression { index: i });
        }
    }
    // Last first: each removal then shifts nothing, and the undo restores first first.
    steps.extend(edges.iter().rev().map(|&id| EditCommand::RemoveEdge { id }));
    // Detach in file order so the inverse restores every child list exactly.
    for g in design.groups() {
        for c in g.children.iter().rev() {
            if ids.contains(c) {
                steps.push(EditCommand::SetParent {
                    id: c.clone(),
                    parent: None,
                    index: 0,
                });
            }
        }
    }
    for n in design
        .nodes()
        .iter()
        .rev()
        .filter(|n| ids.contains(n.id.as_str()))
    {
        steps.push(EditCommand::RemoveNode { id: n.id.clone() });
    }
    for g in design
        .groups()
        .iter()
        .rev()
        .filter(|g| ids.contains(g.id.as_str()))
    {
        steps.push(EditCommand::RemoveGroup { id: g.id.clone() });
    }
    Some(EditCommand::Batch(steps))
}

/// Wraps the selected nodes and groups in a new group of `kind`. The new group goes where
/// the selection was: inside their common parent, if they share one.
pub fn group_selection(
    design: &Design,
    ids: &[ElementId],
    kind: GroupKind,
) -> Option<(EditCommand, GroupId)> {
    // Keep only the outermost selected elements: a group brings its contents along. One
    // walk up from each element, so selecting everything costs its depth, not its count.
    let selected: HashSet<&str> = ids.iter().map(ElementId::as_str).collect();
    let members: Vec<&ElementId> = ids
        .iter()
        .filter(|id| design.has_id(*id))
        .filter(|id| !has_selected_ancestor(design, id, &selected))
        .collect();
    if members.is_empty() {
        return None;
    }
    let parents: BTreeSet<Option<GroupId>> = members
        .iter()
        .map(|id| design.parent_of(*id).map(|g| g.id.clone()))
        .collect();
    let common_parent = if parents.len() == 1 {
        parents.into_iter().next().flatten()
    } else {
        None
    };
    let id = design.fresh_group_id(kind.id_stem());
    let mut steps = vec![EditCommand::InsertGroup {
        index: design.groups().len(),
        group: Group::new(id.clone(), kind),
    }];
    if let Some(p) = &common_parent {
        steps.push(EditCommand::SetParent {
            id: (&id).into(),
            parent: Some(p.clone()),
            index: usize::MAX,
        });
    }
    for m in members {
        steps.push(EditCommand::SetParent {
            id: m.clone(),
            parent: Some(id.clone()),
            index: usize::MAX,
        });
    }
    Some((EditCommand::Batch(steps), id))
}

/// Whether a box around `id`, at any depth, is among `selected`.
fn has_selected_ancestor(design: &Design, id: &ElementId, selected: &HashSet<&str>) -> bool {
    let mut at = design.parent_id(id);
    // A cycle cannot be loaded, but a walk is bounded by the number of boxes all the same.
    for _ in 0..=design.groups().len() {
        match at {
            Some(p) if selected.contains(p.as_str()) => return true,
            Some(p) => at = design.parent_id(p),
            None => return false,
        }
    }
    false
}

/// Adds an empty group with a size of its own at `pos` (top-left), for the palette.
pub fn add_empty_group(
    design: &Design,
    kind: GroupKind,
    pos: Pos,
    parent: Option<&GroupId>,
) -> (EditCommand, GroupId) {
    let id = design.fresh_group_id(kind.id_stem());
    let mut group = Group::new(id.clone(), kind);
    group.frame = Some(Frame::new(pos, 320.0, 200.0));
    let insert = EditCommand::InsertGroup {
        index: design.groups().len(),
        group,
    };
    (placed(design, insert, (&id).into(), parent), id)
}

/// Removes a group box and keeps its contents, which move to the group's own parent.
pub fn ungroup(design: &Design, group: &GroupId) -> Option<EditCommand> {
    let g = design.group(group)?;
    let parent = design.parent_of(group).map(|p| p.id.clone());
    let mut steps = Vec::new();
    for (i, s) in design.suppressions.iter().enumerate().rev() {
        if s.target.as_ref().is_some_and(|t| t == group) {
            steps.push(EditCommand::RemoveSuppression { index: i });
        }
    }
    for e in design.edges().iter().rev() {
        if e.from == *group || e.to == *group {
            steps.push(EditCommand::RemoveEdge { id: e.id });
        }
    }
    for c in g.children.iter().rev() {
        steps.push(EditCommand::SetParent {
            id: c.clone(),
            parent: None,
            index: 0,
        });
    }
    steps.push(EditCommand::SetParent {
        id: group.into(),
        parent: None,
        index: 0,
    });
    steps.push(EditCommand::RemoveGroup { id: group.clone() });
    for c in &g.children {
        if let Some(p) = &parent {
            steps.push(EditCommand::SetParent {
                id: c.clone(),
                parent: Some(p.clone()),
                index: usize::MAX,
            });
        }
    }
    Some(EditCommand::Batch(steps))
}

/// Moves the selection by (`dx`, `dy`): nodes (including those inside selected groups)
/// and the boxes of selected groups that have one. One command, so a drag is one step.
pub fn move_elements(
    design: &Design,
    selection: &[ElementRef],
    dx: f32,
    dy: f32,
) -> Option<EditCommand> {
    MovePlan::new(design, selection).by(dx, dy)
}

/// What moving a selection moves, worked out once when a drag starts: every frame of the
/// drag then only adds its offset, however large the selection.
#[derive(Clone, Debug, Default)]
pub struct MovePlan {
    /// The moved nodes and where they started.
    nodes: Vec<(NodeId, Pos)>,
    /// The moved groups that have a box of their own, and that box.
    frames: Vec<(GroupId, Frame)>,
}

impl MovePlan {
    /// The plan for moving `selection`: selected nodes, and selected groups with everything
    /// inside them.
    pub fn new(design: &Design, selection: &[ElementRef]) -> Self {
        let mut nodes: BTreeSet<usize> = BTreeSet::new();
        let mut groups: BTreeSet<usize> = BTreeSet::new();
        for sel in selection {
            match sel {
                ElementRef::Node(id) => nodes.extend(design.node_index(id)),
                ElementRef::Group(id) => {
                    groups.extend(design.group_index(id));
                    let inside = descendants_by(id, |g| design.group(g));
                    for d in inside {
                        if let Some(n) = design.node_index(d) {
                            nodes.insert(n);
                        } else if let Some(g) = design.group_index(d) {
                            groups.insert(g);
                        }
                    }
                }
                ElementRef::Edge(_) => {}
            }
        }
        MovePlan {
            nodes: nodes
                .into_iter()
                .map(|i| (design.nodes()[i].id.clone(), design.nodes()[i].pos))
                .collect(),
            frames: groups
                .into_iter()
                .filter_map(|i| {
                    design.groups()[i]
                        .frame
                        .map(|f| (design.groups()[i].id.clone(), f))
                })
                .collect(),
        }
    }

    /// The nodes the plan moves.
    pub fn node_ids(&self) -> impl Iterator<Item = &NodeId> {
        self.nodes.iter().map(|(id, _)| id)
    }

    /// How many nodes the plan moves.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Where the moved nodes land when moved by (`dx`, `dy`).
    pub fn positions(&self, dx: f32, dy: f32) -> impl Iterator<Item = Pos> + '_ {
        self.nodes.iter().map(move |(_, p)| p.offset(dx, dy))
    }

    /// The command that moves everything planned by (`dx`, `dy`) from where it started.
    pub fn by(&self, dx: f32, dy: f32) -> Option<EditCommand> {
        let mut steps = Vec::new();
        if !self.nodes.is_empty() {
            steps.push(EditCommand::SetPositions(
                self.node_ids()
                    .cloned()
                    .zip(self.positions(dx, dy))
                    .collect(),
            ));
        }
        for (id, frame) in &self.frames {
            let moved = frame.moved(dx, dy);
            steps.push(EditCommand::SetGroupFrame {
                id: id.clone(),
                frame: Some(Frame {
                    x: round_tenth(moved.x),
                    y: round_tenth(moved.y),
                    ..moved
                }),
            });
        }
        (!steps.is_empty()).then_some(EditCommand::Batch(steps))
    }
}

/// Moves an element into a group (or to the top level) at the end of its children, unless
/// it is already there.
pub fn reparent(design: &Design, id: &ElementId, parent: Option<&GroupId>) -> Option<EditCommand> {
    let current = design.parent_id(id);
    if current == parent {
        return None;
    }
    if let Some(p) = parent
        && design.is_within(p, id)
    {
        return None;
    }
    Some(EditCommand::SetParent {
        id: id.clone(),
        parent: parent.cloned(),
        index: usize::MAX,
    })
}

/// A point snapped to the 10-unit grid, so hand-placed designs line up.
pub fn snap_to_grid(p: Pos) -> Pos {
    Pos::new((p.x / 10.0).round() * 10.0, (p.y / 10.0).round() * 10.0)
}

/// A coordinate rounded to a tenth of a unit, so moved boxes save short numbers.
pub fn round_tenth(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Formats a canvas coordinate for a property value: whole numbers without decimals.
pub fn format_number(v: f32) -> String {
    let rounded = round_tenth(v);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// Where Align puts the selected services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
    Top,
    Middle,
    Bottom,
}

/// Lines the selected services up on one edge or centre line (services are all one tile
/// wide, so lining up centres lines up edges too). One step; `None` with fewer than two.
pub fn align(design: &Design, selection: &[ElementRef], how: Align) -> Option<EditCommand> {
    let nodes = selected_nodes(design, selection);
    if nodes.len() < 2 {
        return None;
    }
    let xs = nodes.iter().map(|n| n.pos.x);
    let ys = nodes.iter().map(|n| n.pos.y);
    let (min_x, max_x) = (
        xs.clone().fold(f32::MAX, f32::min),
        xs.fold(f32::MIN, f32::max),
    );
    let (min_y, max_y) = (
        ys.clone().fold(f32::MAX, f32::min),
        ys.fold(f32::MIN, f32::max),
    );
    let moves: Vec<(NodeId, Pos)> = nodes
        .iter()
        .map(|n| {
            let p = match how {
                Align::Left => Pos::new(min_x, n.pos.y),
                Align::Centre => Pos::new(round_tenth((min_x + max_x) / 2.0), n.pos.y),
                Align::Right => Pos::new(max_x, n.pos.y),
                Align::Top => Pos::new(n.pos.x, min_y),
                Align::Middle => Pos::new(n.pos.x, round_tenth((min_y + max_y) / 2.0)),
                Align::Bottom => Pos::new(n.pos.x, max_y),
            };
            (n, p)
        })
        .filter(|(n, p)| n.pos != *p)
        .map(|(n, p)| (n.id.clone(), p))
        .collect();
    (!moves.is_empty()).then_some(EditCommand::SetPositions(moves))
}

/// Spreads the selected services evenly between the first and the last, across
/// (`horizontal`) or down. One step; `None` with fewer than three.
pub fn distribute(
    design: &Design,
    selection: &[ElementRef],
    horizontal: bool,
) -> Option<EditCommand> {
    let mut nodes = selected_nodes(design, selection);
    if nodes.len() < 3 {
        return None;
    }
    let along = |p: Pos| if horizontal { p.x } else { p.y };
    nodes.sort_by(|a, b| along(a.pos).total_cmp(&along(b.pos)));
    let (first, last) = (along(nodes[0].pos), along(nodes[nodes.len() - 1].pos));
    let step = (last - first) / (nodes.len() - 1) as f32;
    let moves: Vec<(NodeId, Pos)> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let at = round_tenth(first + step * i as f32);
            let p = if horizontal {
                Pos::new(at, n.pos.y)
            } else {
                Pos::new(n.pos.x, at)
            };
            (n, p)
        })
        .filter(|(n, p)| n.pos != *p)
        .map(|(n, p)| (n.id.clone(), p))
        .collect();
    (!moves.is_empty()).then_some(EditCommand::SetPositions(moves))
}

/// The selected services, in design order.
fn selected_nodes<'a>(design: &'a Design, selection: &[ElementRef]) -> Vec<&'a Node> {
    let chosen: HashSet<&str> = selection
        .iter()
        .filter_map(|e| match e {
            ElementRef::Node(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    design
        .nodes()
        .iter()
        .filter(|n| chosen.contains(n.id.as_str()))
        .collect()
}

#[cfg(test)]
mod align_tests {
    use super::*;
    use crate::edit::apply;

    fn three() -> Design {
        let mut d = Design::default();
        for (s, x, y) in [
            ("s3", 0.0, 10.0),
            ("glue", 100.0, -30.0),
            ("athena", 400.0, 50.0),
        ] {
            let (cmd, _) = add_node(&d, s, Pos::new(x, y), None);
            apply(&mut d, cmd).unwrap();
        }
        d
    }

    fn all(d: &Design) -> Vec<ElementRef> {
        d.nodes()
            .iter()
            .map(|n| ElementRef::Node(n.id.clone()))
            .collect()
    }

    #[test]
    fn align_lines_the_selection_up_and_distribute_spreads_it_evenly() {
        let mut d = three();
        let sel = all(&d);
        let top = align(&d, &sel, Align::Top).unwrap();
        apply(&mut d, top).unwrap();
        assert!(d.nodes().iter().all(|n| n.pos.y == -30.0));
        assert!(
            align(&d, &sel, Align::Middle).is_none(),
            "already in line: nothing to do"
        );
        let spread = distribute(&d, &sel, true).unwrap();
        apply(&mut d, spread).unwrap();
        let xs: Vec<f32> = d.nodes().iter().map(|n| n.pos.x).collect();
        assert_eq!(xs, [0.0, 200.0, 400.0]);
        let centre = align(&d, &sel, Align::Centre).unwrap();
        apply(&mut d, centre).unwrap();
        assert!(d.nodes().iter().all(|n| n.pos.x == 200.0));
        assert!(
            align(&d, &sel[..1], Align::Left).is_none(),
            "one service has nothing to align with"
        );
        assert!(distribute(&d, &sel[..2], true).is_none());
    }
}
