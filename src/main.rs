//! The archsketch binary: parses the command line, then opens the window.

use std::path::PathBuf;

use clap::Parser;

/// Sketch AWS architectures and check them against the notes' reference architectures.
#[derive(Parser)]
#[command(name = "archsketch", version, about)]
struct Cli {
    /// A design file (.ron) to open.
    file: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    archsketch::ui::run_window(cli.file).map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
