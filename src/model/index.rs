//! The lookups a design keeps beside its lists: where each node, group and edge is, which box
//! holds each element, and how many edge ends each element has. [`super::Design`] keeps them
//! exact on every insert and remove, so finding an element, its parent or whether it is still
//! connected costs one hash lookup instead of a walk over the lists.

use super::idmap::HashMap;
use super::{Edge, EdgeId, ElementId, Group, GroupId, Node, NodeId};

/// The design's lookups. Bookkeeping, not content: it equals any other index, so two designs
/// with the same elements are equal.
#[derive(Clone, Default)]
pub(super) struct ElementIndex {
    pub node: HashMap<NodeId, usize>,
    pub group: HashMap<GroupId, usize>,
    pub edge: HashMap<EdgeId, usize>,
    /// The box directly holding each element that is in one.
    pub parent: HashMap<ElementId, GroupId>,
    /// How many edge ends each node or group has (absent: none).
    pub ends: HashMap<ElementId, u32>,
}

impl PartialEq for ElementIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ElementIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ElementIndex")
    }
}

impl ElementIndex {
    /// The index of these lists, made from scratch. Later occurrences of a repeated id win;
    /// callers refuse repeats before they build.
    pub fn of(nodes: &[Node], edges: &[Edge], groups: &[Group]) -> Self {
        let mut ix = ElementIndex::default();
        reslot(&mut ix.node, nodes, 0, |n| &n.id);
        reslot(&mut ix.group, groups, 0, |g| &g.id);
        reslot(&mut ix.edge, edges, 0, |e| &e.id);
        for g in groups {
            for c in &g.children {
                ix.parent.insert(c.clone(), g.id.clone());
            }
        }
        for e in edges {
            ix.add_ends(e);
        }
        ix
    }

    /// Counts the two ends of an edge just added.
    pub fn add_ends(&mut self, edge: &Edge) {
        for end in [&edge.from, &edge.to] {
            *self.ends.entry(end.clone()).or_insert(0) += 1;
        }
    }

    /// Forgets the two ends of an edge just removed.
    pub fn remove_ends(&mut self, edge: &Edge) {
        for end in [&edge.from, &edge.to] {
            if let Some(count) = self.ends.get_mut(end.as_str()) {
                *count -= 1;
                if *count == 0 {
                    self.ends.remove(end.as_str());
                }
            }
        }
    }

    /// What is wrong with this index for these lists, if anything: for tests and the
    /// random-edit property, which compare it with one built from scratch after every step.
    pub fn differences(&self, nodes: &[Node], edges: &[Edge], groups: &[Group]) -> Vec<String> {
        let fresh = ElementIndex::of(nodes, edges, groups);
        let sizes = |kept: usize, real: usize, what: &str| {
            format!("{what} differ: {kept} kept, {real} real")
        };
        let checks = [
            (
                self.node == fresh.node,
                self.node.len(),
                fresh.node.len(),
                "node slots",
            ),
            (
                self.group == fresh.group,
                self.group.len(),
                fresh.group.len(),
                "group slots",
            ),
            (
                self.edge == fresh.edge,
                self.edge.len(),
                fresh.edge.len(),
                "edge slots",
            ),
            (
                self.parent == fresh.parent,
                self.parent.len(),
                fresh.parent.len(),
                "parents",
            ),
            (
                self.ends == fresh.ends,
                self.ends.len(),
                fresh.ends.len(),
                "edge ends",
            ),
        ];
        checks
            .into_iter()
            .filter(|(same, ..)| !same)
            .map(|(_, kept, real, what)| sizes(kept, real, what))
            .collect()
    }
}

/// Puts `item` into `items` at `index` (clamped to the end) and records the slots that
/// moved; returns where it went.
pub(super) fn insert_slotted<T, K: Clone + Eq + std::hash::Hash>(
    items: &mut Vec<T>,
    map: &mut HashMap<K, usize>,
    index: usize,
    item: T,
    key: impl Fn(&T) -> &K,
) -> usize {
    let index = index.min(items.len());
    items.insert(index, item);
    reslot(map, items, index, key);
    index
}

/// Takes the item at `index` out of `items`, forgets its slot and records the slots that
/// moved.
pub(super) fn remove_slotted<T, K: Clone + Eq + std::hash::Hash>(
    items: &mut Vec<T>,
    map: &mut HashMap<K, usize>,
    index: usize,
    key: impl Fn(&T) -> &K,
) -> T {
    let item = items.remove(index);
    map.remove(key(&item));
    reslot(map, items, index, key);
    item
}

/// Records the slot of every item from `from` on: after an insert or a remove at `from`, the
/// items after it have moved by one. Inserting or removing at the end costs one entry, so a
/// batch that removes from the back and restores from the front stays linear.
fn reslot<T, K: Clone + Eq + std::hash::Hash>(
    map: &mut HashMap<K, usize>,
    items: &[T],
    from: usize,
    key: impl Fn(&T) -> &K,
) {
    for (i, item) in items.iter().enumerate().skip(from) {
        map.insert(key(item).clone(), i);
    }
}
