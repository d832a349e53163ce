//! How readable a drawn design is, counted on exactly what the exports draw: edge segments
//! through service icons, through node or edge labels, proper crossings between edges, and
//! diagonal segments of right-angled edges, and stretches where two edges are drawn on top of
//! each other. Tests hold every template to zero of the first
//! three kinds; the README quotes the figures.

use super::Scene;
use crate::model::{EdgeStyle, Pos, Rect};
use crate::route::geom::{segment_enters, segments_cross};

/// The counts of one scene.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quality {
    /// Edge segments that pass through a service icon.
    pub through_icons: usize,
    /// Edge segments that pass through a node label or another edge's label.
    pub through_labels: usize,
    /// Pairs of segments of different edges that cross at a point inside both.
    pub crossings: usize,
    /// Pairs of segments of different edges drawn on top of each other for a stretch, which a
    /// reader takes for one line.
    pub overlaps: usize,
    /// Segments of right-angled edges that are neither horizontal nor vertical.
    pub diagonal: usize,
    /// Edges drawn straight because no route was found in time.
    pub fallbacks: usize,
}

/// Whether two axis-parallel segments lie on one line and share more than a pixel of it.
fn segments_overlap(a: Pos, b: Pos, c: Pos, d: Pos) -> bool {
    const SAME_LINE: f32 = 0.5;
    const SHARED: f32 = 1.0;
    let shared = |a0: f32, a1: f32, c0: f32, c1: f32| {
        a0.max(a1).min(c0.max(c1)) - a0.min(a1).max(c0.min(c1)) > SHARED
    };
    let vertical = |p: Pos, q: Pos| (p.x - q.x).abs() < 0.01;
    let horizontal = |p: Pos, q: Pos| (p.y - q.y).abs() < 0.01;
    if vertical(a, b) && vertical(c, d) && (a.x - c.x).abs() < SAME_LINE {
        shared(a.y, b.y, c.y, d.y)
    } else if horizontal(a, b) && horizontal(c, d) && (a.y - c.y).abs() < SAME_LINE {
        shared(a.x, b.x, c.x, d.x)
    } else {
        false
    }
}

/// Measures a scene. Quadratic in the number of segments, which is fine for the designs the
/// tests and the README measure.
pub fn measure(scene: &Scene) -> Quality {
    let mut q = Quality::default();
    let labels: Vec<Rect> = scene.nodes.iter().map(|n| n.label_box).collect();
    let edge_labels: Vec<(usize, Rect)> = scene
        .edges
        .iter()
        .filter_map(|e| e.label_rect().map(|r| (e.index, r)))
        .collect();
    for e in &scene.edges {
        if e.fallback {
            q.fallbacks += 1;
        }
        for w in e.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if scene.nodes.iter().any(|n| segment_enters(a, b, &n.tile)) {
                q.through_icons += 1;
            }
            let through_label = labels.iter().any(|r| segment_enters(a, b, r))
                || edge_labels
                    .iter()
                    .any(|(i, r)| *i != e.index && segment_enters(a, b, r));
            if through_label {
                q.through_labels += 1;
            }
            let straight = (a.x - b.x).abs() < 0.01 || (a.y - b.y).abs() < 0.01;
            if e.style == EdgeStyle::Orthogonal && !straight {
                q.diagonal += 1;
            }
        }
    }
    for (i, e) in scene.edges.iter().enumerate() {
        for f in &scene.edges[i + 1..] {
            for w in e.points.windows(2) {
                for v in f.points.windows(2) {
                    if segments_cross(w[0], w[1], v[0], v[1]) {
                        q.crossings += 1;
                    }
                    if segments_overlap(w[0], w[1], v[0], v[1]) {
                        q.overlaps += 1;
                    }
                }
            }
        }
    }
    q
}
