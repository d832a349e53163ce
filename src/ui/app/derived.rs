//! What the window draws from but does not own: the scene and the findings of the design,
//! each cached by the state of the design it was made from, and the worker thread that
//! checks a big design while the person goes on editing. Nothing here draws.

use std::sync::Arc;
use std::sync::mpsc::Receiver;

use crate::rules::{CheckOptions, Finding};
use crate::scene::{self, Scene};
use crate::ui::document::Document;
use crate::ui::findings::FindingsView;

/// How long one frame may spend routing edges; what is left is drawn straight and routed in
/// the frames that follow.
const ROUTING_BUDGET: std::time::Duration = std::time::Duration::from_millis(6);

/// Designs of at least this many services are checked on a worker thread while editing.
const CHECK_IN_BACKGROUND_FROM: usize = 2_000;

/// What findings were computed for: (design generation, revision, rule settings version).
type FindingsKey = (u64, u64, u64);

/// Which state of which design a scene was drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SceneKey {
    generation: u64,
    revision: u64,
    /// [`crate::edit::History::structure`]: equal keys but for the revision mean only
    /// nodes moved in between.
    structure: u64,
}

/// The scene and findings of the open design, and a check under way.
#[derive(Default)]
pub struct Derived {
    scene: Option<(SceneKey, Arc<Scene>)>,
    findings: Option<(FindingsKey, Arc<FindingsView>)>,
    /// A check running on a worker thread, and the design state it checks.
    findings_job: Option<(FindingsKey, Receiver<Vec<Finding>>)>,
}

impl Derived {
    /// The findings of `doc` under `options` (whose settings are at `rules_version`), cached
    /// until either changes. A big design is checked on a worker thread: while a check runs
    /// (every frame of a drag would otherwise wait for one), this gives the last findings it
    /// has, and the new ones replace them when they are ready. A small design is checked at
    /// once.
    pub fn findings(
        &mut self,
        doc: &Document,
        options: &CheckOptions,
        rules_version: u64,
    ) -> Arc<FindingsView> {
        let key = (doc.generation(), doc.history().revision(), rules_version);
        if let Some((job_key, receiver)) = &self.findings_job
            && let Ok(found) = receiver.try_recv()
        {
            let made_for = (job_key.0, job_key.1);
            self.findings = Some((*job_key, Arc::new(FindingsView::new(found, made_for))));
            self.findings_job = None;
        }
        if let Some((k, view)) = &self.findings
            && *k == key
        {
            return view.clone();
        }
        let big = doc.design().nodes().len() >= CHECK_IN_BACKGROUND_FROM;
        let same_design = self.findings.as_ref().is_some_and(|(k, _)| k.0 == key.0);
        if big && same_design {
            if self.findings_job.is_none() {
                let design = doc.design().clone();
                let options = options.clone();
                let (send, receive) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    // The window may be gone by then; nothing is lost if no one hears.
                    let _ = send.send(crate::rules::check_with(&design, &options));
                });
                self.findings_job = Some((key, receive));
            }
            if let Some((_, view)) = &self.findings {
                return view.clone();
            }
        }
        let view = Arc::new(FindingsView::new(
            crate::rules::check_with(doc.design(), options),
            (key.0, key.1),
        ));
        self.findings = Some((key, view.clone()));
        view
    }

    /// Whether a check is running on the worker: the window keeps drawing until it is in.
    pub fn checking(&self) -> bool {
        self.findings_job.is_some()
    }

    /// The scene of `doc`, rebuilt only when the design changed (or routing had not
    /// finished): from the last scene, so only what moved is routed again, within a frame's
    /// time budget. When only nodes moved since the last scene, it follows the moves instead
    /// (see [`scene::follow_moves`]), and its routes are settled once no `gesture` is under
    /// way ([`scene::settle`]).
    pub fn scene(&mut self, doc: &Document, gesture: bool) -> Arc<Scene> {
        let history = doc.history();
        let key = SceneKey {
            generation: doc.generation(),
            revision: history.revision(),
            structure: history.structure(),
        };
        if let Some((k, s)) = &self.scene
            && *k == key
            && !s.pending
            && (gesture || !s.provisional)
        {
            return s.clone();
        }
        let previous = self
            .scene
            .take()
            .filter(|(k, _)| k.generation == key.generation);
        let design = doc.design();
        let built = match previous {
            Some((k, last)) if k.structure == key.structure => {
                let last = Arc::try_unwrap(last).unwrap_or_else(|shared| (*shared).clone());
                if k.revision == key.revision {
                    scene::settle(last, design, Some(ROUTING_BUDGET))
                } else {
                    scene::follow_moves(last, design, Some(ROUTING_BUDGET))
                }
            }
            previous => scene::build_from(
                design,
                previous.map(|(_, s)| s).as_deref(),
                Some(ROUTING_BUDGET),
            ),
        };
        let built = Arc::new(built);
        self.scene = Some((key, built.clone()));
        built
    }

    /// The last scene made, whatever state it was made for (a frame old at most while the
    /// window runs): enough to say where boxes are.
    pub fn last_scene(&self) -> Option<Arc<Scene>> {
        self.scene.as_ref().map(|(_, s)| s.clone())
    }
}
