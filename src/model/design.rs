//! The design itself: its lists of nodes, edges and groups, private behind the lookups
//! ([`super::index`]) that every insert and remove keeps exact. Elements are found by id in
//! constant time; an element's id and a box's members change only through these methods, so
//! the lookups cannot drift from the lists.

use std::collections::{BTreeSet, HashSet};

use super::index::{ElementIndex, insert_slotted, remove_slotted};
use super::naming;
use super::validate::Invalid;
use super::views::{EdgeMut, GroupMut, NodeMut};
use super::{AnyId, Edge, EdgeId, EdgeStyle, ElementId, ElementRef, Group, GroupId, GroupKey};
use super::{Node, NodeId, NodeKey, Suppression};

/// A whole design: the unit that is opened, saved, checked and exported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Design {
    pub title: String,
    pub description: String,
    /// How edges without a style of their own are drawn.
    pub edge_style: EdgeStyle,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    groups: Vec<Group>,
    pub suppressions: Vec<Suppression>,
    next_edge: EdgeCounter,
    index: ElementIndex,
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

/// What a design is made of, before it is checked: what a file reader or an importer
/// assembles and hands to [`Design::from_parts`], the one door through which lists become a
/// design.
#[derive(Clone, Debug, Default)]
pub struct DesignParts {
    pub title: String,
    pub description: String,
    pub edge_style: EdgeStyle,
    pub nodes: Vec<Node>,
    /// Edges without an id get one in list order.
    pub edges: Vec<Edge>,
    pub groups: Vec<Group>,
    pub suppressions: Vec<Suppression>,
}

impl Design {
    /// Checks the parts against every invariant ([`Design::validate`]) and only then makes
    /// them a design, with its lookups built once.
    pub fn from_parts(parts: DesignParts) -> Result<Design, Invalid> {
        let design = Design::assemble(parts);
        design.validate()?;
        Ok(design)
    }

    /// An empty design with a title, as a generator or an importer starts one.
    pub fn titled(title: impl Into<String>) -> Design {
        Design {
            title: title.into(),
            ..Design::default()
        }
    }

    /// The parts of a design, for code that rebuilds one (a page of an import, a filter).
    pub fn into_parts(self) -> DesignParts {
        DesignParts {
            title: self.title,
            description: self.description,
            edge_style: self.edge_style,
            nodes: self.nodes,
            edges: self.edges,
            groups: self.groups,
            suppressions: self.suppressions,
        }
    }

    /// Lists made a design without the invariants checked: for code in the model that
    /// derives a design from a valid one. Repeated ids keep their first element findable
    /// only by the list; [`Design::validate`] reports them.
    fn assemble(parts: DesignParts) -> Design {
        let mut design = Design {
            title: parts.title,
            description: parts.description,
            edge_style: parts.edge_style,
            nodes: parts.nodes,
            edges: Vec::new(),
            groups: parts.groups,
            suppressions: parts.suppressions,
            next_edge: EdgeCounter(0),
            index: ElementIndex::default(),
        };
        let mut edges = parts.edges;
        let mut taken = HashSet::with_capacity(edges.len());
        for e in &edges {
            if e.id != EdgeId::UNASSIGNED {
                taken.insert(e.id);
                design.next_edge.0 = design.next_edge.0.max(e.id.0.saturating_add(1));
            }
        }
        for e in &mut edges {
            if e.id == EdgeId::UNASSIGNED || !taken.remove(&e.id) {
                e.id = EdgeId(design.next_edge.0);
                design.next_edge.0 = design.next_edge.0.saturating_add(1);
            }
        }
        design.edges = edges;
        design.index = ElementIndex::of(&design.nodes, &design.edges, &design.groups);
        design
    }

    /// The nodes, in drawing order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The edges, in drawing order.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The groups, in the order they were added (parents need not come first).
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// What is wrong with the design's lookups, compared with ones built from scratch; empty
    /// when they are exact. For tests and the random-edit property.
    pub fn index_differences(&self) -> Vec<String> {
        self.index
            .differences(&self.nodes, &self.edges, &self.groups)
    }

    // ---- lookups -------------------------------------------------------------------

    /// The node with this id.
    pub fn node(&self, id: impl NodeKey) -> Option<&Node> {
        self.node_index(id).map(|i| &self.nodes[i])
    }

    /// The group with this id.
    pub fn group(&self, id: impl GroupKey) -> Option<&Group> {
        self.group_index(id).map(|i| &self.groups[i])
    }

    /// The edge with this id.
    pub fn edge(&self, id: EdgeId) -> Option<&Edge> {
        self.edge_index(id).map(|i| &self.edges[i])
    }

    /// Where the node with this id is in [`Design::nodes`].
    pub fn node_index(&self, id: impl NodeKey) -> Option<usize> {
        self.index.node.get(id.key()).copied()
    }

    /// Where the group with this id is in [`Design::groups`].
    pub fn group_index(&self, id: impl GroupKey) -> Option<usize> {
        self.index.group.get(id.key()).copied()
    }

    /// Where the edge with this id is in [`Design::edges`].
    pub fn edge_index(&self, id: EdgeId) -> Option<usize> {
        self.index.edge.get(&id).copied()
    }

    /// Whether a node or group has this id.
    pub fn has_id(&self, id: impl AnyId) -> bool {
        self.has_text_id(id.key())
    }

    /// Whether a node or group has an id of this text: for making fresh ids, and for text
    /// from outside (a command line, a file's reference) before it becomes an id.
    pub fn has_text_id(&self, id: &str) -> bool {
        self.index.node.contains_key(id) || self.index.group.contains_key(id)
    }

    /// The group directly containing `id`, if any.
    pub fn parent_of(&self, id: impl AnyId) -> Option<&Group> {
        self.parent_id(id).and_then(|p| self.group(p))
    }

    /// The id of the group directly containing `id`, if any.
    pub fn parent_id(&self, id: impl AnyId) -> Option<&GroupId> {
        self.index.parent.get(id.key())
    }

    /// Whether any edge starts or ends at this node or group.
    pub fn has_edges(&self, id: impl AnyId) -> bool {
        self.index.ends.contains_key(id.key())
    }

    /// The id the next edge added will get, for an edit that must name the edge it creates.
    pub fn next_edge_id(&self) -> EdgeId {
        EdgeId(self.next_edge.0)
    }

    /// Whether `ancestor` is `id` or contains it, directly or through nested groups.
    pub fn is_within(&self, id: impl AnyId, ancestor: impl AnyId) -> bool {
        let ancestor = ancestor.key();
        let mut current = Some(id.key());
        let mut steps = 0;
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.groups.len() + 1 {
                return false;
            }
            current = self.index.parent.get(c).map(GroupId::as_str);
        }
        false
    }

    /// How many groups enclose each group (by index into `groups`), or the id of a group that
    /// contains itself through nested groups. A walk up stops at a group whose depth is known,
    /// so a nest of any depth costs one visit per group: validation, the scene's drawing order
    /// and the rules' inherited regions all stand on it.
    pub fn group_depths(&self) -> Result<Vec<usize>, String> {
        let parent_slot = |i: usize| {
            self.parent_id(&self.groups[i].id)
                .and_then(|p| self.group_index(p))
        };
        let mut depth: Vec<Option<usize>> = vec![None; self.groups.len()];
        for start in 0..self.groups.len() {
            let mut path = vec![start];
            let mut on_path = HashSet::from([start]);
            let mut above = 0;
            let mut current = parent_slot(start);
            while let Some(i) = current {
                if let Some(d) = depth[i] {
                    above = d + 1;
                    break;
                }
                if !on_path.insert(i) {
                    return Err(self.groups[i].id.to_string());
                }
                path.push(i);
                current = parent_slot(i);
            }
            for i in path.into_iter().rev() {
                depth[i] = Some(above);
                above += 1;
            }
        }
        Ok(depth.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Every node and group inside a group, however deeply nested.
    pub fn descendants(&self, group_id: &GroupId) -> Vec<ElementId> {
        super::descendants_by(group_id, |g| self.group(g))
            .into_iter()
            .cloned()
            .collect()
    }

    /// Every node inside a group, however deeply nested.
    pub fn nodes_within(&self, group_id: &GroupId) -> Vec<NodeId> {
        super::descendants_by(group_id, |g| self.group(g))
            .into_iter()
            .filter_map(|id| {
                id.node()
                    .filter(|n| self.index.node.contains_key(n.as_str()))
            })
            .cloned()
            .collect()
    }

    /// The node whose id has this text: for the checks' read-only index, which hands ids
    /// around as text borrowed from this design.
    pub(crate) fn node_by_text(&self, id: &str) -> Option<(usize, &Node)> {
        let &i = self.index.node.get(id)?;
        Some((i, &self.nodes[i]))
    }

    /// The box directly holding the element whose id has this text ([`Design::node_by_text`]).
    pub(crate) fn parent_of_text(&self, id: &str) -> Option<&Group> {
        self.parent_id_of_text(id).and_then(|p| self.group(p))
    }

    /// The id of that box: one lookup, for the checks, which ask it of every element.
    pub(crate) fn parent_id_of_text(&self, id: &str) -> Option<&GroupId> {
        self.index.parent.get(id)
    }

    /// [`Design::node_by_text`] for groups.
    pub(crate) fn group_by_text(&self, id: &str) -> Option<(usize, &Group)> {
        let &i = self.index.group.get(id)?;
        Some((i, &self.groups[i]))
    }

    /// The node or group with this id's text, for text from outside the program (a command
    /// line, a selection typed by a person): the one place text is looked up as an id.
    pub fn element_named(&self, text: &str) -> Option<ElementId> {
        match self.node_by_text(text) {
            Some((_, n)) => Some(ElementId::from(&n.id)),
            None => self
                .group_by_text(text)
                .map(|(_, g)| ElementId::from(&g.id)),
        }
    }

    /// A fresh readable id from `base` (`s3`, `s3_2`, ...), unique among nodes and groups.
    pub fn unique_id(&self, base: &str) -> String {
        naming::fresh_id(base, |id| self.has_text_id(id))
    }

    /// A fresh node id from `base`, as [`Design::unique_id`] makes it.
    pub fn fresh_node_id(&self, base: &str) -> NodeId {
        NodeId::made(self.unique_id(base))
    }

    /// A fresh group id from `base`, as [`Design::unique_id`] makes it.
    pub fn fresh_group_id(&self, base: &str) -> GroupId {
        GroupId::made(self.unique_id(base))
    }

    /// The nodes and groups among `elements`, by id in design order (nodes first): what a
    /// selection moves, groups or places a box around.
    pub fn ids_among(&self, elements: &BTreeSet<ElementRef>) -> Vec<ElementId> {
        let mut nodes: Vec<usize> = Vec::new();
        let mut groups: Vec<usize> = Vec::new();
        for e in elements {
            match e {
                ElementRef::Node(id) => nodes.extend(self.node_index(id)),
                ElementRef::Group(id) => groups.extend(self.group_index(id)),
                ElementRef::Edge(_) => {}
            }
        }
        nodes.sort_unstable();
        groups.sort_unstable();
        let nodes = nodes
            .into_iter()
            .map(|i| ElementId::from(&self.nodes[i].id));
        let groups = groups
            .into_iter()
            .map(|i| ElementId::from(&self.groups[i].id));
        nodes.chain(groups).collect()
    }

    /// The part of a design a selection covers: the selected nodes, the selected groups with
    /// everything inside them, and the edges between what is kept, each with its id, so ids
    /// and badges stay those of the design. What an export of a selection draws, and what
    /// Copy puts on the clipboard.
    pub fn part(&self, selection: &[ElementRef]) -> Design {
        let mut keep: HashSet<ElementId> = HashSet::new();
        for e in selection {
            match e {
                ElementRef::Node(id) => {
                    keep.insert(id.into());
                }
                ElementRef::Group(id) => {
                    keep.insert(id.into());
                    keep.extend(self.descendants(id));
                }
                ElementRef::Edge(_) => {}
            }
        }
        let nodes = self
            .nodes
            .iter()
            .filter(|n| keep.contains(n.id.as_str()))
            .cloned()
            .collect();
        let groups = self
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
        let edges = self
            .edges
            .iter()
            .filter(|e| keep.contains(&e.from) && keep.contains(&e.to))
            .cloned()
            .collect();
        let mut out = Design::assemble(DesignParts {
            title: self.title.clone(),
            description: self.description.clone(),
            edge_style: self.edge_style,
            nodes,
            edges,
            groups,
            suppressions: Vec::new(),
        });
        out.next_edge = self.next_edge;
        out
    }

    // ---- changes in place ------------------------------------------------------------

    /// The node with this id, to change its fields.
    pub fn node_mut(&mut self, id: impl NodeKey) -> Option<NodeMut<'_>> {
        let i = self.node_index(id)?;
        Some(NodeMut::of(&mut self.nodes[i]))
    }

    /// The node at this position of [`Design::nodes`], to change its fields.
    pub fn node_at_mut(&mut self, index: usize) -> Option<NodeMut<'_>> {
        self.nodes.get_mut(index).map(NodeMut::of)
    }

    /// Every node, to change their fields in one walk.
    pub fn nodes_mut(&mut self) -> impl Iterator<Item = NodeMut<'_>> {
        self.nodes.iter_mut().map(NodeMut::of)
    }

    /// The edge with this id, to change its fields.
    pub fn edge_mut(&mut self, id: EdgeId) -> Option<EdgeMut<'_>> {
        let i = self.edge_index(id)?;
        Some(EdgeMut::of(&mut self.edges[i]))
    }

    /// The edge at this position of [`Design::edges`], to change its fields.
    pub fn edge_at_mut(&mut self, index: usize) -> Option<EdgeMut<'_>> {
        self.edges.get_mut(index).map(EdgeMut::of)
    }

    /// Every edge, to change their fields in one walk.
    pub fn edges_mut(&mut self) -> impl Iterator<Item = EdgeMut<'_>> {
        self.edges.iter_mut().map(EdgeMut::of)
    }

    /// The group with this id, to change its fields.
    pub fn group_mut(&mut self, id: impl GroupKey) -> Option<GroupMut<'_>> {
        let i = self.group_index(id)?;
        Some(GroupMut::of(&mut self.groups[i]))
    }

    /// Every group, to change their fields in one walk.
    pub fn groups_mut(&mut self) -> impl Iterator<Item = GroupMut<'_>> {
        self.groups.iter_mut().map(GroupMut::of)
    }

    /// Points an edge at other ends; returns the old ones.
    pub fn set_edge_ends(
        &mut self,
        id: EdgeId,
        from: ElementId,
        to: ElementId,
    ) -> Option<(ElementId, ElementId)> {
        let i = self.edge_index(id)?;
        self.index.remove_ends(&self.edges[i]);
        let edge = &mut self.edges[i];
        let old = (
            std::mem::replace(&mut edge.from, from),
            std::mem::replace(&mut edge.to, to),
        );
        self.index.add_ends(&self.edges[i]);
        Some(old)
    }

    // ---- inserts and removes ---------------------------------------------------------

    /// Adds a node at the end.
    pub fn push_node(&mut self, node: Node) -> Result<(), Invalid> {
        self.insert_node(usize::MAX, node).map(|_| ())
    }

    /// Adds a node at `index` (clamped to the end) and returns where it went; refused when
    /// a node or group has its id already.
    pub fn insert_node(&mut self, index: usize, node: Node) -> Result<usize, Invalid> {
        self.refuse_taken(&node.id)?;
        Ok(insert_slotted(
            &mut self.nodes,
            &mut self.index.node,
            index,
            node,
            |n| &n.id,
        ))
    }

    /// Takes a node out of the list and returns it with where it was. Its edges, box and
    /// suppressions are left as they are: callers that must not leave them dangling check
    /// [`Design::has_edges`] and [`Design::parent_id`] first, as the edit commands do.
    pub fn remove_node(&mut self, id: &NodeId) -> Option<(usize, Node)> {
        let index = self.node_index(id)?;
        let node = remove_slotted(&mut self.nodes, &mut self.index.node, index, |n| &n.id);
        Some((index, node))
    }

    /// Adds a node whose id the code that builds the design made unique (a generator, an
    /// importer with its own id table): a repeat is a bug there, caught in debug builds, and
    /// the node is then left out rather than given a second id.
    pub fn push_built_node(&mut self, node: Node) {
        let added = self.push_node(node);
        debug_assert!(added.is_ok(), "{added:?}: builders make ids unique");
    }

    /// [`Design::push_built_node`] for a box and the members it lists.
    pub fn push_built_group(&mut self, group: Group) {
        let added = self.push_group(group);
        debug_assert!(
            added.is_ok(),
            "{added:?}: builders make ids and memberships unique"
        );
    }

    /// Adds an edge at the end, giving it a fresh id (unless it brings one no edge has).
    pub fn push_edge(&mut self, edge: Edge) -> EdgeId {
        self.insert_edge(usize::MAX, edge).0
    }

    /// Adds an edge at `index` (clamped to the end), giving it a fresh id unless it brings
    /// one no edge has; returns the id and where it went.
    pub fn insert_edge(&mut self, index: usize, mut edge: Edge) -> (EdgeId, usize) {
        edge.id = self.claim_edge_id(edge.id);
        let id = edge.id;
        self.index.add_ends(&edge);
        let index = insert_slotted(&mut self.edges, &mut self.index.edge, index, edge, |e| {
            &e.id
        });
        (id, index)
    }

    /// Takes an edge out and returns it with where it was.
    pub fn remove_edge(&mut self, id: EdgeId) -> Option<(usize, Edge)> {
        let index = self.edge_index(id)?;
        let edge = remove_slotted(&mut self.edges, &mut self.index.edge, index, |e| &e.id);
        self.index.remove_ends(&edge);
        Some((index, edge))
    }

    /// `wanted` when it is a real id no edge of the design has, else a fresh one; either way
    /// the counter moves past it, so it is never handed out again.
    fn claim_edge_id(&mut self, wanted: EdgeId) -> EdgeId {
        let fresh = wanted == EdgeId::UNASSIGNED || self.index.edge.contains_key(&wanted);
        let id = if fresh {
            EdgeId(self.next_edge.0)
        } else {
            wanted
        };
        self.next_edge.0 = self.next_edge.0.max(id.0.saturating_add(1));
        id
    }

    /// Adds a group at the end.
    pub fn push_group(&mut self, group: Group) -> Result<(), Invalid> {
        self.insert_group(usize::MAX, group).map(|_| ())
    }

    /// Adds a group, with the members it lists, at `index` (clamped to the end); refused when
    /// its id is taken or a member is in a box already. Members need not exist yet (an
    /// importer adds boxes before what they hold); [`Design::validate`] says when one never
    /// came.
    pub fn insert_group(&mut self, index: usize, group: Group) -> Result<usize, Invalid> {
        self.refuse_taken(&group.id)?;
        let mut seen = HashSet::new();
        for c in &group.children {
            if let Some(p) = self.parent_id(c) {
                return Err(in_two_boxes(c.as_str(), p.as_str(), group.id.as_str()));
            }
            if !seen.insert(c.as_str()) {
                return Err(in_two_boxes(
                    c.as_str(),
                    group.id.as_str(),
                    group.id.as_str(),
                ));
            }
        }
        for c in &group.children {
            self.index.parent.insert(c.clone(), group.id.clone());
        }
        Ok(insert_slotted(
            &mut self.groups,
            &mut self.index.group,
            index,
            group,
            |g| &g.id,
        ))
    }

    /// Takes a group out, with its list of members (who are then in no box), and returns it
    /// with where it was. As for nodes, its edges, box and suppressions are the caller's.
    pub fn remove_group(&mut self, id: &GroupId) -> Option<(usize, Group)> {
        let index = self.group_index(id)?;
        let group = remove_slotted(&mut self.groups, &mut self.index.group, index, |g| &g.id);
        for c in &group.children {
            self.index.parent.remove(c.as_str());
        }
        Some((index, group))
    }

    /// Moves an element into `parent` at `index` of its members (clamped), or out of every
    /// box (`None`); returns the box it was in and where. The element need not exist (an
    /// importer may place members before adding them); the box must. Whether the move would
    /// put a box inside itself is the caller's to refuse ([`Design::is_within`]).
    pub fn move_into(
        &mut self,
        id: &ElementId,
        parent: Option<&GroupId>,
        index: usize,
    ) -> Result<Option<(GroupId, usize)>, Invalid> {
        let new_slot = match parent {
            Some(p) => Some(self.group_index(p).ok_or_else(|| Invalid {
                message: format!("no group \"{p}\" to put \"{id}\" in"),
                id: p.to_string(),
                at_definition: false,
                occurrence: 0,
            })?),
            None => None,
        };
        let old = match self.index.parent.remove(id.as_str()) {
            Some(old_parent) => {
                let slot = self.group_index(&old_parent);
                let children = slot.map(|slot| &mut self.groups[slot].children);
                // From the end: undoing a grouping takes members out last first, so each
                // is found at once.
                children.and_then(|children| {
                    let at = children.iter().rposition(|c| c == id)?;
                    children.remove(at);
                    Some((old_parent, at))
                })
            }
            None => None,
        };
        if let Some(slot) = new_slot {
            let group = &mut self.groups[slot];
            let at = index.min(group.children.len());
            group.children.insert(at, id.clone());
            self.index.parent.insert(id.clone(), group.id.clone());
        }
        Ok(old)
    }

    fn refuse_taken(&self, id: impl AnyId) -> Result<(), Invalid> {
        let id = id.key();
        if self.has_text_id(id) {
            return Err(super::validate::invalid_definition(
                format!("duplicate id \"{id}\": ids must be unique among nodes and groups"),
                id,
                1,
            ));
        }
        Ok(())
    }
}

fn in_two_boxes(child: &str, first: &str, second: &str) -> Invalid {
    Invalid {
        message: format!(
            "\"{child}\" is in two groups, \"{first}\" and \"{second}\"; an element has at most one parent"
        ),
        id: child.to_string(),
        at_definition: false,
        occurrence: 0,
    }
}
