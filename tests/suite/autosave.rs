//! Never lose work: unsaved changes are autosaved after a quiet spell, a crashed session's
//! autosave is offered at the next start and recovered exactly, and saving or a clean close
//! leaves nothing behind. Remembered settings (View > Rules) survive a restart.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use archsketch::edit::ops;
use archsketch::model::{Design, Pos};
use archsketch::ui::ArchApp;
use archsketch::ui::app::SettingsStore;
use archsketch::ui::autosave::QUIET;
use archsketch::ui::document::{Document, RecentFiles};

fn app_in(dir: &std::path::Path) -> ArchApp {
    ArchApp::new(
        Document::unsaved(Design::default(), 0),
        None,
        RecentFiles::load(None),
    )
    .with_autosave(Some(dir.to_path_buf()))
}

fn add_bucket(app: &mut ArchApp, x: f32) {
    let (cmd, _) = ops::add_node(app.doc.design(), "s3", Pos::new(x, 0.0), None);
    app.doc.apply(cmd, None).unwrap();
}

fn autosaves(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_crashed_sessions_work_is_offered_and_recovered_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = app_in(dir.path());
    assert!(
        first.recovery.is_none(),
        "nothing to recover in an empty folder"
    );
    let t0 = Instant::now();
    add_bucket(&mut first, 0.0);
    // Still typing: nothing is written until the design has been quiet for a while.
    first.autosave.tick(&first.doc, t0);
    first.autosave.tick(&first.doc, t0 + QUIET / 2);
    assert!(autosaves(dir.path()).is_empty());
    first
        .autosave
        .tick(&first.doc, t0 + QUIET + Duration::from_millis(10));
    assert_eq!(autosaves(dir.path()).len(), 1);
    // A later change is written after its own quiet spell.
    add_bucket(&mut first, 300.0);
    let t1 = t0 + QUIET * 2;
    first.autosave.tick(&first.doc, t1);
    first.autosave.tick(&first.doc, t1 + QUIET);
    let edited = first.doc.design().clone();
    // The process dies without closing: no clean-up runs.
    std::mem::forget(first);

    let mut second = app_in(dir.path());
    assert!(second.recovery.is_some(), "the next start offers the work");
    second.recover();
    assert_eq!(second.doc.design(), &edited);
    assert!(
        second.doc.is_modified(),
        "recovered work is unsaved until saved"
    );
    assert!(second.recovery.is_none());
    let left = autosaves(dir.path());
    assert_eq!(
        left.len(),
        1,
        "the recovered autosave stays until the work is held again"
    );
    // The window dies right after Recover (the design that crashed it crashes it again):
    // the work is offered once more.
    let mut again = app_in(dir.path());
    assert!(
        again.recovery.is_some(),
        "a crash after Recover loses nothing"
    );
    again.recover();
    assert_eq!(again.doc.design(), &edited);
    // Once this window has autosaved the work itself, the old autosave goes.
    let t2 = Instant::now();
    again.autosave.tick(&again.doc, t2);
    again.autosave.tick(&again.doc, t2 + QUIET * 2);
    let now = autosaves(dir.path());
    assert_eq!(now.len(), 1, "one autosave holds the work: {now:?}");
    assert_ne!(
        now, left,
        "the old autosave was replaced by this window's own"
    );
    again.autosave.clear();
    std::mem::forget(second);
    let third = app_in(dir.path());
    assert!(third.recovery.is_none());
}

#[test]
fn saving_or_discarding_leaves_nothing_to_recover() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    let t0 = Instant::now();
    add_bucket(&mut app, 0.0);
    app.autosave.tick(&app.doc, t0);
    app.autosave.tick(&app.doc, t0 + QUIET * 2);
    assert_eq!(autosaves(dir.path()).len(), 1);
    let saved = dir.path().join("kept.ron");
    app.doc.save_to(&saved).unwrap();
    app.autosave.tick(&app.doc, t0 + QUIET * 3);
    assert_eq!(
        autosaves(dir.path()),
        vec![saved.clone()],
        "only the saved file is left"
    );

    // A session that crashed, then the person chose Discard.
    let mut crashed = app_in(dir.path());
    add_bucket(&mut crashed, 0.0);
    crashed.autosave.tick(&crashed.doc, t0);
    crashed.autosave.tick(&crashed.doc, t0 + QUIET * 2);
    std::mem::forget(crashed);
    let mut next = app_in(dir.path());
    assert!(next.recovery.is_some());
    next.discard_recovery();
    assert!(app_in(dir.path()).recovery.is_none());
}

#[test]
fn turned_off_rules_are_remembered_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::in_dir(dir.path());
    let mut app = ArchApp::new(
        Document::unsaved(Design::default(), 0),
        None,
        RecentFiles::load(None),
    )
    .with_settings(&egui::Context::default(), store.clone());
    app.set_rule_enabled("R063", false);
    let again = ArchApp::new(
        Document::unsaved(Design::default(), 0),
        None,
        RecentFiles::load(None),
    )
    .with_settings(&egui::Context::default(), store);
    assert!(again.rule_options.disabled.contains("R063"));
}
