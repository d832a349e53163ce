//! Loading and saving: the FORMAT.md example, byte-identical round trips, atomic saves, and
//! every "bad file" case of FORMAT.md "Loading" with the message a person sees.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use std::fs;

use archsketch::io::{self, LoadError, load_str, to_ron_string};
use archsketch::model::{EdgeKind, GroupKind};

const EXAMPLE: &str = include_str!("../fixtures/format_example.ron");

fn load(text: &str) -> Result<archsketch::model::Design, LoadError> {
    load_str(text, "bad.ron")
}

fn err(text: &str) -> LoadError {
    load(text).expect_err("the file should be refused")
}

#[test]
fn format_example_loads_with_every_field() {
    let d = load(EXAMPLE).unwrap();
    assert_eq!(d.title, "Clickstream data lake");
    assert_eq!(d.nodes().len(), 6);
    assert_eq!(d.nodes()[2].props["bucket_name"], "shop-raw-zone");
    assert_eq!(d.edges()[2].kind, EdgeKind::Catalog);
    assert_eq!(d.edges()[4].label, "reads");
    assert_eq!(d.groups()[1].kind, GroupKind::Region);
    assert_eq!(d.groups()[1].children.len(), 5);
    assert_eq!(
        d.suppressions[0].target.as_ref().map(|t| t.as_str()),
        Some("raw")
    );
    assert_eq!(d.nodes()[5].label, "", "absent fields take their defaults");
}

#[test]
fn saving_then_loading_gives_the_same_design() {
    let d = load(EXAMPLE).unwrap();
    let text = to_ron_string(&d);
    assert!(text.starts_with("#![enable(implicit_some)]\n"));
    let again = load(&text).unwrap();
    assert_eq!(d, again);
}

#[test]
fn a_file_written_by_archsketch_saves_back_byte_identical() {
    let d = load(EXAMPLE).unwrap();
    let first = to_ron_string(&d);
    let second = to_ron_string(&load(&first).unwrap());
    assert_eq!(first, second);
}

#[test]
fn saved_text_is_readable_and_leaves_defaults_out() {
    let text = to_ron_string(&load(EXAMPLE).unwrap());
    assert!(
        text.contains(r#"Node(id: "guard", service: "macie", pos: (400.0, 200.0)),"#),
        "{text}"
    );
    assert!(
        text.contains(r#"Edge(from: "app", to: "stream"),"#),
        "{text}"
    );
    assert!(
        text.contains(r#"Edge(from: "raw", to: "sql", kind: Query, label: "reads"),"#),
        "{text}"
    );
    assert!(
        text.contains(r#"props: {"bucket_name": "shop-raw-zone", "contains_pii": "true", "versioning": "enabled"}"#),
        "{text}"
    );
}

#[test]
fn strings_with_quotes_newlines_and_unicode_survive() {
    let mut d = load(EXAMPLE).unwrap();
    d.title = "Quote \" backslash \\ tab \t newline \n é ✓ \u{1}".into();
    *d.node_at_mut(0).unwrap().label = "Ünïcode — label".into();
    let back = load(&to_ron_string(&d)).unwrap();
    assert_eq!(back.title, d.title);
    assert_eq!(back.nodes()[0].label, d.nodes()[0].label);
}

#[test]
fn unknown_service_loads_and_saves_unchanged() {
    let text = EXAMPLE.replace(r#"service: "macie""#, r#"service: "quantum_toaster""#);
    let d = load(&text).unwrap();
    assert_eq!(d.node(nid("guard")).unwrap().service, "quantum_toaster");
    assert!(to_ron_string(&d).contains("quantum_toaster"));
}

#[test]
fn save_is_atomic_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    let mut d = load(EXAMPLE).unwrap();
    io::save_file(&d, &path).unwrap();
    let first = fs::read_to_string(&path).unwrap();
    d.title = "Second".into();
    io::save_file(&d, &path).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("design.ron.bak")).unwrap(),
        first
    );
    assert!(fs::read_to_string(&path).unwrap().contains("Second"));
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[test]
fn saving_into_a_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("design.ron");
    let e = io::save_file(&load(EXAMPLE).unwrap(), &path).unwrap_err();
    assert!(e.to_string().starts_with("cannot save "), "{e}");
    assert!(!path.exists());
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_folder_fails_and_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    io::save_file(&load(EXAMPLE).unwrap(), &path).unwrap();
    let before = fs::read_to_string(&path).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions; the check only means something for other users.
    let probe = fs::File::create(dir.path().join("probe"));
    let result = io::save_file(&Default::default(), &path);
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    if probe.is_err() {
        let e = result.unwrap_err();
        assert!(e.to_string().contains("ermission"), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), before);
    }
}

// ---- Bad files: one test per case, each asserting the message and where it points.

#[test]
fn not_ron_at_all() {
    let e = err("this is { not a design");
    assert_eq!(e.path, "bad.ron");
    assert!(e.message.starts_with("not a valid design file"), "{e}");
    assert_eq!(e.location.map(|l| l.0), Some(1));
}

#[test]
fn truncated_file() {
    let cut = &EXAMPLE[..EXAMPLE.len() / 2];
    let e = err(cut);
    assert!(e.location.is_some(), "{e}");
}

#[test]
fn missing_required_field() {
    let text = EXAMPLE.replace(
        r#"Node(id: "sql", service: "athena", label: "Ad-hoc SQL", pos: (800.0, 0.0)),"#,
        r#"Node(id: "sql", service: "athena", label: "Ad-hoc SQL"),"#,
    );
    let e = err(&text);
    assert!(e.message.contains("missing required field `pos`"), "{e}");
    assert_eq!(e.location.map(|l| l.0), Some(11), "{e}");
}

#[test]
fn unknown_field_is_not_silently_dropped() {
    let text = EXAMPLE.replace(r#"label: "Clicks""#, r#"lable: "Clicks""#);
    let e = err(&text);
    assert!(e.message.contains("unknown field `lable`"), "{e}");
    assert!(
        e.message.contains("label"),
        "the message lists the expected names: {e}"
    );
    assert_eq!(e.location.map(|l| l.0), Some(7), "{e}");
}

#[test]
fn unknown_edge_kind() {
    let e = err(&EXAMPLE.replace("kind: Monitor", "kind: Watches"));
    assert!(e.message.contains("unknown value `Watches`"), "{e}");
}

#[test]
fn duplicate_id_points_at_the_second_definition() {
    let text = EXAMPLE.replace(r#"Node(id: "sql""#, r#"Node(id: "raw""#);
    let e = err(&text);
    assert!(e.message.contains("duplicate id \"raw\""), "{e}");
    assert_eq!(e.location, Some((11, 18)), "{e}");
}

#[test]
fn edge_naming_a_missing_id() {
    let e = err(&EXAMPLE.replace(
        r#"Edge(from: "app", to: "stream")"#,
        r#"Edge(from: "app", to: "strem")"#,
    ));
    assert!(
        e.message.contains("\"strem\", which is no node or group"),
        "{e}"
    );
    assert_eq!(e.location.map(|l| l.0), Some(15), "{e}");
}

#[test]
fn group_child_naming_a_missing_id() {
    let e = err(&EXAMPLE.replace(r#"children: ["region"]"#, r#"children: ["regoin"]"#));
    assert!(e.message.contains("lists child \"regoin\""), "{e}");
    assert_eq!(e.location.map(|l| l.0), Some(23), "{e}");
}

#[test]
fn suppression_naming_a_missing_id() {
    let e = err(&EXAMPLE.replace(r#"target: "raw""#, r#"target: "rawz""#));
    assert!(
        e.message.contains("suppression of R063 names \"rawz\""),
        "{e}"
    );
    assert_eq!(e.location.map(|l| l.0), Some(28), "{e}");
}

#[test]
fn element_in_two_groups() {
    let e = err(&EXAMPLE.replace(r#"children: ["region"]"#, r#"children: ["region", "raw"]"#));
    assert!(e.message.contains("\"raw\" is in two groups"), "{e}");
}

#[test]
fn group_that_contains_itself() {
    let e = err(&EXAMPLE.replace(r#"children: ["region"]"#, r#"children: ["cloud"]"#));
    assert!(e.message.contains("contains itself"), "{e}");
    assert_eq!(e.location.map(|l| l.0), Some(23), "{e}");
}

#[test]
fn group_cycle_through_nesting() {
    let e = err(&EXAMPLE.replace(r#""guard"]"#, r#""guard", "cloud"]"#));
    assert!(e.message.contains("contains itself"), "{e}");
}

#[test]
fn invalid_id_characters() {
    let e = err(&EXAMPLE.replace(r#"id: "guard""#, r#"id: "guard dog""#));
    assert!(e.message.contains("may contain only letters"), "{e}");
}

#[test]
fn newer_format_is_refused_as_newer() {
    let text = EXAMPLE.replace("format: 1,", "format: 2,\n    layers: [],");
    let e = err(&text);
    assert!(e.message.contains("made by a newer version"), "{e}");
    assert_eq!(e.location, Some((2, 5)), "{e}");
}

#[test]
fn unreadable_path() {
    let e = io::load_file(std::path::Path::new("/definitely/not/here.ron")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/definitely/not/here.ron: cannot read the file: no such file"
    );
}

#[test]
fn a_folder_is_not_a_design() {
    let dir = tempfile::tempdir().unwrap();
    let e = io::load_file(dir.path()).unwrap_err();
    assert!(e.message.contains("is a folder"), "{e}");
}

#[test]
fn a_100_mb_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let f = fs::File::create(&path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let e = io::load_file(&path).unwrap_err();
    assert!(e.message.contains("too large"), "{e}");
    assert!(e.message.contains("100.0 MiB"), "{e}");
    assert!(e.message.contains("up to 64.0 MiB"), "{e}");
}

#[test]
fn binary_garbage_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.ron");
    fs::write(&path, b"Design(\n  title: \"\xff\xfe\"").unwrap();
    let e = io::load_file(&path).unwrap_err();
    assert!(e.message.contains("not UTF-8"), "{e}");
    assert_eq!(e.location.map(|l| l.0), Some(2));
}

#[test]
fn non_finite_position_is_refused() {
    let e = err(&EXAMPLE.replace("pos: (0.0, 0.0)", "pos: (NaN, 0.0)"));
    assert!(e.message.contains("not a finite number"), "{e}");
}

#[test]
fn a_property_written_twice_is_an_error_at_its_place() {
    let text = "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0), props: {\n  \"bucket_name\": \"one\",\n  \"bucket_name\": \"two\",\n})])\n";
    let e = io::load_str(text, "dup.ron").unwrap_err();
    assert!(
        e.message.contains("\"bucket_name\" is written twice"),
        "{e}"
    );
    assert_eq!(e.location.map(|(line, _)| line), Some(3), "{e}");
    // The same key on two different elements is fine.
    let ok = "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0), props: {\"bucket_name\": \"one\"}), Node(id: \"b\", service: \"s3\", pos: (1.0, 0.0), props: {\"bucket_name\": \"two\"})])";
    assert!(io::load_str(ok, "ok.ron").is_ok());
}

#[cfg(unix)]
#[test]
fn saving_keeps_permissions_and_writes_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    let design = archsketch::model::sample::pipelines(6, 200.0);
    io::save_file(&design, &real).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    io::save_file(&design, &link).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private design stays private");
    assert!(io::load_file(&link).is_ok());
}

#[test]
fn a_group_frame_is_typed_in_memory_and_written_back_as_the_same_properties() {
    let text = "Design(format: 1, title: \"t\", nodes: [], groups: [\n    Group(id: \"sized\", kind: Vpc, props: {\"custom\": \"true\", \"height\": \"200\", \"width\": \"320.5\", \"x\": \"-40\", \"y\": \"12.25\"}),\n    Group(id: \"partial\", kind: Generic, props: {\"width\": \"300\", \"x\": \"10\"}),\n])\n";
    let d = load(text).unwrap();
    let frame = d.groups()[0].frame.expect("all four numbers make a frame");
    assert_eq!(frame.values(), [-40.0, 12.25, 320.5, 200.0]);
    assert_eq!(
        d.groups()[0].props.len(),
        1,
        "only `custom` stays a property"
    );
    assert!(
        d.groups()[1].frame.is_none(),
        "two of four numbers make no frame"
    );
    assert_eq!(d.groups()[1].props.len(), 2, "and are kept as written");
    let saved = to_ron_string(&d);
    assert!(
        saved.contains(r#"props: {"custom": "true", "height": "200", "width": "320.5", "x": "-40", "y": "12.25"}"#),
        "{saved}"
    );
    assert!(
        saved.contains(r#"props: {"width": "300", "x": "10"}"#),
        "{saved}"
    );
    assert_eq!(load(&saved).unwrap(), d);
}
