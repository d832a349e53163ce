//! The file structs: docs/format.md as serde types. Raw input becomes these, is validated, and only
//! then becomes a [`Design`].

use serde::Deserialize;

use std::collections::HashSet;

use crate::model::{
    DesignParts, Edge, EdgeId, EdgeKind, EdgeStyle, ElementId, Frame, Group, GroupId, GroupKind,
    Node, NodeId, Pos, Props, Suppression,
};

#[derive(Deserialize)]
#[serde(rename = "Design", deny_unknown_fields)]
pub(super) struct DesignFile {
    pub format: u32,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    edge_style: EdgeStyle,
    #[serde(default)]
    nodes: Vec<NodeFile>,
    #[serde(default)]
    edges: Vec<EdgeFile>,
    #[serde(default)]
    groups: Vec<GroupFile>,
    #[serde(default)]
    suppressions: Vec<SuppressionFile>,
}

#[derive(Deserialize)]
#[serde(rename = "Node", deny_unknown_fields)]
struct NodeFile {
    id: String,
    service: String,
    #[serde(default)]
    label: String,
    pos: (f32, f32),
    #[serde(default, deserialize_with = "unique_props")]
    props: Props,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(rename = "Edge", deny_unknown_fields)]
struct EdgeFile {
    from: String,
    to: String,
    #[serde(default)]
    kind: EdgeKind,
    #[serde(default)]
    label: String,
    #[serde(default, deserialize_with = "unique_props")]
    props: Props,
    #[serde(default)]
    style: Option<EdgeStyle>,
    #[serde(default)]
    bends: Vec<(f32, f32)>,
}

#[derive(Deserialize)]
#[serde(rename = "Group", deny_unknown_fields)]
struct GroupFile {
    id: String,
    kind: GroupKind,
    #[serde(default)]
    label: String,
    #[serde(default)]
    children: Vec<String>,
    #[serde(default, deserialize_with = "unique_props")]
    props: Props,
}

#[derive(Deserialize)]
#[serde(rename = "Suppression", deny_unknown_fields)]
struct SuppressionFile {
    rule: String,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    reason: String,
}

impl From<DesignFile> for DesignParts {
    /// The file's lists as they are; edges are numbered in file order by
    /// [`Design::from_parts`] (see `EdgeId`). Names become ids here, unchecked: a name that
    /// is a group's id names that group, any other a node, and [`Design::validate`] then
    /// refuses ids out of pattern and names of nothing, with the file's line.
    fn from(f: DesignFile) -> Self {
        let group_names: HashSet<String> = f.groups.iter().map(|g| g.id.clone()).collect();
        let element = |name: String| {
            if group_names.contains(&name) {
                ElementId::Group(GroupId::made(name))
            } else {
                ElementId::Node(NodeId::made(name))
            }
        };
        let mut design = DesignParts {
            title: f.title,
            description: f.description,
            edge_style: f.edge_style,
            ..DesignParts::default()
        };
        design.nodes = f
            .nodes
            .into_iter()
            .map(|n| Node {
                id: NodeId::made(n.id),
                service: n.service,
                label: n.label,
                pos: Pos::new(n.pos.0, n.pos.1),
                props: n.props,
                note: n.note,
            })
            .collect();
        design.groups = f
            .groups
            .into_iter()
            .map(|g| {
                let mut props = g.props;
                let frame = Frame::take_from(&mut props);
                Group {
                    id: GroupId::made(g.id),
                    kind: g.kind,
                    label: g.label,
                    children: g.children.into_iter().map(element).collect(),
                    props,
                    frame,
                }
            })
            .collect();
        design.suppressions = f
            .suppressions
            .into_iter()
            .map(|s| Suppression {
                rule: s.rule,
                target: s.target.map(element),
                reason: s.reason,
            })
            .collect();
        design.edges = f
            .edges
            .into_iter()
            .map(|e| Edge {
                id: EdgeId::UNASSIGNED,
                from: element(e.from),
                to: element(e.to),
                kind: e.kind,
                label: e.label,
                props: e.props,
                style: e.style,
                bends: e.bends.into_iter().map(|(x, y)| Pos::new(x, y)).collect(),
            })
            .collect();
        design
    }
}

/// A `props` map in which a key written twice is an error: with a plain map the second value
/// would silently win and the first be lost on the next save.
fn unique_props<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Props, D::Error> {
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = Props;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of property names to text")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Props, A::Error> {
            let mut props = Props::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if props.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "property \"{key}\" is written twice; keep one"
                    )));
                }
                props.insert(key, value);
            }
            Ok(props)
        }
    }
    de.deserialize_map(Unique)
}
