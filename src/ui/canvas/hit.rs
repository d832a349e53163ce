//! Hit-testing in canvas space: which group, node, edge or route segment lies under a point
//! of the scene. No egui here: the canvas converts the pointer to canvas units first, so
//! these are tested on plain scenes.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{AnyId, Design, ElementId, ElementRef, GroupId, NodeId, Pos, Rect};
use crate::route::STUB;
use crate::scene::Scene;

/// What a move carries along: the selected nodes and groups and everything inside them.
/// Worked out once when a drag starts, so asking whether a group moves is a few steps up
/// its parents, not a pass over a selection of 10,000.
#[derive(Debug, Default)]
pub struct Carried {
    moved: HashSet<String>,
    parent: HashMap<ElementId, GroupId>,
}

impl Carried {
    /// Nothing moves: every group may be hit.
    pub fn nothing() -> Self {
        Carried::default()
    }

    /// What moving `selection` in `design` carries.
    pub fn new(design: &Design, selection: &BTreeSet<ElementRef>) -> Self {
        Carried {
            moved: selection
                .iter()
                .filter_map(ElementRef::named_id)
                .map(str::to_string)
                .collect(),
            parent: design
                .groups()
                .iter()
                .flat_map(|g| g.children.iter().map(|c| (c.clone(), g.id.clone())))
                .collect(),
        }
    }

    /// Whether the element was selected to move (not only carried inside a group).
    pub fn is_moved(&self, id: impl AnyId) -> bool {
        self.moved.contains(id.key())
    }

    /// The group holding the element when the move began.
    pub fn parent(&self, id: impl AnyId) -> Option<&GroupId> {
        self.parent.get(id.key())
    }

    /// Whether the element moves: it was selected or lies inside a selected group.
    pub fn carries(&self, id: impl AnyId) -> bool {
        let mut current = Some(id.key());
        // A containment circle never loads; the bound keeps a broken map finite anyway.
        for _ in 0..=self.parent.len() {
            let Some(c) = current else { return false };
            if self.moved.contains(c) {
                return true;
            }
            current = self.parent.get(c).map(GroupId::as_str);
        }
        false
    }
}

/// The innermost group whose box contains `p`, skipping the groups the move carries.
pub fn group_at(design: &Design, scene: &Scene, p: Pos, carried: &Carried) -> Option<GroupId> {
    scene
        .groups
        .iter()
        .rev()
        .filter(|g| g.rect.contains(p))
        .map(|g| &design.groups()[g.index].id)
        .find(|id| !carried.carries(*id))
        .cloned()
}

/// The node whose tile contains `p`, topmost first.
pub fn node_at(design: &Design, scene: &Scene, p: Pos) -> Option<NodeId> {
    scene
        .nodes
        .iter()
        .rev()
        .find(|n| n.tile.expand(2.0).contains(p))
        .map(|n| design.nodes()[n.index].id.clone())
}

/// The segment of a right-angled route under the pointer, by edge index and segment.
pub fn hit_segment(scene: &Scene, p: Pos, tolerance: f32) -> Option<(usize, usize)> {
    scene
        .edges
        .iter()
        .filter(|e| e.style == crate::model::EdgeStyle::Orthogonal && !e.fallback)
        .flat_map(|e| {
            (0..e.points.len().saturating_sub(1)).map(move |k| {
                let d = crate::model::geom::distance_to_segment(p, e.points[k], e.points[k + 1]);
                (e.index, k, d)
            })
        })
        .filter(|(_, _, d)| *d <= tolerance)
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(i, k, _)| (i, k))
}

/// The boxes an edge runs between (a node's tile or a group's box), by edge index.
pub fn end_boxes(design: &Design, scene: &Scene, edge: usize) -> Option<(Rect, Rect)> {
    let e = design.edges().get(edge)?;
    let body = |id: &ElementId| {
        design
            .node_index(id)
            .and_then(|i| scene.nodes.get(i))
            .map(|n| n.tile)
            .or_else(|| {
                let g = design.group_index(id)?;
                scene.groups.iter().find(|s| s.index == g).map(|s| s.rect)
            })
    };
    Some((body(&e.from)?, body(&e.to)?))
}

/// A route with segment `k` moved sideways to follow the pointer; `ends` are the boxes the
/// route leaves and enters. A segment touching an end slides its port along the box's side
/// while the side is long enough, and beyond that keeps the port and jogs just outside it.
pub fn moved_segment(base: &[Pos], k: usize, dx: f32, dy: f32, ends: (Rect, Rect)) -> Vec<Pos> {
    let mut out = base.to_vec();
    let Some((&a, &b)) = base.get(k).zip(base.get(k + 1)) else {
        return out;
    };
    let horizontal = (a.y - b.y).abs() < 1e-3;
    let shift = |p: Pos| {
        if horizontal {
            Pos::new(p.x, (p.y + dy).round())
        } else {
            Pos::new((p.x + dx).round(), p.y)
        }
    };
    // Whether a port moved there still lies along the box's side.
    let along = |p: Pos, r: &Rect| {
        if horizontal {
            (r.min.y..=r.max.y).contains(&p.y)
        } else {
            (r.min.x..=r.max.x).contains(&p.x)
        }
    };
    out[k] = shift(a);
    out[k + 1] = shift(b);
    let last = base.len() - 1;
    let toward = |from: Pos, to: Pos| {
        let len = from.distance(to).max(1e-3);
        Pos::new(
            from.x + (to.x - from.x) / len * STUB.min(len / 3.0),
            from.y + (to.y - from.y) / len * STUB.min(len / 3.0),
        )
    };
    if k + 1 == last && !along(out[last], &ends.1) {
        let stub = toward(b, a);
        out[last] = b;
        out.splice(last..last, [shift(stub), stub]);
    }
    if k == 0 && !along(out[0], &ends.0) {
        let stub = toward(a, b);
        out[0] = a;
        out.splice(1..1, [stub, shift(stub)]);
    }
    out
}

/// The edge nearest `p` within `tolerance`, by index into the design's edges.
pub fn hit_edge(scene: &Scene, p: Pos, tolerance: f32) -> Option<usize> {
    scene
        .edges
        .iter()
        .map(|e| (e.index, e.distance_to(p)))
        .filter(|(_, d)| *d <= tolerance)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, ops};
    use crate::model::GroupKind;
    use crate::model::nid;

    fn design() -> Design {
        let mut d = Design::default();
        for (service, x) in [("s3", 0.0), ("athena", 300.0)] {
            let (cmd, _) = ops::add_node(&d, service, Pos::new(x, 0.0), None);
            apply(&mut d, cmd).unwrap();
        }
        let (cmd, _) = ops::group_selection(&d, &[nid("s3").into()], GroupKind::Vpc).unwrap();
        apply(&mut d, cmd).unwrap();
        let cmd = ops::connect(&d, &nid("s3").into(), &nid("athena").into()).unwrap();
        apply(&mut d, cmd).unwrap();
        d
    }

    #[test]
    fn points_find_the_node_the_group_and_the_edge_under_them() {
        let d = design();
        let scene = crate::scene::build(&d);
        assert_eq!(node_at(&d, &scene, Pos::new(0.0, 0.0)), Some(nid("s3")));
        assert_eq!(node_at(&d, &scene, Pos::new(150.0, 0.0)), None);
        let vpc = d.groups()[0].id.clone();
        let moving = |id: &str| {
            let e = ElementRef::from(d.element_named(id).unwrap());
            Carried::new(&d, &BTreeSet::from([e]))
        };
        assert_eq!(
            group_at(&d, &scene, Pos::new(0.0, 0.0), &Carried::nothing()),
            Some(vpc.clone())
        );
        assert_eq!(
            group_at(&d, &scene, Pos::new(0.0, 0.0), &moving("s3")),
            Some(vpc.clone()),
            "excluding a member does not exclude its box"
        );
        assert_eq!(
            group_at(&d, &scene, Pos::new(0.0, 0.0), &moving(vpc.as_str())),
            None
        );
        let route = &scene.edges[0].points;
        let mid = Pos::new(
            (route[0].x + route[1].x) / 2.0,
            (route[0].y + route[1].y) / 2.0,
        );
        assert_eq!(hit_edge(&scene, mid, 3.0), Some(0));
        assert_eq!(hit_edge(&scene, Pos::new(150.0, 400.0), 3.0), None);
    }

    #[test]
    fn a_moved_segment_keeps_its_neighbours_right_angled() {
        let base = [
            Pos::new(0.0, 0.0),
            Pos::new(50.0, 0.0),
            Pos::new(50.0, 100.0),
            Pos::new(100.0, 100.0),
        ];
        // The vertical middle segment follows the pointer sideways only.
        let far = Rect::from_center_size(Pos::new(-1000.0, -1000.0), 10.0, 10.0);
        let moved = moved_segment(&base, 1, 20.0, 35.0, (far, far));
        assert_eq!(moved[1], Pos::new(70.0, 0.0));
        assert_eq!(moved[2], Pos::new(70.0, 100.0));
        assert_eq!((moved[0], moved[3]), (base[0], base[3]));
    }

    #[test]
    fn an_end_segment_slides_its_port_along_the_side_then_jogs_beyond_it() {
        // A straight route from the right side of one tile to the left side of another.
        let from = Rect::from_center_size(Pos::new(-26.0, 0.0), 48.0, 48.0);
        let to = Rect::from_center_size(Pos::new(226.0, 0.0), 48.0, 48.0);
        let base = [Pos::new(0.0, 0.0), Pos::new(200.0, 0.0)];
        let slid = moved_segment(&base, 0, 0.0, 15.0, (from, to));
        assert_eq!(slid, [Pos::new(0.0, 15.0), Pos::new(200.0, 15.0)]);
        // Beyond the side, both ports stay and the route jogs just outside each tile.
        let jogged = moved_segment(&base, 0, 0.0, 60.0, (from, to));
        assert_eq!(jogged.first(), Some(&base[0]));
        assert_eq!(jogged.last(), Some(&base[1]));
        assert_eq!(jogged.len(), 6);
        assert!(
            jogged
                .windows(2)
                .all(|w| w[0].x == w[1].x || w[0].y == w[1].y)
        );
        assert!(jogged[2..4].iter().all(|p| p.y == 60.0));
    }
}
