//! The archsketch binary: parses the command line, then opens the window or runs a headless
//! command. Everything else lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Sketch AWS architectures and check them against the notes' reference architectures.
#[derive(Parser)]
#[command(
    name = "archsketch",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// A design file (.ron) to open in the window.
    file: Option<PathBuf>,
    /// Print the window's frame times (median and 95th percentile CPU milliseconds of every
    /// 100 frames) on stderr.
    #[arg(long)]
    frame_stats: bool,
    #[command(subcommand)]
    command: Option<archsketch::cli::Command>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => {
            if let Err(e) = archsketch::io::remove_temporaries_when_interrupted() {
                eprintln!(
                    "archsketch: cannot watch for Ctrl+C ({e}); an interrupted export may leave a .tmp file"
                );
            }
            match archsketch::cli::run(command, &mut std::io::stdout().lock()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "archsketch: {}",
                        archsketch::report::lines_for_terminal(&e.to_string())
                    );
                    ExitCode::from(e.exit_code())
                }
            }
        }
        None => match archsketch::ui::run_window(cli.file, cli.frame_stats) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("archsketch: cannot open the window: {e}");
                ExitCode::from(1)
            }
        },
    }
}
