//! Small geometry of right-angled routes: directions, sides, and tests of polylines against
//! rectangles, shared by the router, the quality measure and the tests.

use crate::model::{Pos, Rect};

const EPS: f32 = 1e-3;

/// A direction of travel along a grid line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    Right = 0,
    Left = 1,
    Down = 2,
    Up = 3,
}

impl Dir {
    /// All four, in the order states are numbered.
    pub const ALL: [Dir; 4] = [Dir::Right, Dir::Left, Dir::Down, Dir::Up];

    /// The opposite direction.
    pub fn reverse(self) -> Dir {
        match self {
            Dir::Right => Dir::Left,
            Dir::Left => Dir::Right,
            Dir::Down => Dir::Up,
            Dir::Up => Dir::Down,
        }
    }

    /// The unit vector.
    pub fn vector(self) -> (f32, f32) {
        match self {
            Dir::Right => (1.0, 0.0),
            Dir::Left => (-1.0, 0.0),
            Dir::Down => (0.0, 1.0),
            Dir::Up => (0.0, -1.0),
        }
    }

    /// Whether travel is along x.
    pub fn horizontal(self) -> bool {
        matches!(self, Dir::Right | Dir::Left)
    }

    /// The direction from `a` to `b` on a horizontal or vertical segment.
    pub fn between(a: Pos, b: Pos) -> Option<Dir> {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        if dy.abs() <= EPS && dx.abs() > EPS {
            Some(if dx > 0.0 { Dir::Right } else { Dir::Left })
        } else if dx.abs() <= EPS && dy.abs() > EPS {
            Some(if dy > 0.0 { Dir::Down } else { Dir::Up })
        } else {
            None
        }
    }
}

/// A side of a tile or box; a route leaves through it in the direction of [`Side::out`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    /// All four sides.
    pub const ALL: [Side; 4] = [Side::Left, Side::Right, Side::Top, Side::Bottom];

    /// The direction pointing away from the box through this side.
    pub fn out(self) -> Dir {
        match self {
            Side::Left => Dir::Left,
            Side::Right => Dir::Right,
            Side::Top => Dir::Up,
            Side::Bottom => Dir::Down,
        }
    }

    /// Whether ports on this side are spread along y (left and right sides).
    pub fn vertical(self) -> bool {
        matches!(self, Side::Left | Side::Right)
    }
}

/// Drops repeated points and the middle points of straight runs.
pub fn simplify(points: Vec<Pos>) -> Vec<Pos> {
    let mut out: Vec<Pos> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|l| (l.x - p.x).abs() < EPS && (l.y - p.y).abs() < EPS)
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = ((a.x - b.x).abs() < EPS && (b.x - p.x).abs() < EPS)
                || ((a.y - b.y).abs() < EPS && (b.y - p.y).abs() < EPS);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Whether the segment `a`-`b` passes through the open interior of `r` (touching its border
/// does not count). Works for any segment, so it also measures diagonal and curved edges.
pub fn segment_enters(a: Pos, b: Pos, r: &Rect) -> bool {
    // The part inside the closed rectangle must have some length and lie strictly inside.
    let Some((p, q)) = r.clip(a, b) else {
        return false;
    };
    if p.distance(q) <= EPS {
        return false;
    }
    let m = Pos::new((p.x + q.x) / 2.0, (p.y + q.y) / 2.0);
    m.x > r.min.x + EPS && m.x < r.max.x - EPS && m.y > r.min.y + EPS && m.y < r.max.y - EPS
}

/// Whether any segment of the polyline passes through the interior of `r`.
pub fn polyline_enters(points: &[Pos], r: &Rect) -> bool {
    points.windows(2).any(|w| segment_enters(w[0], w[1], r))
}

/// Total length of a polyline.
pub fn length(points: &[Pos]) -> f32 {
    points.windows(2).map(|w| w[0].distance(w[1])).sum()
}

/// Number of bends of a right-angled polyline.
pub fn bends(points: &[Pos]) -> usize {
    points.len().saturating_sub(2)
}

/// The bounding box of a polyline.
pub fn bounds(points: &[Pos]) -> Rect {
    points
        .iter()
        .fold(Rect::NOTHING, |r, p| r.union(Rect::from_min_max(*p, *p)))
}

/// Whether two segments cross at a point inside both (a proper crossing: not at an end,
/// not along a shared stretch).
pub fn segments_cross(a: Pos, b: Pos, c: Pos, d: Pos) -> bool {
    let orient = |p: Pos, q: Pos, r: Pos| (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    let tol = 1e-2;
    (o1 > tol && o2 < -tol || o1 < -tol && o2 > tol)
        && (o3 > tol && o4 < -tol || o3 < -tol && o4 > tol)
}

/// Replaces each corner of a right-angled polyline with a short arc of `radius` (less where
/// segments are short), as points, so canvas and exports draw the same rounded route.
pub fn rounded(points: &[Pos], radius: f32) -> Vec<Pos> {
    if points.len() < 3 || radius <= 0.0 {
        return points.to_vec();
    }
    let mut out = vec![points[0]];
    for w in points.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        let (l1, l2) = (a.distance(b), b.distance(c));
        let r = radius.min(l1 / 2.0).min(l2 / 2.0);
        if r < 0.5 {
            out.push(b);
            continue;
        }
        let p = b.offset((a.x - b.x) / l1 * r, (a.y - b.y) / l1 * r);
        let q = b.offset((c.x - b.x) / l2 * r, (c.y - b.y) / l2 * r);
        const STEPS: usize = 4;
        for k in 0..=STEPS {
            let t = k as f32 / STEPS as f32;
            let u = 1.0 - t;
            out.push(Pos::new(
                u * u * p.x + 2.0 * u * t * b.x + t * t * q.x,
                u * u * p.y + 2.0 * u * t * b.y + t * t * q.y,
            ));
        }
    }
    out.extend(points.last());
    out
}

/// Where a straight edge between two outlines starts and ends: along the line between their
/// centres, where it leaves the box and, when it passes under a tile, the label below it. A
/// gap of 2 units keeps arrow heads off the tile.
pub fn straight_ends(from: (Rect, Option<Rect>), to: (Rect, Option<Rect>)) -> (Pos, Pos) {
    let (ca, cb) = (from.0.center(), to.0.center());
    let start = leave(from, cb);
    let end = leave(to, ca);
    let len = start.distance(end);
    if len < 1.0 {
        return (start, end);
    }
    let gap = 2.0_f32.min(len / 4.0);
    let (ux, uy) = ((end.x - start.x) / len, (end.y - start.y) / len);
    (
        start.offset(ux * gap, uy * gap),
        end.offset(-ux * gap, -uy * gap),
    )
}

/// The point where the ray from the outline's centre towards `toward` leaves the box and
/// the label, whichever is further out.
fn leave((tile, label): (Rect, Option<Rect>), toward: Pos) -> Pos {
    let c = tile.center();
    let (dx, dy) = (toward.x - c.x, toward.y - c.y);
    let mut t = exit_param(tile, c, dx, dy).unwrap_or(0.0);
    if let Some(l) = label
        && let Some(tl) = exit_param(l, c, dx, dy)
    {
        t = t.max(tl);
    }
    let t = t.min(1.0);
    Pos::new(c.x + dx * t, c.y + dy * t)
}

/// The parameter at which the ray `origin + t * (dx, dy)` leaves `rect`, if it meets it.
fn exit_param(rect: Rect, origin: Pos, dx: f32, dy: f32) -> Option<f32> {
    let (mut t_in, mut t_out) = (0.0_f32, f32::INFINITY);
    for (o, d, lo, hi) in [
        (origin.x, dx, rect.min.x, rect.max.x),
        (origin.y, dy, rect.min.y, rect.max.y),
    ] {
        if d.abs() < 1e-9 {
            if o < lo || o > hi {
                return None;
            }
        } else {
            let (a, b) = ((lo - o) / d, (hi - o) / d);
            t_in = t_in.max(a.min(b));
            t_out = t_out.min(a.max(b));
        }
    }
    (t_in <= t_out && t_out.is_finite()).then_some(t_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_runs_collapse() {
        let p = |x, y| Pos::new(x, y);
        let s = simplify(vec![
            p(0., 0.),
            p(5., 0.),
            p(10., 0.),
            p(10., 0.),
            p(10., 8.),
        ]);
        assert_eq!(s, vec![p(0., 0.), p(10., 0.), p(10., 8.)]);
    }

    #[test]
    fn touching_a_border_is_not_entering() {
        let r = Rect::from_min_max(Pos::new(0., 0.), Pos::new(10., 10.));
        assert!(!segment_enters(Pos::new(-5., 0.), Pos::new(15., 0.), &r));
        assert!(segment_enters(Pos::new(-5., 5.), Pos::new(15., 5.), &r));
        assert!(segment_enters(Pos::new(-5., -5.), Pos::new(15., 15.), &r));
        assert!(!segment_enters(Pos::new(-5., 5.), Pos::new(0., 5.), &r));
    }

    #[test]
    fn crossings_are_proper_only() {
        let p = |x, y| Pos::new(x, y);
        assert!(segments_cross(p(0., 5.), p(10., 5.), p(5., 0.), p(5., 10.)));
        assert!(!segments_cross(
            p(0., 5.),
            p(10., 5.),
            p(10., 0.),
            p(10., 10.)
        ));
        assert!(!segments_cross(p(0., 5.), p(10., 5.), p(2., 5.), p(8., 5.)));
    }
}
