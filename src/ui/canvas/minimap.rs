//! The minimap (View > Minimap): the whole design in the canvas's corner, the view as a box
//! on it; clicking or dragging on it moves the view there. Shown while the design is larger
//! than the view.

use egui::{Id, Sense, Stroke, StrokeKind};

use super::super::theme::rgb;
use super::CanvasState;
use crate::scene::{Scene, style};

/// The map's size on screen, at most.
const SIZE: egui::Vec2 = egui::vec2(220.0, 150.0);
/// A design this large is drawn on the map by every n-th service, so the map stays cheap.
const MOST_DRAWN: usize = 4_000;

/// Draws the map and moves the view when it is clicked or dragged.
pub fn show(ui: &egui::Ui, scene: &Scene, state: &mut CanvasState, view: egui::Rect) {
    if !state.minimap || scene.bounds.is_empty() {
        return;
    }
    let seen = state.camera.visible(view);
    let b = scene.bounds;
    let inside = seen.min.x <= b.min.x
        && seen.min.y <= b.min.y
        && seen.max.x >= b.max.x
        && seen.max.y >= b.max.y;
    if inside {
        return;
    }
    let scale = (SIZE.x / b.width().max(1.0)).min(SIZE.y / b.height().max(1.0));
    let size = egui::vec2(b.width() * scale, b.height() * scale);
    let rect = egui::Rect::from_min_size(view.max - size - egui::vec2(12.0, 12.0), size);
    let to_map = |x: f32, y: f32| {
        egui::pos2(
            rect.min.x + (x - b.min.x) * scale,
            rect.min.y + (y - b.min.y) * scale,
        )
    };
    let page = style::Page::of(state.dark);
    let painter = ui.painter_at(rect.expand(4.0));
    painter.rect_filled(
        rect.expand(4.0),
        4.0,
        rgb(page.background).gamma_multiply(0.96),
    );
    painter.rect_stroke(
        rect.expand(4.0),
        4.0,
        Stroke::new(1.0, rgb(page.grid)),
        StrokeKind::Inside,
    );
    for g in &scene.groups {
        let s = page.group_style(g.kind);
        painter.rect_stroke(
            egui::Rect::from_min_max(
                to_map(g.rect.min.x, g.rect.min.y),
                to_map(g.rect.max.x, g.rect.max.y),
            ),
            0.0,
            Stroke::new(1.0, rgb(s.stroke)),
            StrokeKind::Inside,
        );
    }
    let step = scene.nodes.len().div_ceil(MOST_DRAWN).max(1);
    for n in scene.nodes.iter().step_by(step) {
        let at = to_map(n.tile.center().x, n.tile.center().y);
        let r = (n.tile.width() * scale / 2.0).max(1.0);
        painter.rect_filled(
            egui::Rect::from_center_size(at, egui::vec2(r, r) * 2.0),
            0.0,
            rgb(n.color),
        );
    }
    let shown = egui::Rect::from_min_max(
        to_map(seen.min.x, seen.min.y),
        to_map(seen.max.x, seen.max.y),
    )
    .intersect(rect.expand(2.0));
    painter.rect_filled(shown, 0.0, rgb(style::SELECT_COLOR).gamma_multiply(0.12));
    painter.rect_stroke(
        shown,
        0.0,
        Stroke::new(1.5, rgb(style::SELECT_COLOR)),
        StrokeKind::Inside,
    );
    let response = ui.interact(rect, Id::unique("minimap"), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Minimap"));
    if (response.clicked() || response.dragged())
        && let Some(p) = response.interact_pointer_pos()
    {
        let target = crate::model::Pos::new(
            b.min.x + (p.x - rect.min.x) / scale,
            b.min.y + (p.y - rect.min.y) / scale,
        );
        let zoom = state.camera.zoom;
        state.camera.pan = view.size() / 2.0 - egui::vec2(target.x, target.y) * zoom;
    }
}
