//! Image references, read exactly as the docker CLI and the engine read them
//! (distribution/reference: `ParseNormalizedNamed`): the one type for `busybox`,
//! `library/busybox:1.36`, `localhost:5000/team/app:dev`, `[::1]:5000/app` and `...@sha256:...`,
//! normalized with the implicit registry (`docker.io`), `library/` and, where asked, `:latest`.

use super::{Invalid, Parsed};

/// The registry of references that name none.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The longest repository path (without the registry) a reference may have.
const PATH_MAX: usize = 255;

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// The registry, `host[:port]`: `docker.io` when the reference named none.
    pub domain: String,
    /// The repository within the registry, e.g. `library/busybox`, `team/app`.
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:` and 64 hex digits.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parse `input` (surrounding spaces ignored) as `docker pull` and `docker run` do.
    pub fn parse(input: &str) -> Parsed<ImageRef> {
        let s = input.trim();
        if s.is_empty() {
            return Err("choose an image".into());
        }
        if s.len() == 64 && s.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
            return Err("a 64-digit hex string is an image id, not a repository name".into());
        }
        let (domain, rest) = split_domain(s);
        let rest = rest.as_str();
        let remote = rest.split(':').next().unwrap_or(rest);
        if remote.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(bad!("\"{remote}\": repository names are lowercase"));
        }
        let (rest, digest) = match rest.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (rest, None),
        };
        let (path, tag) = match rest.rfind(':') {
            Some(at) if !rest[at..].contains('/') => (&rest[..at], Some(&rest[at + 1..])),
            _ => (rest, None),
        };
        check_domain(&domain)?;
        if path.is_empty() {
            return Err("the repository name is missing".into());
        }
        if let Some(c) = path.split('/').find(|c| !is_path_component(c)) {
            return Err(bad!(
                "\"{c}\" in the image name: lowercase letters and digits, joined by . _ __ or -"
            ));
        }
        if path.len() > PATH_MAX {
            return Err(bad!(
                "the repository name is {} characters long; at most {PATH_MAX}",
                path.len()
            ));
        }
        if let Some(t) = tag {
            check_tag(t)?;
        }
        if let Some(d) = digest {
            check_digest(d)?;
        }
        Ok(ImageRef {
            domain,
            path: path.to_string(),
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
        })
    }

    /// The repository in full: `docker.io/library/busybox`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The repository as people write it: `busybox`, `team/app`, `localhost:5000/app`.
    pub fn familiar_name(&self) -> String {
        if self.domain != DEFAULT_DOMAIN {
            return self.name();
        }
        match self.path.strip_prefix("library/") {
            Some(official) if !official.contains('/') => official.to_string(),
            _ => self.path.clone(),
        }
    }

    /// The tag, or `latest` when it names neither a tag nor a digest.
    pub fn tag_or_latest(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// As people write it, with `:latest` when it names neither a tag nor a digest:
    /// `busybox:latest`, `localhost:5000/app:dev`, `app@sha256:...`.
    pub fn familiar(&self) -> String {
        let mut out = self.familiar_name();
        if let Some(t) = self.tag_or_latest() {
            out.push(':');
            out.push_str(t);
        }
        if let Some(d) = &self.digest {
            out.push('@');
            out.push_str(d);
        }
        out
    }

    /// Whether it names one of Docker Hub's official images (`docker.io/library/...`).
    pub fn is_official(&self) -> bool {
        self.domain == DEFAULT_DOMAIN && self.path.starts_with("library/")
    }
}

/// The registry a reference names, and the rest: what comes before the first `/` when it looks
/// like a host (a `.` or `:` in it, `localhost`, or capitals), else Docker Hub.
fn split_domain(s: &str) -> (String, String) {
    let (domain, rest) = match s.split_once('/') {
        None => (DEFAULT_DOMAIN, s),
        Some(("index.docker.io", rest)) => (DEFAULT_DOMAIN, rest),
        Some((d, rest))
            if d == "localhost"
                || d.contains(['.', ':'])
                || d.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (d, rest)
        }
        Some(_) => (DEFAULT_DOMAIN, s),
    };
    // Docker Hub's official images live under `library/`.
    let official =
        domain == DEFAULT_DOMAIN && !rest.split('@').next().unwrap_or(rest).contains('/');
    let rest = if official { format!("library/{rest}") } else { rest.to_string() };
    (domain.to_string(), rest)
}

/// `host[:port]`: DNS labels (letters, digits, inner hyphens) joined by dots, or an IPv6
/// address in brackets; the port digits.
fn check_domain(domain: &str) -> Parsed<()> {
    let bad = || Err(bad!("\"{domain}\" is not a registry address"));
    let (host, port) = if let Some(inner) = domain.strip_prefix('[') {
        let Some((addr, after)) = inner.split_once(']') else { return bad() };
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return bad();
        }
        match after {
            "" => (None, None),
            p => match p.strip_prefix(':') {
                Some(p) => (None, Some(p)),
                None => return bad(),
            },
        }
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        let label = |l: &str| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !host.split('.').all(label) {
            return bad();
        }
    }
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return bad();
    }
    Ok(())
}

/// `[\w][\w.-]{0,127}`.
fn check_tag(t: &str) -> Parsed<()> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut b = t.bytes();
    let ok = t.len() <= 128
        && b.next().is_some_and(word)
        && b.all(|c| word(c) || matches!(c, b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(bad!("tag \"{t}\": up to 128 letters, digits, _ . -, not starting with . or -"))
    }
}

/// A digest as the engine checks it: `sha256:` and 64 lowercase hex digits (other algorithms
/// are not supported).
fn check_digest(d: &str) -> Parsed<()> {
    let Some((algorithm, hex)) = d.split_once(':') else {
        return Err(bad!("\"{d}\" is not a digest: write sha256: and 64 hex digits"));
    };
    if algorithm != "sha256" {
        return Err(bad!("digest algorithm \"{algorithm}\" is not supported: use sha256"));
    }
    if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return Err(bad!(
            "a sha256 digest has 64 lowercase hex digits; this one has {}",
            if hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                format!("{} digits", hex.len())
            } else {
                "other characters".to_string()
            }
        ));
    }
    Ok(())
}

/// A path component: lowercase letters and digits, with `.`, `_`, `__` or runs of `-` between.
fn is_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        // A separator: ".", "_", "__" or a run of "-", between alphanumerics.
        let start = i;
        match ch {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i >= b.len() || !b[i].is_ascii_lowercase() && !b[i].is_ascii_digit() || start == 0 {
            return false;
        }
    }
    true
}

/// The reference as `(repository as typed, tag)`: what the run and commit dialogs need.
pub fn parse_image_ref(input: &str) -> Parsed<(String, Option<String>)> {
    let r = ImageRef::parse(input)?;
    let s = input.trim();
    let repo = s.split('@').next().unwrap_or(s);
    let repo = match (&r.tag, repo.rfind(':')) {
        (Some(_), Some(at)) => &repo[..at],
        _ => repo,
    };
    Ok((repo.to_string(), r.tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalize_like_docker() {
        let r = |s: &str| ImageRef::parse(s).unwrap();
        let busybox = r("busybox");
        assert_eq!(
            (busybox.domain.as_str(), busybox.path.as_str()),
            ("docker.io", "library/busybox")
        );
        assert_eq!(busybox.familiar(), "busybox:latest");
        assert!(busybox.is_official());
        assert_eq!(r("library/busybox:1.36").familiar(), "busybox:1.36");
        assert_eq!(r("docker.io/library/busybox").familiar(), "busybox:latest");
        assert_eq!(r("index.docker.io/team/app").name(), "docker.io/team/app");
        let local = r("localhost:5000/team/app:dev");
        assert_eq!(local.familiar(), "localhost:5000/team/app:dev");
        assert!(!local.is_official());
        assert_eq!(r("localhost/app").domain, "localhost");
        let pinned = format!("app@sha256:{}", "a".repeat(64));
        assert_eq!(r(&pinned).familiar(), pinned);
        assert_eq!(r(&pinned).tag_or_latest(), None);
        assert_eq!(r("[::1]:5000/app").domain, "[::1]:5000");
        assert_eq!(
            parse_image_ref("127.0.0.1:5000/team/app:1.2").unwrap(),
            ("127.0.0.1:5000/team/app".into(), Some("1.2".into()))
        );
        assert_eq!(parse_image_ref("busybox").unwrap(), ("busybox".into(), None));
    }

    #[test]
    fn bad_references_say_why() {
        let e = |s: &str| ImageRef::parse(s).unwrap_err();
        assert!(e("Busybox").contains("lowercase"));
        assert!(e("app:-x").contains("tag"));
        assert!(e("app:").contains("tag"));
        assert!(e("a//b").contains("\"\" in the image name"));
        assert!(e("a___b").contains("image name"));
        assert!(ImageRef::parse("a__b_c.d-e--f").is_ok());
        assert!(e(&format!("app@sha256:{}", "a".repeat(34))).contains("34 digits"));
        assert!(e(&format!("app@sha256:{}", "A".repeat(64))).contains("lowercase"));
        assert!(e(&format!("app@md5:{}", "a".repeat(32))).contains("not supported"));
        assert!(e(&format!("x.io/{}", "a".repeat(256))).contains("at most 255"));
        assert!(e(&"b".repeat(64)).contains("image id"));
        assert!(e("[fe80::1%eth0]:5000/app").contains("registry address"));
    }
}
