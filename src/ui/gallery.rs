//! File > New from template: a gallery of the reference architectures with their title, a
//! one-line description and a small preview rendered by the exporter.

use std::collections::HashMap;

use egui::Color32;

use crate::export::{ExportOptions, RasterSize, design_to_rgba};
use crate::model::Design;
use crate::templates::{TEMPLATES, Template};

/// The gallery's state: whether it is open, and each template's card once made.
#[derive(Default)]
pub struct Gallery {
    pub open: bool,
    cards: HashMap<&'static str, Option<Card>>,
}

/// What a card shows: its title and first sentence at once, its preview when rendered.
struct Card {
    title: String,
    line: String,
    preview: Preview,
}

/// A preview is rendered the first time its card is on screen, one per frame, so the gallery
/// opens at once instead of after 35 renders.
enum Preview {
    Pending(Box<Design>),
    Ready(Option<egui::TextureHandle>),
}

const CARD: egui::Vec2 = egui::vec2(250.0, 210.0);
const PREVIEW: egui::Vec2 = egui::vec2(234.0, 120.0);
/// How many previews are rendered per frame while the gallery fills in.
const PREVIEWS_PER_FRAME: usize = 1;

impl Card {
    /// Parses the template once; the preview waits for [`Card::render_preview`].
    fn new(t: &'static Template) -> Option<Card> {
        let design = t.design().ok()?;
        let line = design
            .description
            .split(". ")
            .next()
            .unwrap_or_default()
            .to_string();
        Some(Card {
            title: design.title.clone(),
            line,
            preview: Preview::Pending(Box::new(design)),
        })
    }

    /// Renders the preview with the exporter, once.
    fn render_preview(&mut self, ctx: &egui::Context, id: &str) {
        let Preview::Pending(design) = &self.preview else {
            return;
        };
        let options = ExportOptions {
            padding: 12.0,
            ..ExportOptions::default()
        };
        let texture = design_to_rgba(design, &options, RasterSize::Width(PREVIEW.x as u32 * 2))
            .ok()
            .map(|(w, h, rgba)| {
                let image =
                    egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba);
                ctx.load_texture(
                    format!("template-{id}"),
                    image,
                    egui::TextureOptions::LINEAR,
                )
            });
        self.preview = Preview::Ready(texture);
    }
}

impl Gallery {
    /// How many previews have been rendered so far (the gallery fills them in over frames).
    pub fn previews_ready(&self) -> usize {
        self.cards
            .values()
            .flatten()
            .filter(|c| matches!(c.preview, Preview::Ready(_)))
            .count()
    }

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
                    let mut renders_left = PREVIEWS_PER_FRAME;
                    ui.horizontal_wrapped(|ui| {
                        for t in TEMPLATES {
                            let Some(card) = self.cards.entry(t.id).or_insert_with(|| Card::new(t)) else {
                                continue;
                            };
                            let (rect, resp) = ui.allocate_exact_size(CARD, egui::Sense::click());
                            if matches!(card.preview, Preview::Pending(_)) && ui.is_rect_visible(rect) {
                                if renders_left > 0 {
                                    card.render_preview(ctx, t.id);
                                    renders_left -= 1;
                                } else {
                                    ctx.request_repaint();
                                }
                            }
                            let title = card.title.clone();
                            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &title));
                            let visuals = if resp.hovered() { ui.visuals().widgets.hovered } else { ui.visuals().widgets.inactive };
                            ui.painter().rect(rect, 6.0, Color32::WHITE, visuals.bg_stroke, egui::StrokeKind::Inside);
                            let inner = rect.shrink(8.0);
                            let box_ = egui::Rect::from_min_size(inner.min, PREVIEW);
                            match &card.preview {
                                Preview::Ready(Some(tex)) => {
                                    let size = tex.size_vec2();
                                    let scale = (PREVIEW.x / size.x).min(PREVIEW.y / size.y);
                                    let img = egui::Rect::from_center_size(box_.center(), size * scale);
                                    egui::Image::new((tex.id(), size * scale)).paint_at(ui, img);
                                }
                                Preview::Pending(_) => {
                                    ui.painter().rect_filled(box_, 4.0, Color32::from_gray(242));
                                }
                                Preview::Ready(None) => {}
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
