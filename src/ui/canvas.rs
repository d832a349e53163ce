//! The canvas: paints the scene through the camera and turns pointer gestures into edits.
//! It reads `&Design` and returns commands; it never changes the model itself.

use std::collections::BTreeSet;

use egui::{
    Align2, Color32, FontId, Id, PointerButton, Pos2, Sense, Shape, Stroke, StrokeKind, Vec2,
};

use super::camera::Camera;
use super::edits::Edits;
use super::findings::FindingsView;
use super::palette::PaletteDrop;
use super::theme::{paint_tile, rgb, rgba};
use crate::edit::ops;
use crate::model::{Design, EdgeId, ElementRef, Pos, Rect};
use crate::scene::{Scene, style};

/// View state of the canvas: camera, selection and the gesture under way.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    pub selection: BTreeSet<ElementRef>,
    gesture: Option<Gesture>,
    hovered_node: Option<String>,
    /// Set when a design is opened: the next frame fits it to the view.
    pub fit_requested: bool,
    /// The canvas area of the last frame, for actions that need it (zoom to fit).
    pub last_view: Option<egui::Rect>,
    drag_counter: u64,
}

enum Gesture {
    /// Moving the selection; `base` is the design when the drag began, so every frame
    /// writes absolute positions and the whole drag merges into one undo step.
    Move {
        base: Box<Design>,
        /// The layout when the drag began: a group box follows its members while they move,
        /// so dropping into or out of a group is judged against the boxes as they were.
        base_scene: Box<Scene>,
        start: Pos,
        key: String,
    },
    Connect {
        from: String,
    },
    /// Dragging one inner segment of a right-angled edge sideways; the route's bends are
    /// stored on the edge.
    Segment {
        edge: EdgeId,
        /// Which segment: from `base[k]` to `base[k + 1]`.
        k: usize,
        base: Vec<Pos>,
        start: Pos,
        key: String,
    },
    BoxSelect {
        start: Pos2,
        additive: bool,
    },
}

impl CanvasState {
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
    pub fn prune_selection(&mut self, design: &Design) {
        self.selection.retain(|e| match e {
            ElementRef::Node(id) => design.node(id).is_some(),
            ElementRef::Group(id) => design.group(id).is_some(),
            ElementRef::Edge(id) => design.edge(*id).is_some(),
        });
    }

    /// Ids of the selected nodes and groups, in design order.
    pub fn selected_ids(&self, design: &Design) -> Vec<String> {
        let nodes = design
            .nodes
            .iter()
            .map(|n| &n.id)
            .filter(|id| self.is_selected(&ElementRef::Node((*id).clone())));
        let groups = design
            .groups
            .iter()
            .map(|g| &g.id)
            .filter(|id| self.is_selected(&ElementRef::Group((*id).clone())));
        nodes.chain(groups).cloned().collect()
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
                    .find(|n| design.nodes[n.index].id == *id)
                    .map(|n| n.footprint),
                ElementRef::Group(id) => scene
                    .groups
                    .iter()
                    .find(|g| design.groups[g.index].id == *id)
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

/// Paints a dot on every element with findings (red error, amber warning, blue info); hovering
/// it lists them.
fn paint_badges(
    ui: &mut egui::Ui,
    design: &Design,
    scene: &Scene,
    cam: &Camera,
    view: egui::Rect,
    findings: &FindingsView,
) {
    if !findings.has_badges() {
        return;
    }
    let visible = cam.visible(view);
    let mut spots: Vec<(ElementRef, Pos)> = Vec::new();
    for n in scene
        .nodes
        .iter()
        .filter(|n| n.footprint.intersects(&visible))
    {
        spots.push((
            ElementRef::Node(design.nodes[n.index].id.clone()),
            Pos::new(n.tile.max.x, n.tile.min.y),
        ));
    }
    for g in scene.groups.iter().filter(|g| g.rect.intersects(&visible)) {
        spots.push((
            ElementRef::Group(design.groups[g.index].id.clone()),
            Pos::new(g.rect.max.x - 4.0, g.rect.min.y + 4.0),
        ));
    }
    for e in &scene.edges {
        let mid = e.midpoint();
        if visible.contains(mid) {
            spots.push((ElementRef::Edge(e.id), mid.offset(8.0, -8.0)));
        }
    }
    let radius = (6.0 * cam.zoom.sqrt()).clamp(4.0, 9.0);
    let painter = ui.painter_at(view);
    for (element, at) in spots {
        let list = findings.on(&element);
        let Some(worst) = list.first() else { continue };
        let center = cam.canvas_to_screen(view, at);
        painter.circle(
            center,
            radius,
            rgb(worst.severity.color()),
            Stroke::new(1.5, Color32::WHITE),
        );
        if list.len() > 1 && radius >= 6.0 {
            painter.text(
                center,
                Align2::CENTER_CENTER,
                list.len().to_string(),
                FontId::proportional(radius * 1.3),
                Color32::WHITE,
            );
        }
        let rect = egui::Rect::from_center_size(
            center,
            egui::vec2(radius * 2.0 + 4.0, radius * 2.0 + 4.0),
        );
        let resp = ui.interact(rect, Id::unique(("badge", &element)), Sense::hover());
        let lines: Vec<String> = list
            .iter()
            .map(|f| format!("{} {}: {}", f.severity.name(), f.rule, f.message))
            .collect();
        resp.on_hover_ui(|ui| {
            for l in &lines {
                ui.label(l);
            }
        });
    }
}

/// The innermost group whose box contains `p`, skipping `excluded` and anything inside it.
pub fn group_at(design: &Design, scene: &Scene, p: Pos, excluded: &[String]) -> Option<String> {
    scene
        .groups
        .iter()
        .rev()
        .filter(|g| g.rect.contains(p))
        .map(|g| &design.groups[g.index].id)
        .find(|id| !excluded.iter().any(|x| design.is_within(id, x)))
        .cloned()
}

/// The node whose tile contains `p`, topmost first.
pub fn node_at(design: &Design, scene: &Scene, p: Pos) -> Option<String> {
    scene
        .nodes
        .iter()
        .rev()
        .find(|n| n.tile.expand(2.0).contains(p))
        .map(|n| design.nodes[n.index].id.clone())
}

/// Draws the canvas and handles its gestures.
pub fn show(
    ui: &mut egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    findings: &FindingsView,
    edits: &mut Edits,
) {
    let (view, background) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let view = view.intersect(ui.clip_rect());
    state.last_view = Some(view);
    if state.fit_requested {
        state.camera.fit(view, scene.bounds);
        state.fit_requested = false;
    }
    let painter = ui.painter_at(view);
    painter.rect_filled(view, 0.0, Color32::WHITE);
    handle_pan_and_zoom(ui, view, state);
    let cam = state.camera;
    let visible = cam.visible(view);
    paint_grid(&painter, view, &cam);

    // Groups, outer first.
    for g in scene.groups.iter().filter(|g| g.rect.intersects(&visible)) {
        let selected = state.is_selected(&ElementRef::Group(design.groups[g.index].id.clone()));
        paint_group(&painter, &cam, view, g, selected);
    }
    // Edges.
    for e in &scene.edges {
        if !e.bounds().expand(40.0).intersects(&visible) {
            continue;
        }
        let selected = state.is_selected(&ElementRef::Edge(e.id));
        paint_edge(&painter, &cam, view, e, selected);
    }
    // Nodes.
    let label_px = style::LABEL_SIZE * cam.zoom;
    for n in scene
        .nodes
        .iter()
        .filter(|n| n.footprint.intersects(&visible))
    {
        let tile = cam.rect_to_screen(view, n.tile);
        paint_tile(ui, tile, n.icon, rgb(n.color), n.known);
        if label_px >= 5.0 {
            let font = FontId::proportional((label_px * 2.0).round() / 2.0);
            let top = tile.max.y + style::LABEL_GAP * cam.zoom;
            for (i, line) in n.lines.iter().enumerate() {
                painter.text(
                    egui::pos2(
                        tile.center().x,
                        top + i as f32 * style::LABEL_LINE * cam.zoom,
                    ),
                    Align2::CENTER_TOP,
                    line,
                    font.clone(),
                    rgb(style::TEXT_COLOR),
                );
            }
        }
        if state.is_selected(&ElementRef::Node(design.nodes[n.index].id.clone())) {
            painter.rect_stroke(
                tile.expand(3.0),
                4.0,
                Stroke::new(2.0, rgb(style::SELECT_COLOR)),
                StrokeKind::Outside,
            );
        }
    }

    paint_badges(ui, design, scene, &cam, view, findings);
    interact(ui, design, scene, state, edits, view, &background);

    if design.nodes.is_empty() && design.groups.is_empty() {
        painter.text(
            view.center(),
            Align2::CENTER_CENTER,
            "Drag a service from the palette onto the canvas (or search it and press Enter)",
            FontId::proportional(15.0),
            Color32::from_gray(120),
        );
    }
}

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
    let Some(pointer) = hover.filter(|p| view.contains(*p)) else {
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

fn paint_grid(painter: &egui::Painter, view: egui::Rect, cam: &Camera) {
    let mut step = 20.0;
    while step * cam.zoom < 12.0 {
        step *= 5.0;
    }
    let visible = cam.visible(view);
    let color = Color32::from_gray(205);
    let r = (cam.zoom.sqrt()).clamp(0.6, 1.4);
    let mut x = (visible.min.x / step).floor() * step;
    let mut shapes = Vec::new();
    while x <= visible.max.x {
        let mut y = (visible.min.y / step).floor() * step;
        while y <= visible.max.y {
            shapes.push(Shape::circle_filled(
                cam.canvas_to_screen(view, Pos::new(x, y)),
                r,
                color,
            ));
            y += step;
        }
        x += step;
    }
    painter.extend(shapes);
}

fn dashed_rect(painter: &egui::Painter, rect: egui::Rect, stroke: Stroke, zoom: f32) {
    let pts = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    painter.extend(super::clip::dashed_within(
        &pts,
        stroke,
        8.0 * zoom.max(0.3),
        5.0 * zoom.max(0.3),
        painter.clip_rect().expand(8.0),
    ));
}

fn paint_group(
    painter: &egui::Painter,
    cam: &Camera,
    view: egui::Rect,
    g: &crate::scene::GroupShape,
    selected: bool,
) {
    let s = style::group_style(g.kind);
    let rect = cam.rect_to_screen(view, g.rect);
    if let Some(fill) = s.fill {
        painter.rect_filled(rect, 0.0, rgba(fill));
    }
    let stroke = Stroke::new(
        if selected { 2.5 } else { 1.5 },
        if selected {
            rgb(style::SELECT_COLOR)
        } else {
            rgb(s.stroke)
        },
    );
    if s.dashed && !selected {
        dashed_rect(painter, rect, stroke, cam.zoom);
    } else {
        painter.rect_stroke(rect, 0.0, stroke, StrokeKind::Inside);
    }
    // AWS groups carry a small badge in the top-left corner and the caption beside it.
    let badge = 20.0 * cam.zoom;
    painter.rect_filled(
        egui::Rect::from_min_size(rect.min, egui::vec2(badge, badge)),
        0.0,
        rgb(s.stroke),
    );
    let size = style::CAPTION_SIZE * cam.zoom;
    if size >= 5.0 {
        painter.text(
            rect.min + egui::vec2(badge + 6.0 * cam.zoom, badge / 2.0),
            Align2::LEFT_CENTER,
            &g.caption,
            FontId::proportional((size * 2.0).round() / 2.0),
            rgb(s.text),
        );
    }
}

fn paint_edge(
    painter: &egui::Painter,
    cam: &Camera,
    view: egui::Rect,
    e: &crate::scene::EdgeShape,
    selected: bool,
) {
    let color = if selected {
        rgb(style::SELECT_COLOR)
    } else {
        rgb(style::EDGE_COLOR)
    };
    let width = if selected { 2.5 } else { 1.5 } * cam.zoom.clamp(0.5, 2.0);
    let stroke = Stroke::new(width, color);
    // The head keeps a readable size on screen: 10 units, but 5 to 24 pixels.
    let head = (10.0 * cam.zoom).clamp(5.0, 24.0) / cam.zoom;
    let (line, corners) = e.drawn(head);
    let line: Vec<Pos2> = line
        .iter()
        .map(|p| cam.canvas_to_screen(view, *p))
        .collect();
    if e.dashed {
        painter.extend(super::clip::dashed_within(
            &line,
            stroke,
            6.0 * cam.zoom.max(0.4),
            4.0 * cam.zoom.max(0.4),
            painter.clip_rect().expand(8.0),
        ));
    } else {
        painter.add(Shape::line(line, stroke));
    }
    if let Some(corners) = corners {
        let points = corners
            .iter()
            .map(|p| cam.canvas_to_screen(view, *p))
            .collect();
        painter.add(Shape::convex_polygon(points, color, Stroke::NONE));
    }
    let size = style::CAPTION_SIZE * cam.zoom;
    if !e.label.is_empty() && size >= 5.0 {
        let mid = cam.canvas_to_screen(view, e.midpoint());
        let galley = painter.layout_no_wrap(
            e.label.clone(),
            FontId::proportional((size * 2.0).round() / 2.0),
            rgb(style::TEXT_COLOR),
        );
        let r = egui::Rect::from_center_size(mid, galley.size() + egui::vec2(6.0, 2.0));
        painter.rect_filled(r, 2.0, Color32::from_white_alpha(235));
        painter.galley(r.min + egui::vec2(3.0, 1.0), galley, Color32::BLACK);
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

    // Group captions: click selects, drag moves the group with its contents.
    for g in scene.groups.iter().filter(|g| g.rect.intersects(&visible)) {
        let id = &design.groups[g.index].id;
        let header = Rect::from_min_max(
            g.rect.min,
            Pos::new(g.rect.max.x, g.rect.min.y + style::GROUP_HEADER * 0.8),
        );
        let resp = ui
            .interact(
                cam.rect_to_screen(view, header).intersect(view),
                Id::unique(("group", id)),
                Sense::click_and_drag(),
            )
            .on_hover_cursor(egui::CursorIcon::Grab);
        let caption = g.caption.clone();
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &caption));
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
        .filter(|n| n.footprint.intersects(&visible))
    {
        let id = &design.nodes[n.index].id;
        let rect = cam.rect_to_screen(view, n.tile).intersect(view);
        let resp = ui.interact(rect, Id::unique(("node", id)), Sense::click_and_drag());
        let label = n.label.clone();
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
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
        && let Some(n) = scene.nodes.iter().find(|n| design.nodes[n.index].id == id)
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

    // Background: click selects an edge or a group, or clears; drag draws a selection box.
    if background.clicked()
        && !space
        && let Some(p) = pointer_canvas(ui, view, &cam)
    {
        let hit = hit_edge(scene, p, 6.0 / cam.zoom)
            .map(|i| ElementRef::Edge(design.edges[i].id))
            .or_else(|| group_at(design, scene, p, &[]).map(ElementRef::Group));
        match hit {
            Some(e) if toggle && !state.selection.remove(&e) => {
                state.selection.insert(e);
            }
            Some(e) => state.select_only(e),
            None if !toggle => state.selection.clear(),
            None => {}
        }
    }
    if background.drag_started_by(PointerButton::Primary)
        && !space
        && let Some(p) = ui.input(|i| i.pointer.press_origin())
    {
        let at = cam.screen_to_canvas(view, p);
        if let Some((index, k)) = hit_segment(scene, at, 6.0 / cam.zoom) {
            let edge = design.edges[index].id;
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
                start: at,
                key: format!("segment-{}", state.drag_counter),
            });
            edits.seal();
        } else {
            state.gesture = Some(Gesture::BoxSelect {
                start: p,
                additive: toggle,
            });
        }
    }

    finish_gestures(ui, design, scene, state, edits, view);
    palette_drop(ui, design, scene, state, edits, view);
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
        if toggle {
            if !state.selection.remove(&element) {
                state.selection.insert(element.clone());
            }
        } else {
            state.select_only(element.clone());
        }
    }
    if resp.drag_started_by(PointerButton::Primary) {
        if !state.is_selected(&element) {
            if !toggle {
                state.selection.clear();
            }
            state.selection.insert(element);
        }
        let start = ui
            .input(|i| i.pointer.press_origin())
            .map(|p| state.camera.screen_to_canvas(view, p))
            .unwrap_or_default();
        state.drag_counter += 1;
        state.gesture = Some(Gesture::Move {
            base: Box::new(design.clone()),
            base_scene: Box::new(scene.clone()),
            start,
            key: format!("drag-{}", state.drag_counter),
        });
        edits.seal();
    }
}

/// The inner segment of a right-angled route under the pointer (the first and last stay on
/// their ports, so they cannot be dragged).
fn hit_segment(scene: &Scene, p: Pos, tolerance: f32) -> Option<(usize, usize)> {
    scene
        .edges
        .iter()
        .filter(|e| e.style == crate::model::EdgeStyle::Orthogonal && !e.fallback)
        .flat_map(|e| {
            let n = e.points.len();
            (1..n.saturating_sub(2)).map(move |k| {
                let d = crate::model::geom::distance_to_segment(p, e.points[k], e.points[k + 1]);
                (e.index, k, d)
            })
        })
        .filter(|(_, _, d)| *d <= tolerance)
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(i, k, _)| (i, k))
}

/// A route with segment `k` moved sideways to follow the pointer.
fn moved_segment(base: &[Pos], k: usize, dx: f32, dy: f32) -> Vec<Pos> {
    let mut out = base.to_vec();
    let horizontal = (base[k].y - base[k + 1].y).abs() < 1e-3;
    for p in &mut out[k..=k + 1] {
        if horizontal {
            p.y = (p.y + dy).round();
        } else {
            p.x = (p.x + dx).round();
        }
    }
    out
}

fn hit_edge(scene: &Scene, p: Pos, tolerance: f32) -> Option<usize> {
    scene
        .edges
        .iter()
        .map(|e| (e.index, e.distance_to(p)))
        .filter(|(_, d)| *d <= tolerance)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

fn finish_gestures(
    ui: &egui::Ui,
    design: &Design,
    scene: &Scene,
    state: &mut CanvasState,
    edits: &mut Edits,
    view: egui::Rect,
) {
    let (pointer, down, released) = ui.input(|i| {
        (
            i.pointer.interact_pos(),
            i.pointer.primary_down(),
            i.pointer.primary_released(),
        )
    });
    let cam = state.camera;
    let painter = ui.painter_at(view);
    match &state.gesture {
        Some(Gesture::Move {
            base,
            base_scene,
            start,
            key,
        }) => {
            if let Some(p) = pointer {
                let now = cam.screen_to_canvas(view, p);
                let (dx, dy) = (now.x - start.x, now.y - start.y);
                let selection: Vec<ElementRef> = state.selection.iter().cloned().collect();
                if let Some(cmd) = ops::move_elements(base, &selection, dx, dy) {
                    edits.push_merged(cmd, key);
                }
                // Show which group the selection would land in.
                let moved_ids = state.selected_ids(design);
                if let Some(g) = group_at(base, base_scene, now, &moved_ids).and_then(|id| {
                    base_scene
                        .groups
                        .iter()
                        .find(|g| base.groups[g.index].id == id)
                }) {
                    let r = cam.rect_to_screen(view, g.rect);
                    painter.rect_stroke(
                        r,
                        0.0,
                        Stroke::new(3.0, rgba([0x00, 0x73, 0xBB, 0x90])),
                        StrokeKind::Outside,
                    );
                }
                if released || !down {
                    // Dropping a node into (or out of) a group changes its membership.
                    for sel in &selection {
                        if let ElementRef::Node(id) | ElementRef::Group(id) = sel {
                            let center = match sel {
                                ElementRef::Node(_) => base.node(id).map(|n| n.pos.offset(dx, dy)),
                                _ => scene
                                    .groups
                                    .iter()
                                    .find(|g| design.groups[g.index].id == *id)
                                    .map(|g| g.rect.min.offset(10.0, 10.0)),
                            };
                            let moved_ids: Vec<String> = state.selected_ids(design);
                            if let Some(c) = center {
                                let target = group_at(base, base_scene, c, &moved_ids);
                                let parent_selected = design
                                    .parent_of(id)
                                    .is_some_and(|p| moved_ids.contains(&p.id));
                                if !parent_selected
                                    && let Some(cmd) = ops::reparent(design, id, target.as_deref())
                                {
                                    edits.push_merged(cmd, key);
                                }
                            }
                        }
                    }
                    edits.seal();
                    state.gesture = None;
                }
            }
        }
        Some(Gesture::Segment {
            edge: id,
            k,
            base,
            start,
            key,
        }) => {
            if let Some(p) = pointer
                && let Some(edge) = design.edge(*id)
            {
                let now = cam.screen_to_canvas(view, p);
                let moved = moved_segment(base, *k, now.x - start.x, now.y - start.y);
                let bends = moved[1..moved.len() - 1].to_vec();
                if bends != edge.bends {
                    edits.push_merged(
                        crate::edit::EditCommand::SetRoute {
                            edge: *id,
                            style: edge.style,
                            bends,
                        },
                        key,
                    );
                }
            }
            if released || !down {
                edits.seal();
                state.gesture = None;
            }
        }
        Some(Gesture::Connect { from }) => {
            if let Some(p) = pointer {
                let start = scene
                    .nodes
                    .iter()
                    .find(|n| design.nodes[n.index].id == *from)
                    .map(|n| cam.canvas_to_screen(view, n.tile.center()));
                if let Some(s) = start {
                    painter.line_segment([s, p], Stroke::new(2.0, rgb(style::SELECT_COLOR)));
                    painter.circle_filled(p, 4.0, rgb(style::SELECT_COLOR));
                }
                let target_pos = cam.screen_to_canvas(view, p);
                let target = node_at(design, scene, target_pos)
                    .or_else(|| group_at(design, scene, target_pos, &[]));
                if let Some(t) = target.as_ref().filter(|t| *t != from)
                    && let Some(n) = scene.nodes.iter().find(|n| design.nodes[n.index].id == *t)
                {
                    painter.rect_stroke(
                        cam.rect_to_screen(view, n.tile).expand(4.0),
                        4.0,
                        Stroke::new(2.0, rgb(style::SELECT_COLOR)),
                        StrokeKind::Outside,
                    );
                }
                if released || !down {
                    if let Some(cmd) = target.and_then(|t| ops::connect(design, from, &t)) {
                        let id = design.next_edge_id();
                        edits.push(cmd);
                        edits.select = Some(BTreeSet::from([ElementRef::Edge(id)]));
                    }
                    state.gesture = None;
                }
            } else {
                state.gesture = None;
            }
        }
        Some(Gesture::BoxSelect { start, additive }) => {
            if let Some(p) = pointer {
                let r = egui::Rect::from_two_pos(*start, p);
                painter.rect(
                    r,
                    0.0,
                    rgba([0x00, 0x73, 0xBB, 0x18]),
                    Stroke::new(1.0, rgb(style::SELECT_COLOR)),
                    StrokeKind::Inside,
                );
                if released || !down {
                    let a = cam.screen_to_canvas(view, r.min);
                    let b = cam.screen_to_canvas(view, r.max);
                    let area = Rect::from_min_max(a, b);
                    if !additive {
                        state.selection.clear();
                    }
                    for n in &scene.nodes {
                        if area.contains_rect(&n.tile) {
                            state
                                .selection
                                .insert(ElementRef::Node(design.nodes[n.index].id.clone()));
                        }
                    }
                    for g in &scene.groups {
                        if area.contains_rect(&g.rect) {
                            state
                                .selection
                                .insert(ElementRef::Group(design.groups[g.index].id.clone()));
                        }
                    }
                    state.gesture = None;
                }
            } else {
                state.gesture = None;
            }
        }
        None => {}
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
    let parent = group_at(design, scene, at, &[]);
    let (cmd, id, element) = match &*payload {
        PaletteDrop::Service(service) => {
            let (cmd, id) = ops::add_node(design, service, snap(at), parent.as_deref());
            (cmd, id.clone(), ElementRef::Node(id))
        }
        PaletteDrop::Group(kind) => {
            let (cmd, id) = ops::add_empty_group(design, *kind, snap(at), parent.as_deref());
            (cmd, id.clone(), ElementRef::Group(id))
        }
    };
    let _ = id;
    edits.push(cmd);
    edits.select = Some(BTreeSet::from([element]));
}

/// Snaps a drop point to the 10-unit grid so hand-placed designs line up.
pub fn snap(p: Pos) -> Pos {
    Pos::new((p.x / 10.0).round() * 10.0, (p.y / 10.0).round() * 10.0)
}
