//! What a draw.io vertex is, by its style alone: an AWS service (any stencil family draw.io
//! has shipped), an AWS group box, a picture of something outside AWS, a text box, a plain
//! shape (which its surroundings may yet make a box or an external actor), or a shape
//! archsketch does not know.

use super::cells::Cell;
use super::shapes::{ServiceShapes, Shape, shapes};
use crate::model::GroupKind;

/// What a vertex is, as far as its own style tells.
pub enum Role {
    /// A service, with the properties its shape says (an instance type).
    Service(&'static ServiceShapes),
    /// A service written by archsketch itself, kept exactly.
    Own(String),
    Group(GroupKind),
    /// A picture standing for something outside AWS: a service of the "general" category.
    Picture(&'static str),
    /// Free text: a name for the shape beside it, or a note.
    Text,
    /// A rectangle, ellipse or other plain shape.
    Plain,
    /// An AWS shape archsketch does not know, named for the report.
    Unknown(String),
    /// Lines, arrows drawn as shapes, icons of no meaning here.
    Decoration,
}

/// The shape name a style gives: `shape=...`, else its first bare word.
pub fn shape_name<'a>(cell: &Cell<'a>) -> &'a str {
    cell.style
        .get("shape")
        .or_else(|| cell.style.bare().first().copied())
        .unwrap_or_default()
}

/// The stencil a cell draws, in full after `mxgraph.`: `aws4.s3` for an AWS 4 tile,
/// `aws3.ec2` for an older shape; empty for plain shapes.
pub fn stencil_name<'a>(cell: &Cell<'a>) -> &'a str {
    let shape = shape_name(cell);
    if shape == "mxgraph.aws4.resourceIcon" || shape == "mxgraph.aws4.productIcon" {
        let icon = cell
            .style
            .get("resIcon")
            .or_else(|| cell.style.get("prIcon"))
            .unwrap_or_default();
        return icon.strip_prefix("mxgraph.").unwrap_or(icon);
    }
    shape.strip_prefix("mxgraph.").unwrap_or_default()
}

/// Whether a cell draws free text: draw.io's Text shape, or a label with no box around it.
pub fn is_text(cell: &Cell<'_>) -> bool {
    let style = &cell.style;
    let invisible = |key: &str| style.get(key).is_some_and(|v| v == "none");
    style.bare().contains(&"text")
        || style.get("shape") == Some("text")
        || (invisible("strokeColor") && invisible("fillColor") && style.get("shape").is_none())
}

pub fn role(cell: &Cell<'_>) -> Role {
    let style = &cell.style;
    if let Some(service) = style.get("archsketchService") {
        return Role::Own(service.to_string());
    }
    if let Some(kind) = style.get("archsketchGroup").and_then(GroupKind::from_name) {
        return Role::Group(kind);
    }
    let shape = shape_name(cell);
    if shape == "mxgraph.aws4.group" || shape == "mxgraph.aws4.groupCenter" {
        return Role::Group(aws4_group(cell));
    }
    if shape == "mxgraph.aws4.resourceIcon" || shape == "mxgraph.aws4.productIcon" {
        let icon = stencil_name(cell);
        let name = icon.strip_prefix("aws4.").unwrap_or(icon);
        return match shapes().row_of(Shape::Tile(name)) {
            Some(row) => Role::Service(row),
            None => Role::Unknown(name.to_string()),
        };
    }
    if let Some(full) = shape.strip_prefix("mxgraph.") {
        if let Some(kind) = shapes().group_by_icon(full) {
            return Role::Group(kind);
        }
        if let Some(row) = shapes().row_of_stencil(full) {
            return Role::Service(row);
        }
        let family = full.split('.').next().unwrap_or_default();
        if matches!(family, "aws4" | "aws3" | "aws3d" | "aws2" | "aws") {
            let name = full.rsplit('.').next().unwrap_or(full);
            // AWS's illustrations (a console, a notification, devices) are pictures of things.
            if name.starts_with("illustration") {
                return Role::Plain;
            }
            return if is_decoration(name) {
                Role::Decoration
            } else {
                Role::Unknown(full.to_string())
            };
        }
        // Another library's picture: a person, a laptop, a server, a phone; else a plain
        // shape, which an arrow reaching it makes something outside AWS.
        return match shapes().external_named(full) {
            Some(service) => Role::Picture(service),
            None => Role::Plain,
        };
    }
    if shape == "image" {
        let source = style.get("image").unwrap_or_default();
        return match shapes().external_named(image_name(source)) {
            Some(service) => Role::Picture(service),
            None => Role::Plain,
        };
    }
    if matches!(shape, "umlActor" | "actor") {
        return Role::Picture("users");
    }
    if is_text(cell) {
        return if cell.label.is_empty() {
            Role::Decoration
        } else {
            Role::Text
        };
    }
    Role::Plain
}

/// The name a picture's file gives it: `kibana` of `https://.../kibana-128.png`; nothing for
/// pictures embedded as data.
pub fn image_name(source: &str) -> &str {
    if source.starts_with("data:") {
        return "";
    }
    let file = source.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = file.split(['.', '?', '#']).next().unwrap_or_default();
    stem.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_')
}

/// Arrows, lines and marks in the AWS stencils that stand for nothing in a design.
fn is_decoration(name: &str) -> bool {
    [
        "arrow",
        "line",
        "dashed",
        "connector",
        "callout",
        "tag",
        "flag",
    ]
    .iter()
    .any(|w| name.contains(w))
        || name.is_empty()
}

/// An AWS 4 group container's kind: by its icon, told apart by colour and label where one
/// icon serves two kinds, else by its label.
fn aws4_group(cell: &Cell<'_>) -> GroupKind {
    let style = &cell.style;
    let icon = style
        .get("grIcon")
        .and_then(|i| i.strip_prefix("mxgraph.aws4."))
        .unwrap_or_default();
    let named = shapes().box_kind_named(&cell.label);
    match shapes().group_by_icon(icon) {
        Some(GroupKind::PublicSubnet | GroupKind::PrivateSubnet) => subnet_kind(cell),
        // The security-group icon on a box named as a security group is one.
        Some(kind) => match named {
            Some(GroupKind::SecurityGroup) if icon == "group_security_group" => {
                GroupKind::SecurityGroup
            }
            _ => kind,
        },
        None => match named {
            Some(GroupKind::PublicSubnet | GroupKind::PrivateSubnet) => subnet_kind(cell),
            Some(kind) => kind,
            None => GroupKind::Generic,
        },
    }
}

/// Public or private: a label saying so first, then colour (draw.io draws public subnets
/// green, private ones teal).
pub fn subnet_kind(cell: &Cell<'_>) -> GroupKind {
    let said = |w: &str| super::shapes::mentions(&cell.label, &[w]);
    if said("public") {
        return GroupKind::PublicSubnet;
    }
    if said("private") || said("isolated") || said("database") {
        return GroupKind::PrivateSubnet;
    }
    let style = &cell.style;
    let green = |c: &str| {
        let c = c.to_ascii_uppercase();
        matches!(
            c.as_str(),
            "#7AA116" | "#248814" | "#F2F6E8" | "#E9F3E6" | "#3F8624" | "#F7FAF2"
        )
    };
    if style.get("strokeColor").is_some_and(green) || style.get("fillColor").is_some_and(green) {
        GroupKind::PublicSubnet
    } else {
        GroupKind::PrivateSubnet
    }
}

/// The kind a plain box is by its look and label: a label naming a kind first, then the
/// border colour of draw.io's AWS sidebar boxes. `None` when neither says.
pub fn plain_box_kind(cell: &Cell<'_>) -> Option<GroupKind> {
    let named = shapes().box_kind_named(&cell.label);
    if let Some(kind) = named {
        return Some(match kind {
            GroupKind::PublicSubnet | GroupKind::PrivateSubnet => subnet_kind(cell),
            other => other,
        });
    }
    cell.style
        .get("strokeColor")
        .and_then(|c| shapes().group_by_stroke(c))
        .filter(|k| *k != GroupKind::Generic)
}

/// An AWS 3D connector: a shape (not an edge) drawn along one diagonal of its box, from the
/// corner it starts at; `None` for a line either way along whichever diagonal joins two shapes.
pub fn iso_connector(cell: &Cell<'_>) -> Option<Option<[(bool, bool); 2]>> {
    let name = shape_name(cell).strip_prefix("mxgraph.aws3d.")?;
    // Corners as (right?, bottom?): where the line starts, then where it ends.
    let corners = match name {
        "arrowSE" => [(false, false), (true, true)],
        "arrowNW" => [(true, true), (false, false)],
        "arrowSW" => [(true, false), (false, true)],
        "arrowNE" => [(false, true), (true, false)],
        "flatEdge"
        | "flatDoubleEdge"
        | "dashedEdge"
        | "dashedEdgeDouble"
        | "dashedArrowlessEdge" => return Some(None),
        _ => return None,
    };
    Some(Some(corners))
}
