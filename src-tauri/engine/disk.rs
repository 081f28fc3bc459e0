//! `docker system df -v` and a clean-up that removes exactly what it listed. Sizes and what is
//! reclaimable follow the docker CLI (`cli/command/formatter/disk_usage.go`): images count their
//! layers once, and an image used by a container keeps its own layers; containers' writable
//! layers are reclaimable when they are not running; volumes when no container uses them; build
//! cache when it is neither in use nor shared.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::connect::Engine;
use super::error::{EngineError, ErrorCode, Removal};
use super::{containers, images, networks, volumes};

/// One kind's totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct KindUsage {
    pub count: u32,
    /// In use: images with containers, running containers, volumes mounted, cache in use.
    pub active: u32,
    pub size: i64,
    pub reclaimable: i64,
}

/// One item of the breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct DiskItem {
    /// A container's or volume's name, an image's first tag (or short id), a cache record's id.
    pub name: String,
    pub id: String,
    pub size: i64,
    pub in_use: bool,
}

/// `docker system df -v`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct DiskUsage {
    pub images: KindUsage,
    pub containers: KindUsage,
    pub volumes: KindUsage,
    pub build_cache: KindUsage,
    pub image_items: Vec<DiskItem>,
    pub container_items: Vec<DiskItem>,
    pub volume_items: Vec<DiskItem>,
    pub cache_items: Vec<DiskItem>,
}

fn arr<'a>(df: &'a serde_json::Value, old: &str, new: &str) -> Vec<&'a serde_json::Value> {
    df.get(old)
        .filter(|v| v.is_array())
        .or_else(|| df.get(new).and_then(|u| u.get("Items")))
        .and_then(|v| v.as_array())
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn int(v: &serde_json::Value, key: &str) -> i64 {
    v.get(key).and_then(|s| s.as_i64()).unwrap_or(0)
}

fn text(v: &serde_json::Value, key: &str) -> String {
    v.get(key).and_then(|s| s.as_str()).unwrap_or_default().to_string()
}

/// The usage in `/system/df`'s answer (the shape before API 1.52 and after).
pub fn from_df(df: &serde_json::Value) -> DiskUsage {
    let mut u = DiskUsage::default();

    let image_list = arr(df, "Images", "ImageUsage");
    let layers = df
        .get("LayersSize")
        .or_else(|| df.get("ImageUsage").and_then(|i| i.get("TotalSize")))
        .and_then(|s| s.as_i64())
        .unwrap_or(0);
    let mut used = 0;
    for i in &image_list {
        let (size, shared, users) = (int(i, "Size"), int(i, "SharedSize"), int(i, "Containers"));
        let in_use = users > 0;
        if in_use && size >= 0 && shared >= 0 {
            used += size - shared;
        }
        let id = text(i, "Id");
        let tag = i
            .get("RepoTags")
            .and_then(|t| t.as_array())
            .and_then(|t| t.iter().filter_map(|x| x.as_str()).find(|x| *x != "<none>:<none>"))
            .map(str::to_string);
        let name =
            tag.unwrap_or_else(|| id.trim_start_matches("sha256:").chars().take(12).collect());
        u.image_items.push(DiskItem { name, id, size, in_use });
    }
    u.images = KindUsage {
        count: image_list.len() as u32,
        active: u.image_items.iter().filter(|i| i.in_use).count() as u32,
        size: layers,
        reclaimable: (layers - used).max(0),
    };

    for c in arr(df, "Containers", "ContainerUsage") {
        let running = matches!(text(c, "State").as_str(), "running" | "paused" | "restarting");
        let name = c
            .get("Names")
            .and_then(|n| n.as_array())
            .and_then(|n| n.first())
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string();
        let size = int(c, "SizeRw");
        u.containers.count += 1;
        u.containers.size += size;
        if running {
            u.containers.active += 1;
        } else {
            u.containers.reclaimable += size;
        }
        u.container_items.push(DiskItem { name, id: text(c, "Id"), size, in_use: running });
    }

    for v in arr(df, "Volumes", "VolumeUsage") {
        let data = v.get("UsageData");
        let size = data.map(|d| int(d, "Size")).unwrap_or(-1);
        let refs = data.map(|d| int(d, "RefCount")).unwrap_or(0);
        let name = text(v, "Name");
        u.volumes.count += 1;
        if size > 0 {
            u.volumes.size += size;
        }
        if refs > 0 {
            u.volumes.active += 1;
        } else if size > 0 {
            u.volumes.reclaimable += size;
        }
        u.volume_items.push(DiskItem { id: name.clone(), name, size, in_use: refs > 0 });
    }

    for b in arr(df, "BuildCache", "BuildCacheUsage") {
        let in_use = b.get("InUse").and_then(|x| x.as_bool()).unwrap_or(false);
        let shared = b.get("Shared").and_then(|x| x.as_bool()).unwrap_or(false);
        let size = int(b, "Size");
        u.build_cache.count += 1;
        if !shared {
            u.build_cache.size += size;
        }
        if in_use {
            u.build_cache.active += 1;
        } else if !shared {
            u.build_cache.reclaimable += size;
        }
        let id = text(b, "ID");
        let description = text(b, "Description");
        let name = if description.is_empty() { id.clone() } else { description };
        u.cache_items.push(DiskItem { name, id, size, in_use });
    }
    for items in
        [&mut u.image_items, &mut u.container_items, &mut u.volume_items, &mut u.cache_items]
    {
        items.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
    }
    u
}

/// Whether an image of `/system/df` is named by its tag alone ("latest" where Docker says
/// "web:latest"), as by Podman's Docker-compatible API.
fn tag_alone(image: &serde_json::Value) -> bool {
    let tags = image.get("RepoTags").and_then(|t| t.as_array());
    tags.is_some_and(|t| t.iter().filter_map(|x| x.as_str()).any(|x| !x.contains(':')))
}

/// Whether [`in_docker_shape`] needs the engine's `/images/json` for this `/system/df`.
pub fn tags_lack_repository(df: &serde_json::Value) -> bool {
    arr(df, "Images", "ImageUsage").into_iter().any(tag_alone)
}

/// Podman's `/system/df` read as Docker's: image ids with their `sha256:`, each image's tags
/// from `listed` (the engine's `/images/json`) where the answer gave its tag alone, and, where
/// `LayersSize` is missing or 0 with images present (Podman 4), the images' own layers plus the
/// largest shared part: exact when the images share one base.
pub fn in_docker_shape(df: &mut serde_json::Value, listed: &[serde_json::Value]) {
    let Some(images) = df.get_mut("Images").and_then(|v| v.as_array_mut()) else { return };
    let (mut own, mut shared) = (0, 0);
    for image in images.iter_mut() {
        let (size, image_shared) = (int(image, "Size").max(0), int(image, "SharedSize").max(0));
        own += (size - image_shared).max(0);
        shared = shared.max(image_shared);
        let tag_alone = tag_alone(image);
        let Some(image) = image.as_object_mut() else { continue };
        if let Some(bare) = image.get("Id").and_then(|i| i.as_str()).filter(|i| !i.contains(':')) {
            let id = format!("sha256:{bare}");
            image.insert("Id".into(), id.into());
        }
        if tag_alone {
            let tags = listed
                .iter()
                .find(|l| l.get("Id").is_some_and(|id| Some(id) == image.get("Id")))
                .and_then(|l| l.get("RepoTags"))
                .cloned()
                .unwrap_or_default();
            image.insert("RepoTags".into(), tags);
        }
    }
    if int(df, "LayersSize") == 0 && own + shared > 0 {
        df["LayersSize"] = (own + shared).into();
    }
}

/// The pauses before asking a busy engine for its disk usage again: about 3 s in all.
const BUSY_PAUSES_MS: [u64; 6] = [50, 100, 200, 400, 800, 1600];

/// `ask`'s answer, asking again after a pause while the engine fails it: an engine measuring
/// disk usage for another client refuses with a plain 500 (code `Engine`) until it is done.
pub async fn until_free<F, Fut>(mut ask: F) -> Result<serde_json::Value, EngineError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<serde_json::Value, EngineError>>,
{
    for pause in BUSY_PAUSES_MS {
        match ask().await {
            Err(e) if e.code == ErrorCode::Engine => {
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await
            }
            answer => return answer,
        }
    }
    ask().await
}

/// `docker system df -v` of `engine`.
pub async fn usage(engine: &Engine) -> Result<DiskUsage, EngineError> {
    Ok(from_df(&engine.system_df("").await?))
}

/// What a clean-up may remove, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum CleanupKind {
    StoppedContainers,
    DanglingImages,
    UnusedImages,
    UnusedNetworks,
    AnonymousVolumes,
    BuildCache,
}

/// Exactly what a clean-up of some kinds removes, and about what it frees.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CleanupPlan {
    pub containers: Vec<DiskItem>,
    pub images: Vec<DiskItem>,
    pub networks: Vec<String>,
    pub volumes: Vec<DiskItem>,
    /// The build cache not in use and not shared (removed as one).
    pub build_cache: i64,
    /// The space these take now (images: what each alone frees).
    pub frees: i64,
}

/// The plan for `kinds` on `engine` now. Named volumes are never in it.
pub async fn plan(engine: &Engine, kinds: &[CleanupKind]) -> Result<CleanupPlan, EngineError> {
    let has = |k| kinds.contains(&k);
    let docker = engine.docker()?;
    let df = engine.system_df("").await?;
    let usage = from_df(&df);
    let mut plan = CleanupPlan::default();
    if has(CleanupKind::StoppedContainers) {
        let all = engine.containers().await?;
        let stopped: HashSet<&str> =
            all.iter().filter(|c| !c.state.is_up()).map(|c| c.id.as_str()).collect();
        plan.containers = usage
            .container_items
            .iter()
            .filter(|c| stopped.contains(c.id.as_str()))
            .cloned()
            .collect();
    }
    if has(CleanupKind::DanglingImages) || has(CleanupKind::UnusedImages) {
        let rows = engine.images().await?;
        let (own, _) = images::usage_from_df(&df);
        let mut candidates = images::prune_candidates(&rows, has(CleanupKind::UnusedImages));
        // Containers this clean-up removes no longer hold their images.
        if !plan.containers.is_empty() {
            let going: HashSet<&str> = plan.containers.iter().map(|c| c.name.as_str()).collect();
            let freed: Vec<_> = rows
                .iter()
                .filter(|i| {
                    !i.used_by.is_empty() && i.used_by.iter().all(|u| going.contains(u.as_str()))
                })
                .filter(|i| has(CleanupKind::UnusedImages) || i.dangling)
                .cloned()
                .collect();
            candidates.extend(freed);
            candidates = images::prune_candidates(
                &candidates
                    .into_iter()
                    .map(|mut i| {
                        i.used_by.clear();
                        i
                    })
                    .collect::<Vec<_>>(),
                true,
            );
        }
        plan.images = candidates
            .iter()
            .map(|i| DiskItem {
                name: i.repo_tags.first().cloned().unwrap_or_else(|| {
                    i.id.trim_start_matches("sha256:").chars().take(12).collect()
                }),
                id: i.id.clone(),
                size: own.iter().find(|u| u.id == i.id).map_or(i.size, |u| u.unique),
                in_use: false,
            })
            .collect();
    }
    if has(CleanupKind::UnusedNetworks) {
        plan.networks =
            networks::prune_candidates(&docker).await?.into_iter().map(|n| n.name).collect();
    }
    if has(CleanupKind::AnonymousVolumes) {
        let anonymous: HashSet<String> =
            volumes::prune_candidates(&docker, false).await?.into_iter().map(|v| v.name).collect();
        plan.volumes =
            usage.volume_items.iter().filter(|v| anonymous.contains(&v.name)).cloned().collect();
    }
    if has(CleanupKind::BuildCache) {
        plan.build_cache = usage.build_cache.reclaimable;
    }
    plan.frees = plan.containers.iter().map(|c| c.size.max(0)).sum::<i64>()
        + plan.images.iter().map(|i| i.size.max(0)).sum::<i64>()
        + plan.volumes.iter().map(|v| v.size.max(0)).sum::<i64>()
        + plan.build_cache;
    Ok(plan)
}

/// What a clean-up did: each item's fate and the space freed (measured: the engine's
/// `/system/df` totals before less after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CleanupReport {
    pub removals: Vec<Removal>,
    pub freed: i64,
}

fn total(u: &DiskUsage) -> i64 {
    u.images.size + u.containers.size + u.volumes.size + u.build_cache.size
}

/// Remove what `plan` lists, nothing else: containers (not their volumes), then images, networks
/// and volumes, each only if still unused, then the build cache that is not in use.
pub async fn clean_up(engine: &Engine, plan: &CleanupPlan) -> Result<CleanupReport, EngineError> {
    let docker = engine.docker()?;
    let before = total(&usage(engine).await?);
    let mut removals = Vec::new();
    for c in &plan.containers {
        let error = containers::remove(&docker, &c.id, false, false).await.err();
        removals.push(Removal { name: c.name.clone(), error });
    }
    if !plan.images.is_empty() {
        let rows = engine.images().await?;
        let ids: Vec<String> = plan.images.iter().map(|i| i.id.clone()).collect();
        removals.extend(images::prune(&docker, &rows, &ids).await);
    }
    removals.extend(networks::prune(&docker, &plan.networks).await);
    let names: Vec<String> = plan.volumes.iter().map(|v| v.name.clone()).collect();
    removals.extend(volumes::prune(&docker, &names).await);
    if plan.build_cache > 0 {
        let error = docker
            .prune_build(None::<bollard::query_parameters::PruneBuildOptions>)
            .await
            .err()
            .map(EngineError::from);
        removals.push(Removal { name: "build cache".into(), error });
    }
    let after = total(&usage(engine).await?);
    Ok(CleanupReport { removals, freed: (before - after).max(0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `until_free` answers when the engine gives `answers` in turn, and how often it asked.
    async fn asked(answers: Vec<Result<serde_json::Value, EngineError>>) -> (usize, ErrorOr) {
        let answers = std::sync::Mutex::new(answers.into_iter());
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let got = until_free(|| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let next = answers.lock().unwrap().next().unwrap();
            async move { next }
        })
        .await;
        (calls.into_inner(), got.map_err(|e| e.code))
    }
    type ErrorOr = Result<serde_json::Value, ErrorCode>;

    #[tokio::test]
    async fn a_busy_engine_is_asked_again_and_other_failures_are_not() {
        let busy = || Err(EngineError::new(ErrorCode::Engine, "busy"));
        let df = serde_json::json!({"LayersSize": 1});
        assert_eq!(asked(vec![busy(), busy(), Ok(df.clone())]).await, (3, Ok(df)));
        let gone = Err(EngineError::new(ErrorCode::Unreachable, "gone"));
        assert_eq!(asked(vec![gone, busy()]).await, (1, Err(ErrorCode::Unreachable)));
    }

    // Shaped as dockerd 20.10 answers /system/df (API 1.41).
    const DF: &str = r#"{
      "LayersSize": 1000,
      "Images": [
        {"Id": "sha256:aaaaaaaaaaaaaaaa", "RepoTags": ["web:1"], "Size": 600, "SharedSize": 200, "Containers": 1},
        {"Id": "sha256:bbbbbbbbbbbbbbbb", "RepoTags": ["<none>:<none>"], "Size": 300, "SharedSize": 200, "Containers": 0},
        {"Id": "sha256:cccccccccccccccc", "RepoTags": null, "Size": 100, "SharedSize": 0, "Containers": 0}
      ],
      "Containers": [
        {"Id": "c1", "Names": ["/web"], "SizeRw": 50, "State": "running"},
        {"Id": "c2", "Names": ["/old"], "SizeRw": 20, "State": "exited"},
        {"Id": "c3", "Names": ["/new"], "SizeRw": 0, "State": "created"}
      ],
      "Volumes": [
        {"Name": "data", "UsageData": {"Size": 4000, "RefCount": 1}},
        {"Name": "cache", "UsageData": {"Size": 700, "RefCount": 0}},
        {"Name": "odd", "UsageData": {"Size": -1, "RefCount": 0}}
      ],
      "BuildCache": [
        {"ID": "b1", "Description": "mount / from exec /bin/sh", "Size": 30, "InUse": false, "Shared": false},
        {"ID": "b2", "Size": 40, "InUse": true, "Shared": false},
        {"ID": "b3", "Size": 90, "InUse": false, "Shared": true}
      ]
    }"#;

    #[test]
    fn totals_and_reclaimable_follow_the_docker_cli() {
        let u = from_df(&serde_json::from_str(DF).unwrap());
        // Layers once; the used image keeps its own 400.
        assert_eq!(u.images, KindUsage { count: 3, active: 1, size: 1000, reclaimable: 600 });
        assert_eq!(u.containers, KindUsage { count: 3, active: 1, size: 70, reclaimable: 20 });
        assert_eq!(u.volumes, KindUsage { count: 3, active: 1, size: 4700, reclaimable: 700 });
        assert_eq!(u.build_cache, KindUsage { count: 3, active: 1, size: 70, reclaimable: 30 });
        let names: Vec<_> = u.image_items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["web:1", "bbbbbbbbbbbb", "cccccccccccc"]);
        assert_eq!(u.container_items[0].name, "web");
        assert_eq!(u.cache_items[0].name, "b3");
        assert!(u.volume_items.iter().any(|v| v.name == "cache" && !v.in_use));
    }

    #[test]
    fn podmans_answer_reads_as_dockers() {
        // Shaped as Podman 4.3 answers /system/df and /images/json.
        let mut df = serde_json::json!({
            "LayersSize": 0,
            "Images": [
                {"Id": "e1", "RepoTags": ["latest"], "Size": 700, "SharedSize": 200, "Containers": 1},
                {"Id": "e2", "RepoTags": ["<none>"], "Size": 500, "SharedSize": 200, "Containers": 0}
            ],
            "Containers": [], "Volumes": [], "BuildCache": []
        });
        let listed = [
            serde_json::json!({"Id": "sha256:e2", "RepoTags": null}),
            serde_json::json!({"Id": "sha256:e1", "RepoTags": ["localhost/web:latest"]}),
        ];
        assert!(tags_lack_repository(&df));
        in_docker_shape(&mut df, &listed);
        assert!(!tags_lack_repository(&df));
        let u = from_df(&df);
        let items: Vec<_> =
            u.image_items.iter().map(|i| (i.name.as_str(), i.id.as_str())).collect();
        assert_eq!(items, [("localhost/web:latest", "sha256:e1"), ("e2", "sha256:e2")]);
        // Own layers 500 + 300, the shared base once; the used image keeps its own 500.
        assert_eq!(u.images, KindUsage { count: 2, active: 1, size: 1000, reclaimable: 500 });
        // Docker's answer is left as it is.
        let docker: serde_json::Value = serde_json::from_str(DF).unwrap();
        assert!(!tags_lack_repository(&docker));
        let mut same = docker.clone();
        in_docker_shape(&mut same, &[]);
        assert_eq!(same, docker);
    }

    #[test]
    fn the_new_shape_reads_the_same() {
        let new = serde_json::json!({
            "ImageUsage": {"TotalSize": 10, "Items": [{"Id": "sha256:x", "Size": 10, "SharedSize": 0, "Containers": 0}]},
            "ContainerUsage": {"Items": [{"Id": "c", "Names": ["/c"], "SizeRw": 5, "State": "exited"}]},
            "VolumeUsage": {"Items": [{"Name": "v", "UsageData": {"Size": 3, "RefCount": 0}}]},
            "BuildCacheUsage": {"Items": []}
        });
        let u = from_df(&new);
        assert_eq!((u.images.size, u.images.reclaimable), (10, 10));
        assert_eq!(u.containers.reclaimable, 5);
        assert_eq!(u.volumes.reclaimable, 3);
    }
}
