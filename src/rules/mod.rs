//! Checking designs against the notes. For now: how serious a finding is, which the canvas
//! badges and the exports draw.

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The badge colour: red, amber, blue.
    pub fn color(self) -> [u8; 3] {
        match self {
            Severity::Error => [0xD1, 0x32, 0x12],
            Severity::Warning => [0xF2, 0x9B, 0x0B],
            Severity::Info => [0x00, 0x73, 0xBB],
        }
    }

    /// The lowercase name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}
