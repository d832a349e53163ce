//! Every integration test, in one binary: each file is a module named after what it tests
//! (`cargo test --release --test suite linear::` runs one). One binary links the program once
//! instead of once per file, which is most of the test build's time.

mod common;

mod autosave;
mod bounded;
mod check_cli;
mod diff;
mod drawio;
mod drawio_drawings;
mod drawio_viewer;
mod edit_commands;
mod errors;
mod export;
mod fuzz;
mod graphviz;
mod hostile_text;
mod import;
mod io_files;
mod layers;
mod linear;
mod mcp;
mod mermaid;
mod readme;
mod routing;
mod rules;
mod scale;
mod team;
mod templates;
mod ui_flows;
mod window_bounded;
mod work_kept;
