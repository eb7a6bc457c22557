//! Writing the exchange format: [`ResponseWriter`] row by row, [`write_responses`] a whole set.

use std::io::Write;

use super::{Answers, RatingValue, ResponseKind, Responses, Shown, neutralise_formula};

/// The name of the optional column that records the order a respondent was shown.
pub const SHOWN_ORDER_COLUMN: &str = "shown_order";

/// Writes the exchange format row by row, streaming.
pub struct ResponseWriter<W: Write> {
    inner: csv::Writer<W>,
    kind: ResponseKind,
    with_criterion: bool,
    /// Whether the file has the `shown_order` column.
    with_shown_order: bool,
    /// The `shown_order` cell of the rows written next (see [`ResponseWriter::set_shown`]).
    shown: String,
}

impl<W: Write> ResponseWriter<W> {
    /// Starts a file of `kind` and writes its header. `with_criterion` adds the `criterion`
    /// column of multi-criteria rating files.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn new(output: W, kind: ResponseKind, with_criterion: bool) -> std::io::Result<Self> {
        Self::with_columns(output, kind, with_criterion, false)
    }

    /// Starts a file as [`ResponseWriter::new`] does, with the `shown_order` column when
    /// `with_shown_order` is true (never for suggestions, which show no items); each row's
    /// cell is the one last given to [`ResponseWriter::set_shown`].
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn with_columns(
        output: W,
        kind: ResponseKind,
        with_criterion: bool,
        with_shown_order: bool,
    ) -> std::io::Result<Self> {
        let with_shown_order = with_shown_order && kind != ResponseKind::Suggestions;
        let mut inner = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(output);
        let mut header = kind
            .header(with_criterion && kind == ResponseKind::Rating)
            .to_vec();
        if with_shown_order {
            header.push(SHOWN_ORDER_COLUMN);
        }
        inner.write_record(&header)?;
        Ok(ResponseWriter {
            inner,
            kind,
            with_criterion: with_criterion && kind == ResponseKind::Rating,
            with_shown_order,
            shown: String::new(),
        })
    }

    /// Sets the `shown_order` cell of the rows written next: item ids separated by spaces, in
    /// the order shown (for a pairwise row, the pair as shown); empty for not recorded. Ignored
    /// by a file without the column.
    pub fn set_shown(&mut self, cell: &str) {
        self.shown.clear();
        self.shown.push_str(cell);
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
        if self.with_shown_order {
            // Item ids are slugs, never formulas.
            self.inner.write_field(self.shown.as_bytes())?;
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
    let mut writer = ResponseWriter::with_columns(
        output,
        responses.kind(),
        with_criterion,
        responses.has_shown_order(),
    )?;
    let item = |index: u32| responses.items[index as usize].id.as_str();
    let shown_of = |respondent: usize| {
        responses
            .shown
            .as_ref()
            .and_then(|shown| shown.get(respondent))
    };
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
            match shown_of(index) {
                Some(Shown::Items(order)) => {
                    let cell: Vec<&str> = order.iter().map(|&entry| item(entry)).collect();
                    writer.set_shown(&cell.join(" "));
                }
                _ => writer.set_shown(""),
            }
            // Pairwise: each recorded side is written with the first choice it matches.
            let mut pairs_left: Vec<_> = match shown_of(index) {
                Some(Shown::Pairs(pairs)) => pairs.clone(),
                _ => Vec::new(),
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
                        let found = pairs_left.iter().position(|shown| shown.choice == *choice);
                        match found.map(|position| pairs_left.remove(position)) {
                            Some(shown) if shown.winner_first => writer.set_shown(&format!(
                                "{} {}",
                                item(choice.winner),
                                item(choice.loser)
                            )),
                            Some(_) => writer.set_shown(&format!(
                                "{} {}",
                                item(choice.loser),
                                item(choice.winner)
                            )),
                            None => writer.set_shown(""),
                        }
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
