//! Reading a rule pack: RON syntax first, then every name checked against the catalog, so a
//! typo is an error at its line and column, never a rule that silently matches nothing.

use std::fmt;

use serde::Deserialize;

use super::{PackRule, Requirement, RulePack, Subject};
use crate::catalog::{PropKind, catalog};
use crate::spelling::closest;

/// A problem in a rule pack, at a place in its text.
#[derive(Clone, Debug, PartialEq)]
pub struct PackError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

#[derive(Deserialize)]
#[serde(rename = "RulePack", deny_unknown_fields)]
struct PackFile {
    rules: Vec<PackRule>,
}

/// Reads and checks a rule pack; every problem found is returned, each at its place.
pub fn parse(text: &str, path: &str) -> Result<RulePack, Vec<PackError>> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let file: PackFile = options.from_str(text).map_err(|e| {
        vec![PackError {
            path: path.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: crate::io::describe_ron_error(&e.code, "rule pack"),
        }]
    })?;
    let mut rules = file.rules;
    let places = Places::new(text, &rules);
    let mut errors = Vec::new();
    let mut earlier: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let found = problems(rule, &earlier);
        earlier.insert(rule.id.as_str());
        for (needle, message) in found {
            let (line, column) = places.find(i, &needle);
            errors.push(PackError {
                path: path.to_string(),
                line,
                column,
                message: format!("rule \"{}\": {message}", rule.id),
            });
        }
    }
    for (i, rule) in rules.iter_mut().enumerate() {
        rule.line = places.line_of(places.rule_start(i));
    }
    if errors.is_empty() {
        Ok(RulePack {
            path: path.to_string(),
            rules,
        })
    } else {
        Err(errors)
    }
}

/// Where each rule's id is written, so a problem can be pointed at.
struct Places<'t> {
    text: &'t str,
    /// Byte range of each rule's quoted id.
    ids: Vec<(usize, usize)>,
    /// Where each line starts, so a line is found by search, not by counting from the top.
    line_starts: Vec<usize>,
}

impl<'t> Places<'t> {
    fn new(text: &'t str, rules: &[PackRule]) -> Self {
        let mut ids = Vec::with_capacity(rules.len());
        let mut from = 0;
        for rule in rules {
            let quoted = format!("\"{}\"", rule.id);
            let at = text[from..]
                .find(&quoted)
                .map_or(from, |offset| from + offset);
            ids.push((at, at + quoted.len()));
            from = at + 1;
        }
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Places {
            text,
            ids,
            line_starts,
        }
    }

    fn rule_start(&self, i: usize) -> usize {
        self.ids.get(i).map_or(0, |r| r.0)
    }

    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Line and column of the first `needle` (quoted) inside rule `i`, else of its id.
    fn find(&self, i: usize, needle: &str) -> (usize, usize) {
        let start = self.rule_start(i);
        let end = self.ids.get(i + 1).map_or(self.text.len(), |r| r.0);
        let quoted = format!("\"{needle}\"");
        let at = self.text[start..end]
            .find(&quoted)
            .or_else(|| self.text[start..end].find(needle))
            .map_or(start, |o| start + o);
        let line = self.line_of(at);
        let line_start = self.text[..at].rfind('\n').map_or(0, |n| n + 1);
        (line, self.text[line_start..at].chars().count() + 1)
    }
}

/// Everything wrong with one rule: (text to point at, what is wrong).
fn problems(
    rule: &PackRule,
    earlier_ids: &std::collections::HashSet<&str>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let id = rule.id.as_str();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        out.push((
            id.to_string(),
            "an id is letters, digits, '-', '_' and '.'".to_string(),
        ));
    }
    if earlier_ids.contains(id) {
        out.push((id.to_string(), "this id is used by an earlier rule".into()));
    }
    if is_builtin_id(id) {
        out.push((
            id.to_string(),
            "this id belongs to a built-in rule or reference; give the team's rule its own".into(),
        ));
    }
    if rule.message.trim().is_empty() {
        out.push(("message".into(), "the message is empty".into()));
    }
    let subject_services: Vec<String> = match &rule.on {
        Subject::Service(s) => vec![s.clone()],
        Subject::Services(list) => list.clone(),
        Subject::Family(f) => {
            let members = catalog().family(f);
            if members.is_empty() {
                let known = catalog().families.iter().map(|x| x.id.as_str());
                out.push((f.clone(), unknown("family", f, known)));
            }
            members.to_vec()
        }
        Subject::Design => Vec::new(),
    };
    if let Subject::Service(_) | Subject::Services(_) = &rule.on {
        out.extend(unknown_services(&subject_services));
    }
    let design_wide = rule.on == Subject::Design;
    match (&rule.require, design_wide) {
        (Requirement::HasGroup(_), false) => out.push((
            "HasGroup".into(),
            "HasGroup is about the whole design: write `on: Design`".into(),
        )),
        (Requirement::HasGroup(_), true) => {}
        (_, true) => out.push((
            "Design".into(),
            "`on: Design` goes with `require: HasGroup(...)` only; name services to look at".into(),
        )),
        _ => {}
    }
    if design_wide && !rule.when.is_empty() {
        out.push((
            "when".into(),
            "`when` selects services; the whole design has no properties".into(),
        ));
    }
    for (key, value) in &rule.when {
        out.extend(property_problems(
            &subject_services,
            key,
            std::slice::from_ref(value),
        ));
    }
    match &rule.require {
        Requirement::EdgeFrom { services, .. }
        | Requirement::EdgeTo { services, .. }
        | Requirement::NoEdgeFrom { services, .. }
        | Requirement::NoEdgeTo { services, .. }
        | Requirement::PathFrom(services)
        | Requirement::PathTo(services)
        | Requirement::NoPathFrom(services)
        | Requirement::NoPathTo(services) => {
            if services.is_empty() {
                out.push(("require".into(), "name at least one service".into()));
            }
            out.extend(unknown_services(services));
        }
        Requirement::Property { key, one_of } => {
            out.extend(property_problems(&subject_services, key, one_of));
        }
        _ => {}
    }
    out
}

fn is_builtin_id(id: &str) -> bool {
    let upper = id.to_ascii_uppercase();
    upper == "T"
        || super::super::registry().iter().any(|r| r.id == upper)
        || super::super::reference::references()
            .iter()
            .any(|r| r.id == upper)
}

fn unknown<'a>(what: &str, name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match closest(name, known) {
        Some(k) => format!("unknown {what} \"{name}\"; did you mean \"{k}\"?"),
        None => format!("unknown {what} \"{name}\""),
    }
}

fn unknown_services(services: &[String]) -> Vec<(String, String)> {
    let cat = catalog();
    services
        .iter()
        .filter(|s| cat.service(s).is_none())
        .map(|s| {
            (
                s.clone(),
                unknown("service", s, cat.services.iter().map(|x| x.id.as_str())),
            )
        })
        .collect()
}

/// Whether `key` is a property every subject service declares and each value one it allows.
fn property_problems(services: &[String], key: &str, values: &[String]) -> Vec<(String, String)> {
    let cat = catalog();
    let mut out = Vec::new();
    for service in services.iter().filter_map(|s| cat.service(s)) {
        let Some(spec) = service.prop(key) else {
            let known: Vec<&str> = service.props.iter().map(|p| p.name.as_str()).collect();
            let message = match closest(key, known.iter().copied()) {
                Some(k) => format!(
                    "{} has no property \"{key}\"; did you mean \"{k}\"?",
                    service.id
                ),
                None if known.is_empty() => {
                    format!("{} has no property \"{key}\" (it has none)", service.id)
                }
                None => format!(
                    "{} has no property \"{key}\" (it has {})",
                    service.id,
                    known.join(", ")
                ),
            };
            out.push((key.to_string(), message));
            continue;
        };
        for value in values {
            let fits = match &spec.kind {
                PropKind::Text => true,
                PropKind::Bool => value == "true" || value == "false",
                PropKind::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
                PropKind::Enum(allowed) => allowed.contains(value),
            };
            if !fits {
                let allowed = match &spec.kind {
                    PropKind::Bool => "true or false".to_string(),
                    PropKind::Number => "a number".to_string(),
                    PropKind::Enum(allowed) => allowed.join(", "),
                    PropKind::Text => String::new(),
                };
                out.push((
                    value.clone(),
                    format!(
                        "\"{value}\" is no value of {}'s {key} (it takes {allowed})",
                        service.id
                    ),
                ));
            }
        }
    }
    out
}
