//! The selection that went with each state of the design, so Undo and Redo bring back what
//! was selected when the step was made, as draw.io does: undoing a move selects what moved,
//! wherever the selection has wandered since.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::model::ElementRef;

/// How many states are remembered; older ones are forgotten (the history keeps 500 steps).
const KEPT: usize = 1200;

/// Selections by history revision.
#[derive(Default)]
pub struct StepSelections {
    by_revision: BTreeMap<u64, Arc<BTreeSet<ElementRef>>>,
    /// The selection recorded last: a drag records the same selection every frame, and
    /// sharing it spares a copy of 10,000 ids per frame.
    last: Arc<BTreeSet<ElementRef>>,
}

impl StepSelections {
    /// Remembers `selection` as the one that goes with `revision` (just before a change
    /// leaves it, or just after a change made it).
    pub fn record(&mut self, revision: u64, selection: &BTreeSet<ElementRef>) {
        if *self.last != *selection {
            self.last = Arc::new(selection.clone());
        }
        self.by_revision.insert(revision, self.last.clone());
        while self.by_revision.len() > KEPT {
            self.by_revision.pop_first();
        }
    }

    /// The selection that went with `revision`, if one was recorded.
    pub fn at(&self, revision: u64) -> Option<&BTreeSet<ElementRef>> {
        self.by_revision.get(&revision).map(|s| &**s)
    }

    /// Forgets everything (another design opened).
    pub fn clear(&mut self) {
        self.by_revision.clear();
    }
}
