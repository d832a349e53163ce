//! A team's own standards: rule packs (every kind of requirement fires on a design that
//! breaks it and stays quiet on a near miss; wrong packs are errors at their line and
//! column) and own reference architectures, in the library and through `archsketch check`.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::sync::Arc;

use archsketch::rules::pack::{self, RulePack};
use archsketch::rules::team::{Team, reference_from_design};
use archsketch::rules::{self, CheckOptions, Finding, Severity};

fn pack_of(rules: &str) -> RulePack {
    pack::parse(&format!("RulePack(rules: [{rules}])"), "test.rules.ron")
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn check_with_team(design: &str, team: Team) -> Vec<Finding> {
    let options = CheckOptions {
        team: Some(Arc::new(team)),
        ..CheckOptions::default()
    };
    rules::check_with(&common::d(design), &options)
}

/// The ids of the findings of rule `id` when `rule` is the whole pack.
fn fired(rule: &str, id: &str, design: &str) -> Vec<String> {
    check_with_team(design, Team::new(pack_of(rule), Vec::new()))
        .into_iter()
        .filter(|f| f.rule == id)
        .map(|f| {
            f.elements
                .iter()
                .map(|e| e.display_id())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[test]
fn every_kind_of_requirement_fires_on_its_design_and_not_on_its_near_miss() {
    // (requirement and subject, design that breaks it, near miss)
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"on: Service("s3"), when: {"contains_pii": "true"}, require: EdgeFrom(services: ["macie"], kind: Monitor)"#,
            "b: s3 {contains_pii=true}\nm: macie\nm -> b",
            "b: s3 {contains_pii=true}\nm: macie\nm -> b : Monitor\nc: s3",
        ),
        (
            r#"on: Service("lambda"), require: EdgeTo(services: ["dynamodb"])"#,
            "f: lambda\nq: sqs\nf -> q",
            "f: lambda\nd: dynamodb\nf -> d",
        ),
        (
            r#"on: Service("rds"), require: NoEdgeFrom(services: ["users"])"#,
            "u: users\ndb: rds\nu -> db",
            "u: users\na: api_gateway\ndb: rds\nu -> a\na -> db",
        ),
        (
            r#"on: Service("ec2"), require: NoEdgeTo(services: ["internet"])"#,
            "e: ec2\ni: internet\ne -> i",
            "e: ec2\ni: internet\ni -> e",
        ),
        (
            r#"on: Service("dynamodb"), require: PathFrom(["sqs"])"#,
            "a: api_gateway\nf: lambda\nd: dynamodb\na -> f\nf -> d",
            "a: api_gateway\nq: sqs\nf: lambda\nd: dynamodb\na -> q\nq -> f : Trigger\nf -> d",
        ),
        (
            r#"on: Service("kinesis_data_streams"), require: PathTo(["s3"])"#,
            "k: kinesis_data_streams\nf: lambda\nk -> f : Trigger",
            "k: kinesis_data_streams\nh: kinesis_firehose\nb: s3\nk -> h\nh -> b",
        ),
        (
            r#"on: Service("rds"), require: NoPathFrom(["users"])"#,
            "u: users\na: elb\ne: ec2\ndb: rds\nu -> a : Route\na -> e : Route\ne -> db",
            "u: users\na: elb\ne: ec2\ndb: rds\nu -> a : Route\na -> e : Route\ndb -> e",
        ),
        (
            r#"on: Service("lambda"), require: NoPathTo(["users"])"#,
            "f: lambda\ns: sns\nu: users\nf -> s\ns -> u : Notify",
            "f: lambda\ns: sqs\nf -> s",
        ),
        (
            r#"on: Service("rds"), require: Inside(PrivateSubnet)"#,
            "db: rds\n@p: PublicSubnet [db]",
            "db: rds\n@p: PrivateSubnet [db]",
        ),
        (
            r#"on: Family("data_stores"), require: NotInside(PublicSubnet)"#,
            "db: dynamodb\n@p: PublicSubnet [db]",
            "db: dynamodb\n@p: PrivateSubnet [db]\nf: lambda\n@q: PublicSubnet [f]",
        ),
        (
            r#"on: Service("s3"), require: Property(key: "encryption", one_of: ["sse_kms"])"#,
            "b: s3 {encryption=sse_s3}",
            "b: s3 {encryption=sse_kms}",
        ),
        (
            r#"on: Service("ec2"), when: {"purchasing": "spot"}, require: Absent"#,
            "e: ec2 {purchasing=spot}",
            "e: ec2 {purchasing=reserved}",
        ),
        (
            r#"on: Service("nat_gateway"), require: AtMost(1)"#,
            "a: nat_gateway\nb: nat_gateway",
            "a: nat_gateway\nb: internet",
        ),
        (
            r#"on: Service("ec2"), require: AtLeast(2)"#,
            "a: ec2",
            "a: ec2\nb: ec2",
        ),
        (
            r#"on: Design, require: HasGroup(Region)"#,
            "a: ec2",
            "a: ec2\n@r: Region [a] \"us-east-1\"",
        ),
    ];
    for (body, bad, near) in cases {
        let rule = format!(
            r#"Rule(id: "TEAM-1", severity: Warning, message: "{{label}} breaks it", {body})"#
        );
        assert!(
            !fired(&rule, "TEAM-1", bad).is_empty(),
            "{body} did not fire on:\n{bad}"
        );
        assert!(
            fired(&rule, "TEAM-1", near).is_empty(),
            "{body} fired on its near miss:\n{near}"
        );
    }
}

#[test]
fn pack_findings_carry_the_rules_severity_message_explanation_and_link() {
    let rule = r#"Rule(id: "TEAM-KMS", severity: Error, message: "{label} is not encrypted with KMS",
        explanation: "Security standard 4.2", link: "https://wiki.example.com/kms",
        on: Service("s3"), require: Property(key: "encryption", one_of: ["sse_kms"]))"#;
    let findings = check_with_team("b: s3 \"Exports\"", Team::new(pack_of(rule), Vec::new()));
    let f = findings.iter().find(|f| f.rule == "TEAM-KMS").unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.message, "\"Exports\" is not encrypted with KMS");
    assert_eq!(f.quote, "Security standard 4.2");
    assert_eq!(f.source, "https://wiki.example.com/kms");
    // A suppression and a disabled id work on pack rules as on built-in ones.
    let suppressed = check_with_team("b: s3\n!TEAM-KMS b", Team::new(pack_of(rule), Vec::new()));
    assert!(
        suppressed
            .iter()
            .any(|f| f.rule == "TEAM-KMS" && f.suppressed)
    );
    let options = CheckOptions {
        team: Some(Arc::new(Team::new(pack_of(rule), Vec::new()))),
        disabled: ["TEAM-KMS".to_string()].into(),
    };
    assert!(
        !rules::check_with(&common::d("b: s3"), &options)
            .iter()
            .any(|f| f.rule == "TEAM-KMS")
    );
}

#[test]
fn wrong_packs_are_errors_at_their_line_and_column_naming_what_was_meant() {
    let text = r#"RulePack(
    rules: [
        Rule(id: "A1", severity: Error, message: "m",
            on: Service("s4"), require: Inside(PrivateSubnet)),
        Rule(id: "A2", severity: Error, message: "m", on: Service("s3"),
            when: {"contains_pi": "true"},
            require: Property(key: "encryption", one_of: ["kms"])),
        Rule(id: "A1", severity: Error, message: "m", on: Family("dbs"), require: Absent),
        Rule(id: "R016", severity: Error, message: "m", on: Design, require: Absent),
    ],
)"#;
    let errors: Vec<String> = pack::parse(text, "team.rules.ron")
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expect = [
        "team.rules.ron:4:25: rule \"A1\": unknown service \"s4\"; did you mean \"s3\"?",
        "team.rules.ron:6:20: rule \"A2\": s3 has no property \"contains_pi\"; did you mean \"contains_pii\"?",
        "team.rules.ron:7:59: rule \"A2\": \"kms\" is no value of s3's encryption (it takes none, sse_s3, sse_kms, enforced)",
        "team.rules.ron:8:18: rule \"A1\": this id is used by an earlier rule",
        "team.rules.ron:8:66: rule \"A1\": unknown family \"dbs\"",
        "team.rules.ron:9:18: rule \"R016\": this id belongs to a built-in rule or reference; give the team's rule its own",
        "team.rules.ron:9:61: rule \"R016\": `on: Design` goes with `require: HasGroup(...)` only; name services to look at",
    ];
    assert_eq!(errors, expect);
    let syntax = pack::parse(
        "RulePack(rules: [Rule(id: \"A\", severity: Fatal)])",
        "p.ron",
    )
    .unwrap_err();
    assert_eq!(syntax.len(), 1);
    assert_eq!((syntax[0].line, syntax[0].column), (1, 42));
    assert!(
        syntax[0].message.contains("Error, Warning, Info"),
        "{}",
        syntax[0].message
    );
}

#[test]
fn an_own_reference_is_matched_like_the_notes_references() {
    let reference = common::d(
        "api: api_gateway \"Events API\"\nq: sqs \"Buffer\"\nf: lambda \"Handler\"\nd: dynamodb \"Events\"\napi -> q\nq -> f : Trigger\nf -> d",
    );
    let own = reference_from_design(
        &reference,
        "event-pipeline",
        "references/event-pipeline.ron",
    )
    .unwrap();
    assert_eq!(own.stages.len(), 4);
    let team = || Team::new(RulePack::default(), vec![own.clone()]);
    // Followed with other labels and positions: an info naming the reference.
    let follows = check_with_team(
        "a: api_gateway \"In\"\nb: sqs\nc: lambda\nd: dynamodb\na -> b\nb -> c : Trigger\nc -> d",
        team(),
    );
    let f = follows.iter().find(|f| f.rule == "event-pipeline").unwrap();
    assert_eq!(f.severity, Severity::Info, "{}", f.message);
    // The queue left out: a warning that names the missing stage between its neighbours.
    let skipped = check_with_team(
        "a: api_gateway\nc: lambda\nd: dynamodb\na -> c\nc -> d",
        team(),
    );
    let f = skipped.iter().find(|f| f.rule == "event-pipeline").unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "Departs from own reference event-pipeline: missing Buffer between Events API and Handler"
    );
    assert!(reference_from_design(&common::d("a: s3"), "x", "x").is_err());
    assert!(reference_from_design(&reference, "T05", "x").is_err());
}

fn archsketch(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_reads_the_pack_and_references_next_to_the_designs() {
    let (code, out, _) = archsketch(&["check", "examples/team/orders.ron"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error TEAM-PII-KMS [exports] \"Customer exports\" holds personal data but is not encrypted with KMS"),
        "{out}"
    );
    assert!(
        out.contains("warning event-pipeline [api, handler, store] Departs from own reference Our event pipeline (event-pipeline): missing Buffer between Events API and Handler"),
        "{out}"
    );
    // Turning the team's rules off by id works like turning off a built-in one.
    let (code, out, err) = archsketch(&[
        "check",
        "examples/team/orders.ron",
        "--disable",
        "TEAM-PII-KMS,event-pipeline",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("TEAM-PII-KMS") && !out.contains("event-pipeline"));
    // SARIF describes the pack's rules, with their links, and the own reference.
    let (_, sarif, _) = archsketch(&["check", "examples/team/orders.ron", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let kms = rules.iter().find(|r| r["id"] == "TEAM-PII-KMS").unwrap();
    assert_eq!(kms["helpUri"], "https://wiki.example.com/security/pii");
    assert_eq!(kms["defaultConfiguration"]["level"], "error");
    assert!(rules.iter().any(|r| r["id"] == "event-pipeline"));
}

#[test]
fn check_takes_a_pack_and_references_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("orders.ron");
    std::fs::copy("examples/team/orders.ron", &design).unwrap();
    // Nothing next to the copy: only the built-in rules.
    let (_, out, _) = archsketch(&["check", design.to_str().unwrap()]);
    assert!(
        !out.contains("TEAM-") && !out.contains("event-pipeline"),
        "{out}"
    );
    let (code, out, _) = archsketch(&[
        "check",
        design.to_str().unwrap(),
        "--rules",
        "examples/team/archsketch.rules.ron",
        "--references",
        "examples/team/references",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("TEAM-PII-KMS") && out.contains("event-pipeline"),
        "{out}"
    );
}

#[test]
fn a_broken_pack_stops_the_check_with_every_problem_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("examples/team/orders.ron", dir.path().join("orders.ron")).unwrap();
    std::fs::write(
        dir.path().join("archsketch.rules.ron"),
        "RulePack(rules: [\n  Rule(id: \"X\", severity: Error, message: \"m\", on: Service(\"s4\"), require: Absent),\n])\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("references")).unwrap();
    std::fs::write(
        dir.path().join("references").join("t05.ron"),
        "not a design",
    )
    .unwrap();
    let (code, out, err) = archsketch(&["check", dir.path().join("orders.ron").to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.is_empty(),
        "nothing is reported with half the standards: {out}"
    );
    assert!(
        err.contains(
            "archsketch.rules.ron:2:60: rule \"X\": unknown service \"s4\"; did you mean \"s3\"?"
        ),
        "{err}"
    );
    assert!(err.contains("t05.ron"), "{err}");
}

#[test]
fn pack_findings_earn_badges_and_a_followed_own_reference_does_not() {
    let rule = r#"Rule(id: "TEAM-TAG", severity: Info, message: "{label} needs a cost tag",
        on: Service("lambda"), require: Property(key: "purpose", one_of: ["api"]))"#;
    let reference = common::d("a: api_gateway\nf: lambda\nd: dynamodb\na -> f\nf -> d");
    let own = reference_from_design(&reference, "api-stack", "x").unwrap();
    let findings = check_with_team(
        "a: api_gateway\nf: lambda\nd: dynamodb\na -> f\nf -> d",
        Team::new(pack_of(rule), vec![own]),
    );
    let tag = findings.iter().find(|f| f.rule == "TEAM-TAG").unwrap();
    assert!(tag.badged(), "an info of a team rule is about its element");
    let follows = findings.iter().find(|f| f.rule == "api-stack").unwrap();
    assert_eq!(follows.severity, Severity::Info, "{}", follows.message);
    assert!(
        !follows.badged(),
        "following a reference is news about the pipeline"
    );
}
