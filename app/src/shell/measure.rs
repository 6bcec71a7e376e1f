//! Measuring the running shell: frame times, paints, CPU by thread and process, memory.
//! Used by the automation hook's `measure` command for docs/performance.md.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Frame statistics the shell keeps while running.
#[derive(Default)]
pub struct FrameStats {
    /// egui frames drawn.
    pub frames: u64,
    /// CPU time of recent frames (egui's measure of each pass), newest last.
    pub recent_cpu: std::collections::VecDeque<f32>,
    /// When the first page frame reached the screen, since the process started.
    pub first_page_frame: Option<Duration>,
}

impl FrameStats {
    /// Record one frame's CPU time.
    pub fn record(&mut self, cpu_seconds: Option<f32>) {
        self.frames += 1;
        if let Some(cpu) = cpu_seconds {
            self.recent_cpu.push_back(cpu);
            if self.recent_cpu.len() > 10_000 {
                self.recent_cpu.pop_front();
            }
        }
    }
}

/// CPU ticks (1/100 s on Linux) of this process's threads and of its descendants.
#[derive(Clone, Default, Debug)]
pub struct CpuSample {
    /// Per thread name (llvmpipe threads folded into one entry).
    pub threads: HashMap<String, u64>,
    /// Per child process kind (CEF `--type=`, the AI worker).
    pub children: HashMap<String, u64>,
    /// When it was taken.
    pub at: Option<Instant>,
}

/// Take a CPU sample (Linux; empty elsewhere).
pub fn cpu_sample() -> CpuSample {
    let mut sample = CpuSample {
        at: Some(Instant::now()),
        ..CpuSample::default()
    };
    if !cfg!(target_os = "linux") {
        return sample;
    }
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            if let Some((name, _, ticks)) = read_stat(&task.path().join("stat")) {
                let name = if name.starts_with("llvmpipe") {
                    "llvmpipe (software GL)".to_string()
                } else {
                    name
                };
                *sample.threads.entry(name).or_default() += ticks;
            }
        }
    }
    let me = std::process::id();
    let mut all = Vec::new();
    if let Ok(procs) = std::fs::read_dir("/proc") {
        for p in procs.flatten() {
            let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Some((_, ppid, ticks)) = read_stat(&p.path().join("stat")) {
                all.push((pid, ppid, ticks));
            }
        }
    }
    let mut tree = vec![me];
    loop {
        let before = tree.len();
        for (pid, ppid, _) in &all {
            if tree.contains(ppid) && !tree.contains(pid) {
                tree.push(*pid);
            }
        }
        if tree.len() == before {
            break;
        }
    }
    for (pid, _, ticks) in &all {
        if *pid == me || !tree.contains(pid) {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        let kind = if cmd.contains("nexus-ai-worker") {
            "ai-worker".to_string()
        } else {
            cmd.split(' ')
                .find_map(|a| a.strip_prefix("--type="))
                .map(|t| format!("cef-{t}"))
                .unwrap_or_else(|| "other".into())
        };
        *sample.children.entry(kind).or_default() += ticks;
    }
    sample
}

/// (name, parent pid, user+system ticks) from a /proc stat file.
fn read_stat(path: &std::path::Path) -> Option<(String, u32, u64)> {
    let stat = std::fs::read_to_string(path).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat[open + 1..close].to_string();
    let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
    let ppid = fields.get(1)?.parse().ok()?;
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some((name, ppid, ticks))
}

/// CPU use between two samples, as percent of one core, by entry.
pub fn cpu_percent(a: &CpuSample, b: &CpuSample) -> serde_json::Value {
    let secs = match (a.at, b.at) {
        (Some(x), Some(y)) => y.duration_since(x).as_secs_f64().max(0.001),
        _ => return serde_json::Value::Null,
    };
    let pct = |t: u64| (t as f64 / 100.0 / secs * 1000.0).round() / 10.0;
    let diff = |x: &HashMap<String, u64>,
                y: &HashMap<String, u64>|
     -> serde_json::Map<String, serde_json::Value> {
        y.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    serde_json::json!(pct(v.saturating_sub(*x.get(k).unwrap_or(&0)))),
                )
            })
            .filter(|(_, v)| v.as_f64().unwrap_or(0.0) > 0.0)
            .collect()
    };
    let threads = diff(&a.threads, &b.threads);
    let shell_total: f64 = threads.values().filter_map(|v| v.as_f64()).sum();
    let gl: f64 = threads
        .get("llvmpipe (software GL)")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    serde_json::json!({
        "seconds": secs,
        "shell_process_percent": (shell_total * 10.0).round() / 10.0,
        "shell_without_software_gl_percent": ((shell_total - gl) * 10.0).round() / 10.0,
        "threads": threads,
        "children": diff(&a.children, &b.children),
    })
}

/// This process's resident memory now and at its peak, in MB (Linux).
pub fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| -> f64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}
