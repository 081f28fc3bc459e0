//! Process trees and their memory, read from /proc.

/// Every process below `root`.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // The command name may hold spaces and parentheses: fields resume after the last ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) {
            parent_of.push((pid, ppid));
        }
    }
    let mut out = vec![];
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(child, parent) in &parent_of {
            if parent == p {
                out.push(child);
                frontier.push(child);
            }
        }
    }
    out
}

/// Proportional set size of one process in kB (`Pss:` of /proc/PID/smaps_rollup).
pub fn pss_kb(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines().find(|l| l.starts_with("Pss:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// The short command name of a process.
pub fn name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_string()
}

/// CPU time used so far by `pids` (each process with all its threads, ended ones included), in
/// clock ticks (`utime` + `stime` of /proc/PID/stat).
#[allow(dead_code)] // the benchmarks'
pub fn cpu_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // Fields resume after the command name's last ')': state is field 3, utime 14.
            let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
        })
        .sum()
}

/// Clock ticks per second (`getconf CLK_TCK`).
#[allow(dead_code)] // the benchmarks'
pub fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
        .unwrap_or(100.0)
}

/// Named processes' CPU use from the moment `start` was called.
#[allow(dead_code)] // the benchmarks'
pub struct CpuSince {
    before: Vec<(String, u32, u64)>,
}

#[allow(dead_code)] // the benchmarks'
impl CpuSince {
    pub fn start(processes: &[(String, u32)]) -> Self {
        Self { before: processes.iter().map(|(n, p)| (n.clone(), *p, cpu_ticks(&[*p]))).collect() }
    }

    /// Seconds of CPU each process used since `start`. A process that ended meanwhile (a
    /// short-lived child of the app, whose pid is gone or taken again) is left out.
    pub fn seconds(&self) -> Vec<(String, f64)> {
        let per_tick = 1.0 / ticks_per_second();
        self.before
            .iter()
            .filter_map(|(name, pid, before)| {
                let used = cpu_ticks(&[*pid]).checked_sub(*before)?;
                Some((name.clone(), used as f64 * per_tick))
            })
            .collect()
    }
}
