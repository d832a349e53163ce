//! Plain geometry in canvas units, so the model, scene and exports need no GUI types.

use serde::{Deserialize, Serialize};

/// A point or vector in canvas units; y grows downwards, as on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pos {
    pub x: f32,
    pub y: f32,
}

impl Pos {
    /// Builds a point from its coordinates.
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// Adds a vector to a point, for moving elements.
    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Self::new(self.x + dx, self.y + dy)
    }

    /// Euclidean distance, for hit-testing edges and snapping.
    pub fn distance(self, other: Pos) -> f32 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
}

/// A group's own box, as a person sized it: its top-left corner and its size, kept exactly as
/// written (a min/max rectangle would round the size on the way back to the file).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Frame {
    /// The box at `at`, `width` by `height`.
    pub fn new(at: Pos, width: f32, height: f32) -> Self {
        Self {
            x: at.x,
            y: at.y,
            width,
            height,
        }
    }

    /// The area it covers.
    pub fn rect(&self) -> Rect {
        Rect {
            min: Pos::new(self.x, self.y),
            max: Pos::new(self.x + self.width, self.y + self.height),
        }
    }

    /// The same box moved by `dx`, `dy`.
    pub fn moved(self, dx: f32, dy: f32) -> Self {
        Self {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    /// Its four numbers in file order: `x`, `y`, `width`, `height`.
    pub fn values(&self) -> [f32; 4] {
        [self.x, self.y, self.width, self.height]
    }

    /// The names under which a frame is written among a group's properties, in frame order.
    pub const PROPS: [&str; 4] = ["x", "y", "width", "height"];

    /// Takes a frame out of a group's properties when all four numbers are there and finite;
    /// otherwise the properties stay as written (nothing is lost, nothing is guessed).
    pub fn take_from(props: &mut std::collections::BTreeMap<String, String>) -> Option<Frame> {
        let number = |k: &str| {
            props
                .get(k)
                .and_then(|v| v.trim().parse::<f32>().ok())
                .filter(|v| v.is_finite())
        };
        let [Some(x), Some(y), Some(width), Some(height)] = Self::PROPS.map(number) else {
            return None;
        };
        for k in Self::PROPS {
            props.remove(k);
        }
        Some(Frame {
            x,
            y,
            width,
            height,
        })
    }
}

/// An axis-aligned rectangle in canvas units, used for icons, labels and group boxes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub min: Pos,
    pub max: Pos,
}

impl Rect {
    /// The part of segment `a`-`b` inside the rectangle, border included (Liang-Barsky), if
    /// any. Worked in f64, so a segment a billion units long still lands on the border
    /// exactly: the canvas clips dashed lines with it, routing tests what a segment crosses.
    pub fn clip(&self, a: Pos, b: Pos) -> Option<(Pos, Pos)> {
        let (ax, ay) = (f64::from(a.x), f64::from(a.y));
        let (dx, dy) = (f64::from(b.x) - ax, f64::from(b.y) - ay);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, ax - f64::from(self.min.x)),
            (dx, f64::from(self.max.x) - ax),
            (-dy, ay - f64::from(self.min.y)),
            (dy, f64::from(self.max.y) - ay),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        let at = |t: f64| Pos::new((ax + dx * t) as f32, (ay + dy * t) as f32);
        (t0 <= t1).then(|| (at(t0), at(t1)))
    }

    /// A rectangle from two corners.
    pub const fn from_min_max(min: Pos, max: Pos) -> Self {
        Self { min, max }
    }

    /// The bounds of a segment between two points in any order, to look up what lies near it.
    pub fn spanning(a: Pos, b: Pos) -> Self {
        Self {
            min: Pos::new(a.x.min(b.x), a.y.min(b.y)),
            max: Pos::new(a.x.max(b.x), a.y.max(b.y)),
        }
    }

    /// A rectangle of the given size centred on a point, as node icons are.
    pub fn from_center_size(center: Pos, w: f32, h: f32) -> Self {
        Self {
            min: Pos::new(center.x - w / 2.0, center.y - h / 2.0),
            max: Pos::new(center.x + w / 2.0, center.y + h / 2.0),
        }
    }

    /// An empty rectangle that any union replaces, for folding bounds.
    pub const NOTHING: Rect = Rect {
        min: Pos::new(f32::INFINITY, f32::INFINITY),
        max: Pos::new(f32::NEG_INFINITY, f32::NEG_INFINITY),
    };

    /// Whether the rectangle has no area (for example [`Rect::NOTHING`]).
    pub fn is_empty(&self) -> bool {
        !(self.min.x <= self.max.x && self.min.y <= self.max.y)
    }

    /// Width of the rectangle.
    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    /// Height of the rectangle.
    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    /// Centre point.
    pub fn center(&self) -> Pos {
        Pos::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    /// The smallest rectangle holding both.
    pub fn union(self, other: Rect) -> Rect {
        Rect {
            min: Pos::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Pos::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    /// The part both rectangles cover (empty, see [`Rect::is_empty`], when they do not meet).
    pub fn intersection(self, other: Rect) -> Rect {
        Rect {
            min: Pos::new(self.min.x.max(other.min.x), self.min.y.max(other.min.y)),
            max: Pos::new(self.max.x.min(other.max.x), self.max.y.min(other.max.y)),
        }
    }

    /// The rectangle grown by `margin` on every side.
    pub fn expand(self, margin: f32) -> Rect {
        self.expand2(margin, margin)
    }

    /// The rectangle grown by `dx` left and right and `dy` above and below.
    pub fn expand2(self, dx: f32, dy: f32) -> Rect {
        Rect {
            min: Pos::new(self.min.x - dx, self.min.y - dy),
            max: Pos::new(self.max.x + dx, self.max.y + dy),
        }
    }

    /// Whether the point lies inside or on the border.
    pub fn contains(&self, p: Pos) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// Whether the two rectangles overlap, for culling what is off screen.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.min.x <= other.max.x
            && other.min.x <= self.max.x
            && self.min.y <= other.max.y
            && other.min.y <= self.max.y
    }

    /// Whether `other` lies wholly inside this rectangle, for box selection.
    pub fn contains_rect(&self, other: &Rect) -> bool {
        self.contains(other.min) && self.contains(other.max)
    }

    /// Where the segment from the centre towards `toward` leaves the rectangle, so that
    /// edges end at an icon's border instead of its middle.
    pub fn border_point_toward(&self, toward: Pos) -> Pos {
        let c = self.center();
        let (dx, dy) = (toward.x - c.x, toward.y - c.y);
        if dx == 0.0 && dy == 0.0 {
            return c;
        }
        let hw = self.width() / 2.0;
        let hh = self.height() / 2.0;
        let tx = if dx != 0.0 {
            hw / dx.abs()
        } else {
            f32::INFINITY
        };
        let ty = if dy != 0.0 {
            hh / dy.abs()
        } else {
            f32::INFINITY
        };
        let t = tx.min(ty).min(1.0);
        Pos::new(c.x + dx * t, c.y + dy * t)
    }
}

/// Distance from `p` to the segment `a`-`b`, for picking edges with the pointer.
pub fn distance_to_segment(p: Pos, a: Pos, b: Pos) -> f32 {
    let (abx, aby) = (b.x - a.x, b.y - a.y);
    let len2 = abx * abx + aby * aby;
    if len2 == 0.0 {
        return p.distance(a);
    }
    let t = (((p.x - a.x) * abx + (p.y - a.y) * aby) / len2).clamp(0.0, 1.0);
    p.distance(Pos::new(a.x + abx * t, a.y + aby * t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn border_point_stops_at_the_edge_of_the_box() {
        let r = Rect::from_center_size(Pos::new(0.0, 0.0), 48.0, 48.0);
        assert_eq!(
            r.border_point_toward(Pos::new(100.0, 0.0)),
            Pos::new(24.0, 0.0)
        );
        assert_eq!(
            r.border_point_toward(Pos::new(0.0, -100.0)),
            Pos::new(0.0, -24.0)
        );
    }

    #[test]
    fn segment_distance_measures_to_the_nearest_point() {
        let d = distance_to_segment(Pos::new(5.0, 3.0), Pos::new(0.0, 0.0), Pos::new(10.0, 0.0));
        assert!((d - 3.0).abs() < 1e-6);
    }
}
