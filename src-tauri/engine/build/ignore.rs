//! `.dockerignore`, matched as the engine's builders match it (moby `patternmatcher`, read as
//! buildkit's `dockerignore.ReadAll` reads the file): one pattern per line, `#` comments, a
//! leading `!` re-includes, the last pattern that matches a path decides, and a pattern that
//! matches a directory matches everything under it. Within a pattern, `*` is any run of
//! characters but `/`, `?` one such character, `[...]` a class, `**` any number of directories
//! and `\` escapes the next character.

use regex::Regex;

#[derive(Debug, Clone)]
struct Pattern {
    /// As cleaned, for telling which directories a `!` pattern reaches into.
    text: String,
    regex: Regex,
    /// `!pattern`: a match includes the path again.
    include: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

/// `path` as Go's `filepath.Clean` leaves it, with `/` separators.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// The regular expression patternmatcher makes of a cleaned pattern.
fn compile(pattern: &str) -> Option<Regex> {
    let mut re = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                re.push_str(if chars.peek().is_none() { ".*" } else { "(.*/)?" });
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '\\' => match chars.next() {
                Some(next) => re.push_str(&regex::escape(&next.to_string())),
                None => re.push_str("\\\\"),
            },
            '[' => {
                // A class, as Go writes one: `^` negates, `\` escapes inside it too.
                let mut class = String::from("[");
                if chars.peek() == Some(&'^') {
                    chars.next();
                    class.push('^');
                }
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        ']' => {
                            closed = true;
                            break;
                        }
                        '\\' => class.push_str(&regex::escape(&chars.next()?.to_string())),
                        '-' => class.push('-'),
                        c => class.push_str(&regex::escape(&c.to_string())),
                    }
                }
                if !closed || class.len() == 1 {
                    return None;
                }
                re.push_str(&class);
                re.push(']');
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).ok()
}

impl Ignore {
    /// The patterns of a `.dockerignore` file. Lines that do not make a pattern (a bad class)
    /// are left out, as the engine refuses them only when it meets them.
    pub fn parse(text: &str) -> Self {
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim_start_matches('\u{feff}').trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (include, rest) = match line.strip_prefix('!') {
                Some(r) => (true, r.trim()),
                None => (false, line),
            };
            let mut cleaned = clean(rest);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            if let Some(regex) = compile(&cleaned) {
                patterns.push(Pattern { text: cleaned, regex, include });
            }
        }
        Self { patterns }
    }

    /// Include `path` again whatever else says (the Dockerfile and `.dockerignore` itself are
    /// always sent, as the docker CLI makes sure).
    pub fn keep(&mut self, path: &str) {
        let text = clean(path);
        if let Ok(regex) = Regex::new(&format!("^{}$", regex::escape(&text))) {
            self.patterns.push(Pattern { text, regex, include: true });
        }
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out of the context: the
    /// last pattern matching it or one of its parent directories decides.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        let parents: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
        let mut out = false;
        for p in &self.patterns {
            let hit = p.regex.is_match(&path) || parents.iter().any(|d| p.regex.is_match(d));
            if hit {
                out = !p.include;
            }
        }
        out
    }

    /// Whether a `!` pattern reaches under the excluded directory `dir`: only then is it walked
    /// (the docker CLI's rule: the pattern starts with the directory's path).
    pub fn may_include_under(&self, dir: &str) -> bool {
        let prefix = format!("{}/", clean(dir));
        self.patterns.iter().any(|p| p.include && format!("{}/", p.text).starts_with(&prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(rules: &str, cases: &[(&str, bool)]) {
        let ignore = Ignore::parse(rules);
        for (path, excluded) in cases {
            assert_eq!(ignore.excludes(path), *excluded, "{path} with\n{rules}");
        }
    }

    // The examples of docs.docker.com "Build context" > ".dockerignore files".
    #[test]
    fn the_docker_documentations_examples() {
        check(
            "# comment\n*/temp*\n*/*/temp*\ntemp?\n",
            &[
                ("somedir/temporary.txt", true),
                ("somedir/temp", true),
                ("somedir/subdir/temporary.txt", true),
                ("tempa", true),
                ("tempb", true),
                ("temporary.txt", false),
                ("somedir/subdir/deeper/temp", false),
                ("# comment", false),
            ],
        );
        check("**/*.go\n", &[("main.go", true), ("cmd/app/main.go", true), ("main.gox", false)]);
        check(
            "*.md\n!README.md\n",
            &[("notes.md", true), ("README.md", false), ("docs/notes.md", false)],
        );
        // The last line that matches decides.
        check(
            "*.md\n!README*.md\nREADME-secret.md\n",
            &[("README-secret.md", true), ("README-public.md", false), ("other.md", true)],
        );
        check(
            "*.md\nREADME-secret.md\n!README*.md\n",
            &[("README-secret.md", false), ("other.md", true)],
        );
    }

    #[test]
    fn a_directory_takes_what_is_under_it_and_paths_are_cleaned() {
        check(
            "node_modules\n/build/\n./dist\n",
            &[
                ("node_modules/a/b.js", true),
                ("build/out.o", true),
                ("dist", true),
                ("src/node_modules", false),
                ("src/main.c", false),
            ],
        );
        check("**\n!src\n", &[("src/a.c", false), ("README", true)]);
        check("a/**/b\n", &[("a/b", true), ("a/x/y/b", true), ("a/x/c", false)]);
        check("[a-c]at\n!?at\n", &[("bat", false)]);
        check("[a-c]at\n", &[("bat", true), ("rat", false)]);
        check("\\*star\n", &[("*star", true), ("xstar", false)]);
        check("file.txt\n", &[("filextxt", false), ("file.txt", true)]);
    }

    #[test]
    fn the_dockerfile_is_kept_however_it_is_ignored() {
        let mut ignore = Ignore::parse("*\n");
        ignore.keep("Dockerfile");
        ignore.keep(".dockerignore");
        assert!(!ignore.excludes("Dockerfile") && !ignore.excludes(".dockerignore"));
        assert!(ignore.excludes("src/main.c"));
    }
}
