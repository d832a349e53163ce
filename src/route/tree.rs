//! Group containment as intervals of one depth-first walk, so "does this group hold that
//! element" is two comparisons however deep the nesting.

use crate::model::Design;

/// One end of an edge, or any element that a group may contain. Ordered, so tables keyed
/// by it iterate the same way every time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum End {
    Node(usize),
    Group(usize),
}

/// The group tree of a design, by node and group index.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    node_tin: Vec<u32>,
    group_tin: Vec<u32>,
    group_tout: Vec<u32>,
    node_parent: Vec<Option<usize>>,
    group_parent: Vec<Option<usize>>,
}

impl Tree {
    /// Walks the groups of `design` once. Elements outside every group, and groups that a
    /// (rejected) cycle makes unreachable, belong to no group.
    pub fn new(design: &Design) -> Self {
        let mut tree = Tree {
            node_tin: vec![u32::MAX; design.nodes().len()],
            group_tin: vec![u32::MAX; design.groups().len()],
            group_tout: vec![0; design.groups().len()],
            node_parent: vec![None; design.nodes().len()],
            group_parent: vec![None; design.groups().len()],
        };
        for (gi, g) in design.groups().iter().enumerate() {
            for c in &g.children {
                if let Some(n) = design.node_index(c) {
                    tree.node_parent[n] = Some(gi);
                } else if let Some(h) = design.group_index(c) {
                    tree.group_parent[h] = Some(gi);
                }
            }
        }
        let mut clock = 0u32;
        let mut visited = vec![false; design.groups().len()];
        for root in 0..design.groups().len() {
            if tree.group_parent[root].is_some() {
                continue;
            }
            // (group, next child position)
            let mut stack = vec![(root, 0usize)];
            visited[root] = true;
            tree.group_tin[root] = clock;
            clock += 1;
            while let Some(top) = stack.last_mut() {
                let g = top.0;
                let children = &design.groups()[g].children;
                if top.1 >= children.len() {
                    // The last time stamp given inside the group (its own, if it is empty).
                    tree.group_tout[g] = clock - 1;
                    stack.pop();
                    continue;
                }
                let c = &children[top.1];
                top.1 += 1;
                if let Some(n) = design.node_index(c) {
                    tree.node_tin[n] = clock;
                    clock += 1;
                } else if let Some(h) = design.group_index(c)
                    && !visited[h]
                {
                    visited[h] = true;
                    tree.group_tin[h] = clock;
                    clock += 1;
                    stack.push((h, 0));
                }
            }
        }
        for n in 0..design.nodes().len() {
            if tree.node_tin[n] == u32::MAX {
                tree.node_tin[n] = clock;
                clock += 1;
            }
        }
        tree
    }

    fn tin(&self, e: End) -> u32 {
        match e {
            End::Node(n) => self.node_tin.get(n).copied().unwrap_or(u32::MAX),
            End::Group(g) => self.group_tin.get(g).copied().unwrap_or(u32::MAX),
        }
    }

    /// Whether group `g` is `e` or holds it, however deeply.
    pub fn contains(&self, g: usize, e: End) -> bool {
        let (Some(&lo), Some(&hi)) = (self.group_tin.get(g), self.group_tout.get(g)) else {
            return false;
        };
        let t = self.tin(e);
        lo != u32::MAX && lo <= t && t <= hi
    }

    /// The group directly holding `e`.
    pub fn parent(&self, e: End) -> Option<usize> {
        match e {
            End::Node(n) => self.node_parent.get(n).copied().flatten(),
            End::Group(g) => self.group_parent.get(g).copied().flatten(),
        }
    }

    /// The innermost group holding both ends (a group end counts as holding itself).
    pub fn common_group(&self, a: End, b: End) -> Option<usize> {
        let mut current = match a {
            End::Group(g) => Some(g),
            End::Node(_) => self.parent(a),
        };
        let mut steps = 0;
        while let Some(g) = current {
            if self.contains(g, b) {
                return Some(g);
            }
            steps += 1;
            if steps > self.group_tin.len() {
                return None;
            }
            current = self.group_parent[g];
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_outside_every_group_is_in_none() {
        // The last group walked must not claim the first element that follows it.
        let d = crate::io::load_str(
            r#"Design(format: 1, nodes: [Node(id: "a", service: "s3", pos: (0.0, 0.0)),
               Node(id: "out", service: "s3", pos: (200.0, 0.0))],
               groups: [Group(id: "inner", kind: Region, children: ["a"]),
               Group(id: "outer", kind: AwsCloud, children: ["inner"]),
               Group(id: "empty", kind: Vpc)])"#,
            "t.ron",
        )
        .unwrap();
        let t = Tree::new(&d);
        let (a, out) = (End::Node(0), End::Node(1));
        let (inner, outer, empty) = (0, 1, 2);
        assert!(t.contains(inner, a) && t.contains(outer, a));
        assert!(t.contains(outer, End::Group(inner)) && t.contains(empty, End::Group(empty)));
        for g in [inner, outer, empty] {
            assert!(!t.contains(g, out), "group {g} claims the outside node");
        }
        assert!(!t.contains(empty, a) && !t.contains(inner, End::Group(outer)));
        assert_eq!(t.common_group(a, out), None);
    }
}
