//! The findings panel: every finding grouped by severity, a detail view with the notes'
//! quote, a Fix button and "Ignore here"; and the per-element summary badges and the
//! inspector read.

use std::collections::{BTreeSet, HashMap};

use egui::{Color32, RichText};

use super::edits::Edits;
use super::theme::rgb;
use crate::edit::EditCommand;
use crate::model::{Design, ElementRef, Suppression};
use crate::rules::reference::ReferenceSet;
use crate::rules::{Finding, Severity};

/// The panel's own state.
#[derive(Default)]
pub struct FindingsState {
    /// The finding shown in detail, by rule and first element (indices shift as findings change).
    pub selected: Option<(String, Option<ElementRef>, String)>,
    pub show_ignored: bool,
    /// "Ignore here" waiting for its reason.
    pub ignoring: Option<(String, Option<crate::model::ElementId>, String)>,
    pub open: bool,
}

impl FindingsState {
    /// A fresh panel, open.
    pub fn new() -> Self {
        Self {
            open: true,
            ..Self::default()
        }
    }
}

fn key(f: &Finding) -> (String, Option<ElementRef>, String) {
    (
        f.rule.clone(),
        f.elements.first().cloned(),
        f.message.clone(),
    )
}

/// Counts of unsuppressed findings by severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let active = findings.iter().filter(|f| !f.suppressed);
    let mut c = (0, 0, 0);
    for f in active {
        match f.severity {
            Severity::Error => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Info => c.2 += 1,
        }
    }
    c
}

/// The status-bar summary, e.g. "2 errors · 1 warning · 3 infos".
pub fn summary(findings: &[Finding]) -> String {
    let (e, w, i) = counts(findings);
    let p = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!("{} · {} · {}", p(e, "error"), p(w, "warning"), p(i, "info"))
}

/// The findings of a design and, for each element, the ones that wear its badge (worst
/// first): built once per change, read by the canvas and the inspector every frame.
#[derive(Default)]
pub struct FindingsView {
    /// The state (generation, revision) of the design these findings are of.
    pub made_for: (u64, u64),
    all: Vec<Finding>,
    by_element: HashMap<ElementRef, Vec<usize>>,
}

impl FindingsView {
    /// Indexes findings by the elements they badge.
    pub fn new(all: Vec<Finding>, made_for: (u64, u64)) -> Self {
        let mut by_element: HashMap<ElementRef, Vec<usize>> = HashMap::new();
        for (i, f) in all.iter().enumerate().filter(|(_, f)| f.badged()) {
            for e in &f.elements {
                by_element.entry(e.clone()).or_default().push(i);
            }
        }
        for v in by_element.values_mut() {
            v.sort_by_key(|&i| all[i].severity);
        }
        Self {
            made_for,
            all,
            by_element,
        }
    }

    /// The badged findings on an element, worst first.
    pub fn on(&self, element: &ElementRef) -> Vec<&Finding> {
        self.by_element
            .get(element)
            .map_or_else(Vec::new, |v| v.iter().map(|&i| &self.all[i]).collect())
    }

    /// Whether any element wears a badge.
    pub fn has_badges(&self) -> bool {
        !self.by_element.is_empty()
    }
}

impl std::ops::Deref for FindingsView {
    type Target = [Finding];

    fn deref(&self) -> &[Finding] {
        &self.all
    }
}

/// A coloured dot for a severity.
pub fn dot(ui: &mut egui::Ui, severity: Severity) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter()
        .circle_filled(rect.center(), 5.0, rgb(severity.color()));
}

/// What the panel asks of the app.
#[derive(Default)]
pub struct PanelOutcome {
    /// Select these elements and bring them into view.
    pub focus: Option<Vec<ElementRef>>,
    /// Show this reference beside the design, for the pipeline holding these elements.
    pub show_reference: Option<(String, Vec<ElementRef>)>,
}

/// Draws the panel body.
pub fn show(
    ui: &mut egui::Ui,
    state: &mut FindingsState,
    findings: &[Finding],
    design: &Design,
    references: &ReferenceSet,
    edits: &mut Edits,
) -> PanelOutcome {
    let mut outcome = PanelOutcome::default();
    let is_reference = |f: &Finding| f.pipeline;
    ui.horizontal(|ui| {
        ui.label(RichText::new("Findings").strong());
        ui.label(RichText::new(summary(findings)).color(Color32::GRAY));
        let ignored = findings.iter().filter(|f| f.suppressed).count();
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.checkbox(&mut state.show_ignored, format!("Show ignored ({ignored})"));
        });
    });
    // Which references the pipelines follow, at a glance: each once, with how many
    // pipelines follow it and the worst news about them.
    let mut follows: Vec<(&Finding, usize, Severity)> = Vec::new();
    for f in findings.iter().filter(|f| is_reference(f) && !f.suppressed) {
        match follows
            .iter_mut()
            .find(|(first, _, _)| first.rule == f.rule)
        {
            Some((_, count, worst)) => {
                *count += 1;
                *worst = (*worst).min(f.severity);
            }
            None => follows.push((f, 1, f.severity)),
        }
    }
    if !follows.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Pipelines follow:").color(Color32::GRAY));
            for (f, count, worst) in follows {
                let name = references
                    .references()
                    .iter()
                    .find(|r| r.id == f.rule)
                    .map_or(f.rule.clone(), |r| format!("{} {}", r.id, r.name));
                let name = if count > 1 {
                    format!("{name} (\u{d7}{count})")
                } else {
                    name
                };
                dot(ui, worst);
                if ui
                    .link(name)
                    .on_hover_text("Show the reference beside the design")
                    .clicked()
                {
                    outcome.show_reference = Some((f.rule.clone(), f.elements.clone()));
                }
            }
        });
    }
    ui.separator();
    let selected = state
        .selected
        .clone()
        .and_then(|k| findings.iter().find(|f| key(f) == k));
    // Errors first, then warnings, then infos; only the rows on screen are laid out, so a
    // design with thousands of findings costs the panel no more than one with ten.
    let show_ignored = state.show_ignored;
    let rows: Vec<&Finding> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .flat_map(|severity| {
            findings
                .iter()
                .filter(move |f| f.severity == severity && (!f.suppressed || show_ignored))
        })
        .collect();
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        if rows.is_empty() {
            ui.label(
                RichText::new("No findings: the design agrees with the notes.")
                    .color(Color32::GRAY),
            );
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt("findings-list")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for f in &rows[range] {
                    let is_selected = selected.is_some_and(|s| key(s) == key(f));
                    let resp = ui
                        .horizontal(|ui| {
                            dot(ui, f.severity);
                            ui.label(RichText::new(&f.rule).monospace());
                            let mut text = if f.suppressed {
                                RichText::new(&f.message)
                                    .strikethrough()
                                    .color(Color32::GRAY)
                            } else {
                                RichText::new(&f.message)
                            };
                            if is_selected {
                                text = text.background_color(ui.visuals().selection.bg_fill);
                            }
                            ui.add(
                                egui::Label::new(text)
                                    .truncate()
                                    .sense(egui::Sense::click()),
                            )
                        })
                        .inner;
                    if resp.clicked() {
                        state.selected = Some(key(f));
                        outcome.focus = Some(f.elements.clone());
                    }
                }
            });
        let ui = &mut cols[1];
        match selected {
            None => {
                ui.label(
                    RichText::new("Click a finding to see what the notes say and how to fix it.")
                        .color(Color32::GRAY),
                );
            }
            Some(f) => {
                detail(ui, state, f, design, edits);
                if is_reference(f) && ui.button("Show reference").clicked() {
                    outcome.show_reference = Some((f.rule.clone(), f.elements.clone()));
                }
            }
        }
    });
    outcome
}

fn detail(
    ui: &mut egui::Ui,
    state: &mut FindingsState,
    f: &Finding,
    design: &Design,
    edits: &mut Edits,
) {
    ui.horizontal(|ui| {
        dot(ui, f.severity);
        ui.label(RichText::new(format!("{} {}", f.rule, f.severity.name())).strong());
    });
    ui.label(&f.message);
    ui.add_space(4.0);
    ui.label(RichText::new(format!("\u{201c}{}\u{201d}", f.quote)).italics());
    ui.label(
        RichText::new(crate::rules::notes::cite(&f.source))
            .small()
            .color(Color32::GRAY),
    );
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if let Some(fix) = &f.fix
            && ui.button(format!("Fix: {}", fix.title)).clicked()
        {
            edits.push_fix(fix.command.clone());
            state.selected = None;
        }
        if f.suppressed {
            if ui.button("Stop ignoring").clicked() {
                let target = target_of(f);
                let mut steps = Vec::new();
                for (i, s) in design.suppressions.iter().enumerate().rev() {
                    if s.rule == f.rule && (s.target.is_none() || s.target == target) {
                        steps.push(EditCommand::RemoveSuppression { index: i });
                    }
                }
                edits.push(EditCommand::Batch(steps));
            }
        } else if state.ignoring.is_none() && ui.button("Ignore here...").clicked() {
            state.ignoring = Some((f.rule.clone(), target_of(f), String::new()));
        }
    });
    if let Some((rule, target, reason)) = state.ignoring.as_mut() {
        ui.add_space(4.0);
        let caption = ui.label("Why is this acceptable here?");
        ui.add(egui::TextEdit::singleline(reason).hint_text("reason, kept in the file"))
            .labelled_by(caption.id);
        let mut done = false;
        ui.horizontal(|ui| {
            let target_text = target
                .clone()
                .map_or("the whole design".to_string(), |t| format!("\"{t}\""));
            if ui
                .add_enabled(
                    !reason.trim().is_empty(),
                    egui::Button::new(format!("Ignore {rule} for {target_text}")),
                )
                .clicked()
            {
                edits.push(EditCommand::InsertSuppression {
                    index: design.suppressions.len(),
                    suppression: Suppression {
                        rule: rule.clone(),
                        target: target.clone(),
                        reason: reason.trim().to_string(),
                    },
                });
                done = true;
            }
            if ui.button("Cancel").clicked() {
                done = true;
            }
        });
        if done {
            state.ignoring = None;
        }
    }
}

/// What "Ignore here" suppresses: the finding's first node or group, or the design.
fn target_of(f: &Finding) -> Option<crate::model::ElementId> {
    f.elements.iter().find_map(ElementRef::element_id)
}

/// The selected element's findings, for the inspector.
pub fn inspector_list(ui: &mut egui::Ui, findings: &[&Finding], edits: &mut Edits) {
    if findings.is_empty() {
        return;
    }
    ui.separator();
    ui.label(RichText::new("Findings").strong());
    for f in findings {
        ui.horizontal_wrapped(|ui| {
            dot(ui, f.severity);
            ui.label(RichText::new(&f.rule).monospace());
            ui.label(&f.message);
        });
        if let Some(fix) = &f.fix
            && ui.small_button(format!("Fix: {}", fix.title)).clicked()
        {
            edits.push_fix(fix.command.clone());
        }
    }
}

/// The elements of a selection set, for code that wants them as a set.
pub fn as_set(elements: &[ElementRef]) -> BTreeSet<ElementRef> {
    elements.iter().cloned().collect()
}
