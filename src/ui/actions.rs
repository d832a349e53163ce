//! One table of actions: each has a name, shortcuts and a menu; the menus, the keyboard and
//! the README's shortcut table all read from it.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Everything a person can trigger from a menu or the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    New,
    NewFromTemplate,
    Open,
    Import,
    Save,
    SaveAs,
    Quit,
    Export,
    CopyPng,
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    Duplicate,
    SelectAll,
    Delete,
    Group,
    Ungroup,
    Arrange,
    ArrangeDown,
    AlignLeft,
    AlignCentre,
    AlignRight,
    AlignTop,
    AlignMiddle,
    AlignBottom,
    DistributeAcross,
    DistributeDown,
    ZoomToFit,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    Shortcuts,
    CommandPalette,
    /// File > Use as reference...
    UseAsReference,
    /// File > Reload team standards.
    ReloadStandards,
    /// Puts the selection in a new box of this kind (Edit > Group as).
    GroupAs(crate::model::GroupKind),
    FindingsPanel,
    RulesWindow,
    SnapToGrid,
    Minimap,
    Theme(egui::ThemePreference),
}

impl Action {
    /// Whether the action may run while a drag is under way: it only looks or copies.
    pub fn runs_during_a_gesture(self) -> bool {
        matches!(
            self,
            Action::ZoomToFit | Action::ZoomIn | Action::ZoomOut | Action::ZoomReset | Action::Copy
        )
    }
}

/// An action's name and keys.
pub struct ActionSpec {
    pub action: Action,
    pub name: &'static str,
    /// Shortcuts, the first shown in menus. Checked in table order, so Ctrl+Shift+Z comes
    /// before Ctrl+Z.
    pub shortcuts: &'static [KeyboardShortcut],
    /// Whether the shortcut works while a text field has focus (file actions do; Delete does not).
    pub global: bool,
    /// What the menu item's tooltip says, when its name is not enough.
    pub hint: &'static str,
    /// The name inside a submenu that already says what the item is ("Light" under Theme);
    /// empty: the name.
    pub short: &'static str,
}

impl ActionSpec {
    /// A command that runs from the keyboard only while no text field has focus.
    const fn local(
        action: Action,
        name: &'static str,
        shortcuts: &'static [KeyboardShortcut],
    ) -> Self {
        ActionSpec {
            action,
            name,
            shortcuts,
            global: false,
            hint: "",
            short: "",
        }
    }

    /// A command whose shortcut works while a text field has focus too (the file actions).
    const fn global(
        action: Action,
        name: &'static str,
        shortcuts: &'static [KeyboardShortcut],
    ) -> Self {
        ActionSpec {
            global: true,
            ..Self::local(action, name, shortcuts)
        }
    }

    /// The same command with a tooltip.
    const fn hint(self, hint: &'static str) -> Self {
        ActionSpec { hint, ..self }
    }

    /// The same command, called `short` inside its submenu.
    const fn short(self, short: &'static str) -> Self {
        ActionSpec { short, ..self }
    }
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};
const CMD_ALT: Modifiers = Modifiers {
    alt: true,
    ctrl: false,
    shift: false,
    mac_cmd: false,
    command: true,
};
const ALT_SHIFT: Modifiers = Modifiers {
    alt: true,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: false,
};
const NONE: Modifiers = Modifiers::NONE;

/// The table, in menu order.
pub const ACTIONS: &[ActionSpec] = &[
    ActionSpec::global(Action::New, "New", &[key(CMD, Key::N)]),
    ActionSpec::local(Action::NewFromTemplate, "New from template...", &[]),
    ActionSpec::global(Action::Open, "Open...", &[key(CMD, Key::O)]),
    ActionSpec::global(Action::Import, "Import...", &[key(CMD, Key::I)]),
    ActionSpec::global(Action::SaveAs, "Save As...", &[key(CMD_SHIFT, Key::S)]),
    ActionSpec::global(Action::Save, "Save", &[key(CMD, Key::S)]),
    ActionSpec::global(Action::Quit, "Quit", &[key(CMD, Key::Q)]),
    ActionSpec::local(Action::UseAsReference, "Use as reference...", &[])
        .hint("Match pipelines with a design of your own, as with T01-T35"),
    ActionSpec::local(Action::ReloadStandards, "Reload team standards", &[])
        .hint("Read archsketch.rules.ron and references/ next to the design again"),
    ActionSpec::global(Action::Export, "Export...", &[key(CMD, Key::E)]),
    ActionSpec::local(Action::CopyPng, "Copy as PNG", &[key(CMD_SHIFT, Key::C)]),
    ActionSpec::local(
        Action::Redo,
        "Redo",
        &[key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)],
    ),
    ActionSpec::local(Action::Undo, "Undo", &[key(CMD, Key::Z)]),
    ActionSpec::local(Action::Cut, "Cut", &[key(CMD, Key::X)]),
    ActionSpec::local(Action::Copy, "Copy", &[key(CMD, Key::C)]),
    ActionSpec::local(Action::Paste, "Paste", &[key(CMD, Key::V)]),
    ActionSpec::local(Action::Duplicate, "Duplicate", &[key(CMD, Key::D)]),
    ActionSpec::local(Action::SelectAll, "Select all", &[key(CMD, Key::A)]),
    ActionSpec::local(
        Action::Delete,
        "Delete",
        &[key(NONE, Key::Delete), key(NONE, Key::Backspace)],
    ),
    ActionSpec::local(Action::Ungroup, "Ungroup", &[key(CMD_SHIFT, Key::G)]),
    ActionSpec::local(Action::Group, "Group selection", &[key(CMD, Key::G)]),
    ActionSpec::local(Action::Arrange, "Arrange", &[key(CMD_SHIFT, Key::L)]),
    ActionSpec::local(
        Action::ArrangeDown,
        "Arrange top to bottom",
        &[key(CMD_ALT, Key::L)],
    ),
    ActionSpec::local(Action::AlignLeft, "Align left", &[key(ALT_SHIFT, Key::L)]),
    ActionSpec::local(
        Action::AlignCentre,
        "Align centre",
        &[key(ALT_SHIFT, Key::C)],
    ),
    ActionSpec::local(Action::AlignRight, "Align right", &[key(ALT_SHIFT, Key::R)]),
    ActionSpec::local(Action::AlignTop, "Align top", &[key(ALT_SHIFT, Key::T)]),
    ActionSpec::local(
        Action::AlignMiddle,
        "Align middle",
        &[key(ALT_SHIFT, Key::M)],
    ),
    ActionSpec::local(
        Action::AlignBottom,
        "Align bottom",
        &[key(ALT_SHIFT, Key::B)],
    ),
    ActionSpec::local(
        Action::DistributeAcross,
        "Distribute horizontally",
        &[key(ALT_SHIFT, Key::H)],
    ),
    ActionSpec::local(
        Action::DistributeDown,
        "Distribute vertically",
        &[key(ALT_SHIFT, Key::V)],
    ),
    ActionSpec::local(Action::FindingsPanel, "Findings panel", &[]),
    ActionSpec::local(Action::RulesWindow, "Rules...", &[]),
    ActionSpec::local(Action::SnapToGrid, "Snap to grid", &[])
        .hint("Moved services land on the 10-unit grid; hold Alt to place freely"),
    ActionSpec::local(Action::Minimap, "Minimap", &[])
        .hint("The whole design in a corner while it is larger than the view"),
    ActionSpec::local(
        Action::Theme(egui::ThemePreference::System),
        "Theme: follow the system",
        &[],
    )
    .short("Follow the system"),
    ActionSpec::local(
        Action::Theme(egui::ThemePreference::Light),
        "Theme: light",
        &[],
    )
    .short("Light"),
    ActionSpec::local(
        Action::Theme(egui::ThemePreference::Dark),
        "Theme: dark",
        &[],
    )
    .short("Dark"),
    ActionSpec::local(
        Action::ZoomToFit,
        "Zoom to fit",
        &[key(NONE, Key::F), key(CMD, Key::Num0)],
    ),
    ActionSpec::local(
        Action::ZoomIn,
        "Zoom in",
        &[key(CMD, Key::Plus), key(CMD, Key::Equals)],
    ),
    ActionSpec::local(Action::ZoomOut, "Zoom out", &[key(CMD, Key::Minus)]),
    ActionSpec::local(Action::ZoomReset, "Zoom to 100%", &[key(CMD, Key::Num1)]),
    ActionSpec::global(
        Action::Shortcuts,
        "Keyboard shortcuts",
        &[key(NONE, Key::F1)],
    ),
    ActionSpec::global(
        Action::CommandPalette,
        "Command palette...",
        &[key(CMD_SHIFT, Key::P)],
    ),
];

/// What the mouse and keys do on the canvas beyond the actions above, for Help > Keyboard
/// shortcuts and the README (a test keeps the README's rows in step).
pub const GESTURES: &[(&str, &str)] = &[
    ("Toggle selection", "Shift+click, Ctrl+click"),
    ("Move freely (off the grid, no guides)", "Alt+drag"),
    ("Nudge selection", "Arrow keys (10 units; with Shift, 1)"),
    ("Pan", "middle or right drag, Space+drag, scroll wheel"),
    ("Commands for what is under the pointer", "Right-click"),
    (
        "Edit a label in place (Enter keeps, Escape cancels)",
        "Double-click a service, box or connection",
    ),
    (
        "Zoom towards the pointer",
        "Ctrl+scroll, pinch (to 400%; out to 10%, or as far as Fit needs)",
    ),
    (
        "Move the view (View > Minimap)",
        "Click or drag on the minimap",
    ),
    (
        "Shape a connection (Reset route in the inspector undoes it)",
        "Drag one of its segments sideways",
    ),
];

/// The Align submenu, in the Edit menu and the right-click menu alike.
pub const ALIGN: &[Action] = &[
    Action::AlignLeft,
    Action::AlignCentre,
    Action::AlignRight,
    Action::AlignTop,
    Action::AlignMiddle,
    Action::AlignBottom,
    Action::DistributeAcross,
    Action::DistributeDown,
];

/// The themes of View > Theme, in menu order.
pub const THEMES: &[Action] = &[
    Action::Theme(egui::ThemePreference::System),
    Action::Theme(egui::ThemePreference::Light),
    Action::Theme(egui::ThemePreference::Dark),
];

/// The spec of Edit > Group as, one for every kind of box (the name says which).
const GROUP_AS: ActionSpec = ActionSpec::local(
    Action::GroupAs(crate::model::GroupKind::Generic),
    "Group as",
    &[],
);

/// The spec of an action.
pub fn spec(action: Action) -> &'static ActionSpec {
    if let Action::GroupAs(_) = action {
        return &GROUP_AS;
    }
    ACTIONS
        .iter()
        .find(|s| s.action == action)
        .unwrap_or(&ACTIONS[0])
}

/// Every action a person can run, in menu order: the table's, then one Group as for every
/// kind of box (the command palette offers them all).
pub fn all() -> impl Iterator<Item = Action> {
    ACTIONS.iter().map(|s| s.action).chain(
        crate::model::GroupKind::ALL
            .into_iter()
            .map(Action::GroupAs),
    )
}

/// The actions whose shortcuts were pressed this frame (consuming the keys). The window's
/// Ctrl+X, Ctrl+C and Ctrl+V arrive as cut, copy and paste events rather than key presses;
/// outside a text field they are the canvas's Cut, Copy and Paste.
pub fn pressed(ctx: &egui::Context, text_has_focus: bool) -> Vec<Action> {
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for spec in ACTIONS {
            if text_has_focus && !spec.global {
                continue;
            }
            if spec.shortcuts.iter().any(|s| input.consume_shortcut(s)) {
                out.push(spec.action);
            }
        }
        if !text_has_focus {
            for event in &input.events {
                let action = match event {
                    egui::Event::Cut => Action::Cut,
                    egui::Event::Copy => Action::Copy,
                    egui::Event::Paste(_) => Action::Paste,
                    _ => continue,
                };
                if !out.contains(&action) {
                    out.push(action);
                }
            }
        }
    });
    out
}

/// The text pasted this frame from the system clipboard, if any.
pub fn pasted_text(ctx: &egui::Context) -> Option<String> {
    ctx.input(|input| {
        input.events.iter().rev().find_map(|e| match e {
            egui::Event::Paste(text) => Some(text.clone()),
            _ => None,
        })
    })
}

/// A shortcut as the menus and the README show it, e.g. "Ctrl+Shift+Z".
pub fn shortcut_text(shortcut: &KeyboardShortcut) -> String {
    let m = shortcut.modifiers;
    let mut parts = Vec::new();
    if m.command || m.ctrl {
        parts.push("Ctrl");
    }
    if m.alt {
        parts.push("Alt");
    }
    if m.shift {
        parts.push("Shift");
    }
    let key = match shortcut.logical_key {
        Key::Plus => "+",
        Key::Equals => "=",
        Key::Minus => "-",
        Key::Num0 => "0",
        Key::Num1 => "1",
        other => other.name(),
    };
    parts.push(key);
    parts.join("+")
}
