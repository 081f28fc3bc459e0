//! Images: the list (tags grouped per image, who uses each, where each came from, which are
//! built on which), history, tag, remove and prune; pulls in [`pull`].

pub mod archive;
pub mod lineage;
pub mod pull;
pub mod search;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bollard::models::ImageSummary;
use bollard::query_parameters::{
    ListImagesOptionsBuilder, RemoveImageOptionsBuilder, TagImageOptionsBuilder,
};
use bollard::Docker;
use futures_util::{stream, StreamExt};
use serde::Serialize;
use specta::Type;

use super::clock::{Fields, LocalTime};
use super::containers::Container;
use super::error::Removal;
use super::spec::ImageRef;
use super::sync::lock;
use super::{timed, EngineError, ErrorCode};
pub use pull::{
    pull, push, Direction, LayerPhase, LayerProgress, PullProgress, RawEngine, Transfers,
};

/// One row of the images list: one image with all its tags.
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
    /// Size in bytes, its base's layers included.
    pub size: i64,
    /// Creation time, seconds since the epoch.
    pub created: i64,
    /// The same, as the list shows it in the machine's time zone.
    pub created_local: LocalTime,
    /// Containers (running or not) created from this image, by name: the engine refuses to
    /// remove it while there are any.
    pub used_by: Vec<String>,
    /// No tag: what `docker image prune` removes.
    pub dangling: bool,
    /// No digest: never pulled from or pushed to a registry.
    pub local_only: bool,
    /// The listed image it is built on (see [`lineage`]); none for a base image.
    pub parent: Option<String>,
    /// Listed images built on it, by id.
    pub children: Vec<String>,
    /// Listed images with the same layers and parent (a config-only change).
    pub siblings: Vec<String>,
}

/// A repository and tag, for the images list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ImageName {
    pub repository: String,
    pub tag: String,
    pub origin: Origin,
}

/// Where a name says an image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Docker Hub's official images (`docker.io/library/...`: `busybox`, `python`).
    Official,
    /// A Docker Hub user's or organisation's (`user/image`).
    User,
    /// Another registry's (`localhost:5000/app`, `ghcr.io/...`).
    Registry,
}

fn origin(r: &ImageRef) -> Origin {
    if r.is_official() {
        Origin::Official
    } else if r.domain == "docker.io" {
        Origin::User
    } else {
        Origin::Registry
    }
}

/// How the list names an image: each tag, or (dangling) the repository of its digest.
fn names(tags: &[String], digests: &[String]) -> Vec<ImageName> {
    let split = |r: &str| match ImageRef::parse(r) {
        Ok(i) => ImageName {
            repository: i.familiar_name(),
            origin: origin(&i),
            tag: i.tag.unwrap_or_else(|| "<none>".into()),
        },
        Err(_) => {
            ImageName { repository: r.to_string(), tag: "<none>".into(), origin: Origin::Registry }
        }
    };
    if !tags.is_empty() {
        return tags.iter().map(|t| split(t)).collect();
    }
    digests.first().map(|d| ImageName { tag: "<none>".into(), ..split(d) }).into_iter().collect()
}

fn is_placeholder(r: &str) -> bool {
    r == "<none>:<none>" || r == "<none>@<none>"
}

/// The layers of every image seen, by id: an image never changes, so each is asked for once.
#[derive(Default)]
pub struct LayerCache(std::sync::Mutex<HashMap<String, Arc<Vec<String>>>>);

impl LayerCache {
    /// The layers of each of `ids`, asking the engine (a few at a time) for those not known yet.
    /// An image removed meanwhile is left out.
    pub async fn of(
        &self,
        docker: &Docker,
        ids: &[&str],
    ) -> Result<HashMap<String, Arc<Vec<String>>>, EngineError> {
        let missing: Vec<String> = {
            let known = lock(&self.0);
            ids.iter().filter(|id| !known.contains_key(**id)).map(|id| id.to_string()).collect()
        };
        let fetched: Vec<_> = stream::iter(missing)
            .map(|id| async move {
                let got = docker.inspect_image(&id).await;
                (id, got)
            })
            .buffer_unordered(8)
            .collect()
            .await;
        let mut known = lock(&self.0);
        for (id, got) in fetched {
            match got {
                Ok(i) => {
                    let layers = i.root_fs.and_then(|r| r.layers).unwrap_or_default();
                    known.insert(id, Arc::new(layers));
                }
                Err(e) => {
                    let e = EngineError::from(e);
                    if e.code != ErrorCode::NotFound {
                        return Err(e);
                    }
                }
            }
        }
        Ok(ids.iter().filter_map(|id| Some((id.to_string(), known.get(*id)?.clone()))).collect())
    }
}

/// The rows of `listed` (what `docker images` shows); `all` are every image the engine has
/// (`docker images -a`: build steps too), `layers` each listed image's layers.
pub fn summarize(
    listed: Vec<ImageSummary>,
    all: &[ImageSummary],
    containers: &[Container],
    layers: &HashMap<String, Arc<Vec<String>>>,
) -> Vec<Image> {
    let mut users: HashMap<&str, Vec<String>> = HashMap::new();
    for c in containers {
        users.entry(c.image_id.as_str()).or_default().push(c.name.clone());
    }
    let shown: HashSet<&str> = listed.iter().map(|i| i.id.as_str()).collect();
    let hidden: HashMap<String, String> = all
        .iter()
        .filter(|i| !shown.contains(i.id.as_str()))
        .map(|i| (i.id.clone(), i.parent_id.clone()))
        .collect();
    let facts: Vec<lineage::Facts> = listed
        .iter()
        .map(|i| lineage::Facts {
            id: i.id.clone(),
            layers: layers.get(&i.id).map(|l| l.to_vec()).unwrap_or_default(),
            parent: i.parent_id.clone(),
        })
        .collect();
    let mut places = lineage::places(&facts, &hidden);
    let today = Fields::now();
    listed
        .into_iter()
        .map(|i| {
            let repo_tags: Vec<String> =
                i.repo_tags.into_iter().filter(|r| !is_placeholder(r)).collect();
            let repo_digests: Vec<String> =
                i.repo_digests.into_iter().filter(|r| !is_placeholder(r)).collect();
            let place = places.remove(&i.id).unwrap_or_default();
            let mut used_by = users.remove(i.id.as_str()).unwrap_or_default();
            used_by.sort();
            Image {
                names: names(&repo_tags, &repo_digests),
                created_local: LocalTime::of(i.created, today.as_ref()),
                used_by,
                dangling: repo_tags.is_empty(),
                local_only: repo_digests.is_empty(),
                parent: place.parent,
                children: place.children,
                siblings: place.siblings,
                repo_tags,
                repo_digests,
                size: i.size,
                created: i.created,
                id: i.id,
            }
        })
        .collect()
}

/// The images `docker images` shows, with who uses each and their lineage. `containers` is the
/// shared container list.
pub async fn list(
    docker: &Docker,
    containers: &[Container],
    cache: &LayerCache,
) -> Result<Vec<Image>, EngineError> {
    let top = ListImagesOptionsBuilder::default().all(false).build();
    let every = ListImagesOptionsBuilder::default().all(true).build();
    let (listed, all) = tokio::try_join!(
        timed("images.list", docker.list_images(Some(top))),
        timed("images.list_all", docker.list_images(Some(every))),
    )?;
    let ids: Vec<&str> = listed.iter().map(|i| i.id.as_str()).collect();
    let layers = cache.of(docker, &ids).await?;
    Ok(summarize(listed, &all, containers, &layers))
}

/// What an image takes on disk, from `/system/df`: its size, and the part shared with other
/// images (which removing it does not free).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ImageUsage {
    pub id: String,
    pub size: i64,
    pub shared: i64,
    /// `size - shared`: what removing it alone frees.
    pub unique: i64,
}

/// Every image's usage from `/system/df`'s answer (`Images`, or `ImageUsage.Items` from API
/// 1.52), and the space all layers take (`LayersSize`).
pub fn usage_from_df(df: &serde_json::Value) -> (Vec<ImageUsage>, i64) {
    let list = df
        .get("Images")
        .filter(|v| v.is_array())
        .or_else(|| df.get("ImageUsage").and_then(|u| u.get("Items")))
        .and_then(|v| v.as_array());
    let usage = list
        .into_iter()
        .flatten()
        .filter_map(|i| {
            let id = i.get("Id")?.as_str()?.to_string();
            let size = i.get("Size")?.as_i64()?;
            let shared = i.get("SharedSize").and_then(|s| s.as_i64()).filter(|s| *s >= 0)?;
            Some(ImageUsage { id, size, shared, unique: size - shared })
        })
        .collect();
    let layers = df
        .get("LayersSize")
        .or_else(|| df.get("ImageUsage").and_then(|u| u.get("TotalSize")))
        .and_then(|s| s.as_i64())
        .unwrap_or(0);
    (usage, layers)
}

/// One step of an image's history (`docker history`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct HistoryStep {
    /// The instruction that made it (`CREATED BY`).
    pub created_by: String,
    /// Bytes it added; 0 for an instruction that only changed the config.
    pub size: i64,
    pub created_local: LocalTime,
    pub comment: String,
    /// A metadata-only step (`ENV`, `CMD`, `LABEL`...): no layer of its own.
    pub empty: bool,
    /// Tags of the local image this step is, if any.
    pub tags: Vec<String>,
}

/// Instructions that change only the image's config, as both builders write them.
const CONFIG_ONLY: [&str; 14] = [
    "ENV",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENTRYPOINT",
    "USER",
    "ARG",
    "VOLUME",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
    "MAINTAINER",
    "ONBUILD",
    "WORKDIR",
];

/// Whether a step made no layer: the classic builder marks metadata steps `#(nop)`, BuildKit
/// writes the bare instruction; a `WORKDIR` that created its directory has a size.
pub fn is_empty_step(created_by: &str, size: i64) -> bool {
    if size != 0 {
        return false;
    }
    let text = created_by.trim_start_matches("/bin/sh -c ").trim_start();
    if let Some(rest) = text.strip_prefix("#(nop)") {
        let word = rest.split_whitespace().next().unwrap_or("");
        return CONFIG_ONLY.contains(&word) || word.is_empty();
    }
    let word = text.split_whitespace().next().unwrap_or("");
    CONFIG_ONLY.contains(&word)
}

pub async fn history(docker: &Docker, id: &str) -> Result<Vec<HistoryStep>, EngineError> {
    let steps = timed("images.history", docker.image_history(id)).await?;
    let today = Fields::now();
    Ok(steps
        .into_iter()
        .map(|h| HistoryStep {
            empty: is_empty_step(&h.created_by, h.size),
            created_local: LocalTime::of(h.created, today.as_ref()),
            tags: h.tags.into_iter().filter(|t| !is_placeholder(t)).collect(),
            created_by: h.created_by,
            size: h.size,
            comment: h.comment,
        })
        .collect())
}

/// `docker tag ID TARGET`: `target` is a name with an optional tag (`latest` when none).
/// The new reference, as people write it.
pub async fn tag(docker: &Docker, id: &str, target: &str) -> Result<String, EngineError> {
    let bad = |why: String| {
        EngineError::new(
            ErrorCode::InvalidInput,
            format!("“{}” cannot be a tag: {why}", target.trim()),
        )
    };
    let r = ImageRef::parse(target).map_err(|why| bad(why.to_string()))?;
    if r.digest.is_some() {
        return Err(bad("a tag names no digest".into()));
    }
    let tag = r.tag.clone().unwrap_or_else(|| "latest".into());
    let opts = TagImageOptionsBuilder::default().repo(&r.name()).tag(&tag).build();
    timed("images.tag", docker.tag_image(id, Some(opts))).await?;
    Ok(format!("{}:{tag}", r.familiar_name()))
}

/// A refusal to remove an image is about what still uses it.
fn removal_error(what: &str, e: bollard::errors::Error) -> EngineError {
    let e = EngineError::from(e);
    let code = if e.code == ErrorCode::Conflict { ErrorCode::InUse } else { e.code };
    EngineError::new(code, format!("could not remove {what}: {}", e.message))
}

/// `docker rmi REFERENCE` for one tag: the image goes too when it was its last.
pub async fn untag(docker: &Docker, reference: &str) -> Result<(), EngineError> {
    let opts = RemoveImageOptionsBuilder::default().force(false).build();
    timed("images.untag", docker.remove_image(reference, Some(opts), None))
        .await
        .map_err(|e| removal_error(reference, e))?;
    Ok(())
}

/// Remove an image with all its tags. Without `force` it is refused while a container uses it;
/// with it (`docker rmi -f`, after the user confirmed those containers), a stopped container's
/// image goes anyway. The engine refuses either way while images are built on it by `Parent` or
/// a running container uses it.
pub async fn remove(docker: &Docker, image: &Image, force: bool) -> Result<(), EngineError> {
    let what = image.repo_tags.first().cloned().unwrap_or_else(|| image.id.clone());
    if !force && !image.used_by.is_empty() {
        let message =
            format!("could not remove {what}: containers use it ({})", image.used_by.join(", "));
        return Err(EngineError::new(ErrorCode::InUse, message));
    }
    // By id, so all its tags go at once; the engine wants force for an id with several tags.
    let opts =
        RemoveImageOptionsBuilder::default().force(force || image.repo_tags.len() > 1).build();
    timed("images.remove", docker.remove_image(&image.id, Some(opts), None))
        .await
        .map_err(|e| removal_error(&what, e))?;
    Ok(())
}

/// The images a prune would remove: unused dangling ones, or with `all` every unused one; those
/// built on others first, so each can go in turn.
pub fn prune_candidates(rows: &[Image], all: bool) -> Vec<Image> {
    let by_id: HashMap<&str, &Image> = rows.iter().map(|i| (i.id.as_str(), i)).collect();
    let depth = |i: &Image| {
        let mut n = 0;
        let mut at = i;
        while let Some(p) = at.parent.as_deref().and_then(|p| by_id.get(p)) {
            n += 1;
            at = p;
            if n > rows.len() {
                break;
            }
        }
        n
    };
    let mut out: Vec<Image> =
        rows.iter().filter(|i| i.used_by.is_empty() && (all || i.dangling)).cloned().collect();
    out.sort_by_key(|i| std::cmp::Reverse(depth(i)));
    out
}

/// Remove the images the user confirmed, by id, each without force: one a container started
/// using meanwhile stays, and says so.
pub async fn prune(docker: &Docker, rows: &[Image], ids: &[String]) -> Vec<Removal> {
    let mut out = Vec::new();
    for id in ids {
        let error = match rows.iter().find(|i| &i.id == id) {
            Some(image) => remove(docker, image, false).await.err(),
            None => Some(EngineError::new(ErrorCode::NotFound, format!("no image {id}"))),
        };
        let name = rows
            .iter()
            .find(|i| &i.id == id)
            .and_then(|i| i.repo_tags.first().cloned())
            .unwrap_or_else(|| id.clone());
        out.push(Removal { name, error });
    }
    out
}
/// What a prune did: each image's fate, and the space the engine's layers took before less
/// what they take after (other work on the engine meanwhile counts too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ImagePrune {
    pub removals: Vec<Removal>,
    pub freed: i64,
}

/// [`prune`], measuring the space freed with `/system/df` before and after.
pub async fn prune_measured(
    engine: &super::Engine,
    ids: &[String],
) -> Result<ImagePrune, EngineError> {
    let docker = engine.docker()?;
    let rows = engine.images().await?;
    let (_, before) = usage_from_df(&engine.system_df("").await?);
    let removals = prune(&docker, &rows, ids).await;
    let (_, after) = usage_from_df(&engine.system_df("").await?);
    Ok(ImagePrune { removals, freed: (before - after).max(0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(name: &str, image_id: &str) -> Container {
        let c = bollard::models::ContainerSummary {
            names: Some(vec![format!("/{name}")]),
            image_id: Some(image_id.into()),
            ..Default::default()
        };
        Container::from_summary(c, None)
    }

    fn summary(id: &str, tags: &[&str], parent: &str) -> ImageSummary {
        ImageSummary {
            id: id.into(),
            repo_tags: tags.iter().map(|t| t.to_string()).collect(),
            parent_id: parent.into(),
            size: 1234,
            created: 5,
            ..Default::default()
        }
    }

    #[test]
    fn names_users_hides_placeholders_and_places_each_image() {
        let listed = vec![
            summary("sha256:a", &["app:1", "app:latest"], ""),
            ImageSummary {
                repo_digests: vec!["<none>@<none>".into()],
                ..summary("sha256:b", &["<none>:<none>"], "sha256:step")
            },
        ];
        let mut all = listed.clone();
        all.push(summary("sha256:step", &[], "sha256:a"));
        let users = [container("web", "sha256:a"), container("api", "sha256:a")];
        let layers: HashMap<String, Arc<Vec<String>>> = [
            ("sha256:a".to_string(), Arc::new(vec!["l1".to_string()])),
            ("sha256:b".to_string(), Arc::new(vec!["l1".to_string(), "l2".to_string()])),
        ]
        .into();
        let out = summarize(listed, &all, &users, &layers);
        assert_eq!(out[0].used_by, ["api", "web"]);
        assert_eq!(out[0].size, 1234);
        assert_eq!(out[0].names.len(), 2);
        assert!(!out[0].dangling && out[0].local_only && out[0].parent.is_none());
        assert_eq!(out[0].children, ["sha256:b"]);
        assert!(out[1].used_by.is_empty() && out[1].dangling);
        assert!(out[1].repo_tags.is_empty() && out[1].repo_digests.is_empty());
        assert!(out[1].names.is_empty());
        assert_eq!(out[1].parent.as_deref(), Some("sha256:a"));
        assert_eq!(
            out[0].names[0],
            ImageName { repository: "app".into(), tag: "1".into(), origin: Origin::Official }
        );
    }

    #[test]
    fn names_split_at_the_tag_not_the_registry_port_and_say_where_from() {
        let n = |tags: &[&str], digests: &[&str]| {
            let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            names(&owned(tags), &owned(digests))
                .into_iter()
                .map(|n| format!("{} {} {:?}", n.repository, n.tag, n.origin))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            n(&["127.0.0.1:5000/team/app:1.2"], &[]),
            ["127.0.0.1:5000/team/app 1.2 Registry"]
        );
        assert_eq!(
            n(&["busybox:latest", "docker.io/library/busybox:1", "user/tool:2"], &[]),
            ["busybox latest Official", "busybox 1 Official", "user/tool 2 User"]
        );
        let digest = format!("localhost:5000/app@sha256:{}", "a".repeat(64));
        assert_eq!(n(&[], &[&digest]), ["localhost:5000/app <none> Registry"]);
    }

    #[test]
    fn empty_steps_are_the_config_only_ones() {
        assert!(is_empty_step("/bin/sh -c #(nop)  CMD [\"sh\"]", 0));
        assert!(is_empty_step("/bin/sh -c #(nop) LABEL a=b", 0));
        assert!(is_empty_step("ENV PATH=/usr/bin", 0));
        assert!(is_empty_step("CMD [\"sh\"]", 0));
        // A step that ran something made a layer, even an empty one.
        assert!(!is_empty_step("/bin/sh -c true", 0));
        assert!(!is_empty_step("RUN /bin/sh -c true # buildkit", 0));
        assert!(!is_empty_step("/bin/sh -c #(nop) ADD file:abc in / ", 0));
        assert!(!is_empty_step("/bin/sh -c #(nop) WORKDIR /app", 4096));
        assert!(!is_empty_step("COPY . /app # buildkit", 0));
    }

    #[test]
    fn df_gives_unique_sizes_and_the_layers_total() {
        let df = serde_json::json!({
            "LayersSize": 300,
            "Images": [
                {"Id": "sha256:a", "Size": 200, "SharedSize": 100},
                {"Id": "sha256:b", "Size": 100, "SharedSize": -1},
            ]
        });
        let (usage, layers) = usage_from_df(&df);
        assert_eq!(layers, 300);
        assert_eq!(
            usage,
            [ImageUsage { id: "sha256:a".into(), size: 200, shared: 100, unique: 100 }]
        );
    }

    #[test]
    fn prune_takes_unused_images_children_first() {
        let listed = vec![
            summary("sha256:base", &[], ""),
            summary("sha256:kid", &[], "sha256:base"),
            summary("sha256:tagged", &["t:1"], ""),
            summary("sha256:used", &[], ""),
        ];
        let layers = HashMap::new();
        let users = [container("c", "sha256:used")];
        let rows = summarize(listed.clone(), &listed, &users, &layers);
        let ids = |v: Vec<Image>| v.into_iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(prune_candidates(&rows, false)), ["sha256:kid", "sha256:base"]);
        assert_eq!(
            ids(prune_candidates(&rows, true)),
            ["sha256:kid", "sha256:base", "sha256:tagged"]
        );
    }
}
