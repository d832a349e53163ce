//! What SAM adds to a template when it deploys it, and that is part of the architecture: the
//! implicit `ServerlessRestApi` and `ServerlessHttpApi` that `Api` and `HttpApi` events without
//! an API of their own create, and the EventBridge rule, schedule or IoT rule of `Schedule`,
//! `ScheduleV2`, `CloudWatchEvent`, `EventBridgeRule` and `IoTRule` events, named with the
//! logical ids SAM gives them (`MyFunctionMyEvent`), and a resource's embedded `Connectors` as
//! connectors of their own (`MyFunctionMyConnector`), the CodeDeploy application and groups of
//! `DeploymentPreference`, the Route 53 records of custom domains, and the queues and topics
//! of `SqsSubscription`, rule dead-letter queues and typed destinations. The event then names what it was given,
//! so the import draws it as the function's source; [`event_sources`] says which property of
//! each event type is its source.

use super::yaml::{At, Key, Node, Value};

/// The resource a SAM event of this type makes, if any: its CloudFormation type.
fn made_by(event_type: &str) -> Option<&'static str> {
    match event_type {
        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => Some("AWS::Events::Rule"),
        "ScheduleV2" => Some("AWS::Scheduler::Schedule"),
        "IoTRule" => Some("AWS::IoT::TopicRule"),
        _ => None,
    }
}

/// The property of an event's `Properties` that names its source, by event type; the rest of
/// the properties (filters, batch sizes, failure destinations, credentials) are not sources.
pub fn event_sources(event_type: &str) -> &'static [&'static str] {
    match event_type {
        "S3" => &["Bucket"],
        "SNS" => &["Topic"],
        "SQS" => &["Queue"],
        "Kinesis" | "DynamoDB" | "MSK" => &["Stream"],
        "MQ" => &["Broker"],
        "DocumentDB" => &["Cluster"],
        "Api" => &["RestApiId"],
        "HttpApi" => &["ApiId"],
        "Cognito" => &["UserPool"],
        "CloudWatchLogs" => &["LogGroupName"],
        // Set by [`expand`]: the rule, schedule or topic rule SAM makes for the event.
        "Schedule" | "ScheduleV2" | "CloudWatchEvent" | "EventBridgeRule" | "IoTRule" => &[MADE],
        _ => &[],
    }
}

/// The CodeDeploy application SAM makes for the functions deployed gradually.
const DEPLOYMENT_APPLICATION: &str = "ServerlessDeploymentApplication";

/// Where [`expand`] writes the resource it made for an event.
const MADE: &str = "ArchsketchSamResource";

fn scalar(text: &str, at: At) -> Node {
    Node {
        value: Value::Scalar(text.to_string()),
        tag: None,
        at,
    }
}

fn reference(id: &str, at: At) -> Node {
    Node {
        value: Value::Scalar(id.to_string()),
        tag: Some("Ref".into()),
        at,
    }
}

fn resource(resource_type: &str, at: At) -> Node {
    Node {
        value: Value::Map(vec![(
            Key {
                text: "Type".into(),
                at,
            },
            scalar(resource_type, at),
        )]),
        tag: None,
        at,
    }
}

/// Sets `key` in a mapping node (making `Properties` a mapping if it was none).
fn set(map: &mut Node, key: &str, value: Node) {
    if !matches!(map.value, Value::Map(_)) {
        map.value = Value::Map(Vec::new());
    }
    if let Value::Map(entries) = &mut map.value {
        match entries.iter_mut().find(|(k, _)| k.text == key) {
            Some((_, v)) => *v = value,
            None => entries.push((
                Key {
                    text: key.into(),
                    at: map.at,
                },
                value,
            )),
        }
    }
}

/// The template with SAM's implicit resources added; `None` when SAM adds none.
pub fn expand(doc: &Node) -> Option<Node> {
    let Value::Map(resources) = &doc.get("Resources")?.value else {
        return None;
    };
    let declared = |id: &str| resources.iter().any(|(k, _)| k.text == id);
    let mut added: Vec<(Key, Node)> = Vec::new();
    let mut rewritten: Vec<(usize, Node)> = Vec::new();
    for (index, (key, body)) in resources.iter().enumerate() {
        let kind = body.get("Type").and_then(Node::as_str).unwrap_or_default();
        if kind != "AWS::Serverless::Function" && kind != "AWS::Serverless::StateMachine" {
            continue;
        }
        let Some(events) = body.get("Properties").and_then(|p| p.get("Events")) else {
            continue;
        };
        let mut body = body.clone();
        let mut changed = false;
        for (name, event) in events.entries() {
            let event_type = event.get("Type").and_then(Node::as_str).unwrap_or_default();
            let properties = event.get("Properties");
            let implicit_api = match event_type {
                "Api" if properties.and_then(|p| p.get("RestApiId")).is_none() => {
                    Some(("ServerlessRestApi", "AWS::Serverless::Api", "RestApiId"))
                }
                "HttpApi" if properties.and_then(|p| p.get("ApiId")).is_none() => {
                    Some(("ServerlessHttpApi", "AWS::Serverless::HttpApi", "ApiId"))
                }
                _ => None,
            };
            let (made, made_type, slot) = match (implicit_api, made_by(event_type)) {
                (Some((id, t, slot)), _) => (id.to_string(), t, slot),
                (None, Some(t)) => (format!("{}{}", key.text, name.text), t, MADE),
                (None, None) => continue,
            };
            if !declared(&made) && !added.iter().any(|(k, _)| k.text == made) {
                let mut made_resource = resource(made_type, name.at);
                // What feeds the rule, as SAM writes it into the rule it makes.
                let feeds = [
                    ("Schedule", "ScheduleExpression"),
                    ("Pattern", "EventPattern"),
                ];
                for (from, to) in feeds {
                    if let Some(value) = properties.and_then(|p| p.get(from)) {
                        let mut props = scalar("", name.at);
                        set(&mut props, to, value.clone());
                        set(&mut made_resource, "Properties", props);
                    }
                }
                added.push((
                    Key {
                        text: made.clone(),
                        at: name.at,
                    },
                    made_resource,
                ));
            }
            // Point the event at what was made for it.
            let Some(events) = body_path_mut(&mut body, &["Properties", "Events"]) else {
                continue;
            };
            if let Value::Map(entries) = &mut events.value
                && let Some((_, event)) = entries.iter_mut().find(|(k, _)| k.text == name.text)
            {
                let at = event.at;
                let mut props = event
                    .get("Properties")
                    .cloned()
                    .unwrap_or_else(|| scalar("", at));
                set(&mut props, slot, reference(&made, at));
                set(event, "Properties", props);
                changed = true;
            }
        }
        if changed {
            rewritten.push((index, body));
        }
    }
    // Globals apply to every function (and API, table...) of their kind that does not set
    // the property itself; environment variables are merged, the function's own winning.
    let globals = doc.get("Globals");
    for (index, (_, body)) in resources.iter().enumerate() {
        let kind = body.get("Type").and_then(Node::as_str).unwrap_or_default();
        let section = match kind {
            "AWS::Serverless::Function" => "Function",
            "AWS::Serverless::Api" => "Api",
            "AWS::Serverless::HttpApi" => "HttpApi",
            "AWS::Serverless::WebSocketApi" => "WebSocketApi",
            "AWS::Serverless::SimpleTable" => "SimpleTable",
            "AWS::Serverless::StateMachine" => "StateMachine",
            _ => continue,
        };
        let Some(defaults) = globals.and_then(|g| g.get(section)) else {
            continue;
        };
        let mut body = rewritten
            .iter()
            .find(|(i, _)| *i == index)
            .map_or_else(|| body.clone(), |(_, b)| b.clone());
        let mut props = body
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| scalar("", body.at));
        for (key, value) in defaults.entries() {
            let merged = match (props.get(&key.text), key.text.as_str()) {
                (None, _) => value.clone(),
                (Some(own), "Environment") => merge_variables(value, own),
                (Some(_), _) => continue,
            };
            set(&mut props, &key.text, merged);
        }
        set(&mut body, "Properties", props);
        rewritten.retain(|(i, _)| *i != index);
        rewritten.push((index, body));
    }
    // The queues and topics SAM makes for a function: an SNS event's `SqsSubscription`, a
    // rule's dead-letter queue, an `EventInvokeConfig` destination given only by its type.
    for (index, (key, original)) in resources.iter().enumerate() {
        let kind = original
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        if kind != "AWS::Serverless::Function" {
            continue;
        }
        let mut body = rewritten
            .iter()
            .find(|(i, _)| *i == index)
            .map_or_else(|| original.clone(), |(_, b)| b.clone());
        let mut changed = false;
        let mut made: Vec<(String, Node)> = Vec::new();
        let events: Vec<(Key, Node)> = body
            .path("Properties.Events")
            .map(|e| e.entries().to_vec())
            .unwrap_or_default();
        for (name, event) in events {
            let at = name.at;
            let event_id = format!("{}{}", key.text, name.text);
            let event_type = event.get("Type").and_then(Node::as_str).unwrap_or_default();
            let properties = event.get("Properties");
            let subscription = properties.and_then(|p| p.get("SqsSubscription"));
            if event_type == "SNS"
                && let Some(subscription) = subscription
            {
                let queue = match subscription.get("QueueArn") {
                    Some(arn) => Some(arn.clone()),
                    None if subscription
                        .as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case("true")) =>
                    {
                        let id = format!("{event_id}Queue");
                        made.push((id.clone(), resource("AWS::SQS::Queue", at)));
                        Some(get_arn(&id, at))
                    }
                    None => None,
                };
                if let Some(queue) = queue {
                    // The topic sends to the queue; the queue triggers the function.
                    let mut sub = resource("AWS::SNS::Subscription", at);
                    let mut props = scalar("", at);
                    set(&mut props, "Protocol", scalar("sqs", at));
                    set(&mut props, "Endpoint", queue.clone());
                    if let Some(topic) = properties.and_then(|p| p.get("Topic")) {
                        set(&mut props, "TopicArn", topic.clone());
                    }
                    set(&mut sub, "Properties", props);
                    made.push((event_id.clone(), sub));
                    let mut sqs = scalar("", at);
                    set(&mut sqs, "Type", scalar("SQS", at));
                    let mut sqs_props = scalar("", at);
                    set(&mut sqs_props, "Queue", queue);
                    set(&mut sqs, "Properties", sqs_props);
                    if let Some(events) = body_path_mut(&mut body, &["Properties", "Events"]) {
                        set(events, &name.text, sqs);
                        changed = true;
                    }
                }
            }
            let dead_letter = properties.and_then(|p| p.get("DeadLetterConfig"));
            if made_by(event_type) == Some("AWS::Events::Rule")
                && let Some(dead_letter) = dead_letter
            {
                let queue = match dead_letter.get("Arn") {
                    Some(arn) => Some(arn.clone()),
                    None if dead_letter.get("Type").and_then(Node::as_str) == Some("SQS") => {
                        let id = format!("{event_id}Queue");
                        made.push((id.clone(), resource("AWS::SQS::Queue", at)));
                        Some(get_arn(&id, at))
                    }
                    None => None,
                };
                if let (Some(queue), Some((_, rule))) =
                    (queue, added.iter_mut().find(|(k, _)| k.text == event_id))
                {
                    let mut config = scalar("", at);
                    set(&mut config, "Arn", queue);
                    let mut target = scalar("", at);
                    set(&mut target, "DeadLetterConfig", config);
                    let mut props = rule
                        .get("Properties")
                        .cloned()
                        .unwrap_or_else(|| scalar("", at));
                    set(
                        &mut props,
                        "Targets",
                        Node {
                            value: Value::Seq(vec![target]),
                            tag: None,
                            at,
                        },
                    );
                    set(rule, "Properties", props);
                }
            }
        }
        for outcome in ["OnSuccess", "OnFailure"] {
            let path = format!("Properties.EventInvokeConfig.DestinationConfig.{outcome}");
            let Some(destination) = body.path(&path) else {
                continue;
            };
            if destination.get("Destination").is_some() {
                continue;
            }
            let (suffix, made_type) = match destination.get("Type").and_then(Node::as_str) {
                Some("SQS") => ("Queue", "AWS::SQS::Queue"),
                Some("SNS") => ("Topic", "AWS::SNS::Topic"),
                _ => continue,
            };
            let at = destination.at;
            let id = format!("{}EventInvokeConfig{outcome}{suffix}", key.text);
            made.push((id.clone(), resource(made_type, at)));
            let mut given = destination.clone();
            set(&mut given, "Destination", get_arn(&id, at));
            if let Some(config) = body_path_mut(
                &mut body,
                &["Properties", "EventInvokeConfig", "DestinationConfig"],
            ) {
                set(config, outcome, given);
                changed = true;
            }
        }
        for (id, node) in made {
            if !declared(&id) && !added.iter().any(|(k, _)| k.text == id) {
                added.push((
                    Key {
                        text: id,
                        at: key.at,
                    },
                    node,
                ));
            }
        }
        if changed {
            rewritten.retain(|(i, _)| *i != index);
            rewritten.push((index, body));
        }
    }
    // What a resource's settings make, as its final properties (Globals merged) say.
    for (index, (key, body)) in resources.iter().enumerate() {
        let body = rewritten
            .iter()
            .find(|(i, _)| *i == index)
            .map_or(body, |(_, b)| b);
        let kind = body.get("Type").and_then(Node::as_str).unwrap_or_default();
        let properties = body.get("Properties");
        let mut add = |id: String, made: Node| {
            if !declared(&id) && !added.iter().any(|(k, _)| k.text == id) {
                added.push((
                    Key {
                        text: id,
                        at: key.at,
                    },
                    made,
                ));
            }
        };
        match kind {
            // A custom domain with `Route53` gets its records, one group per hosted zone.
            "AWS::Serverless::Api"
            | "AWS::Serverless::HttpApi"
            | "AWS::Serverless::WebSocketApi" => {
                let domain = properties.and_then(|p| p.get("Domain"));
                let Some(route53) = domain.and_then(|d| d.get("Route53")) else {
                    continue;
                };
                let zone = route53
                    .get("HostedZoneId")
                    .map(|z| ("HostedZoneId", z))
                    .or_else(|| route53.get("HostedZoneName").map(|z| ("HostedZoneName", z)));
                let Some((zone_key, zone)) = zone else {
                    continue;
                };
                let separate = route53
                    .get("SeparateRecordSetGroup")
                    .and_then(Node::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
                let name = domain.and_then(|d| d.get("DomainName"));
                let id = match name {
                    Some(name) if separate => {
                        super::sam_ids::generated_from_list("RecordSetGroup", &[zone, name])
                    }
                    _ => super::sam_ids::generated("RecordSetGroup", zone),
                };
                let mut made = resource("AWS::Route53::RecordSetGroup", key.at);
                let mut props = scalar("", key.at);
                set(&mut props, zone_key, zone.clone());
                set(&mut made, "Properties", props);
                add(id, made);
            }
            // Gradual deployment: one CodeDeploy application for the stack, a deployment
            // group per function; and the function URL `FunctionUrlConfig` asks for.
            "AWS::Serverless::Function" => {
                if properties
                    .and_then(|p| p.get("FunctionUrlConfig"))
                    .is_some()
                {
                    let mut url = resource("AWS::Lambda::Url", key.at);
                    let mut props = scalar("", key.at);
                    set(
                        &mut props,
                        "TargetFunctionArn",
                        reference(&key.text, key.at),
                    );
                    set(&mut url, "Properties", props);
                    add(format!("{}Url", key.text), url);
                }
                let Some(preference) = properties.and_then(|p| p.get("DeploymentPreference"))
                else {
                    continue;
                };
                let enabled = preference
                    .get("Enabled")
                    .and_then(Node::as_str)
                    .is_none_or(|v| !v.eq_ignore_ascii_case("false"));
                if !enabled {
                    continue;
                }
                add(
                    DEPLOYMENT_APPLICATION.into(),
                    resource("AWS::CodeDeploy::Application", key.at),
                );
                let mut group = resource("AWS::CodeDeploy::DeploymentGroup", key.at);
                let mut props = scalar("", key.at);
                set(
                    &mut props,
                    "ApplicationName",
                    reference(DEPLOYMENT_APPLICATION, key.at),
                );
                if let Some(alarms) = preference.get("Alarms") {
                    let mut configuration = scalar("", key.at);
                    set(&mut configuration, "Alarms", alarms.clone());
                    set(&mut props, "AlarmConfiguration", configuration);
                }
                if let Some(triggers) = preference.get("TriggerConfigurations") {
                    set(&mut props, "TriggerConfigurations", triggers.clone());
                }
                set(&mut group, "Properties", props);
                add(format!("{}DeploymentGroup", key.text), group);
            }
            _ => {}
        }
    }
    // Embedded connectors are connectors of their own, named as SAM names them.
    for (key, body) in resources {
        for (name, connector) in body
            .get("Connectors")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let id = format!("{}{}", key.text, name.text);
            if declared(&id) || added.iter().any(|(k, _)| k.text == id) {
                continue;
            }
            let at = name.at;
            let mut made = resource("AWS::Serverless::Connector", at);
            let mut props = connector
                .get("Properties")
                .cloned()
                .unwrap_or_else(|| scalar("", at));
            let mut source = scalar("", at);
            set(&mut source, "Id", scalar(&key.text, at));
            set(&mut props, "Source", source);
            set(&mut made, "Properties", props);
            added.push((Key { text: id, at }, made));
        }
    }
    if added.is_empty() && rewritten.is_empty() {
        return None;
    }
    let mut doc = doc.clone();
    if let Value::Map(top) = &mut doc.value
        && let Some((_, section)) = top.iter_mut().find(|(k, _)| k.text == "Resources")
        && let Value::Map(entries) = &mut section.value
    {
        for (index, body) in rewritten {
            entries[index].1 = body;
        }
        entries.extend(added);
    }
    Some(doc)
}

/// A function's `Environment` with the global variables it does not set itself.
fn merge_variables(global: &Node, own: &Node) -> Node {
    let mut out = own.clone();
    let (Some(global_vars), Some(own_vars)) = (global.get("Variables"), own.get("Variables"))
    else {
        return out;
    };
    let mut vars = own_vars.clone();
    for (key, value) in global_vars.entries() {
        if own_vars.get(&key.text).is_none() {
            set(&mut vars, &key.text, value.clone());
        }
    }
    set(&mut out, "Variables", vars);
    out
}

/// `!GetAtt Id.Arn`.
fn get_arn(id: &str, at: At) -> Node {
    Node {
        value: Value::Scalar(format!("{id}.Arn")),
        tag: Some("GetAtt".into()),
        at,
    }
}

/// The mapping at a path of keys below `node`, to change.
fn body_path_mut<'n>(node: &'n mut Node, keys: &[&str]) -> Option<&'n mut Node> {
    let mut here = node;
    for key in keys {
        let Value::Map(entries) = &mut here.value else {
            return None;
        };
        here = entries
            .iter_mut()
            .find(|(k, _)| k.text == *key)
            .map(|(_, v)| v)?;
    }
    Some(here)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml::parse;

    #[test]
    fn settings_make_the_resources_sam_makes_with_its_ids() {
        let text = "Globals:\n  Function:\n    EventInvokeConfig:\n      DestinationConfig:\n        OnSuccess: {Type: SQS}\n        OnFailure: {Type: SNS, Destination: !Ref Given}\nResources:\n  Given:\n    Type: AWS::SNS::Topic\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      AutoPublishAlias: live\n      DeploymentPreference: {Type: Linear10PercentEvery1Minute}\n      Events:\n        Note: {Type: SNS, Properties: {Topic: !Ref Given, SqsSubscription: true}}\n        Tick: {Type: Schedule, Properties: {Schedule: rate(1 minute), DeadLetterConfig: {Type: SQS}}}\n  Off:\n    Type: AWS::Serverless::Function\n    Properties:\n      DeploymentPreference: {Enabled: false, Type: AllAtOnce}\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      Domain: {DomainName: api.example.com, Route53: {HostedZoneId: abc123456}}\n";
        let doc = expand(&parse(text).unwrap()).unwrap();
        let resources = doc.get("Resources").unwrap();
        let kind = |id: &str| resources.path(&format!("{id}.Type")).and_then(Node::as_str);
        assert_eq!(
            kind("ServerlessDeploymentApplication"),
            Some("AWS::CodeDeploy::Application")
        );
        assert_eq!(
            kind("FnDeploymentGroup"),
            Some("AWS::CodeDeploy::DeploymentGroup")
        );
        // A preference switched off makes nothing.
        assert_eq!(kind("OffDeploymentGroup"), None);
        // The id aws-sam-translator gives: "RecordSetGroup" + sha1("abc123456")[:10].
        assert_eq!(
            kind("RecordSetGroup370194ff6e"),
            Some("AWS::Route53::RecordSetGroup")
        );
        assert_eq!(kind("FnNoteQueue"), Some("AWS::SQS::Queue"));
        assert_eq!(kind("FnNote"), Some("AWS::SNS::Subscription"));
        assert_eq!(kind("FnTickQueue"), Some("AWS::SQS::Queue"));
        assert_eq!(
            kind("FnEventInvokeConfigOnSuccessQueue"),
            Some("AWS::SQS::Queue")
        );
        // A destination the template gives is used, not made.
        assert_eq!(kind("FnEventInvokeConfigOnFailureTopic"), None);
        let note = resources.path("Fn.Properties.Events.Note").unwrap();
        assert_eq!(note.get("Type").and_then(Node::as_str), Some("SQS"));
    }

    #[test]
    fn implicit_apis_and_event_rules_are_added_with_sams_own_ids() {
        let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /\n            Method: get\n        Http:\n          Type: HttpApi\n        Nightly:\n          Type: Schedule\n          Properties:\n            Schedule: rate(1 day)\n";
        let doc = expand(&parse(text).unwrap()).unwrap();
        let resources = doc.get("Resources").unwrap();
        let kind = |id: &str| {
            resources
                .get(id)
                .and_then(|r| r.get("Type"))
                .and_then(Node::as_str)
        };
        assert_eq!(kind("ServerlessRestApi"), Some("AWS::Serverless::Api"));
        assert_eq!(kind("ServerlessHttpApi"), Some("AWS::Serverless::HttpApi"));
        assert_eq!(kind("FnNightly"), Some("AWS::Events::Rule"));
        let rest = resources
            .get("Fn")
            .and_then(|f| f.path("Properties.Events.Get.Properties.RestApiId"))
            .unwrap();
        assert_eq!(
            (rest.tag.as_deref(), rest.as_str()),
            (Some("Ref"), Some("ServerlessRestApi"))
        );
    }
}
