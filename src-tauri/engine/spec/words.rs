//! Shell words: a command line split as a POSIX shell splits it, and words quoted back for one.

use super::Parsed;

/// Split a command line the way a POSIX shell splits words: whitespace separates, single quotes
/// are literal, double quotes allow `\"`, `\\`, `\$` and `` \` `` escapes, a backslash outside
/// quotes escapes the next character. No expansion of any kind.
pub fn split_words(input: &str) -> Parsed<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            // What a POSIX shell splits on (IFS): a non-breaking space is part of a word.
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => cur.push(e),
                            Some('\n') => {}
                            Some(o) => {
                                cur.push('\\');
                                cur.push(o);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(e) => {
                    in_word = true;
                    cur.push(e);
                }
                None => return Err("a backslash at the end escapes nothing".into()),
            },
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Quote one word for a POSIX shell: left bare when it is plainly safe, else single-quoted.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"sh -c 'echo "hi there"'"#).unwrap(),
            vec!["sh", "-c", "echo \"hi there\""]
        );
        assert_eq!(split_words(r#"a\ b "c\"d" ''"#).unwrap(), vec!["a b", "c\"d", ""]);
        assert!(split_words("echo 'x").is_err());
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
        for w in ["", "a b", "it's", "$HOME", "a\"b", "x\\y", "\n"] {
            assert_eq!(split_words(&shell_quote(w)).unwrap(), vec![w.to_string()], "{w:?}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn quoting_round_trips(words in proptest::collection::vec("\\PC*", 0..6)) {
                let line = words.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ");
                prop_assert_eq!(split_words(&line).unwrap(), words);
            }
        }
    }
}
