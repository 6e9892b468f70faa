//! The label selector string form: lexer and recursive-descent parser, following
//! Kubernetes' `labels.Parse`.
//!
//! Deliberate differences, all accepting more than Kubernetes and never less:
//! `gt`/`lt` may also be used as keys and values (so every valid requirement prints to
//! a parseable string), the old symbols `>`/`<` are accepted for `gt`/`lt`, and empty
//! entries are allowed anywhere in an `in (...)` list (`(a,,)`).

use super::label::{Operator, Part, Requirement, Selector, check};
use crate::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A run of characters that are neither whitespace nor special: keys, values,
    /// and the words `in`, `notin`, `gt`, `lt`.
    Word,
    Equals,
    DoubleEquals,
    NotEquals,
    Bang,
    Greater,
    Less,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    /// Character (not byte) offset in the input, for error messages.
    pos: usize,
}

/// Whitespace between tokens, as Kubernetes' lexer has it.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn lex(input: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    let mut pos = 0;
    loop {
        while chars.next_if(|&(_, c)| is_space(c)).is_some() {
            pos += 1;
        }
        let Some((start, c)) = chars.next() else {
            tokens.push(Token {
                kind: Kind::End,
                text: "",
                pos,
            });
            return tokens;
        };
        let token_pos = pos;
        pos += 1;
        let mut second = |want: char| {
            let found = chars.next_if(|&(_, c)| c == want).is_some();
            if found {
                pos += 1;
            }
            found
        };
        let kind = match c {
            '=' if second('=') => Kind::DoubleEquals,
            '=' => Kind::Equals,
            '!' if second('=') => Kind::NotEquals,
            '!' => Kind::Bang,
            '(' => Kind::OpenParen,
            ')' => Kind::CloseParen,
            ',' => Kind::Comma,
            '>' => Kind::Greater,
            '<' => Kind::Less,
            _ => {
                while chars
                    .next_if(|&(_, c)| !is_space(c) && !is_special(c))
                    .is_some()
                {
                    pos += 1;
                }
                Kind::Word
            }
        };
        let end = chars.peek().map_or(input.len(), |&(i, _)| i);
        tokens.push(Token {
            kind,
            text: input.get(start..end).unwrap_or_default(),
            pos: token_pos,
        });
    }
}

/// Parses a label selector's string form.
pub(super) fn parse(input: &str) -> Result<Selector, Error> {
    let mut parser = Parser {
        input,
        tokens: lex(input),
        at: 0,
    };
    parser.selector()
}

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Token<'a>>,
    at: usize,
}

/// How a token is named in error messages.
fn found(token: Token<'_>) -> String {
    if token.kind == Kind::End {
        "end of input".to_owned()
    } else {
        format!("'{}'", token.text)
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token<'a> {
        self.tokens.get(self.at).copied().unwrap_or(Token {
            kind: Kind::End,
            text: "",
            pos: self.input.chars().count(),
        })
    }

    fn next(&mut self) -> Token<'a> {
        let token = self.peek();
        if self.at < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn error(&self, pos: usize, message: impl std::fmt::Display) -> Error {
        Error::InvalidSelector {
            input: self.input.to_owned(),
            reason: format!("at position {pos}: {message}"),
        }
    }

    fn selector(&mut self) -> Result<Selector, Error> {
        let mut requirements = Vec::new();
        let first = self.peek();
        match first.kind {
            Kind::End => return Ok(Selector::everything()),
            Kind::Word | Kind::Bang => {}
            _ => {
                return Err(self.error(
                    first.pos,
                    format_args!(
                        "expected a key, '!' or end of input, found {}",
                        found(first)
                    ),
                ));
            }
        }
        loop {
            requirements.push(self.requirement()?);
            let separator = self.next();
            match separator.kind {
                Kind::End => break,
                Kind::Comma => {
                    let after = self.peek();
                    if !matches!(after.kind, Kind::Word | Kind::Bang) {
                        return Err(self.error(
                            after.pos,
                            format_args!("expected a key or '!' after ',', found {}", found(after)),
                        ));
                    }
                }
                _ => {
                    return Err(self.error(
                        separator.pos,
                        format_args!("expected ',' or end of input, found {}", found(separator)),
                    ));
                }
            }
        }
        Ok(requirements.into_iter().collect())
    }

    fn requirement(&mut self) -> Result<Requirement, Error> {
        let first = self.next();
        let negated = first.kind == Kind::Bang;
        let key = if negated { self.next() } else { first };
        if key.kind != Kind::Word {
            let what = if negated { "a key after '!'" } else { "a key" };
            return Err(self.error(
                key.pos,
                format_args!("expected {what}, found {}", found(key)),
            ));
        }
        let after_key = self.peek();
        let bare = matches!(after_key.kind, Kind::End | Kind::Comma);
        if negated && !bare {
            return Err(self.error(
                after_key.pos,
                format_args!(
                    "expected ',' or end of input after '!{}', found {}",
                    key.text,
                    found(after_key)
                ),
            ));
        }
        if bare {
            let operator = if negated {
                Operator::DoesNotExist
            } else {
                Operator::Exists
            };
            return self.finish(key, operator, after_key.pos, Vec::new());
        }

        let op = self.next();
        let operator = match (op.kind, op.text) {
            (Kind::Equals | Kind::DoubleEquals, _) => Operator::Equals,
            (Kind::NotEquals, _) => Operator::NotEquals,
            (Kind::Greater, _) | (Kind::Word, "gt") => Operator::GreaterThan,
            (Kind::Less, _) | (Kind::Word, "lt") => Operator::LessThan,
            (Kind::Word, "in") => Operator::In,
            (Kind::Word, "notin") => Operator::NotIn,
            _ => {
                return Err(self.error(
                    op.pos,
                    format_args!(
                        "expected an operator ('=', '==', '!=', 'in', 'notin', 'gt' or 'lt') \
                         after key '{}', found {}",
                        key.text,
                        found(op)
                    ),
                ));
            }
        };

        let mut values = Vec::new();
        if matches!(operator, Operator::In | Operator::NotIn) {
            let open = self.next();
            if open.kind != Kind::OpenParen {
                return Err(self.error(
                    open.pos,
                    format_args!("expected '(' after '{}', found {}", op.text, found(open)),
                ));
            }
            loop {
                // Entries may be empty: `()` and `(a,)` hold the empty value.
                let entry = self.peek();
                let has_word = entry.kind == Kind::Word;
                if has_word {
                    self.next();
                }
                values.push((entry.text_if(has_word), entry.pos));
                let separator = self.next();
                match separator.kind {
                    Kind::Comma => {}
                    Kind::CloseParen => break,
                    _ => {
                        let expected = if has_word {
                            "',' or ')'"
                        } else {
                            "a value, ',' or ')'"
                        };
                        return Err(self.error(
                            separator.pos,
                            format_args!("expected {expected}, found {}", found(separator)),
                        ));
                    }
                }
            }
        } else {
            let value = self.peek();
            match value.kind {
                Kind::End | Kind::Comma => values.push(("", value.pos)),
                Kind::Word => {
                    self.next();
                    values.push((value.text, value.pos));
                }
                _ => {
                    return Err(self.error(
                        value.pos,
                        format_args!(
                            "expected a value after '{}', found {}",
                            op.text,
                            found(value)
                        ),
                    ));
                }
            }
        }
        self.finish(key, operator, op.pos, values)
    }

    /// Validates and builds the requirement, reporting problems at the offending token.
    fn finish(
        &self,
        key: Token<'a>,
        operator: Operator,
        operator_pos: usize,
        values: Vec<(&'a str, usize)>,
    ) -> Result<Requirement, Error> {
        let texts: Vec<String> = values.iter().map(|(v, _)| (*v).to_owned()).collect();
        match check(key.text, operator, &texts) {
            Ok(bound) => Ok(Requirement::from_checked(
                key.text.to_owned(),
                operator,
                texts,
                bound,
            )),
            Err((part, reason)) => {
                let pos = match part {
                    Part::Key => key.pos,
                    Part::Value(i) => values.get(i).map_or(operator_pos, |(_, pos)| *pos),
                    Part::Operator => operator_pos,
                };
                Err(self.error(pos, reason))
            }
        }
    }
}

impl<'a> Token<'a> {
    fn text_if(self, present: bool) -> &'a str {
        if present { self.text } else { "" }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn valid_strings_and_canonical_form() {
        let long_key = format!("{}/{}", "a".repeat(253), "b".repeat(63));
        let long_key_text = format!("{long_key}=x");
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("   ", ""),
            ("a=b", "a=b"),
            ("a==b", "a=b"),
            ("a!=b", "a!=b"),
            ("a=", "a="),
            ("a!=", "a!="),
            ("a==,b", "a=,b"),
            (" a = b , c != d ", "a=b,c!=d"),
            ("\ta\n=\rb", "a=b"),
            ("x in (b,a,b)", "x in (a,b)"),
            ("x in(a)", "x in (a)"),
            ("x notin ( a , b )", "x notin (a,b)"),
            ("x in ()", "x in ()"),
            ("x in (,)", "x in ()"),
            ("x in (,a)", "x in (,a)"),
            ("x in (a,)", "x in (,a)"),
            ("x in (a,,b)", "x in (,a,b)"),
            ("x in (a,,)", "x in (,a)"),
            ("a", "a"),
            ("!a", "!a"),
            ("! a", "!a"),
            ("n gt 3", "n gt 3"),
            ("n lt 007", "n lt 007"),
            ("n>3", "n gt 3"),
            ("n < 3", "n lt 3"),
            ("b=1,a=2", "a=2,b=1"),
            (
                "a=b,c!=d,e in (x,y),f notin (z),g,!h,n gt 3",
                "a=b,c!=d,e in (x,y),f notin (z),g,!h,n gt 3",
            ),
            (
                "a notin (x),a in (x),a!=x,a=x,!a,a",
                "a=x,a!=x,a in (x),a notin (x),a,!a",
            ),
            ("a=b,a=b", "a=b,a=b"),
            ("in=in", "in=in"),
            ("notin in (in,notin)", "notin in (in,notin)"),
            ("gt gt 1", "gt gt 1"),
            ("lt=gt", "lt=gt"),
            ("in", "in"),
            ("!notin", "!notin"),
            ("app.kubernetes.io/name=web", "app.kubernetes.io/name=web"),
            ("A_b-C.d=X.y_Z-9", "A_b-C.d=X.y_Z-9"),
            (&long_key_text, &long_key_text),
        ];
        for (input, canonical) in cases {
            let selector = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(selector.to_string(), *canonical, "{input:?}");
            assert_eq!(parse(canonical).unwrap(), selector, "{input:?}");
        }
    }

    #[test]
    fn invalid_strings() {
        let cases: &[(&str, &str)] = &[
            (
                "a=b,c=d)",
                "at position 7: expected ',' or end of input, found ')'",
            ),
            (
                "a=b,",
                "at position 4: expected a key or '!' after ',', found end of input",
            ),
            (
                ",a",
                "at position 0: expected a key, '!' or end of input, found ','",
            ),
            (
                "a=b,,c",
                "at position 4: expected a key or '!' after ',', found ','",
            ),
            ("a b", "at position 2: expected an operator"),
            (
                "a=b c",
                "at position 4: expected ',' or end of input, found 'c'",
            ),
            (
                "!",
                "at position 1: expected a key after '!', found end of input",
            ),
            ("!!a", "at position 1: expected a key after '!', found '!'"),
            (
                "!a=b",
                "at position 2: expected ',' or end of input after '!a', found '='",
            ),
            (
                "a===b",
                "at position 3: expected a value after '==', found '='",
            ),
            (
                "a=(b)",
                "at position 2: expected a value after '=', found '('",
            ),
            (
                "a in b",
                "at position 5: expected '(' after 'in', found 'b'",
            ),
            (
                "a in (b",
                "at position 7: expected ',' or ')', found end of input",
            ),
            (
                "a in (b c)",
                "at position 8: expected ',' or ')', found 'c'",
            ),
            (
                "a in (",
                "at position 6: expected a value, ',' or ')', found end of input",
            ),
            (
                "a in (!)",
                "at position 6: expected a value, ',' or ')', found '!'",
            ),
            (
                "a in",
                "at position 4: expected '(' after 'in', found end of input",
            ),
            (
                "a gt",
                "at position 4: 'gt' and 'lt' need an integer value, found \"\"",
            ),
            (
                "a gt x",
                "at position 5: 'gt' and 'lt' need an integer value, found \"x\"",
            ),
            ("a lt 99999999999999999999", "need an integer value"),
            (
                "a gt -1",
                "at position 5: invalid value \"-1\" for key \"a\"",
            ),
            (
                "a>=1",
                "at position 2: expected a value after '>', found '='",
            ),
            ("-a=b", "at position 0: invalid key \"-a\""),
            ("a/b/c=d", "at most one '/'"),
            ("Ex.com/a=b", "DNS-1123"),
            (
                "a=b/c",
                "at position 2: invalid value \"b/c\" for key \"a\"",
            ),
            ("a in (ok,-bad)", "at position 9: invalid value \"-bad\""),
            ("é=b", "at position 0: invalid key \"é\""),
            ("é,a=b,ü=", "at position 0: invalid key"),
            ("a=b,ü=c", "at position 4: invalid key \"ü\""),
            ("ü=c d", "at position 0: invalid key"),
            ("a=é b", "at position 2: invalid value \"é\""),
            ("ééé=b c", "at position 0"),
            ("a=b,ééé c", "at position 8: expected an operator"),
            ("a=b\0", "invalid value"),
        ];
        for (input, fragment) in cases {
            let err = parse(input).expect_err(input);
            let Error::InvalidSelector {
                input: echoed,
                reason,
            } = &err
            else {
                panic!("{input:?}: wrong error {err:?}");
            };
            assert_eq!(echoed, input);
            assert!(reason.contains(fragment), "{input:?}: {reason}");
        }
        let too_long = format!("a={}", "v".repeat(64));
        assert!(
            parse(&too_long)
                .unwrap_err()
                .to_string()
                .contains("at most 63")
        );
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for input in [
            "(",
            ")",
            "=",
            "==",
            "!=",
            "<",
            ">",
            "\u{0}",
            "日本=語",
            "a=\u{10FFFF}",
            "🙂 in (🙂)",
        ] {
            let _ = parse(input);
        }
    }
}
