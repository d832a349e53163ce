//! One store for what the window remembers between runs: the rules turned off, the theme,
//! the export choices and the recent files, one small file each in one folder. A test (or a
//! second profile) points the whole window elsewhere with one path; without a folder nothing
//! is remembered.

use std::path::PathBuf;

use super::ArchApp;
use crate::ui::export_dialog::ExportSettings;

/// The folder the window's settings live in, if any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsStore {
    dir: Option<PathBuf>,
}

/// One remembered setting, and so one file of the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// View > Rules: the ids of the rules turned off, one per line.
    RulesOff,
    /// View > Theme: `system`, `light` or `dark`.
    Theme,
    /// The Export dialog's last choices, as RON.
    Export,
    /// File > Open Recent, one path per line.
    Recent,
}

impl Setting {
    fn file_name(self) -> &'static str {
        match self {
            Setting::RulesOff => "rules-off.txt",
            Setting::Theme => "theme.txt",
            Setting::Export => "export.ron",
            Setting::Recent => "recent.txt",
        }
    }
}

impl SettingsStore {
    /// Settings kept in `dir`.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: Some(dir.into()),
        }
    }

    /// The person's own: `$XDG_CONFIG_HOME/archsketch`, or `~/.config/archsketch`; none
    /// when neither variable is set.
    pub fn per_user() -> Self {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
        Self {
            dir: base.map(|b| b.join("archsketch")),
        }
    }

    /// The file a setting is kept in.
    pub fn path(&self, setting: Setting) -> Option<PathBuf> {
        self.dir.as_deref().map(|d| d.join(setting.file_name()))
    }

    /// What was remembered of a setting, if anything could be read.
    pub fn read(&self, setting: Setting) -> Option<String> {
        std::fs::read_to_string(self.path(setting)?).ok()
    }

    /// Remembers a setting (a failure to write one is not worth an error).
    pub fn remember(&self, setting: Setting, text: &str) {
        if let Some(path) = self.path(setting) {
            crate::ui::document::remember(&path, text);
        }
    }
}

fn theme_name(theme: egui::ThemePreference) -> &'static str {
    match theme {
        egui::ThemePreference::System => "system",
        egui::ThemePreference::Light => "light",
        egui::ThemePreference::Dark => "dark",
    }
}

impl ArchApp {
    /// Reads what `store` remembers (rules turned off, theme, export choices) and keeps
    /// remembering there; the theme is applied to `ctx`.
    pub fn with_settings(mut self, ctx: &egui::Context, store: SettingsStore) -> Self {
        if let Some(text) = store.read(Setting::RulesOff) {
            self.rule_options.disabled = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            self.rules_version += 1;
        }
        let theme = match store.read(Setting::Theme).unwrap_or_default().trim() {
            "light" => egui::ThemePreference::Light,
            "dark" => egui::ThemePreference::Dark,
            _ => egui::ThemePreference::System,
        };
        self.theme = theme;
        ctx.set_theme(theme);
        self.export = store
            .read(Setting::Export)
            .and_then(|t| ron::from_str::<ExportSettings>(&t).ok())
            .unwrap_or_default();
        self.settings = store;
        self
    }

    /// Turns a rule on or off (remembered across runs when the app has a settings store).
    pub fn set_rule_enabled(&mut self, rule: &str, enabled: bool) {
        if enabled {
            self.rule_options.disabled.remove(rule);
        } else {
            self.rule_options.disabled.insert(rule.to_string());
        }
        self.rules_version += 1;
        let mut off: Vec<&str> = self
            .rule_options
            .disabled
            .iter()
            .map(String::as_str)
            .collect();
        off.sort_unstable();
        self.settings
            .remember(Setting::RulesOff, &(off.join("\n") + "\n"));
    }

    /// Chooses the window's theme (and the canvas's page with it), remembered when the app
    /// has a settings store.
    pub fn set_theme(&mut self, ctx: &egui::Context, theme: egui::ThemePreference) {
        self.theme = theme;
        ctx.set_theme(theme);
        self.settings.remember(Setting::Theme, theme_name(theme));
    }

    /// Remembers the Export dialog's choices.
    pub(super) fn remember_export(&self) {
        if let Ok(text) = ron::to_string(&self.export) {
            self.settings.remember(Setting::Export, &text);
        }
    }
}
