//! CloudFormation import on a real template (YAML and JSON forms of the same stack) and on
//! the bad inputs a person will feed it.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::{gid, nid};

use std::process::Command;

use archsketch::import::import_template;
use archsketch::model::{EdgeKind, GroupKind};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/cfn/{name}")).unwrap()
}

fn summary(d: &archsketch::model::Design) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut nodes: Vec<String> = d
        .nodes()
        .iter()
        .map(|n| format!("{}:{}", n.id, n.service))
        .collect();
    let mut edges: Vec<String> = d
        .edges()
        .iter()
        .map(|e| format!("{}->{}:{:?}", e.from, e.to, e.kind))
        .collect();
    let mut groups: Vec<String> = d
        .groups()
        .iter()
        .map(|g| format!("{}:{:?}", g.id, g.kind))
        .collect();
    nodes.sort();
    edges.sort();
    groups.sort();
    (nodes, edges, groups)
}

#[test]
fn a_real_template_imports_the_same_from_yaml_and_json() {
    let yaml = import_template(&fixture("elb-autoscaled.yaml"), "elb.yaml").unwrap();
    let json = import_template(&fixture("elb-autoscaled.json"), "elb.json").unwrap();
    assert_eq!(summary(&yaml.design), summary(&json.design));
    let (nodes, edges, groups) = summary(&yaml.design);
    assert_eq!(
        nodes,
        [
            "ElasticLoadBalancer:elb",
            "InstanceSecurityGroup:security_group",
            "LaunchConfig:ec2",
            "WebServerGroup:ec2_auto_scaling"
        ]
    );
    assert!(
        edges.contains(&"ElasticLoadBalancer->WebServerGroup:Route".to_string()),
        "{edges:?}"
    );
    // The group scales the instances of its launch configuration, guarded by their group.
    assert!(
        edges.contains(&"WebServerGroup->LaunchConfig:Route".to_string()),
        "{edges:?}"
    );
    assert!(
        edges.contains(&"InstanceSecurityGroup->LaunchConfig:Attach".to_string()),
        "{edges:?}"
    );
    assert_eq!(groups, ["aws_cloud:AwsCloud", "aws_region:Region"]);
    assert!(
        yaml.report
            .to_string()
            .starts_with("4 resources as 4 services"),
        "{}",
        yaml.report
    );
    assert!(yaml.design.validate().is_ok());
}

#[test]
fn references_properties_vpcs_and_subnets_become_edges_props_and_boxes() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
  PublicA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, MapPublicIpOnLaunch: true}
  Raw:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: shop-raw
      VersioningConfiguration: {Status: Enabled}
  Named:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${AWS::StackName}-named'
  Stream:
    Type: AWS::Kinesis::Stream
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
  FnRole:
    Type: AWS::IAM::Role
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Stream.Arn, FunctionName: !Ref Fn}
  Web:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref PublicA, InstanceType: t3.micro}
  Param:
    Type: AWS::SSM::Parameter
  Capacity:
    Type: AWS::EC2::CapacityReservation
";
    let imported = import_template(text, "t.yaml").unwrap();
    let d = &imported.design;
    let (_, edges, groups) = summary(d);
    assert!(
        edges.contains(&"Stream->Fn:Trigger".to_string()),
        "{edges:?}"
    );
    assert!(
        edges.contains(&"Fn->FnRole:AssumeRole".to_string()),
        "{edges:?}"
    );
    let raw = d.nodes().iter().find(|n| n.id == "Raw").unwrap();
    assert_eq!(
        raw.props.get("bucket_name").map(String::as_str),
        Some("shop-raw")
    );
    assert_eq!(
        raw.props.get("versioning").map(String::as_str),
        Some("enabled")
    );
    // An intrinsic function is never copied as a made-up value.
    let named = d.nodes().iter().find(|n| n.id == "Named").unwrap();
    assert!(!named.props.contains_key("bucket_name"));
    assert!(
        groups.contains(&"PublicA:PublicSubnet".to_string()),
        "{groups:?}"
    );
    let subnet = d.groups().iter().find(|g| g.id == "PublicA").unwrap();
    assert_eq!(subnet.children, ["Web"]);
    assert!(
        imported
            .report
            .to_string()
            .contains("left out 1 resources of 1 types: AWS::EC2::CapacityReservation (1)"),
        "{}",
        imported.report
    );
    assert!(
        !d.nodes()
            .iter()
            .any(|n| n.id == "Param" || n.id == "Mapping")
    );
}

#[test]
fn bad_input_gets_a_clear_error_with_its_place() {
    let not_template = import_template("{\"Records\": [{\"eventName\": \"put\"}]}", "event.json");
    assert!(
        not_template
            .unwrap_err()
            .to_string()
            .contains("not a CloudFormation or SAM template")
    );
    let syntax = import_template("Resources:\n  A: [1, 2\n  B: x\n", "bad.yaml").unwrap_err();
    assert!(
        syntax.at.is_some() && syntax.to_string().starts_with("bad.yaml:"),
        "{syntax}"
    );
    // A tool's own tag (Rain's !Rain::Embed) is kept as written, and the report says so.
    let tag = import_template(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Rain::Embed x\n",
        "tag.yaml",
    )
    .unwrap();
    assert_eq!(tag.design.nodes().len(), 1);
    assert!(
        tag.report.to_string().contains("!Rain::Embed (line 5)"),
        "{}",
        tag.report
    );
    // Two resources with one logical id (and any key written twice) are refused, as
    // CloudFormation refuses them, naming both lines.
    let twice = import_template(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::SQS::Queue\n",
        "twice.yaml",
    )
    .unwrap_err();
    assert_eq!(
        twice.to_string(),
        "twice.yaml:4:3: the key \"B\" is written twice, at line 2 and at line 4; CloudFormation refuses such a template"
    );
    let json = import_template(
        r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1, "DelaySeconds": 2}}}}"#,
        "twice.json",
    )
    .unwrap_err();
    assert!(
        json.to_string()
            .contains("\"DelaySeconds\" is written twice"),
        "{json}"
    );
}

#[test]
fn a_template_with_rules_imports() {
    let text = "Rules:\n  ProdOnly:\n    RuleCondition: !Equals [!Ref Env, prod]\n    Assertions:\n      - Assert: !Contains [[m5.large], !Ref Size]\n      - Assert: !EachMemberIn [!ValueOfAll [AWS::EC2::Subnet::Id, VpcId], !RefAll AWS::EC2::VPC::Id]\n      - Assert: !EachMemberEquals [!ValueOfAll [AWS::EC2::Subnet::Id, VpcId], !Ref Vpc]\n      - Assert: !Equals [!ValueOf [Subnet, VpcId], !Ref Vpc]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n";
    let imported = import_template(text, "rules.yaml").unwrap();
    assert_eq!(imported.design.nodes().len(), 1);
    assert!(
        !imported.report.to_string().contains("Kept as written"),
        "{}",
        imported.report
    );
}

#[test]
fn the_command_writes_nothing_on_bad_input_and_exits_2() {
    let dir = std::env::temp_dir().join(format!("archsketch-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("params.json");
    std::fs::write(&bad, "[{\"ParameterKey\": \"Env\"}]").unwrap();
    let out = dir.join("out.ron");
    let run = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(["import", bad.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(!out.exists());
    let good = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args([
            "import",
            "tests/fixtures/cfn/elb-autoscaled.yaml",
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(good.status.success());
    assert!(String::from_utf8_lossy(&good.stderr).contains("4 resources as 4 services"));
    assert!(archsketch::io::load_file(&out).is_ok());
    std::fs::remove_dir_all(&dir).ok();
}

/// A VPC the way real templates write it: zones from `!Select [N, !GetAZs '']`, a subnet
/// that is public only because its route table sends 0.0.0.0/0 to an internet gateway, a
/// private one, and the gateway attached to the VPC.
const NETWORK: &str = "\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Front:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Select [0, !GetAZs '']
  Back:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: {'Fn::Select': [1, {'Fn::GetAZs': ''}]}
  FrontRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  ToInternet:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref FrontRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  FrontAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Front, RouteTableId: !Ref FrontRoutes}
  Web:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref Front}
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DBSubnetGroupName: !Ref Back}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmActions: [!Ref Topic]
  Topic:
    Type: AWS::SNS::Topic
  Capacity:
    Type: AWS::EC2::CapacityReservation
";

#[test]
fn zones_route_tables_and_gateways_shape_the_boxes() {
    let imported = import_template(NETWORK, "net.yaml").unwrap();
    let d = &imported.design;
    let group = |id: &str| d.groups().iter().find(|g| g.id == id).unwrap();
    assert_eq!(
        group("Front").kind,
        archsketch::model::GroupKind::PublicSubnet
    );
    assert_eq!(
        group("Back").kind,
        archsketch::model::GroupKind::PrivateSubnet
    );
    assert_eq!(group("Vpc_az1").label, "AZ 1");
    assert_eq!(group("Vpc_az1").children, ["Front"]);
    assert_eq!(group("Vpc_az2").label, "AZ 2");
    assert_eq!(group("Vpc_az2").children, ["Back"]);
    assert!(group("Vpc").children.iter().any(|c| c == "Igw"));
    let (nodes, edges, _) = summary(d);
    assert!(nodes.contains(&"Alarm:cloudwatch".to_string()), "{nodes:?}");
    assert!(
        edges.contains(&"Alarm->Topic:Notify".to_string()),
        "{edges:?}"
    );
    assert!(
        imported
            .report
            .to_string()
            .contains("AWS::EC2::CapacityReservation (1)")
    );
    // Where each resource is written, for findings on the template.
    let at = imported.anchors["Web"];
    assert_eq!((at.line, at.column), (28, 3));
}

#[test]
fn keep_unmapped_draws_what_the_table_does_not_know() {
    let options = archsketch::import::ImportOptions {
        keep_unmapped: true,
        ..Default::default()
    };
    let imported = archsketch::import::import_template_with(NETWORK, "net.yaml", options).unwrap();
    let kept = imported
        .design
        .nodes()
        .iter()
        .find(|n| n.id == "Capacity")
        .unwrap();
    assert_eq!(kept.service, "AWS::EC2::CapacityReservation");
    assert!(
        imported
            .report
            .to_string()
            .contains("kept 1 unmapped resources"),
        "{}",
        imported.report
    );
    assert!(
        !imported.report.to_string().contains("left out"),
        "{}",
        imported.report
    );
    // The rules say the catalog does not know it, rather than guessing.
    let findings = archsketch::rules::check(&imported.design);
    assert!(findings.iter().any(|f| f.rule == "G001"));
}

#[test]
fn a_dependson_circle_is_an_error_at_its_place() {
    let text = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: B\n  B:\n    Type: AWS::SQS::Queue\n    DependsOn: [A]\n";
    let err = import_template(text, "c.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "c.yaml:2:3: DependsOn goes round in a circle: A -> B -> A"
    );
    // A name SAM creates behind the scenes is no circle and no error.
    let sam = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: MyApiProdStage\n";
    assert!(import_template(sam, "s.yaml").is_ok());
}

#[test]
fn check_reads_a_template_and_points_at_its_lines() {
    let dir = std::env::temp_dir().join(format!("archsketch-check-cfn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stack = dir.join("stack.yaml");
    std::fs::write(&stack, NETWORK).unwrap();
    let run = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_archsketch"))
            .args(["check", "--format", format, stack.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let text = run("text");
    let out = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(matches!(text.status.code(), Some(0 | 1)), "{out}");
    // Every finding names the stack file at a resource's own line and column.
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with(stack.to_str().unwrap()))
        .collect();
    assert!(!lines.is_empty(), "{out}");
    for l in &lines {
        let rest = l
            .strip_prefix(stack.to_str().unwrap())
            .unwrap_or_else(|| panic!("{l}"));
        let mut parts = rest.splitn(4, ':');
        assert_eq!(parts.next(), Some(""));
        let line: usize = parts.next().unwrap().parse().unwrap();
        let col: usize = parts.next().unwrap().parse().unwrap();
        assert!(line > 1 && col == 3, "{l}");
    }
    let sarif: serde_json::Value = serde_json::from_slice(&run("sarif").stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert!(
        result["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("stack.yaml")
    );
    assert!(result["region"]["startLine"].as_u64().unwrap() > 1);
    // A broken template is exit 2 with its place, like an unreadable design.
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "Resources:\n  A: [1,\n").unwrap();
    let bad = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(["check", broken.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("broken.yaml:"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_real_vpc_template_draws_zones_public_subnets_and_its_gateways() {
    let imported = import_template(&fixture("vpc-nat-private-subnet.yaml"), "vpc.yaml").unwrap();
    let (nodes, _, groups) = summary(&imported.design);
    assert_eq!(
        nodes,
        [
            "InternetGateway:network_gateway",
            "NATGateway0:nat_gateway",
            "NATGateway1:nat_gateway",
            "PublicNetworkAcl:nacl"
        ]
    );
    assert_eq!(
        groups,
        [
            "PrivateSubnet0:PrivateSubnet",
            "PrivateSubnet1:PrivateSubnet",
            "PublicSubnet0:PublicSubnet",
            "PublicSubnet1:PublicSubnet",
            "VPC:Vpc",
            "VPC_az1:AvailabilityZone",
            "VPC_az2:AvailabilityZone",
            "aws_cloud:AwsCloud",
            "aws_region:Region"
        ]
    );
    let vpc = imported.design.group(gid("VPC")).unwrap();
    assert!(vpc.children.iter().any(|c| c == "InternetGateway"));
    assert!(
        imported
            .report
            .to_string()
            .starts_with("26 resources as 4 services"),
        "{}",
        imported.report
    );
}

/// A node's property as the import set it.
fn node_prop<'d>(d: &'d archsketch::model::Design, id: &str, key: &str) -> Option<&'d str> {
    d.node(nid(id))
        .and_then(|n| n.props.get(key))
        .map(String::as_str)
}

/// Whether a rule reports on an element.
fn fires(findings: &[archsketch::rules::Finding], rule: &str, id: &str) -> bool {
    findings
        .iter()
        .any(|f| f.rule == rule && f.elements.iter().any(|e| e.display_id() == id))
}

/// The boxes of a design's zones, by label, and the subnets each holds, top to bottom.
fn zones(d: &archsketch::model::Design) -> Vec<(String, archsketch::model::Rect, Vec<GroupKind>)> {
    let scene = archsketch::scene::build_layout_only(d);
    let rect = |id: &str| {
        scene
            .groups
            .iter()
            .find(|g| d.groups()[g.index].id.as_str() == id)
            .map(|g| g.rect)
            .unwrap()
    };
    let mut out: Vec<_> = d
        .groups()
        .iter()
        .filter(|g| g.kind == GroupKind::AvailabilityZone)
        .map(|z| {
            let mut subnets: Vec<(f32, GroupKind)> = z
                .children
                .iter()
                .filter_map(|c| d.group(c))
                .map(|s| (rect(s.id.as_str()).min.y, s.kind))
                .collect();
            subnets.sort_by(|a, b| a.0.total_cmp(&b.0));
            (
                z.label.clone(),
                rect(z.id.as_str()),
                subnets.into_iter().map(|s| s.1).collect(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.min.x.total_cmp(&b.1.min.x));
    out
}

#[test]
fn a_vpc_template_draws_its_zones_side_by_side_with_every_subnet_in_the_same_order() {
    for (name, count) in [
        ("vpc-nat-private-subnet.yaml", 2),
        ("widdix-vpc-4azs.yaml", 4),
    ] {
        let imported = import_template(&fixture(name), name).unwrap();
        let d = &imported.design;
        let zones = zones(d);
        assert_eq!(zones.len(), count, "{name}");
        let labels: Vec<&str> = zones.iter().map(|z| z.0.as_str()).collect();
        let expected: Vec<String> = (1..=count).map(|i| format!("AZ {i}")).collect();
        assert_eq!(labels, expected, "{name}: zones left to right");
        for pair in zones.windows(2) {
            let (a, b) = (&pair[0].1, &pair[1].1);
            // Side by side: the next zone starts right of this one, at the same height.
            assert!(
                b.min.x >= a.max.x,
                "{name}: {} and {} overlap or stack",
                pair[0].0,
                pair[1].0
            );
            assert!((a.min.y - b.min.y).abs() < 1.0, "{name}: zones not level");
            assert_eq!(pair[0].2, pair[1].2, "{name}: subnets in another order");
        }
        // Every subnet of the template is drawn, public first in each zone.
        let subnets = d
            .groups()
            .iter()
            .filter(|g| matches!(g.kind, GroupKind::PublicSubnet | GroupKind::PrivateSubnet))
            .count();
        assert_eq!(subnets, 2 * count, "{name}");
        assert_eq!(
            zones[0].2,
            [GroupKind::PublicSubnet, GroupKind::PrivateSubnet]
        );
        // The picture is no column: within 2:1 either way.
        let b = archsketch::scene::build_layout_only(d).bounds;
        let ratio = b.width() / b.height();
        assert!(
            (0.5..=2.0).contains(&ratio),
            "{name}: {} x {}",
            b.width(),
            b.height()
        );
    }
}

#[test]
fn a_real_sam_template_draws_its_events_and_references() {
    let text =
        std::fs::read_to_string("tests/fixtures/sam/apigw-http-api-fifo-sqs-lambda-sns.yaml")
            .unwrap();
    let imported = import_template(&text, "sam.yaml").unwrap();
    let (nodes, edges, _) = summary(&imported.design);
    assert_eq!(
        nodes,
        [
            "MyAPI:api_gateway",
            "MyAPiRole:iam_role",
            "MyDeadLetterQueueForSQS:sqs",
            "MyLambdaFunction:lambda",
            "MyLambdaFunctionRole:iam_role",
            "MySNSTopic:sns",
            "MySQSQueue:sqs"
        ]
    );
    for expected in [
        "MySQSQueue->MyLambdaFunction:Trigger",
        // SNSPublishMessagePolicy: the function publishes to the topic.
        "MyLambdaFunction->MySNSTopic:Notify",
        // RedrivePolicy: failed messages move to the dead-letter queue.
        "MySQSQueue->MyDeadLetterQueueForSQS:Data",
        "MyAPiRole->MySQSQueue:AssumeRole",
        // The template draws a role, so the role SAM makes for the function is drawn too.
        "MyLambdaFunction->MyLambdaFunctionRole:AssumeRole",
        // The role API Gateway assumes sends for the only API (its OpenAPI file is included).
        "MyAPI->MySQSQueue:Data",
    ] {
        assert!(
            edges.contains(&expected.to_string()),
            "{expected}: {edges:?}"
        );
    }
    // What `check` says is true of the template: the function publishes (no R100 "no
    // publisher"), has its role (no R108); nothing reads the dead-letter queue; the API
    // sends to the main queue.
    let findings = archsketch::rules::check(&imported.design);
    let said: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect();
    assert!(!said.iter().any(|s| s.starts_with("R108")), "{said:?}");
    assert!(!said.iter().any(|s| s.contains("no publisher")), "{said:?}");
    assert!(
        said.iter()
            .any(|s| s.contains("MyDeadLetterQueueForSQS") && s.contains("no consumer")),
        "{said:?}"
    );
    assert!(
        !said
            .iter()
            .any(|s| s.contains("\"MySQSQueue\" has no producer")),
        "{said:?}"
    );
}

#[test]
fn sam_policy_templates_and_environment_name_what_a_function_talks_to() {
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  T:\n    Type: AWS::DynamoDB::Table\n  B:\n    Type: AWS::S3::Bucket\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - DynamoDBReadPolicy:\n            TableName: !Ref T\n        - SQSSendMessagePolicy:\n            QueueName: !GetAtt Q.QueueName\n      Environment:\n        Variables:\n          BUCKET: !Ref B\n";
    let imported = import_template(sam, "f.yaml").unwrap();
    let (nodes, edges, _) = summary(&imported.design);
    assert!(!nodes.iter().any(|n| n.ends_with(":iam_role")), "{nodes:?}");
    for expected in ["T->F:Data", "F->Q:Data", "F->B:Data"] {
        assert!(
            edges.contains(&expected.to_string()),
            "{expected}: {edges:?}"
        );
    }
}

#[test]
fn flow_collections_indented_like_the_key_import_as_cloudformation_reads_them() {
    // As several real SAM templates write them: the JSON continues at the key's indentation,
    // which YAML rejects and CloudFormation accepts, and a bare pair in a flow sequence, which
    // yaml-rust2 does not read.
    let text = "\
Resources:
  Model:
    Type: AWS::ApiGateway::Model
    Properties:
      Schema: {\"type\": \"object\",
      \"title\": \"Order\"}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [
        {\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}
      ]
  Reader:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub [
          \"reader-${ID}\",
          ID: !Select [2, !Split [\"/\", !Ref AWS::StackId]],
        ]
      Environment:
        Variables:
          TABLE: !Ref Orders
";
    let imported = import_template(text, "lenient.yaml").expect("imports");
    let d = &imported.design;
    assert!(
        d.nodes().iter().any(|n| n.service == "dynamodb"),
        "{:?}",
        d.nodes()
    );
    // Still broken YAML stays an error with its place.
    let broken = import_template("Resources:\n  A: {\"x\": 1\n  B: [\n", "bad.yaml").unwrap_err();
    assert!(broken.at.is_some(), "{broken}");
}

#[test]
fn sam_is_drawn_as_sam_deploys_it() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        POOL: !Ref Pool
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Table:
    Type: AWS::Serverless::SimpleTable
  Queue:
    Type: AWS::SQS::Queue
  Failures:
    Type: AWS::SQS::Queue
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties: {Path: /, Method: get}
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
    Connectors:
      ToTable:
        Properties:
          Destination: {Id: Table}
          Permissions: [Write]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
            DestinationConfig:
              OnFailure: {Destination: !GetAtt Failures.Arn}
  ReadJobs:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Worker}
      Destination: {Id: Table}
      Permissions: [Read]
"#;
    let imported = import_template(text, "sam.yaml").unwrap();
    let d = &imported.design;
    let edge = |from: &str, to: &str| {
        d.edges()
            .iter()
            .find(|e| e.from == from && e.to == to)
            .map(|e| e.kind)
    };
    // The implicit API and the schedule's rule, with SAM's own logical ids.
    assert_eq!(
        d.node(nid("ServerlessRestApi")).unwrap().service,
        "api_gateway"
    );
    assert_eq!(d.node(nid("ApiNightly")).unwrap().service, "eventbridge");
    assert_eq!(edge("ServerlessRestApi", "Api"), Some(EdgeKind::Route));
    assert_eq!(edge("ApiNightly", "Api"), Some(EdgeKind::Trigger));
    // Connectors, embedded and standalone: Write from source, Read into it.
    assert_eq!(edge("Api", "Table"), Some(EdgeKind::Data));
    assert_eq!(edge("Table", "Worker"), Some(EdgeKind::Data));
    // The queue triggers the worker; the failure queue receives from it, not the other way.
    assert_eq!(edge("Queue", "Worker"), Some(EdgeKind::Trigger));
    assert_eq!(edge("Worker", "Failures"), Some(EdgeKind::Data));
    assert_eq!(edge("Failures", "Worker"), None);
    // Globals reach every function: both reference the pool.
    for f in ["Api", "Worker"] {
        assert!(
            d.edges()
                .iter()
                .any(|e| (e.from == f && e.to == "Pool") || (e.from == "Pool" && e.to == f)),
            "{f}"
        );
    }
    // The scheduled function and the queue's worker have their sources: no R046, no R101.
    let rules: Vec<String> = archsketch::rules::check(d)
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert!(
        !rules.iter().any(|r| r == "R046" || r == "R101"),
        "{rules:?}"
    );
}

#[test]
fn what_a_template_names_by_value_is_not_called_missing() {
    let text = r#"Resources:
  Hook:
    Type: AWS::Serverless::Function
    Properties:
      FunctionUrlConfig: {AuthType: NONE}
  Setup:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12}
  Run:
    Type: Custom::Setup
    Properties:
      ServiceToken: !GetAtt Setup.Arn
  Idle:
    Type: AWS::Lambda::Function
  Dns:
    Type: AWS::Route53::RecordSet
    Properties:
      Name: www.example.com
      Type: A
      ResourceRecords: [192.0.2.1]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: nginx:latest
  Cluster:
    Type: AWS::ECS::Cluster
  Web:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
"#;
    let text = format!(
        "{text}  Front:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n  Inner:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {{Scheme: internal}}\n"
    );
    let imported = import_template(&text, "values.yaml").unwrap();
    let d = &imported.design;
    let prop = |id: &str, key: &str| node_prop(d, id, key);
    assert_eq!(prop("Hook", "invoked_by"), Some("url"));
    assert_eq!(prop("Setup", "invoked_by"), Some("cloudformation"));
    assert_eq!(prop("Dns", "resolves_to"), Some("records"));
    assert_eq!(prop("Web", "image_registry"), Some("docker_hub"));
    let findings = archsketch::rules::check(d);
    let on = |rule: &str, id: &str| fires(&findings, rule, id);
    assert!(!on("R046", "Hook") && !on("R046", "Setup"));
    // The near miss: a function nothing invokes is still called idle.
    assert!(on("R046", "Idle"));
    assert!(!on("R096", "Dns"));
    // The internet sends traffic to an internet-facing balancer; an internal one needs a source.
    assert!(!on("R031", "Front"));
    assert!(on("R031", "Inner"));
    assert!(!on("R049", "Web"));
}

#[test]
fn ends_outside_the_template_and_links_through_configuration_are_read() {
    let text = r#"Parameters:
  Scheme: {Type: String, Default: internal}
  Image: {Type: String, Default: "httpd:2.4"}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: o, DomainName: !GetAtt Site.RegionalDomainName}]
  Site:
    Type: AWS::S3::Bucket
  Fast:
    Type: AWS::S3Express::DirectoryBucket
  Mailed:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{Protocol: email, Endpoint: ops@example.com}]
  Silent:
    Type: AWS::SNS::Topic
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmActions: [!Ref Mailed, !Ref Silent]}
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: !Ref Scheme}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: web, Image: !Ref Image}]
  Cluster:
    Type: AWS::ECS::Cluster
  Web:
    Type: AWS::ECS::Service
    Properties: {Cluster: !Ref Cluster, TaskDefinition: !Ref Task}
  Expand:
    Type: AWS::Lambda::Function
  Macro:
    Type: AWS::CloudFormation::Macro
    Properties: {Name: Expand, FunctionName: !GetAtt Expand.Arn}
  Main:
    Type: AWS::Lambda::Function
  Failed:
    Type: AWS::SQS::Queue
  Destinations:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Main
      Qualifier: $LATEST
      DestinationConfig: {OnFailure: {Destination: !GetAtt Failed.Arn}}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KinesisStreamSpecification: {StreamArn: !GetAtt Changes.Arn}
  Changes:
    Type: AWS::Kinesis::Stream
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      LambdaConfig: {PreSignUp: !GetAtt SignUp.Arn}
  SignUp:
    Type: AWS::Lambda::Function
  Resize:
    Type: AWS::Lambda::Function
  Allowed:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Resize
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Site.Arn
  ToLogs:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets: [{Id: logs, Arn: !GetAtt Trail.Arn}]
  Trail:
    Type: AWS::Logs::LogGroup
  Aimless:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
  Shared:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Type: network}
  Offered:
    Type: AWS::EC2::VPCEndpointService
    Properties: {NetworkLoadBalancerArns: [!Ref Shared]}
  Rest:
    Type: AWS::ApiGateway::RestApi
  Put:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      HttpMethod: POST
      Integration:
        Type: AWS
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:kinesis:action/PutRecord"
        Credentials: !GetAtt Caller.Arn
  Caller:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: put
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "kinesis:PutRecord", Resource: !GetAtt Clicks.Arn}]
  Clicks:
    Type: AWS::Kinesis::Stream
  Orders:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql}
  FromOrders:
    Type: AWS::DMS::Endpoint
    Properties: {EndpointType: source, EngineName: aurora, ServerName: !GetAtt Orders.Endpoint.Address}
  ToLake:
    Type: AWS::DMS::Endpoint
    Properties: {EndpointType: target, EngineName: s3, S3Settings: {BucketName: !Ref Site}}
  Mover:
    Type: AWS::DMS::ReplicationInstance
  Copy:
    Type: AWS::DMS::ReplicationTask
    Properties:
      SourceEndpointArn: !Ref FromOrders
      TargetEndpointArn: !Ref ToLake
      ReplicationInstanceArn: !Ref Mover
  Lonely:
    Type: AWS::DMS::ReplicationInstance
"#;
    let imported = import_template(text, "ends.yaml").unwrap();
    let d = &imported.design;
    let prop = |id: &str, key: &str| node_prop(d, id, key);
    assert_eq!(prop("Cdn", "viewers"), Some("internet"));
    assert_eq!(prop("Fast", "bucket_type"), Some("directory"));
    assert_eq!(prop("Mailed", "subscribers"), Some("email"));
    // A value given by a parameter reads as its default, not as the parameter's name.
    assert_eq!(prop("Balancer", "scheme"), Some("internal"));
    assert_eq!(prop("Web", "image_registry"), Some("docker_hub"));
    assert_eq!(prop("Cluster", "image_registry"), Some("docker_hub"));
    assert_eq!(prop("Expand", "invoked_by"), Some("cloudformation"));
    let (_, edges, _) = summary(d);
    assert_eq!(prop("ToLogs", "targets"), Some("outside"));
    for edge in [
        "Main->Failed:Trigger",
        "Table->Changes:Data",
        "Pool->SignUp:Trigger",
        "Site->Resize:Trigger",
        // The API writes to the stream its integration's role may write to.
        "Rest->Clicks:Data",
    ] {
        assert!(edges.contains(&edge.to_string()), "{edge} in {edges:?}");
    }
    let findings = archsketch::rules::check(d);
    let on = |rule: &str, id: &str| fires(&findings, rule, id);
    assert!(!on("R097", "Cdn"));
    assert!(!on("R063", "Fast"));
    // The near misses: a general-purpose bucket unversioned, a topic nobody subscribes to.
    assert!(on("R063", "Site"));
    assert!(!on("R100", "Mailed"));
    assert!(on("R100", "Silent"));
    assert!(!on("R049", "Cluster") && !on("R049", "Web"));
    assert!(!on("R046", "Expand"));
    // The destination and the stream have their producers; nothing consumes them yet.
    let says = |rule: &str, text: &str| {
        findings
            .iter()
            .any(|f| f.rule == rule && f.message.contains(text))
    };
    assert!(!says("R099", "no producer") && says("R099", "\"Failed\" has no consumer"));
    assert!(!says("R013", "no producer"));
    assert!(on("R031", "Balancer"));
    // An internal balancer offered over PrivateLink takes its consumers' traffic.
    assert!(!on("R031", "Shared"));
    assert!(!on("R046", "SignUp") && !on("R046", "Resize"));
    // A migration drawn in parts has its source and target; an instance alone has neither.
    for part in ["FromOrders", "ToLake", "Mover", "Copy"] {
        assert!(!on("R083", part), "{part}");
    }
    assert!(on("R083", "Lonely"));
    // A rule sending to a log group has a target; one sending nowhere does not.
    assert!(!on("R101", "ToLogs"));
    assert!(on("R101", "Aimless"));
}

#[test]
fn names_that_stand_for_resources_and_defaults_that_decide_are_read_as_deployed() {
    let text = r#"Parameters:
  StreamName: {Type: String, Default: clicks}
  Versioning: {Type: String, Default: "true"}
  Logs: {Type: String, Default: "s3://shop-logs/"}
Conditions:
  HasVersioning: !Equals [!Ref Versioning, "true"]
  Never: !Not [!Condition HasVersioning]
Resources:
  Edge:
    Type: AWS::Lambda::Function
  EdgeVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Edge}
  Unused:
    Type: AWS::Lambda::Function
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          LambdaFunctionAssociations: [{EventType: viewer-request, LambdaFunctionARN: !Ref EdgeVersion}]
  Kept:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: !If [HasVersioning, {Status: Enabled}, !Ref AWS::NoValue]
  Dropped:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: !If [Never, {Status: Enabled}, !Ref AWS::NoValue]
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {Name: !Ref StreamName}
  Producer:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {STREAM: !Ref StreamName}}
      Policies: [{KinesisCrudPolicy: {StreamName: !Ref StreamName}}]
  Orchestrator:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Tick: {Type: Schedule, Properties: {Schedule: rate(5 minutes)}}}
      Policies: [{LambdaInvokePolicy: {FunctionName: !Ref Worker}}]
  Worker:
    Type: AWS::Serverless::Function
  Inbox:
    Type: AWS::SQS::Queue
  Quiet:
    Type: AWS::SQS::Queue
  InboxPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Inbox, !Ref Quiet]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: "sqs:SendMessage", Resource: !GetAtt Inbox.Arn}
  Alerts:
    Type: AWS::SNS::Topic
  AlertsPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Alerts]
      PolicyDocument:
        Statement:
          - {Effect: Deny, Principal: "*", Action: "sns:Publish", Resource: !Ref Alerts}
          - {Effect: Allow, Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}, Action: "sns:Publish", Resource: !Ref Alerts}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Type: network}
  Link:
    Type: AWS::ApiGateway::VpcLink
    Properties: {Name: link, TargetArns: [!Ref Nlb]}
  Private:
    Type: AWS::ApiGateway::RestApi
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Private
      HttpMethod: GET
      Integration: {Type: HTTP_PROXY, ConnectionType: VPC_LINK, ConnectionId: !Ref Link, Uri: "http://nlb/"}
  Spark:
    Type: AWS::EMR::Cluster
    Properties: {LogUri: !Ref Logs}
  Hadoop:
    Type: AWS::EMR::Cluster
  Served:
    Type: AWS::SageMaker::Model
    Properties: {PrimaryContainer: {Image: img, ModelDataUrl: "s3://models/model.tar.gz"}}
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: shop.internal}
  Record:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref Zone
      Name: api.shop.internal
      Type: A
      AliasTarget: {DNSName: !GetAtt Nlb.DNSName, HostedZoneId: !GetAtt Nlb.CanonicalHostedZoneID}
  Empty:
    Type: AWS::Route53::HostedZone
    Properties: {Name: empty.internal}
"#;
    let d = import_template(text, "stand.yaml").unwrap().design;
    let (_, edges, _) = summary(&d);
    for edge in [
        // A version is its function; a VPC link is its load balancer.
        "Cdn->Edge",
        "Private->Nlb",
        // A parameter naming one stream is that stream in the producer's policy.
        "Producer->Stream:Data",
        "Orchestrator->Worker:Trigger",
    ] {
        assert!(
            edges.iter().any(|e| e.starts_with(edge)),
            "{edge} in {edges:?}"
        );
    }
    assert_eq!(node_prop(&d, "Kept", "versioning"), Some("enabled"));
    assert_eq!(node_prop(&d, "Inbox", "publishers"), Some("s3"));
    let findings = archsketch::rules::check(&d);
    let on = |rule: &str, id: &str| fires(&findings, rule, id);
    assert!(!on("R046", "Edge") && on("R046", "Unused"));
    assert!(!on("R046", "Worker"));
    assert!(!on("R063", "Kept") && on("R063", "Dropped"));
    assert!(
        !findings
            .iter()
            .any(|f| f.message.contains("\"Stream\" has no producer"))
    );
    // A service the policy lets send is a producer; the stack's own account, or a denial, is not.
    assert!(
        !on("R099", "Inbox")
            || findings
                .iter()
                .any(|f| f.message.contains("\"Inbox\" has no consumer"))
    );
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("\"Quiet\" has no producer"))
    );
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("\"Alerts\" has no publisher"))
    );
    assert!(!on("R031", "Nlb"));
    assert!(!on("R010", "Spark") && on("R010", "Hadoop"));
    assert!(!on("R019", "Served"));
    assert!(!on("R096", "Zone") && on("R096", "Empty"));
}

#[test]
fn hops_and_helpers_count_as_what_they_do() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Edge:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internet-facing, Type: network}
  ToAlb:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetType: alb, Targets: [{Id: !Ref Inner}]}
  EdgeListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Edge, DefaultActions: [{Type: forward, TargetGroupArn: !Ref ToAlb}]}
  Inner:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  Orphan:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  Source:
    Type: AWS::SQS::Queue
  Enrich:
    Type: AWS::Serverless::Function
  Idle:
    Type: AWS::Serverless::Function
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties: {Source: !GetAtt Source.Arn, Enrichment: !GetAtt Enrich.Arn, Target: !Ref Bus}
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: bus}
  Web:
    Type: AWS::Serverless::Function
    Properties: {FunctionUrlConfig: {AuthType: NONE}}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: fn, DomainName: !Select [2, !Split ["/", !GetAtt WebUrl.FunctionUrl]]}]
  Topic:
    Type: AWS::SNS::Topic
  Unfed:
    Type: AWS::SNS::Topic
  Register:
    Type: Custom::RegisterTopic
    Properties: {ServiceToken: !GetAtt Enrich.Arn, TopicName: !GetAtt Topic.TopicName}
"#;
    let d = import_template(text, "hops.yaml").unwrap().design;
    let findings = archsketch::rules::check(&d);
    let on = |rule: &str, id: &str| fires(&findings, rule, id);
    // Behind an internet-facing balancer's target group; the near miss is fed by nothing.
    assert!(!on("R031", "Inner") && on("R031", "Orphan"));
    // A pipe's enrichment step is invoked by the pipe.
    assert!(!on("R046", "Enrich") && on("R046", "Idle"));
    // The function URL SAM makes is the function: the distribution's origin.
    assert!(!on("R097", "Cdn"));
    // A topic handed to a custom resource is fed by what it sets up.
    assert_eq!(
        node_prop(&d, "Topic", "publishers"),
        Some("custom resource")
    );
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("\"Unfed\" has no publisher"))
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.message.contains("\"Topic\" has no publisher"))
    );
}

#[test]
fn rules_tasks_and_conditions_are_read_as_deployed() {
    let text = r#"Parameters:
  UseDlq: {Type: String, Default: "false"}
Conditions:
  CreateDlq: !Equals [!Ref UseDlq, "true"]
Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, DefaultActions: [{Type: fixed-response}]}
  Hello:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Actions: [{Type: forward, TargetGroupArn: !Ref Group}]
  Group:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetType: lambda}
  Named:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: shop-update}
  Other:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: shop-other}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: Update
        States:
          Update: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: shop-update}, End: true}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: !If [CreateDlq, {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}, !Ref AWS::NoValue]
  Dlq:
    Type: AWS::SQS::Queue
    Condition: CreateDlq
"#;
    let imported = import_template(text, "deployed.yaml").unwrap();
    let d = &imported.design;
    let (_, edges, _) = summary(d);
    assert!(edges.contains(&"Alb->Group:Route".to_string()), "{edges:?}");
    assert!(
        edges.contains(&"Flow->Named:Trigger".to_string()),
        "{edges:?}"
    );
    // The queue not deployed with the defaults is left out, and the report says so.
    assert!(d.node(nid("Dlq")).is_none());
    assert!(
        imported.report.to_string().contains("Dlq (CreateDlq)"),
        "{}",
        imported.report
    );
    let findings = archsketch::rules::check(d);
    assert!(!fires(&findings, "R030", "Alb"));
    assert!(!fires(&findings, "R046", "Named") && fires(&findings, "R046", "Other"));
    // Asked for every condition, the template is drawn as written, the queue and its link too.
    let options = archsketch::import::ImportOptions {
        every_condition: true,
        ..Default::default()
    };
    let all = archsketch::import::import_template_with(text, "deployed.yaml", options).unwrap();
    let (_, edges, _) = summary(&all.design);
    assert!(all.design.node(nid("Dlq")).is_some());
    assert!(
        edges.iter().any(|e| e.starts_with("Queue->Dlq")),
        "{edges:?}"
    );
}

#[test]
fn a_role_api_gateway_assumes_sends_for_the_only_api_of_the_template() {
    let api = |extra: &str| {
        format!(
            r#"Resources:
  Orders:
    Type: AWS::SQS::Queue
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        Fn::Transform: {{Name: AWS::Include, Parameters: {{Location: api.yaml}}}}
  HttpRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{{Effect: Allow, Principal: {{Service: apigateway.amazonaws.com}}, Action: "sts:AssumeRole"}}]
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement: [{{Effect: Allow, Action: "sqs:SendMessage", Resource: !GetAtt Orders.Arn}}]
{extra}"#
        )
    };
    let d = import_template(&api(""), "api.yaml").unwrap().design;
    let (_, edges, _) = summary(&d);
    assert!(
        edges.contains(&"Http->Orders:Data".to_string()),
        "{edges:?}"
    );
    // With two APIs and neither naming the role, which one sends is not said.
    let two = api("  Other:\n    Type: AWS::Serverless::HttpApi\n");
    let d = import_template(&two, "api.yaml").unwrap().design;
    let (_, edges, _) = summary(&d);
    assert!(
        !edges.iter().any(|e| e.ends_with("->Orders:Data")),
        "{edges:?}"
    );
}

#[test]
fn the_design_says_what_the_template_says_of_itself() {
    let text = "Description: Two-tier network for the shop. Made by the platform team.\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  A:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: eu-west-1a}\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: {SubnetId: !Ref A}\n";
    let d = import_template(text, "net.yaml").unwrap().design;
    assert_eq!(d.title, "Two-tier network for the shop");
    assert!(d.description.contains("platform team"));
    let region = d
        .groups()
        .iter()
        .find(|g| g.kind == archsketch::model::GroupKind::Region)
        .unwrap();
    assert_eq!(region.label, "eu-west-1");
}

#[test]
fn an_arn_written_out_by_name_reaches_the_resource_of_that_name() {
    let text = r#"Resources:
  Speak:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: shop-speak}
  Alerts:
    Type: AWS::SNS::Topic
    Properties: {TopicName: shop-alerts}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: Speak
        States:
          Speak:
            Type: Task
            Resource: !Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:shop-speak"
            Next: Tell
          Tell:
            Type: Task
            Resource: arn:aws:states:::sns:publish
            Parameters:
              TopicArn: !Sub "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:shop-alerts"
            End: true
"#;
    let d = import_template(text, "arns.yaml").unwrap().design;
    let edge = |from: &str, to: &str| {
        d.edges()
            .iter()
            .find(|e| e.from == from && e.to == to)
            .map(|e| e.kind)
    };
    assert_eq!(edge("Flow", "Speak"), Some(EdgeKind::Trigger));
    assert_eq!(edge("Flow", "Alerts"), Some(EdgeKind::Data));
    let rules: Vec<String> = archsketch::rules::check(&d)
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert!(!rules.iter().any(|r| r == "R046"), "{rules:?}");
}

#[test]
fn a_template_of_plumbing_only_says_nothing_is_drawable() {
    let text = "Resources:\n  Role:\n    Type: AWS::IAM::Policy\n    Properties: {PolicyName: p}\n";
    let imported = import_template(text, "plumbing.yaml").unwrap();
    assert!(imported.design.nodes().is_empty());
    assert!(
        imported
            .report
            .to_string()
            .contains("Nothing here is drawable"),
        "{}",
        imported.report
    );
    // A template with something drawn does not say so.
    let bucket =
        import_template("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", "b.yaml").unwrap();
    assert!(
        !bucket.report.to_string().contains("Nothing here"),
        "{}",
        bucket.report
    );
}
