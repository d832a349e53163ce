//! What a scene keeps of its design besides geometry: the group tree, each group's members
//! by index, and each edge's routing request. None of it changes when nodes only move, so a
//! scene following a drag reuses it instead of hashing ids again.

use super::style::{GROUP_HEADER, GROUP_PAD};
use super::{NodeShape, clamp, edge_label_size};
use crate::model::{Design, Pos, Rect};
use crate::route::{self, End, Tree};

/// The group tree, members and routing requests of one design state.
#[derive(Debug, Default)]
pub struct Structure {
    /// Which group holds what, for routing and for walking up from a moved node.
    pub tree: Tree,
    /// Each group's children (by design index), nodes and groups.
    pub children: Vec<Vec<End>>,
    /// What the router is asked, one per drawn edge.
    pub requests: Vec<route::EdgeRequest>,
    /// The design index of the edge each request is for.
    pub edge_index: Vec<usize>,
}

impl Structure {
    /// Resolves every id of `design` once; with `with_edges`, the routing requests too.
    pub fn new(design: &Design, with_edges: bool) -> Self {
        let end_of = |id: &crate::model::ElementId| -> Option<End> {
            design
                .node_index(id)
                .map(End::Node)
                .or_else(|| design.group_index(id).map(End::Group))
        };
        let children = design
            .groups()
            .iter()
            .map(|g| g.children.iter().filter_map(&end_of).collect())
            .collect();
        let mut requests = Vec::new();
        let mut edge_index = Vec::new();
        if with_edges {
            for (index, e) in design.edges().iter().enumerate() {
                let (Some(from), Some(to)) = (end_of(&e.from), end_of(&e.to)) else {
                    continue;
                };
                requests.push(route::EdgeRequest {
                    from,
                    to,
                    style: e.style_in(design.edge_style),
                    bends: e.bends.clone(),
                    label: (!e.label.is_empty()).then(|| edge_label_size(&e.label)),
                });
                edge_index.push(index);
            }
        }
        Structure {
            tree: Tree::new(design),
            children,
            requests,
            edge_index,
        }
    }

    /// Fits the boxes of the groups whose entry in `rects` is `None` to their members (with
    /// padding, grown to the size the person gave the group); `Some` entries are taken as
    /// they are. Used with all `None` for a new scene and with the moved groups' ancestors
    /// when following a drag.
    pub fn fit_groups(&self, design: &Design, nodes: &[NodeShape], rects: &mut [Option<Rect>]) {
        for i in 0..rects.len() {
            self.fit(design, i, nodes, rects, 0);
        }
    }

    fn fit(
        &self,
        design: &Design,
        i: usize,
        nodes: &[NodeShape],
        rects: &mut [Option<Rect>],
        depth: usize,
    ) -> Rect {
        if let Some(r) = rects[i] {
            return r;
        }
        let mut content = Rect::NOTHING;
        // A containment circle never loads; the depth bound keeps a drawing of one finite.
        if depth <= rects.len() {
            for &c in &self.children[i] {
                content = content.union(match c {
                    End::Node(n) => nodes[n].footprint,
                    End::Group(g) => self.fit(design, g, nodes, rects, depth + 1),
                });
            }
        }
        let mut rect = if content.is_empty() {
            Rect::NOTHING
        } else {
            Rect::from_min_max(
                Pos::new(
                    content.min.x - GROUP_PAD,
                    content.min.y - GROUP_HEADER - GROUP_PAD / 2.0,
                ),
                Pos::new(content.max.x + GROUP_PAD, content.max.y + GROUP_PAD),
            )
        };
        if let Some([x, y, w, h]) = design.groups()[i].frame.map(|f| f.values().map(clamp)) {
            rect = rect.union(Rect::from_min_max(
                Pos::new(x, y),
                Pos::new(x + w.max(40.0), y + h.max(40.0)),
            ));
        }
        if rect.is_empty() {
            rect = Rect::from_min_max(Pos::new(0.0, 0.0), Pos::new(160.0, 100.0));
        }
        rects[i] = Some(rect);
        rect
    }
}
