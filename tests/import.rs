//! CloudFormation import on a real template (YAML and JSON forms of the same stack) and on
//! the bad inputs a person will feed it.

use std::process::Command;

use archsketch::import::import_template;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/cfn/{name}")).unwrap()
}

fn summary(d: &archsketch::model::Design) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut nodes: Vec<String> = d
        .nodes
        .iter()
        .map(|n| format!("{}:{}", n.id, n.service))
        .collect();
    let mut edges: Vec<String> = d
        .edges
        .iter()
        .map(|e| format!("{}->{}:{:?}", e.from, e.to, e.kind))
        .collect();
    let mut groups: Vec<String> = d
        .groups
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
            "WebServerGroup:ec2_auto_scaling"
        ]
    );
    assert!(
        edges.contains(&"ElasticLoadBalancer->WebServerGroup:Route".to_string()),
        "{edges:?}"
    );
    assert_eq!(groups, ["aws_cloud:AwsCloud", "aws_region:Region"]);
    assert!(
        yaml.report.starts_with("4 resources as 3 services"),
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
  Alarm:
    Type: AWS::CloudWatch::Alarm
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
    let raw = d.nodes.iter().find(|n| n.id == "Raw").unwrap();
    assert_eq!(
        raw.props.get("bucket_name").map(String::as_str),
        Some("shop-raw")
    );
    assert_eq!(
        raw.props.get("versioning").map(String::as_str),
        Some("enabled")
    );
    // An intrinsic function is never copied as a made-up value.
    let named = d.nodes.iter().find(|n| n.id == "Named").unwrap();
    assert!(!named.props.contains_key("bucket_name"));
    assert!(
        groups.contains(&"PublicA:PublicSubnet".to_string()),
        "{groups:?}"
    );
    let subnet = d.groups.iter().find(|g| g.id == "PublicA").unwrap();
    assert_eq!(subnet.children, ["Web"]);
    assert!(
        imported
            .report
            .contains("left out 1 resources of 1 types: AWS::CloudWatch::Alarm (1)"),
        "{}",
        imported.report
    );
    assert!(!d.nodes.iter().any(|n| n.id == "Param" || n.id == "Mapping"));
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
    let tag = import_template(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Magic x\n",
        "tag.yaml",
    )
    .unwrap_err();
    assert_eq!(
        tag.to_string(),
        "tag.yaml:5:26: unknown intrinsic function !Magic"
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
    assert!(String::from_utf8_lossy(&good.stderr).contains("4 resources as 3 services"));
    assert!(archsketch::io::load_file(&out).is_ok());
    std::fs::remove_dir_all(&dir).ok();
}
