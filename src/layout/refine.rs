//! Arrange's second look. The layering decides from the graph alone, one container at a time,
//! and some of its choices only show what they cost once the edges are routed around the group
//! boxes: which of two blocks of a layer goes first when both lead into the same box, at which
//! end of a box the lane for an entering edge runs, or on which side of which partner a
//! watcher (Macie, a security group) sits. For designs small enough to route many times over,
//! each such choice is tried the other way and kept when the routed drawing crosses less (or
//! as much with fewer bends), as Graphviz's transpose step does with its own crossing count.
//! The tries follow a fixed order and a fixed count, so the result stays deterministic.

use super::layered::other_end;
use super::{Arrangement, Choices, Ctx, Direction, End, Layout, applied};
use crate::model::Pos;
use crate::route::geom;
use crate::scene::{self, quality};

/// Routing work the second look may spend, in nodes routed: a design of n nodes gets
/// `WORK / n` tries (none from 2,000 nodes on), so it costs a small design a few
/// milliseconds and a big one nothing.
const WORK: usize = 2_000;

/// At most this many tries, however small the design.
const MOST_TRIES: usize = 100;

/// How good a routed layout is: first what must not happen (edges through icons or labels,
/// edges drawn over each other, slanted segments, routes not found), then crossings, then
/// bends. Smaller is better.
type Score = (usize, usize, usize);

fn score(ctx: &Ctx, arrangement: &Arrangement) -> Score {
    let s = scene::build(&applied(ctx.design, arrangement));
    let q = quality::measure(&s);
    let bends = s.edges.iter().map(|e| geom::bends(&e.points)).sum();
    (
        q.through_icons + q.through_labels + q.overlaps + q.diagonal + q.fallbacks,
        q.crossings,
        bends,
    )
}

/// One choice taken the other way.
#[derive(Clone, Copy, Debug)]
enum Change {
    /// Two blocks of one layer of a container (the index into `Choices::order`) swap places.
    Swap(usize, End, End),
    /// A block tied only by relations goes beside this partner, before it or after it.
    Beside(End, End, bool),
    /// The lane an edge has through a box moves to the other end of the box's blocks.
    Lane(usize),
}

impl Change {
    fn applied_to(self, choices: &Choices) -> Choices {
        let mut out = choices.clone();
        match self {
            Change::Swap(container, a, b) => {
                let order = &mut out.order[container];
                if let (Some(x), Some(y)) = (
                    order.iter().position(|&k| k == a),
                    order.iter().position(|&k| k == b),
                ) {
                    order.swap(x, y);
                }
            }
            Change::Beside(watcher, partner, before) => {
                out.beside.insert(watcher, (partner, before));
            }
            Change::Lane(edge) => {
                if let Some(i) = out.lanes_first.iter().position(|&e| e == edge) {
                    out.lanes_first.remove(i);
                } else {
                    out.lanes_first.push(edge);
                }
            }
        }
        out
    }
}

/// The arrangement of the best layout found: the first change that helps is kept, and the
/// search starts again from there, until none helps. A layout with nothing to try is not
/// routed at all.
pub(super) fn best(ctx: &Ctx, origin: Pos) -> Arrangement {
    let mut choices = ctx.first.clone();
    let mut layout = ctx.lay_out(&choices);
    let mut arrangement = ctx.arrangement(&layout, origin);
    let nodes = ctx.design.nodes().len().max(1);
    let most = (WORK / nodes).min(MOST_TRIES);
    if most == 0 || alternatives(ctx, &choices, &layout).is_empty() {
        return arrangement;
    }
    let mut current = score(ctx, &arrangement);
    let mut tries = 0;
    'search: loop {
        for change in alternatives(ctx, &choices, &layout) {
            if tries == most {
                break 'search;
            }
            tries += 1;
            let candidate = change.applied_to(&choices);
            let tried_layout = ctx.lay_out(&candidate);
            let tried = ctx.arrangement(&tried_layout, origin);
            let s = score(ctx, &tried);
            if s < current {
                (choices, layout, arrangement, current) = (candidate, tried_layout, tried, s);
                continue 'search;
            }
        }
        break;
    }
    arrangement
}

/// Every choice that can be taken the other way: each lane through a box moved to its other
/// end, two blocks of one layer of a container swapped, and each block tied only by
/// relations put beside each of its partners, on either side.
fn alternatives(ctx: &Ctx, choices: &Choices, layout: &Layout) -> Vec<Change> {
    let mut out: Vec<Change> = layout
        .groups
        .iter()
        .flatten()
        .flat_map(|p| p.lanes.iter().map(|&(edge, _)| Change::Lane(edge)))
        .collect();
    let containers = (0..ctx.design.groups().len())
        .map(Some)
        .chain(std::iter::once(None));
    for within in containers {
        let placed = match within {
            Some(g) => layout.groups[g].as_ref(),
            None => Some(&layout.top),
        };
        let Some(placed) = placed else { continue };
        let links = ctx.links.get(&within).map_or(&[][..], Vec::as_slice);
        let flows = |e: End| {
            links
                .iter()
                .any(|l| !l.relation && (l.child_from == e || l.child_to == e))
        };
        // Along the flow, each block's extent: blocks whose extents overlap share a layer.
        let extent = |e: End, at: Pos| {
            let (w, h) = ctx.block_size(e, &layout.groups);
            match ctx.direction {
                Direction::Right => (at.x, at.x + w),
                Direction::Down => (at.y, at.y + h),
            }
        };
        let container = within.unwrap_or(ctx.design.groups().len());
        let kids = choices.kids(within);
        for (i, &a) in kids.iter().enumerate() {
            for &b in &kids[i + 1..] {
                let (Some(pa), Some(pb)) = (placed.at(a), placed.at(b)) else {
                    continue;
                };
                let (ea, eb) = (extent(a, pa), extent(b, pb));
                if ea.0 < eb.1 && eb.0 < ea.1 && flows(a) && flows(b) {
                    out.push(Change::Swap(container, a, b));
                }
            }
        }
        for &watcher in kids.iter().filter(|&&k| !flows(k)) {
            let mut seen = Vec::new();
            for l in links.iter().filter(|l| l.relation) {
                let Some(partner) = other_end((l.child_from, l.child_to), watcher) else {
                    continue;
                };
                if seen.contains(&partner) {
                    continue;
                }
                seen.push(partner);
                for before in [false, true] {
                    if choices.beside.get(&watcher) != Some(&(partner, before)) {
                        out.push(Change::Beside(watcher, partner, before));
                    }
                }
            }
        }
    }
    out
}
