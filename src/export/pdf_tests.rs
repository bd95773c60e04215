//! The PDF's layout: every header field on a page, the footer clear of the page number.

use super::footer::PAGE_NUMBER_W;
use super::*;
use crate::domain::{Inn, RateBook, RateTable, RateVersion, Status, StatusChange, StatusHistory};

/// A statement of a partner whose name is the longest allowed, of the widest letter,
/// with many rate versions.
fn widest(name_chars: usize) -> Statement {
    let day = |d: &str| crate::domain::parse_date(d).unwrap_or_default();
    let partner = crate::domain::PartnerFacts {
        inn: Inn::parse("7707083893").unwrap_or_else(|e| panic!("{e:?}")),
        name: "Ш".repeat(name_chars),
        one_c_partner: true,
        history: StatusHistory::new(vec![StatusChange {
            effective_from: day("2024-01-01"),
            status: Some(Status::Integrator),
        }]),
    };
    let rates = RateBook::new(
        (1..=28)
            .map(|d| RateVersion {
                effective_from: Some(day(&format!("2025-02-{d:02}"))),
                table: RateTable::regulation_default(),
            })
            .collect(),
    );
    crate::domain::statement::build_statement(
        &partner,
        &rates,
        &[],
        day("2025-01-01"),
        day("2025-03-31"),
        day("2025-04-01"),
    )
}

#[test]
fn every_header_field_is_on_a_page_whatever_the_names_length() {
    let s = widest(crate::domain::TextKind::Name.max_chars());
    for lang in [Lang::Ru, Lang::En] {
        let (layout, _, _) = statement_layout(&s, lang).unwrap_or_else(|e| panic!("{e:?}"));
        let texts: Vec<(f32, &str)> = layout
            .pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { y, text, .. } => Some((*y, text.as_str())),
                _ => None,
            })
            .collect();
        for (y, text) in &texts {
            assert!(*y <= BOTTOM, "{text:?} at {y}, below the page's text");
        }
        for label in [
            lang.pick("ИНН", "INN"),
            lang.pick("Статус на конец периода", "Status at period end"),
            lang.pick("Период", "Period"),
            lang.pick("Версии ставок", "Rate versions"),
        ] {
            assert!(texts.iter().any(|(_, t)| *t == label), "{label}");
        }
    }
}

#[test]
fn the_footer_never_reaches_the_page_number() {
    let measure = Measure {
        regular: Face::new(REGULAR).unwrap_or_else(|e| panic!("{e:?}")),
        bold: Face::new(BOLD).unwrap_or_else(|e| panic!("{e:?}")),
    };
    let widest_number = measure.width("стр. 9999 из 9999", FOOTER_SIZE, false);
    assert!(widest_number <= PAGE_NUMBER_W);
    for chars in [1, 60, 120, 500] {
        let s = widest(chars);
        for lang in [Lang::Ru, Lang::En] {
            let footer = statement_footer(&measure, &s, lang);
            let right = MARGIN + measure.width(&footer, FOOTER_SIZE, false);
            assert!(
                right + 6.0 <= PAGE_W - MARGIN - widest_number,
                "{chars}: the footer ends at {right}"
            );
            // The period is whole; the name is shortened only when it must be.
            assert!(footer.ends_with(&show_date(s.to, lang)), "{footer}");
            assert_eq!(footer.contains('…'), chars > 60, "{chars}: {footer}");
        }
    }
}
