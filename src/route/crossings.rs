//! The routes drawn so far, so that a new route can price the edges it would cross: among
//! routes with as many bends, one that crosses nothing wins over a slightly shorter one that
//! crosses (a crossing costs [`CROSSING`], a bend [`super::search::BEND`]).

use super::geom::segments_cross;
use super::index::SpatialIndex;
use crate::model::{Pos, Rect};

/// What crossing one segment of another edge costs, in canvas units: less than a bend, more
/// than the detours a crossing is usually avoided by.
pub const CROSSING: f32 = 400.0;

/// Segments of the current route of every edge, found by area.
#[derive(Default)]
pub(super) struct Drawn {
    index: SpatialIndex,
    /// (edge, generation of that edge's route, from, to) per indexed segment.
    segments: Vec<(usize, u32, Pos, Pos)>,
    /// The generation of each edge's current route; older segments are skipped.
    generation: Vec<u32>,
}

impl Drawn {
    /// Sets (or replaces) the route of `edge`.
    pub fn set(&mut self, edge: usize, points: &[Pos]) {
        if self.generation.len() <= edge {
            self.generation.resize(edge + 1, 0);
        }
        self.generation[edge] += 1;
        let generation = self.generation[edge];
        for w in points.windows(2) {
            let area = Rect::spanning(w[0], w[1]);
            self.index.insert(area);
            self.segments.push((edge, generation, w[0], w[1]));
        }
    }

    /// The current segments of other edges than `edge` near `area`.
    pub fn near(&self, area: &Rect, edge: usize) -> Vec<(Pos, Pos)> {
        self.index
            .query(&area.expand(1.0))
            .into_iter()
            .filter_map(|id| {
                let (owner, generation, a, b) = self.segments[id];
                (owner != edge && self.generation[owner] == generation).then_some((a, b))
            })
            .collect()
    }

    /// How many segments of other edges the polyline crosses.
    pub fn crossings(&self, points: &[Pos], edge: usize) -> usize {
        points
            .windows(2)
            .map(|w| {
                let area = Rect::spanning(w[0], w[1]);
                steps_across(w[0], w[1], &self.near(&area, edge))
            })
            .sum()
    }
}

/// How many of `others` one step of a route from `p` to `q` crosses. A step that ends on
/// another segment counts it (the route goes on across it, or along it, which nudging then
/// splits into a crossing); a step that starts on one does not, so nothing counts twice.
pub(super) fn steps_across(p: Pos, q: Pos, others: &[(Pos, Pos)]) -> usize {
    others
        .iter()
        .filter(|&&(c, d)| segments_cross(p, q, c, d) || ends_inside(p, q, c, d))
        .count()
}

/// Whether `q` lies inside segment `c`-`d` (not at its ends) while `p` does not lie on its line.
fn ends_inside(p: Pos, q: Pos, c: Pos, d: Pos) -> bool {
    let orient = |a: Pos, b: Pos, r: Pos| (b.x - a.x) * (r.y - a.y) - (b.y - a.y) * (r.x - a.x);
    let len = c.distance(d);
    if len < 1e-3 || orient(c, d, q).abs() > 1e-2 * len || orient(c, d, p).abs() <= 1e-2 * len {
        return false;
    }
    let t = ((q.x - c.x) * (d.x - c.x) + (q.y - c.y) * (d.y - c.y)) / (len * len);
    t > 1e-3 && t < 1.0 - 1e-3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32) -> Pos {
        Pos::new(x, y)
    }

    #[test]
    fn counts_each_crossing_once_and_ignores_own_and_replaced_routes() {
        let mut drawn = Drawn::default();
        drawn.set(0, &[p(50.0, -100.0), p(50.0, 100.0)]);
        drawn.set(1, &[p(0.0, 50.0), p(100.0, 50.0)]);
        // Across the vertical in two steps meeting on it: one crossing.
        let route = [p(0.0, 0.0), p(50.0, 0.0), p(100.0, 0.0)];
        assert_eq!(drawn.crossings(&route, 2), 1);
        // Its own route is not an obstacle to itself.
        assert_eq!(drawn.crossings(&route, 0), 0);
        // Once edge 0 is routed elsewhere, its old segments are gone.
        drawn.set(0, &[p(200.0, -100.0), p(200.0, 100.0)]);
        assert_eq!(drawn.crossings(&route, 2), 0);
        // Touching a segment's end is no crossing.
        assert_eq!(drawn.crossings(&[p(100.0, 0.0), p(100.0, 50.0)], 2), 0);
    }
}
