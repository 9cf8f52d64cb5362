//! Stage timings for profiling a build (`EVIDENTIA_TIMINGS=1` prints each stage's wall
//! time to stderr). Why: the benchmark says how long a build takes, this says where the
//! time goes, without a profiler and without changing what is written.

use std::io::Write as _;
use std::time::Instant;

/// Times the stages of one run; silent unless `EVIDENTIA_TIMINGS` is set.
pub(crate) struct Timings {
    on: bool,
    last: Instant,
}

/// Prints `what` beside the stage timings, when they are on: what a stage did that its
/// time depends on.
pub(crate) fn note(what: &str) {
    if std::env::var_os("EVIDENTIA_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0") {
        let _ = writeln!(std::io::stderr(), "timing: ({what})");
    }
}

impl Timings {
    pub(crate) fn start() -> Timings {
        Timings {
            on: std::env::var_os("EVIDENTIA_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"),
            last: Instant::now(),
        }
    }

    /// Ends the stage named `stage`, printing its time when timings are on.
    pub(crate) fn lap(&mut self, stage: &str) {
        if self.on {
            let now = Instant::now();
            let _ = writeln!(
                std::io::stderr(),
                "timing: {stage:<10} {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1000.0
            );
            self.last = now;
        }
    }
}
