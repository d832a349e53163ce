//! File > New from template: a gallery of the reference architectures with their title, a
//! one-line description and a small preview rendered by the exporter.

use std::collections::HashMap;

use egui::Color32;

use crate::export::{ExportOptions, RasterSize, design_to_rgba};
use crate::templates::{TEMPLATES, Template};

/// The gallery's state: whether it is open, and each template's card once made.
#[derive(Default)]
pub struct Gallery {
    pub open: bool,
    cards: HashMap<&'static str, Option<Card>>,
}

/// What a card shows, made once per template: its title, first sentence and preview.
struct Card {
    title: String,
    line: String,
    preview: Option<egui::TextureHandle>,
}

const CARD: egui::Vec2 = egui::vec2(250.0, 210.0);
const PREVIEW: egui::Vec2 = egui::vec2(234.0, 120.0);

impl Card {
    /// Parses the template once and renders its preview with the exporter.
    fn new(ctx: &egui::Context, t: &'static Template) -> Option<Card> {
        let design = t.design().ok()?;
        let options = ExportOptions {
            padding: 12.0,
            ..ExportOptions::default()
        };
        let preview = design_to_rgba(&design, &options, RasterSize::Width(PREVIEW.x as u32 * 2))
            .ok()
            .map(|(w, h, rgba)| {
                let image =
                    egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba);
                ctx.load_texture(
                    format!("template-{}", t.id),
                    image,
                    egui::TextureOptions::LINEAR,
                )
            });
        let line = design
            .description
            .split(". ")
            .next()
            .unwrap_or_default()
            .to_string();
        Some(Card {
            title: design.title,
            line,
            preview,
        })
    }
}

impl Gallery {
    /// Draws the gallery; returns the template the person picked.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<&'static Template> {
        if !self.open {
            return None;
        }
        let mut picked = None;
        let mut open = true;
        egui::Window::new("New from template")
            .open(&mut open)
            .default_size([820.0, 620.0])
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label("The reference architectures of the notes. Opening one starts a new, unsaved design.");
                ui.add_space(6.0);
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for t in TEMPLATES {
                            let Some(card) = self.cards.entry(t.id).or_insert_with(|| Card::new(ctx, t)) else {
                                continue;
                            };
                            let preview = &card.preview;
                            let (rect, resp) = ui.allocate_exact_size(CARD, egui::Sense::click());
                            let title = card.title.clone();
                            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &title));
                            let visuals = if resp.hovered() { ui.visuals().widgets.hovered } else { ui.visuals().widgets.inactive };
                            ui.painter().rect(rect, 6.0, Color32::WHITE, visuals.bg_stroke, egui::StrokeKind::Inside);
                            let inner = rect.shrink(8.0);
                            if let Some(tex) = &preview {
                                let size = tex.size_vec2();
                                let scale = (PREVIEW.x / size.x).min(PREVIEW.y / size.y);
                                let box_ = egui::Rect::from_min_size(inner.min, PREVIEW);
                                let img = egui::Rect::from_center_size(box_.center(), size * scale);
                                egui::Image::new((tex.id(), size * scale)).paint_at(ui, img);
                            }
                            let painter = ui.painter_at(rect);
                            let mut y = inner.min.y + PREVIEW.y + 8.0;
                            let title_galley = painter.layout(card.title.clone(), egui::FontId::proportional(13.0), ui.visuals().strong_text_color(), inner.width());
                            let title_h = title_galley.size().y;
                            painter.galley(egui::pos2(inner.min.x, y), title_galley, Color32::BLACK);
                            y += title_h + 2.0;
                            let line = card.line.clone();
                            let desc = painter.layout(line, egui::FontId::proportional(11.0), Color32::DARK_GRAY, inner.width());
                            painter.galley(egui::pos2(inner.min.x, y), desc, Color32::BLACK);
                            if resp.clicked() {
                                picked = Some(t);
                            }
                        }
                    });
                });
            });
        if picked.is_some() || !open {
            self.open = false;
        }
        picked
    }
}
