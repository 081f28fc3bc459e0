//! The single-value fields: restart policy, container name, user, working directory.

use bollard::models::{RestartPolicy, RestartPolicyNameEnum};

use super::volumes::is_object_name;
use super::{Invalid, Parsed};

pub fn parse_restart(input: &str) -> Parsed<RestartPolicy> {
    let s = input.trim();
    let policy =
        |name, max: Option<i64>| RestartPolicy { name: Some(name), maximum_retry_count: max };
    match s {
        "" | "no" => Ok(policy(RestartPolicyNameEnum::NO, None)),
        "always" => Ok(policy(RestartPolicyNameEnum::ALWAYS, None)),
        "unless-stopped" => Ok(policy(RestartPolicyNameEnum::UNLESS_STOPPED, None)),
        "on-failure" => Ok(policy(RestartPolicyNameEnum::ON_FAILURE, None)),
        _ => match s.strip_prefix("on-failure:") {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n
                .parse::<u32>()
                .map(|n| policy(RestartPolicyNameEnum::ON_FAILURE, Some(n as i64)))
                .map_err(|_| bad!("retry count {n} is too large")),
            Some(n) => Err(bad!("retry count \"{n}\" is not a number")),
            None => Err(bad!(
                "unknown restart policy \"{s}\": use no, always, unless-stopped or on-failure[:N]"
            )),
        },
    }
}

/// A container name (`--name`): `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn check_name(s: &str) -> Parsed<()> {
    if s.is_empty() || is_object_name(s) {
        Ok(())
    } else if s.len() < 2 {
        Err("a name needs at least two characters".into())
    } else {
        Err("a name starts with a letter or digit and holds only letters, digits, _ . -".into())
    }
}

/// `--user`: `name|uid[:group|gid]`.
pub fn check_user(s: &str) -> Parsed<()> {
    if s.chars().any(|c| c.is_whitespace() || c == '\0') {
        return Err("a user holds no spaces: name, uid, name:group or uid:gid".into());
    }
    if s.split(':').count() > 2 || s.starts_with(':') || s.ends_with(':') {
        return Err("write name, uid, name:group or uid:gid".into());
    }
    Ok(())
}

pub fn check_workdir(s: &str) -> Parsed<()> {
    if s.is_empty() || s.starts_with('/') && !s.contains('\0') {
        Ok(())
    } else {
        Err("the working directory must be an absolute path".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policies() {
        assert_eq!(parse_restart("on-failure:3").unwrap().maximum_retry_count, Some(3));
        assert_eq!(
            parse_restart("unless-stopped").unwrap().name,
            Some(RestartPolicyNameEnum::UNLESS_STOPPED)
        );
        assert!(parse_restart("sometimes").is_err());
        assert!(parse_restart("on-failure:x").is_err());
    }
}
