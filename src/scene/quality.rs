//! How readable a drawn design is, counted on exactly what the exports draw: edge segments
//! through service icons, through node or edge labels, proper crossings between edges, and
//! diagonal segments of right-angled edges. Tests hold every template to zero of the first
//! three kinds; the README quotes the figures.

use super::Scene;
use crate::model::{EdgeStyle, Rect};
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
    /// Segments of right-angled edges that are neither horizontal nor vertical.
    pub diagonal: usize,
    /// Edges drawn straight because no route was found in time.
    pub fallbacks: usize,
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
                }
            }
        }
    }
    q
}
