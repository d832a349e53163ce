//! What a frame of UI code asks of the model: commands to apply after the frame, and
//! view changes that go with them.

use std::collections::BTreeSet;

use crate::edit::EditCommand;
use crate::model::ElementRef;

/// One queued request to the history.
pub enum Queued {
    /// A command, with an optional merge key (a drag, a typing burst).
    Command(EditCommand, Option<String>),
    /// A quick fix, built from findings of the design as it was at `made_for` (generation,
    /// revision): applied only if the design is still in that state, as a change stamped
    /// with the document it was made for. Findings of a big design come from a worker and
    /// can lag behind the edits; a fix built against an older state could name an element
    /// that has since become another.
    Fix {
        command: EditCommand,
        made_for: (u64, u64),
    },
    /// Ends the current merge burst.
    Seal,
}

/// Requests collected during one frame; the app applies them, in order, after the frame.
#[derive(Default)]
pub struct Edits {
    pub queue: Vec<Queued>,
    /// The selection to show once the commands are applied.
    pub select: Option<BTreeSet<ElementRef>>,
    /// Whether to bring that selection into view (a quick fix that adds a service).
    pub reveal: bool,
    /// The state (generation, revision) the findings shown this frame were made for: what a
    /// quick fix is stamped with.
    pub findings_made_for: (u64, u64),
}

impl Edits {
    /// Queues a command as its own undo step.
    pub fn push(&mut self, command: EditCommand) {
        self.queue.push(Queued::Command(command, None));
    }

    /// Queues a command that merges with earlier ones under the same key.
    pub fn push_merged(&mut self, command: EditCommand, key: &str) {
        self.queue
            .push(Queued::Command(command, Some(key.to_string())));
    }

    /// Applies a quick fix: one step; what it adds is selected and brought into view. It is
    /// stamped with the state its findings were made for, and refused in any other.
    pub fn push_fix(&mut self, command: EditCommand) {
        let added = command.inserted_nodes();
        self.queue.push(Queued::Fix {
            command,
            made_for: self.findings_made_for,
        });
        if !added.is_empty() {
            self.select = Some(added.into_iter().map(ElementRef::Node).collect());
            self.reveal = true;
        }
    }

    /// Ends the current burst, so the next keyed command starts a new undo step.
    pub fn seal(&mut self) {
        self.queue.push(Queued::Seal);
    }
}
