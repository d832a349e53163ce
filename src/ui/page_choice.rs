//! File > Import of a draw.io file with several pages: the person picks the page, seeing each
//! page's name and what it holds, as draw.io's own page tabs would show them.

use std::path::PathBuf;

/// A draw.io file waiting for its page to be picked, its pages already read.
pub struct PageChoice {
    pub path: PathBuf,
    pub pages: Vec<crate::drawio::Page>,
}

/// What the person did with the choice this frame.
pub enum Answer {
    Page(usize),
    Cancel,
}

impl PageChoice {
    /// The choice among the pages of a draw.io file, read.
    pub fn new(path: PathBuf, pages: Vec<crate::drawio::Page>) -> Self {
        Self { path, pages }
    }

    /// Shows the choice as a modal; `Some` once a page is picked or the choice cancelled.
    pub fn show(&self, ctx: &egui::Context) -> Option<Answer> {
        let mut answer = None;
        let name = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        egui::Modal::new(egui::Id::unique("drawio_page_choice")).show(ctx, |ui| {
            ui.heading("Which page?");
            ui.label(format!("\"{name}\" has {} pages.", self.pages.len()));
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (i, page) in self.pages.iter().enumerate() {
                        let aws = page.aws_shapes > 0;
                        let text = format!("{}. {}", i + 1, page.name);
                        if ui.add_enabled(aws, egui::Button::new(text)).clicked() {
                            answer = Some(Answer::Page(i + 1));
                        }
                        let summary = page.summary();
                        let what = summary
                            .split_once(": ")
                            .map_or(summary.as_str(), |(_, w)| w);
                        ui.weak(if aws {
                            what.to_string()
                        } else {
                            format!("{what}; no AWS shapes")
                        });
                        ui.add_space(4.0);
                    }
                });
            ui.add_space(6.0);
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                answer = Some(Answer::Cancel);
            }
        });
        answer
    }
}
