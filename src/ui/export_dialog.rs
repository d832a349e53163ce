//! File > Export...: format, size, background, theme, scope and decorations, remembered
//! between uses (in the config folder), then a native save dialog.

use egui::RichText;
use serde::{Deserialize, Serialize};

use crate::export::{ExportOptions, Format, RasterSize, Theme};
use crate::model::{Design, ElementRef};
use crate::rules::Finding;

/// The choices of the Export dialog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportSettings {
    pub format: Format,
    /// PNG scale (1, 2 or 4); ignored when `width` is set.
    pub scale: f32,
    /// PNG width in pixels instead of a scale.
    pub width: Option<u32>,
    pub transparent: bool,
    pub theme: Theme,
    pub selection_only: bool,
    pub padding: f32,
    pub title: bool,
    pub legend: bool,
    pub findings: bool,
}

impl Default for ExportSettings {
    fn default() -> Self {
        Self {
            format: Format::Png,
            scale: 2.0,
            width: None,
            transparent: false,
            theme: Theme::Light,
            selection_only: false,
            padding: 24.0,
            title: false,
            legend: false,
            findings: false,
        }
    }
}

impl ExportSettings {
    /// The export options these choices give for `selection`, badging `findings` if asked.
    pub fn options(&self, findings: &[Finding], selection: &[ElementRef]) -> ExportOptions {
        ExportOptions {
            selection: (self.selection_only && !selection.is_empty()).then(|| selection.to_vec()),
            theme: self.theme,
            padding: self.padding,
            transparent: self.transparent,
            title: self.title,
            legend: self.legend,
            badges: if self.findings {
                crate::export::badges(findings)
            } else {
                Vec::new()
            },
            ..ExportOptions::default()
        }
    }

    /// The raster size these choices give.
    pub fn size(&self) -> RasterSize {
        match self.width {
            Some(w) if w > 0 => RasterSize::Width(w),
            _ => RasterSize::Scale(self.scale),
        }
    }
}

/// What the dialog asks of the app this frame.
pub enum DialogOutcome {
    Nothing,
    Cancel,
    /// Export with the current settings (the app asks where).
    Export,
}

/// Draws the dialog.
pub fn show(
    ctx: &egui::Context,
    settings: &mut ExportSettings,
    design: &Design,
    has_selection: bool,
) -> DialogOutcome {
    let mut outcome = DialogOutcome::Nothing;
    egui::Modal::new(egui::Id::unique("export-dialog")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading("Export");
        ui.label(
            RichText::new(format!(
                "\"{}\"",
                if design.title.is_empty() {
                    "Untitled design"
                } else {
                    &design.title
                }
            ))
            .weak(),
        );
        ui.add_space(8.0);
        egui::Grid::new("export-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("Format");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut settings.format, Format::Png, "PNG");
                    ui.selectable_value(&mut settings.format, Format::Svg, "SVG");
                    ui.selectable_value(&mut settings.format, Format::Pdf, "PDF");
                    ui.selectable_value(&mut settings.format, Format::Drawio, "draw.io");
                    ui.selectable_value(&mut settings.format, Format::Mermaid, "Mermaid");
                });
                ui.end_row();
                if settings.format == Format::Png {
                    ui.label("Size");
                    ui.horizontal(|ui| {
                        for s in [1.0, 2.0, 4.0] {
                            if ui
                                .selectable_label(
                                    settings.width.is_none() && settings.scale == s,
                                    format!("{s:.0}x"),
                                )
                                .clicked()
                            {
                                settings.scale = s;
                                settings.width = None;
                            }
                        }
                        let mut by_width = settings.width.is_some();
                        if ui.checkbox(&mut by_width, "width").changed() {
                            settings.width = by_width.then_some(1600);
                        }
                        if let Some(w) = settings.width.as_mut() {
                            ui.add(egui::DragValue::new(w).range(16..=16384).suffix(" px"));
                        }
                    });
                    ui.end_row();
                }
                // A draw.io file is edited further in draw.io, and Mermaid draws its own
                // picture: no look to choose.
                let picture = !matches!(settings.format, Format::Drawio | Format::Mermaid);
                if picture && settings.format != Format::Pdf {
                    ui.label("Background");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut settings.transparent, false, "Filled");
                        ui.selectable_value(&mut settings.transparent, true, "Transparent");
                    });
                    ui.end_row();
                }
                if picture {
                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut settings.theme, Theme::Light, "Light");
                        ui.selectable_value(&mut settings.theme, Theme::Dark, "Dark");
                    });
                    ui.end_row();
                }
                ui.label("Scope");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut settings.selection_only, false, "Whole design");
                    ui.add_enabled_ui(has_selection, |ui| {
                        ui.selectable_value(&mut settings.selection_only, true, "Selection only");
                    });
                });
                ui.end_row();
                if picture {
                    ui.label("Padding");
                    ui.add(egui::DragValue::new(&mut settings.padding).range(0.0..=400.0));
                    ui.end_row();
                    ui.label("Include");
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut settings.title, "title");
                        ui.checkbox(&mut settings.legend, "legend");
                        ui.checkbox(&mut settings.findings, "findings");
                    });
                    ui.end_row();
                }
            });
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("Export...").clicked() {
                outcome = DialogOutcome::Export;
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                outcome = DialogOutcome::Cancel;
            }
        });
    });
    outcome
}
