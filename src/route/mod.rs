//! Edge routing: right-angled connectors that leave and enter tiles through the middle of a
//! side, go around every tile, label and caption, and cross a group's border only where one
//! end lies inside it. The scene owns the routes, so the canvas and every export agree.
//!
//! Each edge is routed on its own (cheap shapes first, then a search on a sparse grid near the
//! edge), ports shared by several edges on one side are spread along it, segments sharing a
//! channel are nudged apart, and labels are placed on the longest free stretch. Results are
//! cached per edge, so a drag re-routes only what the move touched, within a time budget.
mod cache;
mod crossings;
pub mod geom;
mod index;
mod labels;
mod nudge;
mod passes;
mod ports;
mod search;
pub mod tree;
mod world;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::model::{EdgeStyle, Pos, Rect};
pub use cache::Cache;
use cache::{Entry, SidePort, reusable_entries};
use crossings::{CROSSING, Drawn, steps_across};
use geom::{Dir, Side, simplify};
use index::SpatialIndex;
use passes::route_within;
use ports::spread_ports;
use search::{BEND, Terminal};
pub use tree::{End, Tree};
pub use world::search_effort;
use world::{Ask, Obstacle, World, curved, straight};

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
