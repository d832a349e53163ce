//! Undo and redo as stored inverses, and "modified since save" as a revision comparison.

use std::collections::{HashSet, VecDeque};

use super::command::{EditCommand, EditError, Field, Target, apply};
use crate::model::Design;

struct Step {
    /// Applying this undoes (or, on the redo stack, redoes) the step.
    command: EditCommand,
    /// The revision the design returns to when `command` is applied.
    revision: u64,
    /// Consecutive edits with the same key merge into this step (a drag, a typing burst).
    merge_key: Option<String>,
    /// What the step did, for the Edit menu ("Move", "Paste").
    label: String,
}

/// The undo and redo stacks of one open design. Never saved into the file.
pub struct History {
    /// Oldest step at the front, so dropping it past [`MAX_STEPS`] costs nothing.
    undo: VecDeque<Step>,
    redo: VecDeque<Step>,
    revision: u64,
    next_revision: u64,
    saved_revision: Option<u64>,
    sealed: bool,
    /// Counts edits that changed more than where nodes are (see [`History::structure`]).
    structure: u64,
}

impl Default for History {
    fn default() -> Self {
        Self {
            undo: VecDeque::new(),
            redo: VecDeque::new(),
            revision: 0,
            next_revision: 1,
            saved_revision: Some(0),
            sealed: true,
            structure: 0,
        }
    }
}

/// Whether applying `old` restores everything `new` would (same positions, same fields), so
/// `new` need not be kept when the two merge.
fn covers(old: &EditCommand, new: &EditCommand) -> bool {
    // A drag's frames move the same nodes in the same order: compared in one pass, without
    // hashing 10,000 ids per frame.
    if let (Some(a), Some(b)) = (only_moves(old), only_moves(new))
        && a.len() == b.len()
        && a.iter().zip(b).all(|((x, _), (y, _))| x == y)
    {
        return true;
    }
    let mut restored = Restored::default();
    collect_restored(old, &mut restored);
    is_covered(new, &restored)
}

/// The moves of a command that is one `SetPositions` (alone or as a batch of one).
fn only_moves(c: &EditCommand) -> Option<&[(crate::model::NodeId, crate::model::Pos)]> {
    match c {
        EditCommand::SetPositions(moves) => Some(moves),
        EditCommand::Batch(items) if items.len() == 1 => only_moves(&items[0]),
        _ => None,
    }
}

/// What an inverse puts back: node positions, fields, box frames and edge routes. A later
/// frame of the same gesture that changes only these is undone by it already.
#[derive(Default)]
struct Restored<'a> {
    positions: HashSet<&'a str>,
    fields: Vec<(&'a Target, &'a Field)>,
    frames: HashSet<&'a str>,
    routes: HashSet<crate::model::EdgeId>,
}

fn collect_restored<'a>(c: &'a EditCommand, restored: &mut Restored<'a>) {
    match c {
        EditCommand::Batch(items) => items.iter().for_each(|i| collect_restored(i, restored)),
        EditCommand::SetPositions(moves) => restored
            .positions
            .extend(moves.iter().map(|(id, _)| id.as_str())),
        EditCommand::SetField { target, field, .. } => restored.fields.push((target, field)),
        EditCommand::SetGroupFrame { id, .. } => {
            restored.frames.insert(id.as_str());
        }
        EditCommand::SetRoute { edge, .. } => {
            restored.routes.insert(*edge);
        }
        _ => {}
    }
}

fn is_covered(c: &EditCommand, restored: &Restored<'_>) -> bool {
    match c {
        EditCommand::Batch(items) => items.iter().all(|i| is_covered(i, restored)),
        EditCommand::SetPositions(moves) => moves
            .iter()
            .all(|(id, _)| restored.positions.contains(id.as_str())),
        EditCommand::SetField { target, field, .. } => restored
            .fields
            .iter()
            .any(|(t, f)| *t == target && *f == field),
        EditCommand::SetGroupFrame { id, .. } => restored.frames.contains(id.as_str()),
        EditCommand::SetRoute { edge, .. } => restored.routes.contains(edge),
        _ => false,
    }
}

/// How many steps are kept; older ones are dropped.
const MAX_STEPS: usize = 500;

impl History {
    /// Applies a command as a new undo step. With a `merge_key` equal to the previous step's,
    /// and no [`History::seal`] in between, the two become one step.
    pub fn apply(
        &mut self,
        design: &mut Design,
        command: EditCommand,
        merge_key: Option<&str>,
    ) -> Result<(), EditError> {
        let merge = !self.sealed
            && merge_key.is_some()
            && self
                .undo
                .back()
                .is_some_and(|s| s.merge_key.as_deref() == merge_key);
        // Named only when it starts a step: a drag's later frames merge into the first.
        let label = if merge {
            String::new()
        } else {
            super::describe(&command)
        };
        let moves_only = command.moves_only();
        let inverse = apply(design, command)?;
        if !moves_only {
            self.structure += 1;
        }
        let new_revision = self.next_revision;
        self.next_revision += 1;
        if merge {
            // Undoing the merged step must undo both: the new inverse first, then the old.
            // When the old inverse already restores everything the new command touched (a
            // drag frame, a keystroke), it alone is kept, so bursts stay small.
            if let Some(last) = self.undo.back_mut()
                && !covers(&last.command, &inverse)
            {
                let old = std::mem::replace(&mut last.command, EditCommand::Batch(Vec::new()));
                last.command = EditCommand::Batch(vec![inverse, old]);
            }
        } else {
            self.undo.push_back(Step {
                command: inverse,
                revision: self.revision,
                merge_key: merge_key.map(str::to_string),
                label,
            });
            if self.undo.len() > MAX_STEPS {
                self.undo.pop_front();
            }
        }
        self.sealed = merge_key.is_none();
        self.redo.clear();
        self.revision = new_revision;
        Ok(())
    }

    /// Ends the current burst: the next edit starts a new step even with the same key.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    /// Undoes the last step; false when there is nothing to undo.
    pub fn undo(&mut self, design: &mut Design) -> bool {
        self.sealed = true;
        Self::swap(
            design,
            &mut self.undo,
            &mut self.redo,
            &mut self.revision,
            &mut self.structure,
        )
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self, design: &mut Design) -> bool {
        self.sealed = true;
        Self::swap(
            design,
            &mut self.redo,
            &mut self.undo,
            &mut self.revision,
            &mut self.structure,
        )
    }

    fn swap(
        design: &mut Design,
        from: &mut VecDeque<Step>,
        to: &mut VecDeque<Step>,
        revision: &mut u64,
        structure: &mut u64,
    ) -> bool {
        let Some(step) = from.pop_back() else {
            return false;
        };
        if !step.command.moves_only() {
            *structure += 1;
        }
        match apply(design, step.command) {
            Ok(inverse) => {
                to.push_back(Step {
                    command: inverse,
                    revision: *revision,
                    merge_key: None,
                    label: step.label,
                });
                *revision = step.revision;
                true
            }
            // A stored inverse always applies to the state it was made from; if it somehow
            // does not, the history is dropped rather than corrupting the design.
            Err(_) => {
                from.clear();
                to.clear();
                false
            }
        }
    }

    /// What Undo would undo ("Move", "Paste"), for the Edit menu.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|s| s.label.as_str())
    }

    /// What Redo would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.back().map(|s| s.label.as_str())
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// A number that changes with every edit and returns with undo; rule checks key on it.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A number that changes with every edit that changes more than node positions and box
    /// frames (and never returns): while it stays the same, the scene follows the moves instead of being
    /// built again.
    pub fn structure(&self) -> u64 {
        self.structure
    }

    /// Whether the design differs from what was last saved or loaded.
    pub fn is_modified(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_revision = Some(self.revision);
        self.sealed = true;
    }

    /// Records that nothing on disk matches (a design opened from a template).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::gid;
    use crate::model::{Frame, Group, GroupKind, Pos};

    /// How many primitive commands a command holds, batches opened.
    fn size(c: &EditCommand) -> usize {
        match c {
            EditCommand::Batch(items) => items.iter().map(size).sum(),
            _ => 1,
        }
    }

    #[test]
    fn dragging_a_box_by_its_frame_keeps_one_small_undo_step() {
        let mut d = Design::default();
        let mut g = Group::new(gid("box"), GroupKind::Generic);
        g.frame = Some(Frame::new(Pos::new(0.0, 0.0), 300.0, 200.0));
        d.push_group(g).unwrap();
        let start = d.clone();
        let mut h = History::default();
        let structure = h.structure();
        for step in 1..=100 {
            let moved = Frame::new(Pos::new(step as f32, 0.0), 300.0, 200.0);
            let frame = EditCommand::SetGroupFrame {
                id: gid("box"),
                frame: Some(moved),
            };
            h.apply(&mut d, EditCommand::Batch(vec![frame]), Some("drag box"))
                .unwrap();
        }
        assert_eq!(h.undo.len(), 1, "one step for the whole drag");
        assert_eq!(
            h.structure(),
            structure,
            "the scene follows a frame's move instead of being built again"
        );
        assert_eq!(
            size(&h.undo[0].command),
            1,
            "the first frame's inverse alone"
        );
        assert!(h.undo(&mut d));
        assert_eq!(d, start);
    }
}
