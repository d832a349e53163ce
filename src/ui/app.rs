//! The application shell: menus, panels, keyboard actions, files and the unsaved-changes
//! prompt. UI code returns [`Edits`]; they are applied here, after the frame.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::{Color32, RichText};

use super::actions::{self, Action, spec};
use super::canvas::{self, CanvasState};
use super::command_palette;
use super::document::{Document, RecentFiles};
use super::edits::{Edits, Queued};
use super::export_dialog::{self, DialogOutcome, ExportSettings};
use super::findings::{self, FindingsState, FindingsView};
use super::inspector;
use super::palette::{self, PaletteState};
use crate::edit::{clipboard, ops};
use crate::model::{Design, ElementRef, GroupKind};
use crate::rules::{CheckOptions, Finding};
use crate::scene::{self, Scene};
use std::sync::Arc;

/// How long one frame may spend routing edges; what is left is drawn straight and routed in
/// the frames that follow.
const ROUTING_BUDGET: std::time::Duration = std::time::Duration::from_millis(6);

/// What findings were computed for: (design generation, revision, rule settings version).
type FindingsKey = (u64, u64, u64);

/// Designs of at least this many services are checked on a worker thread while editing.
const CHECK_IN_BACKGROUND_FROM: usize = 2_000;

/// What to do once the person has answered "save changes?".
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    New,
    FromTemplate(&'static crate::templates::Template),
    Open(Option<PathBuf>),
    /// A CloudFormation/SAM template or a draw.io file, which becomes an unsaved design.
    Import(Option<PathBuf>),
    Quit,
}

/// Which state of which design a scene was drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SceneKey {
    generation: u64,
    revision: u64,
    /// [`crate::edit::History::structure`]: equal keys but for the revision mean only
    /// nodes moved in between.
    structure: u64,
}

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
    scene: Option<(SceneKey, Arc<Scene>)>,
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
    export_store: Option<PathBuf>,
    /// Findings of the current design, recomputed when it changes.
    findings: Option<(FindingsKey, Arc<FindingsView>)>,
    /// A check running on a worker thread, and the design state it checks.
    findings_job: Option<(FindingsKey, std::sync::mpsc::Receiver<Vec<Finding>>)>,
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
    /// Where View > Rules is remembered, if anywhere.
    rules_store: Option<PathBuf>,
    /// The command palette (Ctrl+Shift+P).
    pub palette_ui: command_palette::CommandPalette,
    /// `--frame-stats`: frame times reported on stderr.
    frame_stats: Option<super::frame_stats::FrameStats>,
    /// Light, dark, or as the system says (View > Theme).
    pub theme: egui::ThemePreference,
    theme_store: Option<PathBuf>,
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
            scene: None,
            pending: None,
            disk_conflict: None,
            allow_close: false,
            shown_title: String::new(),
            export: ExportSettings::default(),
            export_open: false,
            export_store: None,
            findings: None,
            findings_job: None,
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
            rules_store: None,
            palette_ui: Default::default(),
            frame_stats: None,
            theme: egui::ThemePreference::Light,
            theme_store: None,
            page_choice: None,
        }
        .with_team_standards()
    }

    /// Reads the team standards next to the open design (a rule pack, a `references/`
    /// folder) together with the session's own references; problems show in the banner and
    /// the built-in rules go on.
    pub fn load_team_standards(&mut self) {
        let dir = self
            .doc
            .path()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let found = match &dir {
            Some(d) => crate::standards::find(d, None, None),
            None => Ok(Default::default()),
        };
        let (pack, mut own) = match found {
            Ok(parts) => parts,
            Err(problems) => {
                self.banner = Some(error(format!(
                    "The team standards next to this design cannot be used, so only the built-in rules run: {}",
                    problems.join("; ")
                )));
                (Default::default(), Vec::new())
            }
        };
        for r in &self.session_references {
            if !own.iter().any(|o| o.id == r.id) {
                own.push(r.clone());
            }
        }
        self.rule_options.team = crate::rules::team::Team::from_parts(pack, own).map(Arc::new);
        self.rules_version += 1;
    }

    fn with_team_standards(mut self) -> Self {
        self.load_team_standards();
        self
    }

    /// Adds a design file as an own reference for the session (File > Use as reference).
    pub fn use_as_reference(&mut self, path: &Path) {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let made = crate::io::load_file(path)
            .map_err(|e| e.to_string())
            .and_then(|design| {
                crate::rules::team::reference_from_design(&design, &id, &path.display().to_string())
            });
        match made {
            Ok(reference) => {
                let text = format!(
                    "\"{}\" is now a reference architecture ({id}, {} stages): pipelines like it are matched with it",
                    reference.name,
                    reference.stages.len()
                );
                self.session_references.retain(|r| r.id != reference.id);
                self.session_references.push(reference);
                self.load_team_standards();
                self.banner = Some(Banner {
                    text,
                    is_error: false,
                });
            }
            Err(e) => {
                self.banner = Some(error(format!(
                    "{} cannot be a reference: {e}",
                    path.display()
                )))
            }
        }
    }

    /// The findings of the current design (cached until the design or the settings change).
    /// A big design is checked on a worker thread: while a check runs (every frame of a drag
    /// would otherwise wait for one), the window shows the last findings it has, and the
    /// new ones replace them when they are ready. A small design is checked at once.
    pub fn findings(&mut self) -> Arc<FindingsView> {
        let key = (
            self.doc.generation(),
            self.doc.history().revision(),
            self.rules_version,
        );
        if let Some((job_key, receiver)) = &self.findings_job
            && let Ok(found) = receiver.try_recv()
        {
            let made_for = (job_key.0, job_key.1);
            self.findings = Some((*job_key, Arc::new(FindingsView::new(found, made_for))));
            self.findings_job = None;
        }
        if let Some((k, view)) = &self.findings
            && *k == key
        {
            return view.clone();
        }
        let big = self.doc.design().nodes().len() >= CHECK_IN_BACKGROUND_FROM;
        let same_design = self.findings.as_ref().is_some_and(|(k, _)| k.0 == key.0);
        if big && same_design {
            if self.findings_job.is_none() {
                let design = self.doc.design().clone();
                let options = self.rule_options.clone();
                let (send, receive) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    // The window may be gone by then; nothing is lost if no one hears.
                    let _ = send.send(crate::rules::check_with(&design, &options));
                });
                self.findings_job = Some((key, receive));
            }
            if let Some((_, view)) = &self.findings {
                return view.clone();
            }
        }
        let view = Arc::new(FindingsView::new(
            crate::rules::check_with(self.doc.design(), &self.rule_options),
            (key.0, key.1),
        ));
        self.findings = Some((key, view.clone()));
        view
    }

    /// Whether a check is running on the worker: the window keeps drawing until it is in.
    pub fn checking(&self) -> bool {
        self.findings_job.is_some()
    }

    /// Turns a rule on or off (remembered across runs when the app has a rules store).
    pub fn set_rule_enabled(&mut self, rule: &str, enabled: bool) {
        if enabled {
            self.rule_options.disabled.remove(rule);
        } else {
            self.rule_options.disabled.insert(rule.to_string());
        }
        self.rules_version += 1;
        if let Some(store) = &self.rules_store {
            let mut off: Vec<&str> = self
                .rule_options
                .disabled
                .iter()
                .map(String::as_str)
                .collect();
            off.sort_unstable();
            super::document::remember(store, &(off.join("\n") + "\n"));
        }
    }

    /// Remembers View > Rules in `store` (one rule id per line) between runs.
    pub fn with_rules_store(mut self, store: Option<PathBuf>) -> Self {
        if let Some(text) = store.as_ref().and_then(|s| std::fs::read_to_string(s).ok()) {
            self.rule_options.disabled = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            self.rules_version += 1;
        }
        self.rules_store = store;
        self
    }

    /// Chooses the window's theme (and the canvas's page with it), remembered when the app
    /// has a store.
    pub fn set_theme(&mut self, ctx: &egui::Context, theme: egui::ThemePreference) {
        self.theme = theme;
        ctx.set_theme(theme);
        if let Some(store) = &self.theme_store {
            let name = match theme {
                egui::ThemePreference::System => "system",
                egui::ThemePreference::Light => "light",
                egui::ThemePreference::Dark => "dark",
            };
            super::document::remember(store, name);
        }
    }

    /// Reads the remembered theme (default: follow the system) and applies it to `ctx`.
    pub fn with_theme_store(mut self, ctx: &egui::Context, store: Option<PathBuf>) -> Self {
        let saved = store
            .as_ref()
            .and_then(|s| std::fs::read_to_string(s).ok())
            .unwrap_or_default();
        let theme = match saved.trim() {
            "light" => egui::ThemePreference::Light,
            "dark" => egui::ThemePreference::Dark,
            _ => egui::ThemePreference::System,
        };
        self.theme_store = store;
        self.theme = theme;
        ctx.set_theme(theme);
        self
    }

    /// Reports frame times on stderr every 100 frames (`--frame-stats`).
    pub fn with_frame_stats(mut self, on: bool) -> Self {
        self.frame_stats = on.then(Default::default);
        self
    }

    /// Where View > Rules is kept: next to the recent files list.
    pub fn default_rules_store() -> Option<PathBuf> {
        RecentFiles::default_store().map(|p| p.with_file_name("rules-off.txt"))
    }

    /// Autosaves unsaved work into `dir` (the window does; most tests do not), and offers to
    /// recover what an earlier session left there.
    pub fn with_autosave(mut self, dir: Option<PathBuf>) -> Self {
        self.autosave = super::autosave::Autosave::new(dir);
        self.recovery = self.autosave.orphans().into_iter().next();
        self
    }

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
            super::autosave::discard(&recovery);
        }
    }

    /// The banner floats over the top of the canvas, so showing or dismissing it never moves
    /// the drawing under the pointer.
    fn banner_overlay(&mut self, ctx: &egui::Context) {
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

    fn recovery_prompt(&mut self, ctx: &egui::Context) {
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

    /// Remembers export choices in `store` between sessions (the window does; tests do not).
    pub fn with_export_store(mut self, store: Option<PathBuf>) -> Self {
        self.export = ExportSettings::load(store.as_ref());
        self.export_store = store;
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

    /// The scene of the current design, rebuilt only when the design changed (or routing
    /// had not finished): from the last scene, so only what moved is routed again, within a
    /// frame's time budget. When only nodes moved since the last scene, it follows the moves
    /// instead (see [`scene::follow_moves`]), and its routes are settled once no gesture
    /// is under way ([`scene::settle`]).
    pub fn scene(&mut self) -> Arc<Scene> {
        let history = self.doc.history();
        let key = SceneKey {
            generation: self.doc.generation(),
            revision: history.revision(),
            structure: history.structure(),
        };
        let gesture = self.canvas.gesture_under_way();
        if let Some((k, s)) = &self.scene
            && *k == key
            && !s.pending
            && (gesture || !s.provisional)
        {
            return s.clone();
        }
        let previous = self
            .scene
            .take()
            .filter(|(k, _)| k.generation == key.generation);
        let design = self.doc.design();
        let built = match previous {
            Some((k, last)) if k.structure == key.structure => {
                let last = Arc::try_unwrap(last).unwrap_or_else(|shared| (*shared).clone());
                if k.revision == key.revision {
                    scene::settle(last, design, Some(ROUTING_BUDGET))
                } else {
                    scene::follow_moves(last, design, Some(ROUTING_BUDGET))
                }
            }
            previous => scene::build_from(
                design,
                previous.map(|(_, s)| s).as_deref(),
                Some(ROUTING_BUDGET),
            ),
        };
        let built = Arc::new(built);
        self.scene = Some((key, built.clone()));
        built
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
        let last_scene = self.scene.as_ref().map(|(_, s)| s.clone());
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

    fn menu_bar(&mut self, ui: &mut egui::Ui, edits: &mut Edits) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.menu_item(ui, Action::New, edits);
                if ui.button("New from template...").clicked() {
                    self.gallery.open = true;
                    ui.close();
                }
                self.menu_item(ui, Action::Open, edits);
                self.menu_item(ui, Action::Import, edits);
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
                self.menu_item(ui, Action::Save, edits);
                self.menu_item(ui, Action::SaveAs, edits);
                ui.separator();
                if ui
                    .button("Use as reference...")
                    .on_hover_text("Match pipelines with a design of your own, as with T01-T35")
                    .clicked()
                {
                    ui.close();
                    if let Some(path) = rfd::FileDialog::new()
                        .add_filter("archsketch design", &["ron"])
                        .pick_file()
                    {
                        self.use_as_reference(&path);
                    }
                }
                if ui
                    .button("Reload team standards")
                    .on_hover_text(
                        "Read archsketch.rules.ron and references/ next to the design again",
                    )
                    .clicked()
                {
                    ui.close();
                    self.load_team_standards();
                }
                ui.separator();
                self.menu_item(ui, Action::Export, edits);
                self.menu_item(ui, Action::CopyPng, edits);
                ui.separator();
                self.menu_item(ui, Action::Quit, edits);
            });
            ui.menu_button("Edit", |ui| {
                self.menu_item(ui, Action::Undo, edits);
                self.menu_item(ui, Action::Redo, edits);
                ui.separator();
                self.menu_item(ui, Action::Cut, edits);
                self.menu_item(ui, Action::Copy, edits);
                self.menu_item(ui, Action::Paste, edits);
                self.menu_item(ui, Action::Duplicate, edits);
                ui.separator();
                self.menu_item(ui, Action::SelectAll, edits);
                self.menu_item(ui, Action::Delete, edits);
                ui.separator();
                ui.menu_button("Align", |ui| {
                    for &action in actions::ALIGN {
                        self.menu_item(ui, action, edits);
                    }
                });
                self.menu_item(ui, Action::Group, edits);
                ui.menu_button("Group as", |ui| {
                    for kind in GroupKind::ALL {
                        if ui.button(kind.display_name()).clicked() {
                            self.group_selection(kind, edits);
                        }
                    }
                });
                self.menu_item(ui, Action::Ungroup, edits);
                ui.separator();
                self.menu_item(ui, Action::Arrange, edits);
                self.menu_item(ui, Action::ArrangeDown, edits);
            });
            ui.menu_button("View", |ui| {
                if ui
                    .checkbox(&mut self.findings_ui.open, "Findings panel")
                    .clicked()
                {
                    ui.close();
                }
                if ui.button("Rules...").clicked() {
                    self.rules_window = true;
                    ui.close();
                }
                let mut snap = !self.canvas.snap_off;
                if ui
                    .checkbox(&mut snap, "Snap to grid")
                    .on_hover_text(
                        "Moved services land on the 10-unit grid; hold Alt to place freely",
                    )
                    .clicked()
                {
                    self.canvas.snap_off = !snap;
                    ui.close();
                }
                if ui
                    .checkbox(&mut self.canvas.minimap, "Minimap")
                    .on_hover_text("The whole design in a corner while it is larger than the view")
                    .clicked()
                {
                    ui.close();
                }
                ui.menu_button("Theme", |ui| {
                    for (choice, name) in [
                        (egui::ThemePreference::System, "Follow the system"),
                        (egui::ThemePreference::Light, "Light"),
                        (egui::ThemePreference::Dark, "Dark"),
                    ] {
                        if ui.radio(self.theme == choice, name).clicked() {
                            self.set_theme(ui.ctx(), choice);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                self.menu_item(ui, Action::ZoomToFit, edits);
                self.menu_item(ui, Action::ZoomIn, edits);
                self.menu_item(ui, Action::ZoomOut, edits);
                self.menu_item(ui, Action::ZoomReset, edits);
            });
            ui.menu_button("Help", |ui| {
                self.menu_item(ui, Action::Shortcuts, edits);
            });
        });
    }

    /// Whether an action can run now (menus, the context menu and the palette grey it out
    /// otherwise).
    pub fn can_run(&self, action: Action) -> bool {
        match action {
            Action::Undo => self.doc.history().can_undo(),
            Action::Redo => self.doc.history().can_redo(),
            Action::Delete | Action::Group => !self.canvas.selection.is_empty(),
            Action::AlignLeft
            | Action::AlignCentre
            | Action::AlignRight
            | Action::AlignTop
            | Action::AlignMiddle
            | Action::AlignBottom => self.selected_services() >= 2,
            Action::DistributeAcross | Action::DistributeDown => self.selected_services() >= 3,
            Action::Cut | Action::Copy | Action::Duplicate => {
                self.canvas.selection.iter().any(|e| e.named_id().is_some())
            }
            Action::Ungroup => self
                .canvas
                .selection
                .iter()
                .any(|e| matches!(e, ElementRef::Group(_))),
            _ => true,
        }
    }

    /// An action's name as menus show it: Undo and Redo say what they undo.
    pub fn action_name(&self, action: Action) -> String {
        match action {
            Action::Undo => self.doc.history().undo_label().map(|l| format!("Undo {l}")),
            Action::Redo => self.doc.history().redo_label().map(|l| format!("Redo {l}")),
            _ => None,
        }
        .unwrap_or_else(|| spec(action).name.to_string())
    }

    fn menu_item(&mut self, ui: &mut egui::Ui, action: Action, edits: &mut Edits) {
        let mut button = egui::Button::new(self.action_name(action));
        if let Some(sc) = spec(action).shortcuts.first() {
            button = button.shortcut_text(actions::shortcut_text(sc));
        }
        if ui.add_enabled(self.can_run(action), button).clicked() {
            self.run(ui.ctx(), action, edits);
            ui.close();
        }
    }

    /// The commands the right-click menu offers on the canvas.
    const CONTEXT_MENU: &'static [&'static [Action]] = &[
        &[
            Action::Cut,
            Action::Copy,
            Action::Paste,
            Action::Duplicate,
            Action::Delete,
        ],
        &[Action::Group, Action::Ungroup],
        actions::ALIGN,
        &[Action::Arrange, Action::ZoomToFit, Action::SelectAll],
    ];

    fn context_menu(&mut self, ui: &mut egui::Ui, edits: &mut Edits) {
        for (i, section) in Self::CONTEXT_MENU.iter().enumerate() {
            if i > 0 {
                ui.separator();
            }
            if section.contains(&Action::AlignLeft) {
                ui.menu_button("Align", |ui| {
                    for &action in *section {
                        self.menu_item(ui, action, edits);
                    }
                });
                continue;
            }
            for &action in *section {
                self.menu_item(ui, action, edits);
            }
        }
    }

    fn command_palette(&mut self, ctx: &egui::Context, edits: &mut Edits) {
        if !self.palette_ui.open {
            return;
        }
        let rows: Vec<command_palette::Row> = actions::ACTIONS
            .iter()
            .filter(|a| a.action != Action::CommandPalette)
            .map(|a| command_palette::Row {
                action: a.action,
                name: self.action_name(a.action),
                keys: a
                    .shortcuts
                    .first()
                    .map(actions::shortcut_text)
                    .unwrap_or_default(),
                enabled: self.can_run(a.action),
            })
            .collect();
        if let Some(action) = self.palette_ui.show(ctx, &rows) {
            self.run(ctx, action, edits);
        }
    }

    /// Carries out an action from the menu or the keyboard.
    pub fn run(&mut self, ctx: &egui::Context, action: Action, edits: &mut Edits) {
        match action {
            Action::New => self.request(ctx, Pending::New),
            Action::Open => self.request(ctx, Pending::Open(None)),
            Action::Import => self.request(ctx, Pending::Import(None)),
            Action::Save => {
                self.save(false);
            }
            Action::SaveAs => {
                self.save(true);
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Export => self.export_open = true,
            Action::CopyPng => self.copy_png(ctx),
            Action::Shortcuts => self.shortcuts_open = !self.shortcuts_open,
            Action::CommandPalette => self.palette_ui.toggle(),
            Action::Copy => {
                self.copy_selection(ctx);
            }
            Action::AlignLeft
            | Action::AlignCentre
            | Action::AlignRight
            | Action::AlignTop
            | Action::AlignMiddle
            | Action::AlignBottom
            | Action::DistributeAcross
            | Action::DistributeDown => {
                let sel = self.selection_vec();
                let design = self.doc.design();
                let command = match action {
                    Action::AlignLeft => ops::align(design, &sel, ops::Align::Left),
                    Action::AlignCentre => ops::align(design, &sel, ops::Align::Centre),
                    Action::AlignRight => ops::align(design, &sel, ops::Align::Right),
                    Action::AlignTop => ops::align(design, &sel, ops::Align::Top),
                    Action::AlignMiddle => ops::align(design, &sel, ops::Align::Middle),
                    Action::AlignBottom => ops::align(design, &sel, ops::Align::Bottom),
                    Action::DistributeAcross => ops::distribute(design, &sel, true),
                    _ => ops::distribute(design, &sel, false),
                };
                if let Some(command) = command {
                    edits.push(command);
                }
            }
            Action::Cut => {
                if self.copy_selection(ctx) {
                    self.run(ctx, Action::Delete, edits);
                }
            }
            Action::Paste => {
                let text = actions::pasted_text(ctx).or_else(|| self.clipboard.clone());
                if let Some(text) = text {
                    let at = self.pointer_on_canvas(ctx);
                    self.paste(&text, at, edits);
                }
            }
            Action::Duplicate => {
                if let Some(text) = clipboard::copy(self.doc.design(), &self.selection_vec()) {
                    self.paste(&text, None, edits);
                }
            }
            Action::Undo => {
                self.doc.undo();
                self.restore_step_selection();
            }
            Action::Redo => {
                self.doc.redo();
                self.restore_step_selection();
            }
            Action::SelectAll => {
                let d = self.doc.design();
                self.canvas.selection = d
                    .nodes()
                    .iter()
                    .map(|n| ElementRef::Node(n.id.clone()))
                    .chain(d.groups().iter().map(|g| ElementRef::Group(g.id.clone())))
                    .collect();
            }
            Action::Delete => {
                let sel: Vec<ElementRef> = self.canvas.selection.iter().cloned().collect();
                if let Some(cmd) = ops::delete(self.doc.design(), &sel) {
                    edits.push(cmd);
                    edits.select = Some(BTreeSet::new());
                }
            }
            Action::Group => self.group_selection(GroupKind::Generic, edits),
            Action::Ungroup => {
                let groups: Vec<String> = self
                    .canvas
                    .selection
                    .iter()
                    .filter_map(|e| match e {
                        ElementRef::Group(id) => Some(id.to_string()),
                        _ => None,
                    })
                    .collect();
                // One group at a time: each ungroup is computed on the design as it will be.
                let mut design = self.doc.design().clone();
                let mut steps = Vec::new();
                for g in groups {
                    if let Some(cmd) = ops::ungroup(&design, &g)
                        && crate::edit::apply(&mut design, cmd.clone()).is_ok()
                    {
                        steps.push(cmd);
                    }
                }
                if !steps.is_empty() {
                    edits.push(crate::edit::EditCommand::Batch(steps));
                }
            }
            Action::Arrange | Action::ArrangeDown => {
                let direction = if action == Action::Arrange {
                    crate::layout::Direction::Right
                } else {
                    crate::layout::Direction::Down
                };
                let selection = self.selection_vec();
                let only = (selection.len() > 1).then_some(selection.as_slice());
                if let Some(cmd) =
                    crate::layout::arrange_command(self.doc.design(), only, direction)
                {
                    edits.push(cmd);
                    if only.is_none() {
                        self.canvas.fit_requested = true;
                    }
                }
            }
            Action::ZoomToFit => self.canvas.fit_requested = true,
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset => {
                if let Some(view) = self.canvas.last_view {
                    let factor = match action {
                        Action::ZoomIn => 1.25,
                        Action::ZoomOut => 0.8,
                        _ => 1.0 / self.canvas.camera.zoom,
                    };
                    self.canvas.camera.zoom_around(view, view.center(), factor);
                }
            }
        }
    }

    fn selection_vec(&self) -> Vec<ElementRef> {
        self.canvas.selection.iter().cloned().collect()
    }

    fn export_dialog(&mut self, ctx: &egui::Context) {
        if !self.export_open {
            return;
        }
        let has_selection = !self.canvas.selection.is_empty();
        match export_dialog::show(ctx, &mut self.export, self.doc.design(), has_selection) {
            DialogOutcome::Nothing => {}
            DialogOutcome::Cancel => self.export_open = false,
            DialogOutcome::Export => {
                self.export_open = false;
                self.export.save(self.export_store.as_ref());
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

    fn copy_png(&mut self, ctx: &egui::Context) {
        let findings = self.findings();
        let options = self.export.options(&findings, &self.selection_vec());
        match crate::export::design_to_rgba(self.doc.design(), &options, self.export.size()) {
            Ok((w, h, rgba)) => {
                ctx.copy_image(egui::ColorImage::from_rgba_unmultiplied(
                    [w as usize, h as usize],
                    &rgba,
                ));
                self.banner = Some(Banner {
                    text: format!("Copied a {w} x {h} PNG to the clipboard"),
                    is_error: false,
                });
            }
            Err(e) => self.banner = Some(error(e.to_string())),
        }
    }

    /// How many services are selected (Align needs two, Distribute three).
    fn selected_services(&self) -> usize {
        self.canvas
            .selection
            .iter()
            .filter(|e| matches!(e, ElementRef::Node(_)))
            .count()
    }

    /// Puts the selection on the clipboard as design text; false when nothing could be copied.
    fn copy_selection(&mut self, ctx: &egui::Context) -> bool {
        let Some(text) = clipboard::copy(self.doc.design(), &self.selection_vec()) else {
            return false;
        };
        ctx.copy_text(text.clone());
        self.clipboard = Some(text);
        true
    }

    /// Pastes design text at `at` (or offset from where it was copied), selecting what came in.
    fn paste(&mut self, text: &str, at: Option<crate::model::Pos>, edits: &mut Edits) {
        match clipboard::paste(self.doc.design(), text, at) {
            Ok(Some(pasted)) => {
                edits.push(pasted.command);
                edits.select = Some(pasted.top.into_iter().collect());
            }
            Ok(None) => {}
            Err(e) => {
                self.banner = Some(error(format!(
                    "The clipboard holds no archsketch design ({}{}): nothing was pasted",
                    e.location
                        .map_or(String::new(), |(l, c)| format!("line {l}, column {c}: ")),
                    e.message
                )))
            }
        }
    }

    /// Where the pointer is on the canvas, in canvas units; `None` when it is elsewhere.
    fn pointer_on_canvas(&self, ctx: &egui::Context) -> Option<crate::model::Pos> {
        let view = self.canvas.last_view?;
        let p = ctx.input(|i| i.pointer.latest_pos())?;
        view.contains(p)
            .then(|| self.canvas.camera.screen_to_canvas(view, p))
    }

    fn group_selection(&mut self, kind: GroupKind, edits: &mut Edits) {
        let ids = self.canvas.selected_ids(self.doc.design());
        if let Some((cmd, id)) = ops::group_selection(self.doc.design(), &ids, kind) {
            edits.push(cmd);
            edits.select = Some(BTreeSet::from([ElementRef::Group(id.into())]));
        }
    }

    fn nudge(&mut self, ui: &egui::Ui, edits: &mut Edits) {
        let step = if ui.input(|i| i.modifiers.shift) {
            1.0
        } else {
            10.0
        };
        let (mut dx, mut dy) = (0.0, 0.0);
        ui.input(|i| {
            if i.key_pressed(egui::Key::ArrowLeft) {
                dx -= step;
            }
            if i.key_pressed(egui::Key::ArrowRight) {
                dx += step;
            }
            if i.key_pressed(egui::Key::ArrowUp) {
                dy -= step;
            }
            if i.key_pressed(egui::Key::ArrowDown) {
                dy += step;
            }
        });
        if dx != 0.0 || dy != 0.0 {
            let sel: Vec<ElementRef> = self.canvas.selection.iter().cloned().collect();
            if let Some(cmd) = ops::move_elements(self.doc.design(), &sel, dx, dy) {
                edits.push(cmd);
            }
        }
    }

    /// Help > Keyboard shortcuts: every action with its keys, then the canvas gestures, read
    /// from the same table as the menus.
    fn shortcuts_window(&mut self, ctx: &egui::Context) {
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

    fn rules_window(&mut self, ctx: &egui::Context) {
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

    fn status_bar(&mut self, ui: &mut egui::Ui, found: &[Finding]) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                let (e, w, _) = findings::counts(found);
                let color = if e > 0 { Color32::from_rgb(0xD1, 0x32, 0x12) } else if w > 0 { Color32::from_rgb(0xB2, 0x6B, 0x00) } else { Color32::from_gray(90) };
                if ui.link(RichText::new(findings::summary(found)).color(color)).on_hover_text("Show or hide the findings panel").clicked() {
                    self.findings_ui.open = !self.findings_ui.open;
                }
                ui.separator();
                let d = self.doc.design();
                ui.label(super::inspector::summary(d, " · "));
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

    /// Saves to the document's file, or asks where (always, for Save As). True when saved.
    /// A file someone else changed since it was opened is not overwritten: the window asks.
    fn save(&mut self, ask: bool) -> bool {
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
    fn write_to(&mut self, path: &Path) -> bool {
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
    fn disk_conflict_prompt(&mut self, ctx: &egui::Context) {
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
    fn request(&mut self, ctx: &egui::Context, p: Pending) {
        if self.doc.is_modified() {
            self.pending = Some(p);
        } else {
            self.carry_out(ctx, p);
        }
    }

    fn carry_out(&mut self, ctx: &egui::Context, p: Pending) {
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
            self.page_choice = Some(super::page_choice::PageChoice::new(
                path.to_path_buf(),
                pages,
            ));
            return;
        }
        let imported = crate::drawio::choose(pages, &shown, &crate::drawio::PagePick::default());
        self.take_import(path, imported);
    }

    /// Shows File > Import's page choice while one waits, and imports the page picked.
    fn page_choice(&mut self, ctx: &egui::Context) {
        let Some(choice) = &self.page_choice else {
            return;
        };
        match choice.show(ctx) {
            Some(super::page_choice::Answer::Page(n)) => {
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
            Some(super::page_choice::Answer::Cancel) => self.page_choice = None,
            None => {}
        }
    }

    /// Shows what an import made as a new unsaved design, or why it could not be made.
    fn take_import(
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

    fn replace(&mut self, doc: Document) {
        self.next_generation = doc.generation() + 1;
        self.doc = doc;
        self.canvas.selection.clear();
        self.step_selections.clear();
        self.canvas.fit_requested = true;
        self.banner = None;
        self.reference_view.shown = None;
        self.load_team_standards();
    }

    fn unsaved_prompt(&mut self, ctx: &egui::Context) {
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
                    answer = Some(0);
                }
                if ui.button("Don't save").clicked() {
                    answer = Some(1);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(2);
                }
            });
        });
        match answer {
            Some(0) => {
                self.pending = None;
                if self.save(false) {
                    self.carry_out(ctx, p);
                } else if self.disk_conflict.is_some() {
                    // Carried out once the person has decided about the changed file.
                    self.disk_conflict = Some(Some(p));
                }
            }
            Some(1) => {
                self.pending = None;
                self.carry_out(ctx, p);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }

    fn window_chrome(&mut self, ctx: &egui::Context) {
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

/// What the person chose when a save found the file changed on disk.
#[derive(Clone, Copy)]
enum DiskConflict {
    SaveAs,
    Overwrite,
    Cancel,
}

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
            Ok(Box::new(
                ArchApp::start(
                    path.as_deref(),
                    RecentFiles::load(RecentFiles::default_store()),
                )
                .with_autosave(super::autosave::Autosave::default_dir())
                .with_export_store(ExportSettings::store())
                .with_rules_store(ArchApp::default_rules_store())
                .with_theme_store(
                    &cc.egui_ctx,
                    RecentFiles::default_store().map(|p| p.with_file_name("theme.txt")),
                )
                .with_frame_stats(frame_stats),
            ))
        }),
    )
}
