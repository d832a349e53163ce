//! Reference-architecture conformance: for each pipeline (connected part of the design), the
//! closest of the notes' reference architectures T01-T35 and which of its stages are present,
//! missing or out of order. Works on services and flow edges only, so extra nodes, other
//! branches and renamed labels do not matter.

use std::collections::BTreeSet;

use super::index::HashMap;

use super::{Finding, Index, Severity, node};
use crate::model::ElementRef;

/// One stage of a reference architecture: any of these services fills it.
pub struct Stage {
    pub name: &'static str,
    pub services: &'static [&'static str],
    /// Whether it takes part in the left-to-right order (monitors and attachments do not).
    pub ordered: bool,
    /// Whether its absence is fine (an alternative path of the notes).
    pub optional: bool,
}

/// A reference architecture of knowledge.md section 2.
pub struct Reference {
    pub id: &'static str,
    pub name: &'static str,
    pub source: &'static str,
    pub stages: &'static [Stage],
}

const fn s(name: &'static str, services: &'static [&'static str]) -> Stage {
    Stage {
        name,
        services,
        ordered: true,
        optional: false,
    }
}
const fn side(name: &'static str, services: &'static [&'static str]) -> Stage {
    Stage {
        name,
        services,
        ordered: false,
        optional: false,
    }
}
const fn opt(name: &'static str, services: &'static [&'static str]) -> Stage {
    Stage {
        name,
        services,
        ordered: true,
        optional: true,
    }
}

const KINESIS: &[&str] = &[
    "kinesis",
    "kinesis_data_streams",
    "kinesis_firehose",
    "kinesis_data_analytics",
];

/// The reference architectures, T01 to T35.
pub const REFERENCES: &[Reference] = &[
    Reference {
        id: "T01",
        name: "S3 data lake",
        source: "4:8",
        stages: &[
            s(
                "ingest",
                &[
                    "kinesis",
                    "kinesis_data_streams",
                    "kinesis_firehose",
                    "kinesis_data_analytics",
                    "iot_core",
                    "datasync",
                ],
            ),
            s("S3", &["s3", "s3_data_lake"]),
            s("Glue Data Catalog", &["glue", "glue_data_catalog"]),
            s("Athena or EMR", &["athena", "emr"]),
            s("SageMaker", &["sagemaker"]),
        ],
    },
    Reference {
        id: "T02",
        name: "end-to-end analytics with Macie",
        source: "1:614-618",
        stages: &[
            s("mobile app", &["mobile_app"]),
            s("Kinesis", KINESIS),
            s("S3", &["s3"]),
            s("Glue", &["glue"]),
            s("Redshift or Athena", &["redshift", "athena"]),
            side("Macie", &["macie"]),
            s("QuickSight", &["quicksight"]),
            opt("users", &["users"]),
        ],
    },
    Reference {
        id: "T03",
        name: "ML pipeline",
        source: "1:566-569",
        stages: &[
            s("S3", &["s3"]),
            s("SageMaker", &["sagemaker"]),
            s("container image", &["container_image"]),
            s("EKS", &["eks"]),
            side("retraining Lambda", &["lambda"]),
        ],
    },
    Reference {
        id: "T04",
        name: "S3 to Lambda image processing",
        source: "3:53-54",
        stages: &[
            s("S3", &["s3"]),
            s("Lambda", &["lambda"]),
            s("image processing", &["ml_consumer"]),
        ],
    },
    Reference {
        id: "T05",
        name: "Kinesis to Lambda to database",
        source: "3:56",
        stages: &[
            s("social media", &["social_media"]),
            s("Kinesis", KINESIS),
            s("Lambda", &["lambda"]),
            s("database", &["dynamodb", "rds", "aurora"]),
        ],
    },
    Reference {
        id: "T06",
        name: "Lambda invocation",
        source: "3:59",
        stages: &[s("client", &["client"]), s("Lambda", &["lambda"])],
    },
    Reference {
        id: "T07",
        name: "live video facial recognition",
        source: "4:36",
        stages: &[
            s("Kinesis Video Streams", &["kinesis_video_streams"]),
            s("Rekognition", &["rekognition"]),
            s("SNS", &["sns"]),
            s("users", &["users"]),
        ],
    },
    Reference {
        id: "T08",
        name: "IoT streaming ingestion",
        source: "4:27",
        stages: &[
            s("IoT devices", &["iot_devices"]),
            s(
                "Kinesis or IoT Core",
                &[
                    "kinesis",
                    "kinesis_data_streams",
                    "kinesis_firehose",
                    "kinesis_data_analytics",
                    "iot_core",
                ],
            ),
        ],
    },
    Reference {
        id: "T09",
        name: "load-balanced web tier",
        source: "1:79-85",
        stages: &[
            s("users", &["users"]),
            s("load balancer", &["elb"]),
            s("target group", &["target_group"]),
            s("EC2", &["ec2"]),
        ],
    },
    Reference {
        id: "T10",
        name: "Auto Scaling",
        source: "1:96-102",
        stages: &[
            s("users", &["users"]),
            s("Auto Scaling", &["ec2_auto_scaling"]),
            s("EC2", &["ec2"]),
        ],
    },
    Reference {
        id: "T11",
        name: "EC2 instance anatomy",
        source: "1:51-55",
        stages: &[
            s("AMI", &["ami"]),
            s("EC2", &["ec2"]),
            side("key pair", &["key_pair"]),
            side("security group", &["security_group"]),
            side("EBS", &["ebs"]),
        ],
    },
    Reference {
        id: "T12",
        name: "admin access to EC2",
        source: "1:59-66",
        stages: &[
            s("admin", &["ssh_client", "users"]),
            opt(
                "keyless access",
                &["session_manager", "ec2_instance_connect"],
            ),
            s("EC2", &["ec2"]),
        ],
    },
    Reference {
        id: "T13",
        name: "EBS snapshot and AMI lifecycle",
        source: "2:291-323",
        stages: &[
            s("volume", &["ebs"]),
            s("snapshot", &["ebs_snapshot"]),
            s("copy", &["ebs_snapshot"]),
            s("restored volume", &["ebs"]),
            side("EC2", &["ec2"]),
        ],
    },
    Reference {
        id: "T14",
        name: "shared file system",
        source: "2:338-339",
        stages: &[
            side("EFS", &["efs"]),
            side("EC2", &["ec2"]),
            side("second EC2", &["ec2"]),
            opt("on-premises", &["on_premises_dc"]),
        ],
    },
    Reference {
        id: "T15",
        name: "container delivery",
        source: "3:88",
        stages: &[
            s("container image", &["container_image"]),
            s("registry", &["ecr", "docker_hub"]),
            s("ECS, EKS or Fargate", &["ecs", "eks", "fargate"]),
        ],
    },
    Reference {
        id: "T16",
        name: "database migration",
        source: "1:290-293",
        stages: &[
            s("on-premises source", &["on_premises_dc"]),
            s("DMS", &["dms"]),
            s("target database", &["rds", "aurora"]),
            side("Schema Conversion Tool", &["sct"]),
        ],
    },
    Reference {
        id: "T17",
        name: "hybrid connectivity",
        source: "1:358-368",
        stages: &[
            side("on-premises", &["on_premises_dc"]),
            side(
                "VPN or Direct Connect",
                &["vpn", "direct_connect", "privatelink"],
            ),
            side("VPC", &["vpc"]),
        ],
    },
    Reference {
        id: "T18",
        name: "VPC anatomy",
        source: "1:310-340",
        stages: &[
            side("internet gateway", &["network_gateway"]),
            side("route table", &["route_table"]),
            side("network ACL", &["nacl"]),
            side("security group", &["security_group"]),
            side("instance", &["ec2"]),
        ],
    },
    Reference {
        id: "T19",
        name: "global delivery",
        source: "1:380-404",
        stages: &[
            s("users", &["users"]),
            s("Route 53", &["route53"]),
            s("CloudFront", &["cloudfront"]),
            s("origin", &["s3", "elb", "ec2"]),
        ],
    },
    Reference {
        id: "T20",
        name: "S3 static website",
        source: "2:423-429",
        stages: &[
            s("users", &["users"]),
            opt("CloudFront", &["cloudfront"]),
            s("website bucket", &["s3"]),
            side("bucket policy", &["s3_bucket_policy"]),
        ],
    },
    Reference {
        id: "T21",
        name: "cache in front of a database",
        source: "2:597",
        stages: &[
            s("application", &["ec2", "lambda", "ecs"]),
            s("cache", &["elasticache", "memorydb"]),
            s("database", &["rds", "aurora"]),
        ],
    },
    Reference {
        id: "T22",
        name: "highly available relational database",
        source: "2:576-580",
        stages: &[
            s("application", &["ec2", "lambda", "ecs", "elb"]),
            s("primary database", &["rds", "aurora"]),
            s("read replica", &["rds", "aurora"]),
        ],
    },
    Reference {
        id: "T23",
        name: "storage lifecycle",
        source: "3:18-19",
        stages: &[
            s("S3 Standard", &["s3_standard"]),
            s(
                "infrequent access",
                &["s3_standard_ia", "s3_intelligent_tiering", "s3_one_zone_ia"],
            ),
            s("Glacier", &["s3_glacier"]),
            s("Deep Archive", &["s3_glacier_deep_archive"]),
        ],
    },
    Reference {
        id: "T24",
        name: "S3 replication",
        source: "2:453-460",
        stages: &[
            s("source bucket", &["s3"]),
            s("replica bucket", &["s3"]),
            side("replication role", &["iam_role"]),
        ],
    },
    Reference {
        id: "T25",
        name: "access-log audit",
        source: "2:447",
        stages: &[
            s("bucket", &["s3"]),
            s("log bucket", &["s3"]),
            s("Athena", &["athena"]),
        ],
    },
    Reference {
        id: "T26",
        name: "centralized backup",
        source: "1:505-506",
        stages: &[
            side("AWS Backup", &["aws_backup"]),
            side(
                "protected resource",
                &["ebs", "rds", "efs", "dynamodb", "aurora"],
            ),
            side(
                "second resource",
                &["ebs", "rds", "efs", "dynamodb", "aurora"],
            ),
        ],
    },
    Reference {
        id: "T27",
        name: "application integration",
        source: "1:627-637",
        stages: &[
            s(
                "producer",
                &["ec2", "lambda", "ecs", "client", "mobile_app"],
            ),
            s("SQS, SNS or EventBridge", &["sqs", "sns", "eventbridge"]),
            s("consumer", &["lambda", "ec2", "ecs", "users"]),
        ],
    },
    Reference {
        id: "T28",
        name: "transactional email",
        source: "1:649",
        stages: &[
            s("application", &["ec2", "lambda", "ecs"]),
            s("SES", &["ses"]),
            s("users", &["users"]),
        ],
    },
    Reference {
        id: "T29",
        name: "CI/CD",
        source: "1:654-661",
        stages: &[
            s("repository", &["codecommit"]),
            s("CodePipeline", &["codepipeline"]),
            s(
                "deploy target",
                &["ecs", "ec2", "lambda", "eks", "elastic_beanstalk"],
            ),
        ],
    },
    Reference {
        id: "T30",
        name: "S3 and Redshift warehouse with BI",
        source: "0:23-27",
        stages: &[
            s("S3", &["s3"]),
            opt("Glue", &["glue"]),
            s("Redshift", &["redshift"]),
            s("BI", &["quicksight", "bi_client"]),
        ],
    },
    Reference {
        id: "T31",
        name: "EMR big-data cluster",
        source: "4:40-41",
        stages: &[
            s("S3", &["s3"]),
            s("EMR", &["emr"]),
            side("engine", &["apache_spark"]),
        ],
    },
    Reference {
        id: "T32",
        name: "IAM structure",
        source: "2:64-136",
        stages: &[
            side("IAM user", &["iam_user"]),
            side("IAM group", &["iam_group"]),
            side("IAM policy", &["iam_policy"]),
            side("IAM role", &["iam_role"]),
        ],
    },
    Reference {
        id: "T33",
        name: "hybrid storage",
        source: "1:458; 2:514",
        stages: &[
            s("on-premises", &["on_premises_dc"]),
            s(
                "S3 on Outposts or One Zone-IA",
                &["s3_outposts", "s3_one_zone_ia"],
            ),
        ],
    },
    Reference {
        id: "T34",
        name: "ML compute",
        source: "4:46-52",
        stages: &[
            s("Deep Learning AMI", &["deep_learning_ami"]),
            s("accelerated compute", &["ec2", "eks", "sagemaker"]),
        ],
    },
    Reference {
        id: "T35",
        name: "basic network path",
        source: "2:24",
        stages: &[
            s("client", &["client"]),
            s("router", &["router"]),
            s("switch", &["switch"]),
        ],
    },
];

/// For each service, the (reference, stage) pairs it can fill: built once, so a pipeline
/// finds its candidate references with a handful of lookups.
static STAGES_OF: std::sync::LazyLock<Vec<Vec<(usize, usize)>>> = std::sync::LazyLock::new(|| {
    let cat = crate::catalog::catalog();
    let mut table = vec![Vec::new(); cat.services.len()];
    for (r, reference) in REFERENCES.iter().enumerate() {
        for (st, stage) in reference.stages.iter().enumerate() {
            for service in stage.services {
                if let Some(i) = cat.service_index(service) {
                    table[i].push((r, st));
                }
            }
        }
    }
    table
});

/// Connected parts of the design, through any edge, as node ids in design order.
fn components<'a>(ix: &Index<'a>) -> Vec<Vec<&'a str>> {
    let mut seen = vec![false; ix.design.nodes.len()];
    let any_group_edges = ix
        .design
        .edges
        .iter()
        .any(|e| ix.group(&e.from).is_some() || ix.group(&e.to).is_some());
    let mut out = Vec::new();
    for (start, n) in ix.design.nodes.iter().enumerate() {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut part = vec![n.id.as_str()];
        let mut stack = vec![n.id.as_str()];
        while let Some(x) = stack.pop() {
            let mut visit = |o: &'a str, stack: &mut Vec<&'a str>, part: &mut Vec<&'a str>| {
                if let Some(i) = ix.node_position(o)
                    && !seen[i]
                {
                    seen[i] = true;
                    part.push(o);
                    stack.push(o);
                }
            };
            // Edges at the boxes around a node reach it too (a route table on its subnet).
            let mut others: Vec<&'a str> = ix
                .out(x)
                .map(|(_, e)| e.to.as_str())
                .chain(ix.inn(x).map(|(_, e)| e.from.as_str()))
                .collect();
            if any_group_edges {
                for g in ix.enclosing(x) {
                    others.extend(ix.touching(&g.id).into_iter().map(|(_, _, o)| o));
                }
            }
            for o in others {
                if ix.node_position(o).is_some() {
                    visit(o, &mut stack, &mut part);
                } else if let Some(g) = ix.group(o) {
                    // An edge to a box reaches what the box holds.
                    for inner in ix.nodes_within(&g.id) {
                        visit(inner, &mut stack, &mut part);
                    }
                }
            }
        }
        part.sort_by_key(|id| ix.position(id));
        out.push(part);
    }
    out
}

/// Pipelines larger than this are not matched against references: a reference has at most a
/// dozen stages, and the reach table of a connected part grows with its size squared.
pub const LARGEST_MATCHED: usize = 20_000;

/// Which nodes each node reaches along `next` (paths of one step or more), as bit rows of
/// `words` words, one row per strongly connected component. Components come out of Tarjan's
/// algorithm downstream first, so each row is the union of rows already made: one pass over
/// the edges, not a search from every node.
fn reach_rows(next: &[Vec<usize>], words: usize) -> (Vec<usize>, Vec<u64>) {
    let k = next.len();
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; k];
    let mut low = vec![0usize; k];
    let mut on_stack = vec![false; k];
    let mut component = vec![NONE; k];
    let mut stack: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut counter = 0;
    // (node, next edge to look at): the search's own stack, so deep chains cannot overflow.
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..k {
        if index[root] != NONE {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut at)) = work.last_mut() {
            if *at == 0 && index[v] == NONE {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = next[v].get(*at) {
                *at += 1;
                if index[w] == NONE {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let c = members.len();
                let mut part = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = c;
                    part.push(w);
                    if w == v {
                        break;
                    }
                }
                members.push(part);
            }
        }
    }
    let mut rows = vec![0u64; members.len() * words];
    for (c, part) in members.iter().enumerate() {
        let mut row = vec![0u64; words];
        let cyclic = part.len() > 1 || part.iter().any(|&v| next[v].contains(&v));
        for &v in part {
            if cyclic {
                row[v / 64] |= 1 << (v % 64);
            }
            for &w in &next[v] {
                let d = component[w];
                if d != c {
                    row[w / 64] |= 1 << (w % 64);
                    for (mine, theirs) in row.iter_mut().zip(&rows[d * words..(d + 1) * words]) {
                        *mine |= theirs;
                    }
                }
            }
        }
        rows[c * words..(c + 1) * words].copy_from_slice(&row);
    }
    (component, rows)
}

/// A pipeline with local indices: its nodes, their catalog services, and which node reaches
/// which along flow edges, as bit rows. Matching then compares integers, not strings.
struct Local<'a> {
    ids: Vec<&'a str>,
    services: Vec<usize>,
    words: usize,
    /// Each node's strongly connected component: nodes of one reach the same nodes.
    component: Vec<usize>,
    /// One bit row per component: the nodes reachable from it.
    reach: Vec<u64>,
}

impl<'a> Local<'a> {
    fn new(ix: &Index<'a>, part: &[&'a str], services: Vec<usize>) -> Self {
        let k = part.len();
        let words = k.div_ceil(64).max(1);
        // Small pipelines find local indices by scanning; large ones through a map.
        let local_of: Option<HashMap<&str, usize>> =
            (k > 32).then(|| part.iter().enumerate().map(|(i, id)| (*id, i)).collect());
        let find = |o: &str| match &local_of {
            Some(m) => m.get(o).copied(),
            None => part.iter().position(|p| *p == o),
        };
        let next: Vec<Vec<usize>> = part
            .iter()
            .map(|id| {
                ix.out(id)
                    .filter(|(_, e)| !e.kind.is_relation())
                    .filter_map(|(_, e)| find(&e.to))
                    .collect()
            })
            .collect();
        let (component, rows) = reach_rows(&next, words);
        Local {
            ids: part.to_vec(),
            services,
            words,
            component,
            reach: rows,
        }
    }

    /// Whether `b` is downstream of `a`.
    fn reaches(&self, a: usize, b: usize) -> bool {
        self.reach[self.component[a] * self.words + b / 64] & (1 << (b % 64)) != 0
    }
}

/// How a pipeline fills a reference's stages (local node indices).
struct Match {
    reference: &'static Reference,
    filled: Vec<Option<usize>>,
    out_of_order: Vec<(usize, usize)>,
    present: usize,
    missing_count: usize,
}

impl Match {
    fn missing(&self) -> Vec<usize> {
        (0..self.filled.len())
            .filter(|&i| self.filled[i].is_none() && !self.reference.stages[i].optional)
            .collect()
    }
    fn required(&self) -> usize {
        self.reference.stages.iter().filter(|s| !s.optional).count()
    }
    fn score(&self) -> f32 {
        self.present as f32
            - 0.75 * self.missing_count as f32
            - 0.5 * self.out_of_order.len() as f32
    }
}

/// Fills stages in order, each with a node of its services not used by an earlier stage,
/// preferring a node downstream of the previous filled stage.
fn fill(local: &Local<'_>, reference: &'static Reference, r: usize) -> Match {
    let k = local.ids.len();
    let mut used = vec![false; k];
    let mut filled: Vec<Option<usize>> = Vec::with_capacity(reference.stages.len());
    let mut prev: Option<usize> = None;
    for (st, stage) in reference.stages.iter().enumerate() {
        let fits = |j: usize| {
            !used[j]
                && local.services[j] != usize::MAX
                && STAGES_OF[local.services[j]].contains(&(r, st))
        };
        let pick = match (stage.ordered, prev) {
            (true, Some(p)) => (0..k)
                .find(|&j| fits(j) && local.reaches(p, j))
                .or_else(|| (0..k).find(|&j| fits(j))),
            _ => (0..k).find(|&j| fits(j)),
        };
        if let Some(p) = pick {
            used[p] = true;
            if stage.ordered {
                prev = Some(p);
            }
        }
        filled.push(pick);
    }
    let ordered: Vec<(usize, usize)> = filled
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.filter(|_| reference.stages[i].ordered).map(|n| (i, n)))
        .collect();
    let out_of_order = ordered
        .windows(2)
        .filter(|w| local.reaches(w[1].1, w[0].1) && !local.reaches(w[0].1, w[1].1))
        .map(|w| (w[0].0, w[1].0))
        .collect();
    let present = filled.iter().filter(|f| f.is_some()).count();
    let missing_count = (0..filled.len())
        .filter(|&i| filled[i].is_none() && !reference.stages[i].optional)
        .count();
    Match {
        reference,
        filled,
        out_of_order,
        present,
        missing_count,
    }
}

/// One conformance finding per pipeline that resembles a reference architecture.
pub fn conformance(ix: &Index) -> Vec<Finding> {
    let mut findings = Vec::new();
    for part in components(ix) {
        if part.len() < 2 || part.len() > LARGEST_MATCHED {
            continue;
        }
        let cat = crate::catalog::catalog();
        let services: Vec<usize> = part
            .iter()
            .map(|id| {
                ix.service(id)
                    .and_then(|s| cat.service_index(s))
                    .unwrap_or(usize::MAX)
            })
            .collect();
        // Only references that could reach the threshold are matched in full.
        let mut fillable = [0u64; 64];
        let mut seen_services: Vec<usize> = Vec::with_capacity(8);
        for &service in &services {
            if service == usize::MAX || seen_services.contains(&service) {
                continue;
            }
            seen_services.push(service);
            for &(r, stage) in &STAGES_OF[service] {
                fillable[r] |= 1 << stage;
            }
        }
        let candidates: Vec<usize> = (0..REFERENCES.len())
            .filter(|&i| {
                let n = fillable[i].count_ones() as usize;
                let required = REFERENCES[i]
                    .stages
                    .iter()
                    .filter(|st| !st.optional)
                    .count();
                n >= 2 && n as f32 >= 0.6 * required as f32
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let local = Local::new(ix, &part, services);
        let best = candidates
            .into_iter()
            .map(|r| fill(&local, &REFERENCES[r], r))
            .filter(|m| {
                (m.present >= 3 || m.missing_count == 0)
                    && m.present >= 2
                    && m.present as f32 >= 0.6 * m.required() as f32
            })
            .filter(|m| {
                let nodes: Vec<usize> = m.filled.iter().flatten().copied().collect();
                nodes
                    .iter()
                    .any(|&a| nodes.iter().any(|&b| local.reaches(a, b)))
                    || m.reference.stages.iter().all(|s| !s.ordered)
            })
            .max_by(|a, b| {
                a.score()
                    .total_cmp(&b.score())
                    .then(a.present.cmp(&b.present))
                    .then(b.reference.id.cmp(a.reference.id))
            });
        let Some(m) = best else { continue };
        findings.push(finding(&m, &local));
    }
    findings
}

fn finding(m: &Match, local: &Local<'_>) -> Finding {
    let r = m.reference;
    let present = m.present;
    let total = r.stages.len();
    let missing = m.missing();
    let name = |i: usize| r.stages[i].name;
    let mut parts = Vec::new();
    for &i in &missing {
        let before = (0..i)
            .rev()
            .find(|&k| m.filled[k].is_some() && r.stages[k].ordered);
        let after = (i + 1..total).find(|&k| m.filled[k].is_some() && r.stages[k].ordered);
        parts.push(match (r.stages[i].ordered, before, after) {
            (true, Some(b), Some(a)) => {
                format!("missing {} between {} and {}", name(i), name(b), name(a))
            }
            (true, Some(b), None) => format!("missing {} after {}", name(i), name(b)),
            (true, None, Some(a)) => format!("missing {} before {}", name(i), name(a)),
            _ => format!("missing {}", name(i)),
        });
    }
    for &(i, j) in &m.out_of_order {
        parts.push(format!("{} comes after {}", name(i), name(j)));
    }
    let complete = parts.is_empty();
    let present_names: Vec<&str> = (0..total)
        .filter(|&i| m.filled[i].is_some())
        .map(name)
        .collect();
    let message = if complete {
        format!(
            "Matches {} {}, {present} of {total} stages: {}",
            r.id,
            r.name,
            present_names.join(", ")
        )
    } else {
        format!(
            "Matches {} {}, {present} of {total} stages: {}",
            r.id,
            r.name,
            parts.join("; ")
        )
    };
    let elements: Vec<ElementRef> = m
        .filled
        .iter()
        .flatten()
        .map(|&i| node(local.ids[i]))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Finding {
        rule: r.id.to_string(),
        severity: if complete {
            Severity::Info
        } else {
            Severity::Warning
        },
        message,
        elements,
        quote: format!("Reference architecture {} ({}) of the notes", r.id, r.name),
        source: r.source.to_string(),
        fix: None,
        suppressed: false,
    }
}

#[cfg(test)]
mod reach_tests {
    use super::reach_rows;

    /// Reachability the slow way: a search from every node.
    fn by_search(next: &[Vec<usize>]) -> Vec<Vec<bool>> {
        (0..next.len())
            .map(|i| {
                let mut seen = vec![false; next.len()];
                let mut stack = next[i].clone();
                while let Some(j) = stack.pop() {
                    if !seen[j] {
                        seen[j] = true;
                        stack.extend(&next[j]);
                    }
                }
                seen
            })
            .collect()
    }

    #[test]
    fn rows_agree_with_a_search_from_every_node() {
        // Pseudo-random graphs with chains, cycles, self-loops and fan-outs.
        let mut seed = 7u64;
        let mut rand = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for k in [1usize, 2, 5, 63, 64, 65, 130] {
            for _ in 0..5 {
                let next: Vec<Vec<usize>> = (0..k)
                    .map(|_| (0..rand(4)).map(|_| rand(k)).collect())
                    .collect();
                let words = k.div_ceil(64).max(1);
                let (component, rows) = reach_rows(&next, words);
                let expected = by_search(&next);
                for a in 0..k {
                    for b in 0..k {
                        let got = rows[component[a] * words + b / 64] & (1 << (b % 64)) != 0;
                        assert_eq!(got, expected[a][b], "k={k} {a}->{b}");
                    }
                }
            }
        }
    }
}
