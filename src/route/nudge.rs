//! Segments of different edges that run along the same channel are spread apart, so no two
//! edges are drawn on top of each other. A first or last segment moves with its port, which
//! slides along its side (two tiles one above the other, facing each other with ports in the
//! middle, would otherwise draw their stubs on one line); a move that would bring a route into
//! an obstacle, or a port off its side, is not made.

use super::geom::Dir;
use super::{Ask, EdgeRequest, Routed, STUB, World};
use crate::model::{EdgeStyle, Pos};

/// Distance between neighbouring segments in one channel.
const SPACING: f32 = 6.0;

struct Segment {
    route: usize,
    /// Index of the segment's first point in the route.
    k: usize,
    coord: f32,
    lo: f32,
    hi: f32,
    /// Where the neighbouring segments lead: negative towards smaller coordinates.
    lean: i32,
}

/// Spreads shared channels, horizontal segments first, then vertical ones.
pub(super) fn nudge(
    world: &World<'_>,
    edges: &[EdgeRequest],
    routes: &mut [Routed],
    fixed: &[bool],
) {
    for horizontal in [true, false] {
        let mut segments = collect(edges, routes, fixed, horizontal);
        segments.sort_by(|a, b| {
            a.coord
                .total_cmp(&b.coord)
                .then(a.lo.total_cmp(&b.lo))
                .then(a.route.cmp(&b.route))
        });
        let mut start = 0;
        while start < segments.len() {
            let mut end = start + 1;
            let mut reach = segments[start].hi;
            while end < segments.len()
                && (segments[end].coord - segments[start].coord).abs() < 0.5
                && segments[end].lo < reach - 0.5
            {
                reach = reach.max(segments[end].hi);
                end += 1;
            }
            let cluster = &mut segments[start..end];
            let distinct = cluster.iter().any(|s| s.route != cluster[0].route);
            if distinct {
                cluster.sort_by(|a, b| a.lean.cmp(&b.lean).then(a.route.cmp(&b.route)));
                let m = cluster.len() as f32;
                for (j, s) in cluster.iter().enumerate() {
                    let offset = (j as f32 - (m - 1.0) / 2.0) * SPACING;
                    shift(world, edges, routes, s, horizontal, offset);
                }
            }
            start = end;
        }
    }
}

fn collect(
    edges: &[EdgeRequest],
    routes: &[Routed],
    fixed: &[bool],
    horizontal: bool,
) -> Vec<Segment> {
    let mut out = Vec::new();
    for (r, route) in routes.iter().enumerate() {
        if fixed[r] || route.fallback || edges[r].style != EdgeStyle::Orthogonal {
            continue;
        }
        let p = &route.points;
        if p.len() < 3 {
            continue;
        }
        for k in 0..p.len() - 1 {
            let (a, b) = (p[k], p[k + 1]);
            let Some(dir) = Dir::between(a, b) else {
                continue;
            };
            if dir.horizontal() != horizontal {
                continue;
            }
            // An end segment has a neighbour on one side only; its port counts as level.
            let before = if k > 0 { p[k - 1] } else { a };
            let after = p.get(k + 2).copied().unwrap_or(b);
            let (coord, lo, hi, before, after) = if horizontal {
                (a.y, a.x.min(b.x), a.x.max(b.x), before.y, after.y)
            } else {
                (a.x, a.y.min(b.y), a.y.max(b.y), before.x, after.x)
            };
            let sign = |v: f32| {
                if v < coord - 0.5 {
                    -1
                } else if v > coord + 0.5 {
                    1
                } else {
                    0
                }
            };
            out.push(Segment {
                route: r,
                k,
                coord,
                lo,
                hi,
                lean: sign(before) + sign(after),
            });
        }
    }
    out
}

fn shift(
    world: &World<'_>,
    edges: &[EdgeRequest],
    routes: &mut [Routed],
    s: &Segment,
    horizontal: bool,
    offset: f32,
) {
    if offset.abs() < 1e-3 {
        return;
    }
    let p = &routes[s.route].points;
    let (a, b) = (p[s.k], p[s.k + 1]);
    let moved = |q: Pos| {
        if horizontal {
            Pos::new(q.x, q.y + offset)
        } else {
            Pos::new(q.x + offset, q.y)
        }
    };
    let (a2, b2) = (moved(a), moved(b));
    let e = &edges[s.route];
    let ask = Ask::of(edges, s.route);
    let first = s.k == 0;
    let last = s.k + 2 == p.len();
    // An end segment takes its port along: it must stay on its side of the end's box.
    let on_side = |end, port: Pos| {
        let r = world.body(end);
        if horizontal {
            r.min.y < port.y && port.y < r.max.y
        } else {
            r.min.x < port.x && port.x < r.max.x
        }
    };
    if (first && !on_side(e.from, a2)) || (last && !on_side(e.to, b2)) {
        return;
    }
    // Next to its own end a route is inside that end's clearance by design: from a port, the
    // check starts where the stub ends.
    let toward = |from: Pos, to: Pos| {
        let len = from.distance(to).max(1e-3);
        let k = (STUB / len).min(1.0);
        Pos::new(from.x + (to.x - from.x) * k, from.y + (to.y - from.y) * k)
    };
    let path: Vec<Pos> = [
        Some(if first { toward(a2, b2) } else { a }),
        (!first).then_some(a2),
        (!last).then_some(b2),
        Some(if last { toward(b2, a2) } else { b }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !world.clear(&path, ask, world.bound(e.from, e.to)) {
        return;
    }
    let p = &mut routes[s.route].points;
    p[s.k] = a2;
    p[s.k + 1] = b2;
}
