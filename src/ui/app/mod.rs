//! The application shell: the window's state and its frame. Each job has its own file:
//! [`derived`] (scene and findings caches, the check worker), [`dispatch`] (every command of
//! the action table), [`files`] (open, save, import and their prompts), [`settings`] (what
//! is remembered between runs), [`standards`] (team rule packs and references) and
//! [`chrome`] (menu and status bars, banner, windows). UI code returns [`Edits`]; they are
//! applied here, after the frame.

mod chrome;
pub mod derived;
mod dispatch;
mod files;
pub mod settings;
mod standards;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::actions;
use super::canvas::{self, CanvasState};
use super::command_palette;
use super::document::{Document, RecentFiles};
use super::edits::{Edits, Queued};
use super::export_dialog::ExportSettings;
use super::findings::{self, FindingsState, FindingsView};
use super::inspector;
use super::palette::{self, PaletteState};
use crate::model::{Design, ElementRef};
use crate::rules::CheckOptions;
use crate::scene::Scene;
use derived::Derived;
use files::Pending;
pub use settings::{Setting, SettingsStore};

/// A message shown in a banner under the menu bar.
#[derive(Clone, Debug)]
pub struct Banner {
    pub text: String,
    pub is_error: bool,
}

/// The whole window's state.
pub struct ArchApp {
    pub doc: Document,
    pub canvas: CanvasState,
    pub palette: PaletteState,
    pub banner: Option<Banner>,
    pub recent: RecentFiles,
    /// The scene and findings of the design, and a check under way.
    derived: Derived,
    pending: Option<Pending>,
    /// A save found the file changed on disk: the question is open, with what waits on the
    /// save (quitting, opening another file) if anything.
    disk_conflict: Option<Option<Pending>>,
    allow_close: bool,
    shown_title: String,
    next_generation: u64,
    /// The Export dialog's choices, and whether it is open.
    pub export: ExportSettings,
    export_open: bool,
    pub findings_ui: FindingsState,
    /// Rules turned off in settings, and a counter that changes with them.
    pub rule_options: CheckOptions,
    rules_version: u64,
    rules_window: bool,
    /// Help > Keyboard shortcuts is open.
    pub shortcuts_open: bool,
    pub gallery: super::gallery::Gallery,
    /// The last selection copied here: pasted when the system clipboard gives no text (no
    /// clipboard service, or a test harness).
    pub clipboard: Option<String>,
    /// What was selected at each state of the design, for Undo and Redo to bring back.
    step_selections: super::step_selection::StepSelections,
    /// The reference shown beside the design, if any.
    pub reference_view: super::reference_view::ReferenceView,
    /// Designs added with File > Use as reference, kept for the session.
    pub session_references: Vec<crate::rules::reference::Reference>,
    /// Unsaved work written to the data folder while the window runs.
    pub autosave: super::autosave::Autosave,
    /// Work a previous session left unsaved, offered at start.
    pub recovery: Option<super::autosave::Recovery>,
    /// Where the window's choices are remembered between runs, if anywhere.
    settings: SettingsStore,
    /// The command palette (Ctrl+Shift+P).
    pub palette_ui: command_palette::CommandPalette,
    /// `--frame-stats`: frame times reported on stderr.
    frame_stats: Option<super::frame_stats::FrameStats>,
    /// Light, dark, or as the system says (View > Theme).
    pub theme: egui::ThemePreference,
    /// A draw.io file of several pages waiting for File > Import's page to be picked.
    page_choice: Option<super::page_choice::PageChoice>,
}

impl ArchApp {
    /// An app showing `doc`, with `banner` (e.g. a load error) on top.
    pub fn new(doc: Document, banner: Option<Banner>, recent: RecentFiles) -> Self {
        let mut canvas = CanvasState::default();
        canvas.fit_requested = true;
        canvas.minimap = true;
        Self {
            next_generation: doc.generation() + 1,
            doc,
            canvas,
            palette: PaletteState::default(),
            banner,
            recent,
            derived: Derived::default(),
            pending: None,
            disk_conflict: None,
            allow_close: false,
            shown_title: String::new(),
            export: ExportSettings::default(),
            export_open: false,
            findings_ui: FindingsState::new(),
            rule_options: CheckOptions::default(),
            rules_version: 0,
            rules_window: false,
            shortcuts_open: false,
            gallery: super::gallery::Gallery::default(),
            clipboard: None,
            step_selections: Default::default(),
            reference_view: Default::default(),
            session_references: Vec::new(),
            autosave: super::autosave::Autosave::new(None),
            recovery: None,
            settings: SettingsStore::default(),
            palette_ui: Default::default(),
            frame_stats: None,
            theme: egui::ThemePreference::Light,
            page_choice: None,
        }
        .with_team_standards()
    }

    /// Reports frame times on stderr every 100 frames (`--frame-stats`).
    pub fn with_frame_stats(mut self, on: bool) -> Self {
        self.frame_stats = on.then(Default::default);
        self
    }

    /// Autosaves unsaved work into `dir` (the window does; most tests do not), and offers to
    /// recover what an earlier session left there.
    pub fn with_autosave(mut self, dir: Option<PathBuf>) -> Self {
        self.autosave = super::autosave::Autosave::new(dir);
        self.recovery = self.autosave.orphans().into_iter().next();
        self
    }

    /// Opens `path` if given, as File > Open would (a load error is shown in the window over
    /// an empty design; a template or draw.io file is imported).
    pub fn start(path: Option<&Path>, recent: RecentFiles) -> Self {
        let mut app = Self::new(Document::unsaved(Design::default(), 0), None, recent);
        if let Some(p) = path {
            app.open_path(p);
        }
        app
    }

    /// The window title: the design's name, with a marker for unsaved changes.
    pub fn title(&self) -> String {
        let marker = if self.doc.is_modified() { "● " } else { "" };
        format!("{marker}{} — archsketch", self.doc.display_name())
    }

    /// Draws one frame into `ui` (the root of the window, or a test harness).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.canvas.dark = ui.ctx().theme() == egui::Theme::Dark;
        let mut edits = Edits::default();
        let text_focus = ui.ctx().text_edit_focused();
        // Nothing but the gesture changes the design while a drag is under way: an undo in
        // the middle of one would be merged into it or overwritten by its next frame.
        let gesture = self.canvas.gesture_under_way();
        for action in actions::pressed(ui.ctx(), text_focus) {
            if !gesture || action.runs_during_a_gesture() {
                self.run(ui.ctx(), action, &mut edits);
            }
        }
        if !text_focus && !gesture {
            self.nudge(ui, &mut edits);
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &mut edits));
        let findings = self.findings();
        edits.findings_made_for = findings.made_for;
        self.status_bar(ui, &findings);
        let mut focus = None;
        let mut show_reference = None;
        if self.findings_ui.open {
            let design = self.doc.design();
            let state = &mut self.findings_ui;
            let references = self.rule_options.references();
            egui::Panel::bottom("findings")
                .resizable(true)
                .default_size(190.0)
                .show(ui, |ui| {
                    let outcome =
                        findings::show(ui, state, &findings, design, references, &mut edits);
                    focus = outcome.focus;
                    show_reference = outcome.show_reference;
                });
        }
        if let Some((id, elements)) = show_reference {
            self.reference_view.open(
                ui.ctx(),
                &id,
                self.doc.design(),
                &elements,
                self.rule_options.references(),
            );
        }
        let design = self.doc.design();
        egui::Panel::left("palette")
            .resizable(true)
            .default_size(240.0)
            .show(ui, |ui| {
                palette::show(
                    ui,
                    &mut self.palette,
                    design,
                    palette::Placement {
                        view_center: self.canvas.view_center(),
                        selection: &self.canvas.selection,
                    },
                    &mut edits,
                );
            });
        // The last scene drawn (a frame old at most) tells the inspector where boxes are.
        let last_scene = self.derived.last_scene();
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                inspector::show(
                    ui,
                    design,
                    last_scene.as_deref(),
                    &self.canvas,
                    &findings,
                    &mut edits,
                );
            });
        // Let go before the scene is brought up to date, so a scene that follows a drag is
        // moved in place rather than copied.
        drop(last_scene);
        let scene = self.scene();
        if scene.pending {
            ui.ctx().request_repaint();
        }
        if let Some(elements) = focus {
            self.canvas.selection = findings::as_set(&elements);
            self.canvas.focus_on(self.doc.design(), &scene, &elements);
        }
        let canvas_response = egui::CentralPanel::default()
            .frame(egui::Frame::new())
            .show(ui, |ui| {
                canvas::show(
                    ui,
                    self.doc.design(),
                    &scene,
                    &mut self.canvas,
                    &findings,
                    &mut edits,
                )
            })
            .inner;
        // One context menu for the canvas and everything on it, at the pointer.
        let open = if std::mem::take(&mut self.canvas.context_requested) {
            Some(egui::SetOpenCommand::Bool(true))
        } else {
            canvas_response
                .clicked()
                .then_some(egui::SetOpenCommand::Bool(false))
        };
        egui::Popup::menu(&canvas_response)
            .open_memory(open)
            .at_pointer_fixed()
            .show(|ui| self.context_menu(ui, &mut edits));
        self.command_palette(ui.ctx(), &mut edits);
        self.banner_overlay(ui.ctx());
        self.rules_window(ui.ctx());
        self.shortcuts_window(ui.ctx());
        self.reference_view.show(ui.ctx());
        if let Some(t) = self.gallery.show(ui.ctx()) {
            self.request(ui.ctx(), Pending::FromTemplate(t));
        }

        if !edits.queue.is_empty() {
            ui.ctx().request_repaint();
        }
        self.apply(edits);
        self.export_dialog(ui.ctx());
        self.unsaved_prompt(ui.ctx());
        self.page_choice(ui.ctx());
        self.recovery_prompt(ui.ctx());
        self.disk_conflict_prompt(ui.ctx());
        self.window_chrome(ui.ctx());
        if self.checking() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(30));
        }
        if let Some(wait) = self.autosave.tick(&self.doc, std::time::Instant::now()) {
            ui.ctx().request_repaint_after(wait);
        }
        if let Some(problem) = self.autosave.failed.take() {
            self.banner = Some(error(format!(
                "Autosave failed ({problem}); save the design to keep your changes"
            )));
        }
    }

    /// After Undo or Redo: the selection that went with the state returned to.
    fn restore_step_selection(&mut self) {
        if let Some(selection) = self.step_selections.at(self.doc.history().revision()) {
            self.canvas.selection = selection.clone();
        }
        self.canvas.prune_selection(self.doc.design());
    }

    /// Applies a frame's edits in order, then the selection that goes with them.
    pub fn apply(&mut self, edits: Edits) {
        let before = self.doc.history().revision();
        let structure = self.doc.history().structure();
        if edits
            .queue
            .iter()
            .any(|q| matches!(q, Queued::Command(..) | Queued::Fix { .. }))
        {
            self.step_selections.record(before, &self.canvas.selection);
        }
        for q in edits.queue {
            match q {
                Queued::Seal => self.doc.seal(),
                Queued::Command(cmd, key) => {
                    if let Err(e) = self.doc.apply(cmd, key.as_deref()) {
                        self.banner = Some(error(format!("That change could not be made: {e}")));
                    }
                }
                Queued::Fix { command, made_for } => {
                    let now = (self.doc.generation(), self.doc.history().revision());
                    if now != made_for {
                        self.banner = Some(error(
                            "The design changed since that finding was made, so its fix was not applied; the findings are being brought up to date".to_string(),
                        ));
                    } else if let Err(e) = self.doc.apply(command, None) {
                        self.banner = Some(error(format!("That fix could not be made: {e}")));
                    }
                }
            }
        }
        if let Some(sel) = edits.select {
            self.canvas.selection = sel;
        }
        // Only a change of structure can take a selected element away.
        if self.doc.history().structure() != structure {
            self.canvas.prune_selection(self.doc.design());
        }
        let after = self.doc.history().revision();
        if after != before {
            self.step_selections.record(after, &self.canvas.selection);
        }
        if edits.reveal && !self.canvas.selection.is_empty() {
            let scene = self.scene();
            let shown: Vec<ElementRef> = self.canvas.selection.iter().cloned().collect();
            self.canvas.focus_on(self.doc.design(), &scene, &shown);
        }
    }

    /// The findings of the current design (cached until the design or the settings change;
    /// a big design is checked on a worker thread, see [`Derived::findings`]).
    pub fn findings(&mut self) -> Arc<FindingsView> {
        self.derived
            .findings(&self.doc, &self.rule_options, self.rules_version)
    }

    /// Whether a check is running on the worker: the window keeps drawing until it is in.
    pub fn checking(&self) -> bool {
        self.derived.checking()
    }

    /// The scene of the current design, brought up to date within a frame's routing budget
    /// (see [`Derived::scene`]).
    pub fn scene(&mut self) -> Arc<Scene> {
        let gesture = self.canvas.gesture_under_way();
        self.derived.scene(&self.doc, gesture)
    }
}

/// A banner saying what went wrong.
fn error(text: String) -> Banner {
    Banner {
        text,
        is_error: true,
    }
}

impl eframe::App for ArchApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(stats) = &mut self.frame_stats {
            // Keep drawing, so idle frames are measured too.
            ui.ctx().request_repaint();
            if let Some(cpu) = frame.info().cpu_usage
                && let Some(report) = stats.record(cpu)
            {
                eprintln!("archsketch: {report}");
            }
        }
    }

    /// A clean close: saved, or the person chose not to save. Nothing is left to recover.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.autosave.clear();
    }
}

/// Opens the window. Blocks until it is closed.
pub fn run_window(path: Option<PathBuf>, frame_stats: bool) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("archsketch")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "archsketch",
        options,
        Box::new(move |cc| {
            egui_extras::install_image_loaders(&cc.egui_ctx);
            let settings = SettingsStore::per_user();
            let recent = RecentFiles::load(settings.path(Setting::Recent));
            Ok(Box::new(
                ArchApp::start(path.as_deref(), recent)
                    .with_autosave(super::autosave::Autosave::default_dir())
                    .with_settings(&cc.egui_ctx, settings)
                    .with_frame_stats(frame_stats),
            ))
        }),
    )
}
