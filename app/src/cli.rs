//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Nexus, a web browser.
#[derive(Debug, Parser)]
#[command(name = "nexus", disable_version_flag = true)]
pub struct Cli {
    /// Pages to open as tabs (URLs, host names or files).
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,

    /// Use this profile folder (bookmarks, history, settings, cookies).
    #[arg(long, value_name = "DIR", global = true)]
    pub profile: Option<PathBuf>,

    /// Open the pages in a new window of the running Nexus.
    #[arg(long)]
    pub new_window: bool,

    /// Render URL headless and write a PNG of it to FILE, then exit.
    #[arg(long, value_name = "FILE", requires = "urls")]
    pub screenshot: Option<PathBuf>,

    /// Render URL headless and print its DOM after scripts ran, then exit.
    #[arg(long, requires = "urls", conflicts_with = "screenshot")]
    pub dump_dom: bool,

    /// Window (or headless view) size, e.g. 1280x800.
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse_size)]
    pub window_size: (i32, i32),

    /// Let ORIGIN (e.g. http://localhost:8000) use the page's `window.nexus` API in this
    /// headless run (the windowed browser asks the user instead). Repeatable.
    #[arg(long, value_name = "ORIGIN")]
    pub allow_api: Vec<String>,

    /// Print the IPC message log (kinds, peers, sizes; never contents) as JSON lines on exit.
    #[arg(long)]
    pub ipc_log: bool,

    /// Measure ROUNDS browser -> renderer -> browser round trips on URL (raw CEF messages
    /// vs nexus-ipc envelopes) and print the percentiles; for docs/performance.md.
    #[arg(long, value_name = "ROUNDS", hide = true, requires = "urls")]
    pub bench_ipc: Option<usize>,

    /// Print Nexus's, CEF's and Chromium's versions.
    #[arg(long, short = 'V')]
    pub version: bool,

    /// What to do instead of browsing.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Commands for people and scripts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import or export bookmarks (Netscape bookmark HTML, what every browser reads).
    Bookmarks {
        /// Import or export.
        #[command(subcommand)]
        action: BookmarksAction,
    },
    /// Analyse a page (file, URL or - for standard input) and print the analysis as JSON.
    Analyze {
        /// A file, a URL, or - for standard input.
        source: String,
        /// Answer this question about the page instead.
        #[arg(long)]
        question: Option<String>,
    },
}

/// Bookmark import/export.
#[derive(Debug, Subcommand)]
pub enum BookmarksAction {
    /// Add the bookmarks of FILE to the profile.
    Import {
        /// A bookmarks HTML file.
        file: PathBuf,
    },
    /// Write the profile's bookmarks to FILE.
    Export {
        /// Where to write.
        file: PathBuf,
    },
}

fn parse_size(s: &str) -> Result<(i32, i32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{s:?} is not a size like 1280x800"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (64..=16384).contains(n))
            .ok_or_else(|| format!("{v:?} in {s:?} is not a size between 64 and 16384"))
    };
    Ok((parse(w)?, parse(h)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_bad_ones_are_explained() {
        assert_eq!(parse_size("1280x800"), Ok((1280, 800)));
        assert!(parse_size("big").unwrap_err().contains("not a size"));
        assert!(parse_size("10x10").unwrap_err().contains("between 64"));
    }

    #[test]
    fn screenshot_needs_a_url() {
        assert!(Cli::try_parse_from(["nexus", "--screenshot", "a.png"]).is_err());
        let cli = Cli::try_parse_from(["nexus", "--screenshot", "a.png", "example.com"]).unwrap();
        assert_eq!(cli.urls, ["example.com"]);
    }

    #[test]
    fn unknown_flags_are_errors() {
        let err = Cli::try_parse_from(["nexus", "--frobnicate"]).unwrap_err();
        assert!(err.to_string().contains("--frobnicate"));
    }

    #[test]
    fn the_profile_may_come_before_or_after_a_subcommand() {
        for argv in [
            &["nexus", "--profile", "p", "analyze", "page.html"][..],
            &["nexus", "analyze", "page.html", "--profile", "p"][..],
        ] {
            let cli = Cli::try_parse_from(argv).unwrap();
            assert_eq!(cli.profile, Some(PathBuf::from("p")), "{argv:?}");
            assert!(
                matches!(&cli.command, Some(Command::Analyze { source, .. }) if source == "page.html"),
                "{argv:?}: {cli:?}"
            );
            assert!(cli.urls.is_empty());
        }
        let cli = Cli::try_parse_from(["nexus", "--profile", "p", "example.com", "b.org"]).unwrap();
        assert_eq!(cli.urls, ["example.com", "b.org"]);
        assert!(cli.command.is_none());
    }
}
