//! `check`: designs, templates and draw.io pages checked with the rules and a team's
//! standards, reported as text, JSON or SARIF.

use super::*;

/// `archsketch check`: exit 0 with no errors, 1 with any error, 2 when a file cannot be read.
pub fn check_command(args: &CheckArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    use crate::rules::Severity;
    let floor = match args.min_severity {
        MinSeverity::Error => Severity::Error,
        MinSeverity::Warning => Severity::Warning,
        MinSeverity::Info => Severity::Info,
    };
    let mut paths = args.files.clone();
    paths.sort();
    let teams = teams_for(&paths, args)?;
    for id in &args.disable {
        let own = teams.values().flatten().any(|t| team_has(t, id));
        if !own && let Some(message) = unknown_rule(id) {
            return Err(usage(message));
        }
    }
    let disabled: std::collections::HashSet<String> = args.disable.iter().cloned().collect();
    let mut checked = Vec::new();
    let mut unreadable = Vec::new();
    for path in &paths {
        let options = crate::rules::CheckOptions {
            disabled: disabled.clone(),
            team: teams.get(&folder_of(path)).cloned().flatten(),
        };
        let shown = path.display().to_string();
        if let Some(text) = drawio_text(path) {
            // Every page of a draw.io file is checked, each as FILE#Page.
            match text.and_then(|text| drawio_pages(&text, &shown)) {
                Ok(pages) => {
                    for (name, design) in pages {
                        checked.push(check_one(
                            format!("{shown}#{name}"),
                            path,
                            design,
                            crate::report::Source::Template(Default::default()),
                            &options,
                            floor,
                            args,
                        ));
                    }
                }
                Err(message) => unreadable.push(crate::report::Unreadable {
                    path: shown,
                    file: path.clone(),
                    message,
                }),
            }
            continue;
        }
        let loaded = if crate::import::is_importable(path) {
            crate::import::import_file(path, crate::import::ImportOptions::default())
                .map(|i| {
                    (
                        i.design,
                        Pending::Ready(crate::report::Source::Template(i.anchors)),
                    )
                })
                .map_err(|e| e.to_string())
        } else {
            io::load_file_with_text(path)
                .map(|(design, text)| (design, Pending::Text(text)))
                .map_err(|e| e.to_string())
        };
        let (design, pending) = match loaded {
            Ok(loaded) => loaded,
            Err(message) => {
                unreadable.push(crate::report::Unreadable {
                    path: shown,
                    file: path.clone(),
                    message,
                });
                continue;
            }
        };
        // Where the elements are written is read on a second core while the rules run.
        let (findings, source) = std::thread::scope(|scope| {
            let source = scope.spawn(move || match pending {
                Pending::Text(text) => crate::report::Source::design(text),
                Pending::Ready(source) => source,
            });
            let findings = reported_findings(&design, &options, floor, args);
            (findings, source.join())
        });
        let source =
            source.map_err(|_| CliError::Internal("reading the design's places failed"))?;
        checked.push(crate::report::Checked {
            path: shown,
            file: path.clone(),
            source,
            design,
            findings,
            team: options.team.clone(),
        });
    }
    let out = match args.format {
        ReportFormat::Text => crate::report::text(&checked),
        ReportFormat::Json => crate::report::json(&checked, &unreadable),
        ReportFormat::Sarif => {
            let root = args
                .sarif_root
                .clone()
                .unwrap_or_else(crate::report::default_sarif_root);
            crate::report::sarif(&checked, &unreadable, &root)
        }
    };
    stdout
        .write_all(out.as_bytes())
        .map_err(|source| CliError::Output {
            what: "the report",
            source,
        })?;
    let errors = checked
        .iter()
        .flat_map(|c| &c.findings)
        .filter(|f| f.severity == Severity::Error && !f.suppressed)
        .count();
    // The process ends next: the system takes the designs back faster than freeing them
    // element by element would (a second on 100,000 nodes is spent in part on that).
    std::mem::forget(checked);
    if !unreadable.is_empty() {
        return Err(CliError::Unreadable(
            unreadable.into_iter().map(|u| u.message).collect(),
        ));
    }
    if errors > 0 {
        return Err(CliError::Findings(errors));
    }
    Ok(())
}

/// The findings of a design that `check` reports: at or above the floor, suppressed ones only
/// when asked for (SARIF lists them all, marked).
pub(super) fn reported_findings(
    design: &crate::model::Design,
    options: &crate::rules::CheckOptions,
    floor: crate::rules::Severity,
    args: &CheckArgs,
) -> Vec<crate::rules::Finding> {
    let sarif = args.format == ReportFormat::Sarif;
    crate::rules::check_with(design, options)
        .into_iter()
        .filter(|f| f.severity <= floor)
        .filter(|f| !f.suppressed || args.show_suppressed || sarif)
        .collect()
}

/// One design checked, for the report.
pub(super) fn check_one(
    path: String,
    file: &Path,
    design: crate::model::Design,
    source: crate::report::Source,
    options: &crate::rules::CheckOptions,
    floor: crate::rules::Severity,
    args: &CheckArgs,
) -> crate::report::Checked {
    let findings = reported_findings(&design, options, floor, args);
    crate::report::Checked {
        path,
        file: file.to_path_buf(),
        source,
        design,
        findings,
        team: options.team.clone(),
    }
}

/// Why `--disable ID` names nothing, with the closest id when one is near (a typo would
/// otherwise silently leave the rule on).
pub(super) fn unknown_rule(id: &str) -> Option<String> {
    use crate::rules::reference::references;
    let known: Vec<&str> = crate::rules::registry()
        .iter()
        .map(|r| r.id)
        .chain(references().iter().map(|t| t.id.as_str()))
        .chain(["T"])
        .collect();
    if known.contains(&id) {
        return None;
    }
    let upper = id.to_ascii_uppercase();
    // The same number written with other zeros (r63, R0063) is surely the one meant.
    let letters: String = upper
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let same_number = upper[letters.len()..]
        .parse::<u32>()
        .ok()
        .map(|n| match letters.as_str() {
            "T" => format!("T{n:02}"),
            _ => format!("{letters}{n:03}"),
        })
        .and_then(|k| known.iter().find(|known| **known == k).copied());
    let closest = same_number.or_else(|| crate::spelling::closest(&upper, known.iter().copied()));
    Some(match closest {
        Some(k) => format!("--disable names \"{id}\", which is no rule; did you mean {k}?"),
        None => format!(
            "--disable names \"{id}\", which is no rule (rules are R001-R110, G001-G003, T01-T35, or T for all references)"
        ),
    })
}

/// The folder a checked file's standards are looked for in.
pub(super) fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Each folder's team standards (a rule pack, own references), read once per folder; any
/// problem in them stops the check before a design is read.
pub(super) fn teams_for(
    paths: &[PathBuf],
    args: &CheckArgs,
) -> Result<
    std::collections::BTreeMap<PathBuf, Option<std::sync::Arc<crate::rules::team::Team>>>,
    CliError,
> {
    let mut teams = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for path in paths {
        let folder = folder_of(path);
        if teams.contains_key(&folder) {
            continue;
        }
        let found =
            crate::standards::find(&folder, args.rules.as_deref(), args.references.as_deref());
        match found {
            Ok((pack, own)) => {
                let team = crate::rules::team::Team::from_parts(pack, own);
                teams.insert(folder, team.map(std::sync::Arc::new));
            }
            Err(mut e) => problems.append(&mut e),
        }
    }
    problems.dedup();
    if problems.is_empty() {
        Ok(teams)
    } else {
        Err(CliError::Standards(problems))
    }
}

/// Whether a team's pack or own references define the rule id.
pub(super) fn team_has(team: &crate::rules::team::Team, id: &str) -> bool {
    team.pack.rules.iter().any(|r| r.id == id) || team.references.own().iter().any(|r| r.id == id)
}

/// A checked file's source before its places are read.
pub(super) enum Pending {
    Text(String),
    Ready(crate::report::Source),
}
