//! Live resource use of one container, computed as `docker stats` does (docker/cli
//! `cli/command/container/stats_helpers.go`): CPU % from the deltas of the container's and the
//! system's CPU time times the online CPUs; memory as usage less the inactive file cache (cgroup
//! v1 `total_inactive_file`, v2 `inactive_file`); network and block I/O summed; PIDs.
//!
//! Podman's Docker-compatible stats give as the system's CPU time only what the machine's
//! processes used, not all its CPUs' time, so the CLI's formula would make one busy thread on an
//! idle two-CPU machine 200 %; there CPU % is measured against the time between the two readings,
//! as `podman stats` does. Podman also sends a reading every 5 s, not every second.

use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use serde::Serialize;
use specta::Type;

use super::connect::Product;
use super::error::EngineError;

/// One sample, as a row or a chart shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct StatsSample {
    pub id: String,
    /// Milliseconds since the epoch, when the engine read it.
    pub at_ms: i64,
    /// Of one CPU: 200 means two CPUs' worth.
    pub cpu_percent: f64,
    pub mem_usage: u64,
    /// The container's memory limit (the machine's memory when it has none).
    pub mem_limit: u64,
    pub mem_percent: f64,
    pub net_rx: u64,
    pub net_tx: u64,
    pub block_read: u64,
    pub block_write: u64,
    pub pids: u32,
}

/// What a stats stream carries.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum StatsEvent {
    /// A new reading, about one a second (every 5 s from Podman).
    Sample(StatsSample),
    /// No more readings come: the container went (no error), or the engine refused or went
    /// away (why).
    Ended(Option<EngineError>),
}

/// The sample `s` from `product` stands for, or `None` for one without a previous reading to
/// compare with (Docker's first of a stream) or from a container that is not running.
pub fn sample(id: &str, s: &ContainerStatsResponse, product: Product) -> Option<StatsSample> {
    let cpu = s.cpu_stats.as_ref()?;
    let pre = s.precpu_stats.as_ref()?;
    let total = |c: &bollard::models::ContainerCpuStats| c.cpu_usage.as_ref()?.total_usage;
    let (now, before) = (total(cpu)?, total(pre)?);
    let (system_now, system_before) = (cpu.system_cpu_usage?, pre.system_cpu_usage?);
    if system_before == 0 {
        return None;
    }
    let online = match cpu.online_cpus {
        Some(n) if n > 0 => n as f64,
        _ => cpu.cpu_usage.as_ref()?.percpu_usage.as_ref().map_or(1, Vec::len) as f64,
    };
    let cpu_delta = now as f64 - before as f64;
    let system_delta = match product {
        Product::Docker => system_now as f64 - system_before as f64,
        // The readings' span in nanoseconds, over which one CPU's worth is 100 %.
        Product::Podman => {
            let span = |t: &Option<String>| t.as_deref().map_or(0, epoch_ms);
            (span(&s.read) - span(&s.preread)) as f64 * 1e6 * online
        }
    };
    let cpu_percent = if cpu_delta > 0.0 && system_delta > 0.0 {
        cpu_delta / system_delta * online * 100.0
    } else {
        0.0
    };

    let mem = s.memory_stats.as_ref();
    let usage = mem.and_then(|m| m.usage).unwrap_or(0);
    let stat = |k: &str| mem.and_then(|m| m.stats.as_ref()?.get(k).copied());
    let cache = stat("total_inactive_file").or_else(|| stat("inactive_file")).unwrap_or(0);
    let mem_usage = if cache < usage { usage - cache } else { usage };
    let mem_limit = mem.and_then(|m| m.limit).unwrap_or(0);
    let mem_percent = if mem_limit > 0 { mem_usage as f64 / mem_limit as f64 * 100.0 } else { 0.0 };

    let (mut net_rx, mut net_tx) = (0, 0);
    for n in s.networks.iter().flat_map(|m| m.values()) {
        net_rx += n.rx_bytes.unwrap_or(0);
        net_tx += n.tx_bytes.unwrap_or(0);
    }
    let (mut block_read, mut block_write) = (0, 0);
    let entries = s.blkio_stats.as_ref().and_then(|b| b.io_service_bytes_recursive.as_ref());
    for e in entries.into_iter().flatten() {
        let value = e.value.unwrap_or(0);
        match e.op.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("read") => block_read += value,
            Some("write") => block_write += value,
            _ => {}
        }
    }
    let at_ms = s.read.as_deref().map_or(0, epoch_ms);
    Some(StatsSample {
        id: id.to_string(),
        at_ms,
        cpu_percent,
        mem_usage,
        mem_limit,
        mem_percent,
        net_rx,
        net_tx,
        block_read,
        block_write,
        pids: s.pids_stats.as_ref().and_then(|p| p.current).unwrap_or(0) as u32,
    })
}

/// Milliseconds since the epoch of an RFC 3339 time (the engine's `read`).
fn epoch_ms(t: &str) -> i64 {
    let secs = super::clock::parse_rfc3339(t);
    let frac: String = t
        .split_once('.')
        .map(|(_, f)| f.chars().take_while(char::is_ascii_digit).take(3).collect())
        .unwrap_or_default();
    let ms = format!("{frac:0<3}").parse::<i64>().unwrap_or(0);
    secs * 1000 + ms
}

/// Follow `id`'s stats, handing each sample to `on_sample` (about one a second, the engine's
/// pace) until the container stops, the engine goes, or the future is dropped.
pub async fn follow(
    docker: &Docker,
    product: Product,
    id: &str,
    mut on_sample: impl FnMut(StatsSample) -> bool,
) -> Result<(), EngineError> {
    let options = StatsOptionsBuilder::new().stream(true).one_shot(false).build();
    let mut stream = docker.stats(id, Some(options));
    // The first reading compares with none (Docker) or with one taken just before (Podman).
    let mut first = true;
    while let Some(next) = stream.next().await {
        let s = next?;
        if std::mem::take(&mut first) {
            continue;
        }
        if let Some(sample) = sample(id, &s, product) {
            if !on_sample(sample) {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> ContainerStatsResponse {
        serde_json::from_str(json).unwrap()
    }

    // Shaped as dockerd 20.10 sends them (API 1.41), cgroup v2.
    const V2: &str = r#"{
      "read": "2026-12-02T10:00:01.5Z", "preread": "2026-12-02T10:00:00.5Z",
      "pids_stats": {"current": 3},
      "blkio_stats": {"io_service_bytes_recursive": [
        {"major": 8, "minor": 0, "op": "read", "value": 4096},
        {"major": 8, "minor": 0, "op": "write", "value": 8192}]},
      "cpu_stats": {"cpu_usage": {"total_usage": 3000000000, "usage_in_kernelmode": 0, "usage_in_usermode": 0},
                    "system_cpu_usage": 120000000000, "online_cpus": 2},
      "precpu_stats": {"cpu_usage": {"total_usage": 2000000000},
                       "system_cpu_usage": 118000000000, "online_cpus": 2},
      "memory_stats": {"usage": 10485760, "limit": 104857600,
                       "stats": {"inactive_file": 2097152, "active_file": 1}},
      "networks": {"eth0": {"rx_bytes": 100, "tx_bytes": 50}, "eth1": {"rx_bytes": 1, "tx_bytes": 2}}
    }"#;

    #[test]
    fn figures_follow_the_docker_cli() {
        let s = sample("abc", &parse(V2), Product::Docker).unwrap();
        // 1 s of CPU in 2 s of both CPUs' time, times 2 CPUs: 100 % of one.
        assert!((s.cpu_percent - 100.0).abs() < 1e-9, "{}", s.cpu_percent);
        assert_eq!(s.mem_usage, 8_388_608);
        assert_eq!(s.mem_limit, 104_857_600);
        assert!((s.mem_percent - 8.0).abs() < 1e-9);
        assert_eq!((s.net_rx, s.net_tx), (101, 52));
        assert_eq!((s.block_read, s.block_write), (4096, 8192));
        assert_eq!(s.pids, 3);
        assert_eq!(s.at_ms, 1_796_205_601_500);
    }

    #[test]
    fn cgroup_v1_cache_and_per_cpu_counts() {
        let v1 = V2
            .replace("\"inactive_file\"", "\"total_inactive_file\"")
            .replace(", \"online_cpus\": 2}", ", \"percpu_usage\": [1, 2, 3, 4]}")
            .replace(
                "\"total_usage\": 3000000000,",
                "\"total_usage\": 3000000000, \"percpu_usage\": [1, 2, 3, 4],",
            )
            .replace("\"op\": \"read\"", "\"op\": \"Read\"");
        let s = sample("abc", &parse(&v1), Product::Docker).unwrap();
        assert!((s.cpu_percent - 200.0).abs() < 1e-9, "{}", s.cpu_percent);
        assert_eq!(s.mem_usage, 8_388_608);
        assert_eq!(s.block_read, 4096);
    }

    #[test]
    fn podmans_cpu_is_measured_against_the_readings_span() {
        // As Podman 4.3 sent it for one busy thread on an otherwise idle two-CPU machine.
        let podman = parse(
            r#"{
          "read": "2026-12-06T20:09:40.230579175Z", "preread": "2026-12-06T20:09:35.227349235Z",
          "cpu_stats": {"cpu_usage": {"total_usage": 13216340987}, "system_cpu_usage": 3260890187432, "online_cpus": 2},
          "precpu_stats": {"cpu_usage": {"total_usage": 8216878088}, "system_cpu_usage": 3255829833853},
          "memory_stats": {"usage": 2514944, "limit": 25276182528}
        }"#,
        );
        let s = sample("abc", &podman, Product::Podman).unwrap();
        assert!((s.cpu_percent - 99.93).abs() < 0.01, "{}", s.cpu_percent);
        // The CLI's formula says two CPUs' worth.
        let docker = sample("abc", &podman, Product::Docker).unwrap();
        assert!(docker.cpu_percent > 195.0, "{}", docker.cpu_percent);
        assert_eq!(s.mem_usage, 2_514_944);
    }

    #[test]
    fn the_first_sample_and_a_stopped_container_give_none() {
        // A stream's first sample has no previous system reading.
        let first = V2.replace("\"system_cpu_usage\": 118000000000", "\"system_cpu_usage\": 0");
        assert_eq!(sample("abc", &parse(&first), Product::Docker), None);
        assert_eq!(
            sample("abc", &parse(r#"{"read": "0001-01-01T00:00:00Z"}"#), Product::Docker),
            None
        );
    }
}
