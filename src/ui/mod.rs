//! The window: app shell, canvas, palette, inspector. UI code reads the design and returns
//! [`edits::Edits`]; only the app applies them.

pub mod actions;
pub mod app;
pub mod autosave;
pub mod camera;
pub mod canvas;
pub mod clip;
pub mod command_palette;
pub mod document;
pub mod edits;
pub mod export_dialog;
pub mod findings;
pub mod frame_stats;
pub mod gallery;
pub mod inspector;
pub mod page_choice;
pub mod palette;
pub mod payload;
pub mod reference_view;
pub mod step_selection;
pub mod theme;

pub use app::{ArchApp, run_window};
