//! Work counted in machine instructions, not seconds: each case runs in a child process of
//! the test binary under `valgrind --tool=callgrind`, which counts the instructions every
//! thread executes. The count is the same whatever else the machine is doing, so "twice the
//! input at most about doubles the work" can be asserted without timing anything (speed
//! itself is measured by criterion in `benches/`).
//!
//! A test file lists its [`Case`]s, has one ignored test that calls [`run_requested`] (the
//! child's side), and asks [`doubling_ratio`] for each case (the parent's side).

use std::path::PathBuf;
use std::process::Command;

/// One measured piece of work: `input(n)` makes an input of size `n`, `work` processes it.
pub struct Case {
    pub name: &'static str,
    /// The smaller of the two sizes compared.
    pub size: usize,
    pub input: fn(usize) -> String,
    pub work: fn(&str) -> usize,
}

const CASE: &str = "ARCHSKETCH_WORK_CASE";
const SIZE: &str = "ARCHSKETCH_WORK_SIZE";
/// Set to make the input only, so its instructions (and the process's start) can be taken away.
const INPUT_ONLY: &str = "ARCHSKETCH_WORK_INPUT_ONLY";

/// The child's side: runs the case the parent named, if any (a plain `cargo test --ignored`
/// names none and does nothing).
pub fn run_requested(cases: &[Case]) {
    let (Ok(name), Ok(size)) = (std::env::var(CASE), std::env::var(SIZE)) else {
        return;
    };
    let case = cases
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case named {name}"));
    let input = (case.input)(size.parse().expect("a size"));
    if std::env::var_os(INPUT_ONLY).is_none() {
        std::hint::black_box((case.work)(std::hint::black_box(&input)));
    }
    std::hint::black_box(input);
}

/// How many more instructions the case takes at twice its size: about 2 for linear work,
/// about 4 for quadratic. `child_test` is the name of the ignored test that calls
/// [`run_requested`] in this test binary.
pub fn doubling_ratio(child_test: &str, case: &Case) -> f64 {
    let work = |size| {
        instructions(child_test, case, size, false)
            .saturating_sub(instructions(child_test, case, size, true))
            .max(1)
    };
    work(2 * case.size) as f64 / work(case.size) as f64
}

/// The instructions of one child run, counted by callgrind.
fn instructions(child_test: &str, case: &Case, size: usize, input_only: bool) -> u64 {
    let out = out_file(case.name, size, input_only);
    let mut child = Command::new("valgrind");
    child
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(std::env::current_exe().expect("the test binary"))
        .args(["--exact", child_test, "--ignored", "--test-threads=1", "-q"])
        .env(CASE, case.name)
        .env(SIZE, size.to_string());
    if input_only {
        child.env(INPUT_ONLY, "1");
    }
    let started = std::time::Instant::now();
    let run = child.output().unwrap_or_else(|e| {
        panic!(
            "cannot run valgrind ({e}): these tests count work with callgrind; \
             install it (Debian: apt-get install valgrind)"
        )
    });
    assert!(
        run.status.success(),
        "{} at size {size} failed under valgrind:\n{}",
        case.name,
        String::from_utf8_lossy(&run.stderr)
    );
    eprintln!(
        "  {} at {size}{}: {:.1} s under callgrind",
        case.name,
        if input_only { " (input only)" } else { "" },
        started.elapsed().as_secs_f64()
    );
    let text = std::fs::read_to_string(&out).expect("callgrind's output");
    let _ = std::fs::remove_file(&out);
    text.lines()
        .find_map(|l| l.strip_prefix("summary: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("a summary line in callgrind's output")
}

fn out_file(name: &str, size: usize, input_only: bool) -> PathBuf {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    std::env::temp_dir().join(format!(
        "archsketch-work-{}-{slug}-{size}-{input_only}.out",
        std::process::id()
    ))
}
