//! The inspector's fields of a box: its label, kind, frame (position and size) and the
//! properties its kind declares.

use super::*;

pub(super) fn group_fields(
    ui: &mut egui::Ui,
    design: &Design,
    id: &GroupId,
    drawn: Option<Rect>,
    edits: &mut Edits,
) {
    let Some(group) = design.group(id) else {
        return;
    };
    ui.heading(group.kind.display_name());
    ui.label(
        RichText::new(format!("id: {}", group.id))
            .monospace()
            .color(Color32::GRAY),
    );
    ui.add_space(6.0);
    let target = || Target::Group(id.clone());
    text_row(
        ui,
        "Label",
        &group.label,
        format!("group:{id}:label"),
        edits,
        target(),
        Field::Label,
    );
    let caption = ui.label(RichText::new("Kind").strong());
    if let Some(kind) = kind_choice(
        ui,
        &caption,
        ("group-kind", id),
        group.kind,
        &GroupKind::ALL,
        GroupKind::display_name,
    ) {
        edits.push(EditCommand::SetGroupKind {
            id: id.clone(),
            kind,
        });
    }
    ui.add_space(6.0);
    frame_rows(ui, id, group.frame, drawn, edits);
    ui.add_space(6.0);
    let declared: Vec<PropSpec> = group_props(group.kind)
        .iter()
        .map(|(name, kind)| PropSpec {
            name: (*name).into(),
            kind: kind.clone(),
            default: None,
        })
        .collect();
    for spec in &declared {
        prop_row(
            ui,
            spec,
            &group.props,
            format!("group:{id}:prop:{}", spec.name),
            edits,
            target(),
        );
    }
    extra_props(
        ui,
        &declared,
        &group.props,
        &format!("group:{id}"),
        edits,
        target(),
    );
    ui.label(
        RichText::new(format!("{} elements inside", group.children.len())).color(Color32::GRAY),
    );
}

/// The properties a group kind declares: the scope it names, and a size of its own.
pub(super) fn group_props(kind: GroupKind) -> Vec<(&'static str, PropKind)> {
    let mut out = Vec::new();
    match kind {
        GroupKind::Region => out.push(("region", PropKind::Text)),
        GroupKind::AvailabilityZone | GroupKind::PublicSubnet | GroupKind::PrivateSubnet => {
            out.push(("az", PropKind::Text))
        }
        GroupKind::Vpc => out.push(("custom", PropKind::Bool)),
        _ => {}
    }
    out
}

/// A group's own size: four numbers when it has one (edited as one undo step per drag), a
/// button to keep the size it is drawn at when it wraps its contents, and one to go back.
pub(super) fn frame_rows(
    ui: &mut egui::Ui,
    id: &GroupId,
    frame: Option<Frame>,
    drawn: Option<Rect>,
    edits: &mut Edits,
) {
    let caption = ui.label(RichText::new("Size").strong());
    let set = |edits: &mut Edits, frame: Option<Frame>| {
        edits.push(EditCommand::SetGroupFrame {
            id: id.clone(),
            frame,
        })
    };
    let Some(frame) = frame else {
        ui.label(RichText::new("Wraps what it holds.").color(Color32::GRAY));
        if let Some(rect) = drawn
            && ui
                .button("Keep this size")
                .on_hover_text("Give the box a size of its own, saved in the file")
                .clicked()
        {
            // Whole units: the numbers go into the file and the inspector.
            let at = crate::model::Pos::new(rect.min.x.round(), rect.min.y.round());
            set(
                edits,
                Some(Frame::new(at, rect.width().round(), rect.height().round())),
            );
        }
        return;
    };
    let mut values = frame.values();
    let mut changed = false;
    egui::Grid::new(("group-frame", id))
        .num_columns(4)
        .show(ui, |ui| {
            for (i, name) in Frame::PROPS.into_iter().enumerate() {
                ui.label(name);
                let range = if i < 2 {
                    f32::MIN..=f32::MAX
                } else {
                    40.0..=f32::MAX
                };
                changed |= ui
                    .add(egui::DragValue::new(&mut values[i]).range(range))
                    .labelled_by(caption.id)
                    .changed();
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    if changed {
        let [x, y, width, height] = values;
        edits.push_merged(
            EditCommand::SetGroupFrame {
                id: id.clone(),
                frame: Some(Frame {
                    x,
                    y,
                    width,
                    height,
                }),
            },
            &format!("group:{id}:frame"),
        );
    }
    if ui
        .button("Fit contents")
        .on_hover_text("Forget the size and wrap what the box holds")
        .clicked()
    {
        set(edits, None);
    }
}
