//! Shortest orthogonal path with a bend penalty on a sparse grid: the lines of the grid are the
//! borders of the obstacles near the edge (grown by their clearance), the edge's own port
//! stubs, and the middles between them, as in libavoid's orthogonal visibility graph.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::geom::{Dir, simplify};
use crate::model::{Pos, Rect};

/// What one bend costs in canvas units: more than any detour inside a search window, so
/// routes with fewer bends win and length decides among them.
pub const BEND: f32 = 1000.0;

/// Most states one search may expand before it gives up (the caller then widens or falls back).
const MAX_EXPANSIONS: usize = 400_000;

const EPS: f32 = 1e-3;

/// A place a route may start or end: the stub point just outside a port, the direction the
/// route travels there (outwards at a start, inwards at an end), and the caller's tag for it.
#[derive(Clone, Copy, Debug)]
pub struct Terminal {
    pub stub: Pos,
    pub dir: Dir,
    pub tag: usize,
    /// What using this terminal costs on top of the path (its stub crossing other routes).
    pub cost: f32,
}

/// The path found: grid points from a start stub to a target stub, with the tags of both.
#[derive(Clone, Debug)]
pub struct Found {
    pub points: Vec<Pos>,
    pub start: usize,
    pub target: usize,
}

struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Per vertex: bit 0 vertex blocked, bit 1 edge to +x blocked, bit 2 edge to +y blocked.
    blocked: Vec<u8>,
}

impl Grid {
    fn new(window: Rect, blocks: &[Rect], terminals: &[Terminal]) -> Self {
        let mut xs = vec![window.min.x, window.max.x];
        let mut ys = vec![window.min.y, window.max.y];
        let inside_x = |v: f32| v > window.min.x && v < window.max.x;
        let inside_y = |v: f32| v > window.min.y && v < window.max.y;
        for b in blocks {
            xs.extend([b.min.x, b.max.x].into_iter().filter(|v| inside_x(*v)));
            ys.extend([b.min.y, b.max.y].into_iter().filter(|v| inside_y(*v)));
        }
        for t in terminals {
            xs.push(t.stub.x);
            ys.push(t.stub.y);
        }
        let xs = with_middles(xs);
        let ys = with_middles(ys);
        let (nx, ny) = (xs.len(), ys.len());
        let mut blocked = vec![0u8; nx * ny];
        // A block reaching past the window also blocks the window's own border lines.
        let outer = window.expand(1.0);
        for b in blocks {
            let b = b.intersection(outer);
            if b.is_empty() {
                continue;
            }
            // Lines strictly inside the block, and lines on or inside its border.
            let (xi0, xi1) = strict(&xs, b.min.x, b.max.x);
            let (yi0, yi1) = strict(&ys, b.min.y, b.max.y);
            let (xc0, xc1) = closed(&xs, b.min.x, b.max.x);
            let (yc0, yc1) = closed(&ys, b.min.y, b.max.y);
            for i in xi0..xi1 {
                for j in yi0..yi1 {
                    blocked[i * ny + j] |= 1;
                }
            }
            // Horizontal edges at a y strictly inside, spanning x within the border.
            for i in xc0..xc1.saturating_sub(1) {
                for j in yi0..yi1 {
                    blocked[i * ny + j] |= 2;
                }
            }
            for i in xi0..xi1 {
                for j in yc0..yc1.saturating_sub(1) {
                    blocked[i * ny + j] |= 4;
                }
            }
        }
        Grid { xs, ys, blocked }
    }

    fn at(&self, p: Pos) -> Option<(usize, usize)> {
        Some((find(&self.xs, p.x)?, find(&self.ys, p.y)?))
    }
}

/// Sorted unique coordinates with the middle of every gap wider than a few units added.
fn with_middles(mut v: Vec<f32>) -> Vec<f32> {
    v.retain(|x| x.is_finite());
    v.sort_by(f32::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < EPS);
    let mut out = Vec::with_capacity(v.len() * 2);
    for w in v.windows(2) {
        out.push(w[0]);
        if w[1] - w[0] > 6.0 {
            out.push((w[0] + w[1]) / 2.0);
        }
    }
    out.extend(v.last());
    out
}

/// Index range of lines strictly between `lo` and `hi`.
fn strict(lines: &[f32], lo: f32, hi: f32) -> (usize, usize) {
    (
        lines.partition_point(|&v| v <= lo + EPS),
        lines.partition_point(|&v| v < hi - EPS),
    )
}

/// Index range of lines from `lo` to `hi`, both included.
fn closed(lines: &[f32], lo: f32, hi: f32) -> (usize, usize) {
    (
        lines.partition_point(|&v| v < lo - EPS),
        lines.partition_point(|&v| v <= hi + EPS),
    )
}

fn find(lines: &[f32], v: f32) -> Option<usize> {
    let i = lines.partition_point(|&x| x < v - EPS);
    (i < lines.len() && (lines[i] - v).abs() < EPS).then_some(i)
}

/// Finds the cheapest route from any start to any target inside `window`, avoiding the
/// interiors of `blocks`. Cost: length, plus [`BEND`] per bend, plus `extra` of every step
/// between grid points (what crossing other routes costs; never negative). The grid's size
/// is added to `effort`, which callers use to bound the work of routing a whole design.
pub fn search(
    window: Rect,
    blocks: &[Rect],
    starts: &[Terminal],
    targets: &[Terminal],
    extra: &dyn Fn(Pos, Pos) -> f32,
    effort: &std::cell::Cell<u64>,
) -> Option<Found> {
    let all: Vec<Terminal> = starts.iter().chain(targets).copied().collect();
    let grid = Grid::new(window, blocks, &all);
    let ny = grid.ys.len();
    let nx = grid.xs.len();
    let states = nx * ny * 4;
    effort.set(effort.get().saturating_add(states as u64));
    let mut cost = vec![f32::INFINITY; states];
    let mut parent = vec![u32::MAX; states];
    let mut heap: BinaryHeap<Reverse<(u32, u32)>> = BinaryHeap::new();
    let goals: Vec<(usize, Terminal)> = targets
        .iter()
        .filter_map(|t| {
            let (i, j) = grid.at(t.stub)?;
            (grid.blocked[i * ny + j] & 1 == 0).then_some((i * ny + j, *t))
        })
        .collect();
    if goals.is_empty() {
        return None;
    }
    let h = |v: usize| -> f32 {
        let p = Pos::new(grid.xs[v / ny], grid.ys[v % ny]);
        goals
            .iter()
            .map(|(_, t)| {
                let (dx, dy) = ((p.x - t.stub.x).abs(), (p.y - t.stub.y).abs());
                dx + dy + if dx > EPS && dy > EPS { BEND } else { 0.0 }
            })
            .fold(f32::INFINITY, f32::min)
    };
    let mut start_states: Vec<(usize, usize)> = Vec::new();
    for s in starts {
        let Some((i, j)) = grid.at(s.stub) else {
            continue;
        };
        let v = i * ny + j;
        if grid.blocked[v] & 1 != 0 {
            continue;
        }
        let state = v * 4 + s.dir as usize;
        if cost[state] > s.cost {
            cost[state] = s.cost;
            start_states.push((state, s.tag));
            heap.push(Reverse(((s.cost + h(v)).to_bits(), state as u32)));
        }
    }
    let mut best: Option<(f32, usize, usize)> = None;
    let mut expansions = 0;
    while let Some(Reverse((f_bits, state))) = heap.pop() {
        let state = state as usize;
        let f = f32::from_bits(f_bits);
        if best.is_some_and(|(b, _, _)| f >= b) {
            break;
        }
        expansions += 1;
        if expansions > MAX_EXPANSIONS {
            return None;
        }
        let (v, d) = (state / 4, Dir::ALL[state % 4]);
        let g = cost[state];
        if f > g + h(v) + 1e-3 {
            continue;
        }
        let (i, j) = (v / ny, v % ny);
        for nd in Dir::ALL {
            if nd == d.reverse() {
                continue;
            }
            let next = match nd {
                Dir::Right if i + 1 < nx && grid.blocked[v] & 2 == 0 => Some((i + 1, j)),
                Dir::Left if i > 0 && grid.blocked[(i - 1) * ny + j] & 2 == 0 => Some((i - 1, j)),
                Dir::Down if j + 1 < ny && grid.blocked[v] & 4 == 0 => Some((i, j + 1)),
                Dir::Up if j > 0 && grid.blocked[i * ny + j - 1] & 4 == 0 => Some((i, j - 1)),
                _ => None,
            };
            let Some((ni, nj)) = next else { continue };
            let nv = ni * ny + nj;
            if grid.blocked[nv] & 1 != 0 {
                continue;
            }
            let (from, to) = (
                Pos::new(grid.xs[i], grid.ys[j]),
                Pos::new(grid.xs[ni], grid.ys[nj]),
            );
            let step = (to.x - from.x).abs() + (to.y - from.y).abs() + extra(from, to);
            let ng = g + step + if nd == d { 0.0 } else { BEND };
            let ns = nv * 4 + nd as usize;
            if ng < cost[ns] {
                cost[ns] = ng;
                parent[ns] = state as u32;
                heap.push(Reverse(((ng + h(nv)).to_bits(), ns as u32)));
                for (gv, t) in &goals {
                    if *gv == nv {
                        let total = ng + t.cost + if nd == t.dir { 0.0 } else { BEND };
                        if best.is_none_or(|(b, _, _)| total < b) {
                            best = Some((total, ns, t.tag));
                        }
                    }
                }
            }
        }
    }
    let (_, end_state, target) = best?;
    let mut points = Vec::new();
    let mut s = end_state;
    loop {
        let v = s / 4;
        points.push(Pos::new(grid.xs[v / ny], grid.ys[v % ny]));
        if parent[s] == u32::MAX {
            break;
        }
        s = parent[s] as usize;
    }
    points.reverse();
    let start = start_states
        .iter()
        .rev()
        .find(|(state, _)| *state == s)
        .map_or(0, |(_, tag)| *tag);
    Some(Found {
        points: simplify(points),
        start,
        target,
    })
}
