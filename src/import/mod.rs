//! Designs from what people already have: CloudFormation and SAM templates (YAML or JSON).
//! The result is an ordinary design, arranged by [`crate::layout`], with a one-paragraph
//! report of what became what.

pub mod cfn;
mod mapping;
pub mod yaml;

use std::fmt;

pub use cfn::{Imported, import_template};
pub use yaml::At;

/// Why a file could not be imported: where, and what a person can do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub path: String,
    pub at: Option<At>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                self.path, at.line, at.column, self.message
            ),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ImportError {}
