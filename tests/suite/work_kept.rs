//! No failure loses a person's work (issue "Bounded"): a write that fails leaves the file and
//! its `.bak` as they were, a link is followed only to a regular file, a killed save or export
//! leaves the target whole and its temporary file is gone after the next write, and a save
//! notices a file someone else changed since it was opened.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use archsketch::io;
use archsketch::model::sample;
use archsketch::ui::document::Document;

/// The temporary files (`.NAME.PID.tmp`) in `dir`.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.') && n.ends_with(".tmp"))
        })
        .collect()
}

#[test]
fn a_failed_save_leaves_the_file_and_its_backup_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("design.ron");
    let bak = dir.path().join("design.ron.bak");
    let design = sample::pipelines(12, 200.0);
    io::save_file(&design, &file).unwrap();
    io::save_file(&design, &file).unwrap();
    let (before, bak_before) = (std::fs::read(&file).unwrap(), std::fs::read(&bak).unwrap());
    // The backup cannot be written (its temporary file is taken by a folder): the save fails.
    let blocker = dir
        .path()
        .join(format!(".design.ron.bak.{}.tmp", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    let other = sample::pipelines(30, 200.0);
    assert!(io::save_file(&other, &file).is_err());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the design is untouched"
    );
    assert_eq!(
        std::fs::read(&bak).unwrap(),
        bak_before,
        "the .bak is untouched"
    );
    std::fs::remove_dir(&blocker).unwrap();
    assert_eq!(temporaries(dir.path()), Vec::<PathBuf>::new());
    // The near miss: with room to write, the same save goes through and keeps a backup.
    io::save_file(&other, &file).unwrap();
    assert_eq!(io::load_file(&file).unwrap(), other);
    assert_eq!(std::fs::read(&bak).unwrap(), before);
}

#[test]
fn a_link_is_followed_only_to_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let design = sample::pipelines(6, 200.0);
    // A link to a pipe (as `out.svg -> /dev/null` would be to a device) is refused.
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let link = dir.path().join("out.ron");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let err = io::save_file(&design, &link).unwrap_err();
    assert!(err.to_string().contains("only regular files"), "{err}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // Writing straight at the pipe is refused too.
    assert!(io::save_file(&design, &fifo).is_err());
    // The near miss: a link to a regular file is written through and stays a link.
    let real = dir.path().join("real.ron");
    std::fs::write(&real, "old").unwrap();
    let good = dir.path().join("good.ron");
    std::os::unix::fs::symlink(&real, &good).unwrap();
    io::save_file(&design, &good).unwrap();
    assert!(
        std::fs::symlink_metadata(&good)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(io::load_file(&real).unwrap(), design);
}

#[test]
fn a_dead_writers_temporary_files_are_removed_by_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    // Left by a process that no longer runs (no process id reaches 2^22 + 1 on Linux).
    let dead = 4_194_305;
    let left = [
        dir.path().join(format!(".d.ron.{dead}.tmp")),
        dir.path().join(format!(".d.ron.bak.{dead}.tmp")),
    ];
    // A running writer's file (this process is alive) and another file's are left alone.
    let alive = dir.path().join(format!(
        ".d.ron.{}.tmp",
        std::os::unix::process::parent_id()
    ));
    let unrelated = dir.path().join(format!(".other.ron.{dead}.tmp"));
    for f in left.iter().chain([&alive, &unrelated]) {
        std::fs::write(f, "half a design").unwrap();
    }
    io::save_file(&sample::pipelines(6, 200.0), &file).unwrap();
    for f in &left {
        assert!(!f.exists(), "{} survived", f.display());
    }
    assert!(alive.exists() && unrelated.exists());
}

#[test]
fn a_save_notices_the_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared.ron");
    io::save_file(&sample::pipelines(6, 200.0), &file).unwrap();
    let mut first = Document::open(&file, 0).unwrap();
    let second = Document::open(&file, 1).unwrap();
    assert!(!first.changed_on_disk(), "nothing changed yet");
    // Touched, not changed (an editor saved it as it was): no question.
    let text = std::fs::read(&file).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&file, &text).unwrap();
    assert!(!first.changed_on_disk());
    // The first window saves: the second one's save would overwrite that work.
    first.save_to(&file).unwrap();
    std::fs::write(&file, io::to_ron_string(&sample::pipelines(12, 200.0))).unwrap();
    assert!(first.changed_on_disk(), "another writer's change is seen");
    assert!(second.changed_on_disk());
    // Saving again (the person chose Overwrite) makes the file this document's again.
    first.save_to(&file).unwrap();
    assert!(!first.changed_on_disk());
    // A file that is gone has nothing to lose.
    std::fs::remove_file(&file).unwrap();
    assert!(!second.changed_on_disk());
}

/// A small deterministic random source (xorshift), so a failure can be run again.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Runs archsketch to the end; returns how long it took.
fn run_whole(args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "archsketch {args:?} failed");
    start.elapsed()
}

#[test]
fn killed_saves_and_exports_leave_whole_files_and_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.ron");
    io::save_file(&sample::pipelines(3_000, 200.0), &source).unwrap();
    let src = source.to_str().unwrap();
    let out_ron = dir.path().join("arranged.ron");
    let out_svg = dir.path().join("picture.svg");
    let jobs: [Vec<&str>; 2] = [
        vec!["layout", src, "-o", out_ron.to_str().unwrap()],
        vec!["export", src, "-o", out_svg.to_str().unwrap()],
    ];
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut kills = 0;
    let mut caught_writing = 0;
    for job in &jobs {
        // Two whole runs: the target and its .bak exist, and how long a run takes is known.
        run_whole(job);
        let took = run_whole(job);
        let whole = std::fs::read(job[3]).unwrap();
        for _ in 0..50 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_archsketch"))
                .args(job)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            // Anywhere in the run, more often near its end, where the writing is.
            let span = took.as_micros() as u64 * 5 / 4;
            let at = span - dice.below(span) * dice.below(span) / span.max(1);
            std::thread::sleep(Duration::from_micros(at));
            let _ = child.kill();
            let _ = child.wait();
            kills += 1;
            caught_writing += usize::from(!temporaries(dir.path()).is_empty());
            let now = std::fs::read(job[3]).unwrap();
            assert_eq!(now, whole, "{} is whole after a kill", job[3]);
            if job[0] == "layout" {
                let bak = format!("{}.bak", job[3]);
                io::load_file(Path::new(&bak)).unwrap();
            }
        }
    }
    assert_eq!(kills, 100);
    eprintln!("{caught_writing} of {kills} kills left a temporary file behind");
    // The next write of each target removes what the killed ones left.
    for job in &jobs {
        run_whole(job);
    }
    assert_eq!(temporaries(dir.path()), Vec::<PathBuf>::new());
}
