//! Carrying out commands: every menu item, shortcut, right-click entry and command-palette
//! row is an [`Action`] of the action table, run here, offered only when it can run.

use std::collections::BTreeSet;

use super::{ArchApp, Banner, Pending, error};
use crate::edit::{clipboard, ops};
use crate::model::{ElementRef, GroupId, GroupKind};
use crate::ui::actions::{self, Action, spec};
use crate::ui::command_palette;
use crate::ui::edits::Edits;

impl ArchApp {
    /// Whether an action can run now (menus, the context menu and the palette grey it out
    /// otherwise).
    pub fn can_run(&self, action: Action) -> bool {
        match action {
            Action::Undo => self.doc.history().can_undo(),
            Action::Redo => self.doc.history().can_redo(),
            Action::Delete | Action::Group | Action::GroupAs(_) => {
                !self.canvas.selection.is_empty()
            }
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
            Action::GroupAs(kind) => Some(format!("Group as {}", kind.display_name())),
            Action::Redo => self.doc.history().redo_label().map(|l| format!("Redo {l}")),
            _ => None,
        }
        .unwrap_or_else(|| spec(action).name.to_string())
    }

    /// Whether an on/off action is on now (`None` for a command): menus show a tick.
    pub fn checked(&self, action: Action) -> Option<bool> {
        match action {
            Action::FindingsPanel => Some(self.findings_ui.open),
            Action::SnapToGrid => Some(!self.canvas.snap_off),
            Action::Minimap => Some(self.canvas.minimap),
            Action::Theme(theme) => Some(self.theme == theme),
            _ => None,
        }
    }

    /// One menu entry for `action`: its name and first shortcut, a tick box for an on/off
    /// action (a radio button for a theme), its hint on hover; greyed out when it cannot run.
    pub(super) fn menu_item(&mut self, ui: &mut egui::Ui, action: Action, edits: &mut Edits) {
        let spec = spec(action);
        // Inside View > Theme and Edit > Group as the submenu already says what they are.
        let name = match action {
            Action::GroupAs(kind) => kind.display_name().to_string(),
            _ if !spec.short.is_empty() => spec.short.to_string(),
            _ => self.action_name(action),
        };
        let enabled = self.can_run(action);
        let mut response = match self.checked(action) {
            Some(on) if matches!(action, Action::Theme(_)) => {
                ui.add_enabled(enabled, egui::RadioButton::new(on, name))
            }
            Some(mut on) => ui.add_enabled(enabled, egui::Checkbox::new(&mut on, name)),
            None => {
                let mut button = egui::Button::new(name);
                if let Some(sc) = spec.shortcuts.first() {
                    button = button.shortcut_text(actions::shortcut_text(sc));
                }
                ui.add_enabled(enabled, button)
            }
        };
        if !spec.hint.is_empty() {
            response = response.on_hover_text(spec.hint);
        }
        if response.clicked() {
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

    pub(super) fn context_menu(&mut self, ui: &mut egui::Ui, edits: &mut Edits) {
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

    pub(super) fn command_palette(&mut self, ctx: &egui::Context, edits: &mut Edits) {
        if !self.palette_ui.open {
            return;
        }
        let rows: Vec<command_palette::Row> = actions::all()
            .filter(|&a| a != Action::CommandPalette)
            .map(|action| command_palette::Row {
                action,
                name: self.action_name(action),
                keys: spec(action)
                    .shortcuts
                    .first()
                    .map(actions::shortcut_text)
                    .unwrap_or_default(),
                enabled: self.can_run(action),
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
            Action::NewFromTemplate => self.gallery.open = true,
            Action::UseAsReference => {
                if let Some(path) = rfd::FileDialog::new()
                    .add_filter("archsketch design", &["ron"])
                    .pick_file()
                {
                    self.use_as_reference(&path);
                }
            }
            Action::ReloadStandards => self.load_team_standards(),
            Action::FindingsPanel => self.findings_ui.open = !self.findings_ui.open,
            Action::RulesWindow => self.rules_window = true,
            Action::SnapToGrid => self.canvas.snap_off = !self.canvas.snap_off,
            Action::Minimap => self.canvas.minimap = !self.canvas.minimap,
            Action::Theme(theme) => self.set_theme(ctx, theme),
            Action::GroupAs(kind) => self.group_selection(kind, edits),
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
                let groups: Vec<GroupId> = self
                    .canvas
                    .selection
                    .iter()
                    .filter_map(|e| match e {
                        ElementRef::Group(id) => Some(id.clone()),
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

    pub(super) fn selection_vec(&self) -> Vec<ElementRef> {
        self.canvas.selection.iter().cloned().collect()
    }

    pub(super) fn copy_png(&mut self, ctx: &egui::Context) {
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
    pub(super) fn selected_services(&self) -> usize {
        self.canvas
            .selection
            .iter()
            .filter(|e| matches!(e, ElementRef::Node(_)))
            .count()
    }

    /// Puts the selection on the clipboard as design text; false when nothing could be copied.
    pub(super) fn copy_selection(&mut self, ctx: &egui::Context) -> bool {
        let Some(text) = clipboard::copy(self.doc.design(), &self.selection_vec()) else {
            return false;
        };
        ctx.copy_text(text.clone());
        self.clipboard = Some(text);
        true
    }

    /// Pastes design text at `at` (or offset from where it was copied), selecting what came in.
    pub(super) fn paste(&mut self, text: &str, at: Option<crate::model::Pos>, edits: &mut Edits) {
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
    pub(super) fn pointer_on_canvas(&self, ctx: &egui::Context) -> Option<crate::model::Pos> {
        let view = self.canvas.last_view?;
        let p = ctx.input(|i| i.pointer.latest_pos())?;
        view.contains(p)
            .then(|| self.canvas.camera.screen_to_canvas(view, p))
    }

    pub(super) fn group_selection(&mut self, kind: GroupKind, edits: &mut Edits) {
        let ids = self.canvas.selected_ids(self.doc.design());
        if let Some((cmd, id)) = ops::group_selection(self.doc.design(), &ids, kind) {
            edits.push(cmd);
            edits.select = Some(BTreeSet::from([ElementRef::Group(id)]));
        }
    }

    pub(super) fn nudge(&mut self, ui: &egui::Ui, edits: &mut Edits) {
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
}
