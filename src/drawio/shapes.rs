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
    /// Properties the shape says of the service (an instance type's `instance_type`).
    #[serde(default)]
    pub props: std::collections::BTreeMap<String, String>,
}

/// Words in a label that say what a plain shape stands for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words<T> {
    #[serde(alias = "service", alias = "kind")]
    pub means: T,
    /// Whole words or phrases, lower case; a label matches when it holds one of them.
    pub words: Vec<String>,
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
    /// Plain boxes whose label names a group kind ("Availability Zone 1", "Private subnet").
    #[serde(default)]
    pub box_words: Vec<Words<GroupKind>>,
    /// Shapes and pictures from outside the AWS stencils that stand for something outside
    /// AWS, by words in their label or shape name, first match wins.
    #[serde(default)]
    pub external_words: Vec<Words<String>>,
    /// Icons that make the box whose border they sit on a group of a kind: by service id or
    /// by stencil name in full after `mxgraph.`.
    #[serde(default)]
    pub box_icons: Vec<Words<GroupKind>>,
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
    #[cfg(test)]
    pub fn service_of(&self, shape: Shape<'_>) -> Option<&str> {
        self.row_of(shape).map(|row| row.service.as_str())
    }

    /// The row of a stencil named in full after `mxgraph.` (`aws3.ec2`, `aws4.nat_gateway`,
    /// `aws3d.application_load_balancer`): the row written for it, else, for the older
    /// families, the AWS 4 shape of the same last name.
    pub fn row_of_stencil(&self, full: &str) -> Option<&ServiceShapes> {
        if let Some(flat) = full.strip_prefix("aws4.") {
            return self.row_of(Shape::Flat(flat));
        }
        if let Some(&i) = self.by_shape.get(full) {
            return Some(&self.services[i]);
        }
        let older = ["aws3.", "aws3d.", "aws2.", "aws."]
            .iter()
            .any(|f| full.starts_with(f));
        if !older {
            return None;
        }
        let last = full.rsplit('.').next().unwrap_or(full);
        self.row_of(Shape::Tile(last))
    }

    /// The row of a draw.io AWS 4 shape.
    pub fn row_of(&self, shape: Shape<'_>) -> Option<&ServiceShapes> {
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
            .map(|&i| &self.services[i])
    }

    /// The group kind a plain box's label names, if any.
    pub fn box_kind_named(&self, label: &str) -> Option<GroupKind> {
        // A box's caption is a few words; a sentence that mentions a VPC is a note.
        if label.split_whitespace().count() > 6 {
            return None;
        }
        if names_a_zone(label) {
            return Some(GroupKind::AvailabilityZone);
        }
        self.box_words
            .iter()
            .find(|w| mentions(label, &w.words))
            .map(|w| w.means)
    }

    /// The group kind an icon gives the box it sits on, by the icon's service or stencil.
    pub fn box_icon(&self, service: Option<&str>, stencil: &str) -> Option<GroupKind> {
        self.box_icons
            .iter()
            .find(|w| {
                w.words
                    .iter()
                    .any(|name| Some(name.as_str()) == service || name == stencil)
            })
            .map(|w| w.means)
    }

    /// The outside-AWS service a plain shape stands for, by words in its label or shape name.
    pub fn external_named(&self, text: &str) -> Option<&str> {
        self.external_words
            .iter()
            .find(|w| mentions(text, &w.words))
            .map(|w| w.means.as_str())
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

/// Whether a label names an Availability Zone by its id: a Region's name with the zone's
/// letter (`us-east-1a`, `eu-west-2c`, `apne1-az1`).
fn names_a_zone(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .any(|word| {
            let parts: Vec<&str> = word.split('-').collect();
            let region_zone = parts.len() == 3
                && matches!(
                    parts[0],
                    "us" | "eu" | "ap" | "sa" | "ca" | "me" | "af" | "il" | "mx"
                )
                && parts[2].len() >= 2
                && parts[2][..parts[2].len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && parts[2].ends_with(|c: char| c.is_ascii_lowercase());
            let zone_id = parts.len() == 2
                && parts[1].starts_with("az")
                && parts[1][2..].chars().all(|c| c.is_ascii_digit())
                && parts[1].len() > 2;
            region_zone || zone_id
        })
}

/// Whether a text holds one of the phrases as whole words, ignoring case and punctuation
/// (`_`, `-` and `.` separate words too, so shape names match: `office.users.user`).
pub fn mentions<S: AsRef<str>>(text: &str, phrases: &[S]) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    phrases.iter().any(|phrase| {
        let wanted: Vec<&str> = phrase
            .as_ref()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        !wanted.is_empty()
            && words
                .windows(wanted.len())
                .any(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
    })
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
        assert_eq!(
            s.box_kind_named("us-east-1f"),
            Some(GroupKind::AvailabilityZone)
        );
        assert_eq!(s.box_kind_named("us-east-1"), Some(GroupKind::Region));
        assert_eq!(
            s.box_kind_named("Private subnet 2"),
            Some(GroupKind::PrivateSubnet)
        );
        assert_eq!(
            s.box_kind_named("vpc flow logs trust policy to CloudWatch logs"),
            None
        );
    }
}
