//! A list as the window shows it: columns and rows of typed values. A table draws it, Ctrl+C
//! copies it as tab-separated text, and it is exported to Excel (real dates, amounts and
//! rates) or to a PDF to print, so what leaves the program is what the screen shows.

use chrono::NaiveDate;

use crate::domain::lang::Lang;
use crate::domain::{Money, RatePct, show_date};

/// One cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// A code read character by character (an INN, a statement number): monospace on
    /// screen, text in Excel.
    Code(String),
    Date(NaiveDate),
    Money(Money),
    Count(i64),
    Rate(RatePct),
}

impl Value {
    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }

    /// As the screen and a printed list show it: `1 234,56 ₽`, `12,5 %`, `31.01.2025`.
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) | Value::Code(text) => text.clone(),
            Value::Date(date) => show_date(*date, lang),
            Value::Money(money) => money.display(lang),
            Value::Count(n) => n.to_string(),
            Value::Rate(rate) => format!("{}\u{a0}%", rate.display(lang)),
        }
    }

    /// As a spreadsheet cell reads it when pasted: numbers without the currency and the
    /// thousands' separators, with the language's decimal separator; a percent sign kept.
    pub fn copy_text(&self, lang: Lang) -> String {
        match self {
            Value::Money(money) => money.plain().replace('.', lang.pick(",", ".")),
            Value::Rate(rate) => format!("{}%", rate.display(lang)),
            // A tab or a line break inside a cell would split it when pasted.
            other => other.display(lang).replace(['\t', '\n', '\r'], " "),
        }
    }

    /// Numbers, dates and amounts stand right in a column.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Money(_) | Value::Count(_) | Value::Rate(_))
    }

    /// A value read whole or not at all: a number, a date, a code (an INN). It is never
    /// broken across lines or cut.
    pub fn is_whole(&self) -> bool {
        !matches!(self, Value::Text(_) | Value::Empty)
    }
}

/// A column of a list: its title and how wide it is in a spreadsheet (characters).
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    pub width: f64,
}

/// A list to take out of the program: a title (the sheet's and the printed page's), the
/// day it was made, the columns shown, and the rows shown, in their order.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub title: String,
    pub made_on: NaiveDate,
    /// What the list is filtered by, said in a line under its title (empty: nothing).
    pub filter: String,
    /// The list's totals, said in a line under its table (empty: none).
    pub totals: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

/// A list's filter as its printout says it under the title: «Фильтр: a · b», or `none`
/// when nothing filters it.
pub fn filter_line(said: &[String], none: &str, lang: Lang) -> String {
    let filter = lang.pick("Фильтр:", "Filter:");
    match said.is_empty() {
        true => format!("{filter} {none}"),
        false => format!("{filter} {}", said.join(" · ")),
    }
}

/// Rows as tab-separated lines, which paste into a spreadsheet's cells.
pub fn tab_separated<'a>(rows: impl IntoIterator<Item = &'a [Value]>, lang: Lang) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|v| v.copy_text(lang)).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_cells_paste_as_numbers_and_dates() {
        let row = [
            Value::Date(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()),
            Value::Money(Money::from_kopecks(123_456_789)),
            Value::Rate(RatePct::parse("12,5").unwrap()),
            Value::text("ООО\t«Альфа»"),
        ];
        assert_eq!(
            tab_separated([&row[..]], Lang::Ru),
            "31.01.2025\t1234567,89\t12,5%\tООО «Альфа»\n"
        );
        assert_eq!(
            tab_separated([&row[..]], Lang::En),
            "2025-01-31\t1234567.89\t12.5%\tООО «Альфа»\n"
        );
    }
}
