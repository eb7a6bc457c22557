//! Reading order lines (`count: 3,{1,2},4`): the count, then the order, through a fast path for
//! plain lists and a tokenizer for everything else.

use super::{Orders, PreflibErrorKind, list_numbers, quote};
use crate::responses::{RankEntry, Respondent};

impl Orders {
    /// Reads one `count: order` line (already trimmed).
    pub(super) fn order_line(&mut self, text: &str) -> Result<(), PreflibErrorKind> {
        let (count_text, order_text) = text
            .split_once(':')
            .ok_or(PreflibErrorKind::MissingSeparator)?;
        let count = parse_count(count_text)?;
        let order_number = self.respondents.len() as u64 + 1;
        let start = self.entries.len();
        self.read_order(order_text, order_number)?;
        let listed = self.entries.len() - start;
        if self.data_type.is_complete() && listed != self.alternative_count as usize {
            let missing: Vec<usize> = (0..self.alternative_count as usize)
                .filter(|&index| self.last_listed_in[index] != order_number)
                .collect();
            return Err(PreflibErrorKind::IncompleteOrder {
                listed,
                declared: self.alternative_count,
                data_type: self.data_type,
                missing: list_numbers(missing.iter().map(|index| index + 1), missing.len()),
            });
        }
        self.respondents.push(Respondent {
            id: format!("o{order_number}"),
            group: 0,
            count,
        });
        self.offsets.push(self.entries.len());
        self.voter_total = self.voter_total.saturating_add(u64::from(count));
        Ok(())
    }

    /// The fast path for the common line, a plain list of numbers (`3,1,2`, spaces allowed):
    /// reads it straight from the bytes and returns `true`. Anything else (ties, a bad or
    /// repeated alternative, an empty place) undoes what it read and returns `false`, so that
    /// the general reader below handles the line and words its error.
    fn read_strict_order(&mut self, text: &str, order_number: u64) -> bool {
        let bytes = text.as_bytes();
        let start = self.entries.len();
        let mut position = 0;
        let mut expect_number = true;
        let undo = |orders: &mut Self| {
            for entry in orders.entries.drain(start..) {
                orders.last_listed_in[entry.item as usize] = 0;
            }
            false
        };
        while position < bytes.len() {
            let byte = bytes[position];
            if byte == b' ' || byte == b'\t' {
                position += 1;
                continue;
            }
            if expect_number {
                let mut number: u64 = 0;
                let digits_start = position;
                while position < bytes.len()
                    && bytes[position].is_ascii_digit()
                    && position - digits_start < 12
                {
                    number = number * 10 + u64::from(bytes[position] - b'0');
                    position += 1;
                }
                if position == digits_start
                    || number == 0
                    || number > u64::from(self.alternative_count)
                    || self.last_listed_in[(number - 1) as usize] == order_number
                {
                    return undo(self);
                }
                let item = (number - 1) as u32;
                self.last_listed_in[item as usize] = order_number;
                let rank = (self.entries.len() - start) as u32 + 1;
                self.entries.push(RankEntry { item, rank });
                expect_number = false;
            } else if byte == b',' {
                position += 1;
                expect_number = true;
            } else {
                return undo(self);
            }
        }
        // An empty order, or a trailing comma, is for the general reader to judge.
        if expect_number {
            return undo(self);
        }
        true
    }

    /// Reads the order after the `:` into `entries`, giving each place its competition rank.
    ///
    /// The grammar, with whitespace allowed between tokens:
    /// `order = "" | place ("," place)*`, `place = number | "{" number ("," number)* "}"`.
    fn read_order(&mut self, text: &str, order_number: u64) -> Result<(), PreflibErrorKind> {
        if self.read_strict_order(text, order_number) {
            return Ok(());
        }
        let mut tokens = Tokens { rest: text }.peekable();
        if tokens.peek().is_none() {
            // An empty order: a voter who ranked nothing. Only an incomplete type allows it,
            // which the completeness check in `order_line` sees to.
            return Ok(());
        }
        let start = self.entries.len();
        let mut listed_before = 0_u32;
        loop {
            let rank = listed_before + 1;
            match tokens.next() {
                Some(Token::Number(digits)) => {
                    let item = self.alternative(digits, order_number)?;
                    self.entries.push(RankEntry { item, rank });
                }
                Some(Token::Open) => {
                    let tie_start = self.entries.len();
                    self.read_tie(&mut tokens, rank, order_number)?;
                    let tie = &self.entries[tie_start..];
                    if tie.len() > 1 && self.data_type.is_strict() {
                        let members: Vec<String> = tie
                            .iter()
                            .map(|entry| (entry.item + 1).to_string())
                            .collect();
                        return Err(PreflibErrorKind::TieInStrictOrder {
                            tie: format!("{{{}}}", members.join(",")),
                            data_type: self.data_type,
                        });
                    }
                }
                Some(Token::Word(word)) => {
                    return Err(PreflibErrorKind::BadAlternative { text: quote(word) });
                }
                Some(Token::Close) => return Err(PreflibErrorKind::UnopenedTie),
                Some(Token::Comma) | None => return Err(PreflibErrorKind::EmptyPlace),
            }
            // At most MAX_ALTERNATIVES, as an order lists each alternative once at most.
            listed_before = (self.entries.len() - start) as u32;
            match tokens.next() {
                None => return Ok(()),
                Some(Token::Comma) => {}
                Some(Token::Close) => return Err(PreflibErrorKind::UnopenedTie),
                Some(Token::Open) => {
                    return Err(PreflibErrorKind::MissingComma {
                        before: "{".to_string(),
                    });
                }
                Some(Token::Number(word) | Token::Word(word)) => {
                    return Err(PreflibErrorKind::MissingComma {
                        before: quote(word),
                    });
                }
            }
        }
    }

    /// Reads the members of a tie after its `{`, up to and including the `}`.
    fn read_tie<'t>(
        &mut self,
        tokens: &mut impl Iterator<Item = Token<'t>>,
        rank: u32,
        order_number: u64,
    ) -> Result<(), PreflibErrorKind> {
        let mut first = true;
        loop {
            match tokens.next() {
                Some(Token::Number(digits)) => {
                    let item = self.alternative(digits, order_number)?;
                    self.entries.push(RankEntry { item, rank });
                }
                Some(Token::Word(word)) => {
                    return Err(PreflibErrorKind::BadAlternative { text: quote(word) });
                }
                Some(Token::Open) => return Err(PreflibErrorKind::NestedTie),
                Some(Token::Close) if first => return Err(PreflibErrorKind::EmptyTie),
                Some(Token::Close | Token::Comma) => return Err(PreflibErrorKind::EmptyPlace),
                None => return Err(PreflibErrorKind::UnclosedTie),
            }
            first = false;
            match tokens.next() {
                Some(Token::Comma) => {}
                Some(Token::Close) => return Ok(()),
                Some(Token::Open) => return Err(PreflibErrorKind::NestedTie),
                Some(Token::Number(word) | Token::Word(word)) => {
                    return Err(PreflibErrorKind::MissingComma {
                        before: quote(word),
                    });
                }
                None => return Err(PreflibErrorKind::UnclosedTie),
            }
        }
    }

    /// Checks an alternative number and that this order has not listed it yet; returns its
    /// item index.
    fn alternative(&mut self, digits: &str, order_number: u64) -> Result<u32, PreflibErrorKind> {
        let number = digits
            .parse::<u64>()
            .ok()
            .filter(|number| (1..=u64::from(self.alternative_count)).contains(number))
            .ok_or_else(|| PreflibErrorKind::AlternativeOutOfRange {
                alternative: quote(digits),
                declared: self.alternative_count,
            })?;
        let index = (number - 1) as usize;
        if self.last_listed_in[index] == order_number {
            return Err(PreflibErrorKind::RepeatedAlternative {
                alternative: number as u32,
            });
        }
        self.last_listed_in[index] = order_number;
        Ok(index as u32)
    }
}

/// A token of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'t> {
    /// A run of ASCII digits.
    Number(&'t str),
    /// Any other run of characters that are neither whitespace nor `{`, `}` or `,`.
    Word(&'t str),
    /// `{`.
    Open,
    /// `}`.
    Close,
    /// `,`.
    Comma,
}

/// Splits an order into tokens, skipping whitespace.
struct Tokens<'t> {
    rest: &'t str,
}

impl<'t> Iterator for Tokens<'t> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        // Bytes, not chars: every delimiter is ASCII, so slicing at them keeps UTF-8 intact,
        // and order lines are long runs of digits where this is much faster.
        let bytes = self.rest.as_bytes();
        let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace());
        let Some(start) = start else {
            // Only ASCII white space left; other white space, if any, is left as a word.
            self.rest = "";
            return None;
        };
        let punctuation = match bytes[start] {
            b'{' => Some(Token::Open),
            b'}' => Some(Token::Close),
            b',' => Some(Token::Comma),
            _ => None,
        };
        if let Some(token) = punctuation {
            self.rest = &self.rest[start + 1..];
            return Some(token);
        }
        let length = bytes[start..]
            .iter()
            .position(|byte| byte.is_ascii_whitespace() || matches!(byte, b'{' | b'}' | b','))
            .unwrap_or(bytes.len() - start);
        let word = &self.rest[start..start + length];
        self.rest = &self.rest[start + length..];
        let word = word.trim();
        if word.is_empty() {
            return self.next();
        }
        if word.bytes().all(|byte| byte.is_ascii_digit()) {
            Some(Token::Number(word))
        } else {
            Some(Token::Word(word))
        }
    }
}

/// Reads the multiplicity before the `:` of an order line.
fn parse_count(text: &str) -> Result<u32, PreflibErrorKind> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PreflibErrorKind::MissingCount);
    }
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(PreflibErrorKind::BadCount { text: quote(text) });
    }
    match text.parse::<u64>() {
        Ok(0) => Err(PreflibErrorKind::BadCount { text: quote(text) }),
        Ok(count) => {
            u32::try_from(count).map_err(|_| PreflibErrorKind::CountTooLarge { text: quote(text) })
        }
        // Only digits, so the only failure is overflow.
        Err(_) => Err(PreflibErrorKind::CountTooLarge { text: quote(text) }),
    }
}
