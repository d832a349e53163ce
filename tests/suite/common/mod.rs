//! A compact way to write test designs, one element per line:
//!
//! ```text
//! raw: s3 {versioning=enabled, bucket_name=shop-raw} "Raw zone"
//! raw -> sql : Query {protocol=ssh} "reads"
//! @region: Region [raw, sql] {region=us-east-1} "us-east-1"
//! !R063 raw
//! ```
//! Nodes are placed 150 units apart in the order given.

// Test helpers may unwrap: a panic here is a failed test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod work;

use archsketch::model::{
    Design, Edge, EdgeKind, ElementId, Group, GroupId, GroupKind, Node, NodeId, Pos, Props,
    Suppression,
};

/// A node id from test text.
pub fn nid(text: &str) -> NodeId {
    text.parse().unwrap()
}

/// A group id from test text.
pub fn gid(text: &str) -> GroupId {
    text.parse().unwrap()
}

/// What `name` names in `design`, a node or a group, as an edge end or a selection holds it.
pub fn el(design: &Design, name: &str) -> ElementId {
    design
        .element_named(name)
        .unwrap_or_else(|| panic!("no element {name}"))
}

fn split_tail(s: &str) -> (&str, Props, String) {
    let mut rest = s.trim();
    let mut label = String::new();
    if let Some(start) = rest.find('"') {
        label = rest[start + 1..].trim_end_matches('"').to_string();
        rest = rest[..start].trim();
    }
    let mut props = Props::new();
    if let Some(start) = rest.find('{') {
        for kv in rest[start + 1..]
            .trim_end_matches('}')
            .split(',')
            .filter(|x| !x.trim().is_empty())
        {
            let (k, v) = kv.split_once('=').expect("key=value");
            props.insert(k.trim().to_string(), v.trim().to_string());
        }
        rest = rest[..start].trim();
    }
    (rest, props, label)
}

/// Builds a design from the DSL.
pub fn d(text: &str) -> Design {
    let mut design = Design::default();
    // Names that are boxes, so an edge or a member naming one points at a box.
    let boxes: std::collections::HashSet<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('@'))
        .filter_map(|l| l.split_once(':'))
        .map(|(id, _)| id.trim())
        .collect();
    let end = |name: &str| -> ElementId {
        if boxes.contains(name) {
            gid(name).into()
        } else {
            nid(name).into()
        }
    };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix('!') {
            let mut parts = rest.split_whitespace();
            design.suppressions.push(Suppression {
                rule: parts.next().unwrap().to_string(),
                target: parts.next().map(end),
                reason: "test".into(),
            });
        } else if let Some(rest) = line.strip_prefix('@') {
            let (head, props, label) = split_tail(rest);
            let (id, spec) = head.split_once(':').expect("@id: Kind [children]");
            let spec = spec.trim();
            let (kind, children) = match spec.find('[') {
                Some(i) => (spec[..i].trim(), spec[i + 1..].trim_end_matches(']')),
                None => (spec, ""),
            };
            let mut g = Group::new(
                gid(id.trim()),
                GroupKind::from_name(kind).unwrap_or_else(|| panic!("group kind {kind}")),
            );
            g.children = children
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(end)
                .collect();
            g.props = props;
            // `{x=.., y=.., width=.., height=..}` is the group's own box, as in a file.
            g.frame = archsketch::model::Frame::take_from(&mut g.props);
            g.label = label;
            design.push_group(g).unwrap();
        } else if line.contains("->") {
            let (head, props, label) = split_tail(line);
            let (ends, kind) = match head.split_once(':') {
                Some((e, k)) => (
                    e,
                    EdgeKind::from_name(k.trim()).unwrap_or_else(|| panic!("edge kind {k}")),
                ),
                None => (head, EdgeKind::Data),
            };
            let (from, to) = ends.split_once("->").unwrap();
            let mut e = Edge::new(end(from.trim()), end(to.trim()), kind);
            e.props = props;
            e.label = label;
            design.push_edge(e);
        } else {
            let (head, props, label) = split_tail(line);
            let (id, service) = head.split_once(':').expect("id: service");
            let mut n = Node::new(
                nid(id.trim()),
                service.trim(),
                Pos::new(design.nodes().len() as f32 * 150.0, 0.0),
            );
            n.props = props;
            n.label = label;
            design.push_node(n).unwrap();
        }
    }
    design
        .validate()
        .unwrap_or_else(|e| panic!("test design is invalid: {}", e.message));
    design
}

/// Moves every node to the place of the next node with the same parent (the last to the
/// first's place); where no parent holds two nodes, mirrors the design left to right.
pub fn shuffled(design: &Design) -> Design {
    let mut out = design.clone();
    let mut by_parent: std::collections::BTreeMap<Option<&str>, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, n) in design.nodes().iter().enumerate() {
        by_parent
            .entry(design.parent_id(&n.id).map(|p| p.as_str()))
            .or_default()
            .push(i);
    }
    let mut moved = false;
    for list in by_parent.values().filter(|l| l.len() >= 2) {
        for (k, &i) in list.iter().enumerate() {
            let next = list[(k + 1) % list.len()];
            *out.node_at_mut(i).unwrap().pos = design.nodes()[next].pos;
        }
        moved = true;
    }
    if !moved {
        for n in out.nodes_mut() {
            *n.pos = Pos::new(-n.pos.x, n.pos.y);
        }
    }
    out
}
