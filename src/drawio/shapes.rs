//! The table of draw.io shapes for services and group kinds, read once from
//! `assets/drawio-shapes.ron`.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::GroupKind;

/// The draw.io shapes of one service; the first is the one exports draw.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceShapes {
    pub service: String,
    pub shapes: Vec<String>,
}

/// How a group kind looks in draw.io.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupShape {
    pub kind: GroupKind,
    /// The group icon (`grIcon=mxgraph.aws4.NAME`), if the kind has one.
    #[serde(default)]
    pub icon: Option<String>,
    /// Older icons draw.io also uses for this kind.
    #[serde(default)]
    pub also: Vec<String>,
    /// The border colour, which tells icon-less kinds apart on import.
    pub stroke: String,
    pub style: String,
}

/// The whole table, with lookups built once.
#[derive(Debug, Deserialize)]
#[serde(rename = "DrawioShapes", deny_unknown_fields)]
pub struct Shapes {
    pub services: Vec<ServiceShapes>,
    pub groups: Vec<GroupShape>,
    /// Shape name (with its `*` when flat) -> service, for imports.
    #[serde(skip)]
    by_shape: HashMap<String, usize>,
}

/// A draw.io shape: a service tile (`resIcon`) or a flat shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape<'a> {
    Tile(&'a str),
    Flat(&'a str),
}

impl Shapes {
    /// The shape exports draw a service with; a generic tile when the table has none.
    pub fn shape_of(&self, service: &str) -> Shape<'_> {
        let first = self
            .services
            .iter()
            .find(|s| s.service == service)
            .and_then(|s| s.shapes.first());
        match first {
            Some(name) => match name.strip_prefix('*') {
                Some(flat) => Shape::Flat(flat),
                None => Shape::Tile(name),
            },
            None => Shape::Tile("general"),
        }
    }

    /// The service a draw.io shape stands for, if the table knows it.
    pub fn service_of(&self, shape: Shape<'_>) -> Option<&str> {
        let key = match shape {
            Shape::Tile(name) => name.to_string(),
            Shape::Flat(name) => format!("*{name}"),
        };
        // A tile name also matches a flat row and the other way round: files mix them.
        let other = match shape {
            Shape::Tile(name) => format!("*{name}"),
            Shape::Flat(name) => name.to_string(),
        };
        self.by_shape
            .get(&key)
            .or_else(|| self.by_shape.get(&other))
            .map(|&i| self.services[i].service.as_str())
    }

    /// How a group kind is drawn.
    pub fn group(&self, kind: GroupKind) -> Option<&GroupShape> {
        self.groups.iter().find(|g| g.kind == kind)
    }

    /// The group kind a draw.io group icon stands for.
    pub fn group_by_icon(&self, icon: &str) -> Option<GroupKind> {
        self.groups
            .iter()
            .find(|g| g.icon.as_deref() == Some(icon) || g.also.iter().any(|a| a == icon))
            .map(|g| g.kind)
    }

    /// The icon-less group kind with this border colour.
    pub fn group_by_stroke(&self, stroke: &str) -> Option<GroupKind> {
        self.groups
            .iter()
            .find(|g| g.icon.is_none() && g.stroke.eq_ignore_ascii_case(stroke))
            .map(|g| g.kind)
    }
}

static SHAPES: LazyLock<Shapes> = LazyLock::new(|| {
    let mut shapes: Shapes = crate::catalog::parse_asset(
        include_str!("../../assets/drawio-shapes.ron"),
        "drawio-shapes.ron",
    );
    shapes.by_shape = crate::catalog::first_rows(
        shapes
            .services
            .iter()
            .enumerate()
            .flat_map(|(i, row)| row.shapes.iter().map(move |name| (name, i))),
    );
    shapes
});

/// The table, read once.
pub fn shapes() -> &'static Shapes {
    &SHAPES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    #[test]
    fn the_table_parses_and_names_catalog_services_and_every_group_kind() {
        let s = shapes();
        assert!(s.services.len() >= 150, "{}", s.services.len());
        for row in &s.services {
            assert!(catalog().service(&row.service).is_some(), "{}", row.service);
            assert!(!row.shapes.is_empty(), "{}", row.service);
        }
        for kind in GroupKind::ALL {
            assert!(s.group(kind).is_some(), "{kind:?}");
        }
        assert_eq!(s.shape_of("s3"), Shape::Tile("s3"));
        assert_eq!(
            s.service_of(Shape::Tile("simple_storage_service")),
            Some("s3")
        );
        assert_eq!(s.service_of(Shape::Flat("users")), Some("users"));
        assert_eq!(s.group_by_icon("group_vpc"), Some(GroupKind::Vpc));
    }
}
