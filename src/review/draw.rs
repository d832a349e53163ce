//! A change drawn: the new version with what was added, changed and removed outlined, and
//! versions the program laid out drawn in the old version's places.

use super::{Changed, Review, old_id_of, renames};
use crate::export::{Highlight, KeyLine};

const GREEN: [u8; 3] = [0x1E, 0x8E, 0x3E];
const AMBER: [u8; 3] = [0xE8, 0x71, 0x0A];
const RED: [u8; 3] = [0xD9, 0x30, 0x25];
use crate::model::{Design, Edge, EdgeKind, ElementId, ElementRef};

/// The new version as a review draws it: what was removed put back as ghosts where it was
/// (in its old box when the box is still there), and every change outlined: added in green,
/// changed in amber with what it was on hover, removed in dashed red.
pub fn drawing(review: &Review, old: &Design, new: &Design) -> (Design, Vec<Highlight>) {
    let mut drawn = new.clone();
    let mut marks = Vec::new();
    let mut mark = |element: Option<ElementRef>, color, dashed, note: String| {
        if let Some(element) = element {
            marks.push(Highlight {
                element,
                color,
                dashed,
                note,
            });
        }
    };
    for n in &review.services.removed {
        let Some((_, node)) = old.node_by_text(&n.id) else {
            continue;
        };
        let mut ghost = node.clone();
        ghost.label = format!(
            "{} (removed)",
            if n.label.is_empty() {
                &n.what
            } else {
                &n.label
            }
        );
        let id = ghost.id.clone();
        if drawn.push_node(ghost).is_err() {
            continue;
        }
        if let Some(box_id) = old.parent_id_of_text(&n.id)
            && drawn.group(box_id).is_some()
        {
            let _ = drawn.move_into(&ElementId::from(&id), Some(box_id), usize::MAX);
        }
        mark(Some(ElementRef::Node(id)), RED, true, "removed".into());
    }
    for l in &review.connections.removed {
        let ends = (drawn.element_named(&l.from), drawn.element_named(&l.to));
        let (Some(from), Some(to)) = ends else {
            continue;
        };
        let kind = EdgeKind::from_name(&l.kind).unwrap_or_default();
        let id = drawn.push_edge(Edge::new(from, to, kind));
        mark(Some(ElementRef::Edge(id)), RED, true, "removed".into());
    }
    let named = |id: &str| drawn_element(new, id);
    for n in review.services.added.iter().chain(&review.boxes.added) {
        mark(named(&n.id), GREEN, false, "added".into());
    }
    for c in review.services.changed.iter().chain(&review.boxes.changed) {
        mark(named(&c.id), AMBER, false, change_note(c));
    }
    let edge_of = |l: &str| {
        let (from, to) = l.split_once(" -> ")?;
        new.edges()
            .iter()
            .find(|e| e.from.as_str() == from && e.to.as_str() == to)
            .map(|e| ElementRef::Edge(e.id))
    };
    for l in &review.connections.added {
        let found = new
            .edges()
            .iter()
            .find(|e| e.from.as_str() == l.from && e.to.as_str() == l.to && e.kind.name() == l.kind)
            .map(|e| ElementRef::Edge(e.id));
        mark(found, GREEN, false, "added".into());
    }
    for c in &review.connections.changed {
        mark(edge_of(&c.id), AMBER, false, change_note(c));
    }
    (drawn, marks)
}

/// Places what both versions have where the old version has it, so a drawing of the change
/// shows the change and not a new arrangement: for versions laid out by the program (two
/// imports of a template), not for designs a person placed. Renamed elements count as
/// shared; what only the new version has keeps its own place.
pub fn keep_old_places(old: &Design, new: &mut Design) {
    let renames = renames(old, new);
    let places: Vec<(usize, crate::model::Pos)> = new
        .nodes()
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let old_id = old_id_of(&renames, n.id.as_str());
            old.node_by_text(old_id).map(|(_, o)| (i, o.pos))
        })
        .collect();
    for (i, pos) in places {
        if let Some(n) = new.node_at_mut(i) {
            *n.pos = pos;
        }
    }
}

/// What a changed element was, for its hover text.
fn change_note(c: &Changed) -> String {
    let mut parts = Vec::new();
    if let Some(old) = &c.renamed_from {
        parts.push(format!("renamed from {old}"));
    }
    parts.extend(c.fields.iter().cloned());
    parts.join("; ")
}

fn drawn_element(design: &Design, id: &str) -> Option<ElementRef> {
    design.element_named(id).map(ElementRef::from)
}

/// The most lines a drawing's key lists; the rest are counted in one more.
const KEY_LINES: usize = 40;

/// The drawing's key: each change as a line in its colour, for pictures without hover.
pub fn key(review: &Review) -> Vec<KeyLine> {
    let mut lines = Vec::new();
    let mut line = |color: [u8; 3], dashed: bool, text: String| {
        lines.push(KeyLine {
            color,
            dashed,
            text,
        })
    };
    let named = |n: &super::Named| {
        if n.label.is_empty() {
            format!("{} ({})", n.id, n.what)
        } else {
            format!("{} ({}, \"{}\")", n.id, n.what, n.label)
        }
    };
    let link = |l: &super::Link| format!("{} -> {} ({})", l.from, l.to, l.kind);
    for (what, delta) in [("", &review.services), ("box ", &review.boxes)] {
        for n in &delta.added {
            line(GREEN, false, format!("added {what}{}", named(n)));
        }
        for c in &delta.changed {
            line(
                AMBER,
                false,
                format!("changed {what}{}: {}", c.id, change_note(c)),
            );
        }
        for n in &delta.removed {
            line(RED, true, format!("removed {what}{}", named(n)));
        }
    }
    let c = &review.connections;
    for l in &c.added {
        line(GREEN, false, format!("added connection {}", link(l)));
    }
    for x in &c.changed {
        line(
            AMBER,
            false,
            format!("changed connection {}: {}", x.id, change_note(x)),
        );
    }
    for l in &c.removed {
        line(RED, true, format!("removed connection {}", link(l)));
    }
    if lines.len() > KEY_LINES {
        let more = lines.len() - (KEY_LINES - 1);
        lines.truncate(KEY_LINES - 1);
        lines.push(KeyLine {
            color: [0x7D, 0x89, 0x98],
            dashed: false,
            text: format!("and {more} more changes (archsketch diff lists them all)"),
        });
    }
    lines
}
