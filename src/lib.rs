//! archsketch: sketch AWS architectures on a canvas and check them against the reference
//! architectures and facts of a set of AWS study notes.
//!
//! The library holds everything; the binary only parses the command line. `model`,
//! `catalog`, `edit`, `io`, `route` and `scene` are pure and free of GUI types; `ui` is the window.

pub mod catalog;
pub mod cli;
pub mod drawio;
pub mod edit;
pub mod export;
pub mod import;
pub mod imported;
pub mod io;
pub mod layout;
pub mod limits;
pub mod model;
pub mod report;
pub mod review;
pub mod route;
pub mod rules;
pub mod scene;
pub mod spelling;
pub mod standards;
pub mod templates;
pub mod ui;
pub mod xml;
