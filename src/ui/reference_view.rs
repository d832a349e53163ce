//! The reference a pipeline follows, beside the design: the reference's own drawing (its
//! template, or an own reference's design file) with the stages the pipeline fills outlined in
//! green and the ones it leaves out in grey, and the stages listed with what fills them.

use egui::{Color32, RichText, Stroke};

use crate::export::{ExportOptions, RasterSize, design_to_rgba, page_frame};
use crate::model::{Design, NodeId};
use crate::rules::Index;
use crate::rules::reference::{ReferenceSet, followed};

/// Width of the rendered drawing, in pixels.
const WIDTH: u32 = 720;

/// One stage as the window lists it.
struct StageRow {
    name: String,
    /// The label of the design's node filling it; `None` when the design leaves it out.
    filled_by: Option<String>,
    optional: bool,
    /// Where the reference's own node for the stage is drawn, in image pixels.
    at: Option<egui::Rect>,
}

/// A reference shown beside the design.
pub struct Shown {
    title: String,
    texture: Option<egui::TextureHandle>,
    size: egui::Vec2,
    stages: Vec<StageRow>,
    /// Why there is no drawing, when there is none.
    note: Option<String>,
}

/// The window's state: what is shown, if anything.
#[derive(Default)]
pub struct ReferenceView {
    pub shown: Option<Shown>,
}

impl ReferenceView {
    /// Shows reference `id` for the pipeline holding `elements` of `design`.
    pub fn open(
        &mut self,
        ctx: &egui::Context,
        id: &str,
        design: &Design,
        elements: &[crate::model::ElementRef],
        set: &ReferenceSet,
    ) {
        self.shown = shown(ctx, id, design, elements, set);
    }

    /// Draws the window while a reference is shown.
    pub fn show(&mut self, ctx: &egui::Context) {
        let Some(shown) = &self.shown else { return };
        let mut open = true;
        let area = ctx.content_rect();
        egui::Window::new(format!("Reference: {}", shown.title))
            .open(&mut open)
            .default_width(WIDTH as f32 * 0.7)
            .default_pos(egui::pos2(area.right() - WIDTH as f32 * 0.7 - 340.0, 60.0))
            .show(ctx, |ui| {
                if let Some(texture) = &shown.texture {
                    let scale = (ui.available_width() / shown.size.x).min(1.0);
                    let response = ui.add(egui::Image::new((texture.id(), shown.size * scale)));
                    let painter = ui.painter_at(response.rect);
                    for stage in &shown.stages {
                        let Some(at) = stage.at else { continue };
                        let rect = egui::Rect::from_min_size(
                            response.rect.min + at.min.to_vec2() * scale,
                            at.size() * scale,
                        )
                        .expand(3.0);
                        let stroke = if stage.filled_by.is_some() {
                            Stroke::new(3.0, Color32::from_rgb(0x1D, 0x8A, 0x3A))
                        } else {
                            Stroke::new(1.5, Color32::from_gray(150))
                        };
                        painter.rect_stroke(rect, 4.0, stroke, egui::StrokeKind::Outside);
                    }
                } else if let Some(note) = &shown.note {
                    ui.label(RichText::new(note).color(Color32::GRAY));
                }
                ui.add_space(6.0);
                egui::Grid::new("reference-stages")
                    .striped(true)
                    .show(ui, |ui| {
                        for stage in &shown.stages {
                            let green = Color32::from_rgb(0x1D, 0x8A, 0x3A);
                            let amber = Color32::from_rgb(0xB2, 0x6B, 0x00);
                            let (rect, _) = ui
                                .allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                            // Filled: the pipeline has it; a ring: it does not (grey when
                            // the reference makes it optional).
                            let _ = match (&stage.filled_by, stage.optional) {
                                (Some(_), _) => {
                                    ui.painter().circle_filled(rect.center(), 5.0, green)
                                }
                                (None, true) => ui.painter().circle_stroke(
                                    rect.center(),
                                    4.5,
                                    Stroke::new(1.5, Color32::GRAY),
                                ),
                                (None, false) => ui.painter().circle_stroke(
                                    rect.center(),
                                    4.5,
                                    Stroke::new(2.0, amber),
                                ),
                            };
                            ui.label(&stage.name);
                            ui.label(match (&stage.filled_by, stage.optional) {
                                (Some(label), _) => RichText::new(format!("your \"{label}\"")),
                                (None, true) => {
                                    RichText::new("optional, left out").color(Color32::GRAY)
                                }
                                (None, false) => RichText::new("not in the pipeline")
                                    .color(Color32::from_rgb(0xB2, 0x6B, 0x00)),
                            });
                            ui.end_row();
                        }
                    });
            });
        if !open {
            self.shown = None;
        }
    }
}

/// The drawing a reference is shown with: a built-in reference's template, or the design
/// file an own reference was made from.
fn drawing_of(id: &str, set: &ReferenceSet) -> Option<Design> {
    let reference = set.references().iter().find(|r| r.id == id)?;
    if reference.own {
        crate::io::load_file(std::path::Path::new(&reference.source)).ok()
    } else {
        crate::templates::find(id)?.design().ok()
    }
}

fn shown(
    ctx: &egui::Context,
    id: &str,
    design: &Design,
    elements: &[crate::model::ElementRef],
    set: &ReferenceSet,
) -> Option<Shown> {
    let reference = set.references().iter().find(|r| r.id == id)?;
    let in_finding = |n: &NodeId| {
        elements
            .iter()
            .any(|e| matches!(e, crate::model::ElementRef::Node(x) if x == n))
    };
    let mine = followed(&Index::new(design), set)
        .into_iter()
        .find(|f| f.reference == id && f.stages.iter().flatten().any(in_finding))?;
    let drawing = drawing_of(id, set);
    // Which of the drawing's own nodes stands for each stage: the drawing matched against the
    // same reference.
    let theirs = drawing.as_ref().and_then(|d| {
        followed(&Index::new(d), set)
            .into_iter()
            .find(|f| f.reference == id)
    });
    let options = ExportOptions {
        padding: 16.0,
        ..ExportOptions::default()
    };
    let mut texture = None;
    let mut size = egui::Vec2::ZERO;
    let mut places: Vec<Option<egui::Rect>> = vec![None; reference.stages.len()];
    if let Some(d) = &drawing
        && let Ok((w, h, rgba)) = design_to_rgba(d, &options, RasterSize::Width(WIDTH))
    {
        let image = egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba);
        texture = Some(ctx.load_texture(
            format!("reference-{id}"),
            image,
            egui::TextureOptions::LINEAR,
        ));
        size = egui::vec2(w as f32, h as f32);
        let frame = page_frame(d, &options);
        let scale = w as f32 / frame.width().max(1.0);
        let scene = crate::scene::build(d);
        if let Some(theirs) = &theirs {
            for (i, node) in theirs.stages.iter().enumerate() {
                let Some(node) = node else { continue };
                let Some(shape) = scene
                    .nodes
                    .iter()
                    .find(|s| d.nodes().get(s.index).is_some_and(|n| &n.id == node))
                else {
                    continue;
                };
                let t = shape.tile;
                places[i] = Some(egui::Rect::from_min_max(
                    egui::pos2(
                        (t.min.x - frame.min.x) * scale,
                        (t.min.y - frame.min.y) * scale,
                    ),
                    egui::pos2(
                        (t.max.x - frame.min.x) * scale,
                        (t.max.y - frame.min.y) * scale,
                    ),
                ));
            }
        }
    }
    let label_of = |node: &NodeId| {
        design
            .nodes()
            .iter()
            .find(|n| &n.id == node)
            .map(|n| {
                if n.label.is_empty() {
                    n.service.clone()
                } else {
                    n.label.clone()
                }
            })
            .unwrap_or_default()
    };
    let stages = reference
        .stages
        .iter()
        .enumerate()
        .map(|(i, stage)| StageRow {
            name: stage.name.clone(),
            filled_by: mine.stages.get(i).cloned().flatten().map(|n| label_of(&n)),
            optional: stage.optional,
            at: places[i],
        })
        .collect();
    Some(Shown {
        title: if reference.own {
            format!("{} ({})", reference.name, reference.id)
        } else {
            format!("{} {}", reference.id, reference.name)
        },
        note: texture
            .is_none()
            .then(|| "The reference's drawing could not be read.".to_string()),
        texture,
        size,
        stages,
    })
}
