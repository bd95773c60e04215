//! The statement as a PDF document to sign: A4 landscape, the bundled DejaVu Sans embedded
//! (Cyrillic and ₽, text extractable), ruled rows, right-aligned money, the table header
//! repeated on every page, totals, «стр. N из M», and room for both sides' signatures.
//!
//! Layout is done first into pages of drawing operations, so the page count is known when
//! the footers are drawn.

use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::domain::lang::Lang;
use crate::domain::{Statement, show_date};
use crate::export::list::List;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 842.0;
const PAGE_H: f32 = 595.0;
const MARGIN: f32 = 36.0;
const FOOTER_Y: f32 = PAGE_H - 20.0;
const BOTTOM: f32 = PAGE_H - 44.0;
const ROW_H: f32 = 15.0;
const BODY: f32 = 8.0;
/// The height of each further line of a table row whose cells wrap.
const LINE_H: f32 = 9.5;

/// Why the PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot make the PDF: {0}")]
pub struct PdfError(String);

/// A bundled font's glyphs and their advances, read from its tables once per document.
struct Face<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    /// Advances in ems (metrics at a size of 1).
    metrics: skrifa::metrics::GlyphMetrics<'a>,
}

impl<'a> Face<'a> {
    fn new(bytes: &'a [u8]) -> Result<Face<'a>, PdfError> {
        let font = skrifa::FontRef::new(bytes).map_err(|e| PdfError(e.to_string()))?;
        Ok(Face {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::new(1.0), LocationRef::default()),
        })
    }

    /// A character's glyph (0, the font's "missing" glyph, when it has none) and its
    /// advance in ems (half an em for a missing one).
    fn glyph(&self, c: char) -> (u32, f32) {
        match self.charmap.map(c) {
            Some(glyph) => {
                let advance = self.metrics.advance_width(glyph).unwrap_or(0.0);
                (glyph.to_u32(), advance)
            }
            None => (0, 0.5),
        }
    }
}

/// Widths and glyphs of text in the bundled fonts. Text is laid out one character after
/// another, as the widths are measured: the statement's words and figures need no
/// shaping, and shaping every cell (re-reading the font's layout tables each time) took
/// most of the time of a statement of fifty thousand lines.
struct Measure<'a> {
    regular: Face<'a>,
    bold: Face<'a>,
}

impl Measure<'_> {
    fn face(&self, bold: bool) -> &Face<'_> {
        if bold { &self.bold } else { &self.regular }
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = self.face(bold);
        text.chars().map(|c| face.glyph(c).1).sum::<f32>() * size
    }

    /// The glyphs that draw `text`, each with the part of the text it stands for (so the
    /// PDF's text can be copied and searched).
    fn glyphs(&self, text: &str, bold: bool) -> Vec<KrillaGlyph> {
        let face = self.face(bold);
        text.char_indices()
            .map(|(at, c)| {
                let (glyph, advance) = face.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(glyph),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// The text in lines no wider than `width`, broken between words; a word wider than
    /// a line by itself (a long document number) is broken between its characters.
    /// Nothing is left out: the lines hold every character but the spaces they break at.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let face = self.face(bold);
        let advance = |c: char| face.glyph(c).1 * size;
        let mut lines = Vec::new();
        let (mut line, mut line_width) = (String::new(), 0.0);
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let word_width: f32 = word.chars().map(advance).sum();
            let space = if line.is_empty() { 0.0 } else { advance(' ') };
            if line_width + space + word_width <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            for c in word.chars() {
                if line_width + advance(c) > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += advance(c);
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// One drawing operation.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: u8,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: u8,
    },
}

/// Lays text and lines out into pages.
struct Layout<'a> {
    measure: Measure<'a>,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout<'static> {
    /// An empty layout in the bundled fonts.
    fn new() -> Result<Layout<'static>, PdfError> {
        let measure = Measure {
            regular: Face::new(REGULAR)?,
            bold: Face::new(BOLD)?,
        };
        Ok(Layout::with(measure))
    }
}

impl<'a> Layout<'a> {
    /// An empty layout measured by `measure`, its first line at the top of the page.
    fn with(measure: Measure<'a>) -> Layout<'a> {
        Layout {
            measure,
            pages: Vec::new(),
            y: MARGIN + 14.0,
        }
    }
}

impl Layout<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        let y = self.y;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            text: text.to_owned(),
        });
    }

    /// Text right-aligned to `right`.
    fn text_right(&mut self, right: f32, size: f32, bold: bool, text: &str) {
        let x = right - self.measure.width(text, size, bold);
        self.text(x, size, bold, text);
    }

    fn rule(&mut self, y: f32, width: f32, gray: u8) {
        self.ops().push(Op::Line {
            x1: MARGIN,
            y1: y,
            x2: PAGE_W - MARGIN,
            y2: y,
            width,
            gray,
        });
    }

    /// A line from `x1` to `x2` at height `y`.
    fn line(&mut self, (x1, x2): (f32, f32), y: f32, width: f32, gray: u8) {
        self.ops().push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            gray,
        });
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN + 10.0;
    }

    /// Starts a new page if `height` does not fit on this one; true when it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }
}

/// A column of a table: title, width, right-aligned.
struct Col<'a> {
    title: &'a str,
    width: f32,
    right: bool,
}

impl Layout<'_> {
    /// The header row of a table, shaded, on the line at `y`.
    fn table_header(&mut self, cols: &[Col<'_>]) {
        let y = self.y - 10.5;
        // A title that wraps makes the header taller, never spills into the first row.
        let extra = cols
            .iter()
            .map(|c| self.measure.wrap(c.title, BODY, true, c.width - 6.0).len())
            .max()
            .unwrap_or(1) as f32
            - 1.0;
        self.ops().push(Op::Fill {
            x: MARGIN,
            y,
            w: PAGE_W - 2.0 * MARGIN,
            h: ROW_H + extra * LINE_H,
            gray: 232,
        });
        let mut x = MARGIN + 2.0;
        for c in cols {
            // A long title wraps like a cell; the header grows to hold it.
            for (i, text) in self
                .measure
                .wrap(c.title, BODY, true, c.width - 6.0)
                .iter()
                .enumerate()
            {
                let top = self.y;
                self.y = top + i as f32 * LINE_H;
                if c.right {
                    self.text_right(x + c.width - 6.0, BODY, true, text);
                } else {
                    self.text(x, BODY, true, text);
                }
                self.y = top;
            }
            x += c.width;
        }
        self.rule(y + ROW_H + extra * LINE_H, 0.6, 120);
        self.y += ROW_H + extra * LINE_H;
    }

    /// A line of small text across the page, wrapped at its spaces (none when empty).
    fn lines(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        for line in self.measure.wrap(text, 8.5, false, PAGE_W - 2.0 * MARGIN) {
            self.ensure(LINE_H);
            self.text(MARGIN, 8.5, false, &line);
            self.y += LINE_H;
        }
    }

    /// A table: the header on every page it runs onto, each row as tall as its longest
    /// cell, wrapped to its column (nothing is cut).
    fn table(&mut self, cols: &[Col<'_>], rows: impl IntoIterator<Item = Vec<String>>) {
        self.table_header(cols);
        for cells in rows {
            let wrapped: Vec<Vec<String>> = cols
                .iter()
                .zip(&cells)
                .map(|(c, text)| self.measure.wrap(text, BODY, false, c.width - 6.0))
                .collect();
            let extra = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 - 1.0;
            if self.ensure(ROW_H + extra * LINE_H) {
                self.table_header(cols);
            }
            let top = self.y;
            let mut x = MARGIN + 2.0;
            for (c, lines) in cols.iter().zip(&wrapped) {
                for (i, text) in lines.iter().enumerate() {
                    self.y = top + i as f32 * LINE_H;
                    if c.right {
                        self.text_right(x + c.width - 6.0, BODY, false, text);
                    } else {
                        self.text(x, BODY, false, text);
                    }
                }
                x += c.width;
            }
            self.y = top + extra * LINE_H;
            let y = self.y + 4.5;
            self.rule(y, 0.3, 190);
            self.y += ROW_H;
        }
    }
}

/// The statement as PDF bytes, in the given language.
pub fn statement_pdf(s: &Statement, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let (layout, title, footer) = statement_layout(s, lang)?;
    render(layout, title, &footer, lang)
}

/// The акт сверки of a partner as PDF.
pub fn reconciliation_pdf(
    r: &crate::domain::reconciliation::Reconciliation,
    lang: Lang,
) -> Result<Vec<u8>, PdfError> {
    let (layout, title, footer) = reconciliation::reconciliation_layout(r, lang)?;
    render(layout, title, &footer, lang)
}

/// A list shown on a page, to print: its title, the date it was made, and its table with
/// columns as wide as their contents need, within the page.
pub fn list_pdf(list: &List, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let measure = Measure {
        regular: Face::new(REGULAR)?,
        bold: Face::new(BOLD)?,
    };
    let texts: Vec<Vec<String>> = list
        .rows
        .iter()
        .map(|row| row.iter().map(|v| v.display(lang)).collect())
        .collect();
    let widths = column_widths(list, &texts, &measure);
    let cols: Vec<Col<'_>> = list
        .columns
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (c, width))| Col {
            title: &c.title,
            width,
            right: list.rows.first().is_some_and(|row| row[i].is_number()),
        })
        .collect();
    let mut l = Layout::with(measure);
    l.text(MARGIN, 14.0, true, &list.title);
    l.y += 16.0;
    let made = format!(
        "{} {} · {} {}",
        lang.pick("Сформирован", "Made on"),
        show_date(list.made_on, lang),
        lang.pick("строк:", "rows:"),
        list.rows.len()
    );
    l.text(MARGIN, 8.5, false, &made);
    l.y += 12.0;
    l.lines(&list.filter);
    l.y += 6.0;
    l.table(&cols, texts);
    l.y += 4.0;
    l.lines(&list.totals);
    let footer = format!("Partner Desk · {}", list.title);
    render(l, list.title.clone(), &footer, lang)
}

/// The widths of a list's columns on the page. A column of numbers, dates or codes is as
/// wide as its widest value and its title's longest word, so that none is ever broken; the
/// columns of text share the rest, each as wide as its widest cell (up to a limit) when
/// there is room, and never narrower than its longest word while there is room for that.
fn column_widths(list: &List, texts: &[Vec<String>], measure: &Measure) -> Vec<f32> {
    const PAD: f32 = 8.0;
    let room = PAGE_W - 2.0 * MARGIN - 4.0;
    let longest_word = |text: &str, bold| {
        text.split(' ')
            .map(|w| measure.width(w, BODY, bold))
            .fold(0.0, f32::max)
    };
    let columns: Vec<(bool, f32, f32)> = list
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let whole = list.rows.iter().any(|row| row[i].is_whole());
            let widest = texts
                .iter()
                .map(|row| measure.width(&row[i], BODY, false))
                .fold(0.0, f32::max);
            let title = longest_word(&c.title, true);
            let words = texts
                .iter()
                .map(|row| longest_word(&row[i], false))
                .fold(title, f32::max);
            let least = if whole {
                widest.max(title)
            } else {
                words.min(160.0)
            };
            let natural = if whole {
                least
            } else {
                widest.min(240.0).max(least)
            };
            (whole, least.max(24.0) + PAD, natural.max(24.0) + PAD)
        })
        .collect();
    let fixed: f32 = columns.iter().filter(|c| c.0).map(|c| c.2).sum();
    let natural: f32 = columns.iter().filter(|c| !c.0).map(|c| c.2).sum();
    let least: f32 = columns.iter().filter(|c| !c.0).map(|c| c.1).sum();
    let left = room - fixed;
    columns
        .iter()
        .map(|&(whole, least_w, natural_w)| match whole {
            true => natural_w,
            // Room for every text column's whole cells.
            false if natural <= left => natural_w,
            // Between their longest words and their whole cells, alike.
            false if least <= left => {
                least_w + (natural_w - least_w) * (left - least) / (natural - least).max(1.0)
            }
            // Not even that: the text columns share what is left, and words break.
            false => (natural_w * left / natural.max(1.0)).max(24.0),
        })
        .collect()
}

fn render(
    layout: Layout<'_>,
    title: String,
    footer: &str,
    lang: Lang,
) -> Result<Vec<u8>, PdfError> {
    let font = |bytes: &'static [u8]| {
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
        Font::new(data.into(), 0).ok_or_else(|| PdfError("the bundled font cannot be read".into()))
    };
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let total = layout.pages.len();
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title)
            .language(lang.pick("ru", "en").to_owned())
            .creator("Partner Desk".to_owned()),
    );
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError("bad page size".into()))?;
    for (index, ops) in layout.pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Fill { x, y, w, h, gray } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x, *y);
                    pb.line_to(x + w, *y);
                    pb.line_to(x + w, y + h);
                    pb.line_to(*x, y + h);
                    pb.close();
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: rgb::Color::new(*gray, *gray, *gray).into(),
                            opacity: NormalizedF32::ONE,
                            rule: Default::default(),
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    gray,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(*gray, *gray, *gray).into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    text,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    let font = if *is_bold {
                        bold.clone()
                    } else {
                        regular.clone()
                    };
                    let glyphs = layout.measure.glyphs(text, *is_bold);
                    surface.draw_glyphs(Point::from_xy(*x, *y), &glyphs, font, text, *size, false);
                }
            }
        }
        surface.set_fill(Some(Fill::default()));
        let footer = layout.measure.fit(footer, FOOTER_SIZE, FOOTER_W);
        let glyphs = layout.measure.glyphs(&footer, false);
        let at = Point::from_xy(MARGIN, FOOTER_Y);
        surface.draw_glyphs(at, &glyphs, regular.clone(), &footer, FOOTER_SIZE, false);
        let pages = format!(
            "{} {} {} {}",
            lang.pick("стр.", "page"),
            index + 1,
            lang.pick("из", "of"),
            total
        );
        let width = layout.measure.width(&pages, FOOTER_SIZE, false);
        let glyphs = layout.measure.glyphs(&pages, false);
        let at = Point::from_xy(PAGE_W - MARGIN - width, FOOTER_Y);
        surface.draw_glyphs(at, &glyphs, regular.clone(), &pages, FOOTER_SIZE, false);
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

mod footer;
mod reconciliation;
mod statement;
use footer::{FOOTER_SIZE, FOOTER_W, statement_footer};
use statement::statement_layout;

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
