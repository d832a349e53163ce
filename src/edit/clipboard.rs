//! Copy, cut, paste and duplicate. The clipboard holds design-file text, the same RON a design
//! is saved as, so a selection pastes between two archsketch windows, into a text editor and
//! back. Pasting gives every element a fresh readable id (`s3` becomes `s3_2`), keeps the
//! edges among the pasted elements and the boxes around them, and is one undoable step.

use std::collections::{HashMap, HashSet};

use super::{EditCommand, ops};
use crate::io::{LoadError, load_str, to_ron_string};
use crate::model::{Design, Edge, EdgeId, ElementId, ElementRef, GroupId, NodeId, Pos, unused_id};

/// How far a paste lands from the original when there is no pointer to put it under.
pub const PASTE_OFFSET: f32 = 40.0;

/// The selection as design-file text: the selected nodes, the selected groups with everything
/// inside them, and the edges among them. `None` when the selection holds no node or group.
pub fn copy(design: &Design, selection: &[ElementRef]) -> Option<String> {
    let part = design.part(selection);
    if part.nodes().is_empty() && part.groups().is_empty() {
        return None;
    }
    Some(to_ron_string(&part))
}

/// What a paste will add, and the elements to select once it has.
#[derive(Debug)]
pub struct Pasted {
    pub command: EditCommand,
    /// The pasted elements that are not inside another pasted box.
    pub top: Vec<ElementRef>,
}

/// Pastes design-file text: centred on `at` when given, else [`PASTE_OFFSET`] down and right
/// of where it was copied from. `Ok(None)` when the text holds no node or group; text that is
/// not a design is the load error, with its line and column.
pub fn paste(design: &Design, text: &str, at: Option<Pos>) -> Result<Option<Pasted>, LoadError> {
    let part = load_str(text, "the clipboard")?;
    if part.nodes().is_empty() && part.groups().is_empty() {
        return Ok(None);
    }
    // Fresh ids, kept recognisable: each is the copied id, or it with the next free number.
    // Every id in use, looked up once per candidate (a paste of thousands stays linear).
    let mut in_use: HashSet<String> = design
        .nodes()
        .iter()
        .map(|n| n.id.to_string())
        .chain(design.groups().iter().map(|g| g.id.to_string()))
        .collect();
    let mut renamed: HashMap<&str, String> = HashMap::new();
    let ids = part
        .nodes()
        .iter()
        .map(|n| n.id.as_str())
        .chain(part.groups().iter().map(|g| g.id.as_str()));
    for old in ids {
        let taken = |c: &str| in_use.contains(c);
        // A copy of `s3_2` is `s3_3`, not `s3_2_2`.
        let new = if taken(old) {
            unused_id(stem(old).to_string(), taken)
        } else {
            old.to_string()
        };
        in_use.insert(new.clone());
        renamed.insert(old, new);
    }
    let new_id = |old: &str| renamed.get(old).cloned().unwrap_or_else(|| old.to_string());
    let new_element = |old: &ElementId| match old {
        ElementId::Node(id) => ElementId::Node(NodeId::made(new_id(id.as_str()))),
        ElementId::Group(id) => ElementId::Group(GroupId::made(new_id(id.as_str()))),
    };
    let (dx, dy) = shift(&part, at);

    let mut steps = Vec::new();
    for (k, n) in part.nodes().iter().enumerate() {
        let mut node = n.clone();
        node.id = NodeId::made(new_id(n.id.as_str()));
        node.pos = n.pos.offset(dx, dy);
        steps.push(EditCommand::InsertNode {
            index: design.nodes().len() + k,
            node,
        });
    }
    for (k, g) in part.groups().iter().enumerate() {
        let mut group = g.clone();
        group.id = GroupId::made(new_id(g.id.as_str()));
        group.children.clear();
        group.frame = g.frame.map(|f| f.moved(dx, dy));
        steps.push(EditCommand::InsertGroup {
            index: design.groups().len() + k,
            group,
        });
    }
    for g in part.groups() {
        for c in &g.children {
            steps.push(EditCommand::SetParent {
                id: new_element(c),
                parent: Some(GroupId::made(new_id(g.id.as_str()))),
                index: usize::MAX,
            });
        }
    }
    for (k, e) in part.edges().iter().enumerate() {
        steps.push(EditCommand::InsertEdge {
            index: design.edges().len() + k,
            edge: Edge {
                id: EdgeId::UNASSIGNED,
                from: new_element(&e.from),
                to: new_element(&e.to),
                bends: e.bends.iter().map(|b| b.offset(dx, dy)).collect(),
                ..e.clone()
            },
        });
    }
    let top = part
        .nodes()
        .iter()
        .filter(|n| part.parent_id(&n.id).is_none())
        .map(|n| ElementRef::Node(NodeId::made(new_id(n.id.as_str()))))
        .chain(
            part.groups()
                .iter()
                .filter(|g| part.parent_id(&g.id).is_none())
                .map(|g| ElementRef::Group(GroupId::made(new_id(g.id.as_str())))),
        )
        .collect();
    Ok(Some(Pasted {
        command: EditCommand::Batch(steps),
        top,
    }))
}

/// An id without the `_N` a copy or a fresh id gave it.
fn stem(id: &str) -> &str {
    match id.rsplit_once('_') {
        Some((stem, n))
            if !stem.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            stem
        }
        _ => id,
    }
}

/// How far the pasted part moves: its middle to `at` (on the 10-unit grid), or the fixed
/// offset.
fn shift(part: &Design, at: Option<Pos>) -> (f32, f32) {
    let Some(at) = at else {
        return (PASTE_OFFSET, PASTE_OFFSET);
    };
    let points = part.nodes().iter().map(|n| n.pos).chain(
        part.groups().iter().filter_map(|g| g.frame).flat_map(|f| {
            let r = f.rect();
            [r.min, r.max]
        }),
    );
    let (mut min, mut max) = (Pos::new(f32::MAX, f32::MAX), Pos::new(f32::MIN, f32::MIN));
    for p in points {
        min = Pos::new(min.x.min(p.x), min.y.min(p.y));
        max = Pos::new(max.x.max(p.x), max.y.max(p.y));
    }
    if min.x > max.x {
        return (PASTE_OFFSET, PASTE_OFFSET);
    }
    let middle = Pos::new((min.x + max.x) / 2.0, (min.y + max.y) / 2.0);
    let target = ops::snap_to_grid(at);
    let moved = ops::snap_to_grid(Pos::new(target.x - middle.x, target.y - middle.y));
    (moved.x, moved.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{History, apply};
    use crate::model::GroupId;
    use crate::model::nid;

    fn example() -> Design {
        load_str(
            include_str!("../../tests/fixtures/format_example.ron"),
            "x.ron",
        )
        .unwrap()
    }

    #[test]
    fn a_copied_group_pastes_with_its_contents_and_edges_under_fresh_ids() {
        let mut d = example();
        let region = d.groups()[1].id.clone();
        let text = copy(&d, &[ElementRef::Group(region.clone())]).unwrap();
        let before = d.clone();
        let pasted = paste(&d, &text, None).unwrap().unwrap();
        let mut history = History::default();
        history.apply(&mut d, pasted.command, None).unwrap();
        d.validate().unwrap();
        assert_eq!(
            d.nodes().len(),
            before.nodes().len() + 5,
            "the region's five services"
        );
        assert_eq!(d.groups().len(), before.groups().len() + 1);
        let copy_of_region = GroupId::made(format!("{region}_2"));
        assert_eq!(pasted.top, [ElementRef::Group(copy_of_region.clone())]);
        let g = d.group(&copy_of_region).unwrap();
        assert_eq!(g.children.len(), 5);
        assert!(
            g.children.iter().all(|c| c.as_str().ends_with("_2")),
            "{:?}",
            g.children
        );
        let inside = before.descendants(&region);
        let among = before
            .edges()
            .iter()
            .filter(|e| inside.contains(&e.from) && inside.contains(&e.to))
            .count();
        assert!(among > 0);
        let new_edges = d.edges().len() - before.edges().len();
        assert_eq!(
            new_edges, among,
            "every edge among the region's services comes along"
        );
        let raw = d.node(nid("raw")).unwrap().pos;
        assert_eq!(
            d.node(nid("raw_2")).unwrap().pos,
            raw.offset(PASTE_OFFSET, PASTE_OFFSET)
        );
        assert!(history.undo(&mut d));
        assert_eq!(d, before, "one undoable step");
    }

    #[test]
    fn a_paste_at_the_pointer_centres_the_part_there_and_pasting_twice_counts_on() {
        let mut d = example();
        let text = copy(&d, &[ElementRef::Node(nid("raw"))]).unwrap();
        for (expected, at) in [
            ("raw_2", Pos::new(1000.0, 500.0)),
            ("raw_3", Pos::new(0.0, 0.0)),
        ] {
            let pasted = paste(&d, &text, Some(at)).unwrap().unwrap();
            apply(&mut d, pasted.command).unwrap();
            assert_eq!(d.node(nid(expected)).unwrap().pos, at);
        }
        // A copy of a copy counts on from the original's name.
        let again = copy(&d, &[ElementRef::Node(nid("raw_3"))]).unwrap();
        let pasted = paste(&d, &again, None).unwrap().unwrap();
        apply(&mut d, pasted.command).unwrap();
        assert!(d.node(nid("raw_4")).is_some());
    }

    #[test]
    fn text_that_is_not_a_design_is_refused_with_its_place_and_an_empty_one_adds_nothing() {
        let d = example();
        let e = paste(&d, "Design(format: 1, nodes: [", None).unwrap_err();
        assert!(e.location.is_some());
        assert!(paste(&d, "Design(format: 1)", None).unwrap().is_none());
        assert!(copy(&d, &[]).is_none());
    }
}
