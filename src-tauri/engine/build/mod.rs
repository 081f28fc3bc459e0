//! `docker build`: a folder with a Dockerfile sent as a tar that leaves out what `.dockerignore`
//! says (see [`ignore`]), with a tag, build arguments, a target stage and no-cache; the
//! builder's output streamed line by line.

pub mod ignore;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::spec::{parse_key_value, Field, FieldProblem, ImageRef};
use super::{EngineError, ErrorCode};
use ignore::Ignore;

/// The build dialog's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct BuildSpec {
    /// The folder sent to the engine.
    pub context: String,
    /// The Dockerfile, relative to the folder; empty means `Dockerfile`.
    pub dockerfile: String,
    /// `-t`: empty builds an untagged image.
    pub tag: String,
    /// `--build-arg K=V` rows.
    pub build_args: Vec<String>,
    /// `--target`: empty builds the last stage.
    pub target: String,
    pub no_cache: bool,
}

impl BuildSpec {
    fn dockerfile(&self) -> &str {
        match self.dockerfile.trim() {
            "" => "Dockerfile",
            f => f,
        }
    }
}

/// What is wrong with the fields, each beside its own.
pub fn problems(spec: &BuildSpec) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let mut add = |field, row: Option<usize>, message: String| {
        out.push(FieldProblem { field, row: row.map(|r| r as u32), message });
    };
    let dir = Path::new(spec.context.trim());
    if spec.context.trim().is_empty() {
        add(Field::Context, None, "choose the folder to build".into());
    } else if !dir.is_absolute() {
        add(Field::Context, None, "write the folder's full path".into());
    } else if !dir.is_dir() {
        add(Field::Context, None, format!("no folder {}", dir.display()));
    } else if !dir.join(spec.dockerfile()).is_file() {
        let where_ = if spec.dockerfile.trim().is_empty() { " in the folder" } else { "" };
        add(Field::Dockerfile, None, format!("no {}{where_}", spec.dockerfile()));
    }
    if Path::new(spec.dockerfile()).is_absolute() || spec.dockerfile().split('/').any(|p| p == "..")
    {
        add(Field::Dockerfile, None, "name a file inside the folder".into());
    }
    if !spec.tag.trim().is_empty() {
        match ImageRef::parse(spec.tag.trim()) {
            Ok(r) if r.digest.is_some() => {
                add(Field::Reference, None, "a tag names no digest".into())
            }
            Ok(_) => {}
            Err(why) => add(Field::Reference, None, why.to_string()),
        }
    }
    for (i, row) in spec.build_args.iter().enumerate() {
        if row.trim().is_empty() {
            continue;
        }
        if let Err(why) = parse_key_value(row, "a build argument") {
            add(Field::BuildArgs, Some(i), why.to_string());
        }
    }
    let target = spec.target.trim();
    if target.contains(char::is_whitespace) {
        add(Field::Target, None, "a stage name has no spaces".into());
    }
    out
}

/// The equivalent `docker build` line.
pub fn cli(spec: &BuildSpec) -> String {
    let quote = super::spec::shell_quote;
    let mut parts = vec!["docker".to_string(), "build".into()];
    if !spec.tag.trim().is_empty() {
        parts.push(format!("-t {}", quote(spec.tag.trim())));
    }
    if !spec.dockerfile.trim().is_empty() {
        parts.push(format!("-f {}", quote(spec.dockerfile.trim())));
    }
    for a in spec.build_args.iter().filter(|a| !a.trim().is_empty()) {
        parts.push(format!("--build-arg {}", quote(a)));
    }
    if !spec.target.trim().is_empty() {
        parts.push(format!("--target {}", quote(spec.target.trim())));
    }
    if spec.no_cache {
        parts.push("--no-cache".into());
    }
    parts.push(quote(spec.context.trim()));
    parts.join(" ")
}

/// What the context holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct ContextSummary {
    pub files: u32,
    pub bytes: u64,
    /// Paths `.dockerignore` left out (the top ones: a left-out folder counts once).
    pub ignored: u32,
}

/// The folder as the tar the engine builds from: every file and folder `.dockerignore` does
/// not leave out (the Dockerfile and `.dockerignore` always go), symbolic links as links.
pub fn context_tar(dir: &Path, dockerfile: &str) -> Result<(Vec<u8>, ContextSummary), EngineError> {
    let io =
        |p: &Path, e: std::io::Error| EngineError::io(format!("cannot read {}", p.display()), e);
    let mut ignore = match std::fs::read_to_string(dir.join(".dockerignore")) {
        Ok(text) => Ignore::parse(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ignore::default(),
        Err(e) => return Err(io(&dir.join(".dockerignore"), e)),
    };
    ignore.keep(dockerfile);
    ignore.keep(".dockerignore");
    let mut summary = ContextSummary::default();
    let mut tar = tar::Builder::new(Vec::new());
    tar.follow_symlinks(false);
    let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let full = dir.join(&rel);
        let mut entries: Vec<_> = std::fs::read_dir(&full)
            .map_err(|e| io(&full, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| io(&full, e))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = rel.join(entry.file_name());
            let path = name.to_string_lossy().to_string();
            let kind = entry.file_type().map_err(|e| io(&entry.path(), e))?;
            let excluded = ignore.excludes(&path);
            if excluded {
                summary.ignored += 1;
                // Walk on only when a `!` pattern may take something under it back.
                if kind.is_dir() && ignore.may_include_under(&path) {
                    stack.push(name);
                }
                continue;
            }
            if kind.is_dir() {
                tar.append_dir(&name, entry.path()).map_err(|e| io(&entry.path(), e))?;
                stack.push(name);
            } else {
                let meta = entry.metadata().map_err(|e| io(&entry.path(), e))?;
                tar.append_path_with_name(entry.path(), &name).map_err(|e| io(&entry.path(), e))?;
                summary.files += 1;
                summary.bytes += if kind.is_file() { meta.len() } else { 0 };
            }
        }
    }
    let bytes = tar.into_inner().map_err(|e| io(dir, e))?;
    Ok((bytes, summary))
}

/// One line of the builder's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BuildLine {
    pub text: String,
    /// The builder's error: the build failed here.
    pub error: bool,
}

/// Build `spec`, handing the builder's output to `on_line` as it comes. The built image's id.
pub async fn build(
    docker: &Docker,
    spec: &BuildSpec,
    mut on_line: impl FnMut(BuildLine),
) -> Result<String, EngineError> {
    if let Some(p) = problems(spec).into_iter().next() {
        return Err(EngineError::new(
            ErrorCode::InvalidInput,
            format!("{}: {}", p.field, p.message),
        ));
    }
    let dir = PathBuf::from(spec.context.trim());
    let dockerfile = spec.dockerfile().to_string();
    let (tar, summary) = {
        let (dir, dockerfile) = (dir.clone(), dockerfile.clone());
        tokio::task::spawn_blocking(move || context_tar(&dir, &dockerfile))
            .await
            .map_err(|e| EngineError::new(ErrorCode::Io, e.to_string()))??
    };
    on_line(BuildLine {
        text: format!(
            "Sending the context: {} files, {} bytes ({} left out by .dockerignore)",
            summary.files, summary.bytes, summary.ignored
        ),
        error: false,
    });
    let args: HashMap<String, String> = spec
        .build_args
        .iter()
        .filter_map(|a| parse_key_value(a, "a build argument").ok())
        .collect();
    let mut opts = BuildImageOptionsBuilder::default()
        .dockerfile(&dockerfile)
        .nocache(spec.no_cache)
        .rm(true)
        // A failed step's container goes too: a build leaves nothing behind but its image.
        .forcerm(true)
        .buildargs(&args);
    if !spec.tag.trim().is_empty() {
        opts = opts.t(spec.tag.trim());
    }
    if !spec.target.trim().is_empty() {
        opts = opts.target(spec.target.trim());
    }
    let body = bollard::body_full(tar.into());
    let mut stream = docker.build_image(opts.build(), None, Some(body));
    let mut id = None;
    let mut pending = String::new();
    while let Some(item) = stream.next().await {
        // bollard turns the builder's error line into an error of the stream.
        let info = match item {
            Ok(info) => info,
            Err(e) => {
                let e = EngineError::from(e);
                on_line(BuildLine { text: e.message.clone(), error: true });
                return Err(EngineError::new(e.code, format!("the build failed: {}", e.message)));
            }
        };
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            on_line(BuildLine { text: detail.clone(), error: true });
            return Err(EngineError::new(ErrorCode::Engine, format!("the build failed: {detail}")));
        }
        if let Some(aux) = info.aux.and_then(|a| a.id) {
            id = Some(aux);
        }
        let text = info.stream.or(info.status).unwrap_or_default();
        pending.push_str(&text);
        // Whole lines only: the builder splits output where it likes.
        while let Some(nl) = pending.find('\n') {
            let line: String = pending.drain(..=nl).collect();
            let line = line.trim_end().to_string();
            if let Some(rest) = line.strip_prefix("Successfully built ") {
                id.get_or_insert_with(|| rest.trim().to_string());
            }
            on_line(BuildLine { text: line, error: false });
        }
    }
    if !pending.trim().is_empty() {
        on_line(BuildLine { text: pending.trim_end().to_string(), error: false });
    }
    let id = id.ok_or_else(|| EngineError::new(ErrorCode::Engine, "the builder named no image"))?;
    // The classic builder says a short id; the full one is what the lists use.
    let full = docker.inspect_image(&id).await.map_err(EngineError::from)?.id.unwrap_or(id);
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_beside_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap().to_string();
        let spec = |context: &str, dockerfile: &str, tag: &str, args: &[&str]| BuildSpec {
            context: context.into(),
            dockerfile: dockerfile.into(),
            tag: tag.into(),
            build_args: args.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        };
        let fields = |s: &BuildSpec| problems(s).into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields(&spec("", "", "", &[])), [Field::Context]);
        assert_eq!(fields(&spec("relative/dir", "", "", &[])), [Field::Context]);
        assert_eq!(fields(&spec(&d, "", "", &[])), [Field::Dockerfile], "no Dockerfile yet");
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        assert!(fields(&spec(&d, "", "app:1", &["V=1"])).is_empty());
        assert_eq!(
            fields(&spec(&d, "../Dockerfile", "", &[])),
            [Field::Dockerfile, Field::Dockerfile]
        );
        assert_eq!(
            fields(&spec(&d, "", "Bad Tag", &["novalue"])),
            [Field::Reference, Field::BuildArgs]
        );
        let full = BuildSpec {
            no_cache: true,
            target: "test".into(),
            ..spec(&d, "ci.Dockerfile", "app:1", &["V=a b"])
        };
        assert_eq!(
            cli(&full),
            format!("docker build -t app:1 -f ci.Dockerfile --build-arg 'V=a b' --target test --no-cache {d}")
        );
    }

    #[test]
    fn the_context_leaves_out_what_dockerignore_says() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for (path, text) in [
            ("Dockerfile", "FROM scratch\n"),
            (".dockerignore", "*.log\nsecrets\nnode_modules\n!node_modules/keep.js\nDockerfile\n"),
            ("app.c", "int main;"),
            ("debug.log", "x"),
            ("secrets/key", "k"),
            ("node_modules/a.js", "a"),
            ("node_modules/keep.js", "k"),
            ("src/util.c", "u"),
        ] {
            std::fs::create_dir_all(d.join(path).parent().unwrap()).unwrap();
            std::fs::write(d.join(path), text).unwrap();
        }
        let (bytes, summary) = context_tar(d, "Dockerfile").unwrap();
        let mut archive = tar::Archive::new(bytes.as_slice());
        let mut names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().trim_end_matches('/').to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".dockerignore", "Dockerfile", "app.c", "node_modules/keep.js", "src", "src/util.c"]
        );
        assert_eq!(summary.files, 5);
        assert_eq!(summary.ignored, 4, "debug.log, secrets, node_modules, node_modules/a.js");
    }
}
