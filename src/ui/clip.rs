//! Lines cut to what the window shows before they are dashed: a dash pattern costs vertices in
//! proportion to its length, and a box around a far-away node can be millions of screens long.

use egui::{Pos2, Rect, Shape, Stroke};

/// The part of segment `a`-`b` inside `clip` (Liang-Barsky), if any.
pub fn clip_segment(a: Pos2, b: Pos2, clip: Rect) -> Option<(Pos2, Pos2)> {
    // In f64: a segment a billion points long must still land on the window's edge exactly.
    let (ax, ay, bx, by) = (a.x as f64, a.y as f64, b.x as f64, b.y as f64);
    let (dx, dy) = (bx - ax, by - ay);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, ax - clip.min.x as f64),
        (dx, clip.max.x as f64 - ax),
        (-dy, ay - clip.min.y as f64),
        (dy, clip.max.y as f64 - ay),
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
    let at = |t: f64| Pos2::new((ax + dx * t) as f32, (ay + dy * t) as f32);
    (t0 <= t1).then(|| (at(t0), at(t1)))
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
