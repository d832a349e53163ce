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
    /// What became what and what was left out, said as one paragraph.
    pub report: ImportReport,
    /// Where each resource's logical id is written in the source, so that findings on the
    /// imported design point at the template's own lines.
    pub anchors: BTreeMap<String, At>,
}

/// What an import says it did: counts of what became what, how some of it was read, what
/// was drawn differently or left out, and sentences about the source as a whole. Both
/// importers fill one, so the window and `import` say it the same way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// The counts the paragraph opens with.
    pub counts: Counts,
    /// How some of it was read ("3 services named by the text beside them"), in brackets
    /// after the counts.
    pub read: Vec<String>,
    /// What was drawn other than as written or left out ("left out 2 edges not connected at
    /// both ends"), each a clause after the counts.
    pub clauses: Vec<String>,
    /// What follows the first sentence, in order.
    pub after: Vec<Remark>,
}

/// The opening counts of an [`ImportReport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counts {
    /// Of a template: how many resources became how many services.
    Template {
        resources: usize,
        services: usize,
        edges: usize,
        groups: usize,
    },
    /// Of a drawing: what its shapes became.
    Drawing {
        services: usize,
        edges: usize,
        groups: usize,
        notes: usize,
    },
}

impl Default for Counts {
    fn default() -> Self {
        Counts::Drawing {
            services: 0,
            edges: 0,
            groups: 0,
            notes: 0,
        }
    }
}

/// Something an [`ImportReport`] says after its first sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remark {
    /// A sentence of its own.
    Sentence(String),
    /// Which page of a file of several the design is.
    Page { name: String, of: usize },
}

impl ImportReport {
    /// A report opening with `counts`.
    pub fn new(counts: Counts) -> Self {
        Self {
            counts,
            ..Self::default()
        }
    }

    /// Adds a sentence after those already said.
    pub fn say(&mut self, sentence: impl Into<String>) {
        self.after.push(Remark::Sentence(sentence.into()));
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.counts {
            Counts::Template {
                resources,
                services,
                edges,
                groups,
            } => write!(
                f,
                "{resources} resources as {services} services, {edges} edges, {groups} groups"
            )?,
            Counts::Drawing {
                services,
                edges,
                groups,
                notes,
            } => {
                write!(f, "{services} services, {edges} edges, {groups} groups")?;
                if notes > 0 {
                    write!(f, ", {notes} notes")?;
                }
            }
        }
        if !self.read.is_empty() {
            write!(f, " ({})", self.read.join("; "))?;
        }
        for clause in &self.clauses {
            write!(f, "; {clause}")?;
        }
        f.write_str(".")?;
        for remark in &self.after {
            match remark {
                Remark::Sentence(s) => write!(f, " {s}")?,
                Remark::Page { name, of } => write!(f, " (page \"{name}\" of {of})")?,
            }
        }
        Ok(())
    }
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
