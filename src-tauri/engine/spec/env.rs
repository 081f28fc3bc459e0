//! `-e` and `-l`: `KEY=VALUE` rows, kept exactly as typed (as `docker run -e` and `-l` keep
//! them), and `.env` blocks, read by `.env` rules where the user asks for that.

use super::{Invalid, Parsed};

/// The name before the first `=`, checked: not empty, no whitespace, no NUL.
fn name<'a>(key: &'a str, what: &str) -> Parsed<&'a str> {
    if key.is_empty() {
        return Err(bad!("{what} needs a name before '='"));
    }
    if key.chars().any(|c| c.is_whitespace() || c == '\0') {
        return Err(bad!("{what} name \"{}\" holds whitespace", key.escape_debug()));
    }
    Ok(key)
}

/// A `-e` row: `KEY=VALUE`, the value exactly as typed (spaces, quotes and `#` included; it
/// may be empty and may hold `=`). Spaces before the name are ignored.
pub fn parse_env_row(input: &str) -> Parsed<(String, String)> {
    let row = input.trim_start();
    let (k, v) = row.split_once('=').ok_or_else(|| {
        format!("\"{row}\" needs a value: write {row}=value ({row}= for an empty one)")
    })?;
    if v.contains('\0') {
        return Err("a value cannot hold a NUL character".into());
    }
    Ok((name(k, "a variable")?.to_string(), v.to_string()))
}

/// A `-l` row: `KEY=VALUE` or just `KEY` (an empty value), the value exactly as typed.
pub fn parse_label_row(input: &str) -> Parsed<(String, String)> {
    let row = input.trim_start();
    let (k, v) = row.split_once('=').unwrap_or((row.trim_end(), ""));
    if v.contains('\0') {
        return Err("a value cannot hold a NUL character".into());
    }
    Ok((name(k, "a label")?.to_string(), v.to_string()))
}

/// `K=V` (V may be empty, and may hold `=`).
pub fn parse_key_value(input: &str, what: &str) -> Parsed<(String, String)> {
    let (k, v) = input
        .split_once('=')
        .ok_or_else(|| format!("{what} needs KEY=VALUE (KEY= for an empty value)"))?;
    if v.contains('\0') {
        return Err("a value cannot hold a NUL character".into());
    }
    Ok((name(k, what)?.to_string(), v.to_string()))
}

/// A `.env` block, by `.env` rules (as compose reads an env file, without expanding `$VAR`):
/// `KEY=VALUE` lines, `export ` prefixes, `#` comments, blank lines, spaces around `=`, values in
/// single quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes), a ` #` comment after an
/// unquoted value. Returns the entries as exact `KEY=VALUE` rows, or the first bad line.
/// Own parser: dotenv crates expand `$VAR` from this machine, which Docker does not.
pub fn parse_env_block(block: &str) -> Parsed<Vec<String>> {
    let block = block.strip_prefix('\u{feff}').unwrap_or(block);
    let mut out = Vec::new();
    for (i, raw) in block.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let at = |e: Invalid| bad!("line {}: {e}", i + 1);
        let (k, v) = line.split_once('=').ok_or_else(|| at(bad!("\"{line}\" needs KEY=VALUE")))?;
        let k = name(k.trim_end(), "a variable").map_err(at)?.to_string();
        let v = v.trim_start();
        let value = if let Some(inner) = v.strip_prefix('\'') {
            inner
                .strip_suffix('\'')
                .ok_or_else(|| format!("line {}: unterminated single quote", i + 1))?
                .to_string()
        } else if let Some(inner) = v.strip_prefix('"') {
            let inner = inner
                .strip_suffix('"')
                .ok_or_else(|| format!("line {}: unterminated double quote", i + 1))?;
            let mut s = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some(o) => s.push(o),
                        None => s.push('\\'),
                    }
                } else {
                    s.push(c);
                }
            }
            s
        } else {
            // Unquoted: a trailing " # comment" is not part of the value.
            match v.find(" #") {
                Some(at) => v[..at].trim_end().to_string(),
                None => v.trim_end().to_string(),
            }
        };
        out.push(format!("{k}={value}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_env_blocks() {
        assert_eq!(parse_key_value("K=a=b", "v").unwrap(), ("K".into(), "a=b".into()));
        assert!(parse_key_value("K", "variable").unwrap_err().contains("KEY=VALUE"));
        assert!(parse_key_value("=v", "variable").is_err());
        let block = "# db\nexport DB_HOST=db\nPASS='a b#c'\nMSG=\"line\\nnext\"\n\nX=1 # note\n";
        assert_eq!(
            parse_env_block(block).unwrap(),
            vec!["DB_HOST=db", "PASS=a b#c", "MSG=line\nnext", "X=1"]
        );
        assert!(parse_env_block("A=1\nB='x").unwrap_err().0.starts_with("line 2"));
    }
}
