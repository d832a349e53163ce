//! A change drawn: the new version with what was added, changed and removed outlined, and
//! versions the program laid out drawn in the old version's places.

use super::{Change, ChangeLine, Review};
use crate::export::{Highlight, KeyLine};
use crate::model::{Design, Edge, EdgeKind, ElementId, ElementRef};

const GREEN: [u8; 3] = [0x1E, 0x8E, 0x3E];
const AMBER: [u8; 3] = [0xE8, 0x71, 0x0A];
const RED: [u8; 3] = [0xD9, 0x30, 0x25];

/// The colour of a change, and whether it is drawn dashed (a ghost of the old version).
fn color(change: Change) -> ([u8; 3], bool) {
    match change {
        Change::Added => (GREEN, false),
        Change::Changed => (AMBER, false),
        Change::Removed => (RED, true),
    }
}

/// An element of a drawn change and what happened to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Marked {
    pub element: ElementRef,
    pub change: Change,
    /// What it was, for a changed element; `added` or `removed` otherwise.
    pub note: String,
}

/// The new version as a review draws it, with its marked elements.
#[derive(Clone, Debug)]
pub struct Drawn {
    pub design: Design,
    pub marks: Vec<Marked>,
}

impl Drawn {
    /// The marks as an export outlines them.
    pub fn highlights(&self) -> Vec<Highlight> {
        self.marks
            .iter()
            .map(|m| {
                let (color, dashed) = color(m.change);
                Highlight {
                    element: m.element.clone(),
                    color,
                    dashed,
                    note: m.note.clone(),
                }
            })
            .collect()
    }
}

/// The new version as a review draws it: what was removed put back as ghosts where it was
/// (in its old box when the box is still there), and every change marked: added, changed
/// (with what it was) and removed. The SVG drawing and the Markdown's Mermaid chart both
/// draw this.
pub fn drawing(review: &Review, old: &Design, new: &Design) -> Drawn {
    let mut drawn = new.clone();
    let mut marks = Vec::new();
    let mut mark = |element: Option<ElementRef>, change, note: String| {
        if let Some(element) = element {
            marks.push(Marked {
                element,
                change,
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
        mark(
            Some(ElementRef::Node(id)),
            Change::Removed,
            "removed".into(),
        );
    }
    for l in &review.connections.removed {
        let ends = (drawn.element_named(&l.from), drawn.element_named(&l.to));
        let (Some(from), Some(to)) = ends else {
            continue;
        };
        let kind = EdgeKind::from_name(&l.kind).unwrap_or_default();
        let id = drawn.push_edge(Edge::new(from, to, kind));
        mark(
            Some(ElementRef::Edge(id)),
            Change::Removed,
            "removed".into(),
        );
    }
    let named = |id: &str| new.element_named(id).map(ElementRef::from);
    for n in review.services.added.iter().chain(&review.boxes.added) {
        mark(named(&n.id), Change::Added, "added".into());
    }
    for c in review.services.changed.iter().chain(&review.boxes.changed) {
        mark(named(&c.id), Change::Changed, c.note());
    }
    let edge_between = |from: &str, to: &str, kind: Option<&str>| {
        new.edges()
            .iter()
            .find(|e| {
                e.from.as_str() == from
                    && e.to.as_str() == to
                    && kind.is_none_or(|k| e.kind.name() == k)
            })
            .map(|e| ElementRef::Edge(e.id))
    };
    for l in &review.connections.added {
        mark(
            edge_between(&l.from, &l.to, Some(&l.kind)),
            Change::Added,
            "added".into(),
        );
    }
    for c in &review.connections.changed {
        let edge =
            c.id.split_once(" -> ")
                .and_then(|(from, to)| edge_between(from, to, None));
        mark(edge, Change::Changed, c.note());
    }
    Drawn {
        design: drawn,
        marks,
    }
}

/// Places what both versions have where the old version has it, so a drawing of the change
/// shows the change and not a new arrangement: for versions laid out by the program (two
/// imports of a template), not for designs a person placed. Renamed elements (as the review
/// found them) count as shared; what only the new version has keeps its own place.
pub fn keep_old_places(review: &Review, old: &Design, new: &mut Design) {
    let renamed: std::collections::HashMap<&str, &str> = review
        .services
        .changed
        .iter()
        .filter_map(|c| Some((c.id.as_str(), c.renamed_from.as_deref()?)))
        .collect();
    let places: Vec<(usize, crate::model::Pos)> = new
        .nodes()
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let old_id = renamed.get(n.id.as_str()).copied().unwrap_or(n.id.as_str());
            old.node_by_text(old_id).map(|(_, o)| (i, o.pos))
        })
        .collect();
    for (i, pos) in places {
        if let Some(n) = new.node_at_mut(i) {
            *n.pos = pos;
        }
    }
}

/// The most lines a drawing's key lists; the rest are counted in one more.
const KEY_LINES: usize = 40;

/// The drawing's key: each change as a line in its colour, for pictures without hover.
pub fn key(review: &Review) -> Vec<KeyLine> {
    let mut lines: Vec<KeyLine> = review
        .lines()
        .into_iter()
        .map(|ChangeLine { change, kind, text }| {
            let (color, dashed) = color(change);
            let what = match kind {
                super::Kind::Service => String::new(),
                other => format!("{} ", other.word()),
            };
            KeyLine {
                color,
                dashed,
                text: format!("{} {what}{text}", change.word()),
            }
        })
        .collect();
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
