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

/// Time each thread of some processes spent on a core and waiting for one, from the kernel's
/// `/proc/PID/task/TID/schedstat`: where a busy machine's cores went, thread by thread.
#[allow(dead_code)] // the benchmarks'
pub struct SchedSince {
    before: Vec<((u32, u32), (u64, u64))>,
    processes: Vec<(String, u32)>,
}

/// Nanoseconds on a core and waiting for one, by thread id, for every thread of `pid`.
fn sched_ns(pid: u32) -> Vec<(u32, (u64, u64))> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return vec![] };
    tasks
        .flatten()
        .filter_map(|t| {
            let tid = t.file_name().to_string_lossy().parse::<u32>().ok()?;
            let s = std::fs::read_to_string(t.path().join("schedstat")).ok()?;
            let mut f = s.split_whitespace().map(|v| v.parse::<u64>().ok());
            Some((tid, (f.next()??, f.next()??)))
        })
        .collect()
}

#[allow(dead_code)] // the benchmarks'
impl SchedSince {
    pub fn start(processes: &[(String, u32)]) -> Self {
        let before = processes
            .iter()
            .flat_map(|(_, pid)| sched_ns(*pid).into_iter().map(move |(tid, ns)| ((*pid, tid), ns)))
            .collect();
        Self { before, processes: processes.to_vec() }
    }

    /// For each process, its threads grouped by name: milliseconds on a core and waiting for
    /// one since `start`, the busiest first. Threads that ended meanwhile are not counted.
    pub fn report(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, pid) in &self.processes {
            let mut by_name: Vec<(String, u64, u64)> = Vec::new();
            for (tid, (run, wait)) in sched_ns(*pid) {
                let (run0, wait0) = self
                    .before
                    .iter()
                    .find(|(k, _)| *k == (*pid, tid))
                    .map(|(_, ns)| *ns)
                    .unwrap_or((0, 0));
                let comm = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/comm"))
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                let comm = if tid == *pid { format!("{comm} (main)") } else { comm };
                let (run, wait) = (run.saturating_sub(run0), wait.saturating_sub(wait0));
                match by_name.iter_mut().find(|(n, _, _)| *n == comm) {
                    Some(e) => {
                        e.1 += run;
                        e.2 += wait;
                    }
                    None => by_name.push((comm, run, wait)),
                }
            }
            by_name.sort_by_key(|b| std::cmp::Reverse(b.1));
            let parts: Vec<String> = by_name
                .iter()
                .filter(|(_, run, wait)| run + wait >= 10_000_000)
                .map(|(n, run, wait)| format!("{n} {}/{}", run / 1_000_000, wait / 1_000_000))
                .collect();
            out.push(format!("{name}: {}", parts.join(", ")));
        }
        out
    }
}
