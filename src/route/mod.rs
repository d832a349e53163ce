//! Edge routing: right-angled connectors that leave and enter tiles through the middle of a
//! side, go around every tile, label and caption, and cross a group's border only where one
//! end lies inside it. The scene owns the routes, so the canvas and every export agree.
//!
//! Each edge is routed on its own (cheap shapes first, then a search on a sparse grid near the
//! edge), ports shared by several edges on one side are spread along it, segments sharing a
//! channel are nudged apart, and labels are placed on the longest free stretch. Results are
//! cached per edge, so a drag re-routes only what the move touched, within a time budget.

mod crossings;
pub mod geom;
mod index;
mod labels;
mod nudge;
mod search;
pub mod tree;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::model::{EdgeStyle, Pos, Rect};
use crossings::{CROSSING, Drawn, steps_across};
use geom::{Dir, Side, simplify};
use index::SpatialIndex;
use search::{BEND, Terminal};
pub use tree::{End, Tree};

/// How far routes keep from a service tile.
pub const TILE_CLEARANCE: f32 = 10.0;
/// How far routes keep from node labels and group captions.
pub const LABEL_CLEARANCE: f32 = 4.0;
/// How far routes keep from the border of a group they must not enter.
pub const GROUP_CLEARANCE: f32 = 8.0;
/// Gap between a tile and the end of an edge, so arrow heads do not touch the icon.
pub const PORT_GAP: f32 = 2.0;
/// How far straight out of a side a route runs before it may turn: room for an arrow head.
pub const STUB: f32 = 16.0;
/// Radius of the rounded corners of orthogonal routes.
pub const CORNER_RADIUS: f32 = 5.0;

/// What the router avoids: every node's tile and label, every group's box and caption, and
/// the group tree that says which boxes an edge may cross.
pub struct Shapes<'a> {
    pub tiles: &'a [Rect],
    pub labels: &'a [Rect],
    pub groups: &'a [Rect],
    pub captions: &'a [Rect],
    pub tree: &'a Tree,
}

impl Shapes<'_> {
    /// The box an edge end is: a node's tile or a group's box.
    pub fn body(&self, e: End) -> Rect {
        let found = match e {
            End::Node(n) => self.tiles.get(n),
            End::Group(g) => self.groups.get(g),
        };
        found.copied().unwrap_or(Rect::NOTHING)
    }
}

/// One edge to route.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeRequest {
    pub from: End,
    pub to: End,
    pub style: EdgeStyle,
    /// Bend points a person placed; used while they still make a valid route.
    pub bends: Vec<Pos>,
    /// Width and height of the edge's label box, if it has a label.
    pub label: Option<(f32, f32)>,
}

/// One routed edge: a polyline from the border of `from` to the border of `to`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Routed {
    pub points: Vec<Pos>,
    /// Centre of the label box.
    pub label_at: Option<Pos>,
    /// The router ran out of time or found no way: drawn straight for now.
    pub fallback: bool,
}

/// What a routing pass leaves for the next one: each edge's route and what it depended on.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    entries: Vec<Option<Entry>>,
    tiles: Vec<Rect>,
    labels: Vec<Rect>,
    groups: Vec<Rect>,
    captions: Vec<Rect>,
}

#[derive(Clone, Debug)]
struct Entry {
    request: EdgeRequest,
    ends: (Rect, Rect),
    sides: (Side, Side),
    ports: (f32, f32),
    points: Vec<Pos>,
}

/// A side and where along it (0 to 1) a port sits.
type SidePort = (Side, f32);

impl Cache {
    /// The cache of the same routes after every shape moved by `d`: each route moved
    /// along, the obstacles recorded as `shapes` now stand (so the next pass finds nothing
    /// changed and keeps every route).
    pub fn follow(&mut self, shapes: &Shapes<'_>, d: Pos) {
        for entry in self.entries.iter_mut().flatten() {
            entry.ends = (
                shapes.body(entry.request.from),
                shapes.body(entry.request.to),
            );
            for p in &mut entry.points {
                *p = p.offset(d.x, d.y);
            }
        }
        self.tiles = shapes.tiles.to_vec();
        self.labels = shapes.labels.to_vec();
        self.groups = shapes.groups.to_vec();
        self.captions = shapes.captions.to_vec();
    }
}

/// Routes only the edges `which` of `edges` (for a scene following a drag: the edges whose
/// ends moved apart), in that order. Their ports are spread and their segments nudged among
/// themselves only, among the obstacles near their ends (a frame of a drag must not index
/// a whole 10,000-node design); the next [`route_all`] settles them with the rest. Also
/// tells whether the budget ran out before every one was routed.
pub fn route_some(
    shapes: &Shapes<'_>,
    edges: &[EdgeRequest],
    which: &[usize],
    budget: Option<Duration>,
) -> (Vec<Routed>, bool) {
    let some: Vec<EdgeRequest> = which.iter().map(|&i| edges[i].clone()).collect();
    let near = some
        .iter()
        .map(|e| shapes.body(e.from).union(shapes.body(e.to)))
        .fold(Rect::NOTHING, Rect::union);
    // Wider than the widest search window short of the whole design.
    let window = near.expand(SOME_MARGIN);
    let (routes, _, pending) = route_within(shapes, &some, None, budget, Some(window));
    (routes, pending)
}

/// How far around the ends of the edges [`route_some`] routes it looks for obstacles.
const SOME_MARGIN: f32 = 640.0;

/// One edge end on a side: where along the side it should go (see [`turn_key`]), the edge,
/// and whether this is the edge's `from` end.
type SideUse = (f32, usize, bool);

/// What one obstacle in the index is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Obstacle {
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
struct Ask {
    from: End,
    to: End,
    edge: usize,
}

impl Ask {
    fn of(edges: &[EdgeRequest], edge: usize) -> Self {
        Ask {
            from: edges[edge].from,
            to: edges[edge].to,
            edge,
        }
    }
}

/// The obstacles of one scene, indexed once, with the questions routing asks of them.
struct World<'a> {
    shapes: &'a Shapes<'a>,
    index: SpatialIndex,
    bounds: Rect,
    /// Grid states searched so far; past `effort_limit` edges keep their cheap shapes.
    effort: std::cell::Cell<u64>,
    /// [`search_effort`] for the design being routed.
    effort_limit: u64,
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
    fn new(
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

    fn kind(&self, id: usize) -> Obstacle {
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

    fn clearance(kind: Obstacle) -> f32 {
        match kind {
            Obstacle::Tile(_) => TILE_CLEARANCE,
            Obstacle::Label(_) | Obstacle::Caption(_) => LABEL_CLEARANCE,
            Obstacle::EdgeLabel(_) => 1.0,
            Obstacle::Group(_) => GROUP_CLEARANCE,
        }
    }

    /// Whether the edge asking must stay out of this obstacle.
    fn relevant(&self, kind: Obstacle, ask: Ask) -> bool {
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
    fn blocks(&self, area: &Rect, ask: Ask) -> Vec<Rect> {
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
    fn clear(&self, points: &[Pos], ask: Ask, inside: Option<Rect>) -> bool {
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

    fn body(&self, e: End) -> Rect {
        self.shapes.body(e)
    }

    /// The port on `side` at fraction `t` along it, and the stub point just outside.
    fn port(&self, e: End, side: Side, t: f32) -> (Pos, Pos) {
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
    fn bound(&self, a: End, b: End) -> Option<Rect> {
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
    fn orthogonal(
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
    fn stub_under_label(&self, port: Pos, stub: Pos, ask: Ask) -> bool {
        let area = Rect::spanning(port, stub);
        self.index.query(&area.expand(1.0)).into_iter().any(|id| {
            let kind = self.kind(id);
            matches!(kind, Obstacle::EdgeLabel(_))
                && self.relevant(kind, ask)
                && geom::segment_enters(port, stub, &self.index.rect(id).expand(1.0))
        })
    }

    /// A person's bend points, if they still make a valid route between the ends.
    fn user_route(&self, ask: Ask, bends: &[Pos]) -> Option<Vec<Pos>> {
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
    fn port_toward(&self, e: End, bend: Pos) -> Option<(Pos, Pos)> {
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
fn simple_shapes(s: Pos, da: Dir, t: Pos, db: Dir) -> Vec<Vec<Pos>> {
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
fn straight(world: &World<'_>, a: End, b: End) -> Vec<Pos> {
    let outline = |e: End| match e {
        End::Node(n) => (world.body(e), world.shapes.labels.get(n).copied()),
        End::Group(_) => (world.body(e), None),
    };
    let (s, t) = geom::straight_ends(outline(a), outline(b));
    vec![s, t]
}

/// A smooth curve leaving and entering through the sides that face each other.
fn curved(world: &World<'_>, a: End, b: End) -> Vec<Pos> {
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

/// How many edges a pass with a budget routes at least, however long that takes.
const LEAST_PER_PASS: usize = 200;

/// Routes every edge. `previous` is the cache of the last pass over (nearly) the same design:
/// edges whose ends did not move and whose route nothing new now blocks keep their route.
/// With a `budget`, edges still unrouted when it runs out are drawn straight and marked
/// [`Routed::fallback`]; the returned flag says the caller should route again soon.
pub fn route_all(
    shapes: &Shapes<'_>,
    edges: &[EdgeRequest],
    previous: Option<&Cache>,
    budget: Option<Duration>,
) -> (Vec<Routed>, Cache, bool) {
    route_within(shapes, edges, previous, budget, None)
}

/// [`route_all`] among the obstacles in `window` only, when given.
fn route_within(
    shapes: &Shapes<'_>,
    edges: &[EdgeRequest],
    previous: Option<&Cache>,
    budget: Option<Duration>,
    window: Option<Rect>,
) -> (Vec<Routed>, Cache, bool) {
    let world = World::new(shapes, &[], edges.len(), window);
    let reusable = previous.map(|p| reusable_entries(&world, p, edges));
    // The budget is for new routes, counted from here: on a big design building the world
    // alone can take longer than a frame's budget, and every pass must still route some
    // edges, or the scene would stay unfinished forever.
    let started = Instant::now();
    let routed_now = std::cell::Cell::new(0usize);
    let out_of_time =
        || budget.is_some_and(|b| routed_now.get() >= LEAST_PER_PASS && started.elapsed() > b);

    // 0. Routes a person shaped, where their bends still make a clear route.
    let user: Vec<Option<Vec<Pos>>> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (e.style == EdgeStyle::Orthogonal && !e.bends.is_empty())
                .then(|| world.user_route(Ask::of(edges, i), &e.bends))
                .flatten()
        })
        .collect();
    let fixed: Vec<bool> = user.iter().map(Option::is_some).collect();

    // 1. Sides: kept from the cache, else chosen by a first route with middle ports.
    let mut sides: Vec<Option<(Side, Side)>> = vec![None; edges.len()];
    let mut first: Vec<Option<Vec<Pos>>> = vec![None; edges.len()];
    let mut pending = false;
    // Routes drawn so far, which later routes avoid crossing: the kept ones and the shaped
    // ones from the start, then each new one as it is found.
    let mut drawn = Drawn::default();
    for (i, route) in user.iter().enumerate() {
        let kept = reusable
            .as_ref()
            .and_then(|r| r[i].as_ref())
            .map(|e| &e.points);
        if let Some(points) = route.as_ref().or(kept) {
            drawn.set(i, points);
        }
    }
    for (i, e) in edges.iter().enumerate() {
        if e.style != EdgeStyle::Orthogonal || fixed[i] || e.from == e.to {
            continue;
        }
        if let Some(entry) = reusable.as_ref().and_then(|r| r[i].as_ref()) {
            sides[i] = Some(entry.sides);
            continue;
        }
        if out_of_time() {
            pending = true;
            continue;
        }
        routed_now.set(routed_now.get() + 1);
        if let Some((pts, sa, sb)) = world.orthogonal(Ask::of(edges, i), None, Some(&drawn)) {
            sides[i] = Some((sa, sb));
            drawn.set(i, &pts);
            first[i] = Some(pts);
        }
    }

    // 2. Ports: edges sharing a side are spread along it, in the order of their other ends.
    let sketches: Vec<Option<&Vec<Pos>>> = (0..edges.len())
        .map(|i| {
            first[i].as_ref().or_else(|| {
                reusable
                    .as_ref()
                    .and_then(|r| r[i].as_ref())
                    .map(|e| &e.points)
            })
        })
        .collect();
    let ports = spread_ports(&world, edges, &sides, &sketches);

    // 3. Final routes with those ports.
    let mut routes: Vec<Routed> = Vec::with_capacity(edges.len());
    let mut entries: Vec<Option<Entry>> = vec![None; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        let ends = (world.body(e.from), world.body(e.to));
        let mut routed = Routed::default();
        match e.style {
            EdgeStyle::Straight => routed.points = straight(&world, e.from, e.to),
            EdgeStyle::Curved => routed.points = curved(&world, e.from, e.to),
            EdgeStyle::Orthogonal => {
                if let Some(shaped) = &user[i] {
                    routed.points = shaped.clone();
                } else if let Some((sa, sb)) = sides[i] {
                    let (ta, tb) = ports[i];
                    let cached = reusable
                        .as_ref()
                        .and_then(|r| r[i].as_ref())
                        .filter(|c| c.ports == (ta, tb) && c.sides == (sa, sb));
                    let unchanged_first = first[i].as_ref().filter(|_| ta == 0.5 && tb == 0.5);
                    // Kept and first routes are in `drawn` since step 1; a new one replaces
                    // the edge's first route there.
                    let points = if let Some(c) = cached {
                        Some(c.points.clone())
                    } else if let Some(p) = unchanged_first {
                        Some(p.clone())
                    } else if out_of_time() {
                        pending = true;
                        None
                    } else {
                        routed_now.set(routed_now.get() + 1);
                        let routed = world
                            .orthogonal(Ask::of(edges, i), Some(((sa, ta), (sb, tb))), Some(&drawn))
                            .map(|(p, _, _)| p);
                        if let Some(p) = &routed {
                            drawn.set(i, p);
                        }
                        routed.or_else(|| first[i].clone())
                    };
                    if let Some(points) = points {
                        entries[i] = Some(Entry {
                            request: e.clone(),
                            ends,
                            sides: (sa, sb),
                            ports: (ta, tb),
                            points: points.clone(),
                        });
                        routed.points = points;
                    }
                }
                if routed.points.is_empty() {
                    routed.points = straight(&world, e.from, e.to);
                    routed.fallback = true;
                }
            }
        }
        routes.push(routed);
    }

    // 4. Spread segments that share a channel, then place labels.
    nudge::nudge(&world, edges, &mut routes, &fixed);
    labels::place(&world, edges, &mut routes);

    // 5. Edges that run through another edge's label go around it.
    let label_boxes: Vec<Rect> = edges
        .iter()
        .zip(&routes)
        .map(|(e, r)| match (e.label, r.label_at) {
            (Some((w, h)), Some(at)) => Rect::from_center_size(at, w, h),
            _ => Rect::NOTHING,
        })
        .collect();
    let labels_at = SpatialIndex::new(label_boxes.clone());
    let crossing: Vec<usize> = (0..edges.len())
        .filter(|&i| {
            sides[i].is_some()
                && !fixed[i]
                && !routes[i].fallback
                && edges[i].style == EdgeStyle::Orthogonal
                && routes[i].points.windows(2).any(|w| {
                    labels_at
                        .query(&Rect::spanning(w[0], w[1]).expand(1.0))
                        .into_iter()
                        .any(|j| {
                            let r = &label_boxes[j];
                            j != i && !r.is_empty() && geom::polyline_enters(&routes[i].points, r)
                        })
                })
        })
        .collect();
    if !crossing.is_empty() {
        let world = World::new(shapes, &label_boxes, edges.len(), window);
        for i in crossing {
            let Some((sa, sb)) = sides[i] else { continue };
            let (ta, tb) = ports[i];
            // The spread ports may sit right under the label; then any side will do.
            let rerouted = world
                .orthogonal(Ask::of(edges, i), Some(((sa, ta), (sb, tb))), None)
                .or_else(|| world.orthogonal(Ask::of(edges, i), None, None));
            if let Some((points, _, _)) = rerouted {
                if let Some(entry) = entries[i].as_mut() {
                    entry.points = points.clone();
                }
                routes[i].points = points;
            }
        }
        nudge::nudge(&world, edges, &mut routes, &fixed);
    }

    let cache = Cache {
        entries,
        tiles: shapes.tiles.to_vec(),
        labels: shapes.labels.to_vec(),
        groups: shapes.groups.to_vec(),
        captions: shapes.captions.to_vec(),
    };
    (routes, cache, pending)
}

/// For each edge, its previous entry if the route is still good: the same request and end
/// boxes, and no obstacle that changed since now lying across it.
fn reusable_entries(
    world: &World<'_>,
    previous: &Cache,
    edges: &[EdgeRequest],
) -> Vec<Option<Entry>> {
    let s = world.shapes;
    let same_counts =
        previous.tiles.len() == s.tiles.len() && previous.groups.len() == s.groups.len();
    if !same_counts {
        return vec![None; edges.len()];
    }
    let mut changed: Vec<(Obstacle, Rect)> = Vec::new();
    for i in 0..s.tiles.len() {
        if previous.tiles[i] != s.tiles[i] {
            changed.push((Obstacle::Tile(i), s.tiles[i]));
        }
        if previous.labels[i] != s.labels[i] {
            changed.push((Obstacle::Label(i), s.labels[i]));
        }
    }
    for i in 0..s.groups.len() {
        if previous.groups[i] != s.groups[i] {
            changed.push((Obstacle::Group(i), s.groups[i]));
        }
        if previous.captions[i] != s.captions[i] {
            changed.push((Obstacle::Caption(i), s.captions[i]));
        }
    }
    // Changed obstacles indexed once, so each edge asks only about those near it.
    let changed_index = SpatialIndex::new(changed.iter().map(|(_, r)| *r).collect());
    edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let entry = previous.entries.get(i)?.as_ref()?;
            if entry.request != *e || entry.ends != (world.body(e.from), world.body(e.to)) {
                return None;
            }
            let area = geom::bounds(&entry.points).expand(TILE_CLEARANCE);
            let blocked = changed_index.query(&area).into_iter().any(|k| {
                let (kind, r) = changed[k];
                world.relevant(kind, Ask::of(edges, i))
                    && geom::polyline_enters(&entry.points, &r.expand(World::clearance(kind)))
            });
            (!blocked).then(|| entry.clone())
        })
        .collect()
}

/// Port fractions for every edge end: 0.5 alone on a side, else spread evenly in the order
/// of the other ends, so edges leaving one side do not cross each other.
/// Where along its side a route should leave, from the start of its sketch (a first route
/// through the middle port, seen from this end: port, first bend, the point after it): routes that turn towards the side's start come first,
/// the ones turning nearest the box outermost; then routes going straight on; then those
/// turning towards the side's end, the ones turning farthest outermost. In that order no two
/// cross near the box.
fn turn_key(route: &[Pos], side: Side) -> Option<f32> {
    const CLASS: f32 = 1.0e7;
    let (port, bend) = (*route.first()?, *route.get(1)?);
    let reach = port.distance(bend);
    let Some(&after) = route.get(2) else {
        return Some(0.0);
    };
    let towards_start = if side.vertical() {
        after.y < bend.y
    } else {
        after.x < bend.x
    };
    Some(if towards_start {
        -CLASS + reach
    } else {
        CLASS - reach
    })
}

/// Where along its side a route without a sketch should leave: the angle at which the
/// other end is seen from the side's middle, measured from straight out.
fn angle_key(world: &World<'_>, end: End, other: End, side: Side) -> f32 {
    let c = world.body(other).center();
    let m = world.port(end, side, 0.5).0;
    let (vx, vy) = (c.x - m.x, c.y - m.y);
    let (ox, oy) = side.out().vector();
    let sideways = if side.vertical() { vy } else { vx };
    sideways.atan2(vx * ox + vy * oy)
}

fn spread_ports(
    world: &World<'_>,
    edges: &[EdgeRequest],
    sides: &[Option<(Side, Side)>],
    sketches: &[Option<&Vec<Pos>>],
) -> Vec<(f32, f32)> {
    let mut by_side: BTreeMap<(End, Side), Vec<SideUse>> = BTreeMap::new();
    for (i, e) in edges.iter().enumerate() {
        let Some((sa, sb)) = sides[i] else { continue };
        for (end, other, side, is_from) in [(e.from, e.to, sa, true), (e.to, e.from, sb, false)] {
            // The sketch's first three points seen from this end.
            let head: Option<Vec<Pos>> = sketches[i].map(|points| {
                if is_from {
                    points.iter().take(3).copied().collect()
                } else {
                    points.iter().rev().take(3).copied().collect()
                }
            });
            let along = match head.as_deref().and_then(|p| turn_key(p, side)) {
                Some(key) => key,
                None => angle_key(world, end, other, side),
            };
            by_side
                .entry((end, side))
                .or_default()
                .push((along, i, is_from));
        }
    }
    let mut ports = vec![(0.5, 0.5); edges.len()];
    let mut shared = vec![(false, false); edges.len()];
    for (_, mut list) in by_side {
        if list.len() < 2 {
            continue;
        }
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let n = list.len() as f32;
        for (k, &(_, i, is_from)) in list.iter().enumerate() {
            let t = (k as f32 + 1.0) / (n + 1.0);
            if is_from {
                ports[i].0 = t;
                shared[i].0 = true;
            } else {
                ports[i].1 = t;
                shared[i].1 = true;
            }
        }
    }
    // An end alone on its side, facing a spread port, lines up with it when it can, so the
    // edge stays straight instead of taking a small jog.
    for (i, e) in edges.iter().enumerate() {
        let Some((sa, sb)) = sides[i] else { continue };
        if sa.out() != sb.out().reverse() || shared[i].0 == shared[i].1 {
            continue;
        }
        let (spread_end, spread_side, spread_t, lone_end, lone_side) = if shared[i].0 {
            (e.from, sa, ports[i].0, e.to, sb)
        } else {
            (e.to, sb, ports[i].1, e.from, sa)
        };
        let (p, _) = world.port(spread_end, spread_side, spread_t);
        let r = world.body(lone_end);
        let t = if lone_side.vertical() {
            (p.y - r.min.y) / r.height()
        } else {
            (p.x - r.min.x) / r.width()
        };
        if (0.15..=0.85).contains(&t) {
            if shared[i].0 {
                ports[i].1 = t;
            } else {
                ports[i].0 = t;
            }
        }
    }
    ports
}
