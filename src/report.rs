//! How `archsketch check` prints findings: like a compiler (text), as JSON objects, or as
//! SARIF 2.1.0 so GitHub code scanning shows them on the design file.

use serde_json::{Value, json};

use crate::model::{Design, ElementRef};
use crate::rules::{self, Finding, Severity, notes::cite, reference::references};

/// One checked file: its name as given, how to find an element in it, and its findings.
pub struct Checked {
    /// The file as shown in messages (`lake.drawio#Page 2` for a page).
    pub path: String,
    /// The file itself, byte for byte (a name that is not UTF-8 is kept exactly in SARIF).
    pub file: std::path::PathBuf,
    pub source: Source,
    pub design: Design,
    pub findings: Vec<Finding>,
    /// The team standards it was checked with, whose rules SARIF describes too.
    pub team: Option<std::sync::Arc<crate::rules::team::Team>>,
}

/// A file `check` could not read or import, and why: reported in JSON and SARIF too, so a
/// broken design never uploads as a clean one.
pub struct Unreadable {
    pub path: String,
    /// The file itself, as for [`Checked::file`].
    pub file: std::path::PathBuf,
    pub message: String,
}

/// What a checked file was, which says where its elements are written.
pub enum Source {
    /// A design file's text: elements are found by their ids in it, read once.
    Design {
        text: String,
        places: crate::io::Locations,
    },
    /// An imported template: each resource's logical id is at a known line and column.
    Template(std::collections::BTreeMap<String, crate::import::At>),
}

impl Source {
    /// A design file's text, with its elements' places found in one pass.
    pub fn design(text: String) -> Self {
        let places = crate::io::Locations::of(&text);
        Source::Design { text, places }
    }
}

impl Checked {
    /// The 1-based line and column of the first element a finding names. An edge of an
    /// imported template is located at the resource it starts from.
    pub fn locate(&self, f: &Finding) -> Option<(usize, usize)> {
        let element = f.elements.first()?;
        match &self.source {
            Source::Design { text, places } => places.element(text, element),
            Source::Template(anchors) => {
                let id = match element {
                    ElementRef::Node(id) => id.as_str(),
                    ElementRef::Group(id) => id.as_str(),
                    ElementRef::Edge(id) => self.design.edge(*id)?.from.as_str(),
                };
                anchors.get(id).map(|at| (at.line, at.column))
            }
        }
    }
}

fn ids(f: &Finding) -> Vec<String> {
    f.elements.iter().map(ElementRef::display_id).collect()
}

/// Text from a design made safe to print on a terminal: control characters (a label's newline,
/// an escape sequence that would erase a line or set the window title) and the invisible marks
/// that reorder text are shown as `\u{1b}` instead of acting. One finding stays one line.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| {
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(acts) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A message of several lines for a terminal: each line made safe, the lines kept.
pub fn lines_for_terminal(text: &str) -> String {
    text.split('\n')
        .map(|line| for_terminal(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compiler-style lines: `design.ron:12:9: error R055 [raw] message`, then a count.
pub fn text(files: &[Checked]) -> String {
    let mut out = String::new();
    let (mut e, mut w, mut i) = (0, 0, 0);
    for c in files {
        for f in &c.findings {
            let at = c
                .locate(f)
                .map(|(l, col)| format!(":{l}:{col}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}{at}: {} {} [{}] {}\n",
                for_terminal(&c.path),
                f.severity.name(),
                f.rule,
                for_terminal(&ids(f).join(", ")),
                for_terminal(&f.message)
            ));
            match f.severity {
                Severity::Error => e += 1,
                Severity::Warning => w += 1,
                Severity::Info => i += 1,
            }
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{}, {}, {} in {}\n",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info"),
        plural(files.len(), "file")
    ));
    out
}

/// One JSON object per finding, then one `"error"` object per file that could not be read.
pub fn json(files: &[Checked], unreadable: &[Unreadable]) -> String {
    let mut items: Vec<Value> = files
        .iter()
        .flat_map(|c| {
            c.findings.iter().map(move |f| {
                let located = c.locate(f);
                json!({
                    "file": c.path,
                    "line": located.map(|(l, _)| l),
                    "column": located.map(|(_, col)| col),
                    "rule": f.rule,
                    "severity": f.severity.name(),
                    "message": f.message,
                    "elements": ids(f),
                    "quote": f.quote,
                    "source": f.source,
                    "citation": cite(&f.source),
                    "fix": f.fix.as_ref().map(|x| x.title.clone()),
                    "suppressed": f.suppressed,
                })
            })
        })
        .collect();
    items.extend(unreadable.iter().map(|u| {
        json!({
            "file": u.path,
            "severity": "error",
            "error": u.message,
        })
    }));
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()) + "\n"
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0: one rule descriptor per rule (and reference architecture), one result per
/// finding, located on the element's line; suppressed findings carry a suppression.
pub fn sarif(files: &[Checked], unreadable: &[Unreadable], root: &std::path::Path) -> String {
    let mut descriptors: Vec<(String, Value)> = rules::registry()
        .into_iter()
        .map(|r| {
            (
                r.id.to_string(),
                json!({
                    "id": r.id,
                    "name": r.id,
                    "shortDescription": { "text": r.title },
                    "fullDescription": { "text": format!("\"{}\" ({})", r.quote, cite(r.source)) },
                    "help": { "text": format!("{} The notes: \"{}\" ({}).", r.title, r.quote, cite(r.source)) },
                    "defaultConfiguration": { "level": level(r.severity) },
                }),
            )
        })
        .collect();
    descriptors.extend(references().iter().map(|t| {
        (
            t.id.to_string(),
            json!({
                "id": t.id,
                "name": t.id,
                "shortDescription": { "text": format!("Conformance to reference architecture {} ({})", t.id, t.name) },
                "fullDescription": { "text": format!("Which stages of {} {} are present, missing or out of order ({}).", t.id, t.name, cite(&t.source)) },
                "defaultConfiguration": { "level": "warning" },
            }),
        )
    }));
    for team in files.iter().filter_map(|c| c.team.as_deref()) {
        for (id, descriptor) in team_descriptors(team) {
            if !descriptors.iter().any(|(d, _)| *d == id) {
                descriptors.push((id, descriptor));
            }
        }
    }
    let index_of = |id: &str| descriptors.iter().position(|(d, _)| d == id);
    let mut results = Vec::new();
    for c in files {
        // Where the file is, worked out once per file, not once per finding.
        let file = artifact(&c.file, root);
        for f in &c.findings {
            let (line, col) = c.locate(f).unwrap_or((1, 1));
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": format!("{} (\"{}\", {})", f.message, f.quote, cite(&f.source)) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": file,
                        "region": { "startLine": line, "startColumn": col }
                    },
                    "logicalLocations": ids(f).iter().map(|id| json!({ "name": id, "kind": "element" })).collect::<Vec<_>>()
                }],
            });
            if let Some(i) = index_of(&f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if f.suppressed {
                // The suppression that matched: same rule, and its target (if any) among the
                // finding's elements.
                let reason = c
                    .design
                    .suppressions
                    .iter()
                    .find(|s| {
                        s.rule == f.rule
                            && s.target.as_ref().is_none_or(|t| {
                                f.elements.iter().any(|e| e.named_id() == Some(t.as_str()))
                            })
                    })
                    .map(|s| s.reason.clone())
                    .unwrap_or_default();
                result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "archsketch",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/archsketch/archsketch",
                "rules": descriptors.into_iter().map(|(_, d)| d).collect::<Vec<_>>(),
            }},
            "results": results,
            "originalUriBaseIds": { SRCROOT: { "uri": directory_uri(root) } },
            "invocations": [{
                "executionSuccessful": unreadable.is_empty(),
                "toolExecutionNotifications": unreadable.iter().map(|u| json!({
                    "level": "error",
                    "message": { "text": u.message },
                    "locations": [{ "physicalLocation": { "artifactLocation": artifact(&u.file, root) } }],
                })).collect::<Vec<_>>(),
            }],
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// The base id SARIF locations are relative to: the root given by `--sarif-root`.
const SRCROOT: &str = "SRCROOT";

/// Characters a URI path segment cannot hold as they are.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    // A first segment such as `c:d.ron` would read as a URI scheme.
    .add(b':')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Path parts as a percent-encoded URI path. On Unix a name's bytes are encoded as they are,
/// so a name that is not UTF-8 survives exactly (elsewhere names are Unicode already).
fn encode_segments<'p>(parts: impl Iterator<Item = &'p std::ffi::OsStr>) -> String {
    parts
        .map(|p| {
            #[cfg(unix)]
            let bytes = std::os::unix::ffi::OsStrExt::as_bytes(p).to_vec();
            #[cfg(not(unix))]
            let bytes = p.to_string_lossy().into_owned().into_bytes();
            percent_encoding::percent_encode(&bytes, SEGMENT).to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a file is, for SARIF: relative to `root` when it lies inside it (so code scanning maps
/// it onto the repository), else an absolute `file:` URI; percent-encoded either way.
fn artifact(path: &std::path::Path, root: &std::path::Path) -> Value {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.into())
    });
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match absolute.strip_prefix(&root) {
        Ok(relative) => json!({
            "uri": encode_segments(relative.components().map(|c| c.as_os_str())),
            "uriBaseId": SRCROOT,
        }),
        Err(_) => json!({ "uri": file_uri(&absolute) }),
    }
}

fn file_uri(absolute: &std::path::Path) -> String {
    let parts = absolute
        .components()
        .filter(|c| {
            !matches!(
                c,
                std::path::Component::RootDir | std::path::Component::Prefix(_)
            )
        })
        .map(|c| c.as_os_str());
    format!("file:///{}", encode_segments(parts))
}

fn directory_uri(root: &std::path::Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let uri = file_uri(&root);
    if uri.ends_with('/') { uri } else { uri + "/" }
}

/// SARIF rule descriptors of a team's pack rules and own references.
fn team_descriptors(team: &crate::rules::team::Team) -> Vec<(String, Value)> {
    let pack = team.pack.rules.iter().map(|r| {
        let why = r.explanation.clone().unwrap_or_else(|| r.message.replace("{label}", "it"));
        let mut d = json!({
            "id": r.id,
            "name": r.id,
            "shortDescription": { "text": r.message.replace("{label}", "it") },
            "fullDescription": { "text": format!("{why} (rule pack {}, line {})", team.pack.path, r.line) },
            "defaultConfiguration": { "level": level(r.severity.into()) },
        });
        if let Some(link) = &r.link {
            d["helpUri"] = json!(link);
        }
        (r.id.clone(), d)
    });
    let own = team.references.own().iter().map(|t| {
        (
            t.id.clone(),
            json!({
                "id": t.id,
                "name": t.id,
                "shortDescription": { "text": format!("Conformance to own reference architecture {} ({})", t.id, t.name) },
                "fullDescription": { "text": format!("Which stages of {} {} are present, missing or out of order ({}).", t.id, t.name, t.source) },
                "defaultConfiguration": { "level": "warning" },
            }),
        )
    });
    pack.chain(own).collect()
}

/// The default `--sarif-root`: the git work tree around the current directory, else the
/// current directory.
pub fn default_sarif_root() -> std::path::PathBuf {
    let here = std::env::current_dir().unwrap_or_else(|_| ".".into());
    here.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(std::path::Path::to_path_buf)
        .unwrap_or(here)
}
