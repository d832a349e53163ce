//! The window's frame around the canvas: the menu bar, the status bar, the banner, and the
//! Export, Rules and Keyboard shortcuts windows.

use egui::{Color32, RichText};

use super::{ArchApp, Pending};
use crate::rules::Finding;
use crate::ui::actions::{self, Action};
use crate::ui::edits::Edits;
use crate::ui::export_dialog::{self, DialogOutcome};
use crate::ui::findings;

impl ArchApp {
    /// The banner floats over the top of the canvas, so showing or dismissing it never moves
    /// the drawing under the pointer.
    pub(super) fn banner_overlay(&mut self, ctx: &egui::Context) {
        let Some(b) = self.banner.clone() else { return };
        let Some(view) = self.canvas.last_view else {
            return;
        };
        let (fill, color) = if b.is_error {
            (
                Color32::from_rgb(0xFD, 0xEC, 0xEE),
                Color32::from_rgb(0xB0, 0x1E, 0x2E),
            )
        } else {
            (
                Color32::from_rgb(0xE8, 0xF4, 0xFD),
                Color32::from_rgb(0x0B, 0x4F, 0x8A),
            )
        };
        let width = (view.width() - 24.0).max(120.0);
        egui::Area::new(egui::Id::unique("banner"))
            .order(egui::Order::Foreground)
            .fixed_pos(view.min + egui::vec2(12.0, 8.0))
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(fill)
                    .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.4)))
                    .corner_radius(6.0)
                    .inner_margin(8.0)
                    .shadow(egui::epaint::Shadow {
                        offset: [0, 2],
                        blur: 8,
                        spread: 0,
                        color: Color32::from_black_alpha(40),
                    })
                    .show(ui, |ui| {
                        ui.set_width(width - 16.0);
                        ui.horizontal(|ui| {
                            if ui.small_button("Dismiss").clicked() {
                                self.banner = None;
                            }
                            ui.add(egui::Label::new(RichText::new(&b.text).color(color)).wrap());
                        });
                    });
            });
    }

    /// The menu bar: every item is an action of the table (what it does is in
    /// [`ArchApp::run`]) but Open Recent's files.
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui, edits: &mut Edits) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.menu_items(ui, &[Action::New, Action::NewFromTemplate], edits);
                self.menu_items(ui, &[Action::Open, Action::Import], edits);
                ui.menu_button("Open Recent", |ui| {
                    if self.recent.paths.is_empty() {
                        ui.label(RichText::new("No recent files").color(Color32::GRAY));
                    }
                    for p in self.recent.paths.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.request(ui.ctx(), Pending::Open(Some(p)));
                        }
                    }
                });
                ui.separator();
                self.menu_items(ui, &[Action::Save, Action::SaveAs], edits);
                ui.separator();
                self.menu_items(
                    ui,
                    &[Action::UseAsReference, Action::ReloadStandards],
                    edits,
                );
                ui.separator();
                self.menu_items(ui, &[Action::Export, Action::CopyPng], edits);
                ui.separator();
                self.menu_item(ui, Action::Quit, edits);
            });
            ui.menu_button("Edit", |ui| {
                self.menu_items(ui, &[Action::Undo, Action::Redo], edits);
                ui.separator();
                self.menu_items(
                    ui,
                    &[Action::Cut, Action::Copy, Action::Paste, Action::Duplicate],
                    edits,
                );
                ui.separator();
                self.menu_items(ui, &[Action::SelectAll, Action::Delete], edits);
                ui.separator();
                ui.menu_button("Align", |ui| self.menu_items(ui, actions::ALIGN, edits));
                self.menu_item(ui, Action::Group, edits);
                ui.menu_button("Group as", |ui| {
                    for kind in crate::model::GroupKind::ALL {
                        self.menu_item(ui, Action::GroupAs(kind), edits);
                    }
                });
                self.menu_item(ui, Action::Ungroup, edits);
                ui.separator();
                self.menu_items(ui, &[Action::Arrange, Action::ArrangeDown], edits);
            });
            ui.menu_button("View", |ui| {
                self.menu_items(
                    ui,
                    &[
                        Action::FindingsPanel,
                        Action::RulesWindow,
                        Action::SnapToGrid,
                        Action::Minimap,
                    ],
                    edits,
                );
                ui.menu_button("Theme", |ui| self.menu_items(ui, actions::THEMES, edits));
                ui.separator();
                self.menu_items(
                    ui,
                    &[
                        Action::ZoomToFit,
                        Action::ZoomIn,
                        Action::ZoomOut,
                        Action::ZoomReset,
                    ],
                    edits,
                );
            });
            ui.menu_button("Help", |ui| {
                self.menu_item(ui, Action::Shortcuts, edits);
            });
        });
    }

    fn menu_items(&mut self, ui: &mut egui::Ui, items: &[Action], edits: &mut Edits) {
        for &action in items {
            self.menu_item(ui, action, edits);
        }
    }

    pub(super) fn export_dialog(&mut self, ctx: &egui::Context) {
        if !self.export_open {
            return;
        }
        let has_selection = !self.canvas.selection.is_empty();
        match export_dialog::show(ctx, &mut self.export, self.doc.design(), has_selection) {
            DialogOutcome::Nothing => {}
            DialogOutcome::Cancel => self.export_open = false,
            DialogOutcome::Export => {
                self.export_open = false;
                self.remember_export();
                let format = self.export.format;
                let stem = crate::model::slugify(&self.doc.display_name()).replace('_', "-");
                let picked = rfd::FileDialog::new()
                    .add_filter(format.extension().to_uppercase(), &[format.extension()])
                    .set_file_name(format!("{stem}.{}", format.extension()))
                    .save_file();
                if let Some(path) = picked {
                    self.export_to(&path, format);
                }
            }
        }
    }

    /// Help > Keyboard shortcuts: every action with its keys, then the canvas gestures, read
    /// from the same table as the menus.
    pub(super) fn shortcuts_window(&mut self, ctx: &egui::Context) {
        if !self.shortcuts_open {
            return;
        }
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .default_size([420.0, 560.0])
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        let rows = actions::ACTIONS
                            .iter()
                            .filter(|a| !a.shortcuts.is_empty())
                            .map(|a| {
                                let keys: Vec<String> =
                                    a.shortcuts.iter().map(actions::shortcut_text).collect();
                                (a.name.to_string(), keys.join(", "))
                            })
                            .chain(
                                actions::GESTURES
                                    .iter()
                                    .map(|(what, keys)| (what.to_string(), keys.to_string())),
                            );
                        for (what, keys) in rows {
                            ui.label(what);
                            ui.label(RichText::new(keys).monospace());
                            ui.end_row();
                        }
                    });
                });
            });
        self.shortcuts_open = open;
    }

    pub(super) fn rules_window(&mut self, ctx: &egui::Context) {
        if !self.rules_window {
            return;
        }
        let mut open = true;
        let mut changes = Vec::new();
        egui::Window::new("Rules")
            .open(&mut open)
            .default_size([520.0, 520.0])
            .show(ctx, |ui| {
                ui.label("Turn off the rules you do not want checked (kept for this session).");
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for rule in crate::rules::registry() {
                        let mut on = !self.rule_options.disabled.contains(rule.id);
                        ui.horizontal(|ui| {
                            findings::dot(ui, rule.severity);
                            if ui
                                .checkbox(&mut on, format!("{}  {}", rule.id, rule.title))
                                .changed()
                            {
                                changes.push((rule.id.to_string(), on));
                            }
                        });
                    }
                    let mut on = !self.rule_options.disabled.contains("T");
                    if ui
                        .checkbox(&mut on, "T01-T35  Reference-architecture conformance")
                        .changed()
                    {
                        changes.push(("T".to_string(), on));
                    }
                    if let Some(team) = self.rule_options.team.clone() {
                        ui.separator();
                        ui.label(RichText::new("The team's own").strong());
                        let rows = team
                            .pack
                            .rules
                            .iter()
                            .map(|r| {
                                (
                                    r.id.clone(),
                                    Some(r.severity.into()),
                                    r.message.replace("{label}", "a service"),
                                )
                            })
                            .chain(team.references.own().iter().map(|r| {
                                (r.id.clone(), None, format!("Own reference: {}", r.name))
                            }));
                        for (id, severity, text) in rows {
                            let mut on = !self.rule_options.disabled.contains(&id);
                            ui.horizontal(|ui| {
                                if let Some(severity) = severity {
                                    findings::dot(ui, severity);
                                }
                                if ui.checkbox(&mut on, format!("{id}  {text}")).changed() {
                                    changes.push((id.clone(), on));
                                }
                            });
                        }
                    }
                });
            });
        for (id, on) in changes {
            self.set_rule_enabled(&id, on);
        }
        self.rules_window = open;
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui, found: &[Finding]) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                let (e, w, _) = findings::counts(found);
                let color = if e > 0 { Color32::from_rgb(0xD1, 0x32, 0x12) } else if w > 0 { Color32::from_rgb(0xB2, 0x6B, 0x00) } else { Color32::from_gray(90) };
                if ui.link(RichText::new(findings::summary(found)).color(color)).on_hover_text("Show or hide the findings panel").clicked() {
                    self.findings_ui.open = !self.findings_ui.open;
                }
                ui.separator();
                let d = self.doc.design();
                ui.label(crate::ui::inspector::summary(d, " · "));
                ui.separator();
                ui.label(format!("{:.0}%", self.canvas.camera.zoom * 100.0));
                ui.separator();
                let saved = if self.doc.is_modified() { "unsaved changes" } else { "saved" };
                ui.label(saved);
                if let Some(p) = self.doc.path() {
                    ui.separator();
                    ui.label(RichText::new(p.display().to_string()).color(Color32::GRAY));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new("Drag from the palette · hover a service and drag its dot to connect · F fits").color(Color32::GRAY));
                });
            });
        });
    }

    pub(super) fn window_chrome(&mut self, ctx: &egui::Context) {
        let title = self.title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_modified()
            && !self.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
    }
}
