//! The obstacles of one routing pass, indexed once, and the questions routing asks of them:
//! where a port is, which boxes an edge may cross, the cheap shapes tried before a search,
//! and straight and curved routes.

use super::*;

/// What one obstacle in the index is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Obstacle {
    Tile(usize),
    Label(usize),
    Group(usize),
    Caption(usize),
    /// The label of an edge, once placed: other edges keep off it.
    EdgeLabel(usize),
}

/// Which edge is being routed: its ends decide which group boxes it may cross, its index
/// which edge label is its own.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ask {
    pub(super) from: End,
    pub(super) to: End,
    pub(super) edge: usize,
}

impl Ask {
    pub(super) fn of(edges: &[EdgeRequest], edge: usize) -> Self {
        Ask {
            from: edges[edge].from,
            to: edges[edge].to,
            edge,
        }
    }
}

/// The obstacles of one scene, indexed once, with the questions routing asks of them.
pub(super) struct World<'a> {
    pub(super) shapes: &'a Shapes<'a>,
    pub(super) index: SpatialIndex,
    pub(super) bounds: Rect,
    /// Grid states searched so far; past `effort_limit` edges keep their cheap shapes.
    pub(super) effort: std::cell::Cell<u64>,
    /// [`search_effort`] for the design being routed.
    pub(super) effort_limit: u64,
}

/// How many grid states the searches of one routing pass over `edges` edges may visit in
/// all: a base no hand-drawn design reaches, and a share per edge. On a huge dense design the
/// edges routed after it is spent take the best of the cheap shapes (which may cross other
/// edges) or a straight line, so routing stays linear in the number of edges. A count, not a
/// clock: the same design always routes the same way.
pub fn search_effort(edges: usize) -> u64 {
    4_000_000 + 400 * edges as u64
}

impl<'a> World<'a> {
    /// The obstacles of the shapes, and of the edge labels placed so far (by edge index);
    /// with a `window`, only those in it, and routes stay inside it.
    pub(super) fn new(
        shapes: &'a Shapes<'a>,
        edge_labels: &[Rect],
        edges: usize,
        window: Option<Rect>,
    ) -> Self {
        let rects: Vec<Rect> = shapes
            .tiles
            .iter()
            .chain(shapes.labels)
            .chain(shapes.groups)
            .chain(shapes.captions)
            .chain(edge_labels)
            .copied()
            .collect();
        let mut bounds = rects
            .iter()
            .filter(|r| !r.is_empty())
            .fold(Rect::NOTHING, |a, b| a.union(*b));
        if let Some(w) = window {
            bounds = bounds.intersection(w);
        }
        World {
            shapes,
            index: SpatialIndex::within(rects, window),
            bounds,
            effort: std::cell::Cell::new(0),
            effort_limit: search_effort(edges),
        }
    }

    pub(super) fn kind(&self, id: usize) -> Obstacle {
        let n = self.shapes.tiles.len();
        let g = self.shapes.groups.len();
        if id < n {
            Obstacle::Tile(id)
        } else if id < 2 * n {
            Obstacle::Label(id - n)
        } else if id < 2 * n + g {
            Obstacle::Group(id - 2 * n)
        } else if id < 2 * n + 2 * g {
            Obstacle::Caption(id - 2 * n - g)
        } else {
            Obstacle::EdgeLabel(id - 2 * n - 2 * g)
        }
    }

    pub(super) fn clearance(kind: Obstacle) -> f32 {
        match kind {
            Obstacle::Tile(_) => TILE_CLEARANCE,
            Obstacle::Label(_) | Obstacle::Caption(_) => LABEL_CLEARANCE,
            Obstacle::EdgeLabel(_) => 1.0,
            Obstacle::Group(_) => GROUP_CLEARANCE,
        }
    }

    /// Whether the edge asking must stay out of this obstacle.
    pub(super) fn relevant(&self, kind: Obstacle, ask: Ask) -> bool {
        let tree = self.shapes.tree;
        let (a, b) = (ask.from, ask.to);
        match kind {
            Obstacle::Tile(_) | Obstacle::Label(_) => true,
            Obstacle::EdgeLabel(e) => e != ask.edge,
            Obstacle::Caption(g) => a != End::Group(g) && b != End::Group(g),
            Obstacle::Group(g) => {
                let end = a == End::Group(g) || b == End::Group(g);
                let holds = tree.contains(g, a) || tree.contains(g, b);
                if end {
                    // The box of a group end is its body; its members are beyond it.
                    !(tree.contains(g, a) && tree.contains(g, b))
                } else {
                    !holds
                }
            }
        }
    }

    /// The grown rectangles an edge must avoid within `area`.
    pub(super) fn blocks(&self, area: &Rect, ask: Ask) -> Vec<Rect> {
        self.index
            .query(&area.expand(TILE_CLEARANCE))
            .into_iter()
            .filter_map(|id| {
                let kind = self.kind(id);
                self.relevant(kind, ask)
                    .then(|| self.index.rect(id).expand(Self::clearance(kind)))
            })
            .filter(|r| r.intersects(area))
            .collect()
    }

    /// Whether the polyline (stub to stub) stays clear of everything the edge must avoid.
    pub(super) fn clear(&self, points: &[Pos], ask: Ask, inside: Option<Rect>) -> bool {
        if let Some(bound) = inside
            && points.iter().any(|p| !bound.contains(*p))
        {
            return false;
        }
        points.windows(2).all(|w| {
            let area = Rect::spanning(w[0], w[1]);
            self.index
                .query(&area.expand(TILE_CLEARANCE))
                .into_iter()
                .all(|id| {
                    let kind = self.kind(id);
                    !self.relevant(kind, ask)
                        || !geom::segment_enters(
                            w[0],
                            w[1],
                            &self.index.rect(id).expand(Self::clearance(kind)),
                        )
                })
        })
    }

    pub(super) fn body(&self, e: End) -> Rect {
        self.shapes.body(e)
    }

    /// The port on `side` at fraction `t` along it, and the stub point just outside.
    pub(super) fn port(&self, e: End, side: Side, t: f32) -> (Pos, Pos) {
        let r = self.body(e);
        let bottom = match e {
            End::Node(n) => self.shapes.labels[n].max.y.max(r.max.y),
            End::Group(_) => r.max.y,
        };
        let x = r.min.x + r.width() * t;
        let y = r.min.y + r.height() * t;
        match side {
            Side::Left => (Pos::new(r.min.x - PORT_GAP, y), Pos::new(r.min.x - STUB, y)),
            Side::Right => (Pos::new(r.max.x + PORT_GAP, y), Pos::new(r.max.x + STUB, y)),
            Side::Top => (Pos::new(x, r.min.y - PORT_GAP), Pos::new(x, r.min.y - STUB)),
            Side::Bottom => (Pos::new(x, bottom + PORT_GAP), Pos::new(x, bottom + STUB)),
        }
    }

    /// The rectangle a route between `a` and `b` must stay in: the inside of the innermost
    /// group holding both, if any.
    pub(super) fn bound(&self, a: End, b: End) -> Option<Rect> {
        let g = self.shapes.tree.common_group(a, b)?;
        if a == End::Group(g) || b == End::Group(g) {
            return None;
        }
        let r = self.shapes.groups[g];
        Some(r.expand(-3.0))
    }

    /// A right-angled route between two ends, on the given sides and port fractions, or
    /// choosing the sides when `sides` is `None`. Returns the full polyline and the sides.
    /// With `drawn`, crossing the routes drawn so far costs [`crossings::CROSSING`] each.
    pub(super) fn orthogonal(
        &self,
        ask: Ask,
        sides: Option<((Side, f32), (Side, f32))>,
        drawn: Option<&Drawn>,
    ) -> Option<(Vec<Pos>, Side, Side)> {
        let (a, b) = (ask.from, ask.to);
        let (from_sides, to_sides): (Vec<SidePort>, Vec<SidePort>) = match sides {
            Some((s, t)) => (vec![s], vec![t]),
            None => (
                Side::ALL.iter().map(|s| (*s, 0.5)).collect(),
                Side::ALL.iter().map(|s| (*s, 0.5)).collect(),
            ),
        };
        let crossing_cost =
            |shape: &[Pos]| drawn.map_or(0.0, |d| d.crossings(shape, ask.edge) as f32 * CROSSING);
        // (side, port, stub, what the port-to-stub segment crosses) of each candidate port of
        // an end. A stub under another edge's label cannot be used.
        let ports_of = |e: End, list: &[SidePort]| -> Vec<(Side, Pos, Pos, f32)> {
            list.iter()
                .map(|&(side, t)| {
                    let (p, stub) = self.port(e, side, t);
                    (side, p, stub)
                })
                .filter(|&(_, p, stub)| !self.stub_under_label(p, stub, ask))
                .map(|(side, p, stub)| (side, p, stub, crossing_cost(&[p, stub])))
                .collect()
        };
        let (starts, ends) = (ports_of(a, &from_sides), ports_of(b, &to_sides));
        let bound = self.bound(a, b);
        let finish = |mid: Vec<Pos>, sa: usize, sb: usize| {
            let mut pts = vec![starts[sa].1];
            pts.extend(mid);
            pts.push(ends[sb].1);
            (simplify(pts), starts[sa].0, ends[sb].0)
        };
        // What a route from stub to stub crosses, with its two port stubs.
        let crosses =
            |shape: &[Pos], sa: usize, sb: usize| crossing_cost(shape) + starts[sa].3 + ends[sb].3;
        // Cheap shapes first: straight, then one bend, then two bends through the middle.
        let mut candidates: Vec<(f32, usize, usize, Vec<Pos>)> = Vec::new();
        for (i, &(sa, _, s, _)) in starts.iter().enumerate() {
            for (j, &(sb, _, t, _)) in ends.iter().enumerate() {
                for shape in simple_shapes(s, sa.out(), t, sb.out().reverse()) {
                    let cost = geom::bends(&shape) as f32 * BEND + geom::length(&shape);
                    candidates.push((cost, i, j, shape));
                }
            }
        }
        candidates.sort_by(|x, y| x.0.total_cmp(&y.0));
        // Without other routes to price, the first clear shape is the route. With them, the
        // cheapest clear shape counting crossings, unless it crosses: then the search may
        // find better. (cost with crossings, the crossings' part, ends, shape)
        let cheap = if drawn.is_some() {
            // Candidates come cheapest first and crossings only add, so once a candidate's
            // own cost reaches the best total no later one can win: stop there, without
            // testing the rest for obstacles (the first of equal totals wins, as before).
            let mut best: Option<(f32, f32, usize, usize, Vec<Pos>)> = None;
            for (cost, i, j, shape) in candidates {
                if best.as_ref().is_some_and(|b| cost >= b.0) {
                    break;
                }
                if !self.clear(&shape, ask, bound) {
                    continue;
                }
                let crossed = crosses(&shape, i, j);
                if best.as_ref().is_none_or(|b| cost + crossed < b.0) {
                    best = Some((cost + crossed, crossed, i, j, shape));
                }
            }
            best
        } else {
            candidates
                .into_iter()
                .find(|(_, _, _, shape)| self.clear(shape, ask, bound))
                .map(|(cost, i, j, shape)| (cost, 0.0, i, j, shape))
        };
        if let Some((_, 0.0, i, j, shape)) = &cheap {
            return Some(finish(shape.clone(), *i, *j));
        }
        if self.effort.get() > self.effort_limit {
            return cheap.map(|(_, _, i, j, shape)| finish(shape, i, j));
        }
        // Then a search on a grid near the edge, widening the window if needed.
        let near = self.body(a).union(self.body(b));
        let term = |list: &[(Side, Pos, Pos, f32)], inwards: bool| -> Vec<Terminal> {
            list.iter()
                .enumerate()
                .map(|(k, &(s, _, stub, crossed))| Terminal {
                    stub,
                    dir: if inwards { s.out().reverse() } else { s.out() },
                    tag: k,
                    cost: crossed,
                })
                .collect()
        };
        let (st, tt) = (term(&starts, false), term(&ends, true));
        for margin in [120.0, 480.0, f32::INFINITY] {
            let mut window = if margin.is_finite() {
                near.expand(margin)
            } else {
                near.union(self.bounds).expand(200.0)
            };
            if let Some(bound) = bound {
                window = window.intersection(bound);
            }
            if window.is_empty() {
                break;
            }
            let blocks = self.blocks(&window, ask);
            // Each step asks the index for the segments near it alone: a window can hold
            // tens of thousands of drawn segments, a step meets a handful.
            let extra = |p: Pos, q: Pos| {
                drawn.map_or(0.0, |d| {
                    let near = d.near(&Rect::spanning(p, q), ask.edge);
                    steps_across(p, q, &near) as f32 * CROSSING
                })
            };
            if let Some(found) = search::search(window, &blocks, &st, &tt, &extra, &self.effort) {
                let (f, sa, sb) = (&found.points, found.start, found.target);
                let searched = geom::bends(f) as f32 * BEND + geom::length(f) + crosses(f, sa, sb);
                return Some(match cheap {
                    Some((cost, _, i, j, shape)) if cost <= searched => finish(shape, i, j),
                    _ => finish(found.points, sa, sb),
                });
            }
        }
        cheap.map(|(_, _, i, j, shape)| finish(shape, i, j))
    }

    /// Whether the short segment from a port to its stub runs into another edge's label
    /// (the search starts at the stub, so it cannot see this).
    pub(super) fn stub_under_label(&self, port: Pos, stub: Pos, ask: Ask) -> bool {
        let area = Rect::spanning(port, stub);
        self.index.query(&area.expand(1.0)).into_iter().any(|id| {
            let kind = self.kind(id);
            matches!(kind, Obstacle::EdgeLabel(_))
                && self.relevant(kind, ask)
                && geom::segment_enters(port, stub, &self.index.rect(id).expand(1.0))
        })
    }

    /// A person's bend points, if they still make a valid route between the ends.
    pub(super) fn user_route(&self, ask: Ask, bends: &[Pos]) -> Option<Vec<Pos>> {
        let (a, b) = (ask.from, ask.to);
        let (first, last) = (*bends.first()?, *bends.last()?);
        if bends.iter().any(|p| !p.x.is_finite() || !p.y.is_finite()) {
            return None;
        }
        let (pa, sa) = self.port_toward(a, first)?;
        let (pb, sb) = self.port_toward(b, last)?;
        let mut stubbed = vec![sa];
        stubbed.extend_from_slice(bends);
        stubbed.push(sb);
        let stubbed = simplify(stubbed);
        let orthogonal = stubbed
            .windows(2)
            .all(|w| Dir::between(w[0], w[1]).is_some());
        if !orthogonal || !self.clear(&stubbed, ask, self.bound(a, b)) {
            return None;
        }
        let mut full = vec![pa];
        full.extend_from_slice(bends);
        full.push(pb);
        Some(simplify(full))
    }

    /// The port of `e` facing a bend point straight on, and its stub; the bend must lie
    /// beyond the stub.
    pub(super) fn port_toward(&self, e: End, bend: Pos) -> Option<(Pos, Pos)> {
        let r = self.body(e);
        let candidates = [
            (Side::Left, (bend.y - r.min.y) / r.height()),
            (Side::Right, (bend.y - r.min.y) / r.height()),
            (Side::Top, (bend.x - r.min.x) / r.width()),
            (Side::Bottom, (bend.x - r.min.x) / r.width()),
        ];
        candidates.into_iter().find_map(|(side, t)| {
            if !(0.0..=1.0).contains(&t) {
                return None;
            }
            let (p, stub) = self.port(e, side, t);
            let beyond = Dir::between(stub, bend) == Some(side.out())
                || (stub.x - bend.x).abs() < 1e-3 && (stub.y - bend.y).abs() < 1e-3;
            beyond.then_some((p, stub))
        })
    }
}

/// Straight, one-bend and two-bend routes from stub `s` leaving in `da` to stub `t` entered
/// in `db`, whichever fit those directions.
pub(super) fn simple_shapes(s: Pos, da: Dir, t: Pos, db: Dir) -> Vec<Vec<Pos>> {
    let mut out = Vec::new();
    if da == db {
        if Dir::between(s, t) == Some(da) {
            out.push(vec![s, t]);
        } else {
            let (m1, m2) = if da.horizontal() {
                let mx = (s.x + t.x) / 2.0;
                (Pos::new(mx, s.y), Pos::new(mx, t.y))
            } else {
                let my = (s.y + t.y) / 2.0;
                (Pos::new(s.x, my), Pos::new(t.x, my))
            };
            if Dir::between(s, m1) == Some(da) && Dir::between(m2, t) == Some(db) {
                out.push(vec![s, m1, m2, t]);
            }
        }
    } else if da.horizontal() != db.horizontal() {
        let corner = if da.horizontal() {
            Pos::new(t.x, s.y)
        } else {
            Pos::new(s.x, t.y)
        };
        if Dir::between(s, corner) == Some(da) && Dir::between(corner, t) == Some(db) {
            out.push(vec![s, corner, t]);
        }
    }
    out
}

/// A straight segment between two ends' borders, as when no route can be had.
pub(super) fn straight(world: &World<'_>, a: End, b: End) -> Vec<Pos> {
    let outline = |e: End| match e {
        End::Node(n) => (world.body(e), world.shapes.labels.get(n).copied()),
        End::Group(_) => (world.body(e), None),
    };
    let (s, t) = geom::straight_ends(outline(a), outline(b));
    vec![s, t]
}

/// A smooth curve leaving and entering through the sides that face each other.
pub(super) fn curved(world: &World<'_>, a: End, b: End) -> Vec<Pos> {
    let (ca, cb) = (world.body(a).center(), world.body(b).center());
    let (dx, dy) = (cb.x - ca.x, cb.y - ca.y);
    let (sa, sb) = if dx.abs() >= dy.abs() {
        if dx >= 0.0 {
            (Side::Right, Side::Left)
        } else {
            (Side::Left, Side::Right)
        }
    } else if dy >= 0.0 {
        (Side::Bottom, Side::Top)
    } else {
        (Side::Top, Side::Bottom)
    };
    let (p, _) = world.port(a, sa, 0.5);
    let (q, _) = world.port(b, sb, 0.5);
    let reach = p.distance(q) * 0.4;
    let (ux, uy) = sa.out().vector();
    let (vx, vy) = sb.out().vector();
    let c1 = p.offset(ux * reach, uy * reach);
    let c2 = q.offset(vx * reach, vy * reach);
    const STEPS: usize = 24;
    (0..=STEPS)
        .map(|k| {
            let t = k as f32 / STEPS as f32;
            let u = 1.0 - t;
            let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            Pos::new(
                w0 * p.x + w1 * c1.x + w2 * c2.x + w3 * q.x,
                w0 * p.y + w1 * c1.y + w2 * c2.y + w3 * q.y,
            )
        })
        .collect()
}
