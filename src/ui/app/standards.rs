//! A team's standards for the open design: the rule pack and `references/` folder next to
//! its file, and the designs added this session with File > Use as reference.

use std::path::Path;
use std::sync::Arc;

use super::{ArchApp, Banner, error};

impl ArchApp {
    /// Reads the team standards next to the open design (a rule pack, a `references/`
    /// folder) together with the session's own references; problems show in the banner and
    /// the built-in rules go on.
    pub fn load_team_standards(&mut self) {
        let dir = self
            .doc
            .path()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let found = match &dir {
            Some(d) => crate::standards::find(d, None, None),
            None => Ok(Default::default()),
        };
        let (pack, mut own) = match found {
            Ok(parts) => parts,
            Err(problems) => {
                self.banner = Some(error(format!(
                    "The team standards next to this design cannot be used, so only the built-in rules run: {}",
                    problems.join("; ")
                )));
                (Default::default(), Vec::new())
            }
        };
        for r in &self.session_references {
            if !own.iter().any(|o| o.id == r.id) {
                own.push(r.clone());
            }
        }
        self.rule_options.team = crate::rules::team::Team::from_parts(pack, own).map(Arc::new);
        self.rules_version += 1;
    }

    pub(super) fn with_team_standards(mut self) -> Self {
        self.load_team_standards();
        self
    }

    /// Adds a design file as an own reference for the session (File > Use as reference).
    pub fn use_as_reference(&mut self, path: &Path) {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let made = crate::io::load_file(path)
            .map_err(|e| e.to_string())
            .and_then(|design| {
                crate::rules::team::reference_from_design(&design, &id, &path.display().to_string())
            });
        match made {
            Ok(reference) => {
                let text = format!(
                    "\"{}\" is now a reference architecture ({id}, {} stages): pipelines like it are matched with it",
                    reference.name,
                    reference.stages.len()
                );
                self.session_references.retain(|r| r.id != reference.id);
                self.session_references.push(reference);
                self.load_team_standards();
                self.banner = Some(Banner {
                    text,
                    is_error: false,
                });
            }
            Err(e) => {
                self.banner = Some(error(format!(
                    "{} cannot be a reference: {e}",
                    path.display()
                )))
            }
        }
    }
}
