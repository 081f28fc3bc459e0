//! Images: listing with how many containers use each.

use std::collections::HashMap;

use bollard::models::{ContainerSummary, ImageSummary};
use bollard::query_parameters::ListImagesOptionsBuilder;
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use super::{containers, timed, EngineError};

/// One row of the images list.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Image {
    /// Full id, `sha256:...`.
    pub id: String,
    /// `repository:tag` references; empty for a dangling image.
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    /// Size in bytes.
    pub size: i64,
    /// Creation time, seconds since the epoch.
    pub created: i64,
    /// Containers (running or not) created from this image: the engine refuses to remove it
    /// while this is above zero.
    pub containers: u32,
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
    images
        .into_iter()
        .map(|i| Image {
            containers: users.get(i.id.as_str()).copied().unwrap_or(0),
            repo_tags: i.repo_tags.into_iter().filter(|r| !is_placeholder(r)).collect(),
            repo_digests: i.repo_digests.into_iter().filter(|r| !is_placeholder(r)).collect(),
            size: i.size,
            created: i.created,
            id: i.id,
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
    }
}
