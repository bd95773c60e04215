//! The footer of a PDF's pages: its text fitted before the page number at its right.

use super::{MARGIN, Measure, PAGE_W, Statement, show_date};
use crate::domain::lang::Lang;

/// The footer's type size.
pub(super) const FOOTER_SIZE: f32 = 7.5;
/// The page number's place at the footer's right: wide enough for «стр. 9999 из 9999».
pub(super) const PAGE_NUMBER_W: f32 = 80.0;
/// How wide the footer's text may run before the page number's place.
pub(super) const FOOTER_W: f32 = PAGE_W - 2.0 * MARGIN - PAGE_NUMBER_W - 12.0;

impl Measure<'_> {
    /// `text` as it fits in `width` (regular face): itself, or its start with `…`.
    pub(super) fn fit(&self, text: &str, size: f32, width: f32) -> String {
        if self.width(text, size, false) <= width {
            return text.to_owned();
        }
        let room = width - self.width("…", size, false);
        let mut used = 0.0;
        let mut fitted: String = text
            .chars()
            .take_while(|&c| {
                used += self.regular.glyph(c).1 * size;
                used <= room
            })
            .collect();
        fitted.truncate(fitted.trim_end().len());
        fitted.push('…');
        fitted
    }
}

/// The footer of a statement's pages: the partner's name, shortened with `…` when long
/// (the first page has it whole), and the period, whole, clear of the page number.
pub(super) fn statement_footer(measure: &Measure<'_>, s: &Statement, lang: Lang) -> String {
    let period = format!(
        " · {} {} — {}",
        lang.pick("период", "period"),
        show_date(s.from, lang),
        show_date(s.to, lang)
    );
    let room = FOOTER_W - measure.width(&period, FOOTER_SIZE, false);
    format!(
        "{}{period}",
        measure.fit(&s.partner.name, FOOTER_SIZE, room)
    )
}
