#!/usr/bin/env python3
"""Writes templates/t02..t35: the reference architectures of knowledge.md section 2 as
archsketch designs, laid out left to right on a grid (180 x 140 units). T01 was drawn in the
window. Output follows the archsketch writer exactly, so the files load and save unchanged.

Run from the repository root: python3 tools/make_templates.py
"""

import json

COL, ROW = 180.0, 140.0


def q(s):
    return json.dumps(s, ensure_ascii=False)


def num(v):
    v = float(v)
    return repr(v) if v != int(v) else f"{int(v)}.0"


def props(p):
    return "" if not p else ", props: {" + ", ".join(f"{q(k)}: {q(v)}" for k, v in sorted(p.items())) + "}"


def write(path, title, description, nodes, edges, groups):
    out = ["#![enable(implicit_some)]", "Design(", "    format: 1,", f"    title: {q(title)},", f"    description: {q(description)},"]
    out.append("    nodes: [")
    for n in nodes:
        nid, service, label, col, row = n[:5]
        p = n[5] if len(n) > 5 else {}
        lab = f", label: {q(label)}" if label else ""
        out.append(f"        Node(id: {q(nid)}, service: {q(service)}{lab}, pos: ({num(col * COL)}, {num(row * ROW)}){props(p)}),")
    out.append("    ],")
    out.append("    edges: [")
    for e in edges:
        a, b = e[0], e[1]
        kind = e[2] if len(e) > 2 else "Data"
        label = e[3] if len(e) > 3 else ""
        k = "" if kind == "Data" else f", kind: {kind}"
        lab = f", label: {q(label)}" if label else ""
        out.append(f"        Edge(from: {q(a)}, to: {q(b)}{k}{lab}),")
    out.append("    ],")
    out.append("    groups: [" if groups else "    groups: [],")
    for g in groups:
        gid, kind, label, children = g[:4]
        p = g[4] if len(g) > 4 else {}
        lab = f", label: {q(label)}" if label else ""
        ch = f", children: [{', '.join(q(c) for c in children)}]" if children else ""
        out.append(f"        Group(id: {q(gid)}, kind: {kind}{lab}{ch}{props(p)}),")
    if groups:
        out.append("    ],")
    out.append(")")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def cloud(region_children, extra=()):
    """AWS Cloud > Region us-east-1 around the AWS services."""
    return [("region", "Region", "us-east-1", list(region_children), {"region": "us-east-1"}), *extra, ("cloud", "AwsCloud", "", ["region"])]


V = {"versioning": "enabled"}
T = {}

T["t02-analytics-with-macie"] = ("T02 End-to-end analytics workflow with Macie",
    "Mobile clickstream ingested by Kinesis into S3, transformed by Glue into Redshift and Athena, watched by Macie, reported by QuickSight (note 1:614-618). Macie on Redshift and Athena follows the note but is unverified (C4). The downstream ML process is the note's generic consumer.",
    [("app", "mobile_app", "Mobile app", 0, 1), ("stream", "kinesis_data_streams", "Ingest", 1, 1), ("raw", "s3", "Landing bucket", 2, 1, V),
     ("etl", "glue", "Transform & move", 3, 1), ("dwh", "redshift", "Warehouse", 4, 0), ("sql", "athena", "Ad-hoc SQL", 4, 2),
     ("ml", "ml_consumer", "Downstream ML", 5, 0), ("bi", "quicksight", "Reports", 5, 2), ("viewers", "users", "Analysts", 6, 2), ("guard", "macie", "Sensitive-data scan", 2, 3)],
    [("app", "stream"), ("stream", "raw"), ("raw", "etl", "Catalog"), ("etl", "dwh"), ("etl", "sql", "Catalog"), ("raw", "sql", "Query"), ("dwh", "ml"),
     ("sql", "bi", "Query"), ("bi", "viewers"), ("guard", "raw", "Monitor"), ("guard", "dwh", "Monitor"), ("guard", "sql", "Monitor")],
    cloud(["stream", "raw", "etl", "dwh", "sql", "bi", "guard"]))

T["t03-ml-pipeline"] = ("T03 Sample ML pipeline",
    "Training data in S3 read by SageMaker, the model packaged as a container and deployed on EKS; a Lambda retrains and redeploys when new data arrives (note 1:566-569). Inferred: ECR between the image and EKS (the note implies a registry), and S3 as the Lambda's event source.",
    [("data", "s3", "Training data", 0, 1, V), ("train", "sagemaker", "Notebook & training", 1, 1), ("image", "container_image", "Model image", 2, 1),
     ("registry", "ecr", "Registry (inferred)", 3, 1), ("serve", "eks", "Serving cluster", 4, 1), ("retrain", "lambda", "Retrain on new data", 1, 2, {"purpose": "retraining"})],
    [("data", "train"), ("train", "image"), ("image", "registry", "Push"), ("registry", "serve", "Pull"), ("data", "retrain", "Trigger"),
     ("retrain", "train", "Trigger"), ("retrain", "serve", "Trigger")],
    cloud(["data", "train", "image", "registry", "serve", "retrain"]))

T["t04-s3-lambda-image-processing"] = ("T04 S3 to Lambda image processing",
    "An upload to S3 triggers a Lambda function that processes the image (note 3:53-54). Inferred: writing the result back to S3.",
    [("uploads", "s3", "Uploaded images", 0, 1, V), ("fn", "lambda", "On upload", 1, 1), ("proc", "ml_consumer", "Image processing", 2, 1), ("out", "s3", "Processed images (inferred)", 3, 1, V)],
    [("uploads", "fn", "Trigger"), ("fn", "proc"), ("proc", "out")],
    cloud(["uploads", "fn", "out"]))

T["t05-kinesis-lambda-database"] = ("T05 Kinesis to Lambda to database",
    "Social media posts added into Kinesis trigger a Lambda function that stores them in a database (note 3:56). The note names no database: DynamoDB here, RDS or Aurora equally.",
    [("feed", "social_media", "Social media", 0, 1), ("stream", "kinesis_data_streams", "Posts stream", 1, 1), ("fn", "lambda", "Analyse post", 2, 1), ("db", "dynamodb", "Posts", 3, 1)],
    [("feed", "stream"), ("stream", "fn", "Trigger"), ("fn", "db")],
    cloud(["stream", "fn", "db"]))

T["t06-lambda-invocation"] = ("T06 Lambda invocation",
    "A client sends a request to Lambda, which runs the code in a container and is metered by the second (notes 3:59, 3:44).",
    [("client", "client", "Client", 0, 1), ("fn", "lambda", "Function", 1, 1)],
    [("client", "fn", "Route", "request")],
    cloud(["fn"]))

T["t07-video-facial-recognition"] = ("T07 Live video facial recognition with notification",
    "Video streamed into Kinesis Video Streams, faces recognised on the fly, a notification sent when a particular person is spotted (note 4:36). Inferred: the cameras, Rekognition and SNS (the note names none of them; 1:536 and 1:637 support them).",
    [("camera", "iot_devices", "Cameras (inferred)", 0, 1), ("kvs", "kinesis_video_streams", "Video stream", 1, 1), ("faces", "rekognition", "Face search", 2, 1),
     ("topic", "sns", "Alerts", 3, 1), ("team", "users", "Security team", 4, 1)],
    [("camera", "kvs"), ("kvs", "faces"), ("faces", "topic", "Trigger"), ("topic", "team", "Notify")],
    cloud(["kvs", "faces", "topic"]))

T["t08-iot-ingestion"] = ("T08 IoT streaming ingestion",
    "IoT devices connect through IoT Core, which links their data to Kinesis and on to storage (notes 4:27, 1:671, 1:594). Inferred: the S3 archive as the stream's destination.",
    [("sensors", "iot_devices", "Sensors", 0, 1), ("core", "iot_core", "IoT Core", 1, 1), ("stream", "kinesis_data_streams", "Telemetry stream", 2, 1), ("archive", "s3", "Telemetry archive (inferred)", 3, 1, V)],
    [("sensors", "core"), ("core", "stream"), ("stream", "archive")],
    cloud(["core", "stream", "archive"]))

T["t09-load-balanced-web-tier"] = ("T09 Load-balanced web tier",
    "Users' requests hit the Application Load Balancer, which uses the primary target group first and activates the secondary one when demand increases (notes 1:79-85, 0:6).",
    [("users", "users", "Users", 0, 1), ("alb", "elb", "Application LB", 1, 1, {"type": "alb"}), ("primary", "target_group", "Primary targets", 2, 0), ("secondary", "target_group", "Secondary targets", 2, 2),
     ("web1", "ec2", "Web 1", 3, -0.5), ("web2", "ec2", "Web 2", 3, 0.5), ("web3", "ec2", "Web 3", 3, 2)],
    [("users", "alb", "Route"), ("alb", "primary", "Route"), ("alb", "secondary", "Route", "when demand rises"), ("primary", "web1", "Route"), ("primary", "web2", "Route"), ("secondary", "web3", "Route")],
    cloud(["alb", "primary", "secondary", "web1", "web2", "web3"]))

T["t10-auto-scaling"] = ("T10 EC2 Auto Scaling",
    "Requests are routed to EC2 Auto Scaling, which adds instances as demand increases and shuts them down as it goes down (notes 1:96-102, 0:7). Usually combined with T09.",
    [("users", "users", "Users", 0, 1), ("scaling", "ec2_auto_scaling", "EC2 Auto Scaling", 1, 1), ("a", "ec2", "Instance", 2, 0), ("b", "ec2", "Instance", 2, 2)],
    [("users", "scaling", "Route"), ("scaling", "a", "Route"), ("scaling", "b", "Route")],
    cloud(["scaling", "asg"], extra=[("asg", "AutoScalingGroup", "", ["a", "b"])]))

T["t11-ec2-anatomy"] = ("T11 EC2 instance anatomy",
    "An instance launched from an AMI into a subnet of a VPC, reached with a key pair, behind a security group, with an EBS root volume (notes 1:51-55, 3:66, 2:178).",
    [("image", "ami", "AMI", 0, 1), ("vm", "ec2", "Instance", 2, 1), ("key", "key_pair", "Key pair", 1, 0), ("sg", "security_group", "Security group", 3, 0, {"inbound_ports": "22"}), ("root", "ebs", "Root volume", 3, 2)],
    [("image", "vm"), ("key", "vm", "Attach"), ("sg", "vm", "Attach"), ("root", "vm", "Attach")],
    [("subnet", "PrivateSubnet", "Subnet", ["vm", "sg", "root"]), ("vpc", "Vpc", "VPC", ["subnet"]), ("region", "Region", "us-east-1", ["image", "key", "vpc"], {"region": "us-east-1"}), ("cloud", "AwsCloud", "", ["region"])])

T["t12-admin-access"] = ("T12 Admin access to EC2",
    "Three ways in: SSH with a private key and port 22, Session Manager with IAM and no open ports, or EC2 Instance Connect in the browser (notes 1:59-66, 3:72).",
    [("admin", "ssh_client", "Admin (PuTTY + .pem)", 0, 0), ("ops", "users", "Operators", 0, 2), ("ssm", "session_manager", "Session Manager", 1, 2),
     ("browser", "ec2_instance_connect", "Instance Connect", 1, 3), ("key", "key_pair", "Key pair", 1, 0), ("vm", "ec2", "Instance", 2, 1), ("sg", "security_group", "Port 22", 3, 1, {"inbound_ports": "22"})],
    [("admin", "vm", "Data", "SSH"), ("key", "vm", "Attach"), ("sg", "vm", "Attach"), ("ops", "ssm"), ("ssm", "vm"), ("ops", "browser"), ("browser", "vm")],
    cloud(["ssm", "browser", "key", "vm", "sg"]))

T["t13-ebs-snapshot-lifecycle"] = ("T13 EBS snapshot lifecycle",
    "To move a volume to another AZ, snapshot it, copy the snapshot, and restore a volume there for an instance in that AZ (notes 2:291, 2:300).",
    [("vol", "ebs", "Volume", 0, 1), ("snap", "ebs_snapshot", "Snapshot", 1, 1), ("copy", "ebs_snapshot", "Snapshot copy", 2, 1), ("restored", "ebs", "Restored volume", 3, 1), ("vm", "ec2", "Instance", 4, 1)],
    [("vol", "snap"), ("snap", "copy", "Replicate"), ("copy", "restored"), ("restored", "vm", "Attach")],
    [("az_a", "AvailabilityZone", "us-east-1a", ["vol", "snap"], {"az": "us-east-1a"}), ("az_b", "AvailabilityZone", "us-east-1b", ["copy", "restored", "vm"], {"az": "us-east-1b"}),
     ("region", "Region", "us-east-1", ["az_a", "az_b"], {"region": "us-east-1"}), ("cloud", "AwsCloud", "", ["region"])])

T["t14-shared-file-system"] = ("T14 Shared file system",
    "EFS mounted by Linux instances in several AZs, and used by on-premises resources (notes 2:338-339, 1:478).",
    [("dc", "on_premises_dc", "Data center", 0, 1), ("fs", "efs", "Shared files", 1, 1), ("a", "ec2", "Linux A", 2, 0, {"os": "linux"}), ("b", "ec2", "Linux B", 2, 2, {"os": "linux"})],
    [("dc", "fs"), ("fs", "a", "Mount"), ("fs", "b", "Mount")],
    [("az_a", "AvailabilityZone", "us-east-1a", ["a"]), ("az_b", "AvailabilityZone", "us-east-1b", ["b"]), ("region", "Region", "us-east-1", ["fs", "az_a", "az_b"], {"region": "us-east-1"}), ("cloud", "AwsCloud", "", ["region"])])

T["t15-container-delivery"] = ("T15 Container delivery",
    "The image is pushed to a registry (ECR, or Docker Hub when public) and pulled by ECS in a VPC, launched on Fargate, behind an Application Load Balancer (notes 3:88, 2:701, 2:689, 3:94).",
    [("image", "container_image", "App image", 0, 1, {"visibility": "private"}), ("registry", "ecr", "ECR", 1, 1), ("users", "users", "Users", 1, 3), ("alb", "elb", "Application LB", 2, 3, {"type": "alb"}), ("service", "ecs", "ECS service", 2, 1, {"launch_type": "fargate"})],
    [("image", "registry", "Push"), ("registry", "service", "Pull"), ("users", "alb", "Route"), ("alb", "service", "Route")],
    [("vpc", "Vpc", "VPC", ["alb", "service"]), ("region", "Region", "us-east-1", ["registry", "vpc"], {"region": "us-east-1"}), ("cloud", "AwsCloud", "", ["region"])])

T["t16-database-migration"] = ("T16 Database migration",
    "A heterogeneous migration: the Schema Conversion Tool converts the SQL Server schema, and DMS replicates the data into Aurora PostgreSQL while the source stays available (notes 1:290-293, 2:657-660).",
    [("source", "on_premises_dc", "SQL Server (on-premises)", 0, 1, {"engine": "sqlserver"}), ("schema", "sct", "Schema Conversion Tool", 1, 0), ("dms", "dms", "DMS", 1, 1), ("target", "aurora", "Aurora PostgreSQL", 2, 1, {"engine": "postgresql"})],
    [("source", "schema"), ("schema", "target", "Data", "schema"), ("source", "dms"), ("dms", "target", "Replicate")],
    cloud(["schema", "dms", "target"]))

T["t17-hybrid-connectivity"] = ("T17 Hybrid connectivity",
    "The data center reaches the VPC over a VPN through the internet, or over a dedicated Direct Connect line (notes 1:364-369, 1:358).",
    [("dc", "on_premises_dc", "Data center", 0, 1), ("vpn", "vpn", "Site-to-Site VPN", 1, 0), ("dx", "direct_connect", "Direct Connect", 1, 2), ("net", "vpc", "Application VPC", 2, 1)],
    [("dc", "vpn", "Connect"), ("vpn", "net", "Connect"), ("dc", "dx", "Connect"), ("dx", "net", "Connect")],
    cloud(["vpn", "dx", "net"]))

T["t18-vpc-anatomy"] = ("T18 VPC anatomy",
    "A custom VPC in one Region: an internet gateway and route table for explicit internet access, a public subnet with its network ACL, and an instance behind its security group (notes 1:310-340).",
    [("internet", "internet", "Internet", 0, 1), ("igw", "network_gateway", "Internet gateway", 1, 1), ("routes", "route_table", "Route table", 2, 0), ("acl", "nacl", "Network ACL", 2, 2),
     ("web", "ec2", "Web server", 3, 1), ("sg", "security_group", "Web SG", 4, 1, {"inbound_ports": "80 443"})],
    [("internet", "igw", "Route"), ("igw", "web", "Route"), ("routes", "public", "Attach"), ("acl", "public", "Attach"), ("sg", "web", "Attach")],
    [("public", "PublicSubnet", "Public subnet", ["web", "sg"]), ("vpc", "Vpc", "Custom VPC", ["igw", "routes", "acl", "public"], {"custom": "true"}), ("region", "Region", "us-east-1", ["vpc"], {"region": "us-east-1"}), ("cloud", "AwsCloud", "", ["region"])])

T["t19-global-delivery"] = ("T19 Global delivery",
    "Route 53 resolves the domain, CloudFront delivers the content from the edge (notes 1:380-404). Inferred: an S3 bucket as the origin.",
    [("users", "users", "Users", 0, 1), ("dns", "route53", "Route 53", 1, 1), ("cdn", "cloudfront", "CloudFront", 2, 1), ("origin", "s3", "Origin (inferred)", 3, 1, V)],
    [("users", "dns", "Route"), ("dns", "cdn", "Route"), ("cdn", "origin", "Route")],
    cloud(["origin"], extra=[]) if False else [("region", "Region", "us-east-1", ["origin"], {"region": "us-east-1"}), ("cloud", "AwsCloud", "", ["dns", "cdn", "region"])])

T["t20-s3-static-website"] = ("T20 S3 static website",
    "S3 hosts a static website on the www; its bucket policy must allow public reads, or visitors get 403 Forbidden (notes 2:423-429). Inferred: CloudFront in front is optional and left out.",
    [("users", "users", "Visitors", 0, 1), ("site", "s3", "Website bucket", 1, 1, {"bucket_name": "www.example.com", "public_read": "true", "versioning": "enabled"}), ("policy", "s3_bucket_policy", "Public-read policy", 1, 0)],
    [("users", "site", "Route"), ("policy", "site", "Attach")],
    cloud(["site", "policy"]))

T["t21-cache-in-front-of-database"] = ("T21 Cache in front of a database",
    "ElastiCache takes read load off the database and keeps session data in memory (notes 2:597, 1:487, 1:492). Inferred: cache-aside, reading the database on a miss.",
    [("app", "ec2", "App servers", 0, 1), ("cache", "elasticache", "Session cache", 1, 0), ("db", "rds", "Orders DB", 2, 1, {"engine": "postgres"})],
    [("app", "cache"), ("cache", "db", "Data", "on miss (inferred)"), ("app", "db")],
    cloud(["app", "cache", "db"]))

T["t22-ha-relational-database"] = ("T22 Highly available relational database",
    "RDS with a Multi-AZ standby for disaster recovery and a read replica for read performance (notes 2:576-580).",
    [("app", "ec2", "App servers", 0, 1), ("primary", "rds", "Primary (Multi-AZ)", 1, 1, {"engine": "mysql", "multi_az": "true"}), ("replica", "rds", "Read replica", 2, 1, {"engine": "mysql"})],
    [("app", "primary"), ("primary", "replica", "Replicate")],
    cloud(["app", "primary", "replica"]))

T["t23-storage-lifecycle"] = ("T23 S3 storage lifecycle",
    "Lifecycle rules move objects from hot to cold: Standard, then Standard-IA, then Glacier, then Deep Archive (notes 3:18-19, 1:498).",
    [("hot", "s3_standard", "Standard", 0, 1), ("warm", "s3_standard_ia", "Standard-IA", 1, 1), ("cold", "s3_glacier", "Glacier", 2, 1), ("frozen", "s3_glacier_deep_archive", "Deep Archive", 3, 1)],
    [("hot", "warm", "Transition", "30 days"), ("warm", "cold", "Transition", "90 days"), ("cold", "frozen", "Transition", "180 days")],
    cloud(["hot", "warm", "cold", "frozen"]))

T["t24-s3-replication"] = ("T24 S3 cross-region replication",
    "Replication between versioned buckets in two Regions (CRR), asynchronous, with an IAM role granting S3 the permissions (notes 2:453-460).",
    [("role", "iam_role", "Replication role", 0, 0), ("src", "s3", "Primary bucket", 1, 1, V), ("dst", "s3", "Replica bucket", 3, 1, V)],
    [("src", "dst", "Replicate", "CRR"), ("role", "src", "AssumeRole")],
    [("east", "Region", "us-east-1", ["role", "src"], {"region": "us-east-1"}), ("west", "Region", "eu-west-1", ["dst"], {"region": "eu-west-1"}), ("cloud", "AwsCloud", "", ["east", "west"])])

T["t25-access-log-audit"] = ("T25 Access-log audit",
    "A bucket logs every request into another S3 bucket, queried with Athena for log analytics (notes 2:447, 2:644).",
    [("site", "s3", "Website bucket", 0, 1, V), ("logs", "s3", "Access logs", 1, 1, V), ("sql", "athena", "Log analytics", 2, 1)],
    [("site", "logs", "LogTo"), ("logs", "sql", "Query")],
    cloud(["site", "logs", "sql"]))

T["t26-centralized-backup"] = ("T26 Centralized backup",
    "AWS Backup centralises and automates backup across services, with cross-region copies (notes 1:505-506). Inferred: which services it protects; the note says only \"across AWS services\".",
    [("backup", "aws_backup", "AWS Backup", 1, 0), ("vol", "ebs", "Volumes", 0, 1), ("db", "rds", "Database", 1, 1, {"engine": "postgres"}), ("fs", "efs", "File system", 2, 1), ("table", "dynamodb", "Table", 3, 1)],
    [("backup", "vol", "Backup"), ("backup", "db", "Backup"), ("backup", "fs", "Backup"), ("backup", "table", "Backup")],
    cloud(["backup", "vol", "db", "fs", "table"]))

T["t27-application-integration"] = ("T27 Application integration",
    "SQS decouples a producer from its worker, SNS fans out to people and apps, EventBridge relays events to targets (notes 1:627-637).",
    [("orders", "ec2", "Order service", 0, 1), ("queue", "sqs", "Order queue", 1, 0), ("worker", "lambda", "Worker", 2, 0), ("topic", "sns", "Order events", 1, 1),
     ("people", "users", "Customers (SMS)", 2, 1), ("bus", "eventbridge", "Event bus", 1, 2), ("handler", "lambda", "Handler", 2, 2)],
    [("orders", "queue"), ("queue", "worker", "Trigger"), ("orders", "topic"), ("topic", "people", "Notify"), ("orders", "bus"), ("bus", "handler", "Trigger")],
    cloud(["orders", "queue", "worker", "topic", "bus", "handler"]))

T["t28-transactional-email"] = ("T28 Transactional email",
    "An application sends transactional messages such as password resets or order confirmations through SES (note 1:649).",
    [("app", "ec2", "Shop backend", 0, 1), ("mail", "ses", "SES", 1, 1), ("people", "users", "Customers", 2, 1)],
    [("app", "mail"), ("mail", "people", "Notify")],
    cloud(["app", "mail"]))

T["t29-ci-cd"] = ("T29 CI/CD",
    "Code in CodeCommit, built and delivered by CodePipeline to ECS; CodeGuru reviews the code (notes 1:654-661, 1:539). Inferred: ECR between the pipeline and ECS. CodeCommit is closed to new customers (C16).",
    [("devs", "users", "Developers", 0, 1), ("repo", "codecommit", "Repository", 1, 1), ("review", "codeguru", "Code review", 1, 0), ("pipe", "codepipeline", "Pipeline", 2, 1),
     ("registry", "ecr", "ECR (inferred)", 3, 1), ("service", "ecs", "ECS service", 4, 1, {"launch_type": "fargate"})],
    [("devs", "repo"), ("review", "repo", "Monitor"), ("repo", "pipe"), ("pipe", "registry", "Push"), ("registry", "service", "Pull")],
    cloud(["repo", "review", "pipe", "registry", "service"]))

T["t30-s3-redshift-bi"] = ("T30 S3 and Redshift warehouse with BI",
    "Raw data in S3 and structured data in Redshift, used together; BI tools such as QuickSight or Tableau read Redshift over JDBC/ODBC (notes 0:23-27, 2:625). Inferred: Glue loading S3 into Redshift.",
    [("raw", "s3", "Raw data", 0, 1, V), ("etl", "glue", "Load (inferred)", 1, 1), ("dwh", "redshift", "Warehouse", 2, 1), ("bi", "quicksight", "Dashboards", 3, 0), ("tableau", "bi_client", "Tableau (JDBC)", 3, 2)],
    [("raw", "etl", "Catalog"), ("etl", "dwh"), ("dwh", "bi", "Query"), ("dwh", "tableau", "Query")],
    cloud(["raw", "etl", "dwh", "bi"]))

T["t31-emr-cluster"] = ("T31 EMR big-data cluster",
    "EMR reads and writes S3; task nodes run on Spot because they can be lost without failing the cluster (notes 4:40-41, 2:631). Inferred: master and core nodes On-Demand.",
    [("data", "s3", "Data lake", 0, 1, V), ("core", "emr", "Master & core (On-Demand)", 1, 0, {"purchasing": "on_demand", "role": "core"}), ("tasks", "emr", "Task nodes (Spot)", 1, 2, {"purchasing": "spot", "role": "task"}),
     ("spark", "apache_spark", "Spark", 2, 1)],
    [("data", "core", "Query"), ("data", "tasks", "Query"), ("core", "data", "Data", "results"), ("spark", "core", "Attach")],
    cloud(["data", "core", "tasks", "spark"]))

T["t32-iam-structure"] = ("T32 IAM structure",
    "The root account stays unused; people are IAM users with MFA in groups, policies attach to groups, services act through roles (notes 2:64-67, 2:70, 2:92, 2:131-136).",
    [("root", "iam_root_account", "Root (unused)", 0, 0), ("alice", "iam_user", "Alice", 0, 1, {"mfa": "true"}), ("bob", "iam_user", "Bob", 0, 2, {"mfa": "true"}), ("devs", "iam_group", "Developers", 1, 1),
     ("policy", "iam_policy", "Read-only S3", 2, 1, {"actions": "s3:GetObject"}), ("role", "iam_role", "App role", 1, 3), ("app", "ec2", "App server", 2, 3)],
    [("alice", "devs", "MemberOf"), ("bob", "devs", "MemberOf"), ("policy", "devs", "Attach"), ("policy", "role", "Attach"), ("role", "app", "AssumeRole")],
    [("account", "Account", "Production account", ["root", "alice", "bob", "devs", "policy", "role", "app"], {"password_policy": "true"}), ("cloud", "AwsCloud", "", ["account"])])

T["t33-hybrid-storage"] = ("T33 Hybrid storage",
    "S3 on Outposts extends storage on premises; secondary backup copies of on-premises data go to One Zone-IA because they can be recreated (notes 1:458, 2:514).",
    [("dc", "on_premises_dc", "Data center", 0, 1), ("outposts", "s3_outposts", "S3 on Outposts", 1, 0), ("copies", "s3_one_zone_ia", "Secondary backups", 1, 2, {"data": "reproducible"})],
    [("dc", "outposts"), ("dc", "copies")],
    cloud(["copies"]))

T["t34-ml-compute"] = ("T34 ML compute",
    "Deep Learning AMIs on accelerated (GPU) instances; SageMaker uses ml.* instance types; EKS on accelerated instances runs ML containers (notes 4:46-52, 1:140).",
    [("dlami", "deep_learning_ami", "Deep Learning AMI", 0, 1), ("gpu", "ec2", "GPU training", 1, 1, {"family": "accelerated", "workload": "deep_learning"}),
     ("data", "s3", "Training data", 0, 2, V), ("sm", "sagemaker", "SageMaker (ml.p3)", 1, 2, {"instance_type": "ml.p3.2xlarge"})],
    [("dlami", "gpu"), ("data", "sm")],
    cloud(["dlami", "gpu", "data", "sm"]))

T["t35-basic-network-path"] = ("T35 Basic network path",
    "A client's traffic goes through a router, then a switch, to various clients (note 2:24).",
    [("client", "client", "Client", 0, 1), ("router", "router", "Router", 1, 1), ("switch", "switch", "Switch", 2, 1), ("b", "client", "Client B", 3, 0), ("c", "client", "Client C", 3, 2)],
    [("client", "router", "Route"), ("router", "switch", "Route"), ("switch", "b", "Route"), ("switch", "c", "Route")],
    [("office", "OnPremises", "Office network", ["client", "router", "switch", "b", "c"])])

for name, (title, desc, nodes, edges, groups) in T.items():
    write(f"templates/{name}.ron", title, desc, nodes, edges, groups)
print(len(T), "templates written")
