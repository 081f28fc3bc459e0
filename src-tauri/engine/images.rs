//! Images: listing with how many containers use each.

use std::collections::HashMap;

use bollard::models::{ContainerSummary, ImageSummary};
use bollard::query_parameters::ListImagesOptionsBuilder;
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::clock::{Fields, LocalTime};
use super::spec::ImageRef;
use super::{containers, timed, EngineError, ErrorCode};

/// One row of the images list.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Image {
    /// Full id, `sha256:...`.
    pub id: String,
    /// `repository:tag` references; empty for a dangling image.
    pub repo_tags: Vec<String>,
    /// The same, split as people read them (`localhost:5000/app` and `1.2`); a dangling image
    /// with a digest gets its repository and the tag `<none>`, as `docker images` shows it.
    pub names: Vec<ImageName>,
    pub repo_digests: Vec<String>,
    /// Size in bytes.
    pub size: i64,
    /// Creation time, seconds since the epoch.
    pub created: i64,
    /// The same, as the list shows it in the machine's time zone.
    pub created_local: LocalTime,
    /// Containers (running or not) created from this image: the engine refuses to remove it
    /// while this is above zero.
    pub containers: u32,
}

/// A repository and tag, for the images list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ImageName {
    pub repository: String,
    pub tag: String,
}

/// How the list names an image: each tag, or (dangling) the repository of its digest.
fn names(tags: &[String], digests: &[String]) -> Vec<ImageName> {
    let split = |r: &str| match ImageRef::parse(r) {
        Ok(i) => ImageName {
            repository: i.familiar_name(),
            tag: i.tag.unwrap_or_else(|| "<none>".into()),
        },
        Err(_) => ImageName { repository: r.to_string(), tag: "<none>".into() },
    };
    if !tags.is_empty() {
        return tags.iter().map(|t| split(t)).collect();
    }
    digests.first().map(|d| ImageName { tag: "<none>".into(), ..split(d) }).into_iter().collect()
}

fn is_placeholder(r: &str) -> bool {
    r == "<none>:<none>" || r == "<none>@<none>"
}

/// Map the engine's images, counting containers per image id.
pub fn summarize(images: Vec<ImageSummary>, containers: &[ContainerSummary]) -> Vec<Image> {
    let mut users: HashMap<&str, u32> = HashMap::new();
    for c in containers {
        if let Some(id) = c.image_id.as_deref() {
            *users.entry(id).or_default() += 1;
        }
    }
    let today = Fields::now();
    images
        .into_iter()
        .map(|i| {
            let repo_tags: Vec<String> =
                i.repo_tags.into_iter().filter(|r| !is_placeholder(r)).collect();
            let repo_digests: Vec<String> =
                i.repo_digests.into_iter().filter(|r| !is_placeholder(r)).collect();
            Image {
                names: names(&repo_tags, &repo_digests),
                created_local: LocalTime::of(i.created, today.as_ref()),
                containers: users.get(i.id.as_str()).copied().unwrap_or(0),
                repo_tags,
                repo_digests,
                size: i.size,
                created: i.created,
                id: i.id,
            }
        })
        .collect()
}

/// Top-level images (what `docker images` shows), with in-use counts.
pub async fn list(docker: &Docker) -> Result<Vec<Image>, EngineError> {
    let opts = ListImagesOptionsBuilder::default().all(false).build();
    let (images, all) = tokio::try_join!(
        async { Ok::<_, EngineError>(timed("images.list", docker.list_images(Some(opts))).await?) },
        containers::fetch_all(docker),
    )?;
    Ok(summarize(images, &all))
}

/// How a pull is going.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PullProgress {
    /// The engine's last status line (`Downloading`, `Pull complete`, `Digest: ...`).
    pub status: String,
    /// Bytes downloaded and to download, over the layers whose size is known so far.
    pub current: f64,
    pub total: f64,
    /// Layers seen, and those done (downloaded and extracted, or already present).
    pub layers: u32,
    pub layers_done: u32,
}

/// Pull `reference`, reporting progress to `progress` as the engine sends it. The image's
/// reference as pulled when done.
pub async fn pull(
    docker: &Docker,
    reference: &ImageRef,
    mut progress: impl FnMut(&PullProgress),
) -> Result<String, EngineError> {
    use bollard::query_parameters::CreateImageOptionsBuilder;
    use futures_util::StreamExt;
    // The engine pulls every tag when given none: no tag means `latest`, as with `docker pull`.
    let tag = match (&reference.digest, reference.tag_or_latest()) {
        (Some(d), _) => d.clone(),
        (None, t) => t.unwrap_or("latest").to_string(),
    };
    let opts = CreateImageOptionsBuilder::default()
        .from_image(&reference.familiar_name())
        .tag(&tag)
        .build();
    let started = std::time::Instant::now();
    let mut stream = docker.create_image(Some(opts), None, None);
    // Per layer: bytes done and total while downloading, and whether it is finished.
    let mut layers: Vec<(String, f64, f64, bool)> = Vec::new();
    let mut now =
        PullProgress { status: String::new(), current: 0.0, total: 0.0, layers: 0, layers_done: 0 };
    while let Some(item) = stream.next().await {
        let info = match item {
            Ok(info) => info,
            Err(e) => {
                let e = EngineError::from(e);
                tracing::warn!(reference = reference.familiar(), error = %e, "pull failed");
                return Err(pulled_error(reference, e));
            }
        };
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            return Err(pulled_error(reference, EngineError::new(ErrorCode::Engine, detail)));
        }
        let status = info.status.unwrap_or_default();
        if let Some(id) = info.id.filter(|id| id.len() == 12 && status != "Pulling from") {
            let i = match layers.iter().position(|l| l.0 == id) {
                Some(i) => i,
                None => {
                    layers.push((id, 0.0, 0.0, false));
                    layers.len() - 1
                }
            };
            let layer = &mut layers[i];
            if let Some(d) = info.progress_detail {
                if status == "Downloading" {
                    layer.1 = d.current.unwrap_or(0) as f64;
                    layer.2 = d.total.unwrap_or(0) as f64;
                }
            }
            if matches!(status.as_str(), "Pull complete" | "Already exists") {
                layer.3 = true;
                layer.1 = layer.2;
            }
        }
        now = PullProgress {
            status,
            current: layers.iter().fold(0.0, |n, l| n + l.1),
            total: layers.iter().fold(0.0, |n, l| n + l.2),
            layers: layers.len() as u32,
            layers_done: layers.iter().filter(|l| l.3).count() as u32,
        };
        progress(&now);
    }
    tracing::debug!(
        reference = reference.familiar(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
        status = now.status,
        "pulled"
    );
    Ok(reference.familiar())
}

/// Say which image a failed pull was for.
fn pulled_error(reference: &ImageRef, e: EngineError) -> EngineError {
    EngineError::new(e.code, format!("could not pull {}: {}", reference.familiar(), e.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_users_and_hides_placeholders() {
        let images = vec![
            ImageSummary {
                id: "sha256:a".into(),
                repo_tags: vec!["app:1".into()],
                size: 1234,
                created: 5,
                ..Default::default()
            },
            ImageSummary {
                id: "sha256:b".into(),
                repo_tags: vec!["<none>:<none>".into()],
                repo_digests: vec!["<none>@<none>".into()],
                ..Default::default()
            },
        ];
        let users = vec![
            ContainerSummary { image_id: Some("sha256:a".into()), ..Default::default() },
            ContainerSummary { image_id: Some("sha256:a".into()), ..Default::default() },
        ];
        let out = summarize(images, &users);
        assert_eq!(out[0].containers, 2);
        assert_eq!(out[0].size, 1234);
        assert_eq!(out[1].containers, 0);
        assert!(out[1].repo_tags.is_empty());
        assert!(out[1].repo_digests.is_empty());
        assert!(out[1].names.is_empty());
        assert_eq!(out[0].names, [ImageName { repository: "app".into(), tag: "1".into() }]);
    }

    #[test]
    fn names_split_at_the_tag_not_the_registry_port() {
        let n = |tags: &[&str], digests: &[&str]| {
            let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            names(&owned(tags), &owned(digests))
                .into_iter()
                .map(|n| format!("{} {}", n.repository, n.tag))
                .collect::<Vec<_>>()
        };
        assert_eq!(n(&["127.0.0.1:5000/team/app:1.2"], &[]), ["127.0.0.1:5000/team/app 1.2"]);
        assert_eq!(
            n(&["busybox:latest", "docker.io/library/busybox:1"], &[]),
            ["busybox latest", "busybox 1"]
        );
        let digest = format!("localhost:5000/app@sha256:{}", "a".repeat(64));
        assert_eq!(n(&[], &[&digest]), ["localhost:5000/app <none>"]);
    }
}
