//! Edge labels go on the longest stretch of their route that is free: clear of tiles, node
//! labels, captions and the labels already placed, and preferably of other routes.

use super::index::SpatialIndex;
use super::{EdgeRequest, Obstacle, Routed, World};
use crate::model::{Pos, Rect};

/// Where along a segment a label may sit, most preferred first.
const FRACTIONS: [f32; 5] = [0.5, 0.3, 0.7, 0.15, 0.85];

/// Sets `label_at` of every labelled route.
pub(super) fn place(world: &World<'_>, edges: &[EdgeRequest], routes: &mut [Routed]) {
    let mut segment_boxes = Vec::new();
    let mut segment_owner = Vec::new();
    for (r, route) in routes.iter().enumerate() {
        for w in route.points.windows(2) {
            segment_boxes.push(Rect::spanning(w[0], w[1]));
            segment_owner.push((r, w[0], w[1]));
        }
    }
    let segments = SpatialIndex::new(segment_boxes);
    let mut placed: Vec<Rect> = Vec::new();
    for (r, e) in edges.iter().enumerate() {
        let Some((w, h)) = e.label else { continue };
        let points = &routes[r].points;
        if points.len() < 2 {
            continue;
        }
        let mut order: Vec<usize> = (0..points.len() - 1).collect();
        order.sort_by(|&a, &b| {
            let la = points[a].distance(points[a + 1]);
            let lb = points[b].distance(points[b + 1]);
            lb.total_cmp(&la).then(a.cmp(&b))
        });
        let (mut first_any, mut first_hard, mut chosen) = (None, None, None);
        'search: for &k in &order {
            let (a, b) = (points[k], points[k + 1]);
            // On the line first; beside a vertical segment when the line is crowded.
            let vertical = (a.x - b.x).abs() < 1e-3;
            let beside: &[f32] = if vertical { &[0.0, 1.0, -1.0] } else { &[0.0] };
            for (t, side) in FRACTIONS
                .iter()
                .flat_map(|t| beside.iter().map(move |s| (*t, *s)))
            {
                let c = Pos::new(
                    a.x + (b.x - a.x) * t + side * (w / 2.0 + 4.0),
                    a.y + (b.y - a.y) * t,
                );
                let rect = Rect::from_center_size(c, w, h);
                first_any.get_or_insert(c);
                if !free_of_shapes(world, &rect) || placed.iter().any(|p| p.intersects(&rect)) {
                    continue;
                }
                first_hard.get_or_insert(c);
                let crossed = segments.query(&rect).into_iter().any(|s| {
                    let (owner, p, q) = segment_owner[s];
                    owner != r && super::geom::segment_enters(p, q, &rect)
                });
                if !crossed {
                    chosen = Some(c);
                    break 'search;
                }
            }
        }
        let at = chosen.or(first_hard).or(first_any);
        if let Some(c) = at {
            placed.push(Rect::from_center_size(c, w, h));
        }
        routes[r].label_at = at;
    }
}

/// Whether a label box keeps off every tile, node label and group caption.
fn free_of_shapes(world: &World<'_>, rect: &Rect) -> bool {
    world.index.query(&rect.expand(2.0)).into_iter().all(|id| {
        matches!(world.kind(id), Obstacle::Group(_) | Obstacle::EdgeLabel(_))
            || !world.index.rect(id).expand(2.0).intersects(rect)
    })
}
