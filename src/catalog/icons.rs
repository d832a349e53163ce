//! The project's own icon set (`assets/icons/*.svg`), embedded so the binary and its
//! exports need no files beside them. Glyphs are white strokes on a transparent 64x64 grid;
//! the tile behind them is painted in the service's category colour.

use super::catalog;

macro_rules! icons {
    ($($name:literal),* $(,)?) => {
        /// Every embedded icon as (name, SVG bytes), sorted by name.
        static ICONS: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../../assets/icons/", $name, ".svg")))),*
        ];
    };
}

icons![
    "access_key",
    "acm",
    "amazon_machine_learning",
    "ami",
    "apache_spark",
    "api_gateway",
    "app_runner",
    "athena",
    "aurora",
    "aws_backup",
    "bedrock",
    "bi_client",
    "cat-analytics",
    "cat-app_integration",
    "cat-business",
    "cat-compute",
    "cat-containers",
    "cat-database",
    "cat-devtools",
    "cat-general",
    "cat-iot",
    "cat-management",
    "cat-migration",
    "cat-ml",
    "cat-networking",
    "cat-quantum",
    "cat-security",
    "cat-storage",
    "client",
    "cloudformation",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "cloudwatch_logs",
    "codebuild",
    "cognito",
    "container_image",
    "datasync",
    "deep_learning_ami",
    "direct_connect",
    "dms",
    "docker_hub",
    "documentdb",
    "dynamodb",
    "ebs",
    "ebs_snapshot",
    "ec2",
    "ec2_auto_scaling",
    "ec2_hosted_db",
    "ec2_instance_connect",
    "ec2_instance_store",
    "ecr",
    "ecs",
    "ecs_container_instance",
    "efs",
    "eks",
    "elastic_beanstalk",
    "elasticache",
    "elb",
    "emr",
    "eni",
    "eventbridge",
    "eventbridge_scheduler",
    "fargate",
    "glue",
    "glue_data_catalog",
    "group-account",
    "group-auto-scaling",
    "group-cloud",
    "group-on-premises",
    "group-private-subnet",
    "group-public-subnet",
    "group-region",
    "group-vpc",
    "iam",
    "iam_group",
    "iam_policy",
    "iam_role",
    "iam_root_account",
    "iam_user",
    "internet",
    "iot_core",
    "iot_devices",
    "key_pair",
    "kinesis",
    "kinesis_data_analytics",
    "kinesis_data_streams",
    "kinesis_firehose",
    "kinesis_video_streams",
    "kms",
    "lambda",
    "macie",
    "memorydb",
    "mfa",
    "ml_consumer",
    "ml_framework",
    "mobile_app",
    "msk",
    "nacl",
    "nat_gateway",
    "neptune",
    "network_gateway",
    "on_premises_dc",
    "opensearch",
    "privatelink",
    "quicksight",
    "rds",
    "redshift",
    "rekognition",
    "route53",
    "route_table",
    "router",
    "s3",
    "s3_access_logs",
    "s3_bucket_policy",
    "s3_data_lake",
    "s3_glacier",
    "s3_glacier_deep_archive",
    "s3_intelligent_tiering",
    "s3_lifecycle_rule",
    "s3_one_zone_ia",
    "s3_outposts",
    "s3_standard",
    "s3_standard_ia",
    "saas_app",
    "sagemaker",
    "sct",
    "secrets_manager",
    "security_group",
    "ses",
    "session_manager",
    "snow_family",
    "sns",
    "social_media",
    "sqs",
    "ssh_client",
    "step_functions",
    "subnet",
    "switch",
    "systems_manager",
    "target_group",
    "transit_gateway",
    "unknown",
    "users",
    "vpc",
    "vpc_endpoint",
    "vpn",
    "waf",
];

/// The SVG text of an icon by name.
pub fn icon_svg(name: &str) -> Option<&'static [u8]> {
    ICONS
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| ICONS[i].1)
}

/// The icon a service is drawn with: its own glyph, else its category's, else "unknown".
pub fn icon_for_service(service: &str) -> &'static str {
    if let Some(i) = ICONS.iter().position(|(n, _)| *n == service) {
        return ICONS[i].0;
    }
    match catalog().service(service) {
        Some(s) => {
            let cat = format!("cat-{}", s.category);
            ICONS
                .iter()
                .find(|(n, _)| *n == cat)
                .map_or("unknown", |(n, _)| n)
        }
        None => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_sorted_for_lookup_and_every_category_has_one() {
        assert!(ICONS.windows(2).all(|w| w[0].0 < w[1].0));
        for cat in &catalog().categories {
            assert!(icon_svg(&format!("cat-{}", cat.id)).is_some(), "{}", cat.id);
        }
        assert_eq!(icon_for_service("s3"), "s3");
        assert_eq!(icon_for_service("translate"), "cat-ml");
        assert_eq!(icon_for_service("nope"), "unknown");
    }
}
