//! The report as a tree of plain blocks, written once and rendered twice (HTML and Markdown),
//! so that both say exactly the same thing.
//!
//! Every string here is plain text, never markup: the renderers escape all of it. That keeps
//! escaping in two functions ([`escape_html`](super::html::escape_html) and
//! [`escape_markdown`](super::markdown::escape_markdown)) instead of at every place that writes
//! a label.

/// A run of text inside a paragraph, a list entry or a notice.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inline {
    /// Ordinary text.
    Text(String),
    /// Text in bold.
    Strong(String),
    /// A short program word (an id, a method name): shown in a code font. Only ever holds text
    /// the program chose or a slug, never free text from a person.
    Code(String),
}

/// Builds a paragraph's runs without ceremony: `text("a").strong("b").text("c")`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Runs(pub Vec<Inline>);

impl Runs {
    pub(crate) fn new() -> Runs {
        Runs(Vec::new())
    }

    pub(crate) fn text(mut self, text: impl Into<String>) -> Runs {
        self.0.push(Inline::Text(text.into()));
        self
    }

    pub(crate) fn strong(mut self, text: impl Into<String>) -> Runs {
        self.0.push(Inline::Strong(text.into()));
        self
    }

    pub(crate) fn code(mut self, text: impl Into<String>) -> Runs {
        self.0.push(Inline::Code(text.into()));
        self
    }
}

impl From<String> for Runs {
    fn from(text: String) -> Runs {
        Runs(vec![Inline::Text(text)])
    }
}

impl From<&str> for Runs {
    fn from(text: &str) -> Runs {
        Runs(vec![Inline::Text(text.to_string())])
    }
}

/// How a table column is aligned: numbers to the right so that digits line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A table with a caption, column headers and, optionally, one column of row headers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub caption: String,
    pub columns: Vec<(String, Align)>,
    pub rows: Vec<Vec<String>>,
    /// The column whose cells head their rows (`<th scope="row">`), if any.
    pub row_header: Option<usize>,
}

impl Table {
    pub(crate) fn new(caption: impl Into<String>, columns: &[(&str, Align)]) -> Table {
        Table {
            caption: caption.into(),
            columns: columns
                .iter()
                .map(|(name, align)| (name.to_string(), *align))
                .collect(),
            rows: Vec::new(),
            row_header: None,
        }
    }

    pub(crate) fn row_header(mut self, column: usize) -> Table {
        self.row_header = Some(column);
        self
    }

    pub(crate) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A chart placed in the text: the renderers inline its SVG (HTML) or link its PNG (Markdown).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    /// The chart's index in the report's chart list.
    pub chart: usize,
    /// The figure's number, counted from 1 in reading order.
    pub number: usize,
}

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A heading; level 1 is the title (exactly one), sections are 2, their parts 3 and 4.
    Heading {
        level: u8,
        anchor: String,
        text: String,
    },
    Paragraph(Runs),
    /// A paragraph set apart, for what a reader must not miss (simulated data).
    Notice(Runs),
    List(Vec<Runs>),
    Table(Table),
    Figure(Figure),
    /// Preformatted text: formulas and commands.
    Code(String),
    /// The list of sections, linked in HTML.
    Contents,
}

/// The whole report: a title, blocks, and the charts its figures point to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
    figure_count: usize,
    used_anchors: Vec<String>,
}

impl Document {
    pub(crate) fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            ..Document::default()
        }
    }

    /// Adds a heading with an anchor made from `anchor` (a slug the program chose), made
    /// unique by a number when it repeats.
    pub(crate) fn heading(&mut self, level: u8, anchor: &str, text: impl Into<String>) {
        let mut unique = anchor.to_string();
        let mut counter = 2;
        while self.used_anchors.contains(&unique) {
            unique = format!("{anchor}-{counter}");
            counter += 1;
        }
        self.used_anchors.push(unique.clone());
        self.blocks.push(Block::Heading {
            level,
            anchor: unique,
            text: text.into(),
        });
    }

    pub(crate) fn paragraph(&mut self, runs: impl Into<Runs>) {
        self.blocks.push(Block::Paragraph(runs.into()));
    }

    pub(crate) fn notice(&mut self, runs: impl Into<Runs>) {
        self.blocks.push(Block::Notice(runs.into()));
    }

    pub(crate) fn list(&mut self, entries: Vec<Runs>) {
        if !entries.is_empty() {
            self.blocks.push(Block::List(entries));
        }
    }

    pub(crate) fn table(&mut self, table: Table) {
        self.blocks.push(Block::Table(table));
    }

    pub(crate) fn code(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Code(text.into()));
    }

    pub(crate) fn contents(&mut self) {
        self.blocks.push(Block::Contents);
    }

    /// Places chart `chart` here as the next numbered figure.
    pub(crate) fn figure(&mut self, chart: usize) {
        self.figure_count += 1;
        self.blocks.push(Block::Figure(Figure {
            chart,
            number: self.figure_count,
        }));
    }

    /// The level-2 headings, for the contents.
    pub(crate) fn sections(&self) -> impl Iterator<Item = (&str, &str)> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Heading {
                level: 2,
                anchor,
                text,
            } => Some((anchor.as_str(), text.as_str())),
            _ => None,
        })
    }
}
