//! Editing a label in place, as in draw.io: double-click a service, a box or a connection, type,
//! Enter (or click elsewhere) commits as one undoable Rename, Escape leaves it as it was.

use egui::{Id, Key};

use super::super::edits::Edits;
use super::CanvasState;
use crate::edit::{EditCommand, Field, Target};
use crate::model::{Design, ElementRef};
use crate::scene::Scene;

/// A label being edited on the canvas.
#[derive(Clone, Debug)]
pub struct LabelEdit {
    pub element: ElementRef,
    pub text: String,
    original: String,
    /// The field has had focus (it takes it on the first frame).
    focused: bool,
}

impl LabelEdit {
    /// Starts editing `element`'s label, or `None` if it no longer exists.
    pub fn start(design: &Design, element: ElementRef) -> Option<Self> {
        let label = match &element {
            ElementRef::Node(id) => design.node(id)?.label.clone(),
            ElementRef::Group(id) => design.groups().iter().find(|g| &g.id == id)?.label.clone(),
            ElementRef::Edge(id) => design.edges().iter().find(|e| e.id == *id)?.label.clone(),
        };
        Some(LabelEdit {
            element,
            text: label.clone(),
            original: label,
            focused: false,
        })
    }

    /// The edit that commits the typed text, if it changed anything.
    pub fn command(&self) -> Option<EditCommand> {
        if self.text == self.original {
            return None;
        }
        let target = match &self.element {
            ElementRef::Node(id) => Target::Node(id.clone()),
            ElementRef::Group(id) => Target::Group(id.clone()),
            ElementRef::Edge(id) => Target::Edge(*id),
        };
        Some(EditCommand::SetField {
            target,
            field: Field::Label,
            value: Some(self.text.trim().to_string()),
        })
    }
}

/// Where the field goes on screen: over the label it edits.
fn anchor(
    design: &Design,
    scene: &Scene,
    state: &CanvasState,
    view: egui::Rect,
    e: &ElementRef,
) -> Option<egui::Rect> {
    let cam = &state.camera;
    let rect = match e {
        ElementRef::Node(id) => {
            let n = scene
                .nodes
                .iter()
                .find(|n| &design.nodes()[n.index].id == id)?;
            let tile = cam.rect_to_screen(view, n.tile);
            egui::Rect::from_center_size(
                egui::pos2(tile.center().x, tile.max.y + 14.0),
                egui::vec2(170.0, 24.0),
            )
        }
        ElementRef::Group(id) => {
            let g = scene
                .groups
                .iter()
                .find(|g| &design.groups()[g.index].id == id)?;
            let caption = cam.rect_to_screen(view, g.caption_rect);
            egui::Rect::from_min_size(caption.min, egui::vec2(caption.width().max(170.0), 24.0))
        }
        ElementRef::Edge(id) => {
            let edge = scene.edges.iter().find(|x| x.id == *id)?;
            let mid = cam.canvas_to_screen(view, edge.midpoint());
            egui::Rect::from_center_size(mid, egui::vec2(170.0, 24.0))
        }
    };
    Some(rect)
}

/// Draws the field while a label is being edited, and commits or cancels it.
pub fn show(
    ui: &egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
) {
    let Some(edit) = state.label_edit.as_ref() else {
        return;
    };
    let Some(rect) = anchor(design, scene, state, view, &edit.element) else {
        state.label_edit = None;
        return;
    };
    let Some(mut edit) = state.label_edit.take() else {
        return;
    };
    let (escape, enter) = ui.input(|i| (i.key_pressed(Key::Escape), i.key_pressed(Key::Enter)));
    let mut done = false;
    egui::Area::new(Id::unique("label-edit"))
        .order(egui::Order::Foreground)
        .fixed_pos(rect.min)
        .show(ui.ctx(), |ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut edit.text)
                    .desired_width(rect.width())
                    .align(egui::Align2::CENTER_CENTER)
                    .hint_text("label"),
            );
            if !edit.focused {
                field.request_focus();
                edit.focused = true;
            } else if field.lost_focus() {
                done = true;
            }
        });
    if done || escape || enter {
        if !escape && let Some(command) = edit.command() {
            edits.push(command);
        }
        return;
    }
    state.label_edit = Some(edit);
}
