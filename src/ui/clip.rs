//! Lines cut to what the window shows before they are dashed: a dash pattern costs vertices in
//! proportion to its length, and a box around a far-away node can be millions of screens long.

use egui::{Pos2, Rect, Shape, Stroke};

/// The part of segment `a`-`b` inside `clip`, if any ([`crate::model::Rect::clip`] on screen
/// points).
pub fn clip_segment(a: Pos2, b: Pos2, clip: Rect) -> Option<(Pos2, Pos2)> {
    use crate::model::{Pos, Rect as CanvasRect};
    let r = CanvasRect::from_min_max(
        Pos::new(clip.min.x, clip.min.y),
        Pos::new(clip.max.x, clip.max.y),
    );
    let (p, q) = r.clip(Pos::new(a.x, a.y), Pos::new(b.x, b.y))?;
    Some((Pos2::new(p.x, p.y), Pos2::new(q.x, q.y)))
}

/// A dashed polyline, each segment cut to `clip` first: the dashes drawn are only those that
/// can be seen.
pub fn dashed_within(
    points: &[Pos2],
    stroke: Stroke,
    dash: f32,
    gap: f32,
    clip: Rect,
) -> Vec<Shape> {
    let mut shapes = Vec::new();
    for w in points.windows(2) {
        if let Some((a, b)) = clip_segment(w[0], w[1], clip) {
            shapes.extend(Shape::dashed_line(&[a, b], stroke, dash, gap));
        }
    }
    shapes
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn segments_are_cut_to_the_rect() {
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(100.0, 100.0));
        assert_eq!(
            clip_segment(pos2(-1e9, 50.0), pos2(1e9, 50.0), clip),
            Some((pos2(0.0, 50.0), pos2(100.0, 50.0)))
        );
        assert_eq!(
            clip_segment(pos2(-10.0, -10.0), pos2(-5.0, 200.0), clip),
            None
        );
        assert_eq!(
            clip_segment(pos2(10.0, 10.0), pos2(20.0, 20.0), clip),
            Some((pos2(10.0, 10.0), pos2(20.0, 20.0)))
        );
    }

    #[test]
    fn a_line_a_billion_long_dashes_like_one_screen_wide() {
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1000.0, 1000.0));
        let stroke = Stroke::new(1.0, egui::Color32::BLACK);
        let far = dashed_within(&[pos2(0.0, 10.0), pos2(1e9, 10.0)], stroke, 8.0, 5.0, clip);
        let near = dashed_within(
            &[pos2(0.0, 10.0), pos2(1000.0, 10.0)],
            stroke,
            8.0,
            5.0,
            clip,
        );
        assert_eq!(far.len(), near.len());
    }
}
