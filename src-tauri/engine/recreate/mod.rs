//! Edit a container: make it again with what the user changed in the run dialog, under its name,
//! keeping everything else it had (Kitematic's edit, done so that nothing is lost).
//!
//! The new container is created first, under a temporary name, so a settings problem the engine
//! finds at create time leaves the old one untouched. Then the old one is moved aside (renamed,
//! still running), the new one takes the name, the old one stops, the new one starts, and the old
//! one is removed (its volumes stay). Each step that fails puts back what the steps before it
//! did, so the name always belongs to exactly one container. A container started with `--rm` is
//! deleted by the engine as soon as it stops; the preview says so first and offers to commit it
//! to an image.

mod config;
mod describe;

use std::future::Future;

use bollard::models::{ContainerInspectResponse, ImageInspect, NetworkConnectRequest};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder, StartContainerOptions,
    WaitContainerOptionsBuilder,
};
use bollard::Docker;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::containers::{self, Action};
use super::spec::{self, RunPlan, RunSpec};
use super::{timed, EngineError, ErrorCode};

pub use config::Edited;

/// What applying an edit will do, shown before it is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RecreatePreview {
    /// One line per field the edit changes; nothing else changes.
    pub changes: Vec<String>,
    /// Settings the dialog does not show that the new container keeps, as `docker run` flags.
    pub kept: Vec<String>,
    /// The container was started with `--rm`: the engine deletes it as soon as it stops, so if
    /// the new one cannot start, the old one cannot be brought back.
    pub removed_on_stop: bool,
    /// Where its files could be committed first (when `removed_on_stop`), e.g. `web-before-edit`.
    pub snapshot: Option<String>,
    /// Anything else worth knowing first (the image's tag now names another image, ...).
    pub notes: Vec<String>,
}

/// How to apply an edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RecreateOptions {
    /// First commit the old container's files to this image (`repository[:tag]`).
    pub snapshot: Option<String>,
}

/// An applied edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Recreated {
    /// The new container's id.
    pub id: String,
    /// The new container runs, but something after that went wrong (the old one could not be
    /// removed, ...).
    pub warning: Option<String>,
}

/// The steps of an edit, in order, for whoever watches (the tests act between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The new container exists under its temporary name, on all its networks.
    Created,
    /// The old container has its aside name.
    Aside,
    /// The new container has the name.
    Named,
    /// The old container is stopped (or was not running).
    Stopped,
    /// The new container runs.
    Started,
}

/// The old container, its image, and the dialog's fields for it.
struct Old {
    c: ContainerInspectResponse,
    i: ImageInspect,
    id: String,
    name: String,
    running: bool,
    auto_remove: bool,
}

async fn old(docker: &Docker, id: &str) -> Result<Old, EngineError> {
    let c = timed("containers.inspect", docker.inspect_container(id, None)).await?;
    let image = c.image.clone().unwrap_or_default();
    let i = timed("images.inspect", docker.inspect_image(&image)).await?;
    let state = c.state.clone().unwrap_or_default();
    Ok(Old {
        id: c.id.clone().unwrap_or_else(|| id.to_string()),
        name: c.name.clone().unwrap_or_default().trim_start_matches('/').to_string(),
        running: state.running == Some(true) || state.paused == Some(true),
        auto_remove: c.host_config.as_ref().and_then(|h| h.auto_remove) == Some(true),
        c,
        i,
    })
}

fn planned(spec: &RunSpec, what: &str) -> Result<RunPlan, EngineError> {
    spec::plan(spec).map_err(|problems| {
        let p = &problems[0];
        EngineError::new(ErrorCode::InvalidInput, format!("{what}: {}: {}", p.field, p.message))
    })
}

/// The old container's dialog as it opened, the dialog as applied, and what changed.
fn edit(old: &Old, spec: &RunSpec) -> Result<(RunSpec, RunPlan, RunPlan, Edited), EngineError> {
    let opened = spec::spec_from_inspect(&old.c, &old.i);
    let before = planned(&opened, "the container's settings do not read back")?;
    let applied = RunSpec { name: old.name.clone(), ..spec.clone() };
    let after = planned(&applied, "the edited settings")?;
    let edited = Edited::between(&before, &after);
    Ok((opened, before, after, edited))
}

/// What applying `spec` to container `id` would change, and what it keeps.
pub async fn preview(
    docker: &Docker,
    id: &str,
    spec: &RunSpec,
) -> Result<RecreatePreview, EngineError> {
    let old = old(docker, id).await?;
    let (opened, before, after, edited) = edit(&old, spec)?;
    let mut new = config::base(&old.c, &old.i);
    config::apply(&mut new, &before, &after, edited);
    let mut notes = Vec::new();
    // The tag may have moved since the container was made: making it again takes what it names now.
    let reference = new.body.image.clone().unwrap_or_default();
    if let Ok(now) = docker.inspect_image(&reference).await {
        let (runs, names) = (old.i.id.clone().unwrap_or_default(), now.id.unwrap_or_default());
        if !names.is_empty() && runs != names {
            let short =
                |id: &str| id.trim_start_matches("sha256:").chars().take(12).collect::<String>();
            notes.push(format!(
                "{reference} now names image {}, not {} that {} runs: the new container runs {0}",
                short(&names),
                short(&runs),
                old.name
            ));
        }
    }
    Ok(RecreatePreview {
        changes: describe::changes(&opened, &RunSpec { name: opened.name.clone(), ..spec.clone() }),
        kept: describe::kept(&old.i, &new),
        removed_on_stop: old.auto_remove && old.running,
        snapshot: (old.auto_remove && old.running).then(|| snapshot_reference(&old.name)),
        notes,
    })
}

/// An image reference for a snapshot of container `name`: its name made a repository name
/// (lowercase, separators between letters and digits only), tagged `before-edit`.
pub fn snapshot_reference(name: &str) -> String {
    let mut repo = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            repo.push(c.to_ascii_lowercase());
        } else if !repo.is_empty() && !repo.ends_with('-') {
            repo.push('-');
        }
    }
    let repo = repo.trim_end_matches('-');
    let reference =
        format!("{}-before-edit:latest", if repo.is_empty() { "container" } else { repo });
    debug_assert!(spec::parse_image_ref(&reference).is_ok(), "{reference}");
    reference
}

/// Apply `spec` to container `id`: see the module's documentation. Returns the new container.
pub async fn recreate(
    docker: &Docker,
    id: &str,
    spec: &RunSpec,
    options: &RecreateOptions,
) -> Result<Recreated, EngineError> {
    recreate_observed(docker, id, spec, options, |_| async {}).await
}

/// [`recreate`], telling `observe` after each step.
pub async fn recreate_observed<F, Fut>(
    docker: &Docker,
    id: &str,
    spec: &RunSpec,
    options: &RecreateOptions,
    mut observe: F,
) -> Result<Recreated, EngineError>
where
    F: FnMut(Step) -> Fut,
    Fut: Future<Output = ()>,
{
    let old = old(docker, id).await?;
    let (_, before, after, edited) = edit(&old, spec)?;
    if !edited.any() && options.snapshot.is_none() {
        return Err(EngineError::new(ErrorCode::InvalidInput, "nothing was changed"));
    }
    let mut new = config::base(&old.c, &old.i);
    config::apply(&mut new, &before, &after, edited);
    let (body, networks) = new.into_request();
    let name = old.name.as_str();
    let short = &old.id[..12.min(old.id.len())];
    let (temporary, aside) =
        (format!("{name}-berth-new-{short}"), format!("{name}-berth-previous-{short}"));
    let unchanged = |step: &str, e: EngineError| {
        EngineError::new(e.code, format!("could not {step}: {}; {name} is as it was", e.message))
    };

    // 1. The new container, under a temporary name, on every network it will be on.
    let (body_again, networks_again) = (body.clone(), networks.clone());
    let opts = CreateContainerOptionsBuilder::default().name(&temporary).build();
    let new_id = match timed("containers.create", docker.create_container(Some(opts), body)).await {
        Ok(created) => created.id,
        Err(e) => {
            let e = containers::create_failed(docker, e, &after.image).await;
            return Err(unchanged("create the new container", e));
        }
    };
    let discard = |id: String| async move {
        let opts = RemoveContainerOptionsBuilder::default().force(true).v(false).build();
        let _ = docker.remove_container(&id, Some(opts)).await;
    };
    for a in networks {
        let request =
            NetworkConnectRequest { container: new_id.clone(), endpoint_config: Some(a.endpoint) };
        if let Err(e) = timed("networks.connect", docker.connect_network(&a.network, request)).await
        {
            discard(new_id.clone()).await;
            let step = format!("connect the new container to {}", a.network);
            return Err(unchanged(&step, e.into()));
        }
    }
    observe(Step::Created).await;

    // 2. Its files kept as an image first, when asked.
    if let Some(reference) = &options.snapshot {
        let commit = spec::CommitSpec {
            reference: reference.clone(),
            message: format!("{name} before its settings were edited"),
            ..Default::default()
        };
        if let Err(e) = containers::commit(docker, &old.id, &commit).await {
            discard(new_id.clone()).await;
            return Err(unchanged(&format!("commit {name} to {reference}"), e));
        }
    }

    // 3. The old one aside (still running), the new one under the name.
    if let Err(e) = containers::rename(docker, &old.id, &aside).await {
        discard(new_id.clone()).await;
        return Err(unchanged(&format!("rename {name} to {aside}"), e));
    }
    observe(Step::Aside).await;
    if let Err(e) = containers::rename(docker, &new_id, name).await {
        let back = containers::rename(docker, &old.id, name).await;
        discard(new_id.clone()).await;
        return Err(match back {
            Ok(()) => unchanged(&format!("give the new container the name {name}"), e),
            Err(b) => EngineError::new(
                e.code,
                format!(
                    "could not give the new container the name {name} ({}), nor give it back to \
                     the old one ({}): the old container is {aside}",
                    e.message, b.message
                ),
            ),
        });
    }
    observe(Step::Named).await;

    // Back out of steps 1 and 3: the new one gone, the old one under its name, running if it ran.
    let (new_ref, aside_ref, old_ref) = (&new_id, &aside, &old);
    let restore = |why: EngineError, what: String| async move {
        let (new_id, aside, old) = (new_ref, aside_ref, old_ref);
        discard(new_id.clone()).await;
        let mut message = format!("{what}: {}", why.message);
        match containers::rename(docker, &old.id, name).await {
            Err(e) => message.push_str(&format!("; the old container is {aside} ({})", e.message)),
            Ok(()) if old.running => match containers::act(docker, &old.id, Action::Start).await {
                Ok(()) => message.push_str(&format!("; {name} was kept as it was")),
                Err(e) => message
                    .push_str(&format!("; {name} was kept but did not start again: {}", e.message)),
            },
            Ok(()) => message.push_str(&format!("; {name} was kept as it was")),
        }
        EngineError::new(why.code, message)
    };

    // 4. The old one stopped (a --rm one is deleted by the engine: wait until it is gone).
    let gone_on_stop = old.running && old.auto_remove;
    if old.running {
        let opts = WaitContainerOptionsBuilder::default().condition("removed").build();
        let mut removed = gone_on_stop.then(|| docker.wait_container(&old.id, Some(opts)));
        if let Err(e) = containers::act(docker, &old.id, Action::Stop).await {
            return Err(restore(e, format!("could not stop {name}")).await);
        }
        if let Some(removed) = removed.as_mut() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), removed.next()).await;
        }
    }
    observe(Step::Stopped).await;

    // 5. The new one started.
    let started =
        timed("containers.start", docker.start_container(&new_id, None::<StartContainerOptions>))
            .await;
    if let Err(e) = started {
        let e = EngineError::from(e);
        if !gone_on_stop {
            return Err(restore(e, "the new container could not start".into()).await);
        }
        // The old one is gone with its --rm, and the engine removes a --rm container that
        // fails to start too: make the new one again, not started, so the name keeps the
        // settings (and the volumes) for the user to fix.
        let kept_as = match &options.snapshot {
            Some(r) => format!(" Its files are in the image {r}."),
            None => String::new(),
        };
        let again = async {
            let opts = CreateContainerOptionsBuilder::default().name(name).build();
            let made = docker.create_container(Some(opts), body_again).await?;
            for a in networks_again {
                let request = NetworkConnectRequest {
                    container: made.id.clone(),
                    endpoint_config: Some(a.endpoint),
                };
                docker.connect_network(&a.network, request).await?;
            }
            Ok::<_, bollard::errors::Error>(())
        };
        let now = match again.await {
            Ok(()) => {
                format!("{name} now has the new settings and is stopped: fix them and start it")
            }
            Err(again) => format!(
                "{name} could not be made again with the new settings either: {}",
                EngineError::from(again).message
            ),
        };
        return Err(EngineError::new(
            e.code,
            format!(
                "the new container could not start: {}. The old one was started with --rm, so \
                 the engine removed it when it stopped.{kept_as} {now}",
                e.message
            ),
        ));
    }
    observe(Step::Started).await;

    // 6. The old one removed; its volumes stay.
    let mut warning = None;
    if !gone_on_stop {
        let opts = RemoveContainerOptionsBuilder::default().force(true).v(false).build();
        match timed("containers.remove", docker.remove_container(&old.id, Some(opts))).await {
            Ok(()) => {}
            Err(e) => {
                let e = EngineError::from(e);
                if e.code != ErrorCode::NotFound {
                    warning = Some(format!(
                        "{name} runs with the new settings, but the old container could not be \
                         removed and is kept as {aside}: {}",
                        e.message
                    ));
                }
            }
        }
    }
    Ok(Recreated { id: new_id, warning })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_snapshot_is_named_after_the_container() {
        use super::snapshot_reference as r;
        assert_eq!(r("web"), "web-before-edit:latest");
        assert_eq!(r("My_App.v2"), "my-app-v2-before-edit:latest");
        assert_eq!(r("__"), "container-before-edit:latest");
        for name in ["A..b", "x_-_y", "9", "a--"] {
            assert!(crate::engine::spec::parse_image_ref(&r(name)).is_ok(), "{name}");
        }
    }
}
