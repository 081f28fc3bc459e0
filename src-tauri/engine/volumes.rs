//! Volumes: the list with who mounts each, their sizes where the engine reports them, and what
//! `docker volume create|rm|prune` do. Prune is Berth's own: it removes the set the user saw,
//! one by one, because on API 1.41 the engine's prune takes every unused volume, named ones too.

use std::collections::HashMap;

use bollard::models::{ContainerSummary, Volume as EngineVolume, VolumeCreateRequest};
use bollard::query_parameters::{ListVolumesOptions, RemoveVolumeOptions};
use bollard::Docker;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::clock::{parse_rfc3339, Fields, LocalTime};
use super::networks::{first_problem, Removal};
use super::spec::{self, is_object_name, parse_key_value, parse_label_row, Field, FieldProblem};
use super::{containers, sorted_pairs, timed, EngineError, ErrorCode};

/// The label engines from 23.0 put on volumes made without a name.
const ANONYMOUS: &str = "com.docker.volume.anonymous";

/// One row of the volumes list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Volume {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    pub created_local: LocalTime,
    /// The containers (running or not) that mount it, by name: the engine refuses to remove it
    /// while there are any.
    pub used_by: Vec<String>,
    /// Made without a name (`-v /data`, an image's `VOLUME`): what a plain prune removes.
    pub anonymous: bool,
    pub project: Option<String>,
    /// The driver's options (`-o`), sorted.
    pub options: Vec<(String, String)>,
    pub labels: Vec<(String, String)>,
}

fn is_anonymous(v: &EngineVolume) -> bool {
    v.labels.contains_key(ANONYMOUS)
        || v.name.len() == 64 && v.name.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn summarize(volumes: Vec<EngineVolume>, all: &[ContainerSummary]) -> Vec<Volume> {
    let mut users: HashMap<&str, Vec<String>> = HashMap::new();
    for c in all {
        let name = || containers::Container::from_summary(c.clone(), None).name;
        for m in c.mounts.iter().flatten().filter(|m| m.typ.as_deref() == Some("volume")) {
            if let Some(v) = m.name.as_deref() {
                users.entry(v).or_default().push(name());
            }
        }
    }
    let today = Fields::now();
    let mut rows: Vec<Volume> = volumes
        .into_iter()
        .map(|mut v| Volume {
            used_by: users.remove(v.name.as_str()).unwrap_or_default(),
            anonymous: is_anonymous(&v),
            created_local: LocalTime::of(
                v.created_at.as_deref().map_or(0, parse_rfc3339),
                today.as_ref(),
            ),
            project: v.labels.get(super::compose::PROJECT).cloned(),
            options: sorted_pairs(std::mem::take(&mut v.options)),
            labels: sorted_pairs(std::mem::take(&mut v.labels)),
            name: v.name,
            driver: v.driver,
            mountpoint: v.mountpoint,
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

pub async fn list(docker: &Docker) -> Result<Vec<Volume>, EngineError> {
    let (resp, all) = tokio::try_join!(
        async {
            Ok::<_, EngineError>(
                timed("volumes.list", docker.list_volumes(None::<ListVolumesOptions>)).await?,
            )
        },
        containers::fetch_all(docker),
    )?;
    Ok(summarize(resp.volumes.unwrap_or_default(), &all))
}

/// A volume's size on disk as the engine counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct VolumeSize {
    pub name: String,
    pub bytes: i64,
}

/// Sizes from `/system/df`'s answer, in either shape: `Volumes` (API before 1.52) or
/// `VolumeUsage.Items` (1.52 on). The engine reports -1 where it cannot tell; those are left out.
pub fn sizes_from_df(df: &serde_json::Value) -> Vec<VolumeSize> {
    let list = df
        .get("Volumes")
        .filter(|v| v.is_array())
        .or_else(|| df.get("VolumeUsage").and_then(|u| u.get("Items")))
        .and_then(|v| v.as_array());
    list.into_iter()
        .flatten()
        .filter_map(|v| {
            let name = v.get("Name")?.as_str()?.to_string();
            let bytes = v.get("UsageData")?.get("Size")?.as_i64().filter(|s| *s >= 0)?;
            Some(VolumeSize { name, bytes })
        })
        .collect()
}

/// The volumes dialog's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct VolumeSpec {
    /// Empty: the engine makes up a name.
    pub name: String,
    /// Empty means `local`.
    pub driver: String,
    /// `-o K=V` rows, e.g. `type=tmpfs`, `device=tmpfs`, `o=size=100m`.
    pub options: Vec<String>,
    pub labels: Vec<String>,
}

/// Every problem of the create dialog, beside its field; the existing names refuse a clash.
pub fn check_create(
    spec: &VolumeSpec,
    existing: &[String],
) -> Result<VolumeCreateRequest, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: Field, row: Option<usize>, message: spec::Invalid| {
        problems.push(FieldProblem { field, row: row.map(|r| r as u32), message: message.0 })
    };
    let name = spec.name.trim();
    if !name.is_empty() && !is_object_name(name) {
        problem(
            Field::Name,
            None,
            "a name has two or more letters, digits, _ . - and starts with a letter or digit"
                .into(),
        );
    } else if existing.iter().any(|n| n == name) {
        problem(Field::Name, None, format!("a volume named {name} exists already").into());
    }
    let driver = Some(spec.driver.trim()).filter(|d| !d.is_empty()).unwrap_or("local");
    if driver.chars().any(|c| c.is_whitespace() || c == '\0') {
        problem(Field::Driver, None, "a driver name holds no spaces".into());
    }
    let options = spec::rows(Field::Options, &spec.options, &mut problem, |o| {
        parse_key_value(o.trim_start(), "an option").map(|kv| vec![kv])
    });
    let labels = spec::rows(Field::Labels, &spec.labels, &mut problem, |l| {
        parse_label_row(l).map(|kv| vec![kv])
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(VolumeCreateRequest {
        name: Some(name.to_string()).filter(|n| !n.is_empty()),
        driver: Some(driver.to_string()),
        driver_opts: Some(options.into_iter().collect()),
        labels: Some(labels.into_iter().collect()),
        ..Default::default()
    })
}

async fn names(docker: &Docker) -> Result<Vec<String>, EngineError> {
    let resp = timed("volumes.list", docker.list_volumes(None::<ListVolumesOptions>)).await?;
    Ok(resp.volumes.unwrap_or_default().into_iter().map(|v| v.name).collect())
}

/// The create dialog's problems (none when it can be created).
pub async fn problems(
    docker: &Docker,
    spec: &VolumeSpec,
) -> Result<Vec<FieldProblem>, EngineError> {
    Ok(check_create(spec, &names(docker).await?).err().unwrap_or_default())
}

/// `docker volume create`; the new volume's name.
pub async fn create(docker: &Docker, spec: &VolumeSpec) -> Result<String, EngineError> {
    let req = check_create(spec, &names(docker).await?).map_err(first_problem)?;
    Ok(timed("volumes.create", docker.create_volume(req)).await?.name)
}

/// Why Berth will not ask the engine to remove `vol`: containers use it (named).
fn refusal(vol: &Volume) -> Option<EngineError> {
    (!vol.used_by.is_empty()).then(|| {
        EngineError::new(
            ErrorCode::InUse,
            format!("{} is used by {}: remove them first", vol.name, vol.used_by.join(", ")),
        )
    })
}

/// Remove `name` from `rows` (the list as just fetched), unless it is gone or in use.
async fn remove_listed(docker: &Docker, rows: &[Volume], name: &str) -> Result<(), EngineError> {
    let vol = rows.iter().find(|v| v.name == name);
    let vol =
        vol.ok_or_else(|| EngineError::new(ErrorCode::NotFound, format!("no volume {name}")))?;
    if let Some(e) = refusal(vol) {
        return Err(e);
    }
    Ok(timed("volumes.remove", docker.remove_volume(name, None::<RemoveVolumeOptions>)).await?)
}

/// `docker volume rm NAME`, refused before the engine is asked while containers mount it
/// (naming them). Never forced.
pub async fn remove(docker: &Docker, name: &str) -> Result<(), EngineError> {
    remove_listed(docker, &list(docker).await?, name).await
}

/// What a prune would remove: the unused anonymous volumes, or with `named` every unused one.
pub async fn prune_candidates(docker: &Docker, named: bool) -> Result<Vec<Volume>, EngineError> {
    let rows = list(docker).await?;
    Ok(rows.into_iter().filter(|v| v.used_by.is_empty() && (named || v.anonymous)).collect())
}

/// Remove the volumes the user confirmed, each only while still unused when the prune runs (one
/// look at the engine for all of them); what happened to each.
pub async fn prune(docker: &Docker, names: &[String]) -> Vec<Removal> {
    let rows = list(docker).await;
    let mut out = Vec::new();
    for name in names {
        let error = match &rows {
            Err(e) => Some(e.clone()),
            Ok(rows) => remove_listed(docker, rows, name).await.err(),
        };
        out.push(Removal { name: name.clone(), error });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::MountPoint;

    #[test]
    fn who_mounts_what() {
        let vols = vec![
            EngineVolume {
                name: "data".into(),
                driver: "local".into(),
                created_at: Some("2026-12-02T03:47:21Z".into()),
                ..Default::default()
            },
            EngineVolume { name: "a".repeat(64), ..Default::default() },
            EngineVolume {
                name: "made".into(),
                labels: HashMap::from([(ANONYMOUS.into(), "".into())]),
                ..Default::default()
            },
        ];
        let c = ContainerSummary {
            names: Some(vec!["/web".into()]),
            mounts: Some(vec![
                MountPoint {
                    typ: Some("volume".into()),
                    name: Some("data".into()),
                    ..Default::default()
                },
                MountPoint {
                    typ: Some("bind".into()),
                    name: Some("made".into()),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let out = summarize(vols, &[c]);
        let data = out.iter().find(|v| v.name == "data").unwrap();
        assert_eq!(data.used_by, ["web"]);
        assert!(!data.anonymous);
        assert!(!data.created_local.full.is_empty());
        assert!(out
            .iter()
            .filter(|v| v.name != "data")
            .all(|v| v.anonymous && v.used_by.is_empty()));
    }

    #[test]
    fn sizes_in_either_shape() {
        let old = serde_json::json!({"Volumes": [{"Name": "a", "UsageData": {"Size": 42, "RefCount": 0}}, {"Name": "b", "UsageData": {"Size": -1}}]});
        assert_eq!(sizes_from_df(&old), [VolumeSize { name: "a".into(), bytes: 42 }]);
        let new = serde_json::json!({"Volumes": null, "VolumeUsage": {"Items": [{"Name": "c", "UsageData": {"Size": 7}}]}});
        assert_eq!(sizes_from_df(&new), [VolumeSize { name: "c".into(), bytes: 7 }]);
        assert!(sizes_from_df(&serde_json::json!({})).is_empty());
    }

    #[test]
    fn the_create_dialog() {
        let spec = |name: &str, opts: &[&str]| VolumeSpec {
            name: name.into(),
            options: opts.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let ok = check_create(&spec("cache", &["type=tmpfs", "o=size=10m"]), &[]).unwrap();
        assert_eq!(ok.driver.as_deref(), Some("local"));
        assert_eq!(ok.driver_opts.unwrap()["o"], "size=10m");
        assert_eq!(check_create(&spec("", &[]), &[]).unwrap().name, None);
        let field =
            |s: VolumeSpec, existing: &[String]| check_create(&s, existing).unwrap_err()[0].field;
        assert_eq!(field(spec("x", &[]), &[]), Field::Name);
        assert_eq!(field(spec("cache", &[]), &["cache".into()]), Field::Name);
        assert_eq!(field(spec("cache", &["size"]), &[]), Field::Options);
    }
}
