//! `cargo xtask`: the two commands a fresh machine needs, and a few more.
//!
//! * `cargo xtask run [-- ARGS]`  provisions what is missing, builds Nexus and starts it
//!   (with no display it renders the welcome page headless and writes a screenshot);
//! * `cargo xtask test`           provisions, then runs every check and test;
//! * `cargo xtask setup`          only provisions (idempotent): Debian runtime packages,
//!   the CEF runtime, the AI model files;
//! * `cargo xtask bench [ARGS]`   runs the criterion benchmarks;
//! * `cargo xtask package [ARGS]` builds the installers (see `package`);
//! * `cargo xtask soak [FILTER]`  the long fault-injection and soak runs (see `soak`);
//! * `cargo xtask fuzz ...`       the libFuzzer targets of `fuzz/` (see `fuzz`).
//!
//! Every step says what it does before doing it.

mod cmd;
mod debian;
mod fuzz;
mod layout;
mod measure;
mod models;
mod package;
mod paths;
mod run;
mod runtime;
mod soak;
mod test;
mod wheel;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask <setup|run|test|bench|package|soak|fuzz> [ARGS]

  setup            install what Nexus needs: Debian runtime packages (as root), the CEF
                   runtime, the AI model files. Safe to run again.
  run [-- ARGS]    setup, build, start Nexus (ARGS go to nexus). Without a display it
                   renders the welcome page headless and writes a screenshot.
  test             setup, then fmt check, clippy, crate-boundary check, every test.
  bench [ARGS]     run the criterion benchmarks (ARGS go to cargo bench).
  measure [--release]
                   the measured runs behind docs/performance.md (start-up, 60 fps
                   animation CPU, memory, IPC round trips, AI sidebar).
  package [ARGS]   build the release packages (.deb and .tar.gz on Linux, .dmg on macOS,
                   installer and .zip on Windows) into target/dist; --help for options.
  soak [FILTER]    the long fault and soak runs (AI worker killed 100 times, 100 tabs
                   for 10 minutes, 1,000,000 hub messages); FILTER: kills, tabs, flood.
  fuzz list|run TARGET [SECONDS]|cmin TARGET|all [SECONDS]
                   the libFuzzer targets of fuzz/ (built with coverage flags; no cargo-fuzz).";

fn main() {
    if let Err(err) = real_main() {
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "setup" => runtime::setup().map(|_| ()),
        "run" => run::run(&rest),
        "test" => test::test(&rest),
        "bench" => test::bench(&rest),
        "measure" => measure::measure(&rest),
        "package" => package::package(&rest),
        "soak" => soak::soak(&rest),
        "fuzz" => fuzz::fuzz(&rest),
        "" | "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}
