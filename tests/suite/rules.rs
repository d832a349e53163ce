//! Every implemented rule has a design that triggers it and a near miss that does not; quick
//! fixes resolve their finding in one undoable step; suppressions and settings silence rules.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use archsketch::edit::{History, apply};
use archsketch::rules::{self, CheckOptions, Severity};
use common::d;

/// (rule, a design that triggers it, a near miss that does not).
const CASES: &[(&str, &str, &str)] = &[
    ("G001", "x: quantum_toaster", "x: s3"),
    (
        "G002",
        "b: s3 {versioning=maybe}",
        "b: s3 {versioning=enabled}",
    ),
    (
        "G003",
        "a: s3\n@g: Generic [a] {x=20000000, y=0, width=100, height=100}",
        "a: s3\n@g: Generic [a] {x=9000000, y=0, width=100, height=100}",
    ),
    (
        "R001",
        "a: athena\ng: glue\ng -> a : Catalog",
        "s: s3\ng: glue\na: athena\ns -> g : Catalog\ng -> a : Catalog",
    ),
    (
        "R002",
        "s: s3\na: athena\nv: efs\ns -> a : Query\na -> v",
        "s: s3\na: athena\no: s3\ns -> a : Query\na -> o",
    ),
    (
        "R003",
        "s: s3\ng: glue\ns -> g : Catalog",
        "s: s3\ng: glue\na: athena\ns -> g : Catalog\ng -> a : Catalog",
    ),
    (
        "R004",
        "g: glue\na: athena\ng -> a : Catalog",
        "s: s3\ng: glue\na: athena\ns -> g : Catalog\ng -> a : Catalog",
    ),
    (
        "R005",
        "c: glue_data_catalog\nl: lambda\nc -> l : Catalog",
        "c: glue_data_catalog\na: athena\nc -> a : Catalog",
    ),
    (
        "R006",
        "k: kinesis_data_streams\nr: redshift\nk -> r",
        "k: kinesis_data_streams\ns: s3\ng: glue\nr: redshift\nk -> s\ns -> g : Catalog\ng -> r",
    ),
    (
        "R007",
        "u: users\nr: redshift\nu -> r : Route",
        "b: bi_client\nr: redshift\nr -> b : Query",
    ),
    (
        "R008",
        "v: kinesis_video_streams\ns: s3\nr: redshift\nv -> s\ns -> r",
        "v: kinesis_video_streams\ns: s3\ng: glue\nr: redshift\nv -> s\ns -> g\ng -> r",
    ),
    (
        "R009",
        "q: quicksight",
        "a: athena\nq: quicksight\na -> q : Query",
    ),
    ("R010", "e: emr", "s: s3\ne: emr\ns -> e : Query"),
    (
        "R011",
        "x: apache_spark",
        "x: apache_spark\ne: emr\nx -> e : Attach",
    ),
    (
        "R012",
        "e: emr {role=core, purchasing=spot}",
        "e: emr {role=task, purchasing=spot}",
    ),
    (
        "R013",
        "k: kinesis_data_streams\ns: s3\nk -> s",
        "i: iot_devices\nk: kinesis_data_streams\ns: s3\ni -> k\nk -> s",
    ),
    (
        "R014",
        "k: kinesis_data_streams {payload=video}",
        "k: kinesis_video_streams {payload=video}",
    ),
    (
        "R015",
        "v: kinesis_video_streams {retention_days=30}",
        "v: kinesis_video_streams {retention_days=7}",
    ),
    (
        "R016",
        "b: s3 {contains_pii=true}",
        "b: s3 {contains_pii=true}\nm: macie\nm -> b : Monitor",
    ),
    (
        "R017",
        "m: macie\nr: redshift\ns: s3\nm -> s : Monitor\nm -> r : Monitor",
        "m: macie\ns: s3\nm -> s : Monitor",
    ),
    ("R018", "m: macie", "m: macie\ns: s3\nm -> s : Monitor"),
    ("R019", "m: sagemaker", "s: s3\nm: sagemaker\ns -> m"),
    ("R020", "x: amazon_machine_learning", "x: sagemaker"),
    (
        "R021",
        "m: sagemaker {instance_type=p3.2xlarge}",
        "m: sagemaker {instance_type=ml.p3.2xlarge}",
    ),
    ("R022", "e: ec2 {count=40}", "e: ec2 {count=4}"),
    (
        "R023",
        "e: eks {workload=ml_containers, family=general_purpose}",
        "e: eks {workload=ml_containers, family=accelerated}",
    ),
    (
        "R024",
        "l: lambda {purpose=retraining}\nm: sagemaker\nl -> m : Trigger",
        "s: s3\nl: lambda {purpose=retraining}\nm: sagemaker\ns -> l : Trigger\nl -> m : Trigger",
    ),
    (
        "R025",
        "e: ec2 {workload=simulation, family=memory_optimized}",
        "e: ec2 {workload=simulation, family=compute_optimized}",
    ),
    (
        "R026",
        "e: ec2 {purchasing=spot, role=database}",
        "e: ec2 {purchasing=spot, role=batch}",
    ),
    (
        "R027",
        "e: ec2 {purchasing=on_demand, role=batch}",
        "e: ec2 {purchasing=spot, role=batch}",
    ),
    (
        "R028",
        "e: ec2 {purchasing=reserved, term_years=2}",
        "e: ec2 {purchasing=reserved, term_years=3}",
    ),
    (
        "R029",
        "e: ec2 {purchasing=reserved, instance_type=m5.large, reserved_type=c5.large}",
        "e: ec2 {purchasing=convertible_reserved, instance_type=m5.large, reserved_type=c5.large}",
    ),
    (
        "R030",
        "u: users\nl: elb\nu -> l : Route",
        "u: users\nl: elb\na: ec2\nb: ec2\nu -> l : Route\nl -> a : Route\nl -> b : Route",
    ),
    (
        "R031",
        "l: elb\na: ec2\nb: ec2\nl -> a : Route\nl -> b : Route",
        "u: users\nl: elb\na: ec2\nb: ec2\nu -> l : Route\nl -> a : Route\nl -> b : Route",
    ),
    (
        "R032",
        "a: ec2\nl: lambda\n@asg: AutoScalingGroup [a, l]",
        "a: ec2\nb: ec2\n@asg: AutoScalingGroup [a, b]",
    ),
    (
        "R033",
        "u: users\nl: elb\na: ec2\nb: ec2\nu -> l : Route\nl -> a : Route\nl -> b : Route",
        "u: users\nl: elb\na: ec2\nb: ec2\nu -> l : Route\nl -> asg : Route\n@asg: AutoScalingGroup [a, b]",
    ),
    (
        "R034",
        "v: ebs\na: ec2\nb: ec2\nv -> a : Attach\nv -> b : Attach",
        "v: ebs {multi_attach=true}\na: ec2\nb: ec2\nv -> a : Attach\nv -> b : Attach",
    ),
    (
        "R035",
        "v: ebs {az=us-east-1a}\na: ec2 {az=us-east-1b}\nv -> a : Attach",
        "v: ebs {az=us-east-1a}\na: ec2 {az=us-east-1a}\nv -> a : Attach",
    ),
    (
        "R036",
        "v: ebs\nl: lambda\nv -> l : Attach",
        "v: ebs\na: ec2\nv -> a : Attach",
    ),
    ("R037", "v: ebs", "v: ebs\na: ec2\nv -> a : Attach"),
    (
        "R038",
        "x: ec2_instance_store {data=database}",
        "x: ec2_instance_store {data=cache}",
    ),
    (
        "R039",
        "f: efs\na: ec2 {os=windows}\nf -> a : Mount",
        "f: efs\na: ec2 {os=linux}\nf -> a : Mount",
    ),
    (
        "R040",
        "m: ami {region=us-east-1}\ne: ec2 {region=eu-west-1}\nm -> e",
        "m: ami {region=eu-west-1}\ne: ec2 {region=eu-west-1}\nm -> e",
    ),
    (
        "R041",
        "e: ec2 {state=running}\nm: ami\ne -> m",
        "e: ec2 {state=stopped}\nm: ami\ne -> m",
    ),
    (
        "R042",
        "c: ssh_client\nr: rds\nc -> r",
        "c: ssh_client\ne: ec2\nk: key_pair\nc -> e\nk -> e : Attach",
    ),
    (
        "R043",
        "c: ssh_client\ne: ec2\nc -> e",
        "c: ssh_client\ne: ec2\nk: key_pair\nc -> e\nk -> e : Attach",
    ),
    (
        "R044",
        "u: users\nm: session_manager\ne: ec2\ng: security_group {inbound_ports=22}\nu -> m\nm -> e\ng -> e : Attach",
        "u: users\nm: session_manager\ne: ec2\ng: security_group {inbound_ports=443}\nu -> m\nm -> e\ng -> e : Attach",
    ),
    (
        "R045",
        "u: users\ne: ec2\ng: security_group {inbound_ports=22}\nu -> e : Route\ng -> e : Attach",
        "u: users\ne: ec2\ng: security_group {inbound_ports=22 443}\nu -> e : Route\ng -> e : Attach",
    ),
    ("R046", "l: lambda", "s: s3\nl: lambda\ns -> l : Trigger"),
    (
        "R047",
        "a: ec2\nl: lambda\n@asg: AutoScalingGroup [a, l]",
        "a: ec2\nb: ec2\nl: lambda\n@asg: AutoScalingGroup [a, b]",
    ),
    (
        "R048",
        "l: lambda {load=steady_heavy}",
        "l: lambda {load=bursty}",
    ),
    ("R049", "e: ecs", "r: ecr\ne: ecs\nr -> e : Pull"),
    (
        "R050",
        "i: container_image\ne: ecs\ni -> e",
        "i: container_image\nr: ecr\ne: ecs\ni -> r : Push\nr -> e : Pull",
    ),
    (
        "R051",
        "e: ecs {launch_type=ec2}",
        "e: ecs {launch_type=ec2}\nc: ecs_container_instance\ne -> c : Attach",
    ),
    (
        "R052",
        "i: container_image {visibility=private}\nh: docker_hub\ni -> h : Push",
        "i: container_image {visibility=public}\nh: docker_hub\ni -> h : Push",
    ),
    (
        "R053",
        "a: fargate {az=us-east-1a}\nb: fargate {az=us-east-1a}",
        "a: fargate {az=us-east-1a}\nb: fargate {az=us-east-1b}",
    ),
    (
        "R054",
        "l: elb {type=nlb}\ne: ecs\nl -> e : Route",
        "l: elb {type=alb}\ne: ecs\nl -> e : Route",
    ),
    (
        "R055",
        "b: s3 {bucket_name=Shop_Raw}",
        "b: s3 {bucket_name=shop-raw}",
    ),
    (
        "R056",
        "a: s3 {bucket_name=shop-raw}\nb: s3 {bucket_name=shop-raw}",
        "a: s3 {bucket_name=shop-raw}\nb: s3 {bucket_name=shop-curated}",
    ),
    ("R057", "b: s3", "b: s3\n@r: Region [b] \"us-east-1\""),
    (
        "R058",
        "a: s3 {object_size_gb=6000}\nb: s3 {object_size_gb=6}",
        "b: s3 {object_size_gb=4000, upload=multipart}",
    ),
    ("R059", "b: s3 {object_tags=12}", "b: s3 {object_tags=10}"),
    (
        "R060",
        "a: s3 {versioning=enabled}\nb: s3\na -> b : Replicate",
        "a: s3 {versioning=enabled}\nb: s3 {versioning=enabled}\na -> b : Replicate",
    ),
    (
        "R061",
        "a: s3\nb: s3\na -> b : Replicate",
        "a: s3\nb: s3\na -> b : Replicate {iam_role=replication}",
    ),
    (
        "R062",
        "a: s3 {region=us-east-1}\nb: s3 {region=eu-west-1}\na -> b : Replicate",
        "a: s3 {region=us-east-1}\nb: s3 {region=eu-west-1}\na -> b : Replicate \"CRR\"",
    ),
    ("R063", "b: s3", "b: s3 {versioning=enabled}"),
    (
        "R064",
        "u: users\nb: s3\nu -> b : Route",
        "u: users\nb: s3 {public_read=true}\nu -> b : Route",
    ),
    (
        "R065",
        "b: s3\nb -> b : LogTo",
        "b: s3\nl: s3\nb -> l : LogTo",
    ),
    (
        "R066",
        "g: s3_glacier\ns: s3_standard_ia\ng -> s : Transition",
        "s: s3_standard_ia\ng: s3_glacier\ns -> g : Transition",
    ),
    (
        "R067",
        "g: s3_glacier_deep_archive {retrieval_tier=expedited}",
        "g: s3_glacier {retrieval_tier=expedited}",
    ),
    (
        "R068",
        "g: s3_glacier\na: athena\ng -> a : Query",
        "s: s3_standard\na: athena\ns -> a : Query",
    ),
    (
        "R069",
        "o: s3_one_zone_ia {data=primary}",
        "o: s3_one_zone_ia {data=reproducible}",
    ),
    (
        "R070",
        "b: s3 {access=frequent, storage_class=glacier}",
        "b: s3 {access=frequent, storage_class=standard}",
    ),
    (
        "R071",
        "b: s3 {storage_class=reduced_redundancy}",
        "b: s3 {storage_class=standard}",
    ),
    (
        "R072",
        "b: s3\nf: ml_consumer \"raw/\"\nb -> f",
        "b: s3\nf: ml_consumer \"raw\"\nb -> f",
    ),
    (
        "R073",
        "b: s3 {contains_pii=true}",
        "b: s3 {contains_pii=true, encryption=enforced}",
    ),
    ("R074", "r: rds {engine=db2}", "r: rds {engine=postgres}"),
    (
        "R075",
        "a: aurora {engine=oracle}",
        "a: aurora {engine=postgresql}",
    ),
    (
        "R076",
        "a: aurora {free_tier=true}",
        "a: aurora {free_tier=false}",
    ),
    (
        "R077",
        "a: aurora {storage_tb=100}",
        "a: aurora {storage_tb=64}",
    ),
    (
        "R078",
        "r: rds {workload=read_heavy}",
        "r: rds {workload=read_heavy}\nc: elasticache\nc -> r",
    ),
    (
        "R079",
        "c: elasticache",
        "e: ec2\nc: elasticache\nr: rds\ne -> c\nc -> r",
    ),
    (
        "R080",
        "r: rds {environment=production}",
        "r: rds {environment=production, multi_az=true}",
    ),
    (
        "R081",
        "d: ec2_hosted_db",
        "b: aws_backup\nd: ec2_hosted_db\nb -> d : Backup",
    ),
    (
        "R082",
        "t: dynamodb {workload=relational}",
        "t: dynamodb {workload=key_value}",
    ),
    (
        "R083",
        "m: dms\nr: rds\nm -> r",
        "o: on_premises_dc\nm: dms\nr: rds\no -> m\nm -> r : Replicate",
    ),
    (
        "R084",
        "o: on_premises_dc {engine=sqlserver}\nm: dms\na: aurora {engine=postgresql}\no -> m\nm -> a : Replicate",
        "o: on_premises_dc {engine=sqlserver}\nt: sct\nm: dms\na: aurora {engine=postgresql}\no -> m\nm -> a : Replicate\nt -> m",
    ),
    (
        "R085",
        "o: on_premises_dc {data_volume_tb=2000}\nv: vpn\no -> v : Connect",
        "o: on_premises_dc {data_volume_tb=2000}\nx: snow_family\ns: s3\no -> x\nx -> s",
    ),
    (
        "R086",
        "r: rds\nx: datasync\ns: s3\nr -> x\nx -> s",
        "o: on_premises_dc\nx: datasync\ns: s3\no -> x\nx -> s",
    ),
    (
        "R087",
        "e: ec2 {region=us-east-1}\nf: ec2 {region=eu-west-1}\n@v: Vpc [e, f]",
        "e: ec2 {region=us-east-1}\nf: ec2 {region=us-east-1}\n@v: Vpc [e, f]",
    ),
    (
        "R088",
        "e: ec2\n@s: PrivateSubnet [e]",
        "e: ec2\n@s: PrivateSubnet [e]\n@v: Vpc [s]",
    ),
    (
        "R089",
        "n: nacl\ne: ec2\nn -> e : Attach",
        "g: security_group\ne: ec2\ng -> e : Attach",
    ),
    (
        "R090",
        "g: security_group {effect=deny}",
        "g: security_group {effect=allow}",
    ),
    (
        "R091",
        "g: security_group {source=anywhere}",
        "g: security_group {source=10.0.0.0/16}",
    ),
    (
        "R092",
        "u: users\ne: ec2\nu -> e : Route\n@v: Vpc [e] {custom=true}",
        "u: users\ni: network_gateway\ne: ec2\nu -> i : Route\ni -> e : Route\n@v: Vpc [i, e] {custom=true}",
    ),
    (
        "R093",
        "o: on_premises_dc\ne: ec2\no -> e\n@v: Vpc [e]",
        "o: on_premises_dc\nn: vpn\ne: ec2\no -> n : Connect\nn -> e : Connect\n@v: Vpc [e]",
    ),
    (
        "R094",
        "v: vpn {traffic=mission_critical}",
        "v: vpn {traffic=temporary}",
    ),
    (
        "R095",
        "e: ec2\ns: s3\ne -> s\n@p: PrivateSubnet [e]",
        "e: ec2\ns: s3\ne -> s\n@p: PublicSubnet [e]",
    ),
    (
        "R096",
        "r: route53",
        "r: route53\nc: cloudfront\nr -> c : Route",
    ),
    (
        "R097",
        "u: users\nc: cloudfront\nu -> c : Route",
        "u: users\nc: cloudfront\ns: s3\nu -> c : Route\nc -> s : Route",
    ),
    (
        "R098",
        "u: users\ns: s3 {content=global_static}\nu -> s : Route",
        "u: users\ns: s3 {content=dynamic}\nu -> s : Route",
    ),
    (
        "R099",
        "q: sqs\nl: lambda\nq -> l : Trigger",
        "e: ec2\nq: sqs\nl: lambda\ne -> q\nq -> l : Trigger",
    ),
    (
        "R100",
        "l: lambda\nt: sns\nl -> t",
        "l: lambda\nt: sns\nu: users\nl -> t\nt -> u : Notify",
    ),
    (
        "R101",
        "b: eventbridge\nl: lambda\nb -> l : Trigger",
        "s: s3\nb: eventbridge\nl: lambda\ns -> b\nb -> l : Trigger",
    ),
    (
        "R102",
        "t: sns {ordered=true}",
        "t: sns {ordered=true, fifo=true}",
    ),
    (
        "R103",
        "r: iam_root_account\nk: access_key\nk -> r : Attach",
        "r: iam_root_account\nu: iam_user {mfa=true}\nk: access_key\nk -> u : Attach",
    ),
    (
        "R104",
        "a: iam_group\nb: iam_group\na -> b : MemberOf",
        "u: iam_user {mfa=true}\nb: iam_group\nu -> b : MemberOf",
    ),
    (
        "R105",
        "p: iam_policy {actions=s3:*}",
        "p: iam_policy {actions=s3:GetObject}",
    ),
    ("R106", "u: iam_user", "u: iam_user {mfa=true}"),
    (
        "R107",
        "k: access_key\na: iam_user\nb: iam_user\nk -> a : Attach\nk -> b : Attach",
        "k: access_key\na: iam_user\nk -> a : Attach",
    ),
    (
        "R108",
        "l: lambda\nt: dynamodb\nu: iam_user\ns: s3\ns -> l : Trigger\nl -> t",
        "l: lambda\nt: dynamodb\nr: iam_role\ns: s3\ns -> l : Trigger\nl -> t\nr -> l : AssumeRole",
    ),
    (
        "R109",
        "u: iam_user\nb: s3\nu -> b",
        "u: iam_user\np: iam_policy\nb: s3\np -> u : Attach\nu -> b",
    ),
    (
        "R110",
        "i: iot_devices\nd: dynamodb\ni -> d",
        "i: iot_devices\nc: iot_core\ni -> c",
    ),
];

fn rules_in(design: &archsketch::model::Design) -> Vec<String> {
    rules::check(design).into_iter().map(|f| f.rule).collect()
}

#[test]
fn every_rule_triggers_on_its_design_and_not_on_its_near_miss() {
    let mut failures = Vec::new();
    for (id, trigger, near) in CASES {
        if !rules_in(&d(trigger)).iter().any(|r| r == id) {
            failures.push(format!("{id} did not fire on its trigger design"));
        }
        let near_rules = rules_in(&d(near));
        if near_rules.iter().any(|r| r == id) {
            failures.push(format!("{id} fired on its near miss"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_registry_covers_every_rule_once_with_no_gaps_and_each_has_a_case() {
    let registry = rules::registry();
    for r in &registry {
        assert!(
            CASES.iter().any(|(id, _, _)| id == &r.id),
            "{} has no test case",
            r.id
        );
    }
    // Ids run R001, R002, ... (and G001, ...) without a gap or a repeat: a rule declared but
    // left out of its module's list, or listed twice, shows here, whatever the count.
    for prefix in ['R', 'G'] {
        let numbers: Vec<usize> = registry
            .iter()
            .filter_map(|r| r.id.strip_prefix(prefix))
            .map(|n| n.parse().unwrap())
            .collect();
        let expected: Vec<usize> = (1..=numbers.len()).collect();
        assert_eq!(numbers, expected, "{prefix} rules are not numbered 1..n");
    }
    let unique: std::collections::HashSet<_> = registry.iter().map(|r| r.id).collect();
    assert_eq!(unique.len(), registry.len(), "a rule id is used twice");
}

#[test]
fn quick_fixes_resolve_their_finding_in_one_undoable_step() {
    for (id, trigger, _) in CASES {
        let design = d(trigger);
        let findings: Vec<_> = rules::check(&design)
            .into_iter()
            .filter(|f| f.rule == *id)
            .collect();
        let rule = rules::registry().into_iter().find(|r| r.id == *id).unwrap();
        let with_fix: Vec<_> = findings.iter().filter(|f| f.fix.is_some()).collect();
        assert_eq!(
            rule.has_fix(),
            !with_fix.is_empty(),
            "{id}: a rule with fixes offers none on its case, or one without offers one"
        );
        for f in with_fix {
            let fix = f.fix.as_ref().unwrap();
            let mut fixed = design.clone();
            let mut history = History::default();
            history
                .apply(&mut fixed, fix.command.clone(), None)
                .unwrap_or_else(|e| panic!("{id}: fix does not apply: {e}"));
            fixed.validate().unwrap();
            let after = rules::check(&fixed);
            // The rule no longer fires on those elements, whatever it would now say.
            let same = after
                .iter()
                .any(|g| g.rule == f.rule && g.elements == f.elements);
            assert!(
                !same,
                "{id}: \"{}\" still reported after \"{}\"",
                f.message, fix.title
            );
            assert!(history.undo(&mut fixed));
            assert_eq!(fixed, design, "{id}: one undo restores the design");
        }
    }
}

#[test]
fn a_finding_names_elements_by_label_and_carries_the_quote() {
    let f = rules::check(&d("b: s3 {bucket_name=Shop_Raw} \"Raw zone\""))
        .into_iter()
        .find(|f| f.rule == "R055")
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("\"Raw zone\""), "{}", f.message);
    assert!(f.message.contains("uppercase"), "{}", f.message);
    assert_eq!(f.source, "2:372-376");
    assert_eq!(
        f.fix.as_ref().unwrap().title,
        "Rename the bucket \"shop-raw\""
    );
}

#[test]
fn suppressions_mark_findings_for_an_element_or_the_whole_design() {
    let one = d("a: s3\nb: s3\n!R063 a");
    let f: Vec<_> = rules::check(&one)
        .into_iter()
        .filter(|f| f.rule == "R063")
        .collect();
    assert_eq!(f.iter().filter(|f| f.suppressed).count(), 1);
    assert_eq!(f.iter().filter(|f| !f.suppressed).count(), 1);
    let all = d("a: s3\nb: s3\n!R063");
    assert!(
        rules::check(&all)
            .iter()
            .filter(|f| f.rule == "R063")
            .all(|f| f.suppressed)
    );
}

#[test]
fn settings_turn_whole_rules_off() {
    let design = d("a: s3");
    let mut options = CheckOptions::default();
    options.disabled.insert("R063".into());
    assert!(
        rules::check_with(&design, &options)
            .iter()
            .all(|f| f.rule != "R063")
    );
}

#[test]
fn claims_of_section_5_are_never_errors() {
    // C4 Macie beyond S3, C7 video retention, C8 streaming into Redshift, C30 Athena sources,
    // C9 EBS multi-attach, C21 Fargate in one AZ, C3 Aurora storage, C31 RDS engines.
    for design in [
        "m: macie\nr: redshift\ns: s3\nm -> s : Monitor\nm -> r : Monitor",
        "v: kinesis_video_streams {retention_days=90}",
        "k: kinesis_data_streams\nr: redshift\nk -> r",
        "a: athena",
        "a: fargate {az=us-east-1a}\nb: fargate {az=us-east-1a}",
        "a: aurora {storage_tb=128}",
        "r: rds {engine=db2}",
    ] {
        let errors: Vec<_> = rules::check(&d(design))
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "{design}: {:?}",
            errors.iter().map(|f| &f.rule).collect::<Vec<_>>()
        );
    }
}

#[test]
fn bucket_name_fix_always_gives_a_valid_name() {
    for name in [
        "Shop_Raw",
        "a",
        "ab",
        "-x",
        "192.168.1.1",
        &"A".repeat(80),
        "UPPER.case_name",
    ] {
        let d0 = d(&format!("b: s3 {{bucket_name={name}}}"));
        if let Some(f) = rules::check(&d0).into_iter().find(|f| f.rule == "R055") {
            let mut fixed = d0.clone();
            apply(&mut fixed, f.fix.unwrap().command).unwrap();
            assert!(
                !rules::check(&fixed).iter().any(|f| f.rule == "R055"),
                "{name} -> {:?}",
                fixed.nodes()[0].props
            );
        }
    }
}

/// The message of the one finding of `rule` on a design in the test notation.
fn message_of(rule: &str, text: &str) -> String {
    let found: Vec<String> = rules::check(&common::d(text))
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.message)
        .collect();
    assert_eq!(found.len(), 1, "{rule} on {text}: {found:?}");
    found[0].clone()
}

#[test]
fn messages_are_true_of_the_design_they_are_shown_on() {
    // A bucket in a Region group that names no region is not told to join a Region group.
    let in_group = message_of("R057", "b: s3 \"Raw\"\n@r: Region [b]");
    assert_eq!(
        in_group,
        "\"Raw\" is in Region group \"Region\", which names no region: set the group's region or label it with one"
    );
    let alone = message_of("R057", "b: s3 \"Raw\"");
    assert_eq!(
        alone,
        "\"Raw\" has no Region: set its region or put it in a Region group"
    );
    let global = message_of("R057", "b: s3 {region=global} \"Raw\"");
    assert!(global.contains("set to \"global\""), "{global}");
    // Athena drawn querying a bucket against the data's flow is not told it has no source.
    let reversed = message_of("R001", "a: athena \"SQL\"\nb: s3 \"Lake\"\na -> b : Query");
    assert_eq!(
        reversed,
        "\"SQL\" points at \"Lake\" but takes no data from S3: draw the edge from the bucket to Athena"
    );
    assert_eq!(
        message_of("R001", "a: athena \"SQL\""),
        "\"SQL\" has no S3 source: Athena queries data in S3"
    );
}

#[test]
fn messages_read_as_sentences_whatever_is_missing() {
    assert_eq!(
        message_of("R083", "m: dms \"Migrate\"\nr: rds\nm -> r"),
        "\"Migrate\" has no source database"
    );
    assert_eq!(
        message_of("R083", "m: dms \"Migrate\""),
        "\"Migrate\" has no source or target database"
    );
    assert_eq!(
        message_of("G001", "x: quantum_toaster"),
        "Node \"x\" uses unknown service \"quantum_toaster\""
    );
    assert_eq!(
        message_of("G001", "x: quantum_toaster \"Toaster\""),
        "\"Toaster\" uses unknown service \"quantum_toaster\""
    );
}

#[test]
fn a_rule_run_by_a_schedule_or_aws_events_has_its_source_outside() {
    // Near misses of R101 an imported stack gives: the rule's source is time, or AWS itself.
    for source in ["schedule", "pattern"] {
        let design = d(&format!(
            "b: eventbridge {{source={source}}}\nl: lambda\nb -> l : Trigger"
        ));
        assert!(!rules_in(&design).iter().any(|r| r == "R101"), "{source}");
    }
    // Without a target it still relays nothing.
    let lonely = d("b: eventbridge {source=schedule}");
    assert!(message_of("R101", "b: eventbridge {source=schedule}").contains("a target"));
    assert!(rules_in(&lonely).iter().any(|r| r == "R101"));
}
