//! Every change to a design goes through here: commands, their inverses, undo history, and
//! the composite operations behind the editor's gestures.

pub mod clipboard;
mod command;
mod describe;
mod history;
pub mod ops;

pub use command::{EditCommand, EditError, Field, Target, apply};
pub use describe::describe;
pub use history::History;
