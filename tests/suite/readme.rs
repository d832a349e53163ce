//! The README's shortcut table is generated from nothing but must not drift: every action of
//! the action table that has keys appears with them.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::ui::actions::{ACTIONS, GESTURES, shortcut_text};

#[test]
fn readme_lists_every_action_with_its_shortcuts() {
    let readme = include_str!("../../README.md");
    for spec in ACTIONS.iter().filter(|s| !s.shortcuts.is_empty()) {
        let keys: Vec<String> = spec.shortcuts.iter().map(shortcut_text).collect();
        let row = format!("| {} | {} |", spec.name, keys.join(", "));
        assert!(readme.contains(&row), "README is missing the row `{row}`");
    }
    for (what, keys) in GESTURES {
        let row = format!("| {what} | {keys} |");
        assert!(readme.contains(&row), "README is missing the row `{row}`");
    }
}

#[test]
fn readme_checks_table_matches_the_rule_registry() {
    let readme = include_str!("../../README.md");
    let table = archsketch::rules::markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's checks table is out of date; replace it with:\n{table}"
    );
}
