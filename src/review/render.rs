//! A review said three ways: plain text for a terminal, JSON for tools, and Markdown for a
//! pull-request comment, with the new version drawn as a Mermaid chart in which what was
//! added, changed and removed stands out.

use std::fmt::Write;

use super::{Changed, Delta, Link, Named, Noted, Review};
use crate::export::mermaid::{LinkMark, Mark, to_mermaid_marked};
use crate::model::Design;
use crate::model::Edge;

/// The review as lines of text, one element a line.
pub fn text(review: &Review) -> String {
    let mut out = String::new();
    if review.is_empty() {
        out.push_str("No change to the architecture.\n");
        return out;
    }
    named_section(&mut out, "Services", &review.services);
    link_section(&mut out, &review.connections);
    named_section(&mut out, "Boxes", &review.boxes);
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
    let row = |out: &mut String, what: &str, a: usize, r: usize, c: usize| {
        let _ = writeln!(out, "| {what} | {a} | {r} | {c} |");
    };
    let (s, l, b) = (&review.services, &review.connections, &review.boxes);
    row(
        &mut out,
        "services",
        s.added.len(),
        s.removed.len(),
        s.changed.len(),
    );
    row(
        &mut out,
        "connections",
        l.added.len(),
        l.removed.len(),
        l.changed.len(),
    );
    row(
        &mut out,
        "boxes",
        b.added.len(),
        b.removed.len(),
        b.changed.len(),
    );
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
    let changes = details(review);
    if !changes.is_empty() {
        out.push_str("<details><summary>What changed</summary>\n\n");
        for line in changes {
            let _ = writeln!(out, "- {}", cell(&line));
        }
        out.push_str("\n</details>\n\n");
    }
    out.push_str("```mermaid\n");
    out.push_str(&chart(review, old, new));
    out.push_str("```\n");
    out
}

/// The new version with the removed elements put back as ghosts, marked for colour.
fn chart(review: &Review, old: &Design, new: &Design) -> String {
    let mut drawn = new.clone();
    let mut removed = Vec::new();
    for n in &review.services.removed {
        if let Some((_, node)) = old.node_by_text(&n.id) {
            let mut ghost = node.clone();
            ghost.label = format!(
                "{} (removed)",
                if n.label.is_empty() {
                    &n.what
                } else {
                    &n.label
                }
            );
            if drawn.push_node(ghost).is_ok() {
                removed.push(n.id.clone());
            }
        }
    }
    // Removed connections between what is drawn come back as ghosts too.
    let mut gone = Vec::new();
    for l in &review.connections.removed {
        let ends = (drawn.element_named(&l.from), drawn.element_named(&l.to));
        let (Some(from), Some(to)) = ends else {
            continue;
        };
        let kind = crate::model::EdgeKind::from_name(&l.kind).unwrap_or_default();
        gone.push(drawn.push_edge(Edge::new(from, to, kind)));
    }
    let fresh: Vec<_> = review
        .connections
        .added
        .iter()
        .filter_map(|l| {
            new.edges()
                .iter()
                .find(|e| {
                    e.from.as_str() == l.from && e.to.as_str() == l.to && e.kind.name() == l.kind
                })
                .map(|e| e.id)
        })
        .collect();
    let ids = |list: &[Named]| list.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    let changed = |list: &[Changed]| list.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let mut added = ids(&review.services.added);
    added.extend(ids(&review.boxes.added));
    let mut amber = changed(&review.services.changed);
    amber.extend(changed(&review.boxes.changed));
    to_mermaid_marked(
        &drawn,
        &[
            Mark {
                class: "added",
                style: "fill:#E6F4EA,stroke:#1E8E3E,stroke-width:3px,color:#1E4620",
                ids: added,
            },
            Mark {
                class: "changed",
                style: "fill:#FEF3E0,stroke:#E8710A,stroke-width:3px,color:#5C3200",
                ids: amber,
            },
            Mark {
                class: "removed",
                style: "fill:#FCE8E6,stroke:#D93025,stroke-dasharray:4 3,color:#A50E0E",
                ids: removed,
            },
        ],
        &[
            LinkMark {
                style: "stroke:#1E8E3E,stroke-width:3px",
                edges: fresh,
            },
            LinkMark {
                style: "stroke:#D93025,stroke-dasharray:4 3",
                edges: gone,
            },
        ],
    )
}

/// Every change as one line: `+ crawler (AWS Glue)`, `~ raw: label "Raw" -> "Raw zone"`.
fn details(review: &Review) -> Vec<String> {
    let mut lines = Vec::new();
    for (what, delta) in [("service", &review.services), ("box", &review.boxes)] {
        lines.extend(delta.added.iter().map(|n| format!("+ {what} {}", named(n))));
        lines.extend(
            delta
                .removed
                .iter()
                .map(|n| format!("- {what} {}", named(n))),
        );
        lines.extend(
            delta
                .changed
                .iter()
                .map(|c| format!("~ {what} {}", changed(c))),
        );
    }
    let c = &review.connections;
    lines.extend(c.added.iter().map(|l| format!("+ connection {}", link(l))));
    lines.extend(
        c.removed
            .iter()
            .map(|l| format!("- connection {}", link(l))),
    );
    lines.extend(
        c.changed
            .iter()
            .map(|x| format!("~ connection {}", changed(x))),
    );
    lines
}

fn named(n: &Named) -> String {
    if n.label.is_empty() {
        format!("{} ({})", n.id, n.what)
    } else {
        format!("{} ({}, \"{}\")", n.id, n.what, n.label)
    }
}

fn link(l: &Link) -> String {
    let label = if l.label.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", l.label)
    };
    format!("{} -> {} ({}){label}", l.from, l.to, l.kind)
}

fn changed(c: &Changed) -> String {
    let mut parts = Vec::new();
    if let Some(old) = &c.renamed_from {
        parts.push(format!("renamed from {old}"));
    }
    parts.extend(c.fields.iter().cloned());
    format!("{}: {}", c.id, parts.join("; "))
}

fn named_section(out: &mut String, title: &str, delta: &Delta<Named>) {
    let (a, r, c) = (delta.added.len(), delta.removed.len(), delta.changed.len());
    if a + r + c == 0 {
        return;
    }
    let _ = writeln!(out, "{title}: {a} added, {r} removed, {c} changed");
    for n in &delta.added {
        let _ = writeln!(out, "  + {}", named(n));
    }
    for n in &delta.removed {
        let _ = writeln!(out, "  - {}", named(n));
    }
    for ch in &delta.changed {
        let _ = writeln!(out, "  ~ {}", changed(ch));
    }
}

fn link_section(out: &mut String, delta: &Delta<Link>) {
    let (a, r, c) = (delta.added.len(), delta.removed.len(), delta.changed.len());
    if a + r + c == 0 {
        return;
    }
    let _ = writeln!(out, "Connections: {a} added, {r} removed, {c} changed");
    for l in &delta.added {
        let _ = writeln!(out, "  + {}", link(l));
    }
    for l in &delta.removed {
        let _ = writeln!(out, "  - {}", link(l));
    }
    for ch in &delta.changed {
        let _ = writeln!(out, "  ~ {}", changed(ch));
    }
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
