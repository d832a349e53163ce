//! What an import gives, whatever it read (a CloudFormation or SAM template, a draw.io file):
//! the design with its report and where each element is written, or an error with its place.
//! A leaf both importers use, so `drawio` and `import` need not use each other's types.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Design;

/// Where a node starts in the text: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct At {
    pub line: usize,
    pub column: usize,
}

/// What an import made and what it says about it.
#[derive(Debug)]
pub struct Imported {
    pub design: Design,
    /// One paragraph: counts of what became what and which types were left out.
    pub report: String,
    /// Where each resource's logical id is written in the source, so that findings on the
    /// imported design point at the template's own lines.
    pub anchors: BTreeMap<String, At>,
}

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
