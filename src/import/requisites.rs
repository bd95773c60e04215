//! Requisites from files: the columns of a partners file that hold them, and our
//! organisation's requisites from a text file of `Поле = значение` lines.

use super::errors::{ImportError, Problem, RowError};
use super::mapping::{self, fields};
use super::{ImportKind, parse_date};
use crate::domain::Requisites;
use crate::domain::requisites::{Field, Vat};
use crate::store::RuleError;

/// The requisites' columns of a partners file and the fields they hold.
pub(super) const REQUISITES: [(&str, Field); 14] = [
    ("full_name", Field::FullName),
    ("kpp", Field::Kpp),
    ("ogrn", Field::Ogrn),
    ("address", Field::Address),
    ("bank_name", Field::BankName),
    ("bik", Field::Bik),
    ("account", Field::Account),
    ("corr_account", Field::CorrAccount),
    ("signer_position", Field::SignerPosition),
    ("signer_name", Field::SignerName),
    ("accountant", Field::Accountant),
    ("contract_no", Field::ContractNo),
    ("contract_date", Field::ContractDate),
    ("vat", Field::Vat),
];

/// The field a line's name means: a partners file's header for it, or the form's label.
fn field_named(name: &str) -> Option<Field> {
    let folded = mapping::normalize(name);
    if let Some(field) = Field::ALL
        .into_iter()
        .find(|f| mapping::normalize(f.label(crate::domain::Lang::Ru)) == folded)
    {
        return Some(field);
    }
    let code = fields(ImportKind::Partners)
        .iter()
        .find(|f| f.matches(name))?
        .code;
    match code {
        "inn" => Some(Field::Inn),
        "name" => Some(Field::FullName),
        _ => REQUISITES.iter().find(|(c, _)| *c == code).map(|(_, f)| *f),
    }
}

/// Our organisation's requisites from a text file (UTF-8 or Windows-1251): a line
/// `Поле = значение` (or the name and value separated by a tab) per field, by the form's
/// Russian labels or a partners file's headers («ИНН», «КПП», «Расчетный счет», «БИК»…);
/// blank lines and lines starting with `#` are skipped. Every field is checked; every
/// wrong line is reported.
pub fn read_organisation(bytes: &[u8]) -> Result<Requisites, ImportError> {
    let (text, _) = super::source::decode_text(bytes)?;
    let mut requisites = Requisites::default();
    let mut errors = Vec::new();
    let mut lines_of = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line
            .split_once('=')
            .or_else(|| line.split_once('\t'))
            .unwrap_or((line, ""));
        let fail = |problem| RowError {
            line: line_no,
            column: name.trim().to_owned(),
            problem,
        };
        let Some(field) = field_named(name) else {
            errors.push(fail(Problem::UnknownRequisite(name.trim().to_owned())));
            continue;
        };
        let value = value.trim();
        lines_of.push((field, line_no, name.trim().to_owned()));
        match field {
            Field::ContractDate => match parse_date(value) {
                Ok(date) => requisites.contract_date = Some(date),
                Err(p) => errors.push(fail(p)),
            },
            Field::Vat => match Vat::parse(value) {
                Ok(vat) => requisites.vat = vat,
                Err(e) => errors.push(fail(Problem::Rule(RuleError::Requisite(Box::new(e))))),
            },
            _ => {
                if let Some(to) = requisites.text_mut(field) {
                    value.clone_into(to);
                }
            }
        }
    }
    for problem in requisites.problems() {
        let (line, column) = lines_of
            .iter()
            .rev()
            .find(|(f, _, _)| *f == problem.field())
            .map_or((0, String::new()), |(_, l, n)| (*l, n.clone()));
        errors.push(RowError {
            line,
            column,
            problem: Problem::Rule(RuleError::Requisite(Box::new(problem))),
        });
    }
    if errors.is_empty() {
        Ok(requisites)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(ImportError::Rows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_requisites_are_read_by_russian_names_and_each_wrong_line_is_named() {
        let text = "# Реквизиты\nПолное наименование = ООО «Коннект»\nИНН = 7707083893\n\
                    КПП = 773601001\nБИК = 044525225\nРасчетный счет = 40702810900000002851\n\
                    Корр. счет = 30101810400000000225\n";
        let r = read_organisation(text.as_bytes()).unwrap_err();
        let ImportError::Rows(rows) = r else {
            panic!("{r:?}")
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].line, rows[0].column.as_str()),
            (6, "Расчетный счет")
        );
        let good = text.replace("044525225", "044030827").replace(
            "Корр. счет = 30101810400000000225\n",
            "Главный бухгалтер = Петрова А. А.\n",
        );
        let r = read_organisation(good.as_bytes()).unwrap();
        assert_eq!(r.full_name, "ООО «Коннект»");
        assert_eq!(r.account, "40702810900000002851");
        assert_eq!(r.accountant, "Петрова А. А.");
        let unknown = read_organisation("Любимый цвет = синий\n".as_bytes()).unwrap_err();
        assert!(
            matches!(unknown, ImportError::Rows(ref r) if r[0].problem == Problem::UnknownRequisite("Любимый цвет".into()))
        );
    }
}
