//! A design as a draw.io file: the same boxes, tiles and routes as on the canvas, in
//! draw.io's own AWS shapes, so a person can go on editing it there.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::shapes::{Shape, shapes};
use crate::catalog::catalog;
use crate::model::{Design, Pos, Rect, unused_id};
use crate::scene;
use crate::xml::{escape, hex, n as number};

/// Settings every exported vertex shares: label below the tile, as AWS diagrams put it.
const TILE_STYLE: &str = "sketch=0;outlineConnect=0;fontColor=#232F3E;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;fontSize=12;fontStyle=0;aspect=fixed;";
/// How a note is drawn: draw.io's Text shape, wrapped and centred like archsketch's.
const NOTE_STYLE: &str = "text;align=center;verticalAlign=top;fontSize=12;fontColor=#232F3E;strokeColor=none;fillColor=none;";
/// Settings every exported group shares: a container whose children move with it.
const GROUP_STYLE: &str = "points=[[0,0],[0.25,0],[0.5,0],[0.75,0],[1,0],[1,0.25],[1,0.5],[1,0.75],[1,1],[0.75,1],[0.5,1],[0.25,1],[0,1],[0,0.75],[0,0.5],[0,0.25]];outlineConnect=0;gradientColor=none;fontSize=12;fontStyle=0;container=1;pointerEvents=0;collapsible=0;recursiveResize=0;verticalAlign=top;align=left;";
/// Settings every exported edge shares.
const EDGE_STYLE: &str = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;strokeColor=#545B64;endFill=1;";

/// The design as an uncompressed draw.io file (one page), positions as on the canvas.
pub fn to_drawio(design: &Design) -> String {
    let scene = scene::build(design);
    // Where each group box and tile is: children are placed relative to their box, edges
    // attach to their ends' borders.
    let rects: HashMap<&str, Rect> = scene
        .groups
        .iter()
        .map(|g| (design.groups()[g.index].id.as_str(), g.rect))
        .chain(
            scene
                .nodes
                .iter()
                .map(|n| (design.nodes()[n.index].id.as_str(), n.tile)),
        )
        .collect();
    let relative_to_parent = |id: &str, p: Pos| -> Pos {
        let origin = design
            .parent_of_text(id)
            .and_then(|parent| rects.get(parent.id.as_str()))
            .map_or(Pos::new(0.0, 0.0), |r| r.min);
        p.offset(-origin.x, -origin.y)
    };
    // Cells "0" and "1" are draw.io's root and layer: a design id that is one of them gets
    // another cell id (its own kept in the style, so it is read back).
    let renamed: HashMap<&str, String> = design
        .nodes()
        .iter()
        .map(|n| n.id.as_str())
        .chain(design.groups().iter().map(|g| g.id.as_str()))
        .filter(|id| is_reserved_cell(id))
        .map(|id| {
            let fresh = unused_id(format!("cell-{id}"), |c| {
                design.has_text_id(c) || is_reserved_cell(c)
            });
            (id, fresh)
        })
        .collect();
    let cell_of =
        |id: &str| -> String { renamed.get(id).cloned().unwrap_or_else(|| id.to_string()) };
    let kept_id = |id: &str| -> String {
        if renamed.contains_key(id) {
            format!("archsketchId={id};")
        } else {
            String::new()
        }
    };
    let parent_cell = |id: &str| {
        design
            .parent_of_text(id)
            .map_or_else(|| "1".to_string(), |p| cell_of(p.id.as_str()))
    };
    let mut out = String::new();
    out.push_str("<mxfile host=\"archsketch\" type=\"device\">\n");
    out.push_str("  <diagram id=\"archsketch\" name=\"Page-1\">\n");
    out.push_str("    <mxGraphModel grid=\"1\" gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" arrows=\"1\" fold=\"1\" page=\"0\" pageScale=\"1\" math=\"0\" shadow=\"0\">\n");
    out.push_str(
        "      <root>\n        <mxCell id=\"0\" />\n        <mxCell id=\"1\" parent=\"0\" />\n",
    );
    // Outer boxes first: draw.io wants a parent written before its children.
    for g in &scene.groups {
        let group = &design.groups()[g.index];
        let look = shapes().group(group.kind);
        let mut style = format!(
            "{GROUP_STYLE}{}archsketchGroup={};{}",
            look.map_or("", |l| l.style.as_str()),
            group.kind.name(),
            kept_id(group.id.as_str())
        );
        if group.label.is_empty() {
            style.push_str("archsketchUnlabelled=1;");
        }
        // A box with a size of its own keeps it when read back.
        if group.frame.is_some() {
            style.push_str("archsketchFrame=1;");
        }
        let at = relative_to_parent(group.id.as_str(), g.rect.min);
        let _ = writeln!(
            out,
            "        <mxCell id=\"{}\" value=\"{}\" style=\"{}\" vertex=\"1\" parent=\"{}\">\n          {}\n        </mxCell>",
            escape(&cell_of(group.id.as_str())),
            // The whole label: the scene's caption is cut for drawing.
            escape(if group.label.is_empty() {
                &g.caption
            } else {
                &group.label
            }),
            escape(&style),
            escape(&parent_cell(group.id.as_str())),
            geometry(at, g.rect.width(), g.rect.height()),
        );
    }
    for n in &scene.nodes {
        let node = &design.nodes()[n.index];
        let fill = hex(catalog().category_of(&node.service).rgb());
        let shape = match shapes().shape_of(&node.service) {
            // A note is a draw.io text cell.
            _ if node.is_note() => NOTE_STYLE.to_string(),
            Shape::Tile(name) => format!(
                "fillColor={fill};strokeColor=#ffffff;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{name};"
            ),
            Shape::Flat(name) => {
                format!("fillColor={fill};strokeColor=none;shape=mxgraph.aws4.{name};")
            }
        };
        let mut style = format!(
            "{}{shape}archsketchService={};{}",
            if node.is_note() { "" } else { TILE_STYLE },
            node.service.replace([';', '='], "_"),
            kept_id(node.id.as_str())
        );
        // draw.io shows an unlabelled service by its name; archsketch reads it back unlabelled.
        if node.label.is_empty() {
            style.push_str("archsketchUnlabelled=1;");
        }
        let at = relative_to_parent(node.id.as_str(), n.tile.min);
        let cell = format!(
            "<mxCell style=\"{}\" vertex=\"1\" parent=\"{}\">\n            {}\n          </mxCell>",
            escape(&style),
            escape(&parent_cell(node.id.as_str())),
            geometry(at, n.tile.width(), n.tile.height()),
        );
        // A node with properties is a draw.io data object, so "Edit Data" shows them.
        let mut attributes = String::new();
        for (key, value) in node.props.iter() {
            // draw.io opens a cell's `link` when it is clicked: only web and mail links go.
            if key == "link" && !is_safe_link(value) {
                continue;
            }
            if is_xml_name(key) && !matches!(key.as_str(), "id" | "label" | "placeholders") {
                let _ = write!(attributes, " {}=\"{}\"", key, escape(value));
            }
        }
        let _ = writeln!(
            out,
            "        <object id=\"{}\" label=\"{}\"{attributes}>\n          {cell}\n        </object>",
            escape(&cell_of(node.id.as_str())),
            escape(if node.label.is_empty() {
                &n.label
            } else {
                &node.label
            }),
        );
    }
    for e in &scene.edges {
        let edge = &design.edges()[e.index];
        // Cells "0" and "1" are draw.io's root and layer.
        let id = unused_id(format!("edge-{}", e.index), |c| {
            design.has_text_id(c) || is_reserved_cell(c) || renamed.values().any(|r| r == c)
        });
        let mut style = format!("{EDGE_STYLE}archsketchKind={};", edge.kind.name());
        style.push_str(if e.arrow {
            "endArrow=block;"
        } else {
            "endArrow=none;"
        });
        if e.dashed {
            style.push_str("dashed=1;");
        }
        // Attach where the canvas route leaves and enters, so draw.io draws the same route.
        if let (Some(from), Some(to)) = (rects.get(edge.from.as_str()), rects.get(edge.to.as_str()))
        {
            let (x, y) = relative(*from, e.start());
            let _ = write!(style, "exitX={x};exitY={y};exitDx=0;exitDy=0;");
            let (x, y) = relative(*to, e.end());
            let _ = write!(style, "entryX={x};entryY={y};entryDx=0;entryDy=0;");
        }
        let mut points = String::new();
        if e.points.len() > 2 {
            points.push_str("\n            <Array as=\"points\">");
            for p in &e.points[1..e.points.len() - 1] {
                let _ = write!(
                    points,
                    "<mxPoint x=\"{}\" y=\"{}\" />",
                    number(p.x),
                    number(p.y)
                );
            }
            points.push_str("</Array>\n          ");
        }
        let _ = writeln!(
            out,
            "        <mxCell id=\"{}\" value=\"{}\" style=\"{}\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\">\n          <mxGeometry relative=\"1\" as=\"geometry\">{points}</mxGeometry>\n        </mxCell>",
            escape(&id),
            escape(&edge.label),
            escape(&style),
            escape(&cell_of(edge.from.as_str())),
            escape(&cell_of(edge.to.as_str())),
        );
    }
    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    out
}

fn geometry(at: Pos, width: f32, height: f32) -> String {
    format!(
        "<mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\" />",
        number(at.x),
        number(at.y),
        number(width),
        number(height)
    )
}

/// Where a point on a tile's border is, as fractions of its width and height.
fn relative(tile: Rect, p: Pos) -> (String, String) {
    let fx = ((p.x - tile.min.x) / tile.width().max(1.0)).clamp(0.0, 1.0);
    let fy = ((p.y - tile.min.y) / tile.height().max(1.0)).clamp(0.0, 1.0);
    (number(fx), number(fy))
}

/// Whether `id` is one of draw.io's own cells (the root "0" and the layer "1").
fn is_reserved_cell(id: &str) -> bool {
    id == "0" || id == "1"
}

/// Whether a link may become a draw.io hyperlink: web and mail addresses only, never
/// `javascript:` or `data:`.
fn is_safe_link(link: &str) -> bool {
    let lower = link.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Whether a property name can be an XML attribute name as it is.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.to_ascii_lowercase().starts_with("xml")
}
