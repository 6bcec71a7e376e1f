//! `nexus`: the browser.

use anyhow::{Result, bail};
use clap::Parser;
use nexus::cli::{BookmarksAction, Cli, Command};
use nexus::headless;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging();
    match run(cli, started) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nexus: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, started: Instant) -> Result<()> {
    let _cef = nexus::cef::framework::load(false).map_err(anyhow::Error::msg)?;
    if cli.version {
        let v = nexus::cef::compat::version::runtime_version();
        println!("Nexus {}", env!("CARGO_PKG_VERSION"));
        println!(
            "CEF {} (bindings {})",
            v.cef,
            nexus::cef::compat::BINDINGS_VERSION
        );
        println!("Chromium {}", v.chromium);
        println!(
            "Build: commit {}, {} profile",
            env!("NEXUS_BUILD_COMMIT"),
            env!("NEXUS_BUILD_PROFILE")
        );
        return Ok(());
    }
    let profile_dir = cli
        .profile
        .clone()
        .unwrap_or_else(nexus::paths::default_profile_dir);
    match &cli.command {
        Some(Command::Bookmarks {
            action: BookmarksAction::Import { file },
        }) => {
            let summary = nexus::profile::transfer::cli_import(&profile_dir, file)?;
            println!("{summary}");
            return Ok(());
        }
        Some(Command::Bookmarks {
            action: BookmarksAction::Export { file },
        }) => {
            let summary = nexus::profile::transfer::cli_export(&profile_dir, file)?;
            println!("{summary}");
            return Ok(());
        }
        Some(Command::Analyze { source, question }) => {
            return nexus::analyze_cli::run(&profile_dir, source, question.as_deref());
        }
        None => {}
    }
    let urls = cli
        .urls
        .iter()
        .map(|u| nexus::url_input::interpret_argument(u))
        .collect::<Result<Vec<_>, _>>()?;
    if cli.screenshot.is_some() || cli.dump_dom || cli.bench_ipc.is_some() {
        let [url] = urls.as_slice() else {
            bail!("--screenshot and --dump-dom take exactly one URL");
        };
        let (width, height) = cli.window_size;
        let (cache_dir, temporary) = match &cli.profile {
            Some(dir) => (dir.join("cef"), false),
            None => (headless::temporary_cache_dir(), true),
        };
        let mut allowed_origins = cli.allow_api.clone();
        if let Some(dir) = &cli.profile {
            allowed_origins.extend(nexus::profile::allowed_api_origins(dir));
        }
        let options = headless::HeadlessOptions {
            url: url.clone(),
            width,
            height,
            cache_dir: cache_dir.clone(),
            allowed_origins,
            ipc_log: cli.ipc_log,
        };
        let result = if let Some(rounds) = cli.bench_ipc {
            headless::bench_round_trips(&options, rounds).map(|r| {
                let pct = |v: &[f64], p: f64| {
                    let mut v = v.to_vec();
                    v.sort_by(f64::total_cmp);
                    v[((v.len() as f64 - 1.0) * p).round() as usize]
                };
                for (name, v) in [
                    ("raw CEF process message", &r.raw),
                    ("nexus-ipc envelope", &r.ipc),
                ] {
                    println!(
                        "{name}: n={} p50={:.1} us p90={:.1} us p99={:.1} us",
                        v.len(),
                        pct(v, 0.5),
                        pct(v, 0.9),
                        pct(v, 0.99)
                    );
                }
                println!(
                    "overhead at p50: {:+.1}%",
                    (pct(&r.ipc, 0.5) / pct(&r.raw, 0.5) - 1.0) * 100.0
                );
            })
        } else if let Some(out) = &cli.screenshot {
            headless::screenshot(&options, out, started).map(|report| {
                eprintln!(
                    "nexus: wrote {} ({width}x{height}); first content after {} ms, done after {} ms",
                    out.display(),
                    report.first_content.map_or("-".into(), |d| d.as_millis().to_string()),
                    report.total.as_millis()
                );
            })
        } else {
            headless::dump_dom(&options).map(|dom| println!("{dom}"))
        };
        if temporary {
            let _ = std::fs::remove_dir_all(&cache_dir);
        }
        return result;
    }
    nexus::shell::run(nexus::shell::ShellOptions {
        profile_dir,
        urls,
        window_size: cli.window_size,
        started,
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEXUS_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(
            "warn,winit=error,egui_winit=error,eframe=error,zbus=error,accesskit_unix=error",
        )
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
