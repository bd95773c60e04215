//! Requisites on a form: ours (File ▸ «Реквизиты организации») and a partner's (in its
//! form, with its contract and VAT). Each field says what is wrong with it beside it.

use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::requisites::{Field, RequisiteError, Vat};
use crate::domain::{PartnerId, Requisites};
use crate::store::Right;

/// The fields of our organisation's form: all but a partner's contract and VAT.
fn ours() -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| !matches!(f, Field::ContractNo | Field::ContractDate | Field::Vat))
        .collect()
}

/// The fields of a partner's: all but the INN, which is the partner's own.
fn partners() -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| *f != Field::Inn)
        .collect()
}

/// Requisites as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequisitesDraft {
    texts: Requisites,
    contract_date: String,
    vat: String,
}

impl RequisitesDraft {
    /// The form filled from what is recorded.
    pub fn from(r: &Requisites, lang: Lang) -> RequisitesDraft {
        RequisitesDraft {
            texts: Requisites {
                contract_date: None,
                vat: None,
                ..r.clone()
            },
            contract_date: r
                .contract_date
                .map(|d| crate::domain::show_date(d, lang))
                .unwrap_or_default(),
            vat: match r.vat {
                None => String::new(),
                Some(Vat::NotLiable) => "не облагается".to_owned(),
                Some(Vat::Rate(rate)) => rate.decimal().normalize().to_string(),
            },
        }
    }

    /// The requisites, or every field's problem.
    pub fn parse(&self) -> Result<Requisites, Vec<RequisiteError>> {
        let mut problems = Vec::new();
        let contract_date = match crate::domain::trim(&self.contract_date) {
            "" => None,
            t => crate::domain::parse_date(t).or_else(|| {
                problems.push(RequisiteError::ContractDate {
                    found: t.to_owned(),
                });
                None
            }),
        };
        let vat = Vat::parse(&self.vat).unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        let r = Requisites {
            contract_date,
            vat,
            ..self.texts.clone()
        }
        .trimmed();
        problems.extend(r.problems());
        if problems.is_empty() {
            Ok(r)
        } else {
            Err(problems)
        }
    }

    /// A row per field, each with its problem under it once something is typed.
    fn rows_ui(&mut self, ui: &mut Ui, id: &str, fields: &[Field], ctx: &PageCtx) {
        let lang = ctx.lang;
        let problems = self.parse().err().unwrap_or_default();
        egui::Grid::new(id)
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for field in fields {
                    let error = problems
                        .iter()
                        .find(|p| p.field() == *field)
                        .map(|p| p.text(lang));
                    let hint = hint(*field);
                    let value = match field {
                        Field::ContractDate => &mut self.contract_date,
                        Field::Vat => &mut self.vat,
                        _ => match self.texts.text_mut(*field) {
                            Some(value) => value,
                            None => continue,
                        },
                    };
                    if *field == Field::ContractDate {
                        super::date_row(
                            ui,
                            field.label(lang),
                            value,
                            error.as_deref(),
                            ctx.today,
                            lang,
                        );
                    } else {
                        super::text_row(ui, field.label(lang), value, hint, error.as_deref());
                    }
                }
            });
    }
}

fn hint(field: Field) -> &'static str {
    match field {
        Field::FullName => "Общество с ограниченной ответственностью «…»",
        Field::Inn => "7707083893",
        Field::Kpp => "773601001",
        Field::Ogrn => "1027700132195",
        Field::Bik => "044525225",
        Field::Account => "40702810…",
        Field::CorrAccount => "30101810…",
        Field::SignerPosition => "Генеральный директор",
        Field::Vat => "не облагается / 20",
        _ => "",
    }
}

/// The window of our organisation's requisites; «Сохранить» once they read and differ
/// from what is recorded. `open` turns false when it is closed.
pub fn organisation_ui(
    ctx: &egui::Context,
    draft: &mut RequisitesDraft,
    recorded: &Requisites,
    page: &PageCtx,
    open: &mut bool,
) -> Option<Command> {
    let lang = page.lang;
    let mut command = None;
    egui::Window::new(lang.pick("Реквизиты организации", "Our requisites"))
        .open(open)
        .collapsible(false)
        .default_width(520.0)
        .vscroll(true)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(lang.pick(
                    "Они печатаются в отчётах партнёрам, актах сверки и платёжных поручениях.",
                    "They are printed on partners' statements, reconciliations and payment orders.",
                ))
                .weak(),
            );
            draft.rows_ui(ui, "organisation-grid", &ours(), page);
            command = save_ui(ui, draft, recorded, page, |r| {
                Command::SetOrganisation(Box::new(r))
            });
        });
    command
}

/// A partner's requisites, contract and VAT in its form.
pub fn partner_requisites_ui(
    ui: &mut Ui,
    draft: &mut RequisitesDraft,
    partner: PartnerId,
    recorded: &Requisites,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    ui.add_space(12.0);
    ui.separator();
    ui.strong(lang.pick("Реквизиты и договор", "Requisites and contract"));
    let missing = recorded.missing_for_payment();
    if !missing.is_empty() {
        ui.label(
            RichText::new(lang.say(
                "Без банковских реквизитов платёжное поручение не составить.",
                "A payment order needs the bank's requisites.",
            ))
            .color(super::warn_color(ui)),
        );
    }
    draft.rows_ui(ui, "partner-requisites-grid", &partners(), ctx);
    save_ui(ui, draft, recorded, ctx, |requisites| {
        Command::SetPartnerRequisites {
            partner,
            requisites: Box::new(requisites),
        }
    })
}

fn save_ui(
    ui: &mut Ui,
    draft: &RequisitesDraft,
    recorded: &Requisites,
    ctx: &PageCtx,
    command: impl FnOnce(Requisites) -> Command,
) -> Option<Command> {
    let lang = ctx.lang;
    let parsed = draft.parse().ok();
    let changed = parsed.as_ref().is_some_and(|r| {
        // A partner's INN is not the form's to change.
        let recorded = Requisites {
            inn: if r.inn.is_empty() {
                String::new()
            } else {
                recorded.inn.clone()
            },
            ..recorded.clone()
        };
        *r != recorded
    });
    let clicked = super::change_button(
        ui,
        ctx,
        Right::Record,
        changed,
        egui::Button::new(lang.pick("Сохранить реквизиты", "Save requisites")),
    )
    .clicked();
    parsed.filter(|_| clicked && changed).map(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_reads_back_what_it_was_filled_with_and_names_a_wrong_field() {
        let r = Requisites {
            full_name: "ООО «Альфа»".into(),
            bik: "044030827".into(),
            account: "40702810900000002851".into(),
            contract_no: "П-15".into(),
            contract_date: chrono::NaiveDate::from_ymd_opt(2025, 2, 1),
            vat: Some(Vat::NotLiable),
            ..Requisites::default()
        };
        let mut draft = RequisitesDraft::from(&r, Lang::Ru);
        assert_eq!(draft.parse(), Ok(r));
        draft.contract_date = "31.02.2025".into();
        draft.texts.account = "40702810900000002852".into();
        let fields: Vec<Field> = draft
            .parse()
            .unwrap_err()
            .iter()
            .map(RequisiteError::field)
            .collect();
        assert_eq!(fields, [Field::ContractDate, Field::Account]);
    }
}
