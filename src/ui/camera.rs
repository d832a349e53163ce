//! The one transform between canvas units and screen points.

use egui::{Pos2, Rect, Vec2};

use crate::model::{Pos, Rect as CanvasRect};

/// Lowest zoom a person zooms out to on a design that fits at 10% or more.
pub const MIN_ZOOM: f32 = 0.1;
/// Lowest zoom Fit goes to: a design of any size fits the view.
pub const FIT_FLOOR: f32 = 0.0005;
/// Highest zoom (400%).
pub const MAX_ZOOM: f32 = 4.0;

/// Pan and zoom of the canvas. View state: never saved into the design.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Screen offset of the canvas origin from the top-left of the canvas area.
    pub pan: Vec2,
    pub zoom: f32,
    /// How far zooming out goes: 10%, or lower when the design needs it to fit.
    pub floor: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            pan: Vec2::new(200.0, 200.0),
            zoom: 1.0,
            floor: MIN_ZOOM,
        }
    }
}

impl Camera {
    /// Canvas point to screen point, inside the canvas area `view`.
    pub fn canvas_to_screen(&self, view: Rect, p: Pos) -> Pos2 {
        view.min + self.pan + Vec2::new(p.x, p.y) * self.zoom
    }

    /// Screen point to canvas point.
    pub fn screen_to_canvas(&self, view: Rect, p: Pos2) -> Pos {
        let v = (p - view.min - self.pan) / self.zoom;
        Pos::new(v.x, v.y)
    }

    /// Canvas rectangle to screen rectangle.
    pub fn rect_to_screen(&self, view: Rect, r: CanvasRect) -> Rect {
        Rect::from_min_max(
            self.canvas_to_screen(view, r.min),
            self.canvas_to_screen(view, r.max),
        )
    }

    /// The part of the canvas the view shows, for culling.
    pub fn visible(&self, view: Rect) -> CanvasRect {
        CanvasRect::from_min_max(
            self.screen_to_canvas(view, view.min),
            self.screen_to_canvas(view, view.max),
        )
    }

    /// Zooms by `factor`, keeping the canvas point under `anchor` (a screen point) fixed.
    pub fn zoom_around(&mut self, view: Rect, anchor: Pos2, factor: f32) {
        let before = self.screen_to_canvas(view, anchor);
        self.zoom = (self.zoom * factor).clamp(self.floor, MAX_ZOOM);
        let after = self.canvas_to_screen(view, before);
        self.pan += anchor - after;
    }

    /// Shows all of `bounds` with a margin, at no more than 100%.
    pub fn fit(&mut self, view: Rect, bounds: CanvasRect) {
        if bounds.is_empty() || view.width() <= 0.0 {
            *self = Camera::default();
            return;
        }
        let margin = 40.0;
        let zx = (view.width() - 2.0 * margin) / bounds.width().max(1.0);
        let zy = (view.height() - 2.0 * margin) / bounds.height().max(1.0);
        self.zoom = zx.min(zy).clamp(FIT_FLOOR, 1.0);
        self.floor = self.zoom.min(MIN_ZOOM);
        let center = bounds.center();
        self.pan = view.size() / 2.0 - Vec2::new(center.x, center.y) * self.zoom;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_anchor_still() {
        let view = Rect::from_min_size(Pos2::new(10.0, 20.0), Vec2::new(800.0, 600.0));
        let mut cam = Camera::default();
        let anchor = Pos2::new(300.0, 250.0);
        let before = cam.screen_to_canvas(view, anchor);
        cam.zoom_around(view, anchor, 2.5);
        let after = cam.screen_to_canvas(view, anchor);
        assert!((before.x - after.x).abs() < 1e-3 && (before.y - after.y).abs() < 1e-3);
        cam.zoom_around(view, anchor, 100.0);
        assert_eq!(cam.zoom, MAX_ZOOM);
    }

    #[test]
    fn fit_shows_a_design_of_any_size_and_zooming_out_goes_that_far() {
        let view = Rect::from_min_size(Pos2::ZERO, Vec2::new(1000.0, 700.0));
        let huge = CanvasRect::from_min_max(Pos::new(0.0, 0.0), Pos::new(400_000.0, 300_000.0));
        let mut cam = Camera::default();
        cam.fit(view, huge);
        let seen = cam.visible(view);
        assert!(seen.min.x <= 0.0 && seen.max.x >= 400_000.0, "{seen:?}");
        assert!(seen.min.y <= 0.0 && seen.max.y >= 300_000.0, "{seen:?}");
        let fitted = cam.zoom;
        cam.zoom_around(view, Pos2::new(500.0, 350.0), 0.5);
        assert_eq!(
            cam.zoom, fitted,
            "zooming out stops where the whole design shows"
        );
        cam.zoom_around(view, Pos2::new(500.0, 350.0), 1000.0);
        cam.zoom_around(view, Pos2::new(500.0, 350.0), 0.000_01);
        assert_eq!(cam.zoom, fitted);
    }
}
