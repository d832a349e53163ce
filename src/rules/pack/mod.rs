//! Rule packs: a team's own standards ("every bucket holding PII is watched by Macie", "no
//! database in a public subnet") written as data in `archsketch.rules.ron`, checked like the
//! built-in rules and reported beside them. docs/rule-packs.md describes the format.

mod eval;
mod parse;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{EdgeKind, GroupKind};

pub use eval::findings;
pub use parse::{PackError, parse};

/// The file a folder's rule pack is read from.
pub const PACK_FILE: &str = "archsketch.rules.ron";

/// A parsed, validated rule pack.
#[derive(Clone, Debug, Default)]
pub struct RulePack {
    /// Where it was read from, for citations ("archsketch.rules.ron:12").
    pub path: String,
    pub rules: Vec<PackRule>,
}

/// How serious a pack rule's findings are (written `Error`, `Warning` or `Info`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename = "severity")]
pub enum PackSeverity {
    Error,
    Warning,
    Info,
}

impl From<PackSeverity> for super::Severity {
    fn from(s: PackSeverity) -> Self {
        match s {
            PackSeverity::Error => super::Severity::Error,
            PackSeverity::Warning => super::Severity::Warning,
            PackSeverity::Info => super::Severity::Info,
        }
    }
}

/// One rule of a pack.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "Rule", deny_unknown_fields)]
pub struct PackRule {
    /// Its id in reports, suppressions and `--disable` (never one of the built-in ids).
    pub id: String,
    pub severity: PackSeverity,
    /// The finding's text; `{label}` is replaced by the element's quoted label.
    pub message: String,
    /// Why the rule exists, shown where the notes' quote is for built-in rules.
    #[serde(default)]
    pub explanation: Option<String>,
    /// Where the standard is written down.
    #[serde(default)]
    pub link: Option<String>,
    /// What the rule looks at.
    pub on: Subject,
    /// Property conditions the services must meet to be looked at (`contains_pii: "true"`).
    #[serde(default)]
    pub when: BTreeMap<String, String>,
    /// What must hold of each of them.
    pub require: Requirement,
    /// The line the rule starts at in its pack.
    #[serde(skip)]
    pub line: usize,
}

/// What a pack rule looks at.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub enum Subject {
    /// Every node of this service.
    Service(String),
    /// Every node of any of these services.
    Services(Vec<String>),
    /// Every node of a catalog family (`data_stores`, ...).
    Family(String),
    /// The design as a whole (for `HasGroup`).
    Design,
}

/// What must hold of each node a pack rule looks at (or of the design).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub enum Requirement {
    /// An edge from a node of one of these services (of this kind, when given).
    EdgeFrom {
        services: Vec<String>,
        #[serde(default)]
        kind: Option<EdgeKind>,
    },
    /// An edge to a node of one of these services.
    EdgeTo {
        services: Vec<String>,
        #[serde(default)]
        kind: Option<EdgeKind>,
    },
    /// No edge from a node of these services.
    NoEdgeFrom {
        services: Vec<String>,
        #[serde(default)]
        kind: Option<EdgeKind>,
    },
    /// No edge to a node of these services.
    NoEdgeTo {
        services: Vec<String>,
        #[serde(default)]
        kind: Option<EdgeKind>,
    },
    /// Data reaches it, along flow edges, from one of these services.
    PathFrom(Vec<String>),
    /// Its data reaches one of these services.
    PathTo(Vec<String>),
    /// No flow path from any of these services.
    NoPathFrom(Vec<String>),
    /// No flow path to any of these services.
    NoPathTo(Vec<String>),
    /// It sits inside a group of this kind.
    Inside(GroupKind),
    /// It does not sit inside a group of this kind.
    NotInside(GroupKind),
    /// Its property has one of these values.
    Property { key: String, one_of: Vec<String> },
    /// It must not exist at all (with `when`, a forbidden setting).
    Absent,
    /// At most this many of them in the design.
    AtMost(usize),
    /// At least this many of them in the design.
    AtLeast(usize),
    /// The design has a group of this kind (with `on: Design`).
    HasGroup(GroupKind),
}
