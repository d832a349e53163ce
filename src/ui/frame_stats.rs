//! `archsketch --frame-stats`: the window reports its own frame times, so its speed can be
//! measured where it runs (under Xvfb on a CI machine, or on a person's desktop): every 100
//! frames, the median and 95th percentile CPU milliseconds of those frames, on stderr.

use std::collections::VecDeque;

/// How many frames each report covers.
pub const WINDOW: usize = 100;

/// The last frames' CPU times.
#[derive(Default)]
pub struct FrameStats {
    times: VecDeque<f32>,
    seen: usize,
}

impl FrameStats {
    /// Records one frame's CPU time (seconds); every [`WINDOW`] frames returns the report.
    pub fn record(&mut self, seconds: f32) -> Option<String> {
        self.times.push_back(seconds * 1000.0);
        if self.times.len() > WINDOW {
            self.times.pop_front();
        }
        self.seen += 1;
        (self.seen.is_multiple_of(WINDOW)).then(|| self.report())
    }

    /// "frames 101-200: median 3.10 ms, 95th percentile 4.52 ms (CPU)".
    pub fn report(&self) -> String {
        let mut sorted: Vec<f32> = self.times.iter().copied().collect();
        sorted.sort_by(f32::total_cmp);
        let at = |q: f32| {
            sorted
                .get(((sorted.len() as f32 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        format!(
            "frames {}-{}: median {:.2} ms, 95th percentile {:.2} ms (CPU)",
            self.seen + 1 - sorted.len(),
            self.seen,
            at(0.5),
            at(0.95)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::FrameStats;

    #[test]
    fn reports_median_and_95th_percentile_every_hundred_frames() {
        let mut stats = FrameStats::default();
        let mut last = None;
        for i in 0..200 {
            // 1 ms to 100 ms, twice.
            last = stats.record(((i % 100) + 1) as f32 / 1000.0).or(last);
        }
        assert_eq!(
            last.unwrap(),
            "frames 101-200: median 51.00 ms, 95th percentile 95.00 ms (CPU)"
        );
    }
}
