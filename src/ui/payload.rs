//! What is dragged from the palette onto the canvas. Its own module, so the palette (which
//! starts the drag) and the canvas (which takes the drop) need not know each other.

use crate::model::GroupKind;

/// What is being dragged out of the palette.
#[derive(Clone, Debug, PartialEq)]
pub enum PaletteDrop {
    Service(String),
    Group(GroupKind),
}
