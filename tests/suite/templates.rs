//! The reference-architecture templates and the matcher: every template loads, saves back
//! unchanged, checks clean and matches its own reference; the matcher tolerates extra nodes,
//! alternative branches and renamed labels, and reports removed and swapped stages.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use archsketch::edit::{apply, ops};
use archsketch::io::to_ron_string;
use archsketch::model::{ElementRef, Pos};
use archsketch::rules::{self, Finding, Severity};
use archsketch::templates::{TEMPLATES, find};

fn conformance(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.rule.starts_with('T'))
        .collect()
}

#[test]
fn there_are_35_templates_one_per_reference_architecture() {
    assert_eq!(TEMPLATES.len(), 35);
    for (i, t) in TEMPLATES.iter().enumerate() {
        assert_eq!(t.id, format!("t{:02}", i + 1));
        assert!(t.file.starts_with(t.id) && t.file.ends_with(".ron"));
    }
}

#[test]
fn every_template_loads_saves_unchanged_and_checks_clean() {
    for t in TEMPLATES {
        let d = t.design().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            to_ron_string(&d),
            t.text,
            "{} does not save back byte-identically",
            t.file
        );
        assert!(
            d.title.starts_with(&t.id.to_uppercase()),
            "{}: title {}",
            t.file,
            d.title
        );
        assert!(
            d.description.contains("note"),
            "{}: the description cites its note",
            t.file
        );
        let findings = rules::check(&d);
        let bad: Vec<String> = findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| format!("{} {} {}", f.rule, f.severity.name(), f.message))
            .collect();
        assert!(bad.is_empty(), "{}:\n{}", t.file, bad.join("\n"));
        let own: Vec<&Finding> = conformance(&findings)
            .into_iter()
            .filter(|f| f.rule.eq_ignore_ascii_case(t.id))
            .collect();
        assert_eq!(own.len(), 1, "{} matches its own reference", t.file);
        assert_eq!(
            own[0].severity,
            Severity::Info,
            "{}: {}",
            t.file,
            own[0].message
        );
    }
}

#[test]
fn templates_with_inferred_parts_say_so() {
    for id in ["t03", "t04", "t07", "t19", "t21", "t26", "t30", "t31"] {
        let d = find(id).unwrap().design().unwrap();
        assert!(d.description.to_lowercase().contains("inferred"), "{id}");
    }
}

#[test]
fn a_removed_stage_is_reported_as_missing_between_its_neighbours() {
    let mut d = find("t01").unwrap().design().unwrap();
    let cmd = ops::delete(&d, &[ElementRef::Node(nid("glue"))]).unwrap();
    apply(&mut d, cmd).unwrap();
    let f = rules::check(&d);
    let t01 = conformance(&f)
        .into_iter()
        .find(|f| f.rule == "T01")
        .expect("still closest to T01");
    assert_eq!(t01.severity, Severity::Warning);
    assert_eq!(
        t01.message,
        "Departs from T01 S3 data lake: missing Glue Data Catalog between S3 and Athena"
    );
}

#[test]
fn a_swapped_stage_is_reported_out_of_order() {
    // T05 with the Lambda before Kinesis: social media -> Lambda -> Kinesis -> database.
    let d = common::d(
        "feed: social_media\nfn: lambda\nstream: kinesis_data_streams\ndb: dynamodb\nfeed -> fn : Trigger\nfn -> stream\nstream -> db",
    );
    let f = rules::check(&d);
    let t05 = conformance(&f)
        .into_iter()
        .find(|f| f.rule == "T05")
        .expect("matches T05");
    assert_eq!(t05.severity, Severity::Warning);
    assert!(
        t05.message.contains("Lambda comes after") || t05.message.contains("comes after Lambda"),
        "{}",
        t05.message
    );
}

#[test]
fn extra_nodes_other_branches_and_renamed_labels_still_match() {
    let mut d = find("t01").unwrap().design().unwrap();
    for n in d.nodes_mut() {
        *n.label = format!("renamed {}", n.id);
    }
    // Drop the Athena branch (EMR remains), and add an unrelated extra consumer.
    let cmd = ops::delete(&d, &[ElementRef::Node(nid("athena"))]).unwrap();
    apply(&mut d, cmd).unwrap();
    let (add, id) = ops::add_node(&d, "sns", Pos::new(700.0, 300.0), None);
    apply(&mut d, add).unwrap();
    let connect = ops::connect(&d, &nid("sagemaker").into(), &id.into()).unwrap();
    apply(&mut d, connect).unwrap();
    let f = rules::check(&d);
    let t01 = conformance(&f)
        .into_iter()
        .find(|f| f.rule == "T01")
        .expect("matches T01");
    assert_eq!(t01.severity, Severity::Info, "{}", t01.message);
    assert!(
        t01.message.contains("S3, Glue, EMR, SageMaker") && !t01.message.contains("without"),
        "{}",
        t01.message
    );
}

/// The conformance finding of a design given in the test notation, with its rule.
fn only_conformance(text: &str) -> Finding {
    let findings = rules::check(&common::d(text));
    let found = conformance(&findings);
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found[0].clone()
}

#[test]
fn a_lake_feeding_dashboards_follows_the_s3_data_lake_as_a_valid_variant() {
    // The pipeline a new user draws: nothing in the notes asks a lake for a mobile app or
    // Macie, so it is T01 (QuickSight on Athena is optional there), not T02.
    let f = only_conformance(
        "dev: iot_devices\nkds: kinesis_data_streams\nlake: s3\nglue: glue\nsql: athena\nbi: quicksight\n\
         dev -> kds\nkds -> lake\nlake -> glue : Catalog\nglue -> sql : Catalog\nlake -> sql : Query\nsql -> bi",
    );
    assert_eq!(f.rule, "T01");
    assert_eq!(f.severity, Severity::Info, "{}", f.message);
    assert_eq!(
        f.message,
        "Matches T01 S3 data lake: source, ingest, S3, Glue, Athena, QuickSight; without SageMaker"
    );
}

#[test]
fn variants_of_a_reference_match_it_without_warnings() {
    // Each variant of T05 (social media -> Kinesis -> Lambda -> database) that the notes allow.
    for (what, text) in [
        (
            "another producer",
            "src: iot_devices\ns: kinesis_data_streams\nf: lambda\ndb: dynamodb\nsrc -> s\ns -> f : Trigger\nf -> db",
        ),
        (
            "the database swapped for an alternative",
            "src: social_media\ns: kinesis_data_streams\nf: lambda\ndb: aurora\nsrc -> s\ns -> f : Trigger\nf -> db",
        ),
        (
            "starting later, at the stream",
            "s: kinesis_data_streams\nf: lambda\ndb: rds\ns -> f : Trigger\nf -> db",
        ),
    ] {
        let f = only_conformance(text);
        assert_eq!(f.rule, "T05", "{what}");
        assert_eq!(f.severity, Severity::Info, "{what}: {}", f.message);
    }
    // T01 without its optional source and BI stages, and stopping before SageMaker.
    let f = only_conformance(
        "kds: kinesis_firehose\nlake: s3\ncat: glue_data_catalog\nq: emr\nkds -> lake\nlake -> cat : Catalog\ncat -> q : Catalog\nlake -> q : Query",
    );
    assert_eq!(
        (f.rule.as_str(), f.severity),
        ("T01", Severity::Info),
        "{}",
        f.message
    );
    assert!(f.message.ends_with("without SageMaker"), "{}", f.message);
}

#[test]
fn relabelled_and_moved_templates_still_match_themselves_without_warnings() {
    for t in TEMPLATES {
        let mut d = t.design().unwrap();
        for (i, n) in d.nodes_mut().enumerate() {
            *n.label = format!("component {i}");
            *n.pos = Pos::new(n.pos.x * 1.7 + 300.0, 900.0 - n.pos.y);
        }
        let findings = rules::check(&d);
        let own = conformance(&findings)
            .into_iter()
            .find(|f| f.rule.eq_ignore_ascii_case(t.id))
            .unwrap_or_else(|| panic!("{} no longer matches itself", t.id));
        assert_eq!(own.severity, Severity::Info, "{}: {}", t.id, own.message);
    }
}

#[test]
fn a_reversed_pipeline_warns_and_names_the_stages() {
    let f = only_conformance(
        "db: dynamodb\nf: lambda\ns: kinesis_data_streams\nsrc: social_media\ndb -> f\nf -> s\ns -> src",
    );
    assert_eq!((f.rule.as_str(), f.severity), ("T05", Severity::Warning));
    assert!(f.message.contains("comes after"), "{}", f.message);
    assert!(f.message.starts_with("Departs from T05"), "{}", f.message);
}

#[test]
fn designs_that_match_nothing_well_get_no_conformance_finding() {
    for text in [
        "a: s3\nb: athena\na -> b : Query",
        "a: sqs",
        "a: ec2\nb: ebs\nb -> a : Attach",
        "x: route53\ny: ses\nx -> y",
    ] {
        assert!(
            conformance(&rules::check(&common::d(text))).is_empty(),
            "{text}"
        );
    }
}

#[test]
fn cli_lists_templates_and_starts_a_design_from_one() {
    let bin = env!("CARGO_BIN_EXE_archsketch");
    let out = std::process::Command::new(bin)
        .arg("templates")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 35);
    assert!(text.starts_with("t01  T01 Simple S3 data lake"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lake.ron");
    let ok = std::process::Command::new(bin)
        .args(["new", "--template", "T01", path.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        find("t01").unwrap().text
    );
    let again = std::process::Command::new(bin)
        .args(["new", "--template", "t01", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing file is not overwritten"
    );
    let unknown = std::process::Command::new(bin)
        .args(["new", "--template", "t99", "x.ron"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}
