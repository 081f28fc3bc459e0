//! `docker commit`: the commit dialog's fields, checked.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::image::parse_image_ref;
use super::ports::parse_port_range;
use super::{Field, FieldProblem, Invalid, Parsed};

/// The commit dialog's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CommitSpec {
    /// `repository[:tag]`; the tag defaults to `latest`.
    pub reference: String,
    pub message: String,
    pub author: String,
    /// Dockerfile instructions applied to the image, one per row: CMD, ENTRYPOINT, ENV, EXPOSE,
    /// LABEL, USER, VOLUME, WORKDIR.
    pub changes: Vec<String>,
}

const COMMIT_INSTRUCTIONS: &[&str] =
    &["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "VOLUME", "WORKDIR"];

/// One `--change` row: a Dockerfile instruction `docker commit` accepts, with arguments.
pub fn parse_commit_change(input: &str) -> Parsed<String> {
    let s = input.trim();
    let (word, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
    let upper = word.to_ascii_uppercase();
    if !COMMIT_INSTRUCTIONS.contains(&upper.as_str()) {
        return Err(bad!(
            "\"{word}\" cannot be changed by a commit: use {}",
            COMMIT_INSTRUCTIONS.join(", ")
        ));
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(bad!("{upper} needs a value"));
    }
    if rest.contains('\n') || rest.contains('\0') {
        return Err(bad!("{upper} takes one line"));
    }
    if upper == "EXPOSE" {
        for p in rest.split_whitespace() {
            let (port, proto) = p.split_once('/').unwrap_or((p, "tcp"));
            parse_port_range(port, "port")?;
            if !matches!(proto, "tcp" | "udp" | "sctp") {
                return Err(bad!("unknown protocol \"{proto}\": use tcp, udp or sctp"));
            }
        }
    }
    if upper == "WORKDIR" && !rest.starts_with('/') {
        return Err("WORKDIR must be an absolute path".into());
    }
    Ok(format!("{upper} {rest}"))
}

/// A commit, checked: (repository, tag, changes joined one per line).
pub fn plan_commit(spec: &CommitSpec) -> Result<(String, String, Vec<String>), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let reference = spec.reference.trim();
    let mut out = (String::new(), String::new());
    if reference.contains('@') {
        problems.push(FieldProblem {
            field: Field::Reference,
            row: None,
            message: "a commit makes a new image: give it a repository:tag, not a digest".into(),
        });
    } else if reference.is_empty() {
        problems.push(FieldProblem {
            field: Field::Reference,
            row: None,
            message: "name the new image: repository[:tag]".into(),
        });
    } else {
        match parse_image_ref(reference) {
            Ok((repo, tag)) => out = (repo, tag.unwrap_or_else(|| "latest".into())),
            Err(message) => problems.push(FieldProblem {
                field: Field::Reference,
                row: None,
                message: message.0,
            }),
        }
    }
    let mut changes = Vec::new();
    for (i, c) in spec.changes.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()) {
        match parse_commit_change(c) {
            Ok(c) => changes.push(c),
            Err(message) => problems.push(FieldProblem {
                field: Field::Changes,
                row: Some(i as u32),
                message: message.0,
            }),
        }
    }
    if problems.is_empty() {
        Ok((out.0, out.1, changes))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_references_and_changes() {
        let spec = CommitSpec {
            reference: "box_snapshot".into(),
            changes: vec!["cmd [\"sh\"]".into(), "EXPOSE 80/tcp 53/udp".into(), "".into()],
            ..Default::default()
        };
        let (repo, tag, changes) = plan_commit(&spec).unwrap();
        assert_eq!((repo.as_str(), tag.as_str()), ("box_snapshot", "latest"));
        assert_eq!(changes, vec!["CMD [\"sh\"]", "EXPOSE 80/tcp 53/udp"]);
        let bad = CommitSpec {
            reference: "Box:1".into(),
            changes: vec!["RUN rm -rf /".into(), "EXPOSE 99999".into(), "WORKDIR app".into()],
            ..Default::default()
        };
        let at: Vec<_> =
            plan_commit(&bad).unwrap_err().into_iter().map(|p| (p.field, p.row)).collect();
        assert_eq!(
            at,
            vec![
                (Field::Reference, None),
                (Field::Changes, Some(0)),
                (Field::Changes, Some(1)),
                (Field::Changes, Some(2))
            ]
        );
        assert!(plan_commit(&CommitSpec { reference: "a@sha256:00".into(), ..Default::default() })
            .is_err());
    }
}
