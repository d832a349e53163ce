//! A design as a Mermaid flowchart: text that GitHub, GitLab and most Markdown viewers draw
//! where a picture cannot be attached (a pull-request comment, a wiki page). Boxes become
//! subgraphs, nested as in the design and coloured as AWS colours its groups; services are
//! coloured by their category; connections are solid when data flows along them and dotted
//! when they only relate two elements (monitoring, roles, attachments), labelled by their
//! label or, unless plain data flow, their kind. Positions are not written: Mermaid lays the
//! chart out itself.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use crate::catalog::catalog;
use crate::model::{Design, EdgeId, EdgeKind, ElementId, GroupKind, NOTE_SERVICE, Node};
use crate::scene::style::group_style;

/// Words a Mermaid flowchart reads as keywords, so never used as a node's name there.
const RESERVED: &[&str] = &[
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "direction",
    "style",
    "class",
    "classdef",
    "click",
    "linkstyle",
    "default",
    "call",
    "href",
];

/// Elements to colour alike on top of their own colours: what a review marks as added,
/// changed or removed.
pub struct Mark<'a> {
    /// The Mermaid class name.
    pub class: &'a str,
    /// Its style, as Mermaid's `classDef` takes it (`fill:#E6F4EA,stroke:#1E8E3E`).
    pub style: &'a str,
    /// The ids of the nodes and boxes it marks.
    pub ids: Vec<String>,
}

/// Connections to draw alike: Mermaid styles a link by its place among the chart's links.
pub struct LinkMark<'a> {
    /// Its style, as Mermaid's `linkStyle` takes it.
    pub style: &'a str,
    pub edges: Vec<EdgeId>,
}

/// The design as a Mermaid flowchart, left to right.
pub fn to_mermaid(design: &Design) -> String {
    to_mermaid_marked(design, &[], &[])
}

/// [`to_mermaid`] with some elements and connections marked by styles of their own.
pub fn to_mermaid_marked(design: &Design, marks: &[Mark], links: &[LinkMark]) -> String {
    let names = Names::new(design);
    let mut out = String::new();
    if !design.title.trim().is_empty() {
        let _ = writeln!(out, "---\ntitle: {}\n---", yaml_quoted(&design.title));
    }
    out.push_str("flowchart LR\n");
    let mut written = HashSet::new();
    for g in design.groups() {
        if design.parent_id(&g.id).is_none() {
            write_box(
                design,
                &names,
                &ElementId::from(&g.id),
                1,
                &mut out,
                &mut written,
            );
        }
    }
    for n in design.nodes() {
        if design.parent_id(&n.id).is_none() {
            write_node(&names, n, 1, &mut out);
        }
    }
    let mut link_at: HashMap<EdgeId, usize> = HashMap::new();
    for e in design.edges() {
        let (Some(from), Some(to)) = (names.get(e.from.as_str()), names.get(e.to.as_str())) else {
            continue;
        };
        link_at.insert(e.id, link_at.len());
        let arrow = if e.kind.is_relation() { "-.->" } else { "-->" };
        // Plain data flow is what an arrow means: only other kinds are named.
        let label = if !e.label.trim().is_empty() {
            Some(e.label.as_str())
        } else {
            (e.kind != EdgeKind::Data).then(|| e.kind.name())
        };
        match label {
            Some(label) => {
                let _ = writeln!(out, "    {from} {arrow}|\"{}\"| {to}", text(label));
            }
            None => {
                let _ = writeln!(out, "    {from} {arrow} {to}");
            }
        }
    }
    write_classes(design, &names, &mut out);
    for mark in marks {
        let members: Vec<&str> = mark.ids.iter().filter_map(|id| names.get(id)).collect();
        if members.is_empty() {
            continue;
        }
        let class = class_name(mark.class);
        let _ = writeln!(out, "    classDef {class} {}", mark.style);
        let _ = writeln!(out, "    class {} {class}", members.join(","));
    }
    for mark in links {
        let places: Vec<String> = mark
            .edges
            .iter()
            .filter_map(|e| link_at.get(e))
            .map(usize::to_string)
            .collect();
        if !places.is_empty() {
            let _ = writeln!(out, "    linkStyle {} {}", places.join(","), mark.style);
        }
    }
    out
}

/// Mermaid names for the design's ids: the id itself where Mermaid reads it as a plain name,
/// else a made one (`id_2`), never two alike.
struct Names {
    by_id: HashMap<String, String>,
}

impl Names {
    fn new(design: &Design) -> Self {
        let ids = design
            .nodes()
            .iter()
            .map(|n| n.id.as_str())
            .chain(design.groups().iter().map(|g| g.id.as_str()));
        let mut taken = HashSet::new();
        let mut by_id = HashMap::new();
        for (k, id) in ids.enumerate() {
            let plain = id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && id.starts_with(|c: char| c.is_ascii_alphabetic())
                && !RESERVED.contains(&id.to_ascii_lowercase().as_str());
            let mut name = if plain {
                id.to_string()
            } else {
                format!("id_{}", class_name(id))
            };
            if taken.contains(&name) {
                let base = name;
                name = (k..)
                    .map(|n| format!("{base}_{n}"))
                    .find(|c| !taken.contains(c))
                    .unwrap_or(base);
            }
            taken.insert(name.clone());
            by_id.insert(id.to_string(), name);
        }
        Names { by_id }
    }

    fn of_id(&self, id: &str) -> &str {
        self.by_id.get(id).map_or("", String::as_str)
    }

    fn get(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(String::as_str)
    }
}

fn write_box(
    design: &Design,
    names: &Names,
    id: &ElementId,
    depth: usize,
    out: &mut String,
    written: &mut HashSet<String>,
) {
    let Some(g) = design.group(id) else { return };
    // A box met twice (a containment circle, which loading refuses) is written once.
    if !written.insert(g.id.to_string()) {
        return;
    }
    let indent = "    ".repeat(depth);
    let title = if g.label.trim().is_empty() {
        g.kind.display_name().to_string()
    } else {
        g.label.clone()
    };
    let _ = writeln!(
        out,
        "{indent}subgraph {}[\"{}\"]",
        names.of_id(g.id.as_str()),
        text(&title)
    );
    let _ = writeln!(out, "{indent}    direction LR");
    for child in &g.children {
        match child {
            ElementId::Group(_) => write_box(design, names, child, depth + 1, out, written),
            ElementId::Node(n) => {
                if let Some(node) = design.node(n) {
                    write_node(names, node, depth + 1, out);
                }
            }
        }
    }
    let _ = writeln!(out, "{indent}end");
}

fn write_node(names: &Names, n: &Node, depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    let name = names.of_id(n.id.as_str());
    if n.service == NOTE_SERVICE {
        let _ = writeln!(out, "{indent}{name}[\"{}\"]", text(&n.label));
        return;
    }
    let service = catalog().display_name(&n.service).to_string();
    let label = if n.label.trim().is_empty() || n.label == service {
        text(&service)
    } else {
        format!("{}<br/><small>{}</small>", text(&n.label), text(&service))
    };
    let _ = writeln!(out, "{indent}{name}[\"{label}\"]");
}

/// Colours: one class per service category and per box kind the design uses.
fn write_classes(design: &Design, names: &Names, out: &mut String) {
    let mut categories: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut notes = Vec::new();
    for n in design.nodes() {
        let name = names.of_id(n.id.as_str());
        if n.service == NOTE_SERVICE {
            notes.push(name);
            continue;
        }
        let category = catalog().category_of(&n.service);
        match categories.iter_mut().find(|(c, _)| *c == category.id) {
            Some((_, members)) => members.push(name),
            None => categories.push((category.id.as_str(), vec![name])),
        }
    }
    for (id, members) in &categories {
        let [r, g, b] = catalog()
            .category(id)
            .map_or([0x23, 0x2F, 0x3E], |c| c.rgb());
        let _ = writeln!(
            out,
            "    classDef cat_{} fill:#{r:02X}{g:02X}{b:02X},stroke:#{r:02X}{g:02X}{b:02X},color:#FFFFFF",
            class_name(id)
        );
        let _ = writeln!(
            out,
            "    class {} cat_{}",
            members.join(","),
            class_name(id)
        );
    }
    if !notes.is_empty() {
        out.push_str("    classDef note fill:none,stroke:none\n");
        let _ = writeln!(out, "    class {} note", notes.join(","));
    }
    let mut kinds: Vec<(GroupKind, Vec<&str>)> = Vec::new();
    for g in design.groups() {
        let name = names.of_id(g.id.as_str());
        match kinds.iter_mut().find(|(k, _)| *k == g.kind) {
            Some((_, members)) => members.push(name),
            None => kinds.push((g.kind, vec![name])),
        }
    }
    for (kind, members) in &kinds {
        let style = group_style(*kind);
        let [r, g, b] = style.stroke;
        let [tr, tg, tb] = style.text;
        let fill = style.fill.map_or("none".to_string(), |[fr, fg, fb, _]| {
            // Mermaid's fills are opaque: the subnet tints, lightened onto white.
            let light = |c: u8| 255 - (255 - c) / 8;
            format!("#{:02X}{:02X}{:02X}", light(fr), light(fg), light(fb))
        });
        let dash = if style.dashed {
            ",stroke-dasharray:6 4"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    classDef box_{} fill:{fill},stroke:#{r:02X}{g:02X}{b:02X},color:#{tr:02X}{tg:02X}{tb:02X}{dash}",
            kind.name()
        );
        let _ = writeln!(out, "    class {} box_{}", members.join(","), kind.name());
    }
}

/// Text as a Mermaid name (letters, digits and `_`): a class, or an id's readable part.
fn class_name(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Text for inside a quoted Mermaid label: quotes, angle brackets and `#` as Mermaid's
/// entity codes, so a label cannot end the string or open markup; lines joined by `<br/>`.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (k, line) in s.lines().enumerate() {
        if k > 0 {
            out.push_str("<br/>");
        }
        for c in line.chars() {
            match c {
                '"' => out.push_str("#quot;"),
                '#' => out.push_str("#35;"),
                '<' => out.push_str("#lt;"),
                '>' => out.push_str("#gt;"),
                '`' => out.push_str("#96;"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// A YAML double-quoted string, for the front matter's title.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        assert_eq!(
            text("a \"b\" <i>#1</i>"),
            "a #quot;b#quot; #lt;i#gt;#35;1#lt;/i#gt;"
        );
        assert_eq!(text("two\nlines"), "two<br/>lines");
    }

    #[test]
    fn ids_mermaid_reads_as_keywords_or_cannot_read_get_names_of_their_own() {
        let mut d = Design::default();
        for id in ["end", "raw.zone", "raw_zone", "id_raw_zone", "s3"] {
            d.push_node(Node::new(crate::model::nid(id), "s3", Default::default()))
                .unwrap();
        }
        let names = Names::new(&d);
        assert_eq!(names.of_id("s3"), "s3");
        assert_eq!(names.of_id("raw_zone"), "raw_zone");
        assert_eq!(names.of_id("end"), "id_end");
        assert_eq!(names.of_id("raw.zone"), "id_raw_zone");
        assert_eq!(names.of_id("id_raw_zone"), "id_raw_zone_3");
    }
}
