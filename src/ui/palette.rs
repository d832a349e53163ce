//! The palette: every service by category, plus the AWS group boxes, with a search box.
//! Drag an item onto the canvas to place it; click it (or press Enter on a search hit) to
//! place it at the centre of the view.

use std::collections::BTreeSet;

use egui::{Color32, Id, Sense};

use super::edits::Edits;
use super::payload::PaletteDrop;
use super::theme::{paint_tile, rgb};
use crate::catalog::{Service, catalog, icon_for_service};
use crate::edit::ops;
use crate::model::{Design, ElementRef, GroupKind, Pos};
use crate::scene::style;

/// Where a clicked item goes: the middle of the canvas, or around the selection for a box.
#[derive(Clone, Copy)]
pub struct Placement<'a> {
    pub view_center: Pos,
    pub selection: &'a BTreeSet<ElementRef>,
}

/// The palette's own state: the search text.
#[derive(Default)]
pub struct PaletteState {
    pub search: String,
    /// How many items were placed by click, to fan them out instead of stacking them.
    placed: u32,
}

const ROW_HEIGHT: f32 = 30.0;

/// Draws the palette.
pub fn show(
    ui: &mut egui::Ui,
    state: &mut PaletteState,
    design: &Design,
    at: Placement<'_>,
    edits: &mut Edits,
) {
    ui.add_space(4.0);
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text("Search services (e.g. bucket, queue)")
                .desired_width(f32::INFINITY)
                .id(Id::unique("palette-search")),
        )
        .accessible_name("Search services");
    let query = state.search.trim().to_lowercase();
    let hits: Vec<&Service> = catalog()
        .services
        .iter()
        .filter(|s| s.matches(&query))
        .collect();
    if search.lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter))
        && !query.is_empty()
        && let Some(first) = hits.first()
    {
        place(
            state,
            design,
            at,
            edits,
            PaletteDrop::Service(first.id.clone()),
        );
    }
    ui.add_space(4.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let searching = !query.is_empty();
            if searching && hits.is_empty() {
                ui.label(egui::RichText::new("No service matches").color(Color32::GRAY));
            }
            let groups: Vec<GroupKind> = GroupKind::ALL
                .into_iter()
                .filter(|k| !searching || k.display_name().to_lowercase().contains(&query))
                .collect();
            if !groups.is_empty() {
                egui::CollapsingHeader::new("Groups")
                    .id_salt("palette-groups")
                    .default_open(false)
                    .open(searching.then_some(true))
                    .show(ui, |ui| {
                        for kind in groups {
                            let color = rgb(style::group_style(kind).stroke);
                            if item(
                                ui,
                                kind.display_name(),
                                None,
                                color,
                                PaletteDrop::Group(kind),
                            ) {
                                place(state, design, at, edits, PaletteDrop::Group(kind));
                            }
                        }
                    });
            }
            for cat in &catalog().categories {
                let services: Vec<&&Service> =
                    hits.iter().filter(|s| s.category == cat.id).collect();
                if services.is_empty() {
                    continue;
                }
                egui::CollapsingHeader::new(format!("{}  ({})", cat.name, services.len()))
                    .id_salt(("palette-cat", &cat.id))
                    .default_open(true)
                    .open(searching.then_some(true))
                    .show(ui, |ui| {
                        for s in services {
                            let icon = icon_for_service(&s.id);
                            if item(
                                ui,
                                &s.name,
                                Some(icon),
                                rgb(cat.rgb()),
                                PaletteDrop::Service(s.id.clone()),
                            ) {
                                place(state, design, at, edits, PaletteDrop::Service(s.id.clone()));
                            }
                        }
                    });
            }
        });
    paint_drag_ghost(ui);
}

/// One palette row; returns true when clicked.
fn item(
    ui: &mut egui::Ui,
    name: &str,
    icon: Option<&str>,
    color: Color32,
    payload: PaletteDrop,
) -> bool {
    let (rect, resp) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ROW_HEIGHT),
        Sense::click_and_drag(),
    );
    let label = name.to_string();
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if resp.hovered() {
        ui.painter()
            .rect_filled(rect, 4.0, ui.visuals().widgets.hovered.weak_bg_fill);
    }
    let tile = egui::Rect::from_min_size(rect.min + egui::vec2(4.0, 3.0), egui::vec2(24.0, 24.0));
    match icon {
        Some(icon) => paint_tile(ui, tile, icon, color, true),
        None => {
            ui.painter().rect_stroke(
                tile.shrink(2.0),
                0.0,
                egui::Stroke::new(2.0, color),
                egui::StrokeKind::Inside,
            );
        }
    }
    ui.painter().text(
        egui::pos2(tile.max.x + 8.0, rect.center().y),
        egui::Align2::LEFT_CENTER,
        name,
        egui::FontId::proportional(13.0),
        ui.visuals().text_color(),
    );
    if resp.drag_started() {
        egui::DragAndDrop::set_payload(ui.ctx(), payload);
    }
    resp.on_hover_cursor(egui::CursorIcon::Grab).clicked()
}

/// While an item is dragged, its tile follows the pointer above everything else.
fn paint_drag_ghost(ui: &egui::Ui) {
    let Some(payload) = egui::DragAndDrop::payload::<PaletteDrop>(ui.ctx()) else {
        return;
    };
    let Some(p) = ui.input(|i| i.pointer.hover_pos()) else {
        return;
    };
    ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
    let layer = egui::LayerId::new(egui::Order::Tooltip, Id::unique("palette-ghost"));
    let painter = ui.ctx().layer_painter(layer);
    let rect = egui::Rect::from_center_size(p, egui::vec2(40.0, 40.0));
    match &*payload {
        PaletteDrop::Service(s) => {
            let color = rgb(catalog().category_of(s).rgb());
            painter.rect_filled(rect, 5.0, color.gamma_multiply(0.8));
            painter.text(
                rect.center_bottom() + egui::vec2(0.0, 8.0),
                egui::Align2::CENTER_TOP,
                catalog().display_name(s),
                egui::FontId::proportional(12.0),
                Color32::BLACK,
            );
        }
        PaletteDrop::Group(k) => {
            painter.rect_stroke(
                rect,
                0.0,
                egui::Stroke::new(2.0, rgb(style::group_style(*k).stroke)),
                egui::StrokeKind::Inside,
            );
        }
    }
}

/// Places an item without dragging: at the view centre, or, for a group with a selection,
/// around the selection.
fn place(
    state: &mut PaletteState,
    design: &Design,
    at: Placement<'_>,
    edits: &mut Edits,
    item: PaletteDrop,
) {
    let c = at.view_center;
    let fan = (state.placed % 5) as f32 * 30.0;
    state.placed += 1;
    let selection = at.selection;
    let at = ops::snap_to_grid(Pos::new(c.x + fan, c.y + fan));
    match item {
        PaletteDrop::Service(service) => {
            let (cmd, id) = ops::add_node(design, &service, at, None);
            edits.push(cmd);
            edits.select = Some(BTreeSet::from([ElementRef::Node(id)]));
        }
        PaletteDrop::Group(kind) => {
            let selected = design.ids_among(selection);
            let made = if selected.is_empty() {
                Some(ops::add_empty_group(design, kind, at, None))
            } else {
                ops::group_selection(design, &selected, kind)
            };
            if let Some((cmd, id)) = made {
                edits.push(cmd);
                edits.select = Some(BTreeSet::from([ElementRef::Group(id)]));
            }
        }
    }
}
