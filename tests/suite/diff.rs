//! `archsketch diff`: what a change does to an architecture, from two files or from a file
//! and a git revision of it, as text, JSON and Markdown, failing CI only on findings the
//! change introduces.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

const GOLDEN: &str = include_str!("../golden/check.ron");

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The golden design with its dashboards fed by Athena: R009 ("no data source") fixed.
fn fed() -> String {
    GOLDEN.replace(
        "Edge(from: \"feed\", to: \"raw\"),",
        "Edge(from: \"feed\", to: \"raw\"),\n        Edge(from: \"sql\", to: \"dash\", kind: Query),",
    )
}

#[test]
fn a_change_that_introduces_an_error_fails_and_old_debt_does_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.ron"), fed()).unwrap();
    std::fs::write(dir.path().join("new.ron"), GOLDEN).unwrap();
    let (code, out, _) = run(
        dir.path(),
        &["diff", "old.ron", "new.ron", "--fail-on", "error"],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("Connections: 0 added, 1 removed, 0 changed"),
        "{out}"
    );
    assert!(out.contains("  - sql -> dash (Query)"), "{out}");
    // What the change brings, told from what it takes away (the pipeline's finding moves).
    let introduced = out.split("Findings fixed").next().unwrap();
    assert!(
        introduced.contains("Findings introduced: 2\n  error R009 [dash]"),
        "{out}"
    );
    // The bucket's name error is in both versions: old debt, not the change's.
    assert!(!out.contains("R055"), "{out}");
    // The other way the change fixes the error, and fails nothing.
    let (code, out, _) = run(
        dir.path(),
        &["diff", "new.ron", "old.ron", "--fail-on", "error"],
    );
    assert_eq!(code, Some(0), "{out}");
    let fixed = out.split("Findings fixed").nth(1).unwrap();
    assert!(fixed.contains("\n  error R009 [dash]"), "{out}");
    let (code, out, _) = run(dir.path(), &["diff", "new.ron", "new.ron"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "No change to the architecture.\n")
    );
}

#[test]
fn a_renamed_service_is_a_rename_not_a_removal_and_an_addition() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.ron"), GOLDEN).unwrap();
    let renamed = GOLDEN
        .replace("id: \"sql\"", "id: \"adhoc\"")
        .replace("to: \"sql\"", "to: \"adhoc\"")
        .replace("\"raw\", \"sql\", \"dash\"", "\"raw\", \"adhoc\", \"dash\"");
    std::fs::write(dir.path().join("new.ron"), renamed).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["diff", "old.ron", "new.ron", "--format", "json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let review: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(review["services"]["added"], serde_json::json!([]));
    assert_eq!(review["services"]["removed"], serde_json::json!([]));
    assert_eq!(review["services"]["changed"][0]["id"], "adhoc");
    assert_eq!(review["services"]["changed"][0]["renamed_from"], "sql");
    assert_eq!(review["connections"]["added"], serde_json::json!([]));
    assert_eq!(review["introduced"], serde_json::json!([]), "{out}");
    assert_eq!(review["fixed"], serde_json::json!([]), "{out}");
}

#[test]
fn the_old_side_can_be_a_git_revision_of_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    std::fs::create_dir(dir.path().join("arch")).unwrap();
    let file = dir.path().join("arch/design.ron");
    std::fs::write(&file, fed()).unwrap();
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "fed"]);
    std::fs::write(
        &file,
        GOLDEN.replace("label: \"Archive\"", "label: \"Cold archive\""),
    )
    .unwrap();
    let (code, out, err) = run(dir.path(), &["diff", "HEAD", "arch/design.ron"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("~ old: label: \"Archive\" -> \"Cold archive\""),
        "{out}"
    );
    assert!(out.contains("error R009 [dash]"), "{out}");
    let (code, _, err) = run(dir.path(), &["diff", "no-such-rev", "arch/design.ron"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no-such-rev: no such file, nor a git revision"),
        "{err}"
    );
}

#[test]
fn markdown_for_a_pull_request_carries_a_table_the_findings_and_a_mermaid_chart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.ron"), fed()).unwrap();
    let grown = GOLDEN.replace(
        "Node(id: \"vol\"",
        "Node(id: \"crawler\", service: \"glue\", pos: (100.0, 100.0)),\n        Node(id: \"vol\"",
    );
    std::fs::write(dir.path().join("new.ron"), grown).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["diff", "old.ron", "new.ron", "--format", "markdown"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("| services | 1 | 0 | 0 |"), "{out}");
    assert!(out.contains("| connections | 0 | 1 | 0 |"), "{out}");
    assert!(out.contains("**Findings introduced**"), "{out}");
    assert!(out.contains("```mermaid\n"), "{out}");
    assert!(out.contains("class crawler added"), "{out}");
    // The removed connection is drawn as a ghost, styled as one.
    assert!(out.contains("sql -->|\"Query\"| dash"), "{out}");
    assert!(out.contains("stroke:#D93025"), "{out}");
    let chart = out
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let has_parser = Command::new("node")
        .args(["-e", "require.resolve('mermaid'); require.resolve('jsdom')"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_parser {
        eprintln!("skipped Mermaid's parser: mermaid and jsdom are not on NODE_PATH");
        return;
    }
    let file = dir.path().join("chart.mmd");
    std::fs::write(&file, chart).unwrap();
    let parsed = Command::new("node")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("tools/mermaid_parse.mjs")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stdout)
    );
}

#[test]
fn git_diff_reads_designs_one_element_a_line_through_the_outline() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    let textconv = format!("{} outline", env!("CARGO_BIN_EXE_archsketch"));
    git(&["config", "diff.archsketch.textconv", &textconv]);
    std::fs::write(dir.path().join(".gitattributes"), "*.ron diff=archsketch\n").unwrap();
    std::fs::write(dir.path().join("design.ron"), GOLDEN).unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "one"]);
    // Relabel one service and move another: one line changes, the move changes none.
    let changed = GOLDEN
        .replace("label: \"Archive\"", "label: \"Cold archive\"")
        .replace("pos: (400.0, 0.0)", "pos: (450.0, 30.0)");
    std::fs::write(dir.path().join("design.ron"), changed).unwrap();
    let diff = git(&["diff", "--no-color", "-U0"]);
    let changes: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect();
    assert_eq!(
        changes,
        [
            "-service old (Amazon S3) \"Archive\" in region {versioning=\"enabled\"}",
            "+service old (Amazon S3) \"Cold archive\" in region {versioning=\"enabled\"}",
        ],
        "{diff}"
    );
}

#[test]
fn the_change_is_drawn_added_green_changed_amber_with_the_old_value_removed_as_red_ghosts() {
    let dir = tempfile::tempdir().unwrap();
    // Old: the archive bucket, and Athena feeding the dashboards. New: the archive relabelled,
    // the dashboards' feed gone, a Glue crawler added, the spare volume removed.
    let old = fed();
    let new = GOLDEN
        .replace("label: \"Archive\"", "label: \"Cold archive\"")
        .replace(
            "Node(id: \"vol\", service: \"ebs\", label: \"Spare volume\", pos: (200.0, 200.0)),",
            "Node(id: \"crawler\", service: \"glue\", pos: (100.0, 100.0)),",
        )
        .replace(", \"vol\"]", "]");
    std::fs::write(dir.path().join("old.ron"), old).unwrap();
    std::fs::write(dir.path().join("new.ron"), new).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["diff", "old.ron", "new.ron", "-o", "diff.svg"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("+ crawler") && out.contains("- vol"), "{out}");
    let svg = std::fs::read_to_string(dir.path().join("diff.svg")).unwrap();
    let marks: Vec<&str> = svg
        .lines()
        .filter(|l| l.contains("class=\"highlight\""))
        .collect();
    let with = |color: &str, note: &str| {
        marks
            .iter()
            .any(|l| l.contains(&format!("stroke=\"{color}\"")) && l.contains(note))
    };
    assert!(with("#1E8E3E", "<title>added</title>"), "{marks:#?}");
    assert!(
        with(
            "#E8710A",
            "label: &quot;Archive&quot; -&gt; &quot;Cold archive&quot;"
        ),
        "{marks:#?}"
    );
    assert!(with("#D93025", "<title>removed</title>"), "{marks:#?}");
    assert_eq!(
        marks.len(),
        4,
        "crawler, archive, the spare volume's ghost, the feed: {marks:#?}"
    );
    // The ghost is drawn, labelled as removed; what did not change is muted.
    assert!(svg.contains("(removed)"), "ghost missing");
    assert!(svg.contains("<g opacity=\"0.4\">"), "nothing muted");
    // Where no hover can tell it (PNG, PDF), the key under the diagram does.
    let key = svg.split("<g class=\"key\">").nth(1).unwrap();
    assert!(key.contains("added crawler (AWS Glue)"), "{key}");
    assert!(
        key.contains("changed old: label: &quot;Archive&quot; -&gt; &quot;Cold archive&quot;"),
        "{key}"
    );
    assert!(
        key.contains("removed vol (Amazon EBS, &quot;Spare volume&quot;)"),
        "{key}"
    );
    assert!(
        key.contains("removed connection sql -&gt; dash (Query)"),
        "{key}"
    );
    let (code, _, err) = run(
        dir.path(),
        &["diff", "old.ron", "new.ron", "-o", "diff.gif"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("drawn as .svg, .png or .pdf"), "{err}");
}
