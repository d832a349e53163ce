//! The command palette (Ctrl+Shift+P): every action of the command table, filtered as the
//! person types, with its shortcut; only those that can run now are offered to run. Up and
//! Down choose, Enter runs, Escape closes.

use egui::{Color32, Key, RichText};

use super::actions::Action;

/// One command as the palette lists it.
pub struct Row {
    pub action: Action,
    pub name: String,
    pub keys: String,
    pub enabled: bool,
}

/// The palette's state between frames.
#[derive(Default)]
pub struct CommandPalette {
    pub open: bool,
    pub query: String,
    selected: usize,
}

/// Whether `name` matches every word of `query` (case-insensitive, in any order).
pub fn matches(name: &str, query: &str) -> bool {
    let name = name.to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| name.contains(word))
}

impl CommandPalette {
    /// Opens it empty, or closes it when open.
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.query.clear();
        self.selected = 0;
    }

    /// Draws the palette; returns the action chosen this frame.
    pub fn show(&mut self, ctx: &egui::Context, rows: &[Row]) -> Option<Action> {
        if !self.open {
            return None;
        }
        let shown: Vec<&Row> = rows
            .iter()
            .filter(|r| matches(&r.name, &self.query))
            .collect();
        let runnable: Vec<usize> = (0..shown.len()).filter(|&i| shown[i].enabled).collect();
        let (up, down, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, Key::Enter),
                i.consume_key(egui::Modifiers::NONE, Key::Escape),
            )
        });
        if escape {
            self.open = false;
            return None;
        }
        if down {
            self.selected += 1;
        }
        if up {
            self.selected = self.selected.saturating_sub(1);
        }
        self.selected = self.selected.min(runnable.len().saturating_sub(1));
        let chosen_row = runnable.get(self.selected).copied();
        let mut chosen = if enter {
            chosen_row.map(|i| shown[i].action)
        } else {
            None
        };
        let area = ctx.content_rect();
        egui::Window::new("Command palette")
            .title_bar(false)
            .resizable(false)
            .collapsible(false)
            .fixed_pos(egui::pos2(area.center().x - 220.0, area.top() + 60.0))
            .fixed_size([440.0, 0.0])
            .show(ctx, |ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("Type a command")
                        .desired_width(f32::INFINITY),
                );
                field.request_focus();
                if field.changed() {
                    self.selected = 0;
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        if shown.is_empty() {
                            ui.label(RichText::new("No command matches").color(Color32::GRAY));
                        }
                        for (i, row) in shown.iter().enumerate() {
                            let highlighted = Some(i) == chosen_row;
                            let button = egui::Button::new(&row.name)
                                .shortcut_text(&row.keys)
                                .selected(highlighted)
                                .min_size(egui::vec2(ui.available_width(), 0.0));
                            let response = ui.add_enabled(row.enabled, button);
                            if highlighted {
                                response.scroll_to_me(None);
                            }
                            if response.clicked() {
                                chosen = Some(row.action);
                            }
                        }
                    });
            });
        if chosen.is_some() {
            self.open = false;
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn every_word_matches_anywhere_in_the_name() {
        assert!(matches("Align left", "left"));
        assert!(matches("Align left", "al le"));
        assert!(matches("Zoom to fit", "FIT zoom"));
        assert!(!matches("Align left", "right"));
        assert!(matches("Anything", ""));
    }
}
