//! A scene following moves. While a person drags services, or a box by its frame, or resizes
//! a box, only node positions and box frames change, frame after frame; building the whole scene again each frame (labels wrapped, every group fitted,
//! every edge checked and nudged) costs tens of milliseconds at 10,000 nodes. Following
//! the moves costs what moved: moved tiles, reframed boxes and the groups holding them are
//! shifted or refitted, an edge
//! whose two ends moved together moves with them, and only an edge whose ends moved apart
//! is routed again.

use std::time::Duration;

use super::{RouteShapes, Scene, caption_rect, clamp_pos};
use crate::model::{Design, Pos, Rect};
use crate::route::{self, End};

/// `scene` brought to `design`, which differs from the scene's design only in node
/// positions and box frames (the window knows this from its history). When everything moved by one
/// offset the result is exact; otherwise it is marked [`Scene::provisional`]: routes that
/// moved along may now pass a service they did not pass before, and rerouted edges were
/// spread only among themselves, until [`settle`] routes them with the others.
pub fn follow_moves(mut scene: Scene, design: &Design, budget: Option<Duration>) -> Scene {
    if scene.nodes.len() != design.nodes().len() {
        return super::build_from(design, Some(&scene), budget);
    }
    let node_moves = move_nodes(&mut scene, design);
    let reframed = reframed_groups(&mut scene, design);
    if node_moves.iter().all(|d| d.is_none()) && reframed.is_empty() {
        return scene;
    }
    let group_moves = refit_groups(&mut scene, design, &node_moves, &reframed);
    let offset_of = |end: End| match end {
        End::Node(n) => node_moves[n].unwrap_or(Offset::ZERO),
        End::Group(g) => group_moves[g],
    };
    let mut reroute = Vec::new();
    for (k, request) in scene.structure.requests.iter().enumerate() {
        let (a, b) = (offset_of(request.from), offset_of(request.to));
        if a == Offset::ZERO && b == Offset::ZERO {
            continue;
        }
        // A route moves with its ends when both moved alike, unless a person bent it:
        // the bends stay where they were put.
        let Offset::By(d) = a else {
            reroute.push(k);
            continue;
        };
        if !a.alike(b) || !request.bends.is_empty() {
            reroute.push(k);
            continue;
        }
        let edge = &mut scene.edges[k];
        for p in &mut edge.points {
            *p = p.offset(d.x, d.y);
        }
        edge.label_at = edge.label_at.map(|p| p.offset(d.x, d.y));
    }

    // When everything moved alike, the router's cache moves along and the scene stays exact.
    let follow_by = uniform(&node_moves, &group_moves).filter(|_| !scene.provisional);
    if follow_by.is_some() || !reroute.is_empty() {
        let structure = scene.structure.clone();
        let shapes = RouteShapes::of_scene(&scene, &structure);
        if let Some(d) = follow_by {
            scene.routes.follow(&shapes.shapes(), d);
        }
        if !reroute.is_empty() {
            let (routes, pending) =
                route::route_some(&shapes.shapes(), &structure.requests, &reroute, budget);
            for (k, r) in reroute.into_iter().zip(routes) {
                let edge = &mut scene.edges[k];
                edge.points = r.points;
                edge.label_at = r.label_at;
                edge.fallback = r.fallback;
            }
            scene.pending |= pending;
            scene.provisional = true;
        }
    }
    if follow_by.is_none() {
        scene.provisional = true;
    }
    scene.bounds = scene.measure_bounds();
    scene
}

/// `scene` with every edge routed again among all the others, from what its cache keeps
/// (most routes stay): after [`follow_moves`] once the drag is over, or to finish the routes
/// a time budget left drawn straight. Tiles, labels and groups are kept as they are, so
/// only routing is paid for.
pub fn settle(mut scene: Scene, design: &Design, budget: Option<Duration>) -> Scene {
    if scene.nodes.len() != design.nodes().len() {
        return super::build_from(design, Some(&scene), budget);
    }
    let structure = scene.structure.clone();
    let shapes = RouteShapes::of_scene(&scene, &structure);
    let (edges, routes, pending) =
        super::route_edges(design, &structure, &shapes, Some(&scene.routes), budget);
    scene.edges = edges;
    scene.routes = routes;
    scene.pending = pending;
    scene.provisional = false;
    scene.bounds = scene.measure_bounds();
    scene
}

/// How an element moved since the scene was drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Offset {
    /// Shifted by this much (zero: not at all).
    By(Pos),
    /// Changed size (a group whose members moved apart): what is attached must be rerouted.
    Reshaped,
}

impl Offset {
    const ZERO: Offset = Offset::By(Pos { x: 0.0, y: 0.0 });

    /// The same move, give or take rounding: nodes dragged together move by offsets that
    /// differ in the last bits.
    fn alike(self, other: Offset) -> bool {
        match (self, other) {
            (Offset::By(a), Offset::By(b)) => (a.x - b.x).abs() < 1e-3 && (a.y - b.y).abs() < 1e-3,
            _ => false,
        }
    }
}

/// Places the tiles and labels of the nodes the design moved; each node's offset, if any.
fn move_nodes(scene: &mut Scene, design: &Design) -> Vec<Option<Offset>> {
    scene
        .nodes
        .iter_mut()
        .zip(design.nodes())
        .map(|(shape, node)| {
            let was = shape.at;
            if clamp_pos(node.pos) == was {
                return None;
            }
            shape.place(node.pos);
            Some(Offset::By(Pos::new(shape.at.x - was.x, shape.at.y - was.y)))
        })
        .collect()
}

/// The groups (by index into `Design::groups`) whose own frame the design changed since the
/// scene fitted them; the scene takes their new frames.
fn reframed_groups(scene: &mut Scene, design: &Design) -> Vec<usize> {
    let mut reframed = Vec::new();
    for shape in &mut scene.groups {
        let now = design.groups().get(shape.index).and_then(|g| g.frame);
        if now != shape.frame {
            shape.frame = now;
            reframed.push(shape.index);
        }
    }
    reframed
}

/// Fits again the boxes of every group holding a moved node or reframed, and of the groups
/// around them; each group's offset.
fn refit_groups(
    scene: &mut Scene,
    design: &Design,
    node_moves: &[Option<Offset>],
    reframed: &[usize],
) -> Vec<Offset> {
    let structure = scene.structure.clone();
    let count = design.groups().len();
    let mut slot = vec![usize::MAX; count];
    for (k, g) in scene.groups.iter().enumerate() {
        if let Some(s) = slot.get_mut(g.index) {
            *s = k;
        }
    }
    let old: Vec<Rect> = slot
        .iter()
        .map(|&k| scene.groups.get(k).map_or(Rect::NOTHING, |g| g.rect))
        .collect();
    let mut fitted: Vec<Option<Rect>> = old.iter().copied().map(Some).collect();
    let changed = node_moves
        .iter()
        .enumerate()
        .filter(|(_, moved)| moved.is_some())
        .map(|(n, _)| End::Node(n))
        .chain(reframed.iter().map(|&g| End::Group(g)));
    for end in changed {
        if let End::Group(g) = end
            && let Some(fit) = fitted.get_mut(g)
        {
            *fit = None;
        }
        let mut up = structure.tree.parent(end);
        let mut steps = 0;
        while let Some(g) = up {
            if fitted[g].is_none() || steps > count {
                break;
            }
            fitted[g] = None;
            up = structure.tree.parent(End::Group(g));
            steps += 1;
        }
    }
    structure.fit_groups(design, &scene.nodes, &mut fitted);
    (0..count)
        .map(|g| {
            let now = fitted[g].unwrap_or_default();
            let was = old[g];
            if now == was {
                return Offset::ZERO;
            }
            if let Some(shape) = scene.groups.get_mut(slot[g]) {
                shape.rect = now;
                shape.caption_rect = caption_rect(now, &shape.caption, shape.kind);
            }
            let same_size = (now.width() - was.width()).abs() < 1e-3
                && (now.height() - was.height()).abs() < 1e-3;
            if same_size {
                Offset::By(Pos::new(now.min.x - was.min.x, now.min.y - was.min.y))
            } else {
                Offset::Reshaped
            }
        })
        .collect()
}

/// The one offset every node and group moved by, if they all moved alike.
fn uniform(nodes: &[Option<Offset>], groups: &[Offset]) -> Option<Pos> {
    let first = (*nodes.first()?)?;
    let Offset::By(d) = first else { return None };
    let alike = nodes.iter().all(|m| m.is_some_and(|m| m.alike(first)))
        && groups.iter().all(|g| g.alike(first));
    alike.then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::gid;
    use crate::scene::build;
    use crate::templates::TEMPLATES;

    fn close(a: &[Pos], b: &[Pos]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(p, q)| (p.x - q.x).abs() < 1e-2 && (p.y - q.y).abs() < 1e-2)
    }

    fn moved(design: &Design, which: impl Fn(usize) -> bool, dx: f32, dy: f32) -> Design {
        let mut d = design.clone();
        for (i, n) in d.nodes_mut().enumerate() {
            if which(i) {
                *n.pos = n.pos.offset(dx, dy);
            }
        }
        d
    }

    #[test]
    fn moving_everything_alike_gives_the_scene_a_build_would() {
        for t in TEMPLATES {
            let design = t.design().unwrap();
            let after = moved(&design, |_| true, 40.0, -20.0);
            let followed = follow_moves(build(&design), &after, None);
            let built = build(&after);
            assert!(!followed.provisional, "{}", t.id);
            for (f, b) in followed.nodes.iter().zip(&built.nodes) {
                assert_eq!((f.tile, f.label_box), (b.tile, b.label_box), "{}", t.id);
            }
            for (f, b) in followed.groups.iter().zip(&built.groups) {
                assert_eq!(
                    (f.rect, f.caption_rect),
                    (b.rect, b.caption_rect),
                    "{}",
                    t.id
                );
            }
            for (f, b) in followed.edges.iter().zip(&built.edges) {
                assert!(
                    close(&f.points, &b.points),
                    "{}: {:?} vs {:?}",
                    t.id,
                    f.points,
                    b.points
                );
            }
            // The cache moved along: building from the followed scene keeps every route.
            let settled = crate::scene::build_from(&after, Some(&followed), None);
            for (s, f) in settled.edges.iter().zip(&followed.edges) {
                assert!(close(&s.points, &f.points), "{}", t.id);
            }
        }
    }

    /// A box with a frame of its own, around the first service of T01, and the same design
    /// with that frame set to `frame`.
    fn framed(frame: crate::model::Frame) -> (Design, Design) {
        let mut design = crate::templates::find("T01").unwrap().design().unwrap();
        let mut group = crate::model::Group::new(gid("framed"), crate::model::GroupKind::Generic);
        group.children.push((&design.nodes()[0].id).into());
        group.frame = Some(crate::model::Frame {
            x: -400.0,
            y: -400.0,
            width: 900.0,
            height: 900.0,
        });
        design.push_group(group).unwrap();
        let mut after = design.clone();
        *after.group_mut(gid("framed")).unwrap().frame = Some(frame);
        (design, after)
    }

    fn same_boxes(followed: &Scene, built: &Scene) {
        for (f, b) in followed.groups.iter().zip(&built.groups) {
            assert_eq!((f.rect, f.caption_rect), (b.rect, b.caption_rect));
        }
    }

    #[test]
    fn resizing_a_box_refits_it_without_a_rebuild() {
        let (design, after) = framed(crate::model::Frame {
            x: -400.0,
            y: -400.0,
            width: 1300.0,
            height: 1000.0,
        });
        let before = build(&design);
        let followed = follow_moves(before.clone(), &after, None);
        let built = build(&after);
        assert_ne!(
            before.groups.iter().map(|g| g.rect).collect::<Vec<_>>(),
            built.groups.iter().map(|g| g.rect).collect::<Vec<_>>(),
            "the resize changes a box"
        );
        same_boxes(&followed, &built);
        // Its edges were routed again around the new box, and settle among the others.
        let settled = settle(followed, &after, None);
        for (s, b) in settled.edges.iter().zip(&built.edges) {
            assert!(
                close(&s.points, &b.points),
                "{:?} vs {:?}",
                s.points,
                b.points
            );
        }
    }

    #[test]
    fn dragging_a_box_by_its_frame_moves_it_and_what_it_holds() {
        let (design, mut after) = framed(crate::model::Frame {
            x: -340.0,
            y: -370.0,
            width: 900.0,
            height: 900.0,
        });
        let first = after.nodes()[0].id.clone();
        let pos = after.node_mut(&first).unwrap().pos;
        *pos = pos.offset(60.0, 30.0);
        let followed = follow_moves(build(&design), &after, None);
        same_boxes(&followed, &build(&after));
    }

    #[test]
    fn moving_one_node_reroutes_its_edges_and_leaves_the_rest() {
        let design = crate::templates::find("T01").unwrap().design().unwrap();
        let before = build(&design);
        let after = moved(&design, |i| i == 2, 0.0, 120.0);
        let followed = follow_moves(before.clone(), &after, None);
        assert!(followed.provisional);
        let touches = |e: &crate::model::Edge| {
            e.from == design.nodes()[2].id.as_str() || e.to == design.nodes()[2].id.as_str()
        };
        let mut rerouted = 0;
        for (f, b) in followed.edges.iter().zip(&before.edges) {
            if touches(&design.edges()[f.index]) {
                rerouted += 1;
                assert!(
                    !close(&f.points, &b.points),
                    "edge {} did not follow",
                    f.index
                );
                assert!(
                    f.points
                        .windows(2)
                        .all(|w| w[0].x == w[1].x || w[0].y == w[1].y)
                );
            } else {
                assert_eq!(f.points, b.points);
            }
        }
        assert!(rerouted > 0);
        assert_eq!(followed.nodes[2].tile, build(&after).nodes[2].tile);
        // Settled, it is the scene a build from scratch gives.
        let settled = settle(followed, &after, None);
        assert!(!settled.provisional);
        let fresh = build(&after);
        for (s, f) in settled.edges.iter().zip(&fresh.edges) {
            assert!(
                close(&s.points, &f.points),
                "{:?} vs {:?}",
                s.points,
                f.points
            );
        }
    }
}
