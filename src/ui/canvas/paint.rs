//! Painting the scene through the camera: the grid, group boxes, edges, finding badges and
//! what a gesture under way shows. Reads the scene; changes nothing.

use egui::{Align2, Color32, FontId, Id, Pos2, Sense, Shape, Stroke, StrokeKind};

use super::super::camera::Camera;
use super::super::findings::FindingsView;
use super::super::theme::{rgb, rgba};
use super::gestures::Feedback;
use crate::model::{Design, ElementRef, Pos};
use crate::scene::{Scene, style};

/// Paints a dot on every element with findings (red error, amber warning, blue info); hovering
/// it lists them.
pub fn paint_badges(
    ui: &mut egui::Ui,
    design: &Design,
    scene: &Scene,
    cam: &Camera,
    view: egui::Rect,
    findings: &FindingsView,
) {
    // Zoomed far out a badge would cover its service (and thousands of them cost more than
    // the drawing); the findings panel still lists them.
    if !findings.has_badges() || style::TILE * cam.zoom < 10.0 {
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
            ElementRef::Node(design.nodes()[n.index].id.clone()),
            Pos::new(n.tile.max.x, n.tile.min.y),
        ));
    }
    for g in scene.groups.iter().filter(|g| g.rect.intersects(&visible)) {
        spots.push((
            ElementRef::Group(design.groups()[g.index].id.clone()),
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

/// The dotted background grid, thinned out when zoomed far out.
pub fn paint_grid(painter: &egui::Painter, view: egui::Rect, cam: &Camera, page: &style::Page) {
    let mut step = 20.0;
    while step * cam.zoom < 12.0 {
        step *= 5.0;
    }
    let visible = cam.visible(view);
    let color = rgb(page.grid);
    let r = (cam.zoom.sqrt()).clamp(0.6, 1.4);
    let mut x = (visible.min.x / step).floor() * step;
    // Dots as tiny squares in one mesh: thousands of them every frame, and a circle costs
    // many more triangles than a square that looks the same at this size.
    let mut mesh = egui::Mesh::default();
    while x <= visible.max.x {
        let mut y = (visible.min.y / step).floor() * step;
        while y <= visible.max.y {
            let at = cam.canvas_to_screen(view, Pos::new(x, y));
            mesh.add_colored_rect(
                egui::Rect::from_center_size(at, egui::vec2(r, r) * 1.6),
                color,
            );
            y += step;
        }
        x += step;
    }
    painter.add(Shape::mesh(mesh));
}

/// A dashed outline (group boxes of dashed kinds), dashed only where it is on screen.
pub fn dashed_rect(painter: &egui::Painter, rect: egui::Rect, stroke: Stroke, zoom: f32) {
    let pts = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    painter.extend(super::super::clip::dashed_within(
        &pts,
        stroke,
        8.0 * zoom.max(0.3),
        5.0 * zoom.max(0.3),
        painter.clip_rect().expand(8.0),
    ));
}

/// A group box with its caption, highlighted when selected.
pub fn paint_group(
    ui: &egui::Ui,
    painter: &egui::Painter,
    cam: &Camera,
    view: egui::Rect,
    g: &crate::scene::GroupShape,
    selected: bool,
    page: &style::Page,
) {
    let s = page.group_style(g.kind);
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
    // AWS groups carry their icon in a badge in the top-left corner, the caption beside it.
    let badge = style::GROUP_BADGE * cam.zoom;
    if let Some(icon) = s.icon {
        let corner = egui::Rect::from_min_size(rect.min, egui::vec2(badge, badge));
        painter.rect_filled(corner, 0.0, rgb(s.stroke));
        if badge * ui.pixels_per_point() >= 10.0 {
            egui::Image::new(super::super::theme::icon_source(icon))
                .paint_at(ui, corner.shrink(badge * 0.12));
        }
    }
    let size = style::CAPTION_SIZE * cam.zoom;
    if size >= 5.0 {
        painter.text(
            rect.min + egui::vec2(s.caption_x() * cam.zoom, badge / 2.0),
            Align2::LEFT_CENTER,
            &g.caption,
            FontId::proportional((size * 2.0).round() / 2.0),
            rgb(s.text),
        );
    }
}

/// An edge's route, arrow head and label, highlighted when selected.
pub fn paint_edge(
    painter: &egui::Painter,
    cam: &Camera,
    view: egui::Rect,
    e: &crate::scene::EdgeShape,
    selected: bool,
    page: &style::Page,
) {
    let color = if selected {
        rgb(style::SELECT_COLOR)
    } else {
        rgb(page.edge)
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
        painter.extend(super::super::clip::dashed_within(
            &line,
            stroke,
            6.0 * cam.zoom.max(0.4),
            4.0 * cam.zoom.max(0.4),
            painter.clip_rect().expand(8.0),
        ));
    } else {
        painter.add(Shape::line(line, stroke));
    }
    // Arrow heads go when services are too small to tell apart anyway.
    if let Some(corners) = corners.filter(|_| style::TILE * cam.zoom >= 10.0) {
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
            rgb(page.text),
        );
        let r = egui::Rect::from_center_size(mid, galley.size() + egui::vec2(6.0, 2.0));
        painter.rect_filled(r, 2.0, rgb(page.background).gamma_multiply(0.92));
        painter.galley(r.min + egui::vec2(3.0, 1.0), galley, rgb(page.text));
    }
}

/// What a gesture under way shows: the box a move would drop into, the edge being drawn and
/// the tile it would reach, or the selection rectangle.
pub fn feedback(painter: &egui::Painter, cam: &Camera, view: egui::Rect, shown: &Feedback) {
    let select = rgb(style::SELECT_COLOR);
    match shown {
        Feedback::Nothing => {}
        Feedback::Moving { target, guides } => {
            if let Some(rect) = target {
                painter.rect_stroke(
                    cam.rect_to_screen(view, *rect),
                    0.0,
                    Stroke::new(3.0, rgba([0x00, 0x73, 0xBB, 0x90])),
                    StrokeKind::Outside,
                );
            }
            let guide = Stroke::new(1.0, rgb(style::GUIDE_COLOR));
            for (a, b) in guides {
                let (a, b) = (
                    cam.canvas_to_screen(view, *a),
                    cam.canvas_to_screen(view, *b),
                );
                painter.extend(egui::Shape::dashed_line(&[a, b], guide, 4.0, 3.0));
            }
        }
        Feedback::Connecting { from, to, target } => {
            let (a, b) = (
                cam.canvas_to_screen(view, *from),
                cam.canvas_to_screen(view, *to),
            );
            painter.line_segment([a, b], Stroke::new(2.0, select));
            painter.circle_filled(b, 4.0, select);
            if let Some(tile) = target {
                painter.rect_stroke(
                    cam.rect_to_screen(view, *tile).expand(4.0),
                    4.0,
                    Stroke::new(2.0, select),
                    StrokeKind::Outside,
                );
            }
        }
        Feedback::Area(area) => {
            painter.rect(
                cam.rect_to_screen(view, *area),
                0.0,
                rgba([0x00, 0x73, 0xBB, 0x18]),
                Stroke::new(1.0, select),
                StrokeKind::Inside,
            );
        }
    }
}
