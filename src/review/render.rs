//! A review said three ways: plain text for a terminal, JSON for tools, and Markdown for a
//! pull-request comment, with the new version drawn as a Mermaid chart in which what was
//! added, changed and removed stands out.

use std::fmt::Write;

use super::{Change, Kind, Noted, Review};
use crate::export::mermaid::{LinkMark, Mark, to_mermaid_marked};
use crate::model::{Design, EdgeId, ElementRef};

/// The review as lines of text, one element a line.
pub fn text(review: &Review) -> String {
    let mut out = String::new();
    if review.is_empty() {
        out.push_str("No change to the architecture.\n");
        return out;
    }
    let lines = review.lines();
    for (title, kind, (a, r, c)) in [
        ("Services", Kind::Service, review.services.counts()),
        ("Connections", Kind::Connection, review.connections.counts()),
        ("Boxes", Kind::Box, review.boxes.counts()),
    ] {
        if a + r + c == 0 {
            continue;
        }
        let _ = writeln!(out, "{title}: {a} added, {r} removed, {c} changed");
        for l in lines.iter().filter(|l| l.kind == kind) {
            let _ = writeln!(out, "  {} {}", l.change.sign(), l.text);
        }
    }
    findings_section(&mut out, "Findings introduced", &review.introduced);
    findings_section(&mut out, "Findings fixed", &review.fixed);
    out
}

/// The review as JSON.
pub fn json(review: &Review) -> String {
    serde_json::to_string_pretty(review).unwrap_or_default() + "\n"
}

/// A pull-request comment: a summary table, the findings the change introduces and fixes,
/// and the new version as a Mermaid chart (added green, changed amber, removed ghosted red).
pub fn markdown(review: &Review, old: &Design, new: &Design) -> String {
    let mut out = String::from("### Architecture change\n\n");
    if review.is_empty() {
        out.push_str("No change to the architecture.\n");
        return out;
    }
    out.push_str("| | added | removed | changed |\n|---|---|---|---|\n");
    for (what, (a, r, c)) in [
        ("services", review.services.counts()),
        ("connections", review.connections.counts()),
        ("boxes", review.boxes.counts()),
    ] {
        let _ = writeln!(out, "| {what} | {a} | {r} | {c} |");
    }
    out.push('\n');
    for (title, list) in [
        ("Findings introduced", &review.introduced),
        ("Findings fixed", &review.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{title}** ({})\n", list.len());
        for f in list {
            let _ = writeln!(
                out,
                "- {} `{}` {}",
                f.severity.name(),
                f.rule,
                cell(&f.message)
            );
        }
        out.push('\n');
    }
    let changes = review.lines();
    if !changes.is_empty() {
        out.push_str("<details><summary>What changed</summary>\n\n");
        for l in changes {
            let line = format!("{} {} {}", l.change.sign(), l.kind.word(), l.text);
            let _ = writeln!(out, "- {}", cell(&line));
        }
        out.push_str("\n</details>\n\n");
    }
    out.push_str("```mermaid\n");
    out.push_str(&chart(review, old, new));
    out.push_str("```\n");
    out
}

/// The drawn change ([`super::drawing`]) as a Mermaid chart: nodes and boxes by class,
/// added and removed connections by link style.
fn chart(review: &Review, old: &Design, new: &Design) -> String {
    let drawn = super::drawing(review, old, new);
    let ids = |change: Change| -> Vec<String> {
        drawn
            .marks
            .iter()
            .filter(|m| m.change == change)
            .filter_map(|m| m.element.named_id().map(str::to_string))
            .collect()
    };
    let edges = |change: Change| -> Vec<EdgeId> {
        drawn
            .marks
            .iter()
            .filter(|m| m.change == change)
            .filter_map(|m| match m.element {
                ElementRef::Edge(id) => Some(id),
                _ => None,
            })
            .collect()
    };
    to_mermaid_marked(
        &drawn.design,
        &[
            Mark {
                class: "added",
                style: "fill:#E6F4EA,stroke:#1E8E3E,stroke-width:3px,color:#1E4620",
                ids: ids(Change::Added),
            },
            Mark {
                class: "changed",
                style: "fill:#FEF3E0,stroke:#E8710A,stroke-width:3px,color:#5C3200",
                ids: ids(Change::Changed),
            },
            Mark {
                class: "removed",
                style: "fill:#FCE8E6,stroke:#D93025,stroke-dasharray:4 3,color:#A50E0E",
                ids: ids(Change::Removed),
            },
        ],
        &[
            LinkMark {
                style: "stroke:#1E8E3E,stroke-width:3px",
                edges: edges(Change::Added),
            },
            LinkMark {
                style: "stroke:#D93025,stroke-dasharray:4 3",
                edges: edges(Change::Removed),
            },
        ],
    )
}

fn findings_section(out: &mut String, title: &str, list: &[Noted]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}: {}", list.len());
    for f in list {
        let _ = writeln!(
            out,
            "  {} {} [{}] {}",
            f.severity.name(),
            f.rule,
            f.elements.join(", "),
            f.message
        );
    }
}

/// Text for one Markdown line: no line breaks, and no `|` or `<` that would start a table
/// cell or markup.
fn cell(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
}

/// A design one element a line, sorted, for `git diff` through a textconv driver: a moved
/// service changes no line, a relabelled one changes one. Labels are quoted with their line
/// breaks escaped, so an element stays one line; what prints it makes it terminal-safe.
pub fn outline(design: &Design) -> String {
    let catalog = crate::catalog::catalog();
    let place = |id: &str| {
        design
            .parent_id_of_text(id)
            .map_or(String::new(), |p| format!(" in {p}"))
    };
    let props = |p: &crate::model::Props| {
        if p.is_empty() {
            return String::new();
        }
        let pairs: Vec<String> = p.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        format!(" {{{}}}", pairs.join(", "))
    };
    let quoted = |label: &str| {
        if label.is_empty() {
            String::new()
        } else {
            format!(" {:?}", label)
        }
    };
    let mut lines: Vec<String> = Vec::new();
    for n in design.nodes() {
        let what = if n.is_note() { "note" } else { "service" };
        lines.push(format!(
            "{what} {} ({}){}{}{}",
            n.id,
            catalog.display_name(&n.service),
            quoted(&n.label),
            place(n.id.as_str()),
            props(&n.props)
        ));
    }
    for g in design.groups() {
        lines.push(format!(
            "box {} ({}){}{}{}",
            g.id,
            g.kind.display_name(),
            quoted(&g.label),
            place(g.id.as_str()),
            props(&g.props)
        ));
    }
    for e in design.edges() {
        lines.push(format!(
            "connection {} -> {} ({}){}{}",
            e.from,
            e.to,
            e.kind.name(),
            quoted(&e.label),
            props(&e.props)
        ));
    }
    for s in &design.suppressions {
        let target = s
            .target
            .as_ref()
            .map_or("the design".to_string(), |t| t.to_string());
        lines.push(format!("ignored {} for {target}: {:?}", s.rule, s.reason));
    }
    lines.sort();
    let mut out = String::new();
    if !design.title.is_empty() {
        let _ = writeln!(out, "title {:?}", design.title);
    }
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
