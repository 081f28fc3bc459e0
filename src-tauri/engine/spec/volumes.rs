//! `-v`: bind mounts, named and anonymous volumes.

use super::Parsed;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSpec {
    /// `/host/path:/in/container[:opts]`
    Bind { source: String, target: String, options: Vec<String> },
    /// `name:/in/container[:opts]`
    Named { name: String, target: String, options: Vec<String> },
    /// `/in/container`
    Anonymous { target: String },
}

const VOLUME_OPTIONS: &[&str] = &[
    "ro",
    "rw",
    "z",
    "Z",
    "nocopy",
    "private",
    "rprivate",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "consistent",
    "cached",
    "delegated",
];

/// A volume name as the engine accepts it: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn is_object_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphanumeric())
        && s.len() >= 2
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn check_target(t: &str) -> Parsed<()> {
    if !t.starts_with('/') {
        return Err(format!("the path in the container \"{t}\" must be absolute"));
    }
    if t == "/" {
        return Err("cannot mount over the container's root".into());
    }
    Ok(())
}

pub fn parse_volume(input: &str) -> Parsed<VolumeSpec> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty volume: write /host:/container, name:/container or /container".into());
    }
    if s.contains('\0') {
        return Err("a volume cannot hold a NUL character".into());
    }
    let parts: Vec<&str> = s.split(':').collect();
    let (source, target, opts) = match parts.as_slice() {
        [t] => {
            check_target(t)?;
            return Ok(VolumeSpec::Anonymous { target: t.to_string() });
        }
        [s, t] => (*s, *t, None),
        [s, t, o] => (*s, *t, Some(*o)),
        _ => return Err("too many colons: write source:target[:options]".into()),
    };
    check_target(target)?;
    let options: Vec<String> = match opts {
        None => vec![],
        Some(o) => o.split(',').map(str::to_string).collect(),
    };
    if let Some(bad) = options.iter().find(|o| !VOLUME_OPTIONS.contains(&o.as_str())) {
        return Err(format!("unknown volume option \"{bad}\" (ro, rw, z, Z, nocopy, ...)"));
    }
    if options.iter().any(|o| o == "ro") && options.iter().any(|o| o == "rw") {
        return Err("a volume cannot be both ro and rw".into());
    }
    if source.starts_with('/') {
        Ok(VolumeSpec::Bind { source: source.into(), target: target.into(), options })
    } else if source.starts_with('.') || source.starts_with('~') {
        Err(format!("the host path \"{source}\" must be absolute"))
    } else if is_object_name(source) {
        Ok(VolumeSpec::Named { name: source.into(), target: target.into(), options })
    } else {
        Err(format!("\"{source}\" is neither an absolute host path nor a volume name"))
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
