//! Resizing a box on the canvas: a selected group shows a handle at its bottom-right corner;
//! dragging it gives the box a size of its own (stored in the file), on the grid unless Alt is
//! held, never smaller than what the box holds, as one undo step per drag.

use egui::{Id, Sense, Stroke};

use super::super::edits::Edits;
use super::super::theme::rgb;
use super::CanvasState;
use crate::edit::{EditCommand, ops};
use crate::model::{Design, ElementRef, Frame, Pos, Rect};
use crate::scene::{Scene, style};

/// The smallest bottom-right corner a group can have: its contents plus padding.
pub fn content_corner(design: &Design, scene: &Scene, group: usize) -> Option<Pos> {
    let g = design.groups().get(group)?;
    let mut content = Rect::NOTHING;
    for c in &g.children {
        if let Some(n) = scene
            .nodes
            .iter()
            .find(|n| design.nodes()[n.index].id.as_str() == c.as_str())
        {
            content = content.union(n.footprint);
        } else if let Some(inner) = scene
            .groups
            .iter()
            .find(|s| design.groups()[s.index].id.as_str() == c.as_str())
        {
            content = content.union(inner.rect);
        }
    }
    (!content.is_empty()).then(|| {
        Pos::new(
            content.max.x + style::GROUP_PAD,
            content.max.y + style::GROUP_PAD,
        )
    })
}

/// The frame a drag of the corner to `pointer` gives the box drawn at `rect`.
pub fn resized(rect: Rect, pointer: Pos, floor: Option<Pos>, snap: bool) -> Frame {
    let corner = if snap {
        ops::snap_to_grid(pointer)
    } else {
        pointer
    };
    let floor = floor.unwrap_or(Pos::new(rect.min.x + 40.0, rect.min.y + 40.0));
    let max_x = corner.x.max(floor.x).max(rect.min.x + 40.0);
    let max_y = corner.y.max(floor.y).max(rect.min.y + 40.0);
    Frame::new(
        rect.min,
        ops::round_tenth(max_x - rect.min.x),
        ops::round_tenth(max_y - rect.min.y),
    )
}

/// Draws the handle of the one selected group and resizes it when dragged.
pub fn show(
    ui: &egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
) {
    let [ElementRef::Group(id)] = state.selection.iter().collect::<Vec<_>>()[..] else {
        return;
    };
    let Some(shape) = scene
        .groups
        .iter()
        .find(|g| design.groups()[g.index].id == *id)
    else {
        return;
    };
    let corner = state
        .camera
        .canvas_to_screen(view, Pos::new(shape.rect.max.x, shape.rect.max.y));
    let handle = egui::Rect::from_center_size(corner, egui::vec2(10.0, 10.0));
    let resp = ui.interact(
        handle.expand(3.0),
        Id::unique(("resize", id.as_str())),
        Sense::drag(),
    );
    let label = format!("Resize {}", shape.caption);
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let painter = ui.painter_at(view);
    painter.rect_filled(handle, 1.0, egui::Color32::WHITE);
    painter.rect_stroke(
        handle,
        1.0,
        Stroke::new(1.5, rgb(style::SELECT_COLOR)),
        egui::StrokeKind::Inside,
    );
    if resp.hovered() || resp.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeNwSe);
    }
    let key = format!("resize-{id}");
    if resp.drag_started() {
        edits.seal();
    }
    if resp.dragged()
        && let Some(p) = resp.interact_pointer_pos()
    {
        let pointer = state.camera.screen_to_canvas(view, p);
        let snap = !state.snap_off && !ui.input(|i| i.modifiers.alt);
        let frame = resized(
            shape.rect,
            pointer,
            content_corner(design, scene, shape.index),
            snap,
        );
        edits.push_merged(
            EditCommand::SetGroupFrame {
                id: id.clone(),
                frame: Some(frame),
            },
            &key,
        );
    }
    if resp.drag_stopped() {
        edits.seal();
    }
}

#[cfg(test)]
mod tests {
    use super::resized;
    use crate::model::{Pos, Rect};

    #[test]
    fn a_box_grows_to_the_pointer_on_the_grid_and_never_below_its_contents() {
        let rect = Rect::from_min_max(Pos::new(0.0, 0.0), Pos::new(300.0, 200.0));
        let grown = resized(
            rect,
            Pos::new(503.0, 297.0),
            Some(Pos::new(250.0, 150.0)),
            true,
        );
        assert_eq!((grown.width, grown.height), (500.0, 300.0));
        let free = resized(rect, Pos::new(503.0, 297.0), None, false);
        assert_eq!((free.width, free.height), (503.0, 297.0));
        let shrunk = resized(
            rect,
            Pos::new(10.0, 10.0),
            Some(Pos::new(250.0, 150.0)),
            true,
        );
        assert_eq!((shrunk.width, shrunk.height), (250.0, 150.0));
        assert_eq!((shrunk.x, shrunk.y), (0.0, 0.0));
    }
}
