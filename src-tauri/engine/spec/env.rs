//! `-e` and `-l`: `KEY=VALUE` rows, and pasted `.env` blocks.

use super::Parsed;

/// `K=V` (V may be empty, and may hold `=`).
pub fn parse_key_value(input: &str, what: &str) -> Parsed<(String, String)> {
    let (k, v) = input
        .split_once('=')
        .ok_or_else(|| format!("{what} needs KEY=VALUE (KEY= for an empty value)"))?;
    if k.is_empty() {
        return Err(format!("{what} needs a name before '='"));
    }
    if k.chars().any(|c| c.is_whitespace() || c == '\0') || v.contains('\0') {
        return Err(format!("{what} name \"{}\" holds whitespace", k.escape_debug()));
    }
    Ok((k.to_string(), v.to_string()))
}

/// A pasted `.env` block: `KEY=VALUE` lines, `export ` prefixes, `#` comments, blank lines,
/// values in single quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes). Returns the
/// entries as `KEY=VALUE`, or the first bad line with its number.
pub fn parse_env_block(block: &str) -> Parsed<Vec<String>> {
    let mut out = Vec::new();
    for (i, raw) in block.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let (k, v) =
            parse_key_value(line, "variable").map_err(|e| format!("line {}: {e}", i + 1))?;
        let k = k.trim_end().to_string();
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
        assert!(parse_env_block("A=1\nB='x").unwrap_err().starts_with("line 2"));
    }
}
