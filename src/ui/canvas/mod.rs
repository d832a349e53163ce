//! The canvas: paints the scene through the camera and turns pointer gestures into edits.
//! It reads `&Design` and returns commands; it never changes the model itself.

use std::collections::{BTreeSet, HashSet};

use egui::{Align2, Color32, FontId, Id, PointerButton, Sense, Stroke, StrokeKind, Vec2};

mod gestures;
mod guides;
mod hit;
pub mod label_edit;
mod minimap;
mod paint;
mod resize;

use super::camera::Camera;
use super::edits::Edits;
use super::findings::FindingsView;
use super::payload::PaletteDrop;
use super::theme::{paint_tile, rgb};
use crate::edit::ops;
use crate::model::{Design, EdgeId, ElementRef, Pos, Rect};
use crate::scene::{Scene, style};
use gestures::{Gesture, Pointer};
pub use hit::{Carried, group_at, node_at};
use hit::{hit_edge, hit_segment};
use paint::{paint_badges, paint_edge, paint_grid, paint_group};

/// View state of the canvas: camera, selection and the gesture under way.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    pub selection: BTreeSet<ElementRef>,
    gesture: Option<Gesture>,
    hovered_node: Option<crate::model::NodeId>,
    /// Set when a design is opened: the next frame fits it to the view.
    pub fit_requested: bool,
    /// Moves go where the pointer goes instead of landing on the grid (View > Snap to grid).
    pub snap_off: bool,
    /// The canvas area of the last frame, for actions that need it (zoom to fit).
    pub last_view: Option<egui::Rect>,
    drag_counter: u64,
    /// Something on the canvas was right-clicked this frame: the context menu opens.
    pub context_requested: bool,
    /// A label being edited in place (double-click).
    pub label_edit: Option<label_edit::LabelEdit>,
    /// The canvas is drawn on a dark page (View > Theme, or the system's dark mode).
    pub dark: bool,
    /// View > Minimap: the whole design in a corner while it is larger than the view.
    pub minimap: bool,
}

impl CanvasState {
    /// Whether a drag, a connection or a box selection is under way: the scene waits for it
    /// to end before settling routes.
    pub fn gesture_under_way(&self) -> bool {
        self.gesture.is_some()
    }

    /// Whether an element is selected.
    pub fn is_selected(&self, e: &ElementRef) -> bool {
        self.selection.contains(e)
    }

    /// Selects exactly these elements.
    pub fn select_only(&mut self, e: ElementRef) {
        self.selection.clear();
        self.selection.insert(e);
    }

    /// Drops selected elements that no longer exist (after undo, delete, open).
    /// Runs after every frame's edits, so it looks ids up in sets built once, not per element.
    pub fn prune_selection(&mut self, design: &Design) {
        if self.selection.is_empty() {
            return;
        }
        let nodes: HashSet<&str> = design.nodes().iter().map(|n| n.id.as_str()).collect();
        let groups: HashSet<&str> = design.groups().iter().map(|g| g.id.as_str()).collect();
        let edges: HashSet<EdgeId> = design.edges().iter().map(|e| e.id).collect();
        self.selection.retain(|e| match e {
            ElementRef::Node(id) => nodes.contains(id.as_str()),
            ElementRef::Group(id) => groups.contains(id.as_str()),
            ElementRef::Edge(id) => edges.contains(id),
        });
    }

    /// Ids of the selected nodes and groups, in design order.
    pub fn selected_ids(&self, design: &Design) -> Vec<crate::model::ElementId> {
        design.ids_among(&self.selection)
    }

    /// Centre of the view in canvas units, where keyboard-added nodes go.
    pub fn view_center(&self) -> Pos {
        match self.last_view {
            Some(view) => self.camera.screen_to_canvas(view, view.center()),
            None => Pos::new(0.0, 0.0),
        }
    }
}

impl CanvasState {
    /// Brings elements into view (zooming out if they do not fit) without changing the zoom
    /// otherwise.
    pub fn focus_on(&mut self, design: &Design, scene: &Scene, elements: &[ElementRef]) {
        let mut bounds = Rect::NOTHING;
        for e in elements {
            let r = match e {
                ElementRef::Node(id) => scene
                    .nodes
                    .iter()
                    .find(|n| design.nodes()[n.index].id == *id)
                    .map(|n| n.footprint),
                ElementRef::Group(id) => scene
                    .groups
                    .iter()
                    .find(|g| design.groups()[g.index].id == *id)
                    .map(|g| g.rect),
                ElementRef::Edge(id) => {
                    scene.edges.iter().find(|x| x.id == *id).map(|x| x.bounds())
                }
            };
            if let Some(r) = r {
                bounds = bounds.union(r);
            }
        }
        let Some(view) = self.last_view else { return };
        if bounds.is_empty()
            || self
                .camera
                .visible(view)
                .expand(-20.0 / self.camera.zoom)
                .contains_rect(&bounds)
        {
            // Nothing to reveal: the elements are already in view.
            return;
        }
        let needed = ((view.width() - 80.0) / bounds.width().max(1.0))
            .min((view.height() - 80.0) / bounds.height().max(1.0));
        if needed < self.camera.zoom {
            self.camera.zoom = needed.max(super::camera::MIN_ZOOM);
        }
        let c = bounds.center();
        self.camera.pan = view.size() / 2.0 - egui::vec2(c.x, c.y) * self.camera.zoom;
    }
}

/// Draws the canvas and handles its gestures.
pub fn show(
    ui: &mut egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    findings: &FindingsView,
    edits: &mut Edits,
) -> egui::Response {
    let (view, background) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let view = view.intersect(ui.clip_rect());
    state.last_view = Some(view);
    if state.fit_requested {
        state.camera.fit(view, scene.bounds);
        state.fit_requested = false;
    }
    let painter = ui.painter_at(view);
    let page = style::Page::of(state.dark);
    painter.rect_filled(view, 0.0, rgb(page.background));
    handle_pan_and_zoom(ui, view, state);
    let cam = state.camera;
    let visible = cam.visible(view);
    paint_grid(&painter, view, &cam, &page);

    // Groups, outer first.
    for g in scene.groups.iter().filter(|g| g.rect.intersects(&visible)) {
        let selected = state.is_selected(&ElementRef::Group(design.groups()[g.index].id.clone()));
        paint_group(ui, &painter, &cam, view, g, selected, &page);
    }
    // Level of detail: with services a couple of pixels wide, connections are a grey haze
    // that costs more to draw than everything else; they come back as soon as one can see
    // where they go.
    let tile_px = style::TILE * cam.zoom;
    // Edges.
    for e in scene.edges.iter().filter(|_| tile_px >= 2.0) {
        if !e.bounds().expand(40.0).intersects(&visible) {
            continue;
        }
        let selected = state.is_selected(&ElementRef::Edge(e.id));
        paint_edge(&painter, &cam, view, e, selected, &page);
    }
    // Nodes: small ones are plain squares in one mesh (no glyph, no rounding to tessellate).
    let label_px = style::LABEL_SIZE * cam.zoom;
    let mut squares = egui::Mesh::default();
    for n in scene
        .nodes
        .iter()
        .filter(|n| n.footprint.intersects(&visible))
    {
        let tile = cam.rect_to_screen(view, n.tile);
        if n.note {
            // A note is its text alone.
        } else if tile_px < 12.0 {
            squares.add_colored_rect(
                tile.expand((1.0 - tile.width()).max(0.0) / 2.0),
                rgb(n.color),
            );
        } else {
            paint_tile(ui, tile, n.icon, rgb(n.color), n.known);
        }
        if label_px >= 5.0 {
            let font = FontId::proportional((label_px * 2.0).round() / 2.0);
            let top = cam.canvas_to_screen(view, Pos::new(0.0, n.text_top())).y;
            for (i, line) in n.lines.iter().enumerate() {
                painter.text(
                    egui::pos2(
                        tile.center().x,
                        top + i as f32 * style::LABEL_LINE * cam.zoom,
                    ),
                    Align2::CENTER_TOP,
                    line,
                    font.clone(),
                    rgb(page.text),
                );
            }
        }
        if state.is_selected(&ElementRef::Node(design.nodes()[n.index].id.clone())) {
            painter.rect_stroke(
                tile.expand(3.0),
                4.0,
                Stroke::new(2.0, rgb(style::SELECT_COLOR)),
                StrokeKind::Outside,
            );
        }
    }

    painter.add(egui::Shape::mesh(squares));
    paint_badges(ui, design, scene, &cam, view, findings);
    interact(ui, design, scene, state, edits, view, &background);
    resize::show(ui, design, scene, state, edits, view);
    label_edit::show(ui, design, scene, state, edits, view);
    minimap::show(ui, scene, state, view);
    if background.secondary_clicked() {
        select_for_context_menu(design, scene, state, view, &background);
    }

    if design.nodes().is_empty() && design.groups().is_empty() {
        painter.text(
            view.center(),
            Align2::CENTER_CENTER,
            "Drag a service from the palette onto the canvas (or search it and press Enter)",
            FontId::proportional(15.0),
            Color32::from_gray(120),
        );
    }
    background
}

/// A right-click acts on what is under the pointer, as in draw.io: an element outside the
/// selection becomes the selection, a right-click on empty canvas clears it.
fn select_for_context_menu(
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    view: egui::Rect,
    background: &egui::Response,
) {
    let Some(p) = background.interact_pointer_pos() else {
        return;
    };
    let at = state.camera.screen_to_canvas(view, p);
    let hit = node_at(design, scene, at)
        .map(ElementRef::Node)
        .or_else(|| {
            hit_edge(scene, at, 6.0 / state.camera.zoom)
                .map(|i| ElementRef::Edge(scene.edges[i].id))
        })
        .or_else(|| group_at(design, scene, at, &Carried::nothing()).map(ElementRef::Group));
    match hit {
        Some(e) if state.selection.contains(&e) => {}
        Some(e) => state.selection = [e].into(),
        None => state.selection.clear(),
    }
    state.context_requested = true;
}

/// The smallest service, in screen points, that gets a click target of its own.
const SMALLEST_TARGET: f32 = 6.0;

fn handle_pan_and_zoom(ui: &egui::Ui, view: egui::Rect, state: &mut CanvasState) {
    let (hover, scroll, zoom, delta, pan_button, space) = ui.input(|i| {
        (
            i.pointer.hover_pos(),
            i.smooth_scroll_delta,
            i.zoom_delta(),
            i.pointer.delta(),
            i.pointer.middle_down() || i.pointer.secondary_down(),
            i.key_down(egui::Key::Space),
        )
    });
    // Only when the canvas is what the pointer is over: a window on top (the template
    // gallery, the export dialog) keeps its scrolling to itself.
    let Some(pointer) = hover
        .filter(|p| view.contains(*p))
        .filter(|p| ui.ctx().layer_id_at(*p) == Some(ui.layer_id()))
    else {
        return;
    };
    if zoom != 1.0 {
        state.camera.zoom_around(view, pointer, zoom);
    } else if scroll != Vec2::ZERO {
        state.camera.pan += scroll;
    }
    let space_drag =
        space && ui.input(|i| i.pointer.primary_down()) && !ui.memory(|m| m.focused().is_some());
    if pan_button || space_drag {
        state.camera.pan += delta;
    }
}

fn pointer_canvas(ui: &egui::Ui, view: egui::Rect, cam: &Camera) -> Option<Pos> {
    ui.input(|i| i.pointer.interact_pos())
        .map(|p| cam.screen_to_canvas(view, p))
}

#[allow(clippy::too_many_arguments)]
fn interact(
    ui: &mut egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
    background: &egui::Response,
) {
    let cam = state.camera;
    let visible = cam.visible(view);
    let modifiers = ui.input(|i| i.modifiers);
    let toggle = modifiers.shift || modifiers.command;
    let space = ui.input(|i| i.key_down(egui::Key::Space));
    // Zoomed far out, services are a few pixels: no target per element (ten thousand of them
    // would cost more than the drawing); a click on the canvas finds what it hit instead.
    let detailed = style::TILE * cam.zoom >= SMALLEST_TARGET;

    // Group captions: click selects, drag moves the group with its contents.
    for g in scene
        .groups
        .iter()
        .filter(|g| detailed && g.rect.intersects(&visible))
    {
        let id = &design.groups()[g.index].id;
        let header = Rect::from_min_max(
            g.rect.min,
            Pos::new(g.rect.max.x, g.rect.min.y + style::GROUP_HEADER * 0.8),
        );
        let area = cam.rect_to_screen(view, header).intersect(view);
        let resp = element_area(ui, area, ("group", id), &g.caption)
            .on_hover_cursor(egui::CursorIcon::Grab);
        element_gesture(
            ui,
            design,
            scene,
            state,
            edits,
            view,
            &resp,
            ElementRef::Group(id.clone()),
            toggle,
            space,
        );
    }

    // Nodes.
    let mut hovered = None;
    for n in scene
        .nodes
        .iter()
        .filter(|n| detailed && n.footprint.intersects(&visible))
    {
        let id = &design.nodes()[n.index].id;
        // The caption is part of the node: clicking it selects, dragging it moves.
        let rect = cam.rect_to_screen(view, n.footprint).intersect(view);
        let resp = element_area(ui, rect, ("node", id), &n.label);
        if resp.hovered() {
            hovered = Some(id.clone());
        }
        element_gesture(
            ui,
            design,
            scene,
            state,
            edits,
            view,
            &resp,
            ElementRef::Node(id.clone()),
            toggle,
            space,
        );
    }

    // Connection handle on the hovered node (kept while the pointer is on the handle).
    if let Some(id) = state
        .hovered_node
        .clone()
        .filter(|id| design.node(id).is_some())
        && let Some(n) = scene
            .nodes
            .iter()
            .find(|n| design.nodes()[n.index].id == id)
    {
        let tile = cam.rect_to_screen(view, n.tile);
        let center = egui::pos2(tile.max.x + 9.0, tile.center().y);
        let resp = ui.interact(
            egui::Rect::from_center_size(center, egui::vec2(16.0, 16.0)),
            Id::unique(("handle", &id)),
            Sense::drag(),
        );
        let label = format!("Connect from {}", n.label);
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let painter = ui.painter_at(view);
        painter.circle(
            center,
            6.0,
            rgb(style::SELECT_COLOR),
            Stroke::new(1.5, Color32::WHITE),
        );
        if resp.hovered() {
            hovered = Some(id.clone());
            painter.circle_stroke(center, 8.0, Stroke::new(1.0, rgb(style::SELECT_COLOR)));
        }
        if resp.drag_started() {
            state.gesture = Some(Gesture::Connect { from: id.clone() });
        }
    }
    if let Some(Gesture::Connect { from }) = &state.gesture {
        hovered = Some(from.clone());
    }
    state.hovered_node = hovered;

    // Double-click on a connection edits its label.
    if background.double_clicked()
        && let Some(p) = pointer_canvas(ui, view, &cam)
        && let Some(i) = hit_edge(scene, p, 6.0 / cam.zoom)
    {
        let edge = ElementRef::Edge(design.edges()[i].id);
        state.select_only(edge.clone());
        state.label_edit = label_edit::LabelEdit::start(design, edge);
    }
    // Background: click selects an edge or a group, or clears; drag draws a selection box.
    if background.clicked()
        && !space
        && let Some(p) = pointer_canvas(ui, view, &cam)
    {
        let hit = node_at(design, scene, p)
            .map(ElementRef::Node)
            .or_else(|| {
                hit_edge(scene, p, 6.0 / cam.zoom).map(|i| ElementRef::Edge(design.edges()[i].id))
            })
            .or_else(|| group_at(design, scene, p, &Carried::nothing()).map(ElementRef::Group));
        gestures::click(&mut state.selection, hit, toggle);
    }
    if background.drag_started_by(PointerButton::Primary)
        && !space
        && let Some(p) = ui.input(|i| i.pointer.press_origin())
    {
        let at = cam.screen_to_canvas(view, p);
        if let Some((index, k)) = hit_segment(scene, at, 6.0 / cam.zoom)
            && let Some(ends) = hit::end_boxes(design, scene, index)
        {
            let edge = design.edges()[index].id;
            state.select_only(ElementRef::Edge(edge));
            state.drag_counter += 1;
            let base = scene
                .edges
                .iter()
                .find(|e| e.index == index)
                .map(|e| e.points.clone())
                .unwrap_or_default();
            state.gesture = Some(Gesture::Segment {
                edge,
                k,
                base,
                ends,
                start: at,
                key: format!("segment-{}", state.drag_counter),
            });
            edits.seal();
        } else {
            state.gesture = Some(Gesture::BoxSelect {
                start: at,
                additive: toggle,
            });
        }
    }

    advance_gesture(ui, design, scene, state, edits, view);
    palette_drop(ui, design, scene, state, edits, view);
}

/// A node's or a group's area on screen: clickable, draggable, and named for screen readers
/// (and the UI tests) by its label.
fn element_area(
    ui: &egui::Ui,
    rect: egui::Rect,
    salt: impl std::hash::Hash + std::fmt::Debug,
    label: &str,
) -> egui::Response {
    let resp = ui.interact(rect, Id::unique(salt), Sense::click_and_drag());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    resp
}

#[allow(clippy::too_many_arguments)]
fn element_gesture(
    ui: &egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
    resp: &egui::Response,
    element: ElementRef,
    toggle: bool,
    space: bool,
) {
    if space {
        return;
    }
    if resp.clicked() {
        gestures::click(&mut state.selection, Some(element.clone()), toggle);
    }
    if resp.double_clicked() {
        state.label_edit = label_edit::LabelEdit::start(design, element.clone());
        return;
    }
    if resp.secondary_clicked() {
        // A right-click acts on what is under the pointer, as in draw.io.
        if !state.selection.contains(&element) {
            state.select_only(element.clone());
        }
        state.context_requested = true;
    }
    if resp.drag_started_by(PointerButton::Primary) {
        let start = ui
            .input(|i| i.pointer.press_origin())
            .map(|p| state.camera.screen_to_canvas(view, p))
            .unwrap_or_default();
        state.drag_counter += 1;
        state.gesture = Some(Gesture::start_move(
            design,
            scene,
            &mut state.selection,
            element,
            toggle,
            start,
            format!("drag-{}", state.drag_counter),
        ));
        edits.seal();
    }
}

/// Runs the gesture under way one frame on and paints what it shows.
fn advance_gesture(
    ui: &egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
) {
    let Some(gesture) = &state.gesture else {
        return;
    };
    let cam = state.camera;
    let pointer = ui.input(|i| Pointer {
        at: i
            .pointer
            .interact_pos()
            .map(|p| cam.screen_to_canvas(view, p)),
        down: i.pointer.primary_down(),
        released: i.pointer.primary_released(),
        snap: !state.snap_off && !i.modifiers.alt,
    });
    match gesture.update(pointer, design, scene, &mut state.selection, edits) {
        Some(feedback) => paint::feedback(&ui.painter_at(view), &cam, view, &feedback),
        None => state.gesture = None,
    }
}

fn palette_drop(
    ui: &egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
) {
    let (pointer, released) = ui.input(|i| (i.pointer.interact_pos(), i.pointer.any_released()));
    let Some(p) = pointer.filter(|p| view.contains(*p)) else {
        return;
    };
    if !released || !egui::DragAndDrop::has_payload_of_type::<PaletteDrop>(ui.ctx()) {
        return;
    }
    let Some(payload) = egui::DragAndDrop::take_payload::<PaletteDrop>(ui.ctx()) else {
        return;
    };
    let at = state.camera.screen_to_canvas(view, p);
    let parent = group_at(design, scene, at, &Carried::nothing());
    let (cmd, element) = match &*payload {
        PaletteDrop::Service(service) => {
            let (cmd, id) = ops::add_node(design, service, ops::snap_to_grid(at), parent.as_ref());
            (cmd, ElementRef::Node(id))
        }
        PaletteDrop::Group(kind) => {
            let (cmd, id) =
                ops::add_empty_group(design, *kind, ops::snap_to_grid(at), parent.as_ref());
            (cmd, ElementRef::Group(id))
        }
    };
    edits.push(cmd);
    edits.select = Some(BTreeSet::from([element]));
}
