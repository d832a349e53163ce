//! The file workflow: open, save (asking before overwriting a file changed on disk),
//! import (with the page choice of a draw.io file), export to a file, recovering an
//! autosave, and the "save changes?" prompt in front of anything that replaces the design.

use std::path::{Path, PathBuf};

use super::{ArchApp, Banner, error};
use crate::model::Design;
use crate::ui::document::Document;

/// What to do once the person has answered "save changes?".
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Pending {
    New,
    FromTemplate(&'static crate::templates::Template),
    Open(Option<PathBuf>),
    /// A CloudFormation/SAM template or a draw.io file, which becomes an unsaved design.
    Import(Option<PathBuf>),
    Quit,
}

/// The person's answer to "save changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveAnswer {
    Save,
    DontSave,
    Cancel,
}

impl ArchApp {
    /// Puts the offered autosave in place of the current design (unsaved, with its original
    /// file if it had one). The autosave stays in the data folder until this window has
    /// autosaved or saved the work: a window that dies right after Recover loses nothing.
    pub fn recover(&mut self) {
        let Some(recovery) = self.recovery.take() else {
            return;
        };
        match crate::io::load_file(&recovery.file) {
            Ok(design) => {
                let doc = Document::recovered(
                    design,
                    recovery.original.clone(),
                    recovery.written,
                    self.next_generation,
                );
                self.replace(doc);
                self.autosave.adopt(recovery);
                self.banner = Some(Banner {
                    text: "Recovered the unsaved work of the last session: save it to keep it."
                        .into(),
                    is_error: false,
                });
            }
            Err(e) => {
                self.banner = Some(error(format!(
                    "The autosave could not be read ({e}); it stays at {}",
                    recovery.file.display()
                )));
            }
        }
    }

    /// Drops the offered autosave for good.
    pub fn discard_recovery(&mut self) {
        if let Some(recovery) = self.recovery.take() {
            crate::ui::autosave::discard(&recovery);
        }
    }

    pub(super) fn recovery_prompt(&mut self, ctx: &egui::Context) {
        let Some(recovery) = &self.recovery else {
            return;
        };
        let name = recovery
            .original
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or("a new design".to_string(), |n| {
                format!("\"{}\"", n.to_string_lossy())
            });
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("recover")).show(ctx, |ui| {
            ui.heading("Recover unsaved work?");
            ui.label(format!(
                "archsketch closed before {name} was saved. Its last changes were kept."
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Recover").clicked() {
                    answer = Some(true);
                }
                if ui.button("Discard").clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => self.recover(),
            Some(false) => self.discard_recovery(),
            None => {}
        }
    }

    /// Saves to the document's file, or asks where (always, for Save As). True when saved.
    /// A file someone else changed since it was opened is not overwritten: the window asks.
    pub(super) fn save(&mut self, ask: bool) -> bool {
        let target = match (self.doc.path(), ask) {
            (Some(p), false) => {
                if self.doc.changed_on_disk() {
                    self.disk_conflict = Some(None);
                    return false;
                }
                Some(p.to_path_buf())
            }
            _ => {
                let name = format!(
                    "{}.ron",
                    crate::model::slugify(&self.doc.display_name()).replace('_', "-")
                );
                rfd::FileDialog::new()
                    .add_filter("archsketch design", &["ron"])
                    .set_file_name(name)
                    .save_file()
            }
        };
        let Some(path) = target else { return false };
        self.write_to(&path)
    }

    /// Writes the design to `path`, saying why in the banner when it cannot.
    pub(super) fn write_to(&mut self, path: &Path) -> bool {
        match self.doc.save_to(path) {
            Ok(()) => {
                self.recent.touch(path);
                self.banner = None;
                true
            }
            Err(e) => {
                self.banner = Some(error(e.to_string()));
                false
            }
        }
    }

    /// Asks what to do when the design's file changed on disk since it was opened: overwrite
    /// it, save elsewhere, or leave both as they are. Then carries out what waited on the save.
    pub(super) fn disk_conflict_prompt(&mut self, ctx: &egui::Context) {
        let Some(then) = self.disk_conflict.clone() else {
            return;
        };
        let name = self
            .doc
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("changed-on-disk")).show(ctx, |ui| {
            ui.heading("The file changed on disk");
            ui.label(format!(
                "{name} was changed by someone else (another window, a git checkout) since you opened it. Saving now would overwrite that work."
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save As…").clicked() {
                    answer = Some(DiskConflict::SaveAs);
                }
                if ui.button("Overwrite").clicked() {
                    answer = Some(DiskConflict::Overwrite);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(DiskConflict::Cancel);
                }
            });
        });
        let Some(answer) = answer else { return };
        self.disk_conflict = None;
        let saved = match answer {
            DiskConflict::SaveAs => self.save(true),
            DiskConflict::Overwrite => match self.doc.path().map(Path::to_path_buf) {
                Some(path) => self.write_to(&path),
                None => false,
            },
            DiskConflict::Cancel => false,
        };
        if saved && let Some(p) = then {
            self.carry_out(ctx, p);
        }
    }

    /// Runs `p` now, or first asks about unsaved changes.
    pub(super) fn request(&mut self, ctx: &egui::Context, p: Pending) {
        if self.doc.is_modified() {
            self.pending = Some(p);
        } else {
            self.carry_out(ctx, p);
        }
    }

    pub(super) fn carry_out(&mut self, ctx: &egui::Context, p: Pending) {
        match p {
            Pending::New => {
                self.replace(Document::unsaved(Design::default(), self.next_generation))
            }
            Pending::FromTemplate(t) => match t.design() {
                Ok(design) => self.replace(Document::unsaved(design, self.next_generation)),
                Err(e) => self.banner = Some(error(e.to_string())),
            },
            Pending::Open(path) => {
                let path = path.or_else(|| {
                    rfd::FileDialog::new()
                        .add_filter("archsketch design", &["ron"])
                        .pick_file()
                });
                if let Some(path) = path {
                    self.open_path(&path);
                }
            }
            Pending::Import(path) => {
                let path = path.or_else(|| {
                    rfd::FileDialog::new()
                        .add_filter(
                            "CloudFormation, SAM or draw.io",
                            &["yaml", "yml", "json", "template", "drawio", "xml"],
                        )
                        .pick_file()
                });
                if let Some(path) = path {
                    self.import_path(&path);
                }
            }
            Pending::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Imports a template or draw.io file as a new unsaved design and says what became of
    /// it; on error the current design stays. A draw.io file of several pages asks which.
    pub fn import_path(&mut self, path: &Path) {
        // The file is read and its pages imported once; the page picked is one of them.
        let shown = path.display().to_string();
        let text = match crate::import::read_source(path) {
            Ok(text) if crate::import::is_drawio_text(path, &text) => text,
            Ok(text) => {
                let imported =
                    crate::import::import_template_with(&text, &shown, Default::default());
                return self.take_import(path, imported);
            }
            Err(e) => return self.take_import(path, Err(e)),
        };
        let pages = match crate::drawio::import_pages(&text, &shown) {
            Ok(pages) => pages,
            Err(e) => return self.take_import(path, Err(e)),
        };
        if pages.len() > 1 && pages.iter().any(|p| p.aws_shapes > 0) {
            self.page_choice = Some(crate::ui::page_choice::PageChoice::new(
                path.to_path_buf(),
                pages,
            ));
            return;
        }
        let imported = crate::drawio::choose(pages, &shown, &crate::drawio::PagePick::default());
        self.take_import(path, imported);
    }

    /// Shows File > Import's page choice while one waits, and imports the page picked.
    pub(super) fn page_choice(&mut self, ctx: &egui::Context) {
        let Some(choice) = &self.page_choice else {
            return;
        };
        match choice.show(ctx) {
            Some(crate::ui::page_choice::Answer::Page(n)) => {
                if let Some(choice) = self.page_choice.take() {
                    let shown = choice.path.display().to_string();
                    let imported = crate::drawio::choose(
                        choice.pages,
                        &shown,
                        &crate::drawio::PagePick::Number(n),
                    );
                    self.take_import(&choice.path, imported);
                }
            }
            Some(crate::ui::page_choice::Answer::Cancel) => self.page_choice = None,
            None => {}
        }
    }

    /// Shows what an import made as a new unsaved design, or why it could not be made.
    pub(super) fn take_import(
        &mut self,
        path: &Path,
        imported: Result<crate::import::Imported, crate::import::ImportError>,
    ) {
        match imported {
            Ok(imported) => {
                self.replace(Document::unsaved(imported.design, self.next_generation));
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                self.banner = Some(Banner {
                    text: format!("Imported {name}: {}", imported.report),
                    is_error: false,
                });
            }
            Err(e) => self.banner = Some(error(e.to_string())),
        }
    }

    /// Opens a file in place of the current design; on error the current design stays.
    pub fn open_path(&mut self, path: &Path) {
        if crate::import::is_importable(path) {
            return self.import_path(path);
        }
        match Document::open(path, self.next_generation) {
            Ok(doc) => {
                self.replace(doc);
                self.recent.touch(path);
            }
            Err(e) => self.banner = Some(error(e.to_string())),
        }
    }

    pub(super) fn replace(&mut self, doc: Document) {
        self.next_generation = doc.generation() + 1;
        self.doc = doc;
        self.canvas.selection.clear();
        self.step_selections.clear();
        self.canvas.fit_requested = true;
        self.banner = None;
        self.reference_view.shown = None;
        self.load_team_standards();
    }

    pub(super) fn unsaved_prompt(&mut self, ctx: &egui::Context) {
        let Some(p) = self.pending.clone() else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
            ui.heading("Save changes?");
            ui.label(format!(
                "\"{}\" has changes that are not saved.",
                self.doc.display_name()
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    answer = Some(SaveAnswer::Save);
                }
                if ui.button("Don't save").clicked() {
                    answer = Some(SaveAnswer::DontSave);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(SaveAnswer::Cancel);
                }
            });
        });
        match answer {
            Some(SaveAnswer::Save) => {
                self.pending = None;
                if self.save(false) {
                    self.carry_out(ctx, p);
                } else if self.disk_conflict.is_some() {
                    // Carried out once the person has decided about the changed file.
                    self.disk_conflict = Some(Some(p));
                }
            }
            Some(SaveAnswer::DontSave) => {
                self.pending = None;
                self.carry_out(ctx, p);
            }
            Some(SaveAnswer::Cancel) => self.pending = None,
            None => {}
        }
    }

    /// Exports the design with the dialog's choices; the outcome shows in the banner.
    pub fn export_to(&mut self, path: &Path, format: crate::export::Format) {
        let findings = self.findings();
        let options = self.export.options(&findings, &self.selection_vec());
        self.banner = Some(
            match crate::export::export_file(
                self.doc.design(),
                path,
                format,
                &options,
                self.export.size(),
            ) {
                Ok(()) => Banner {
                    text: format!("Exported {}", path.display()),
                    is_error: false,
                },
                Err(e) => error(e.to_string()),
            },
        );
    }
}

/// What the person chose when a save found the file changed on disk.
#[derive(Clone, Copy)]
enum DiskConflict {
    SaveAs,
    Overwrite,
    Cancel,
}
