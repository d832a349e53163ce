//! Checking designs against the notes: every rule the notes support, plus
//! reference-architecture conformance. `check` is pure: a design in,
//! findings out, each with the note's own words and, where the notes give one, a quick fix
//! expressed as edit commands.

/// Declares a rule with its metadata beside its check, the way clippy and ESLint declare
/// lints. The check's return type says whether the rule offers quick fixes: `Vec<Hit>` cannot
/// carry one, `Vec<FixedHit>` does, so "has a fix" is derived, never kept by hand. The
/// declared constant must be listed in its module's `RULES`, or the build warns it is unused.
macro_rules! rule {
    (
        $id:ident: $severity:ident, $title:literal,
        quote: $quote:literal,
        source: $source:literal,
        fn $check:ident($ix:ident) -> Vec<Hit> $body:block
    ) => {
        rule!(@declare $id, $severity, $title, $quote, $source, Findings, $check);
        fn $check($ix: &$crate::rules::Index) -> Vec<$crate::rules::Hit> $body
    };
    (
        $id:ident: $severity:ident, $title:literal,
        quote: $quote:literal,
        source: $source:literal,
        fn $check:ident($ix:ident) -> Vec<FixedHit> $body:block
    ) => {
        rule!(@declare $id, $severity, $title, $quote, $source, WithFixes, $check);
        fn $check($ix: &$crate::rules::Index) -> Vec<$crate::rules::FixedHit> $body
    };
    (@declare $id:ident, $severity:ident, $title:literal, $quote:literal, $source:literal,
        $kind:ident, $check:ident) => {
        const $id: $crate::rules::Rule = $crate::rules::Rule {
            id: stringify!($id),
            severity: $crate::rules::Severity::$severity,
            title: $title,
            quote: $quote,
            source: $source,
            check: $crate::rules::Check::$kind($check),
        };
    };
}

mod analytics;
mod compute;
mod containers;
mod data;
mod fixes;
mod general;
mod identity;
pub mod index;
mod messaging;
mod network;
pub mod notes;
pub mod pack;
pub mod reference;
mod storage;
pub mod team;

use std::collections::HashSet;

use serde::Serialize;

use crate::edit::EditCommand;
use crate::model::{Design, ElementRef};
pub use index::{IdText, Index};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The badge colour: red, amber, blue.
    pub fn color(self) -> [u8; 3] {
        match self {
            Severity::Error => [0xD1, 0x32, 0x12],
            Severity::Warning => [0xF2, 0x9B, 0x0B],
            Severity::Info => [0x00, 0x73, 0xBB],
        }
    }

    /// The lowercase name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(name: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// A quick fix: edits that resolve a finding, applied as one undoable step.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub command: EditCommand,
}

/// One place where a design departs from the notes.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// `R055`, `T01`, `G001`...
    pub rule: String,
    pub severity: Severity,
    /// One line naming the elements by label.
    pub message: String,
    pub elements: Vec<ElementRef>,
    /// The note's words the rule rests on.
    pub quote: String,
    /// Where in the notes: `2:640` is file 2, line 640 ([`notes::cite`] reads it out).
    pub source: String,
    pub fix: Option<Fix>,
    /// Whether a suppression in the design covers it.
    pub suppressed: bool,
    /// Whether it is about a whole pipeline (how it follows a reference architecture) rather
    /// than about each of its elements.
    pub pipeline: bool,
}

impl Finding {
    /// Whether it earns a badge on its elements: not suppressed, and not a complete match with
    /// a reference architecture (good news about a whole pipeline, not about each element).
    pub fn badged(&self) -> bool {
        !(self.suppressed || (self.pipeline && self.severity == Severity::Info))
    }
}

/// What a rule's check reports; the engine adds the rule's id, quote and source.
pub struct Hit {
    pub elements: Vec<ElementRef>,
    pub message: String,
    /// For rules with two severities (R030, R058, ...): this hit's, instead of the rule's.
    pub severity: Option<Severity>,
}

impl Hit {
    /// A hit on these elements.
    pub fn new(elements: Vec<ElementRef>, message: impl Into<String>) -> Self {
        Self {
            elements,
            message: message.into(),
            severity: None,
        }
    }

    /// With a quick fix: only a rule whose check returns [`FixedHit`]s can keep it.
    pub fn fix(self, title: impl Into<String>, command: EditCommand) -> FixedHit {
        FixedHit {
            hit: self,
            fix: Some(Fix {
                title: title.into(),
                command,
            }),
        }
    }

    /// With a quick fix when one could be made (`None`: nothing to offer here).
    pub fn fix_if(self, title: impl Into<String>, command: Option<EditCommand>) -> FixedHit {
        match command {
            Some(command) => self.fix(title, command),
            None => self.into(),
        }
    }

    /// With its own severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// A hit of a rule that offers quick fixes; `fix` is `None` where this one cannot be fixed.
pub struct FixedHit {
    pub hit: Hit,
    pub fix: Option<Fix>,
}

impl From<Hit> for FixedHit {
    fn from(hit: Hit) -> Self {
        FixedHit { hit, fix: None }
    }
}

impl FixedHit {
    /// With its own severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.hit.severity = Some(severity);
        self
    }
}

/// A rule's check; which kind it is says whether the rule offers quick fixes.
#[derive(Clone, Copy)]
pub enum Check {
    /// Findings only.
    Findings(fn(&Index) -> Vec<Hit>),
    /// Findings that carry quick fixes.
    WithFixes(fn(&Index) -> Vec<FixedHit>),
}

/// A rule: its id, severity, one-line title, the quote it rests on, and its check. Declared
/// with `rule!` next to its check.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub quote: &'static str,
    pub source: &'static str,
    pub check: Check,
}

impl Rule {
    /// Whether its findings carry a quick fix, as its check's type says.
    pub fn has_fix(&self) -> bool {
        matches!(self.check, Check::WithFixes(_))
    }

    /// Runs the check.
    pub fn hits(&self, index: &Index) -> Vec<FixedHit> {
        match self.check {
            Check::Findings(check) => check(index).into_iter().map(FixedHit::from).collect(),
            Check::WithFixes(check) => check(index),
        }
    }
}

/// Every implemented rule, in id order.
pub fn registry() -> Vec<&'static Rule> {
    let mut v: Vec<&Rule> = general::RULES
        .iter()
        .chain(analytics::RULES)
        .chain(compute::RULES)
        .chain(containers::RULES)
        .chain(storage::RULES)
        .chain(data::RULES)
        .chain(network::RULES)
        .chain(messaging::RULES)
        .chain(identity::RULES)
        .collect();
    v.sort_by_key(|r| r.id);
    v
}

/// Options of a check: rules turned off in settings, and a team's own standards.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub disabled: HashSet<String>,
    /// A rule pack and own references, checked beside the built-in rules.
    pub team: Option<std::sync::Arc<team::Team>>,
}

impl CheckOptions {
    /// The references pipelines are matched with: the notes', and the team's own if any.
    pub fn references(&self) -> &reference::ReferenceSet {
        self.team
            .as_ref()
            .map_or(reference::ReferenceSet::builtin(), |t| &t.references)
    }
}

/// Checks a design with every rule and the reference architectures. Findings come sorted by
/// severity, rule id and first element; suppressed ones are marked, not dropped.
pub fn check(design: &Design) -> Vec<Finding> {
    check_with(design, &CheckOptions::default())
}

/// Designs of at least this many nodes are checked on two cores.
const PARALLEL_FROM: usize = 2_000;

/// [`check`] with rules turned off.
pub fn check_with(design: &Design, options: &CheckOptions) -> Vec<Finding> {
    let index = Index::new(design);
    // The reference matcher, which runs beside the built-in rules.
    let beside = |index: &Index| -> Vec<Finding> {
        let mut found = Vec::new();
        if !options.disabled.contains("T") {
            found.extend(
                reference::conformance_with(index, options.references())
                    .into_iter()
                    .filter(|f| !options.disabled.contains(&f.rule)),
            );
        }
        found
    };
    let mut findings = Vec::new();
    // On a big design they run on a second core beside the rules; a small one is done
    // before a thread would have started.
    let matched = if design.nodes().len() >= PARALLEL_FROM {
        std::thread::scope(|scope| {
            let matcher = scope.spawn(|| beside(&index));
            run_rules(&index, options, &mut findings);
            matcher
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    } else {
        run_rules(&index, options, &mut findings);
        beside(&index)
    };
    findings.extend(matched);
    if !design.suppressions.is_empty() {
        for f in &mut findings {
            f.suppressed = is_suppressed(&index, f);
        }
    }
    findings.sort_by_cached_key(|f| (f.severity, f.rule.clone(), element_key(&index, f)));
    findings
}

/// The built-in rules and a team's pack (the reference matcher runs beside them).
fn run_rules(index: &Index, options: &CheckOptions, findings: &mut Vec<Finding>) {
    if let Some(team) = &options.team {
        findings.extend(pack::findings(index, &team.pack, &options.disabled));
    }
    for rule in registry() {
        if options.disabled.contains(rule.id) {
            continue;
        }
        for FixedHit { hit, fix } in rule.hits(index) {
            findings.push(Finding {
                rule: rule.id.to_string(),
                severity: hit.severity.unwrap_or(rule.severity),
                message: hit.message,
                elements: hit.elements,
                quote: rule.quote.to_string(),
                source: rule.source.to_string(),
                fix,
                suppressed: false,
                pipeline: false,
            });
        }
    }
}

fn element_key(index: &Index, f: &Finding) -> (usize, usize) {
    match f.elements.first() {
        Some(ElementRef::Node(id)) => (0, index.position(id)),
        Some(ElementRef::Group(id)) => (1, index.position(id)),
        Some(ElementRef::Edge(id)) => (2, index.edge_position(*id)),
        None => (3, 0),
    }
}

/// Whether a suppression covers the finding: same rule, and no target (the whole design) or
/// a target among the finding's elements (an edge is covered through either end).
fn is_suppressed(index: &Index, f: &Finding) -> bool {
    index.design.suppressions.iter().any(|s| {
        s.rule == f.rule
            && match &s.target {
                None => true,
                Some(t) => f.elements.iter().any(|e| match e {
                    ElementRef::Node(id) => id == t,
                    ElementRef::Group(id) => id == t,
                    ElementRef::Edge(id) => {
                        index.edge(*id).is_some_and(|e| &e.from == t || &e.to == t)
                    }
                }),
            }
    })
}

/// Shorthand for a node reference.
pub(crate) fn node(id: impl IdText) -> ElementRef {
    ElementRef::Node(crate::model::NodeId::made(id.text()))
}

/// A reference to the edge at position `i` of the design (rules walk edges by position).
pub(crate) fn edge_ref(ix: &Index, i: usize) -> ElementRef {
    ElementRef::Edge(ix.design.edges()[i].id)
}

/// Shorthand for a group reference.
pub(crate) fn group(id: impl IdText) -> ElementRef {
    ElementRef::Group(crate::model::GroupId::made(id.text()))
}

/// One hit per flow edge leaving `from` that `keep` accepts, naming the edge and its source:
/// the shape of every rule about where something sends its data.
pub(crate) fn flow_edge_hits<'a>(
    ix: &Index<'a>,
    from: &[&'a crate::model::Node],
    keep: impl Fn(&crate::model::Edge) -> bool,
    message: impl Fn(&str, &str) -> String,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for n in from {
        for (i, e) in ix.out(&n.id) {
            if !e.kind.is_relation() && keep(e) {
                hits.push(Hit::new(
                    vec![node(&n.id), edge_ref(ix, i)],
                    message(&q(ix, &n.id), &q(ix, &e.to)),
                ));
            }
        }
    }
    hits
}

/// A hit on one node whose message names it: `message` gets the node's quoted label.
pub(crate) fn on_node(ix: &Index, id: impl IdText, message: impl FnOnce(String) -> String) -> Hit {
    let id = id.text();
    Hit::new(vec![node(id)], message(q(ix, id)))
}

/// Quotes a label for a message.
pub(crate) fn q(ix: &Index, id: impl IdText) -> String {
    let label = ix.label(id);
    format!(
        "\"{}\"",
        crate::limits::cut_to(&label, crate::limits::MAX_QUOTED_LABEL_CHARS)
    )
}

/// The README's table of checks, generated from the registry so the two cannot drift.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Rule | Severity | Message | Quick fix | Notes |\n|---|---|---|---|---|\n");
    for r in registry() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            r.id,
            r.severity.name(),
            r.title.replace('|', "\\|"),
            if r.has_fix() { "yes" } else { "" },
            notes::cite(r.source)
        ));
    }
    out
}

#[cfg(test)]
mod names_exist_in_the_catalog {
    //! Rules name services, families, limits and properties by string; a typo would make a
    //! rule silently never fire. These read the rules' own source and look every name up.

    use crate::catalog::catalog;

    const SOURCES: &[(&str, &str)] = &[
        ("analytics.rs", include_str!("analytics.rs")),
        ("compute.rs", include_str!("compute.rs")),
        ("containers.rs", include_str!("containers.rs")),
        ("data.rs", include_str!("data.rs")),
        ("general.rs", include_str!("general.rs")),
        ("identity.rs", include_str!("identity.rs")),
        ("messaging.rs", include_str!("messaging.rs")),
        ("network.rs", include_str!("network.rs")),
        ("storage.rs", include_str!("storage.rs")),
        ("fixes.rs", include_str!("fixes.rs")),
    ];

    /// The string literals right after each occurrence of `call` (up to its closing bracket).
    fn literals_after<'a>(source: &'a str, call: &str, close: char) -> Vec<&'a str> {
        let mut out = Vec::new();
        for (at, _) in source.match_indices(call) {
            let rest = &source[at + call.len()..];
            let args = &rest[..rest.find(close).unwrap_or(rest.len())];
            out.extend(args.split('"').skip(1).step_by(2));
        }
        out
    }

    /// A new file of rules is read too: every file that defines rules is in `SOURCES`.
    #[test]
    fn every_file_of_rules_is_scanned() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if text.contains("rule! {") && name != "mod.rs" {
                assert!(
                    SOURCES.iter().any(|(f, _)| *f == name),
                    "src/rules/{name} defines rules but is not in SOURCES"
                );
            }
        }
    }

    #[test]
    fn every_service_a_rule_selects_is_in_the_catalog() {
        let cat = catalog();
        let mut named = 0;
        for (file, source) in SOURCES {
            for id in literals_after(source, "ix.of(&[", ']') {
                assert!(cat.service(id).is_some(), "{file}: unknown service {id:?}");
                named += 1;
            }
        }
        assert!(named > 100, "the scan found the rules' services ({named})");
    }

    #[test]
    fn every_family_and_limit_a_rule_names_exists() {
        let cat = catalog();
        for (file, source) in SOURCES {
            for id in literals_after(source, "family(", ')') {
                assert!(!cat.family(id).is_empty(), "{file}: unknown family {id:?}");
            }
            for id in literals_after(source, "limit(", ')') {
                assert!(!cat.limit(id).is_nan(), "{file}: unknown limit {id:?}");
            }
        }
        for f in &cat.families {
            for s in &f.services {
                assert!(cat.service(s).is_some(), "family {}: unknown {s:?}", f.id);
            }
        }
    }

    #[test]
    fn every_property_a_rule_reads_is_declared_by_some_service() {
        let cat = catalog();
        let declared = |name: &str| {
            cat.services.iter().any(|s| s.prop(name).is_some())
                || matches!(name, "x" | "y" | "width" | "height")
        };
        for (file, source) in SOURCES {
            for call in ["ix.prop(", "ix.flag(", "ix.number("] {
                for args in source.split(call).skip(1) {
                    let args = &args[..args.find(')').unwrap_or(args.len())];
                    if let Some(name) = args.split('"').nth(1) {
                        assert!(declared(name), "{file}: {call} reads undeclared {name:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_property_value_a_rule_compares_with_is_allowed_by_the_catalog() {
        let cat = catalog();
        let allowed = |name: &str, value: &str| {
            let specs: Vec<_> = cat.services.iter().filter_map(|s| s.prop(name)).collect();
            specs.iter().any(|p| p.kind.choices().is_empty())
                || specs
                    .iter()
                    .any(|p| p.kind.choices().iter().any(|c| c == value))
        };
        let mut compared = 0;
        for (file, source) in SOURCES {
            for args in source.split("ix.prop(").skip(1) {
                let Some(close) = args.find(')') else {
                    continue;
                };
                let Some(name) = args[..close].split('"').nth(1) else {
                    continue;
                };
                let after = &args[close + 1..];
                let values = if let Some(rest) = after.strip_prefix(" == Some(") {
                    rest
                } else if let Some(rest) = after.strip_prefix(", Some(") {
                    rest
                } else {
                    continue;
                };
                let values = &values[..values.find(')').unwrap_or(values.len())];
                for value in values.split('"').skip(1).step_by(2) {
                    assert!(
                        allowed(name, value),
                        "{file}: {name}={value:?} is not allowed"
                    );
                    compared += 1;
                }
            }
        }
        assert!(
            compared > 20,
            "the scan found the rules' comparisons ({compared})"
        );
    }
}
