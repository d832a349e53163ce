//! The inspector: edits the selected element's fields and shows what the notes say of it.

mod groups;

use egui::{Color32, RichText};

use super::canvas::CanvasState;
use super::edits::Edits;
use crate::catalog::{PropKind, PropSpec, catalog};
use crate::edit::{EditCommand, Field, Target};
use crate::model::{
    Design, EdgeId, EdgeKind, EdgeStyle, ElementRef, Frame, GroupId, GroupKind, NodeId, Props, Rect,
};
use crate::rules::notes::{cite_inline, titles};
use crate::scene::Scene;
use groups::group_fields;

/// Draws the inspector for the current selection.
pub fn show(
    ui: &mut egui::Ui,
    design: &Design,
    scene: Option<&Scene>,
    canvas: &CanvasState,
    findings: &super::findings::FindingsView,
    edits: &mut Edits,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(4.0);
            if let [only] = canvas.selection.iter().collect::<Vec<_>>().as_slice() {
                let list = findings.on(only);
                if !list.is_empty() {
                    super::findings::inspector_list(ui, &list, edits);
                    ui.separator();
                }
            }
            match canvas.selection.iter().collect::<Vec<_>>().as_slice() {
                [] => design_fields(ui, design, edits),
                [ElementRef::Node(id)] => node_fields(ui, design, id, edits),
                [ElementRef::Edge(id)] => edge_fields(ui, design, *id, edits),
                [ElementRef::Group(id)] => {
                    let drawn = scene.and_then(|s| {
                        s.groups
                            .iter()
                            .find(|g| design.groups().get(g.index).is_some_and(|d| d.id == *id))
                            .map(|g| g.rect)
                    });
                    group_fields(ui, design, id, drawn, edits)
                }
                many => {
                    ui.heading(format!("{} selected", many.len()));
                    ui.label(
                        "Drag to move them together, Ctrl+G to group them, Delete to remove them.",
                    );
                }
            }
        });
}

fn set(edits: &mut Edits, target: Target, field: Field, value: Option<String>, key: String) {
    edits.push_merged(
        EditCommand::SetField {
            target,
            field,
            value,
        },
        &key,
    );
}

/// A single-line text field whose edits merge into one undo step per burst of typing.
fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &str,
    key: String,
    edits: &mut Edits,
    target: Target,
    field: Field,
) {
    text_field(ui, label, value, key, edits, target, field, false);
}

/// A three-line text field (descriptions, notes), edited the same way.
fn multiline_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &str,
    key: String,
    edits: &mut Edits,
    target: Target,
    field: Field,
) {
    text_field(ui, label, value, key, edits, target, field, true);
}

#[allow(clippy::too_many_arguments)]
fn text_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &str,
    key: String,
    edits: &mut Edits,
    target: Target,
    field: Field,
    multiline: bool,
) {
    let caption = ui.label(RichText::new(label).strong());
    // Text too long to lay out every frame is shown cut, not edited here (a text of no more
    // bytes than the limit has no more characters either, and is not counted).
    if value.len() > crate::limits::MAX_SHOWN_LABEL_CHARS
        && let std::borrow::Cow::Owned(cut) = crate::limits::shown(value)
    {
        ui.label(cut).labelled_by(caption.id);
        ui.label(
            RichText::new(format!(
                "{} characters: too long to edit here; edit the design file",
                value.chars().count()
            ))
            .color(egui::Color32::GRAY),
        );
        return;
    }
    let mut text = value.to_string();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut text).desired_rows(3)
    } else {
        egui::TextEdit::singleline(&mut text)
    };
    let resp = ui
        .add(edit.desired_width(f32::INFINITY).id_salt(&key))
        .labelled_by(caption.id);
    if resp.changed() {
        // An emptied property is removed rather than kept as "".
        let v = if text.is_empty() && matches!(field, Field::Prop(_)) {
            None
        } else {
            Some(text)
        };
        set(edits, target, field, v, key);
    }
    if resp.lost_focus() {
        edits.seal();
    }
    ui.add_space(4.0);
}

fn design_fields(ui: &mut egui::Ui, design: &Design, edits: &mut Edits) {
    ui.heading("Design");
    ui.add_space(4.0);
    text_row(
        ui,
        "Title",
        &design.title,
        "design:title".into(),
        edits,
        Target::Design,
        Field::Title,
    );
    multiline_row(
        ui,
        "Description",
        &design.description,
        "design:description".into(),
        edits,
        Target::Design,
        Field::Description,
    );
    ui.add_space(6.0);
    let caption = ui.label(RichText::new("Connections are drawn").strong());
    if let Some(style) = kind_choice(
        ui,
        &caption,
        "design-edge-style",
        design.edge_style,
        &EdgeStyle::ALL,
        EdgeStyle::name,
    ) {
        edits.push(EditCommand::SetEdgeStyle(style));
    }
    ui.separator();
    ui.label(summary(design, ", "));
    ui.label(RichText::new("Select an element to edit it.").color(Color32::GRAY));
}

fn node_fields(ui: &mut egui::Ui, design: &Design, id: &NodeId, edits: &mut Edits) {
    let Some(node) = design.node(id) else { return };
    let cat = catalog();
    let service = cat.service(&node.service);
    ui.heading(cat.display_name(&node.service));
    ui.label(
        RichText::new(format!("id: {}", node.id))
            .monospace()
            .color(Color32::GRAY),
    );
    if service.is_none() {
        ui.colored_label(
            Color32::from_rgb(0xDD, 0x34, 0x4C),
            format!("Unknown service \"{}\": it is kept as it is.", node.service),
        );
    }
    ui.add_space(6.0);
    let target = || Target::Node(id.clone());
    text_row(
        ui,
        "Label",
        &node.label,
        format!("node:{id}:label"),
        edits,
        target(),
        Field::Label,
    );

    ui.label(RichText::new("Service").strong());
    let mut chosen = node.service.clone();
    egui::ComboBox::from_id_salt(("service", id))
        .selected_text(cat.display_name(&node.service))
        .width(ui.available_width() - 8.0)
        .height(400.0)
        .show_ui(ui, |ui| {
            for c in &cat.categories {
                ui.label(RichText::new(&c.name).small().color(Color32::GRAY));
                for s in cat.services_in(&c.id) {
                    ui.selectable_value(&mut chosen, s.id.clone(), &s.name);
                }
            }
        });
    if chosen != node.service {
        edits.push(EditCommand::SetField {
            target: target(),
            field: Field::Service,
            value: Some(chosen),
        });
    }
    ui.add_space(6.0);

    if let Some(s) = service
        && !s.props.is_empty()
    {
        ui.separator();
        ui.label(RichText::new("Properties").strong());
        ui.add_space(2.0);
        for spec in &s.props {
            prop_row(
                ui,
                spec,
                &node.props,
                format!("node:{id}:prop:{}", spec.name),
                edits,
                target(),
            );
        }
    }
    extra_props(
        ui,
        service.map(|s| s.props.as_slice()).unwrap_or(&[]),
        &node.props,
        &format!("node:{id}"),
        edits,
        target(),
    );
    multiline_row(
        ui,
        "Note",
        &node.note,
        format!("node:{id}:note"),
        edits,
        target(),
        Field::Note,
    );

    if let Some(s) = service {
        ui.separator();
        if s.files.is_empty() {
            ui.label(RichText::new("Not in the notes").strong());
            ui.label(&s.description);
            ui.label(
                RichText::new("Drawn and grouped; no rule reasons about it.")
                    .small()
                    .color(Color32::GRAY),
            );
        } else {
            ui.label(RichText::new("From the notes").strong());
            ui.label(cite_inline(&s.description));
        }
        for u in &s.uses {
            ui.label(format!("• {}", cite_inline(u)));
        }
        for f in &s.facts {
            ui.label(RichText::new(format!("• {}", cite_inline(f))).color(Color32::from_gray(70)));
        }
        if !s.files.is_empty() {
            ui.label(
                RichText::new(format!("Mentioned in: {}", titles(&s.files)))
                    .small()
                    .color(Color32::GRAY),
            );
        }
    }
}

/// A declared property with the widget its type asks for.
fn prop_row(
    ui: &mut egui::Ui,
    spec: &PropSpec,
    props: &Props,
    key: String,
    edits: &mut Edits,
    target: Target,
) {
    let current = props.get(&spec.name).cloned();
    let field = Field::Prop(spec.name.clone());
    match &spec.kind {
        PropKind::Bool => {
            let mut on = current.as_deref() == Some("true");
            if ui.checkbox(&mut on, &spec.name).changed() {
                edits.push(EditCommand::SetField {
                    target,
                    field,
                    value: Some(on.to_string()),
                });
            }
        }
        PropKind::Enum(values) => {
            ui.horizontal(|ui| {
                ui.label(&spec.name);
                let shown = current.clone().unwrap_or_else(|| match &spec.default {
                    Some(d) => format!("({d})"),
                    None => "(unset)".into(),
                });
                let mut chosen = current.clone();
                egui::ComboBox::from_id_salt(&key)
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut chosen, None, "(unset)");
                        for v in values {
                            ui.selectable_value(&mut chosen, Some(v.clone()), v);
                        }
                    });
                if chosen != current {
                    edits.push(EditCommand::SetField {
                        target,
                        field,
                        value: chosen,
                    });
                }
            });
            if let Some(v) = current.filter(|v| !values.contains(v)) {
                ui.colored_label(
                    Color32::from_rgb(0xB2, 0x6B, 0x00),
                    format!("\"{v}\" is not one of the allowed values"),
                );
            }
        }
        PropKind::Number => {
            let text = current.clone().unwrap_or_default();
            text_row(ui, &spec.name, &text, key, edits, target, field);
            if !text.is_empty() && text.parse::<f64>().is_err() {
                ui.colored_label(Color32::from_rgb(0xB2, 0x6B, 0x00), "not a number");
            }
        }
        PropKind::Text => {
            text_row(
                ui,
                &spec.name,
                current.as_deref().unwrap_or(""),
                key,
                edits,
                target,
                field,
            );
        }
    }
}

/// Properties in the file that the catalog does not declare: shown, editable, never lost.
fn extra_props(
    ui: &mut egui::Ui,
    declared: &[PropSpec],
    props: &Props,
    key: &str,
    edits: &mut Edits,
    target: Target,
) {
    let extra: Vec<(&String, &String)> = props
        .iter()
        .filter(|(k, _)| !declared.iter().any(|d| &d.name == *k))
        .collect();
    if extra.is_empty() {
        return;
    }
    ui.label(RichText::new("Other properties").strong());
    for (k, v) in extra {
        text_row(
            ui,
            k,
            v,
            format!("{key}:prop:{k}"),
            edits,
            target.clone(),
            Field::Prop(k.clone()),
        );
    }
}

fn edge_fields(ui: &mut egui::Ui, design: &Design, id: EdgeId, edits: &mut Edits) {
    let Some(edge) = design.edge(id) else {
        return;
    };
    ui.heading("Connection");
    let name = |id: &crate::model::ElementId| {
        design
            .node(id)
            .map(|n| {
                if n.label.is_empty() {
                    catalog().display_name(&n.service).to_string()
                } else {
                    n.label.clone()
                }
            })
            .or_else(|| {
                design.group(id).map(|g| {
                    if g.label.is_empty() {
                        g.kind.display_name().to_string()
                    } else {
                        g.label.clone()
                    }
                })
            })
            .unwrap_or_else(|| id.to_string())
    };
    ui.label(format!("{} -> {}", name(&edge.from), name(&edge.to)));
    ui.add_space(6.0);
    let caption = ui.label(RichText::new("Kind").strong());
    if let Some(kind) = kind_choice(
        ui,
        &caption,
        ("edge-kind", id.0),
        edge.kind,
        &EdgeKind::ALL,
        EdgeKind::name,
    ) {
        edits.push(EditCommand::SetEdgeKind { edge: id, kind });
    }
    ui.label(
        RichText::new(edge_kind_help(edge.kind))
            .small()
            .color(Color32::GRAY),
    );
    ui.add_space(6.0);
    let caption = ui.label(RichText::new("Drawn").strong());
    let follow = format!("as the design ({})", design.edge_style.name());
    let mut style = edge.style;
    egui::ComboBox::from_id_salt(("edge-style", id.0))
        .selected_text(style.map_or(follow.clone(), |s| s.name().to_string()))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut style, None, follow);
            for s in EdgeStyle::ALL {
                ui.selectable_value(&mut style, Some(s), s.name());
            }
        })
        .response
        .labelled_by(caption.id);
    if style != edge.style {
        edits.push(EditCommand::SetRoute {
            edge: id,
            style,
            bends: Vec::new(),
        });
    }
    if !edge.bends.is_empty()
        && ui
            .button("Reset route")
            .on_hover_text("Forget the bends you placed and let archsketch route this connection")
            .clicked()
    {
        edits.push(EditCommand::SetRoute {
            edge: id,
            style: edge.style,
            bends: Vec::new(),
        });
    }
    ui.add_space(6.0);
    text_row(
        ui,
        "Label",
        &edge.label,
        format!("edge:{}:label", id.0),
        edits,
        Target::Edge(id),
        Field::Label,
    );
    extra_props(
        ui,
        &[],
        &edge.props,
        &format!("edge:{}", id.0),
        edits,
        Target::Edge(id),
    );
}

/// A drop-down over a closed set of kinds; the new choice when the person changed it.
fn kind_choice<K: Copy + PartialEq>(
    ui: &mut egui::Ui,
    caption: &egui::Response,
    salt: impl egui::AsIdSalt,
    current: K,
    all: &[K],
    name: fn(K) -> &'static str,
) -> Option<K> {
    let mut kind = current;
    egui::ComboBox::from_id_salt(salt)
        .selected_text(name(kind))
        .show_ui(ui, |ui| {
            for &k in all {
                ui.selectable_value(&mut kind, k, name(k));
            }
        })
        .response
        .labelled_by(caption.id);
    (kind != current).then_some(kind)
}

/// docs/format.md's one-line meaning of each edge kind.
pub fn edge_kind_help(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Data => "data flows from the source to the target",
        EdgeKind::Trigger => "an event in the source invokes the target",
        EdgeKind::Query => "the target queries data held in the source",
        EdgeKind::Catalog => "the target catalogues the source, or uses its catalogue",
        EdgeKind::Route => "network requests travel from the source to the target",
        EdgeKind::Push => "an image is pushed to a registry",
        EdgeKind::Pull => "a runtime pulls images from a registry",
        EdgeKind::Replicate => "the source replicates into the target",
        EdgeKind::Transition => "a lifecycle rule moves objects to the next storage class",
        EdgeKind::LogTo => "the source writes its access logs to the target",
        EdgeKind::Notify => "the source sends notifications to the target",
        EdgeKind::Monitor => "the source watches the target (no data flows)",
        EdgeKind::Attach => "a volume, firewall or interface is attached",
        EdgeKind::Mount => "a file system is mounted",
        EdgeKind::AssumeRole => "a service acts with an IAM role",
        EdgeKind::MemberOf => "membership",
        EdgeKind::Connect => "a network link",
        EdgeKind::Backup => "the source backs the target up",
    }
}

/// What a design holds, in words, parts joined by `separator`: the status bar and the
/// inspector say it alike, and count notes apart from services.
pub fn summary(design: &crate::model::Design, separator: &str) -> String {
    let notes = design.nodes().iter().filter(|n| n.is_note()).count();
    let mut parts = vec![format!("{} services", design.nodes().len() - notes)];
    if notes > 0 {
        parts.push(format!("{notes} notes"));
    }
    parts.push(format!("{} connections", design.edges().len()));
    parts.push(format!("{} groups", design.groups().len()));
    parts.join(separator)
}
