//! `archsketch check`: golden text, JSON and SARIF output, the SARIF structure, filters and
//! exit codes.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn golden(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Compares with the golden file first; only a difference, with `UPDATE_GOLDEN=1`, writes
/// the new text (to be read in `git diff`), so the comparison is never with itself.
fn compare_golden(name: &str, actual: &str) {
    let path = golden(name);
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected && std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        eprintln!("updated {name}: read the change with git diff");
        return;
    }
    assert_eq!(
        actual, expected,
        "{name} differs; run with UPDATE_GOLDEN=1 after an intended change"
    );
}

#[test]
fn text_output_is_compiler_style_sorted_and_exits_1_on_errors() {
    let (code, out, _) = run(&["check", "tests/golden/check.ron"]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("tests/golden/check.ron:7:9: error R009 [dash]")
            || out.contains("error R009"),
        "{out}"
    );
    assert!(
        !out.contains("R063 [raw]"),
        "suppressed findings are hidden by default"
    );
    compare_golden("check.txt", &out);
}

#[test]
fn json_output_has_one_object_per_finding() {
    let (code, out, _) = run(&["check", "--format", "json", "tests/golden/check.ron"]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let items = v.as_array().unwrap();
    assert!(items.iter().any(|f| f["rule"] == "R055"
        && f["fix"] == "Rename the bucket \"raw-zone\""
        && f["elements"][0] == "raw"));
    for f in items {
        for key in [
            "file", "rule", "severity", "message", "elements", "quote", "source", "fix",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    compare_golden("check.json", &out);
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let (code, out, _) = run(&["check", "--format", "sarif", "tests/golden/check.ron"]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "archsketch");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "one descriptor per rule");
    assert!(ids.contains(&"R001") && ids.contains(&"R110") && ids.contains(&"T01"));
    for r in rules {
        assert!(r["shortDescription"]["text"].is_string());
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[i]["id"], res["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "tests/golden/check.ron");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let suppressed: Vec<_> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(
        suppressed.len(),
        1,
        "the suppressed finding is listed, marked"
    );
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "versioning decided per environment"
    );
    // Locations are relative to the repository (the git work tree the test runs in), whose
    // absolute place differs per machine: the golden file names it REPOSITORY.
    let root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    compare_golden("check.sarif", &out.replace(root, "file:///REPOSITORY/"));
}

#[test]
fn sarif_locations_are_encoded_relative_and_unreadable_files_are_failures() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("my designs #1");
    std::fs::create_dir(&odd).unwrap();
    let design = odd.join("café lake.ron");
    std::fs::copy(golden("check.ron"), &design).unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "Design(format: 1, nodes: [").unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, out, _) = run(&[
        "check",
        "--format",
        "sarif",
        "--sarif-root",
        root,
        design.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "an unreadable file fails the run");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run0 = &v["runs"][0];
    let uri = run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "my%20designs%20%231/caf%C3%A9%20lake.ron");
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.ron"
    );
    // A file outside the root is named by an absolute file: URI.
    let elsewhere = tempfile::tempdir().unwrap();
    let (_, out, _) = run(&[
        "check",
        "--format",
        "sarif",
        "--sarif-root",
        elsewhere.path().to_str().unwrap(),
        design.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let location = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    let uri = location["artifactLocation"]["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("caf%C3%A9%20lake.ron"),
        "{uri}"
    );
    // JSON lists the unreadable file as an error entry.
    let (_, out, _) = run(&["check", "--format", "json", broken.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["severity"], "error");
    assert!(v[0]["error"].as_str().unwrap().contains("broken.ron"));
}

#[test]
fn sarif_never_turns_a_file_name_into_a_scheme_and_keeps_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let names: [&[u8]; 3] = [b"c:d.ron", b"javascript:alert(1).ron", b"bad\xff.ron"];
    let mut args: Vec<std::ffi::OsString> = ["check", "--format", "sarif", "--sarif-root"]
        .map(std::ffi::OsString::from)
        .into();
    args.push(dir.path().into());
    for name in names {
        let file = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::copy(golden("check.ron"), &file).unwrap();
        args.push(file.into());
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(&args)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut uris: Vec<String> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    uris.sort();
    uris.dedup();
    assert_eq!(
        uris,
        ["bad%FF.ron", "c%3Ad.ron", "javascript%3Aalert(1).ron"]
    );
}

#[test]
fn min_severity_filters_and_clean_designs_exit_0() {
    let (code, out, _) = run(&["check", "--min-severity", "error", "tests/golden/check.ron"]);
    assert_eq!(code, Some(1));
    assert!(
        out.lines()
            .filter(|l| l.contains(": "))
            .all(|l| l.contains(": error ") || l.contains(" errors,") || l.contains(" error,")),
        "{out}"
    );
    let (code, _, _) = run(&["check", "templates/t01-s3-data-lake.ron"]);
    assert_eq!(code, Some(0));
    let (code, out, _) = run(&[
        "check",
        "--disable",
        "R009,R055",
        "--min-severity",
        "error",
        "tests/golden/check.ron",
    ]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn unreadable_files_exit_2_with_the_windows_message() {
    let (code, _, err) = run(&["check", "/no/such.ron"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("/no/such.ron: cannot read the file: no such file"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "Design(format: 1, nodes: [Node(id: \"a\")])").unwrap();
    let (code, _, err) = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing required field `service`"), "{err}");
}

#[test]
fn disable_names_an_unknown_rule_with_the_closest_one() {
    let (code, _, err) = run(&["check", "--disable", "R0063", "tests/golden/check.ron"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("\"R0063\", which is no rule; did you mean R063?"),
        "{err}"
    );
    let (code, _, err) = run(&["check", "--disable", "nonsense", "tests/golden/check.ron"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("which is no rule (rules are"), "{err}");
    // Known ids, references and T for all of them are accepted.
    let (code, _, _) = run(&[
        "check",
        "--disable",
        "R063,T01,T,G003",
        "tests/golden/check.ron",
    ]);
    assert_eq!(
        code,
        Some(1),
        "errors remain, but the options were accepted"
    );
}

#[test]
fn sarif_output_passes_the_official_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken file #2.ron");
    std::fs::write(&broken, "Design(").unwrap();
    for args in [
        vec!["check", "--format", "sarif", "tests/golden/check.ron"],
        vec![
            "check",
            "--format",
            "sarif",
            "tests/golden/check.ron",
            broken.to_str().unwrap(),
        ],
    ] {
        let (_, out, _) = run(&args);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}
