//! What an edit does, in a word or two, for the Edit menu ("Undo Move", "Redo Paste").

use super::{EditCommand, Field};
use crate::catalog::catalog;

/// A short name for what `command` does, read from the command a person made (not its inverse).
pub fn describe(command: &EditCommand) -> String {
    let mut parts = Vec::new();
    flatten(command, &mut parts);
    let has = |f: fn(&EditCommand) -> bool| parts.iter().any(|c| f(c));
    if has(|c| {
        matches!(
            c,
            EditCommand::RemoveNode { .. }
                | EditCommand::RemoveGroup { .. }
                | EditCommand::RemoveEdge { .. }
        )
    }) {
        return "Delete".into();
    }
    let added: Vec<&str> = parts
        .iter()
        .filter_map(|c| match c {
            EditCommand::InsertNode { node, .. } => Some(node.service.as_str()),
            _ => None,
        })
        .collect();
    let boxes = parts
        .iter()
        .filter(|c| matches!(c, EditCommand::InsertGroup { .. }))
        .count();
    match (added.as_slice(), boxes) {
        ([], 0) => {}
        ([service], 0) => return format!("Add {}", catalog().display_name(service)),
        ([], 1) => return "Add box".into(),
        _ => return "Paste".into(),
    }
    match parts.first() {
        Some(EditCommand::InsertEdge { .. }) => "Connect".into(),
        Some(EditCommand::SetPositions(_) | EditCommand::SetGroupFrame { .. }) => {
            if has(|c| matches!(c, EditCommand::SetPositions(_))) {
                "Move".into()
            } else {
                "Resize box".into()
            }
        }
        Some(EditCommand::SetParent { .. }) => "Move into box".into(),
        Some(EditCommand::SetField { field, .. }) => match field {
            Field::Title => "Rename design".into(),
            Field::Description => "Edit description".into(),
            Field::Label => "Rename".into(),
            Field::Note => "Edit note".into(),
            Field::Service => "Change service".into(),
            Field::Prop(name) => format!("Set {name}"),
        },
        Some(EditCommand::SetRoute { .. }) => "Shape connection".into(),
        Some(EditCommand::SetEdgeKind { .. }) => "Change connection kind".into(),
        Some(EditCommand::SetGroupKind { .. }) => "Change box kind".into(),
        Some(EditCommand::SetEdgeStyle(_)) => "Change connection style".into(),
        Some(EditCommand::InsertSuppression { .. }) => "Ignore finding".into(),
        Some(EditCommand::RemoveSuppression { .. }) => "Stop ignoring".into(),
        _ => "Edit".into(),
    }
}

/// The primitive commands of a batch, in order.
fn flatten<'a>(command: &'a EditCommand, out: &mut Vec<&'a EditCommand>) {
    match command {
        EditCommand::Batch(items) => items.iter().for_each(|c| flatten(c, out)),
        other => out.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::model::nid;
    use crate::model::{Design, ElementRef, GroupKind, Pos};

    #[test]
    fn common_edits_read_as_a_person_would_name_them() {
        let mut d = Design::default();
        let (add, _) = ops::add_node(&d, "s3", Pos::default(), None);
        assert_eq!(describe(&add), "Add Amazon S3");
        crate::edit::apply(&mut d, add).unwrap();
        let (add, _) = ops::add_node(&d, "athena", Pos::new(300.0, 0.0), None);
        crate::edit::apply(&mut d, add).unwrap();
        let connect = ops::connect(&d, &nid("s3").into(), &nid("athena").into()).unwrap();
        assert_eq!(describe(&connect), "Connect");
        let s3 = ElementRef::Node(nid("s3"));
        let moved = ops::move_elements(&d, std::slice::from_ref(&s3), 10.0, 0.0).unwrap();
        assert_eq!(describe(&moved), "Move");
        assert_eq!(describe(&ops::delete(&d, &[s3]).unwrap()), "Delete");
        let (group, _) = ops::group_selection(&d, &[nid("s3").into()], GroupKind::Vpc).unwrap();
        assert_eq!(describe(&group), "Add box");
    }
}
