//! Edge passes that read what a resource is allowed or set up to reach, rather than what
//! it references: ARNs written out by name, DMS endpoints, Lambda permissions, and API
//! integrations reached through their roles.

use super::*;

/// ARNs written out by name (`!Sub "arn:aws:lambda:${AWS::Region}:...:function:my-fn"` in a
/// state machine's definition, an SNS topic's ARN in a rule's target) reach the resource whose
/// literal name they spell: a function is invoked, a topic or queue receives.
pub(super) fn arns_by_name(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &mut Edges,
) {
    let mut named: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        let key = match r.resource_type.as_str() {
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => ("function", "FunctionName"),
            "AWS::SNS::Topic" => ("sns", "TopicName"),
            "AWS::SQS::Queue" => ("sqs", "QueueName"),
            _ => continue,
        };
        if let Some(name) = r
            .properties
            .and_then(|p| p.get(key.1))
            .and_then(Node::as_str)
        {
            named.insert((key.0, name), r.id.as_str());
        }
    }
    if named.is_empty() {
        return;
    }
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        let mut found = Vec::new();
        if let Some(p) = r.properties {
            scalars(p, &mut found);
        }
        // A state machine's Lambda task may name its function by name alone
        // (`Parameters: {FunctionName: my-fn}`).
        if matches!(
            r.resource_type.as_str(),
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine"
        ) {
            let mut names = Vec::new();
            if let Some(p) = r.properties {
                values_of_key(p, "FunctionName", &mut names);
            }
            for name in names {
                if let Some(&target) = named.get(&("function", name)) {
                    edges.add(&r.id, target, EdgeKind::Trigger);
                }
            }
        }
        for text in found {
            for (marker, kind, end) in [
                (":function:", "function", EdgeKind::Trigger),
                (":sns:", "sns", EdgeKind::Data),
                (":sqs:", "sqs", EdgeKind::Data),
            ] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    // sns and sqs ARNs end region:account:name (the region and account often
                    // `${AWS::Region}`); a function ARN goes on with its name.
                    let tail = if kind == "function" {
                        rest
                    } else {
                        let arn: &str = rest
                            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
                            .next()
                            .unwrap_or_default();
                        arn.rsplit(':').next().unwrap_or_default()
                    };
                    let name: String = tail
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                        .collect();
                    if let Some(&target) = named.get(&(kind, name.as_str())) {
                        edges.add(&r.id, target, end);
                    }
                }
            }
        }
    }
}

/// A DMS endpoint reads the store it names when it is a source and writes it when it is a
/// target, so data flows store > source endpoint > task > target endpoint > store.
pub(super) fn dms_endpoints(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &mut Edges,
) {
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::DMS::Endpoint")
    {
        let kind = r
            .properties
            .and_then(|p| p.get("EndpointType"))
            .and_then(Node::as_str)
            .map(str::to_ascii_lowercase);
        let source = match kind.as_deref() {
            Some("source") => true,
            Some("target") => false,
            _ => continue,
        };
        for store in r.properties.map(references_of).unwrap_or_default() {
            let Some(service) = mapped.get(store.as_str()) else {
                continue;
            };
            if !catalog().in_family(service, "data_stores") {
                continue;
            }
            if source {
                edges.add(&store, &r.id, EdgeKind::Data);
            } else {
                edges.add(&r.id, &store, EdgeKind::Data);
            }
        }
    }
}

/// A `Lambda::Permission` whose `SourceArn` names a drawn resource lets that resource invoke
/// the function: a trigger, unless something more telling (an API's integration, a bucket's
/// notification) already links the two.
pub(super) fn permissions_as_triggers(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &mut Edges,
) {
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::Lambda::Permission")
    {
        for source in refs_at(r.properties, "SourceArn") {
            for function in refs_at(r.properties, "FunctionName") {
                if mapped.contains_key(source.as_str()) && mapped.contains_key(function.as_str()) {
                    edges.add(&source, &function, EdgeKind::Trigger);
                }
            }
        }
    }
}

/// An API Gateway service integration (`arn:aws:apigateway:REGION:kinesis:action/PutRecord`)
/// often names its target only in the policy of the role it calls with: the API then sends to
/// (or, for a read, takes from) each resource of that service the role's policy names.
pub(super) fn integrations_through_roles(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &mut Edges,
) {
    const SERVICES: &[(&str, &str)] = &[
        ("kinesis", "kinesis_data_streams"),
        ("firehose", "kinesis_firehose"),
        ("sqs", "sqs"),
        ("sns", "sns"),
        ("events", "eventbridge"),
        ("states", "step_functions"),
        ("dynamodb", "dynamodb"),
        ("s3", "s3"),
    ];
    let mut found: Vec<(String, String, bool)> = Vec::new();
    for r in resources.iter().filter(|r| {
        matches!(
            r.resource_type.as_str(),
            "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Integration"
        )
    }) {
        let mut texts = Vec::new();
        for at in ["Integration.Uri", "IntegrationUri"] {
            for n in r.properties.map(|p| p.reach(at)).unwrap_or_default() {
                scalars(n, &mut texts);
            }
        }
        let service = texts.iter().find_map(|t| {
            let rest = t.split_once("apigateway:").map(|(_, r)| r).unwrap_or(t);
            SERVICES
                .iter()
                .find(|(segment, _)| {
                    rest.contains(&format!(":{segment}:"))
                        || rest.starts_with(&format!("{segment}:"))
                })
                .map(|(_, service)| *service)
        });
        let reads = integration_reads(r);
        let mut apis = refs_at(r.properties, "RestApiId");
        apis.extend(refs_at(r.properties, "ApiId"));
        // An HTTP API's first-class integration (`IntegrationSubtype: SQS-SendMessage`)
        // names its queue, stream, bus or state machine among its request parameters.
        if r.properties
            .and_then(|p| p.get("IntegrationSubtype"))
            .is_some()
        {
            for target in refs_at(r.properties, "RequestParameters") {
                let drawn = mapped.get(target.as_str());
                if drawn.is_some_and(|s| SERVICES.iter().any(|(_, t)| t == s)) {
                    for api in apis.iter().filter(|a| mapped.contains_key(a.as_str())) {
                        found.push((api.clone(), target.clone(), reads));
                    }
                }
            }
        }
        let Some(service) = service else { continue };
        let mut roles = refs_at(r.properties, "Integration.Credentials");
        roles.extend(refs_at(r.properties, "CredentialsArn"));
        for role in &roles {
            for e in &edges.list {
                let other = if e.from.as_str() == role.as_str() {
                    e.to.as_str()
                } else if e.to.as_str() == role.as_str() {
                    e.from.as_str()
                } else {
                    continue;
                };
                if mapped.get(other) == Some(&service) {
                    for api in apis.iter().filter(|a| mapped.contains_key(a.as_str())) {
                        found.push((api.clone(), other.to_string(), reads));
                    }
                }
            }
        }
    }
    found.extend(roles_for_api_gateway(resources, mapped, edges, SERVICES));
    for (api, target, reads) in found {
        if reads {
            edges.add(&target, &api, EdgeKind::Data);
        } else {
            edges.add(&api, &target, EdgeKind::Data);
        }
    }
}

/// Whether an API Gateway service integration reads from the service it calls (an SQS
/// `ReceiveMessage`, a Kinesis `GetRecords`, a DynamoDB `Query`), so data flows from the
/// service to the API rather than the other way.
/// A role that API Gateway assumes and that no integration in the template names is the
/// credentials of an integration written elsewhere (an OpenAPI file the template includes):
/// the API that names the role, or else the template's only API, sends to (or reads from)
/// what the role's policy grants, as its actions say.
pub(super) fn roles_for_api_gateway(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &Edges,
    services: &[(&str, &str)],
) -> Vec<(String, String, bool)> {
    const WRITES: &[&str] = &[
        "SendMessage",
        "SendMessageBatch",
        "PutRecord",
        "PutRecords",
        "PutRecordBatch",
        "PutItem",
        "UpdateItem",
        "BatchWriteItem",
        "DeleteItem",
        "StartExecution",
        "StartSyncExecution",
        "PutEvents",
        "Publish",
        "PutObject",
    ];
    let claimed: BTreeSet<String> = resources
        .iter()
        .filter(|r| {
            matches!(
                r.resource_type.as_str(),
                "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Integration"
            )
        })
        .flat_map(|r| r.properties.map(references_of).unwrap_or_default())
        .collect();
    let apis: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| mapped.get(r.id.as_str()) == Some(&"api_gateway"))
        .collect();
    let mut found = Vec::new();
    for role in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::IAM::Role" && mapped.contains_key(r.id.as_str()))
    {
        if claimed.contains(&role.id) {
            continue;
        }
        let mut principals = Vec::new();
        if let Some(trust) = role
            .properties
            .and_then(|p| p.get("AssumeRolePolicyDocument"))
        {
            scalars(trust, &mut principals);
        }
        if !principals
            .iter()
            .any(|p| p.contains("apigateway.amazonaws.com"))
        {
            continue;
        }
        let naming: Vec<&str> = apis
            .iter()
            .filter(|a| {
                a.properties
                    .map(references_of)
                    .unwrap_or_default()
                    .contains(&role.id)
            })
            .map(|a| a.id.as_str())
            .collect();
        let api = match (naming.as_slice(), apis.as_slice()) {
            ([one], _) => *one,
            ([], [only]) => only.id.as_str(),
            _ => continue,
        };
        let statements = role
            .properties
            .map(|p| p.reach("Policies.PolicyDocument.Statement"))
            .unwrap_or_default();
        for statement in statements.iter().flat_map(|s| s.one_or_many()) {
            let mut actions = Vec::new();
            if let Some(a) = statement.get("Action") {
                scalars(a, &mut actions);
            }
            let writes = actions.iter().any(|a| {
                let verb = a.rsplit(':').next().unwrap_or(a);
                verb == "*" || WRITES.contains(&verb)
            });
            for target in statement
                .get("Resource")
                .map(references_of)
                .unwrap_or_default()
            {
                let drawn = mapped.get(target.as_str());
                if drawn.is_some_and(|s| services.iter().any(|(_, t)| t == s))
                    && edges.linked(&role.id, &target)
                {
                    found.push((api.to_string(), target, !writes));
                }
            }
        }
    }
    found
}

pub(super) fn integration_reads(r: &Resource<'_>) -> bool {
    const READS: &[&str] = &[
        "ReceiveMessage",
        "GetRecords",
        "GetShardIterator",
        "Query",
        "Scan",
        "GetItem",
        "BatchGetItem",
        "DescribeStream",
        "ListStreams",
    ];
    let Some(p) = r.properties else { return false };
    // `SQS-ReceiveMessage`, `Kinesis-PutRecord`: the verb after the service.
    if let Some(subtype) = p.get("IntegrationSubtype").and_then(Node::as_str) {
        let verb = subtype.split_once('-').map_or(subtype, |(_, v)| v);
        return READS.contains(&verb);
    }
    let mut texts = Vec::new();
    for at in [
        "Integration.Uri",
        "IntegrationUri",
        "Integration.RequestParameters",
    ] {
        for n in p.reach(at) {
            scalars(n, &mut texts);
        }
    }
    texts.iter().any(|t| {
        let action = t
            .rsplit_once(":action/")
            .map(|(_, a)| a)
            .or_else(|| t.rsplit_once("Action=").map(|(_, a)| a))
            .unwrap_or_default();
        let verb: String = action
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        // A request parameter gives the action as a quoted literal: `'ReceiveMessage'`.
        READS.contains(&verb.as_str()) || READS.contains(&t.trim_matches(['\'', '"', ' ']))
    })
}
