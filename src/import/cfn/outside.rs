//! What a template says about the world outside it: who invokes a function whose event
//! source is not drawn (a URL, a macro's users, a schedule), and which services send to or
//! receive from parties the stack does not hold (email subscribers, outside registries).

use super::*;

/// Resources that run the functions named at their paths as part of their own work, and who
/// that is: a macro's function runs on every template that uses it, an S3 Object Lambda
/// access point or a Transfer workflow runs its steps, a Greengrass core runs its functions on
/// its messages.
pub(super) const RUN_BY: &[(&str, &[&str], &str)] = &[
    (
        "AWS::CloudFormation::Macro",
        &["FunctionName"],
        "cloudformation",
    ),
    (
        "AWS::S3ObjectLambda::AccessPoint",
        &["ObjectLambdaConfiguration"],
        "s3_object_lambda",
    ),
    (
        "AWS::Transfer::Workflow",
        &["Steps", "OnExceptionSteps"],
        "transfer_family",
    ),
    (
        "AWS::Greengrass::FunctionDefinition",
        &["InitialVersion.Functions.FunctionArn"],
        "iot_greengrass",
    ),
    (
        "AWS::Greengrass::FunctionDefinitionVersion",
        &["Functions.FunctionArn"],
        "iot_greengrass",
    ),
];

/// Functions invoked from outside what the design draws say by whom (`invoked_by`), so a
/// check does not call them idle: a function URL, CloudFormation itself (a custom resource's
/// `ServiceToken`), a principal granted `lambda:InvokeFunction` whose source is not drawn,
/// and a SAM event whose source is outside the template (an ARN, a parameter).
pub(super) fn mark_invokers(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    outside_events: &BTreeMap<String, Vec<String>>,
    design: &mut Design,
) {
    let mut invoked: Vec<(String, String)> = Vec::new();
    for r in resources {
        let p = r.properties;
        let t = r.resource_type.as_str();
        if t == "AWS::Serverless::Function" {
            if p.and_then(|p| p.get("FunctionUrlConfig")).is_some() {
                invoked.push((r.id.clone(), "url".into()));
            }
            for event in outside_events.get(&r.id).into_iter().flatten() {
                invoked.push((r.id.clone(), event.clone()));
            }
        }
        let target = |at: &str| refs_at(p, at);
        match t {
            "AWS::Lambda::Url" => {
                for f in target("TargetFunctionArn") {
                    invoked.push((f, "url".into()));
                }
            }
            _ if t == "AWS::CloudFormation::CustomResource" || t.starts_with("Custom::") => {
                for f in target("ServiceToken") {
                    invoked.push((f, "cloudformation".into()));
                }
            }
            _ if let Some((_, paths, by)) = RUN_BY.iter().find(|(kind, ..)| *kind == t) => {
                for f in paths.iter().flat_map(|at| target(at)) {
                    invoked.push((f, (*by).into()));
                }
            }
            "AWS::Lambda::Permission" => {
                let principal = p
                    .and_then(|p| p.get("Principal"))
                    .and_then(Node::as_str)
                    .unwrap_or("a principal");
                let source_drawn = target("SourceArn")
                    .iter()
                    .any(|s| mapped.contains_key(s.as_str()));
                if !source_drawn {
                    for f in target("FunctionName") {
                        invoked.push((f, principal.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    let lambdas: BTreeSet<&str> = mapped
        .iter()
        .filter(|(_, s)| **s == "lambda")
        .map(|(id, _)| *id)
        .collect();
    let marks = invoked
        .into_iter()
        .filter(|(id, _)| lambdas.contains(id.as_str()))
        .map(|(id, by)| (id, "invoked_by", by))
        .collect();
    mark(design, marks);
}

/// Sets properties an import reads off the template on the nodes they belong to, the first
/// value of each kept.
pub(super) fn mark(design: &mut Design, marks: Vec<(String, &str, String)>) {
    let at: BTreeMap<String, usize> = design
        .nodes()
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.to_string(), i))
        .collect();
    for (id, key, value) in marks {
        let Some(&i) = at.get(&id) else { continue };
        // Only a property the service declares: a nested stack's parameters name buckets
        // and functions too, which have no publishers.
        let declared = catalog()
            .service(&design.nodes()[i].service)
            .is_some_and(|s| s.prop(key).is_some());
        if declared && let Some(node) = design.node_at_mut(i) {
            node.props.entry(key.into()).or_insert(value);
        }
    }
}

/// The registry an image name says it comes from.
pub(super) fn registry_of(image: &str) -> &'static str {
    let host = image.split('/').next().unwrap_or_default();
    if image.contains(".dkr.ecr.") {
        "ecr"
    } else if image.starts_with("public.ecr.aws/") {
        "ecr_public"
    } else if !image.contains('/') || !(host.contains('.') || host.contains(':')) {
        // `nginx`, `httpd:2.4`, `library/redis`: Docker Hub.
        "docker_hub"
    } else {
        "other"
    }
}

/// Protocols whose subscribers are people or endpoints outside the template.
pub(super) const OUTSIDE_SUBSCRIBERS: &[&str] = &["email", "email-json", "sms", "http", "https"];

/// Ends a template names by value rather than by a resource it draws: a record set's records
/// (`resolves_to`), the registry of a task's images (`image_registry`, read from the image
/// names of the task definition a service or cluster runs), the internet in front of a load
/// balancer (`scheme`) or a distribution (`viewers`), the people a topic mails (`subscribers`),
/// and a directory bucket, which has no versioning (`bucket_type`), so the checks do not call
/// them missing.
pub(super) fn mark_outside_ends(
    resources: &[Resource<'_>],
    defaults: &BTreeMap<String, String>,
    design: &mut Design,
) {
    let by_id: BTreeMap<&str, &Resource<'_>> =
        resources.iter().map(|r| (r.id.as_str(), r)).collect();
    // An image names its registry; one built from the stack's own ECR repository, or with
    // an ECR host, is ECR; one given by a parameter without a default comes from a registry
    // the template does not say.
    let registry_of_task = |task: &str| -> Option<&'static str> {
        let t = by_id.get(task)?;
        let images = t.properties?.reach("ContainerDefinitions.Image");
        let image = images.first()?;
        let from_repository = references_of(image).iter().any(|r| {
            by_id
                .get(r.as_str())
                .is_some_and(|r| r.resource_type == "AWS::ECR::Repository")
        });
        let mut texts = Vec::new();
        scalars(image, &mut texts);
        if from_repository || texts.iter().any(|t| t.contains(".dkr.ecr.")) {
            return Some("ecr");
        }
        Some(literal(image, defaults).map_or("other", |i| registry_of(&i)))
    };
    let drawn: BTreeSet<String> = design.nodes().iter().map(|n| n.id.to_string()).collect();
    let mut marks: Vec<(String, &str, String)> = Vec::new();
    for r in resources {
        let p = r.properties;
        match r.resource_type.as_str() {
            "AWS::Route53::RecordSet"
                if p.is_some_and(|p| {
                    p.get("ResourceRecords").is_some() || p.get("AliasTarget").is_some()
                }) =>
            {
                marks.push((r.id.clone(), "resolves_to", "records".into()));
                // The zone holding a record resolves what the record resolves.
                for zone in refs_at(p, "HostedZoneId") {
                    marks.push((zone, "resolves_to", "records".into()));
                }
            }
            "AWS::Route53::RecordSetGroup" => {
                marks.push((r.id.clone(), "resolves_to", "records".into()));
                for zone in refs_at(p, "HostedZoneId") {
                    marks.push((zone, "resolves_to", "records".into()));
                }
            }
            // A model served from artifacts trained elsewhere.
            "AWS::SageMaker::Model" => {
                let mut artifacts = p
                    .map(|p| p.reach("PrimaryContainer.ModelDataUrl"))
                    .unwrap_or_default();
                artifacts.extend(
                    p.map(|p| p.reach("Containers.ModelDataUrl"))
                        .unwrap_or_default(),
                );
                if let Some(url) = artifacts.first() {
                    let url = literal(url, defaults).unwrap_or_else(|| "given".into());
                    marks.push((r.id.clone(), "model_data", url));
                }
            }
            // A cluster that logs to (or keeps its data in) a bucket named by URL.
            "AWS::EMR::Cluster" => {
                let mut values = p.map(|p| p.reach("LogUri")).unwrap_or_default();
                values.extend(p.map(|p| p.reach("Configurations")).unwrap_or_default());
                let mut found = Vec::new();
                for v in values {
                    collect_literals(v, defaults, &mut found);
                }
                if let Some(uri) = found.into_iter().find(|u| u.starts_with("s3://")) {
                    marks.push((r.id.clone(), "s3_uri", uri));
                }
            }
            // A load balancer is internet-facing unless its Scheme says internal.
            "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::ElasticLoadBalancing::LoadBalancer" => {
                let scheme = match p.and_then(|p| p.get("Scheme")) {
                    Some(s) => literal(s, defaults),
                    None => Some("internet-facing".into()),
                };
                if let Some(scheme) = scheme {
                    marks.push((r.id.clone(), "scheme", scheme));
                }
            }
            // A distribution serves whoever asks for its domain, from origins that may be
            // outside the template (a domain given by a parameter or written out).
            "AWS::CloudFront::Distribution" => {
                marks.push((r.id.clone(), "viewers", "internet".into()));
                let origins = p
                    .map(|p| p.reach("DistributionConfig.Origins.DomainName"))
                    .unwrap_or_default();
                let outside = origins.iter().any(|o| {
                    !references_of(o)
                        .iter()
                        .any(|r| by_id.contains_key(r.as_str()))
                });
                if outside {
                    marks.push((r.id.clone(), "origins", "outside".into()));
                }
            }
            "AWS::S3Express::DirectoryBucket" => {
                marks.push((r.id.clone(), "bucket_type", "directory".into()));
            }
            "AWS::SNS::Topic" => {
                for protocol in p
                    .map(|p| p.reach("Subscription.Protocol"))
                    .unwrap_or_default()
                {
                    if let Some(protocol) = literal(protocol, defaults)
                        && OUTSIDE_SUBSCRIBERS.contains(&protocol.to_ascii_lowercase().as_str())
                    {
                        marks.push((r.id.clone(), "subscribers", protocol));
                    }
                }
            }
            "AWS::SNS::Subscription" => {
                let protocol = p
                    .and_then(|p| p.get("Protocol"))
                    .and_then(|n| literal(n, defaults))
                    .unwrap_or_default();
                if OUTSIDE_SUBSCRIBERS.contains(&protocol.to_ascii_lowercase().as_str()) {
                    for topic in refs_at(p, "TopicArn") {
                        marks.push((topic, "subscribers", protocol.clone()));
                    }
                }
            }
            // A service's task names its images; the cluster it runs on pulls them too.
            "AWS::ECS::Service" => {
                let registry = refs_at(p, "TaskDefinition")
                    .iter()
                    .find_map(|t| registry_of_task(t));
                if let Some(registry) = registry {
                    marks.push((r.id.clone(), "image_registry", registry.into()));
                    for cluster in refs_at(p, "Cluster") {
                        marks.push((cluster, "image_registry", registry.into()));
                    }
                }
            }
            // A rule or schedule that runs a task on a cluster.
            "AWS::Events::Rule" | "AWS::Scheduler::Schedule" => {
                for target in p
                    .map(|p| {
                        let mut t = p.reach("Targets");
                        t.extend(p.reach("Target"));
                        t
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(Node::one_or_many)
                {
                    let task = refs_at(Some(target), "EcsParameters.TaskDefinitionArn");
                    if let Some(registry) = task.iter().find_map(|t| registry_of_task(t)) {
                        for cluster in refs_at(Some(target), "Arn") {
                            marks.push((cluster, "image_registry", registry.into()));
                        }
                    }
                    // A target the stack does not draw: a log group, another stack's topic
                    // (`Fn::ImportValue`), a bus in another region or account.
                    let drawn_target = refs_at(Some(target), "Arn")
                        .iter()
                        .any(|t| drawn.contains(t.as_str()));
                    if r.resource_type == "AWS::Events::Rule"
                        && target.get("Arn").is_some()
                        && !drawn_target
                    {
                        marks.push((r.id.clone(), "targets", "outside".into()));
                    }
                }
            }
            // A resource policy that lets a service or another account publish.
            "AWS::SNS::TopicPolicy" | "AWS::SQS::QueuePolicy" => {
                let (ends, action) = if r.resource_type == "AWS::SNS::TopicPolicy" {
                    ("Topics", "sns:publish")
                } else {
                    ("Queues", "sqs:sendmessage")
                };
                let statements = p
                    .map(|p| p.reach("PolicyDocument.Statement"))
                    .unwrap_or_default();
                let ends = refs_at(p, ends);
                for (end, who) in outside_publishers(&statements, action, &ends, &drawn) {
                    marks.push((end, "publishers", who));
                }
            }
            "AWS::Events::EventBusPolicy" => {
                let mut statements = p.map(|p| p.reach("Statement")).unwrap_or_default();
                statements.extend(p);
                let ends = refs_at(p, "EventBusName");
                for (end, who) in outside_publishers(&statements, "events:putevents", &ends, &drawn)
                {
                    marks.push((end, "publishers", who));
                }
            }
            // A resource handed to a nested stack or a stack set is fed from there, and one
            // handed to a custom resource from what its function sets up.
            "AWS::CloudFormation::Stack" | "AWS::CloudFormation::StackSet" => {
                for end in refs_at(p, "Parameters") {
                    marks.push((end, "publishers", "nested stack".into()));
                }
            }
            t if t == "AWS::CloudFormation::CustomResource" || t.starts_with("Custom::") => {
                for end in p.map(references_of).unwrap_or_default() {
                    marks.push((end, "publishers", "custom resource".into()));
                }
            }
            // Auto Scaling notifies a hook's target of a group the template does not draw.
            "AWS::AutoScaling::LifecycleHook" => {
                let group_drawn = refs_at(p, "AutoScalingGroupName")
                    .iter()
                    .any(|g| drawn.contains(g.as_str()));
                if !group_drawn {
                    for end in refs_at(p, "NotificationTargetARN") {
                        marks.push((end, "publishers", "ec2_auto_scaling".into()));
                    }
                }
            }
            // A state machine that runs a task on a cluster (`ecs:runTask.sync`).
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                let named = p.map(references_of).unwrap_or_default();
                let registry = named.iter().find_map(|t| {
                    by_id
                        .get(t.as_str())
                        .filter(|t| t.resource_type == "AWS::ECS::TaskDefinition")
                        .and_then(|t| registry_of_task(&t.id))
                });
                if let Some(registry) = registry {
                    for cluster in named.iter().filter(|c| {
                        by_id
                            .get(c.as_str())
                            .is_some_and(|c| c.resource_type == "AWS::ECS::Cluster")
                    }) {
                        marks.push((cluster.clone(), "image_registry", registry.into()));
                    }
                }
            }
            _ => {}
        }
    }
    mark(design, marks);
}

/// Who a resource policy lets publish from outside the design, for each of the policy's
/// `ends` (its queues, topics or bus) that a statement's `Resource` names, or all of them
/// when it names none: the services and other accounts its `Allow` statements grant
/// `action` (or a wildcard over it), unless the statement's condition names a source the
/// design draws.
pub(super) fn outside_publishers(
    statements: &[&Node],
    action: &str,
    ends: &[String],
    drawn: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let (service, _) = action.split_once(':').unwrap_or((action, ""));
    let mut who: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for statement in statements.iter().flat_map(|s| s.one_or_many()) {
        let effect = statement
            .get("Effect")
            .and_then(Node::as_str)
            .unwrap_or("Allow");
        if !effect.eq_ignore_ascii_case("allow") {
            continue;
        }
        let mut actions = Vec::new();
        if let Some(a) = statement.get("Action") {
            scalars(a, &mut actions);
        }
        let grants = actions.iter().any(|a| {
            let a = a.to_ascii_lowercase();
            a == action || a == "*" || a == format!("{service}:*")
        });
        let sourced = statement
            .get("Condition")
            .map(references_of)
            .unwrap_or_default()
            .iter()
            .any(|s| drawn.contains(s.as_str()));
        if !grants || sourced {
            continue;
        }
        let Some(principal) = statement.get("Principal") else {
            continue;
        };
        let mut names = Vec::new();
        let kinds: Vec<&Node> = match &principal.value {
            Value::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
            _ => vec![principal],
        };
        for kind in kinds {
            let mut texts = Vec::new();
            scalars(kind, &mut texts);
            // The stack's own account sending is the demo's user, not a source outside.
            if !texts.iter().any(|t| t.contains("AWS::AccountId")) {
                names.extend(texts);
            }
        }
        let named: Vec<String> = statement
            .get("Resource")
            .map(references_of)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| ends.contains(r))
            .collect();
        let covered = if named.is_empty() {
            ends.to_vec()
        } else {
            named
        };
        for end in covered {
            let list = who.entry(end).or_default();
            for name in &names {
                let short = name.trim_end_matches(".amazonaws.com").to_string();
                if !list.contains(&short) {
                    list.push(short);
                }
            }
        }
    }
    who.into_iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(end, names)| (end, names.join(", ")))
        .collect()
}
