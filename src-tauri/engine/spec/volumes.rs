//! `-v`: bind mounts, named and anonymous volumes.

use super::{Invalid, Parsed};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSpec {
    /// `/host/path:/in/container[:opts]`
    Bind { source: String, target: String, options: Vec<String> },
    /// `name:/in/container[:opts]`
    Named { name: String, target: String, options: Vec<String> },
    /// `/in/container`
    Anonymous { target: String },
}

/// The options of a `-v` value by kind: at most one of each kind, as the engine allows
/// (moby `daemon/volume/mounts/linux_parser.go`, `linuxValidMountMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Access,
    Label,
    Propagation,
    Copy,
    Consistency,
}

fn kind(option: &str) -> Option<Kind> {
    Some(match option {
        "ro" | "rw" => Kind::Access,
        "z" | "Z" => Kind::Label,
        "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave" => Kind::Propagation,
        "nocopy" => Kind::Copy,
        "consistent" | "cached" | "delegated" => Kind::Consistency,
        _ => return None,
    })
}

/// Check a `-v` value's options; an empty text is no options.
fn check_options(text: &str) -> Parsed<Vec<String>> {
    if text.is_empty() {
        return Ok(vec![]);
    }
    let mut seen: Vec<(Kind, &str)> = Vec::new();
    for o in text.split(',') {
        let k = kind(o)
            .ok_or_else(|| format!("unknown volume option \"{o}\" (ro, rw, z, Z, nocopy, ...)"))?;
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == k) {
            return Err(bad!("\"{first}\" and \"{o}\" cannot go together: choose one"));
        }
        seen.push((k, o));
    }
    Ok(text.split(',').map(str::to_string).collect())
}

/// A volume name as the engine accepts it: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn is_object_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphanumeric())
        && s.len() >= 2
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// A path in the container: absolute, and not the root once cleaned (`/data/..` is `/`).
fn check_target(t: &str) -> Parsed<()> {
    if !t.starts_with('/') {
        return Err(bad!("the path in the container \"{t}\" must be absolute"));
    }
    let mut depth: Vec<&str> = Vec::new();
    for part in t.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                depth.pop();
            }
            p => depth.push(p),
        }
    }
    if depth.is_empty() {
        return Err(bad!("\"{t}\" is the container's root: mount somewhere below it"));
    }
    Ok(())
}

/// `-v`, as the engine reads it: `/in/container`, `source:/in/container` or
/// `source:/in/container:options`, where a source that is an absolute path is a bind mount and
/// anything else names a volume.
pub fn parse_volume(input: &str) -> Parsed<VolumeSpec> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty volume: write /host:/container, name:/container or /container".into());
    }
    if s.chars().any(char::is_control) {
        return Err("a volume cannot hold a line break or another control character".into());
    }
    let parts: Vec<&str> = s.split(':').collect();
    if parts.iter().any(|p| p.trim() != *p) {
        return Err("a path or name here neither starts nor ends with a space".into());
    }
    let (source, target, opts) = match parts.as_slice() {
        [t] => {
            check_target(t)?;
            return Ok(VolumeSpec::Anonymous { target: t.to_string() });
        }
        [_, ""] => return Err("nothing after ':': write source:/path/in/container".into()),
        // `/data:ro` reads as a path and its options, not a source and a path.
        [t, o] if check_options(o).is_ok() => {
            return Err(bad!("write {t}:/path/in/container:{o}, or just {t} for a new volume"))
        }
        [s, t] => (*s, *t, ""),
        [s, t, o] => (*s, *t, *o),
        _ => return Err("too many colons: write source:target[:options]".into()),
    };
    check_target(target)?;
    let options = check_options(opts)?;
    let has = |k: Kind| options.iter().find(|o| kind(o) == Some(k));
    if source.starts_with('/') {
        if let Some(o) = has(Kind::Copy) {
            return Err(bad!("\"{o}\" is for volumes, not for a host path"));
        }
        Ok(VolumeSpec::Bind { source: source.into(), target: target.into(), options })
    } else if source.starts_with('.') || source.starts_with('~') {
        Err(bad!("the host path \"{source}\" must be absolute"))
    } else if is_object_name(source) {
        if let Some(o) = has(Kind::Propagation) {
            return Err(bad!("\"{o}\" is for host paths, not for a volume"));
        }
        Ok(VolumeSpec::Named { name: source.into(), target: target.into(), options })
    } else {
        Err(bad!("\"{source}\" is neither an absolute host path nor a volume name"))
    }
}

impl VolumeSpec {
    pub fn to_flag(&self) -> String {
        let with = |a: &str, b: &str, o: &[String]| {
            if o.is_empty() {
                format!("{a}:{b}")
            } else {
                format!("{a}:{b}:{}", o.join(","))
            }
        };
        match self {
            VolumeSpec::Bind { source, target, options } => with(source, target, options),
            VolumeSpec::Named { name, target, options } => with(name, target, options),
            VolumeSpec::Anonymous { target } => target.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_of_every_kind() {
        assert_eq!(
            parse_volume("/srv/www:/usr/share/www:ro").unwrap(),
            VolumeSpec::Bind {
                source: "/srv/www".into(),
                target: "/usr/share/www".into(),
                options: vec!["ro".into()]
            }
        );
        assert!(matches!(parse_volume("data:/data").unwrap(), VolumeSpec::Named { .. }));
        assert!(matches!(parse_volume("/data").unwrap(), VolumeSpec::Anonymous { .. }));
        assert!(parse_volume("./src:/src").unwrap_err().contains("absolute"));
        assert!(parse_volume("data:rel").unwrap_err().contains("absolute"));
        assert!(parse_volume("data:/d:rx").unwrap_err().contains("unknown volume option"));
        assert!(parse_volume("data:/d:ro,rw").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn volumes_print_back(s in "[a-z/:,ro]{0,20}") {
                if let Ok(v) = parse_volume(&s) {
                    prop_assert_eq!(parse_volume(&v.to_flag()).unwrap(), v);
                }
            }
        }
    }
}
