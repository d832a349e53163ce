//! Writes a design in the exact layout of docs/format.md: one element per line, default fields
//! left out, maps in sorted order. The same design always gives the same bytes.

use std::fmt::Write;

use crate::model::{Design, EdgeKind, EdgeStyle, Props};

/// The first line of every saved file, so any RON reader sees bare optionals as docs/format.md means.
pub const HEADER: &str = "#![enable(implicit_some)]";

/// Serialises a design as format-1 RON.
pub fn to_ron_string(design: &Design) -> String {
    let mut out = String::with_capacity(128 + design.nodes().len() * 120);
    out.push_str(HEADER);
    out.push_str("\nDesign(\n    format: 1,\n");
    let _ = writeln!(out, "    title: {},", quote(&design.title));
    let _ = writeln!(out, "    description: {},", quote(&design.description));
    if design.edge_style != EdgeStyle::default() {
        let _ = writeln!(out, "    edge_style: {},", design.edge_style.name());
    }

    list(&mut out, "nodes", design.nodes().iter(), |line, n| {
        let _ = write!(
            line,
            "Node(id: {}, service: {}",
            quote(n.id.as_str()),
            quote(&n.service)
        );
        text_field(line, "label", &n.label);
        let _ = write!(line, ", pos: ({:?}, {:?})", n.pos.x, n.pos.y);
        props_field(line, &n.props);
        text_field(line, "note", &n.note);
    });
    list(&mut out, "edges", design.edges().iter(), |line, e| {
        let _ = write!(
            line,
            "Edge(from: {}, to: {}",
            quote(e.from.as_str()),
            quote(e.to.as_str())
        );
        if e.kind != EdgeKind::Data {
            let _ = write!(line, ", kind: {}", e.kind.name());
        }
        text_field(line, "label", &e.label);
        props_field(line, &e.props);
        if let Some(style) = e.style {
            let _ = write!(line, ", style: {}", style.name());
        }
        if !e.bends.is_empty() {
            let points: Vec<String> = e
                .bends
                .iter()
                .map(|p| format!("({:?}, {:?})", p.x, p.y))
                .collect();
            let _ = write!(line, ", bends: [{}]", points.join(", "));
        }
    });
    list(&mut out, "groups", design.groups().iter(), |line, g| {
        let _ = write!(
            line,
            "Group(id: {}, kind: {}",
            quote(g.id.as_str()),
            g.kind.name()
        );
        text_field(line, "label", &g.label);
        if !g.children.is_empty() {
            let children: Vec<String> = g.children.iter().map(|c| quote(c.as_str())).collect();
            let _ = write!(line, ", children: [{}]", children.join(", "));
        }
        match &g.frame {
            Some(frame) => {
                // The frame goes back among the properties it was read from, in their order.
                let mut props = g.props.clone();
                for (k, v) in crate::model::Frame::PROPS.iter().zip(frame.values()) {
                    props.insert((*k).to_string(), format!("{v}"));
                }
                props_field(line, &props);
            }
            None => props_field(line, &g.props),
        }
    });
    if !design.suppressions.is_empty() {
        list(
            &mut out,
            "suppressions",
            design.suppressions.iter(),
            |line, s| {
                let _ = write!(line, "Suppression(rule: {}", quote(&s.rule));
                if let Some(t) = &s.target {
                    let _ = write!(line, ", target: {}", quote(t.as_str()));
                }
                text_field(line, "reason", &s.reason);
            },
        );
    }
    out.push_str(")\n");
    out
}

fn list<'a, T: 'a>(
    out: &mut String,
    name: &str,
    items: impl ExactSizeIterator<Item = &'a T>,
    mut element: impl FnMut(&mut String, &T),
) {
    if items.len() == 0 {
        let _ = writeln!(out, "    {name}: [],");
        return;
    }
    let _ = writeln!(out, "    {name}: [");
    for item in items {
        out.push_str("        ");
        element(out, item);
        out.push_str("),\n");
    }
    out.push_str("    ],\n");
}

fn text_field(line: &mut String, name: &str, value: &str) {
    if !value.is_empty() {
        let _ = write!(line, ", {name}: {}", quote(value));
    }
}

fn props_field(line: &mut String, props: &Props) {
    if props.is_empty() {
        return;
    }
    let entries: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{}: {}", quote(k), quote(v)))
        .collect();
    let _ = write!(line, ", props: {{{}}}", entries.join(", "));
}

/// A RON string literal.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
