//! What a process holds, read from /proc (Linux): open file descriptors, threads,
//! resident memory, child processes. Leak checks compare these before and after.

use std::path::Path;

/// One reading of a process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Open file descriptors.
    pub fds: usize,
    /// Threads.
    pub threads: usize,
    /// Resident set, KiB.
    pub rss_kib: u64,
    /// Peak resident set, KiB.
    pub peak_rss_kib: u64,
    /// Live (non-zombie) descendants: CEF's renderer, GPU and utility processes.
    pub descendants: usize,
    /// Zombie descendants (exited, not reaped).
    pub zombies: usize,
}

fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

fn status_kib(status: &str, field: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// (pid, parent, state) of every process.
fn processes() -> Vec<(u32, u32, char)> {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|pid| {
                    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    let (_, after) = stat.rsplit_once(") ")?;
                    let mut f = after.split(' ');
                    let state = f.next()?.chars().next()?;
                    let parent = f.next()?.parse().ok()?;
                    Some((pid, parent, state))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every descendant of `pid`, with its state.
pub fn descendants(pid: u32) -> Vec<(u32, char)> {
    let all = processes();
    let mut out = Vec::new();
    let mut frontier = vec![pid];
    while let Some(p) = frontier.pop() {
        for (child, parent, state) in &all {
            if *parent == p {
                out.push((*child, *state));
                frontier.push(*child);
            }
        }
    }
    out
}

/// Read `pid`'s usage now.
pub fn usage(pid: u32) -> Usage {
    let proc_dir = Path::new("/proc").join(pid.to_string());
    let status = std::fs::read_to_string(proc_dir.join("status")).unwrap_or_default();
    let kids = descendants(pid);
    Usage {
        fds: count(&proc_dir.join("fd")),
        threads: count(&proc_dir.join("task")),
        rss_kib: status_kib(&status, "VmRSS:"),
        peak_rss_kib: status_kib(&status, "VmHWM:"),
        descendants: kids.iter().filter(|(_, s)| *s != 'Z').count(),
        zombies: kids.iter().filter(|(_, s)| *s == 'Z').count(),
    }
}
