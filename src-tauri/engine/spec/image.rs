//! Image references, as the engine accepts them.

use super::ports::parse_port_number;
use super::Parsed;

/// An image reference: `[registry[:port]/]name[/name...][:tag][@digest]`, as the engine
/// accepts it (lowercase name components; tags of up to 128 word characters, `.` and `-`).
pub fn parse_image_ref(input: &str) -> Parsed<(String, Option<String>)> {
    let s = input.trim();
    if s.is_empty() {
        return Err("choose an image".into());
    }
    let (s, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty()
                && alg.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            return Err(format!("\"{d}\" is not a digest (sha256:...)"));
        }
    }
    let last_slash = s.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match s[last_slash..].rfind(':') {
        Some(i) => (&s[..last_slash + i], Some(&s[last_slash + i + 1..])),
        None => (s, None),
    };
    if let Some(t) = tag {
        let mut b = t.bytes();
        let ok = t.len() <= 128
            && matches!(b.next(), Some(c) if c.is_ascii_alphanumeric() || c == b'_')
            && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
        if !ok {
            return Err(format!(
                "tag \"{t}\": up to 128 letters, digits, _ . -, not starting with . or -"
            ));
        }
    }
    let mut components: Vec<&str> = name.split('/').collect();
    if components.len() > 1 {
        let first = components[0];
        if first.contains('.') || first.contains(':') || first == "localhost" {
            let (host, port) = match first.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (first, None),
            };
            let host_ok = !host.is_empty()
                && host.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                });
            let port_ok = port.is_none_or(|p| parse_port_number(p, "registry port").is_ok());
            if !host_ok || !port_ok {
                return Err(format!("\"{first}\" is not a registry address"));
            }
            components.remove(0);
        }
    }
    for c in &components {
        if !is_path_component(c) {
            return Err(format!(
                "\"{c}\" in the image name: lowercase letters and digits, joined by . _ __ or -"
            ));
        }
    }
    Ok((name.to_string(), tag.map(str::to_string)))
}

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
        if i >= b.len() || !b[i].is_ascii_alphanumeric() || start == 0 {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        assert_eq!(parse_image_ref("busybox").unwrap(), ("busybox".into(), None));
        assert_eq!(
            parse_image_ref("127.0.0.1:5000/team/app:1.2").unwrap(),
            ("127.0.0.1:5000/team/app".into(), Some("1.2".into()))
        );
        assert!(parse_image_ref("localhost/app").is_ok());
        assert!(parse_image_ref("Busybox").is_err());
        assert!(parse_image_ref("app:-x").is_err());
        assert!(parse_image_ref("app:").is_err());
        assert!(parse_image_ref("a//b").is_err());
        assert!(parse_image_ref("a__b_c.d-e--f").is_ok());
        assert!(parse_image_ref("a___b").is_err());
    }
}
