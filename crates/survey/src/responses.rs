//! The responses exchange format (DESIGN.md, "Responses exchange format"): CSV, UTF-8, with a
//! header that tells the kind of answers the file holds.
//!
//! | kind        | header                                  |
//! |-------------|-----------------------------------------|
//! | ranking     | `respondent,group,item,rank`            |
//! | rating      | `respondent,group,item,rating` (+ optional `criterion`) |
//! | pick        | `respondent,group,item`                 |
//! | pairwise    | `respondent,group,winner,loser`         |
//! | suggestions | `respondent,group,text`                 |
//!
//! Columns may come in any order; extra columns are ignored with a note. Spaces around a cell
//! are removed, and blank lines are skipped. A UTF-8 byte order
//! mark, CRLF line ends and quoted fields (with embedded commas, quotes and line breaks) are
//! accepted. Reading streams the input: the file is never held in memory as text, only the
//! answers it holds, compactly.
//!
//! # Rules
//! - A bad row fails the whole file with its line number, the column and the reason; nothing is
//!   returned half-loaded.
//! - A respondent belongs to one group; a respondent's rows need not be consecutive.
//! - Ranks are positive integers; rank 1 is most important. Equal ranks are a tie. **Gap
//!   policy:** ranks are read as an order, not as positions, so gaps are closed: `1, 2, 4` means
//!   the same as `1, 2, 3`, and `1, 1, 3` the same as `1, 1, 2` (two items tied first, one
//!   third). Checked against an exercise, a rank may not exceed the round's `top_k`, and no
//!   respondent may rank more than `top_k` items.
//! - The same item may not appear twice for a respondent (twice for the same criterion, in
//!   rating files); the same pair may be chosen more than once in pairwise files, as repeated
//!   comparisons are the point of that kind of round.
//! - An empty rating means "don't know".
//! - Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
//!   a tab or a carriage return) are written with a leading `'`, which reading removes again;
//!   see [`neutralise_formula`].

use std::collections::HashMap;

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::{FxHashMap, FxHasher};
use std::fmt;
use std::io::{Read, Write};
use std::ops::Range;

use crate::definition::{Exercise, Round, RoundKind, Scale};
use crate::located::{LocatedError, Place};

/// The kind of answers an exchange file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// `respondent,group,item,rank`.
    Ranking,
    /// `respondent,group,item,rating`, optionally with `criterion`.
    Rating,
    /// `respondent,group,item`.
    Pick,
    /// `respondent,group,winner,loser`.
    Pairwise,
    /// `respondent,group,text`.
    Suggestions,
}

impl ResponseKind {
    /// The lowercase name: `ranking`, `rating`, `pick`, `pairwise` or `suggestions`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseKind::Ranking => "ranking",
            ResponseKind::Rating => "rating",
            ResponseKind::Pick => "pick",
            ResponseKind::Pairwise => "pairwise",
            ResponseKind::Suggestions => "suggestions",
        }
    }

    /// The header this kind is written with.
    pub fn header(self, with_criterion: bool) -> &'static [&'static str] {
        match (self, with_criterion) {
            (ResponseKind::Ranking, _) => &["respondent", "group", "item", "rank"],
            (ResponseKind::Rating, false) => &["respondent", "group", "item", "rating"],
            (ResponseKind::Rating, true) => &["respondent", "group", "item", "criterion", "rating"],
            (ResponseKind::Pick, _) => &["respondent", "group", "item"],
            (ResponseKind::Pairwise, _) => &["respondent", "group", "winner", "loser"],
            (ResponseKind::Suggestions, _) => &["respondent", "group", "text"],
        }
    }

    /// The kind of answers a round collects.
    pub fn of_round(kind: &RoundKind) -> ResponseKind {
        match kind {
            RoundKind::Suggest { .. } => ResponseKind::Suggestions,
            RoundKind::Rate { .. } => ResponseKind::Rating,
            RoundKind::Rank { .. } => ResponseKind::Ranking,
            RoundKind::Pick { .. } => ResponseKind::Pick,
            RoundKind::Pairwise { .. } => ResponseKind::Pairwise,
        }
    }
}

impl fmt::Display for ResponseKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One rating answer: a point of a numeric scale, or a CHNRI answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RatingValue {
    /// A point of a numeric scale.
    Score(i32),
    /// CHNRI "yes" (1 point).
    Yes,
    /// CHNRI "undecided" (half a point).
    Undecided,
    /// CHNRI "no" (no points).
    No,
}

impl RatingValue {
    /// Reads `7`, `yes`, `undecided` or `no` (case-insensitive).
    pub fn parse(text: &str) -> Option<RatingValue> {
        if let Ok(score) = text.parse::<i32>() {
            return Some(RatingValue::Score(score));
        }
        match text.to_ascii_lowercase().as_str() {
            "yes" => Some(RatingValue::Yes),
            "undecided" => Some(RatingValue::Undecided),
            "no" => Some(RatingValue::No),
            _ => None,
        }
    }
}

impl fmt::Display for RatingValue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RatingValue::Score(score) => write!(formatter, "{score}"),
            RatingValue::Yes => formatter.write_str("yes"),
            RatingValue::Undecided => formatter.write_str("undecided"),
            RatingValue::No => formatter.write_str("no"),
        }
    }
}

/// An item as a response file knows it: its id and, where known, a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInfo {
    /// The item id.
    pub id: String,
    /// A human label (from an exercise definition or a PrefLib file), if known.
    pub label: Option<String>,
}

impl ItemInfo {
    /// The label, or the id where there is no label.
    pub fn label_or_id(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// A respondent: an id, a group, and how many identical ballots the record stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    /// The respondent id, as the file gives it.
    pub id: String,
    /// Index into [`Responses::groups`].
    pub group: u32,
    /// How many identical ballots this record stands for: 1 in exchange files; a PrefLib line
    /// `500: 3,1,2` is one record standing for 500 ballots.
    pub count: u32,
}

/// One ranked item of a ranking answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankEntry {
    /// Index into [`Responses::items`].
    pub item: u32,
    /// The rank as given (1 is most important; equal ranks are a tie).
    pub rank: u32,
}

/// One rating of a rating answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingEntry {
    /// Index into [`Responses::items`].
    pub item: u32,
    /// Index into [`Responses::criteria`], for multi-criteria rating.
    pub criterion: Option<u32>,
    /// The rating, or `None` for "don't know".
    pub value: Option<RatingValue>,
}

/// One pairwise choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Index into [`Responses::items`] of the item chosen.
    pub winner: u32,
    /// Index into [`Responses::items`] of the item not chosen.
    pub loser: u32,
}

/// The answers of all respondents, stored flat: respondent `r`'s answers are at
/// [`Responses::range`]`(r)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Answers {
    /// Ranked items, in rank order within each respondent.
    Ranking(Vec<RankEntry>),
    /// Ratings, in file order within each respondent.
    Rating(Vec<RatingEntry>),
    /// Picked items, in file order within each respondent.
    Pick(Vec<u32>),
    /// Choices, in file order within each respondent.
    Pairwise(Vec<Choice>),
    /// Suggestions, in file order within each respondent.
    Suggestions(Vec<String>),
}

impl Answers {
    fn kind(&self) -> ResponseKind {
        match self {
            Answers::Ranking(_) => ResponseKind::Ranking,
            Answers::Rating(_) => ResponseKind::Rating,
            Answers::Pick(_) => ResponseKind::Pick,
            Answers::Pairwise(_) => ResponseKind::Pairwise,
            Answers::Suggestions(_) => ResponseKind::Suggestions,
        }
    }
}

/// A whole, valid response file (or PrefLib file) in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Responses {
    /// Group ids: the exercise's groups when read against an exercise, otherwise in order of
    /// first appearance.
    pub groups: Vec<String>,
    /// Items: the round's items when read against an exercise, otherwise in order of first
    /// appearance.
    pub items: Vec<ItemInfo>,
    /// Criterion ids of a multi-criteria rating file; empty otherwise.
    pub criteria: Vec<String>,
    /// Respondents, in order of first appearance.
    pub respondents: Vec<Respondent>,
    offsets: Vec<usize>,
    /// The answers, flat; see [`Responses::range`].
    pub answers: Answers,
}

impl Responses {
    /// Builds a response set from parts.
    ///
    /// # Panics
    /// When `offsets` does not have one more entry than `respondents`, does not start at 0, is
    /// not non-decreasing, or does not end at the number of answers. Callers inside this crate
    /// build offsets as they append answers, so this is a programming error, not bad input.
    pub(crate) fn from_parts(
        groups: Vec<String>,
        items: Vec<ItemInfo>,
        criteria: Vec<String>,
        respondents: Vec<Respondent>,
        offsets: Vec<usize>,
        answers: Answers,
    ) -> Responses {
        let answer_count = match &answers {
            Answers::Ranking(entries) => entries.len(),
            Answers::Rating(entries) => entries.len(),
            Answers::Pick(entries) => entries.len(),
            Answers::Pairwise(entries) => entries.len(),
            Answers::Suggestions(entries) => entries.len(),
        };
        assert_eq!(
            offsets.len(),
            respondents.len() + 1,
            "one offset per respondent, plus one"
        );
        assert_eq!(offsets.first(), Some(&0));
        assert_eq!(offsets.last(), Some(&answer_count));
        assert!(offsets.windows(2).all(|pair| pair[0] <= pair[1]));
        Responses {
            groups,
            items,
            criteria,
            respondents,
            offsets,
            answers,
        }
    }

    /// The kind of answers held.
    pub fn kind(&self) -> ResponseKind {
        self.answers.kind()
    }

    /// Where respondent `respondent`'s answers are in [`Responses::answers`].
    pub fn range(&self, respondent: usize) -> Range<usize> {
        self.offsets[respondent]..self.offsets[respondent + 1]
    }

    /// The number of ballots: the sum of the respondents' counts.
    pub fn ballot_count(&self) -> u64 {
        self.respondents
            .iter()
            .map(|respondent| u64::from(respondent.count))
            .sum()
    }
}

/// A problem with a response file: the file name as given to the reader, the 1-based line and
/// the column ([`Place::Column`]) where the problem is when known, and what is wrong.
pub type ResponsesError = LocatedError;

/// What a successful read returns: the responses, and notes worth telling the user (ignored
/// columns, for example).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutcome {
    /// The responses.
    pub responses: Responses,
    /// Notes for the user; reading succeeded regardless.
    pub notes: Vec<String>,
}

/// The exercise and round a file is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Against<'a> {
    /// The exercise definition.
    pub exercise: &'a Exercise,
    /// The round the answers belong to.
    pub round: &'a Round,
}

impl<'a> Against<'a> {
    /// Picks the round of `exercise` that a file of `kind` belongs to: the named round, or the
    /// only round of that kind.
    ///
    /// # Errors
    /// A message when the named round does not exist or is of another kind, or when no round
    /// or several rounds collect answers of that kind and none is named.
    pub fn choose(
        exercise: &'a Exercise,
        round_id: Option<&str>,
        kind: ResponseKind,
    ) -> Result<Against<'a>, String> {
        let round = match round_id {
            Some(id) => exercise.round(id).ok_or_else(|| {
                format!(
                    "exercise `{}` has no round `{id}` (its rounds are: {})",
                    exercise.id,
                    exercise.round_ids()
                )
            })?,
            None => {
                let matching: Vec<&'a Round> = exercise
                    .rounds
                    .iter()
                    .filter(|round| ResponseKind::of_round(&round.kind) == kind)
                    .collect();
                match matching.as_slice() {
                    [round] => *round,
                    [] => {
                        return Err(format!(
                            "exercise `{}` has no round that collects {kind} answers (its rounds are: {})",
                            exercise.id,
                            exercise.round_ids()
                        ));
                    }
                    several => {
                        return Err(format!(
                            "exercise `{}` has several rounds that collect {kind} answers ({}): name one with --round",
                            exercise.id,
                            several
                                .iter()
                                .map(|round| round.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                }
            }
        };
        let round_kind = ResponseKind::of_round(&round.kind);
        if round_kind != kind {
            return Err(format!(
                "round `{}` collects {round_kind} answers, but the file holds {kind} answers",
                round.id
            ));
        }
        Ok(Against { exercise, round })
    }
}

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Makes a text cell safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`, so that it shows as text rather than running
/// as a formula. A cell that starts with `'` followed by one of those characters or another `'`
/// gets one too, so that [`restore_formula`] gives back exactly the original text.
pub fn neutralise_formula(text: &str) -> std::borrow::Cow<'_, str> {
    let mut characters = text.chars();
    let needs_quote = match characters.next() {
        Some(first) if FORMULA_STARTS.contains(&first) => true,
        Some('\'') => {
            matches!(characters.next(), Some(second) if second == '\'' || FORMULA_STARTS.contains(&second))
        }
        _ => false,
    };
    if needs_quote {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise_formula`].
pub fn restore_formula(text: &str) -> &str {
    let mut characters = text.chars();
    if characters.next() == Some('\'')
        && matches!(characters.next(), Some(second) if second == '\'' || FORMULA_STARTS.contains(&second))
    {
        &text[1..]
    } else {
        text
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    respondent: usize,
    group: usize,
    item: Option<usize>,
    rank: Option<usize>,
    rating: Option<usize>,
    criterion: Option<usize>,
    winner: Option<usize>,
    loser: Option<usize>,
    text: Option<usize>,
    width: usize,
}

const KNOWN_COLUMNS: [&str; 9] = [
    "respondent",
    "group",
    "item",
    "rank",
    "rating",
    "criterion",
    "winner",
    "loser",
    "text",
];

/// Reads the header, finds the columns and tells the kind.
fn read_header(
    header: &csv::StringRecord,
    source_name: &str,
    notes: &mut Vec<String>,
) -> Result<(ResponseKind, Columns), ResponsesError> {
    let error = |message: String| ResponsesError {
        source_name: source_name.to_string(),
        line: Some(1),
        context: None,
        message,
    };
    let mut found: HashMap<&str, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = if index == 0 {
            name.trim_start_matches('\u{feff}')
        } else {
            name
        };
        let name = name.trim();
        let lower = name.to_ascii_lowercase();
        if let Some(known) = KNOWN_COLUMNS.iter().find(|known| **known == lower) {
            if found.insert(known, index).is_some() {
                return Err(error(format!("the header names column `{known}` twice")));
            }
        } else {
            notes.push(format!(
                "{source_name}: column `{name}` is not part of the exchange format and was ignored"
            ));
        }
    }
    for required in ["respondent", "group"] {
        if !found.contains_key(required) {
            return Err(error(format!(
                "the header has no `{required}` column; expected a header such as `respondent,group,item,rank`"
            )));
        }
    }
    let has = |name: &str| found.contains_key(name);
    let kind = match (
        has("rank"),
        has("rating"),
        has("winner") || has("loser"),
        has("text"),
    ) {
        (true, false, false, false) => ResponseKind::Ranking,
        (false, true, false, false) => ResponseKind::Rating,
        (false, false, true, false) => ResponseKind::Pairwise,
        (false, false, false, true) => ResponseKind::Suggestions,
        (false, false, false, false) if has("item") => ResponseKind::Pick,
        (false, false, false, false) => {
            return Err(error(
                "the header does not tell the kind of answers: expected `respondent,group,item,rank` (ranking), `respondent,group,item,rating` (rating), `respondent,group,item` (pick), `respondent,group,winner,loser` (pairwise) or `respondent,group,text` (suggestions)".to_string(),
            ));
        }
        _ => {
            let present: Vec<&str> = ["rank", "rating", "winner", "loser", "text"]
                .into_iter()
                .filter(|name| has(name))
                .collect();
            return Err(error(format!(
                "the header mixes columns of different kinds ({}): a file holds one kind of answer",
                present.join(", ")
            )));
        }
    };
    let needed: &[&str] = match kind {
        ResponseKind::Ranking | ResponseKind::Rating | ResponseKind::Pick => &["item"],
        ResponseKind::Pairwise => &["winner", "loser"],
        ResponseKind::Suggestions => &[],
    };
    for name in needed {
        if !has(name) {
            return Err(error(format!("a {kind} file needs a `{name}` column")));
        }
    }
    let allowed: &[&str] = match kind {
        ResponseKind::Ranking => &["item", "rank"],
        ResponseKind::Rating => &["item", "rating", "criterion"],
        ResponseKind::Pick => &["item"],
        ResponseKind::Pairwise => &["winner", "loser"],
        ResponseKind::Suggestions => &["text"],
    };
    for name in ["item", "criterion"] {
        if has(name) && !allowed.contains(&name) {
            return Err(error(format!(
                "column `{name}` does not belong in a {kind} file"
            )));
        }
    }
    let columns = Columns {
        respondent: found["respondent"],
        group: found["group"],
        item: found.get("item").copied(),
        rank: found.get("rank").copied(),
        rating: found.get("rating").copied(),
        criterion: found.get("criterion").copied(),
        winner: found.get("winner").copied(),
        loser: found.get("loser").copied(),
        text: found.get("text").copied(),
        width: header.len(),
    };
    Ok((kind, columns))
}

/// The answers read so far, in file order, compactly: one typed vector per kind.
#[derive(Debug)]
enum Store {
    Ranking(Vec<RankEntry>),
    Rating(Vec<RatingEntry>),
    Pick(Vec<u32>),
    Pairwise(Vec<Choice>),
    Suggestions(Vec<String>),
}

impl Store {
    fn new(kind: ResponseKind) -> Store {
        match kind {
            ResponseKind::Ranking => Store::Ranking(Vec::new()),
            ResponseKind::Rating => Store::Rating(Vec::new()),
            ResponseKind::Pick => Store::Pick(Vec::new()),
            ResponseKind::Pairwise => Store::Pairwise(Vec::new()),
            ResponseKind::Suggestions => Store::Suggestions(Vec::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Store::Ranking(entries) => entries.len(),
            Store::Rating(entries) => entries.len(),
            Store::Pick(entries) => entries.len(),
            Store::Pairwise(entries) => entries.len(),
            Store::Suggestions(entries) => entries.len(),
        }
    }

    /// Reorders the answers so that the ranges `order` lists come one after the other.
    fn gather(&mut self, order: &[Range<usize>]) {
        fn gather_vec<T: Clone>(entries: &mut Vec<T>, order: &[Range<usize>]) {
            let mut gathered = Vec::with_capacity(entries.len());
            for range in order {
                gathered.extend_from_slice(&entries[range.clone()]);
            }
            *entries = gathered;
        }
        match self {
            Store::Ranking(entries) => gather_vec(entries, order),
            Store::Rating(entries) => gather_vec(entries, order),
            Store::Pick(entries) => gather_vec(entries, order),
            Store::Pairwise(entries) => gather_vec(entries, order),
            Store::Suggestions(entries) => gather_vec(entries, order),
        }
    }

    fn into_answers(self) -> Answers {
        match self {
            Store::Ranking(entries) => Answers::Ranking(entries),
            Store::Rating(entries) => Answers::Rating(entries),
            Store::Pick(entries) => Answers::Pick(entries),
            Store::Pairwise(entries) => Answers::Pairwise(entries),
            Store::Suggestions(entries) => Answers::Suggestions(entries),
        }
    }
}

/// A run of consecutive rows of one respondent.
#[derive(Debug, Clone, Copy)]
struct Block {
    respondent: u32,
    start: usize,
}

/// An interning table from text ids to indices, in order of first appearance. Lookups take
/// bytes, so that a row's cells need no UTF-8 check when they name a known id. Ids of up to 15
/// bytes (almost all of them) are keyed by their bytes packed into one integer, so a lookup
/// touches no string; longer ids go through a table of indices into the stored names.
#[derive(Default)]
struct Interner {
    short: FxHashMap<u128, u32>,
    long: HashTable<u32>,
    names: Vec<String>,
}

/// The bytes of a short id and its length, packed into one integer; `None` when longer than
/// 15 bytes.
fn pack(bytes: &[u8]) -> Option<u128> {
    if bytes.len() > 15 {
        return None;
    }
    let mut buffer = [0u8; 16];
    buffer[..bytes.len()].copy_from_slice(bytes);
    buffer[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(buffer))
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

impl Interner {
    fn get(&self, name: &[u8]) -> Option<u32> {
        match pack(name) {
            Some(key) => self.short.get(&key).copied(),
            None => self
                .long
                .find(hash_bytes(name), |&index| {
                    self.names[index as usize].as_bytes() == name
                })
                .copied(),
        }
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(index) = self.get(name.as_bytes()) {
            return index;
        }
        let index = self.names.len() as u32;
        self.names.push(name.to_string());
        match pack(name.as_bytes()) {
            Some(key) => {
                self.short.insert(key, index);
            }
            None => {
                let names = &self.names;
                self.long
                    .insert_unique(hash_bytes(name.as_bytes()), index, |&existing| {
                        hash_bytes(names[existing as usize].as_bytes())
                    });
            }
        }
        index
    }
}

/// How many records are read on the calling thread before a second thread takes over the
/// splitting of records: below this, starting a thread costs more than it saves.
const INLINE_RECORDS: usize = 1 << 16;

/// How many records the reading thread hands over at a time.
const BATCH_RECORDS: usize = 4096;

/// A rank: a whole number from 1 up, digits only.
fn parse_rank(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for &byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u32::from(byte - b'0'))?;
    }
    (value >= 1).then_some(value)
}

/// A cell's bytes with surrounding spaces removed and a formula guard undone (see
/// [`restore_formula`]), before any UTF-8 check.
fn raw_cell(record: &csv::ByteRecord, index: usize) -> &[u8] {
    let bytes = record.get(index).unwrap_or_default().trim_ascii();
    match bytes {
        [b'\'', second, ..]
            if *second == b'\'' || FORMULA_STARTS.contains(&char::from(*second)) =>
        {
            &bytes[1..]
        }
        _ => bytes,
    }
}

struct Reader<'a> {
    source_name: &'a str,
    against: Option<Against<'a>>,
    kind: ResponseKind,
    columns: Columns,
    groups: Interner,
    items: Interner,
    criteria: Interner,
    respondents: Interner,
    respondent_groups: Vec<u32>,
    respondent_lines: Vec<u64>,
    store: Store,
    /// The line of each answer in `store`, for messages about a respondent's whole answer.
    lines: Vec<u32>,
    blocks: Vec<Block>,
    /// The respondent of the row before, to skip the lookup in the usual case of consecutive
    /// rows.
    previous_respondent: Option<u32>,
    /// The group cell of the row before and its index, likewise.
    previous_group: Option<(Vec<u8>, u32)>,
}

impl Reader<'_> {
    fn error(&self, line: u64, column: Option<&str>, message: String) -> ResponsesError {
        ResponsesError {
            source_name: self.source_name.to_string(),
            line: Some(line),
            context: column.map(|column| Place::Column(column.to_string())),
            message,
        }
    }

    fn field<'r>(
        &self,
        record: &'r csv::ByteRecord,
        index: usize,
        name: &str,
        line: u64,
    ) -> Result<&'r str, ResponsesError> {
        let bytes = record.get(index).unwrap_or_default();
        let text = std::str::from_utf8(bytes).map_err(|_| {
            self.error(
                line,
                Some(name),
                "the text is not valid UTF-8 (save the file as UTF-8)".to_string(),
            )
        })?;
        Ok(restore_formula(text.trim()))
    }

    fn id_field<'r>(
        &self,
        record: &'r csv::ByteRecord,
        index: usize,
        name: &str,
        line: u64,
    ) -> Result<&'r str, ResponsesError> {
        let text = self.field(record, index, name, line)?;
        if text.is_empty() {
            return Err(self.error(line, Some(name), format!("the {name} is empty")));
        }
        Ok(text)
    }

    /// The item a cell names: a known item without further checks, otherwise checked and
    /// (without an exercise) added.
    fn item_cell(
        &mut self,
        record: &csv::ByteRecord,
        index: usize,
        column: &str,
        line: u64,
    ) -> Result<u32, ResponsesError> {
        if let Some(item) = self.items.get(raw_cell(record, index)) {
            return Ok(item);
        }
        let name = self.id_field(record, index, column, line)?;
        self.item(name, column, line)
    }

    fn item(&mut self, name: &str, column: &str, line: u64) -> Result<u32, ResponsesError> {
        if let Some(index) = self.items.get(name.as_bytes()) {
            return Ok(index);
        }
        if let Some(against) = self.against {
            let listed: Vec<&str> = against
                .exercise
                .round_items(against.round)
                .map(|item| item.id.as_str())
                .collect();
            let message = if against.exercise.item(name).is_some() {
                format!(
                    "item `{name}` is not one of round `{}`'s items ({})",
                    against.round.id,
                    listed.join(", ")
                )
            } else {
                format!(
                    "item `{name}` is not an item of exercise `{}` (round `{}` asks about: {})",
                    against.exercise.id,
                    against.round.id,
                    listed.join(", ")
                )
            };
            return Err(self.error(line, Some(column), message));
        }
        Ok(self.items.intern(name))
    }

    fn group(&mut self, name: &str, line: u64) -> Result<u32, ResponsesError> {
        if let Some(group) = self.groups.get(name.as_bytes()) {
            return Ok(group);
        }
        match self.against {
            Some(against) => Err(self.error(
                line,
                Some("group"),
                format!(
                    "group `{name}` is not a group of exercise `{}` (its groups are: {})",
                    against.exercise.id,
                    against
                        .exercise
                        .groups
                        .iter()
                        .map(|group| group.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            None => Ok(self.groups.intern(name)),
        }
    }

    /// Finds or adds the respondent of a row, checking that they stay in one group. The usual
    /// case, a row of the same respondent and group as the row before, costs two comparisons
    /// of bytes.
    fn respondent(&mut self, record: &csv::ByteRecord, line: u64) -> Result<u32, ResponsesError> {
        let columns = self.columns;
        let respondent_cell = raw_cell(record, columns.respondent);
        let group_cell = raw_cell(record, columns.group);
        let group = match &self.previous_group {
            Some((previous, index))
                if previous.as_slice() == group_cell && !group_cell.is_empty() =>
            {
                *index
            }
            _ => {
                let group_name = self.id_field(record, columns.group, "group", line)?;
                let group = self.group(group_name, line)?;
                self.previous_group = Some((group_cell.to_vec(), group));
                group
            }
        };
        let known = match self.previous_respondent {
            Some(index) if self.respondents.names[index as usize].as_bytes() == respondent_cell => {
                Some(index)
            }
            _ => self.respondents.get(respondent_cell),
        };
        let respondent = match known {
            Some(respondent) if !respondent_cell.is_empty() => {
                let first_group = self.respondent_groups[respondent as usize];
                if first_group != group {
                    return Err(self.error(
                        line,
                        Some("group"),
                        format!(
                            "respondent `{}` is in group `{}` here but in group `{}` at line {}: a respondent belongs to one group",
                            self.respondents.names[respondent as usize],
                            self.groups.names[group as usize],
                            self.groups.names[first_group as usize],
                            self.respondent_lines[respondent as usize]
                        ),
                    ));
                }
                respondent
            }
            _ => {
                let name = self.id_field(record, columns.respondent, "respondent", line)?;
                let respondent = self.respondents.intern(name);
                self.respondent_groups.push(group);
                self.respondent_lines.push(line);
                respondent
            }
        };
        if self.previous_respondent != Some(respondent) {
            self.previous_respondent = Some(respondent);
            self.blocks.push(Block {
                respondent,
                start: self.store.len(),
            });
        }
        Ok(respondent)
    }

    fn row(&mut self, record: &csv::ByteRecord, line: u64) -> Result<(), ResponsesError> {
        if record.len() != self.columns.width {
            return Err(self.error(
                line,
                None,
                format!(
                    "the row has {} fields but the header has {}",
                    record.len(),
                    self.columns.width
                ),
            ));
        }
        let columns = self.columns;
        // Empty ids are reported before anything else in the row.
        if raw_cell(record, columns.respondent).is_empty() {
            self.id_field(record, columns.respondent, "respondent", line)?;
        }
        if raw_cell(record, columns.group).is_empty() {
            self.id_field(record, columns.group, "group", line)?;
        }
        let line_number = u32::try_from(line).map_err(|_| {
            self.error(
                line,
                None,
                "the file has more than 4,294,967,295 lines".to_string(),
            )
        })?;
        // Check the whole row before storing anything of it.
        match self.kind {
            ResponseKind::Ranking => {
                let item = self.item_cell(record, columns.item.unwrap_or(0), "item", line)?;
                let rank = match parse_rank(raw_cell(record, columns.rank.unwrap_or(0))) {
                    Some(rank) => rank,
                    None => {
                        let rank_text =
                            self.field(record, columns.rank.unwrap_or(0), "rank", line)?;
                        return Err(self.error(
                            line,
                            Some("rank"),
                            format!("`{rank_text}` is not a positive whole number (rank 1 is most important)"),
                        ));
                    }
                };
                if let Some(against) = self.against
                    && let RoundKind::Rank { top_k } = against.round.kind
                    && rank > top_k
                {
                    return Err(self.error(
                        line,
                        Some("rank"),
                        format!(
                            "rank {rank} is beyond the top {top_k} that round `{}` asks for",
                            against.round.id
                        ),
                    ));
                }
                self.respondent(record, line)?;
                if let Store::Ranking(entries) = &mut self.store {
                    entries.push(RankEntry { item, rank });
                }
            }
            ResponseKind::Rating => {
                let item = self.item_cell(record, columns.item.unwrap_or(0), "item", line)?;
                let criterion = match columns.criterion {
                    Some(index) => Some(self.criterion(record, index, line)?),
                    None => None,
                };
                if let Some(against) = self.against
                    && let RoundKind::Rate { criteria, .. } = &against.round.kind
                    && !criteria.is_empty()
                    && criterion.is_none()
                {
                    return Err(self.error(
                        line,
                        None,
                        format!(
                            "round `{}` rates items against criteria, so the file needs a `criterion` column",
                            against.round.id
                        ),
                    ));
                }
                let value = self.rating(record, columns.rating.unwrap_or(0), line)?;
                self.respondent(record, line)?;
                if let Store::Rating(entries) = &mut self.store {
                    entries.push(RatingEntry {
                        item,
                        criterion,
                        value,
                    });
                }
            }
            ResponseKind::Pick => {
                let item = self.item_cell(record, columns.item.unwrap_or(0), "item", line)?;
                self.respondent(record, line)?;
                if let Store::Pick(entries) = &mut self.store {
                    entries.push(item);
                }
            }
            ResponseKind::Pairwise => {
                let winner_name =
                    self.id_field(record, columns.winner.unwrap_or(0), "winner", line)?;
                let loser_name =
                    self.id_field(record, columns.loser.unwrap_or(0), "loser", line)?;
                if winner_name == loser_name {
                    return Err(self.error(
                        line,
                        Some("loser"),
                        format!("the winner and the loser are both `{winner_name}`: a choice is between two different items"),
                    ));
                }
                let winner = self.item(winner_name, "winner", line)?;
                let loser = self.item(loser_name, "loser", line)?;
                self.respondent(record, line)?;
                if let Store::Pairwise(entries) = &mut self.store {
                    entries.push(Choice { winner, loser });
                }
            }
            ResponseKind::Suggestions => {
                let text = self.field(record, columns.text.unwrap_or(0), "text", line)?;
                if text.is_empty() {
                    return Err(self.error(
                        line,
                        Some("text"),
                        "the suggestion is empty".to_string(),
                    ));
                }
                if let Some(against) = self.against
                    && let Some(max_length) = against.round.answer_limits().max_length
                {
                    let length = text.chars().count();
                    if length > max_length {
                        return Err(self.error(
                            line,
                            Some("text"),
                            format!("the suggestion has {length} characters but round `{}` allows at most {max_length}", against.round.id),
                        ));
                    }
                }
                let text = text.to_string();
                self.respondent(record, line)?;
                if let Store::Suggestions(entries) = &mut self.store {
                    entries.push(text);
                }
            }
        }
        self.lines.push(line_number);
        Ok(())
    }

    fn criterion(
        &mut self,
        record: &csv::ByteRecord,
        index: usize,
        line: u64,
    ) -> Result<u32, ResponsesError> {
        let name = self.id_field(record, index, "criterion", line)?;
        if let Some(criterion) = self.criteria.get(name.as_bytes()) {
            return Ok(criterion);
        }
        if let Some(against) = self.against
            && let RoundKind::Rate { criteria, .. } = &against.round.kind
        {
            if criteria.is_empty() {
                return Err(self.error(
                    line,
                    Some("criterion"),
                    format!(
                        "round `{}` has no criteria, but the row names criterion `{name}`",
                        against.round.id
                    ),
                ));
            }
            // Every criterion of the round was interned up front, so this one is unknown.
            return Err(self.error(
                line,
                Some("criterion"),
                format!(
                    "criterion `{name}` is not a criterion of round `{}` (its criteria are: {})",
                    against.round.id,
                    criteria
                        .iter()
                        .map(|criterion| criterion.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(self.criteria.intern(name))
    }

    fn rating(
        &self,
        record: &csv::ByteRecord,
        index: usize,
        line: u64,
    ) -> Result<Option<RatingValue>, ResponsesError> {
        let text = self.field(record, index, "rating", line)?;
        if text.is_empty() {
            if let Some(against) = self.against
                && let RoundKind::Rate {
                    allow_dont_know: false,
                    ..
                } = against.round.kind
            {
                return Err(self.error(
                    line,
                    Some("rating"),
                    format!(
                        "the rating is empty (\"don't know\"), which round `{}` does not allow",
                        against.round.id
                    ),
                ));
            }
            return Ok(None);
        }
        let Some(value) = RatingValue::parse(text) else {
            return Err(self.error(
                line,
                Some("rating"),
                format!("`{text}` is not a rating: expected a whole number, `yes`, `undecided`, `no`, or nothing for \"don't know\""),
            ));
        };
        if let Some(against) = self.against
            && let RoundKind::Rate { scale, .. } = &against.round.kind
        {
            match (scale, value) {
                (Scale::Numeric { min, max, .. }, RatingValue::Score(score)) => {
                    if !scale.contains(score) {
                        return Err(self.error(
                            line,
                            Some("rating"),
                            format!(
                                "rating {score} is off round `{}`'s scale of {min} to {max}",
                                against.round.id
                            ),
                        ));
                    }
                }
                (Scale::Numeric { min, max, .. }, _) => {
                    return Err(self.error(
                        line,
                        Some("rating"),
                        format!(
                            "`{text}` is not a rating on round `{}`'s scale of {min} to {max}",
                            against.round.id
                        ),
                    ));
                }
                (Scale::YesUndecidedNo, RatingValue::Score(_)) => {
                    return Err(self.error(
                        line,
                        Some("rating"),
                        format!("`{text}` is not an answer to round `{}`'s criteria: expected `yes`, `undecided` or `no`", against.round.id),
                    ));
                }
                (Scale::YesUndecidedNo, _) => {}
            }
        }
        Ok(Some(value))
    }

    /// Brings each respondent's rows together, checks each respondent's answer as a whole and
    /// returns the flat answer store.
    fn finish(self) -> Result<Responses, ResponsesError> {
        let Reader {
            source_name,
            against,
            kind,
            groups,
            items,
            criteria,
            respondents,
            respondent_groups,
            mut store,
            mut lines,
            blocks,
            ..
        } = self;
        let respondent_count = respondents.names.len();
        let total = store.len();
        let block_end = |index: usize| blocks.get(index + 1).map_or(total, |next| next.start);
        let mut offsets = Vec::with_capacity(respondent_count + 1);
        offsets.push(0);
        if blocks.len() == respondent_count {
            // The usual case: each respondent's rows are consecutive, in order of first
            // appearance, so the blocks are the respondents.
            for index in 0..blocks.len() {
                offsets.push(block_end(index));
            }
        } else {
            // Some respondent's rows are spread over the file: gather them, keeping file
            // order within each respondent.
            let mut order: Vec<usize> = (0..blocks.len()).collect();
            order.sort_by_key(|&index| blocks[index].respondent);
            let ranges: Vec<Range<usize>> = order
                .iter()
                .map(|&index| blocks[index].start..block_end(index))
                .collect();
            store.gather(&ranges);
            let mut gathered_lines = Vec::with_capacity(lines.len());
            for range in &ranges {
                gathered_lines.extend_from_slice(&lines[range.clone()]);
            }
            lines = gathered_lines;
            let mut end = 0;
            let mut position = 0;
            for respondent in 0..respondent_count as u32 {
                while position < order.len() && blocks[order[position]].respondent == respondent {
                    end += ranges[position].len();
                    position += 1;
                }
                offsets.push(end);
            }
        }

        let error = |line: u32, column: Option<&str>, message: String| ResponsesError {
            source_name: source_name.to_string(),
            line: Some(u64::from(line)),
            context: column.map(|column| Place::Column(column.to_string())),
            message,
        };
        let mut checker = AnswerChecker::new(items.names.len(), criteria.names.len().max(1));
        for respondent in 0..respondent_count {
            let range = offsets[respondent]..offsets[respondent + 1];
            checker.check(
                &mut store,
                range,
                &lines,
                &respondents.names[respondent],
                kind,
                against,
                &items.names,
                &criteria.names,
                &error,
            )?;
        }
        drop(lines);

        // The interners were seeded with the exercise's groups, the round's items and its
        // criteria, so indices already follow the definition's order.
        let item_infos: Vec<ItemInfo> = match against {
            Some(against) => against
                .exercise
                .round_items(against.round)
                .map(|item| ItemInfo {
                    id: item.id.to_string(),
                    label: Some(item.title.clone()),
                })
                .collect(),
            None => items
                .names
                .into_iter()
                .map(|id| ItemInfo { id, label: None })
                .collect(),
        };
        let respondents = respondents
            .names
            .into_iter()
            .zip(respondent_groups)
            .map(|(id, group)| Respondent {
                id,
                group,
                count: 1,
            })
            .collect();
        Ok(Responses::from_parts(
            groups.names,
            item_infos,
            criteria.names,
            respondents,
            offsets,
            store.into_answers(),
        ))
    }
}

/// Checks one respondent's answer as a whole, reusing its scratch space between respondents.
struct AnswerChecker {
    /// For each (item, criterion) key: the respondent stamp when it was last seen and its line.
    seen: Vec<(u32, u32)>,
    criterion_count: usize,
    stamp: u32,
}

impl AnswerChecker {
    fn new(item_count: usize, criterion_count: usize) -> AnswerChecker {
        AnswerChecker {
            seen: vec![(0, 0); item_count * criterion_count],
            criterion_count,
            stamp: 0,
        }
    }

    /// Checks that no item appears twice and that the answer stays within the round's limits;
    /// puts ranking answers in rank order.
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        store: &mut Store,
        range: Range<usize>,
        lines: &[u32],
        respondent: &str,
        kind: ResponseKind,
        against: Option<Against<'_>>,
        items: &[String],
        criteria: &[String],
        error: &impl Fn(u32, Option<&str>, String) -> ResponsesError,
    ) -> Result<(), ResponsesError> {
        self.stamp += 1;
        let stamp = self.stamp;
        let keys: Box<dyn Iterator<Item = (usize, u32, Option<u32>, &str)> + '_> = match &*store {
            Store::Ranking(entries) => Box::new(
                entries[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, entry)| (offset, entry.item, None, "ranks")),
            ),
            Store::Rating(entries) => Box::new(
                entries[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, entry)| (offset, entry.item, entry.criterion, "rates")),
            ),
            Store::Pick(entries) => Box::new(
                entries[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, &item)| (offset, item, None, "picks")),
            ),
            Store::Pairwise(_) | Store::Suggestions(_) => Box::new(std::iter::empty()),
        };
        for (offset, item, criterion, verb) in keys {
            let line = lines[range.start + offset];
            let key = item as usize * self.criterion_count + criterion.unwrap_or(0) as usize;
            let (seen_stamp, first) = self.seen[key];
            if seen_stamp == stamp {
                let criterion = criterion
                    .map(|criterion| format!(" on criterion `{}`", criteria[criterion as usize]))
                    .unwrap_or_default();
                return Err(error(
                    line,
                    Some("item"),
                    format!(
                        "respondent `{respondent}` {verb} item `{}`{criterion} twice (first at line {first})",
                        items[item as usize]
                    ),
                ));
            }
            self.seen[key] = (stamp, line);
        }

        let count = range.len();
        let last_line = lines[range.clone()].iter().copied().max().unwrap_or(0);
        if let Some(against) = against {
            let round = &against.round.id;
            // The words of the message; the limit itself is the round's.
            let (verb, noun) = match against.round.kind {
                RoundKind::Rank { .. } => ("ranks", "ranked"),
                RoundKind::Pick { .. } => ("picks", "picked"),
                RoundKind::Suggest { .. } => ("makes", "suggestions"),
                RoundKind::Pairwise { .. } => ("makes", "choices"),
                RoundKind::Rate { .. } => ("rates", "ratings"),
            };
            let limit = against.round.answer_limits().most_entries;
            if let Some(limit) = limit
                && count > limit
            {
                let what = match kind {
                    ResponseKind::Ranking | ResponseKind::Pick => format!("{count} items"),
                    _ => format!("{count} {noun}"),
                };
                let allowed = match kind {
                    ResponseKind::Ranking => format!("round `{round}` asks for the top {limit}"),
                    ResponseKind::Pick => format!("round `{round}` allows at most {limit} {noun}"),
                    _ => format!("round `{round}` allows at most {limit}"),
                };
                return Err(error(
                    last_line,
                    None,
                    format!("respondent `{respondent}` {verb} {what}, but {allowed}"),
                ));
            }
        }
        if let Store::Ranking(entries) = store {
            // Stable, so tied items keep file order.
            entries[range].sort_by_key(|entry| entry.rank);
        }
        Ok(())
    }
}

/// Reads a whole response file, streaming, checking it against an exercise round when one is
/// given.
///
/// `source_name` is the file name used in messages. The input is read through a buffer and
/// never held whole in memory as text.
///
/// # Errors
/// [`ResponsesError`] naming the line and the column of the first problem: malformed CSV, a
/// header that does not tell the kind, a row with the wrong number of fields, an empty id, a
/// rank that is not a positive whole number, a rating that is not a number or a CHNRI answer,
/// the same item twice for a respondent, a respondent in two groups, and (against an exercise)
/// unknown groups, items and criteria, ratings off the scale, ranks beyond `top_k` and answers
/// beyond the round's limits. Nothing is returned when any row is bad.
pub fn read_responses<R: Read + Send>(
    input: R,
    source_name: &str,
    against: Option<Against<'_>>,
) -> Result<ReadOutcome, ResponsesError> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let csv_error = |error: csv::Error| {
        let line = error.position().map(|position| position.line());
        let message = match error.kind() {
            csv::ErrorKind::Io(io_error) => format!("cannot read the file: {io_error}"),
            csv::ErrorKind::Utf8 { .. } => {
                "the text is not valid UTF-8 (save the file as UTF-8)".to_string()
            }
            _ => format!("malformed CSV: {error}"),
        };
        ResponsesError {
            source_name: source_name.to_string(),
            line,
            context: None,
            message,
        }
    };
    let mut record = csv::ByteRecord::new();
    if !csv_reader
        .read_byte_record(&mut record)
        .map_err(csv_error)?
    {
        return Err(ResponsesError {
            source_name: source_name.to_string(),
            line: None,
            context: None,
            message: "the file is empty; expected a header such as `respondent,group,item,rank`"
                .to_string(),
        });
    }
    let header =
        csv::StringRecord::from_byte_record(record.clone()).map_err(|_| ResponsesError {
            source_name: source_name.to_string(),
            line: Some(1),
            context: None,
            message: "the header is not valid UTF-8 (save the file as UTF-8)".to_string(),
        })?;
    let mut notes = Vec::new();
    let (kind, columns) = read_header(&header, source_name, &mut notes)?;
    if let Some(against) = against {
        let round_kind = ResponseKind::of_round(&against.round.kind);
        if round_kind != kind {
            return Err(ResponsesError {
                source_name: source_name.to_string(),
                line: Some(1),
                context: None,
                message: format!(
                    "the header is that of a {kind} file, but round `{}` collects {round_kind} answers",
                    against.round.id
                ),
            });
        }
    }
    let mut reader = Reader {
        source_name,
        against,
        kind,
        columns,
        groups: Interner::default(),
        items: Interner::default(),
        criteria: Interner::default(),
        respondents: Interner::default(),
        respondent_groups: Vec::new(),
        respondent_lines: Vec::new(),
        store: Store::new(kind),
        lines: Vec::new(),
        blocks: Vec::new(),
        previous_respondent: None,
        previous_group: None,
    };
    if let Some(against) = against {
        // Interning the exercise's groups and the round's items first makes their indices
        // follow the definition's order.
        for group in &against.exercise.groups {
            reader.groups.intern(group.id.as_str());
        }
        for item in against.exercise.round_items(against.round) {
            reader.items.intern(item.id.as_str());
        }
        if let RoundKind::Rate { criteria, .. } = &against.round.kind {
            for criterion in criteria {
                reader.criteria.intern(criterion.id.as_str());
            }
        }
    }
    // A small file is read on this thread alone: the first INLINE_RECORDS records are read
    // and stored here, one record buffer reused.
    let mut rows_read = 0;
    loop {
        if rows_read == INLINE_RECORDS {
            break;
        }
        if !csv_reader
            .read_byte_record(&mut record)
            .map_err(csv_error)?
        {
            let responses = reader.finish()?;
            return Ok(ReadOutcome { responses, notes });
        }
        rows_read += 1;
        let line = record
            .position()
            .map(|position| position.line())
            .unwrap_or(0);
        if record.len() == 1 && record.get(0).is_some_and(|field| field.is_empty()) {
            continue;
        }
        reader.row(&record, line)?;
    }
    // A larger one in two stages on two threads: one reads and splits the CSV into records, in
    // batches; this thread checks and stores them. Batches are recycled, so records keep their
    // buffers.
    std::thread::scope(|scope| -> Result<(), ResponsesError> {
        let (full_sender, full_receiver) =
            std::sync::mpsc::sync_channel::<Result<Vec<csv::ByteRecord>, ResponsesError>>(4);
        let (empty_sender, empty_receiver) =
            std::sync::mpsc::sync_channel::<Vec<csv::ByteRecord>>(6);
        scope.spawn(move || {
            loop {
                let mut batch = empty_receiver.try_recv().unwrap_or_default();
                let mut filled = 0;
                let mut finished = false;
                while filled < BATCH_RECORDS {
                    if batch.len() == filled {
                        batch.push(csv::ByteRecord::new());
                    }
                    match csv_reader.read_byte_record(&mut batch[filled]) {
                        Ok(true) => filled += 1,
                        Ok(false) => {
                            finished = true;
                            break;
                        }
                        Err(error) => {
                            let _ = full_sender.send(Err(csv_error(error)));
                            return;
                        }
                    }
                }
                batch.truncate(filled);
                // A closed channel means the other stage stopped at a bad row.
                if full_sender.send(Ok(batch)).is_err() || finished {
                    return;
                }
            }
        });
        for batch in full_receiver {
            let batch = batch?;
            for record in &batch {
                let line = record
                    .position()
                    .map(|position| position.line())
                    .unwrap_or(0);
                if record.len() == 1 && record.get(0).is_some_and(|field| field.is_empty()) {
                    // A blank line, often at the end of a hand-edited file.
                    continue;
                }
                reader.row(record, line)?;
            }
            let _ = empty_sender.try_send(batch);
        }
        Ok(())
    })?;
    let responses = reader.finish()?;
    Ok(ReadOutcome { responses, notes })
}

/// Writes the exchange format row by row, streaming.
pub struct ResponseWriter<W: Write> {
    inner: csv::Writer<W>,
    kind: ResponseKind,
    with_criterion: bool,
}

impl<W: Write> ResponseWriter<W> {
    /// Starts a file of `kind` and writes its header. `with_criterion` adds the `criterion`
    /// column of multi-criteria rating files.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn new(output: W, kind: ResponseKind, with_criterion: bool) -> std::io::Result<Self> {
        let mut inner = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(output);
        inner.write_record(kind.header(with_criterion && kind == ResponseKind::Rating))?;
        Ok(ResponseWriter {
            inner,
            kind,
            with_criterion: with_criterion && kind == ResponseKind::Rating,
        })
    }

    fn expect(&self, kind: ResponseKind) {
        assert_eq!(self.kind, kind, "this writer writes {} rows", self.kind);
    }

    /// Writes one ranked item.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write_rank(
        &mut self,
        respondent: &str,
        group: &str,
        item: &str,
        rank: u32,
    ) -> std::io::Result<()> {
        let rank = rank.to_string();
        self.write_row(
            ResponseKind::Ranking,
            &[respondent, group, item],
            Some(&rank),
        )
    }

    /// Writes one rating; `None` is "don't know". `criterion` is required exactly when the
    /// writer was made with the criterion column.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write_rating(
        &mut self,
        respondent: &str,
        group: &str,
        item: &str,
        criterion: Option<&str>,
        value: Option<RatingValue>,
    ) -> std::io::Result<()> {
        assert_eq!(
            criterion.is_some(),
            self.with_criterion,
            "a criterion is given exactly when the file has a criterion column"
        );
        let value = value.map(|value| value.to_string()).unwrap_or_default();
        match criterion {
            Some(criterion) => self.write_row(
                ResponseKind::Rating,
                &[respondent, group, item, criterion],
                Some(&value),
            ),
            None => self.write_row(
                ResponseKind::Rating,
                &[respondent, group, item],
                Some(&value),
            ),
        }
    }

    /// Writes one picked item.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write_pick(&mut self, respondent: &str, group: &str, item: &str) -> std::io::Result<()> {
        self.write_row(ResponseKind::Pick, &[respondent, group, item], None)
    }

    /// Writes one pairwise choice.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write_choice(
        &mut self,
        respondent: &str,
        group: &str,
        winner: &str,
        loser: &str,
    ) -> std::io::Result<()> {
        self.write_row(
            ResponseKind::Pairwise,
            &[respondent, group, winner, loser],
            None,
        )
    }

    /// Writes one suggestion.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write_suggestion(
        &mut self,
        respondent: &str,
        group: &str,
        text: &str,
    ) -> std::io::Result<()> {
        self.write_row(ResponseKind::Suggestions, &[respondent, group, text], None)
    }

    /// Writes one row of `kind`: text cells neutralised for spreadsheets, then the value cell
    /// (a rank or rating, never a formula) as it is.
    fn write_row(
        &mut self,
        kind: ResponseKind,
        texts: &[&str],
        value: Option<&str>,
    ) -> std::io::Result<()> {
        self.expect(kind);
        for text in texts {
            self.inner
                .write_field(neutralise_formula(text).as_bytes())?;
        }
        if let Some(value) = value {
            self.inner.write_field(value)?;
        }
        self.inner.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn finish(self) -> std::io::Result<W> {
        self.inner.into_inner().map_err(|error| error.into_error())
    }
}

/// Writes a whole response set in the exchange format. A record that stands for several
/// identical ballots (from PrefLib) is written as that many respondents, `ID.1`, `ID.2`, ...
///
/// # Errors
/// The writer's I/O error.
pub fn write_responses<W: Write>(responses: &Responses, output: W) -> std::io::Result<W> {
    let with_criterion = !responses.criteria.is_empty();
    let mut writer = ResponseWriter::new(output, responses.kind(), with_criterion)?;
    let item = |index: u32| responses.items[index as usize].id.as_str();
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let group = responses.groups[respondent.group as usize].as_str();
        let range = responses.range(index);
        for copy in 1..=respondent.count {
            let id_owned;
            let id = if respondent.count == 1 {
                respondent.id.as_str()
            } else {
                id_owned = format!("{}.{copy}", respondent.id);
                id_owned.as_str()
            };
            match &responses.answers {
                Answers::Ranking(entries) => {
                    for entry in &entries[range.clone()] {
                        writer.write_rank(id, group, item(entry.item), entry.rank)?;
                    }
                }
                Answers::Rating(entries) => {
                    for entry in &entries[range.clone()] {
                        let criterion = entry
                            .criterion
                            .map(|criterion| responses.criteria[criterion as usize].as_str());
                        writer.write_rating(id, group, item(entry.item), criterion, entry.value)?;
                    }
                }
                Answers::Pick(entries) => {
                    for &picked in &entries[range.clone()] {
                        writer.write_pick(id, group, item(picked))?;
                    }
                }
                Answers::Pairwise(entries) => {
                    for choice in &entries[range.clone()] {
                        writer.write_choice(id, group, item(choice.winner), item(choice.loser))?;
                    }
                }
                Answers::Suggestions(entries) => {
                    for text in &entries[range.clone()] {
                        writer.write_suggestion(id, group, text)?;
                    }
                }
            }
        }
    }
    writer.finish()
}

#[cfg(test)]
mod tests;
