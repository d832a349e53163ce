//! The SVG writer: a standalone file with real `<text>`, each icon inlined once as a
//! `<symbol>`, a `viewBox` fitted to the content, and one `<g data-id=...>` per element.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use super::{ExportOptions, Theme};
use crate::catalog::{catalog, icon_for_service, icon_svg};
use crate::model::{Design, ElementRef, Pos, Rect};
use crate::scene::{self, EdgeShape, style};
use crate::xml::{escape, hex, n};

/// Font stack of exported text; exports rendered by archsketch use the bundled Ubuntu face,
/// the same the window uses.
pub const FONT_FAMILY: &str = "Ubuntu, 'Ubuntu Light', 'DejaVu Sans', Arial, sans-serif";

const TITLE_SIZE: f32 = 18.0;
const TITLE_BAND: f32 = 40.0;
const LEGEND_ROW: f32 = 30.0;
const LEGEND_ITEM: f32 = 190.0;
const ARROW_HEAD: f32 = 10.0;
const BADGE_RADIUS: f32 = 7.0;
const KEY_LINE: f32 = 20.0;

/// The page's colours as SVG writes them.
struct Palette {
    background: String,
    text: String,
    edge: String,
    page: style::Page,
}

impl Palette {
    fn group_style(&self, kind: crate::model::GroupKind) -> style::GroupStyle {
        self.page.group_style(kind)
    }
}

fn palette(theme: Theme) -> Palette {
    let page = style::Page::of(theme == Theme::Dark);
    Palette {
        background: hex(page.background),
        text: hex(page.text),
        edge: hex(page.edge),
        page,
    }
}

/// The body of an icon file, to go inside a `<symbol>`.
fn icon_body(name: &str) -> &'static str {
    let text = icon_svg(name)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    let start = text.find('>').map_or(0, |i| i + 1);
    let end = text.rfind("</svg>").unwrap_or(text.len());
    text.get(start..end).unwrap_or("")
}

/// A design laid out for export: the part to export, its scene, and the page frame.
pub struct Prepared<'a> {
    design: std::borrow::Cow<'a, Design>,
    scene: scene::Scene,
    /// The page, in canvas units: content, padding, title band and legend.
    pub frame: Rect,
    content: Rect,
    title: bool,
    services: Vec<String>,
    legend_cols: usize,
    legend_rows: usize,
    pad: f32,
    /// The height of the legend band, where a key follows.
    legend_h: f32,
}

/// Lays out the design (or the selection in `options`) for export.
pub fn prepare<'a>(design: &'a Design, options: &ExportOptions) -> Prepared<'a> {
    let design = match &options.selection {
        Some(sel) => std::borrow::Cow::Owned(design.part(sel)),
        None => std::borrow::Cow::Borrowed(design),
    };
    let scene = scene::build(&design);
    let content = if scene.bounds.is_empty() {
        Rect::from_min_max(Pos::new(0.0, 0.0), Pos::new(200.0, 100.0))
    } else {
        scene.bounds
    };
    let title = options.title && !design.title.is_empty();
    let services: Vec<String> = design
        .nodes()
        .iter()
        .map(|n| n.service.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let legend_cols = ((content.width() / LEGEND_ITEM).floor() as usize).max(1);
    let legend_rows = if options.legend {
        services.len().div_ceil(legend_cols)
    } else {
        0
    };
    let pad = options.padding.max(0.0);
    let legend_h = if legend_rows > 0 {
        16.0 + legend_rows as f32 * LEGEND_ROW
    } else {
        0.0
    };
    let key_h = if options.key.is_empty() {
        0.0
    } else {
        8.0 + options.key.len() as f32 * KEY_LINE
    };
    // A key's lines are long: the page is widened to hold them.
    let key_w = options
        .key
        .iter()
        .map(|l| 30.0 + l.text.chars().count() as f32 * 7.0)
        .fold(0.0, f32::max);
    let frame = Rect::from_min_max(
        Pos::new(
            (content.min.x - pad).floor(),
            (content.min.y - pad - if title { TITLE_BAND } else { 0.0 }).floor(),
        ),
        Pos::new(
            (content.max.x + pad).max(content.min.x + key_w).ceil(),
            (content.max.y + pad + legend_h + key_h).ceil(),
        ),
    );
    Prepared {
        design,
        scene,
        frame,
        content,
        title,
        services,
        legend_cols,
        legend_rows,
        pad,
        legend_h,
    }
}

/// Renders the design (or the selection in `options`) as a standalone SVG document.
pub fn to_svg(design: &Design, options: &ExportOptions) -> String {
    write(&prepare(design, options), options, None)
}

/// Writes the SVG of a prepared design. With `view`, the document shows only that part of
/// the page and leaves out what lies wholly outside it (for rendering in bands).
pub fn write(p: &Prepared<'_>, options: &ExportOptions, view: Option<Rect>) -> String {
    let design = &p.design;
    let scene = &p.scene;
    let content = p.content;
    let title = p.title;
    let pad = p.pad;
    let colors = palette(options.theme);
    let (min_x, min_y, w, h) = (
        p.frame.min.x,
        p.frame.min.y,
        p.frame.width(),
        p.frame.height(),
    );
    let shown = view.unwrap_or(p.frame);
    // Strokes, badges and labels reach a little beyond an element's box.
    let visible = |r: Rect| view.is_none() || r.expand(24.0).intersects(&shown);

    let mut out = String::with_capacity(4096 + scene.nodes.len() * 600);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="{} {} {} {}" width="{}" height="{}" font-family="{}">"#,
        n(shown.min.x),
        n(shown.min.y),
        n(shown.width()),
        n(shown.height()),
        n(shown.width()),
        n(shown.height()),
        escape(FONT_FAMILY)
    );
    let doc_title = if design.title.is_empty() {
        "archsketch diagram"
    } else {
        design.title.as_str()
    };
    let _ = writeln!(out, "<title>{}</title>", escape(doc_title));

    // Icons, each once.
    let icons: BTreeSet<&str> = scene
        .nodes
        .iter()
        .map(|n| n.icon)
        .chain(
            scene
                .groups
                .iter()
                .filter_map(|g| style::group_style(g.kind).icon),
        )
        .collect();
    out.push_str("<defs>\n");
    for icon in &icons {
        let _ = writeln!(
            out,
            r##"<symbol id="icon-{icon}" viewBox="0 0 64 64"><g fill="none" stroke="#FFFFFF" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">{}</g></symbol>"##,
            icon_body(icon)
        );
    }
    out.push_str("</defs>\n");
    if !options.transparent {
        let _ = writeln!(
            out,
            r#"<rect class="background" x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            n(min_x),
            n(min_y),
            n(w),
            n(h),
            colors.background
        );
    }
    if title {
        let _ = writeln!(
            out,
            r#"<text class="title" x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
            n(content.min.x),
            n(min_y + pad + TITLE_SIZE),
            n(TITLE_SIZE),
            colors.text,
            escape(&design.title)
        );
    }

    // The worst severity per element, gathered once: asking per element stays constant-time.
    let mut worst: HashMap<&ElementRef, crate::rules::Severity> = HashMap::new();
    for b in &options.badges {
        worst
            .entry(&b.element)
            .and_modify(|s| *s = (*s).min(b.severity))
            .or_insert(b.severity);
    }
    let badge_of = |e: &ElementRef| worst.get(e).copied();
    let marked: HashMap<&ElementRef, &super::Highlight> =
        options.highlights.iter().map(|h| (&h.element, h)).collect();
    let muting = !marked.is_empty();
    // An unmarked element of a review is drawn muted; a marked one as it is, outlined after.
    let open = |out: &mut String, e: &ElementRef| {
        if muting && !marked.contains_key(e) {
            out.push_str(r#"<g opacity="0.4">"#);
        }
    };
    let close = |out: &mut String, e: &ElementRef, around: Option<crate::model::Rect>| match marked
        .get(e)
    {
        Some(h) => {
            if let Some(r) = around {
                outline(out, r, h);
            }
        }
        None if muting => out.push_str("</g>\n"),
        None => {}
    };

    for g in scene.groups.iter().filter(|g| visible(g.rect)) {
        let id = &design.groups()[g.index].id;
        let element = ElementRef::Group(id.clone());
        open(&mut out, &element);
        write_group(&mut out, g, id.as_str(), &colors);
        close(&mut out, &element, Some(g.rect.expand(3.0)));
        if let Some(sev) = badge_of(&ElementRef::Group(id.clone())) {
            badge(
                &mut out,
                Pos::new(g.rect.max.x - 4.0, g.rect.min.y + 4.0),
                sev,
            );
        }
    }
    for e in scene.edges.iter().filter(|e| visible(e.bounds())) {
        let edge = &design.edges()[e.index];
        let element = ElementRef::Edge(edge.id);
        open(&mut out, &element);
        if let Some(h) = marked.get(&element) {
            trace(&mut out, &e.points, h);
        }
        write_edge(
            &mut out,
            e,
            edge.id,
            edge.from.as_str(),
            edge.to.as_str(),
            &colors,
        );
        close(&mut out, &element, None);
        if let Some(sev) = badge_of(&ElementRef::Edge(edge.id)) {
            badge(&mut out, e.midpoint().offset(8.0, -8.0), sev);
        }
    }
    for node in scene.nodes.iter().filter(|n| visible(n.footprint)) {
        let d = &design.nodes()[node.index];
        let element = ElementRef::Node(d.id.clone());
        open(&mut out, &element);
        write_node(&mut out, node, d.id.as_str(), &d.service, &colors);
        close(&mut out, &element, Some(node.tile.expand(5.0)));
        if let Some(sev) = badge_of(&ElementRef::Node(d.id.clone())) {
            badge(&mut out, Pos::new(node.tile.max.x, node.tile.min.y), sev);
        }
    }
    if p.legend_rows > 0 {
        let services: Vec<&str> = p.services.iter().map(String::as_str).collect();
        write_legend(&mut out, &services, p.legend_cols, content, pad, &colors);
    }
    if !options.key.is_empty() {
        write_key(
            &mut out,
            &options.key,
            content.min.x,
            content.max.y + pad + p.legend_h,
            &colors,
        );
    }
    out.push_str("</svg>\n");
    out
}

fn write_group(out: &mut String, g: &scene::GroupShape, id: &str, colors: &Palette) {
    let s = colors.group_style(g.kind);
    let r = g.rect;
    let _ = write!(
        out,
        r#"<g class="group" data-id="{}" data-kind="{}">"#,
        escape(id),
        g.kind.name()
    );
    let fill = match s.fill {
        Some(f) => format!(
            r#"fill="{}" fill-opacity="{}""#,
            hex([f[0], f[1], f[2]]),
            n(f[3] as f32 / 255.0)
        ),
        None => r#"fill="none""#.to_string(),
    };
    let dash = if s.dashed {
        r#" stroke-dasharray="8 5""#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" {fill} stroke="{}" stroke-width="1.5"{dash}/>"#,
        n(r.min.x),
        n(r.min.y),
        n(r.width()),
        n(r.height()),
        hex(s.stroke)
    );
    if let Some(icon) = s.icon {
        let _ = write!(
            out,
            r##"<rect x="{0}" y="{1}" width="{2}" height="{2}" fill="{3}"/><use href="#icon-{4}" xlink:href="#icon-{4}" x="{5}" y="{6}" width="{7}" height="{7}"/>"##,
            n(r.min.x),
            n(r.min.y),
            n(style::GROUP_BADGE),
            hex(s.stroke),
            icon,
            n(r.min.x + 2.4),
            n(r.min.y + 2.4),
            n(style::GROUP_BADGE - 4.8),
        );
    }
    let text = hex(s.text);
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" fill="{}">{}</text></g>"#,
        n(r.min.x + s.caption_x()),
        n(r.min.y + 14.0),
        n(style::CAPTION_SIZE),
        text,
        escape(&g.caption)
    );
}

fn write_edge(
    out: &mut String,
    e: &EdgeShape,
    id: crate::model::EdgeId,
    from: &str,
    to: &str,
    colors: &Palette,
) {
    let _ = write!(
        out,
        r#"<g class="edge" data-id="{}" data-from="{}" data-to="{}" data-kind="{}">"#,
        id,
        escape(from),
        escape(to),
        e.kind.name()
    );
    let (line, head) = e.drawn(ARROW_HEAD);
    let dash = if e.dashed {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    let d = path_data(&line);
    let _ = write!(
        out,
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.5" stroke-linejoin="round"{dash}/>"#,
        colors.edge
    );
    if let Some([tip, left, right]) = head {
        let _ = write!(
            out,
            r#"<polygon points="{},{} {},{} {},{}" fill="{}"/>"#,
            n(tip.x),
            n(tip.y),
            n(left.x),
            n(left.y),
            n(right.x),
            n(right.y),
            colors.edge
        );
    }
    if !e.label.is_empty() {
        let mid = e.midpoint();
        let w = scene::text_width(&e.label, style::CAPTION_SIZE) + 6.0;
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="16" rx="2" fill="{}" fill-opacity="0.92"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}">{}</text>"#,
            n(mid.x - w / 2.0),
            n(mid.y - 8.0),
            n(w),
            colors.background,
            n(mid.x),
            n(mid.y + 4.0),
            n(style::CAPTION_SIZE),
            colors.text,
            escape(&e.label)
        );
    }
    out.push_str("</g>\n");
}

fn write_node(
    out: &mut String,
    node: &scene::NodeShape,
    id: &str,
    service: &str,
    colors: &Palette,
) {
    let t = node.tile;
    let _ = write!(
        out,
        r#"<g class="node" data-id="{}" data-service="{}">"#,
        escape(id),
        escape(service)
    );
    if node.note {
        write_lines(out, node, colors);
        out.push_str("</g>\n");
        return;
    }
    let outline = if node.known {
        String::new()
    } else {
        r##" stroke="#DD344C" stroke-width="2""##.to_string()
    };
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}"{outline}/>"#,
        n(t.min.x),
        n(t.min.y),
        n(t.width()),
        n(t.height()),
        n(style::TILE_RADIUS),
        hex(node.color)
    );
    let glyph = t.width() * 0.78;
    let c = t.center();
    let _ = write!(
        out,
        r##"<use href="#icon-{0}" xlink:href="#icon-{0}" x="{1}" y="{2}" width="{3}" height="{3}"/>"##,
        node.icon,
        n(c.x - glyph / 2.0),
        n(c.y - glyph / 2.0),
        n(glyph)
    );
    write_lines(out, node, colors);
    out.push_str("</g>\n");
}

/// A node's label lines (a note's text), centred under the tile or in the note's box.
fn write_lines(out: &mut String, node: &scene::NodeShape, colors: &Palette) {
    let top = node.text_top();
    let x = node.tile.center().x;
    let _ = write!(
        out,
        r#"<text font-size="{}" text-anchor="middle" fill="{}">"#,
        n(style::LABEL_SIZE),
        colors.text
    );
    for (i, line) in node.lines.iter().enumerate() {
        // Baseline: the line box top plus the font's ascent (about 0.8 em).
        let y = top + i as f32 * style::LABEL_LINE + style::LABEL_SIZE * 0.95;
        let _ = write!(
            out,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            n(x),
            n(y),
            escape(line)
        );
    }
    out.push_str("</text>");
}

/// A review's outline around a node or box, with its note as the hover text.
fn outline(out: &mut String, r: crate::model::Rect, h: &super::Highlight) {
    let dash = if h.dashed {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r#"<rect class="highlight" x="{}" y="{}" width="{}" height="{}" rx="6" fill="none" stroke="{}" stroke-width="3"{dash}><title>{}</title></rect>"#,
        n(r.min.x),
        n(r.min.y),
        n(r.width()),
        n(r.height()),
        hex(h.color),
        escape(&h.note)
    );
}

/// An SVG path through the points: `M x y L x y ...`.
fn path_data(points: &[Pos]) -> String {
    let mut d = String::with_capacity(points.len() * 14);
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            n(p.x),
            n(p.y)
        );
    }
    d
}

/// A review's wide stroke under a connection, with its note as the hover text.
fn trace(out: &mut String, points: &[Pos], h: &super::Highlight) {
    let dash = if h.dashed {
        r#" stroke-dasharray="8 5""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r#"<path class="highlight" d="{}" fill="none" stroke="{}" stroke-width="7" stroke-opacity="0.45"{dash}><title>{}</title></path>"#,
        path_data(points),
        hex(h.color),
        escape(&h.note)
    );
}

fn badge(out: &mut String, at: Pos, severity: crate::rules::Severity) {
    let _ = writeln!(
        out,
        r##"<circle class="badge badge-{}" cx="{}" cy="{}" r="{}" fill="{}" stroke="#FFFFFF" stroke-width="1.5"/>"##,
        severity.name(),
        n(at.x),
        n(at.y),
        n(BADGE_RADIUS),
        hex(severity.color())
    );
}

/// The key: a swatch of each line's colour, then its text.
fn write_key(out: &mut String, key: &[super::KeyLine], x: f32, top: f32, colors: &Palette) {
    let _ = write!(out, r#"<g class="key">"#);
    for (i, line) in key.iter().enumerate() {
        let y = top + 8.0 + i as f32 * KEY_LINE;
        let dash = if line.dashed {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="16" height="12" rx="3" fill="none" stroke="{}" stroke-width="2.5"{dash}/><text x="{}" y="{}" font-size="12" fill="{}">{}</text>"#,
            n(x),
            n(y),
            hex(line.color),
            n(x + 24.0),
            n(y + 10.5),
            colors.text,
            escape(&line.text)
        );
    }
    out.push_str("</g>\n");
}

fn write_legend(
    out: &mut String,
    services: &[&str],
    cols: usize,
    content: Rect,
    pad: f32,
    colors: &Palette,
) {
    let top = content.max.y + pad;
    let _ = write!(out, r#"<g class="legend">"#);
    for (i, service) in services.iter().enumerate() {
        let x = content.min.x + (i % cols) as f32 * LEGEND_ITEM;
        let y = top + (i / cols) as f32 * LEGEND_ROW;
        let color = hex(catalog().category_of(service).rgb());
        let icon = icon_for_service(service);
        let _ = write!(
            out,
            r##"<rect x="{0}" y="{1}" width="22" height="22" rx="3" fill="{2}"/><use href="#icon-{3}" xlink:href="#icon-{3}" x="{4}" y="{5}" width="17" height="17"/><text x="{6}" y="{7}" font-size="12" fill="{8}">{9}</text>"##,
            n(x),
            n(y),
            color,
            icon,
            n(x + 2.5),
            n(y + 2.5),
            n(x + 30.0),
            n(y + 15.5),
            colors.text,
            escape(catalog().display_name(service))
        );
    }
    out.push_str("</g>\n");
}
