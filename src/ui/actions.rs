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
    ActionSpec {
        action: Action::New,
        name: "New",
        shortcuts: &[key(CMD, Key::N)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::NewFromTemplate,
        name: "New from template...",
        shortcuts: &[],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Open,
        name: "Open...",
        shortcuts: &[key(CMD, Key::O)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::Import,
        name: "Import...",
        shortcuts: &[key(CMD, Key::I)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::SaveAs,
        name: "Save As...",
        shortcuts: &[key(CMD_SHIFT, Key::S)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::Save,
        name: "Save",
        shortcuts: &[key(CMD, Key::S)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::Quit,
        name: "Quit",
        shortcuts: &[key(CMD, Key::Q)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::UseAsReference,
        name: "Use as reference...",
        shortcuts: &[],
        global: false,
        hint: "Match pipelines with a design of your own, as with T01-T35",
    },
    ActionSpec {
        action: Action::ReloadStandards,
        name: "Reload team standards",
        shortcuts: &[],
        global: false,
        hint: "Read archsketch.rules.ron and references/ next to the design again",
    },
    ActionSpec {
        action: Action::Export,
        name: "Export...",
        shortcuts: &[key(CMD, Key::E)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::CopyPng,
        name: "Copy as PNG",
        shortcuts: &[key(CMD_SHIFT, Key::C)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Redo,
        name: "Redo",
        shortcuts: &[key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Undo,
        name: "Undo",
        shortcuts: &[key(CMD, Key::Z)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Cut,
        name: "Cut",
        shortcuts: &[key(CMD, Key::X)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Copy,
        name: "Copy",
        shortcuts: &[key(CMD, Key::C)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Paste,
        name: "Paste",
        shortcuts: &[key(CMD, Key::V)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Duplicate,
        name: "Duplicate",
        shortcuts: &[key(CMD, Key::D)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::SelectAll,
        name: "Select all",
        shortcuts: &[key(CMD, Key::A)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Delete,
        name: "Delete",
        shortcuts: &[key(NONE, Key::Delete), key(NONE, Key::Backspace)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Ungroup,
        name: "Ungroup",
        shortcuts: &[key(CMD_SHIFT, Key::G)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Group,
        name: "Group selection",
        shortcuts: &[key(CMD, Key::G)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Arrange,
        name: "Arrange",
        shortcuts: &[key(CMD_SHIFT, Key::L)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::ArrangeDown,
        name: "Arrange top to bottom",
        shortcuts: &[key(CMD_ALT, Key::L)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::AlignLeft,
        name: "Align left",
        shortcuts: &[key(ALT_SHIFT, Key::L)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::AlignCentre,
        name: "Align centre",
        shortcuts: &[key(ALT_SHIFT, Key::C)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::AlignRight,
        name: "Align right",
        shortcuts: &[key(ALT_SHIFT, Key::R)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::AlignTop,
        name: "Align top",
        shortcuts: &[key(ALT_SHIFT, Key::T)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::AlignMiddle,
        name: "Align middle",
        shortcuts: &[key(ALT_SHIFT, Key::M)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::AlignBottom,
        name: "Align bottom",
        shortcuts: &[key(ALT_SHIFT, Key::B)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::DistributeAcross,
        name: "Distribute horizontally",
        shortcuts: &[key(ALT_SHIFT, Key::H)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::DistributeDown,
        name: "Distribute vertically",
        shortcuts: &[key(ALT_SHIFT, Key::V)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::FindingsPanel,
        name: "Findings panel",
        shortcuts: &[],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::RulesWindow,
        name: "Rules...",
        shortcuts: &[],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::SnapToGrid,
        name: "Snap to grid",
        shortcuts: &[],
        global: false,
        hint: "Moved services land on the 10-unit grid; hold Alt to place freely",
    },
    ActionSpec {
        action: Action::Minimap,
        name: "Minimap",
        shortcuts: &[],
        global: false,
        hint: "The whole design in a corner while it is larger than the view",
    },
    ActionSpec {
        action: Action::Theme(egui::ThemePreference::System),
        name: "Theme: follow the system",
        shortcuts: &[],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Theme(egui::ThemePreference::Light),
        name: "Theme: light",
        shortcuts: &[],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Theme(egui::ThemePreference::Dark),
        name: "Theme: dark",
        shortcuts: &[],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::ZoomToFit,
        name: "Zoom to fit",
        shortcuts: &[key(NONE, Key::F), key(CMD, Key::Num0)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::ZoomIn,
        name: "Zoom in",
        shortcuts: &[key(CMD, Key::Plus), key(CMD, Key::Equals)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::ZoomOut,
        name: "Zoom out",
        shortcuts: &[key(CMD, Key::Minus)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::ZoomReset,
        name: "Zoom to 100%",
        shortcuts: &[key(CMD, Key::Num1)],
        global: false,
        hint: "",
    },
    ActionSpec {
        action: Action::Shortcuts,
        name: "Keyboard shortcuts",
        shortcuts: &[key(NONE, Key::F1)],
        global: true,
        hint: "",
    },
    ActionSpec {
        action: Action::CommandPalette,
        name: "Command palette...",
        shortcuts: &[key(CMD_SHIFT, Key::P)],
        global: true,
        hint: "",
    },
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
const GROUP_AS: ActionSpec = ActionSpec {
    action: Action::GroupAs(crate::model::GroupKind::Generic),
    name: "Group as",
    shortcuts: &[],
    global: false,
    hint: "",
};

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
