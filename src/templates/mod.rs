//! The reference architectures of the notes as ready-made designs (`templates/*.ron`),
//! embedded so `New from template` and `archsketch new` work without files beside the binary.

use crate::io::{LoadError, load_str};
use crate::model::Design;

/// One template: its file name, id (`t01`) and RON text.
#[derive(Debug, PartialEq)]
pub struct Template {
    pub id: &'static str,
    pub file: &'static str,
    pub text: &'static str,
}

macro_rules! templates {
    ($($id:literal => $file:literal),* $(,)?) => {
        /// Every template, T01 to T35.
        pub const TEMPLATES: &[Template] = &[
            $(Template { id: $id, file: $file, text: include_str!(concat!("../../templates/", $file)) }),*
        ];
    };
}

templates![
    "t01" => "t01-s3-data-lake.ron",
    "t02" => "t02-analytics-with-macie.ron",
    "t03" => "t03-ml-pipeline.ron",
    "t04" => "t04-s3-lambda-image-processing.ron",
    "t05" => "t05-kinesis-lambda-database.ron",
    "t06" => "t06-lambda-invocation.ron",
    "t07" => "t07-video-facial-recognition.ron",
    "t08" => "t08-iot-ingestion.ron",
    "t09" => "t09-load-balanced-web-tier.ron",
    "t10" => "t10-auto-scaling.ron",
    "t11" => "t11-ec2-anatomy.ron",
    "t12" => "t12-admin-access.ron",
    "t13" => "t13-ebs-snapshot-lifecycle.ron",
    "t14" => "t14-shared-file-system.ron",
    "t15" => "t15-container-delivery.ron",
    "t16" => "t16-database-migration.ron",
    "t17" => "t17-hybrid-connectivity.ron",
    "t18" => "t18-vpc-anatomy.ron",
    "t19" => "t19-global-delivery.ron",
    "t20" => "t20-s3-static-website.ron",
    "t21" => "t21-cache-in-front-of-database.ron",
    "t22" => "t22-ha-relational-database.ron",
    "t23" => "t23-storage-lifecycle.ron",
    "t24" => "t24-s3-replication.ron",
    "t25" => "t25-access-log-audit.ron",
    "t26" => "t26-centralized-backup.ron",
    "t27" => "t27-application-integration.ron",
    "t28" => "t28-transactional-email.ron",
    "t29" => "t29-ci-cd.ron",
    "t30" => "t30-s3-redshift-bi.ron",
    "t31" => "t31-emr-cluster.ron",
    "t32" => "t32-iam-structure.ron",
    "t33" => "t33-hybrid-storage.ron",
    "t34" => "t34-ml-compute.ron",
    "t35" => "t35-basic-network-path.ron",
];

impl Template {
    /// The design, parsed (the templates are tested to load).
    pub fn design(&self) -> Result<Design, LoadError> {
        load_str(self.text, self.file)
    }
}

/// The template with this id (`t01`, `T01`) or file name.
pub fn find(id: &str) -> Option<&'static Template> {
    let id = id.to_ascii_lowercase();
    TEMPLATES
        .iter()
        .find(|t| t.id == id || t.file == id || t.file.trim_end_matches(".ron") == id)
}
