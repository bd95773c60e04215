//! A write refused by the regulation or by what is already recorded: the user's to fix,
//! said in Russian and English side by side.

use chrono::NaiveDate;

use crate::domain::TextError;
use crate::domain::lang::{Lang, Localized, english_display};
use crate::domain::{self, Inn, ShipmentRefusal, TextField};

/// A write refused by the regulation or by what is already recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    PartnerExists {
        inn: Inn,
    },
    UnknownPartner {
        inn: String,
    },
    EmptyName,
    PinConflict {
        client: Inn,
        holder: String,
        last_day: NaiveDate,
    },
    NoPinInForce {
        client: Inn,
        partner: String,
        date: NaiveDate,
    },
    PinNotInForce {
        date: NaiveDate,
    },
    UnknownPin,
    Shipment {
        client: Inn,
        partner: String,
        refusal: ShipmentRefusal,
        holder: Option<String>,
    },
    DuplicateDoc {
        doc: String,
    },
    UnknownSale {
        doc: String,
    },
    ReturnOfReturn,
    ReturnBeforeSale {
        date: NaiveDate,
        sale_date: NaiveDate,
    },
    ReturnTooLarge {
        left: crate::domain::Money,
    },
    RateVersionExists {
        date: NaiveDate,
    },
    DateOutOfRange,
    AlreadyIssued {
        number: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    UnknownStatement {
        number: String,
    },
    AlreadyReopened {
        number: String,
    },
    /// A statement with payments recorded on it is not reopened: they would lose it.
    StatementPaid {
        number: String,
        paid: crate::domain::Money,
    },
    ReasonRequired,
    EmptyStatement,
    PeriodLocked {
        number: String,
    },
    SaleHasReturns,
    ReturnNotEditable,
    NothingCorrected,
    ChangedMeanwhile,
    /// A deleted record asked to be restored was restored already.
    AlreadyRestored,
    /// A deleted record whose deletion did not keep whether it was a sale or a return
    /// (deleted before the program kept it) cannot be put back.
    NotRestorable,
    NothingToCancel,
    CancelConflicts {
        event: &'static str,
        holder: String,
        from: NaiveDate,
    },
    CancelReasonRequired,
    ImportNotUndoable,
    /// Nothing was ever imported into this database.
    NoImport,
    /// A requisite refused, naming its field.
    Requisite(Box<crate::domain::RequisiteError>),
    /// A payment of a statement that is not issued or is reopened.
    NotDue,
    /// A payment of more than is left on a statement.
    PaymentTooLarge {
        number: String,
        left: String,
    },
    /// A payment order for a partner without bank requisites: nothing is written for it.
    NoBankRequisites {
        partner: String,
    },
    /// Payment orders without our bank requisites.
    NoOurBankRequisites,
    /// No statement chosen has anything left to pay.
    NothingToPay,
    Text {
        field: TextField,
        error: TextError,
    },
    /// A rule the database keeps (a constraint, a trigger) refused the row: `rule` says
    /// which, as the schema writes it.
    KeptByTheDatabase {
        rule: String,
    },
    /// The database's own check of a return refused it (another writer's return; the
    /// program checks first, `domain::lock::check_return`): `rule` is its code.
    ReturnBroken {
        rule: String,
    },
}

impl RuleError {
    /// Refuses `text` for `field` past its limit or with a control character: checked
    /// before every write of a text, whichever the engine, whatever path it came by.
    pub fn check_text(field: TextField, text: &str) -> Result<(), RuleError> {
        field
            .check(text)
            .map_err(|error| RuleError::Text { field, error })
    }
}

/// What the database's check of a return says, by its code (the triggers' `return: CODE`).
fn return_rule(code: &str, lang: Lang) -> &'static str {
    match code {
        "no_such_sale" => lang.pick(
            "продажи, которую он возвращает, нет",
            "there is no sale it returns",
        ),
        "return_of_return" => lang.pick(
            "он ссылается на другой возврат",
            "it points at another return",
        ),
        "not_its_sale" => lang.pick(
            "его партнёр, клиент, вид или условия не те, что у продажи",
            "its partner, client, kind or facts are not its sale's",
        ),
        "before_sale" => lang.pick("он датирован раньше продажи", "it is dated before its sale"),
        "too_large" => lang.pick(
            "он больше того, что осталось вернуть по продаже",
            "it is more than is left of its sale",
        ),
        _ => lang.pick(
            "он нарушает правила возврата",
            "it breaks the rules of a return",
        ),
    }
}

/// A date as Russian writes it (31.01.2025); English says a date as ISO (2025-01-31).
fn ru(date: &NaiveDate) -> String {
    domain::show_date(*date, Lang::Ru)
}

impl Localized for RuleError {
    fn text(&self, lang: Lang) -> String {
        use RuleError::*;
        match self {
            PartnerExists { .. }
            | UnknownPartner { .. }
            | EmptyName
            | PinConflict { .. }
            | NoPinInForce { .. }
            | PinNotInForce { .. }
            | UnknownPin
            | NothingToCancel
            | CancelConflicts { .. }
            | CancelReasonRequired
            | Text { .. }
            | Requisite(_)
            | DateOutOfRange => self.of_partners_and_pins(lang),
            Shipment { .. }
            | DuplicateDoc { .. }
            | UnknownSale { .. }
            | ReturnOfReturn
            | ReturnBeforeSale { .. }
            | ReturnTooLarge { .. }
            | SaleHasReturns
            | ReturnNotEditable
            | NothingCorrected
            | ChangedMeanwhile
            | AlreadyRestored
            | NotRestorable
            | KeptByTheDatabase { .. }
            | ReturnBroken { .. } => self.of_sales(lang),
            RateVersionExists { .. }
            | AlreadyIssued { .. }
            | UnknownStatement { .. }
            | AlreadyReopened { .. }
            | StatementPaid { .. }
            | ReasonRequired
            | EmptyStatement
            | PeriodLocked { .. }
            | ImportNotUndoable
            | NoImport
            | NotDue
            | PaymentTooLarge { .. }
            | NoBankRequisites { .. }
            | NoOurBankRequisites
            | NothingToPay => self.of_statements_and_imports(lang),
        }
    }
}

impl RuleError {
    fn of_partners_and_pins(&self, lang: Lang) -> String {
        match self {
            RuleError::PartnerExists { inn } => lang.say(
                format!("партнёр с ИНН {inn} уже есть"),
                format!("a partner with INN {inn} already exists"),
            ),
            RuleError::UnknownPartner { inn } => lang.say(
                format!("партнёра с ИНН {inn} нет; сначала добавьте партнёра"),
                format!("no partner with INN {inn}; add the partner first"),
            ),
            RuleError::EmptyName => {
                lang.say("не указано название партнёра", "the partner name is empty")
            }
            RuleError::PinConflict {
                client,
                holder,
                last_day,
            } => lang.say(
                format!("Клиент {client} закреплён за {holder} по {}", ru(last_day)),
                format!("the client {client} is pinned to {holder} until {last_day} inclusive"),
            ),
            RuleError::NoPinInForce {
                client,
                partner,
                date,
            } => lang.say(
                format!(
                    "у {partner} нет закрепления клиента {client}, действующего на {}",
                    ru(date)
                ),
                format!("{partner} holds no pin of client {client} in force on {date}"),
            ),
            RuleError::PinNotInForce { date } => lang.say(
                format!("закрепление не действует на {}", ru(date)),
                format!("the pin is not in force on {date}"),
            ),
            RuleError::UnknownPin => lang.say("такого закрепления нет", "no such pin"),
            RuleError::NothingToCancel => lang.say(
                "у закрепления нет продления или снятия, которое можно отменить; ошибочное закрепление снимают",
                "the pin has no extension or release left to cancel; a pin recorded by mistake is released",
            ),
            RuleError::CancelConflicts {
                event,
                holder,
                from,
            } => lang.say(
                format!(
                    "{} отменить нельзя: клиент с {} закреплён за {holder}; сначала снимите то закрепление",
                    if *event == "release" { "снятие" } else { "продление" },
                    ru(from)
                ),
                format!(
                    "the {event} cannot be cancelled: the client is pinned to {holder} from {from} since; release that pin first"
                ),
            ),
            RuleError::CancelReasonRequired => lang.say(
                "укажите, почему запись отменяется",
                "say why the record is cancelled",
            ),
            RuleError::Text { field, error } => lang.say(
                format!("{}: {}", field.label(Lang::Ru), error.text(Lang::Ru)),
                format!("{}: {}", field.label(Lang::En), error.text(Lang::En)),
            ),
            RuleError::Requisite(e) => lang.say(e.text(Lang::Ru), e.text(Lang::En)),
            RuleError::DateOutOfRange => lang.say(
                "дата вне допустимого диапазона",
                "the date is out of the calendar's range",
            ),
            _ => unreachable!("said by RuleError::text's other groups"),
        }
    }

    fn of_sales(&self, lang: Lang) -> String {
        match self {
            RuleError::Shipment {
                client,
                partner,
                refusal,
                holder,
            } => {
                let refused = |lang| refusal.text(client, partner, holder.as_deref(), lang);
                lang.say(
                    format!("продажу нельзя записать: {}", refused(Lang::Ru)),
                    format!("the sale cannot be recorded: {}", refused(Lang::En)),
                )
            }
            RuleError::DuplicateDoc { doc } => lang.say(
                format!("номер документа {doc} уже занят"),
                format!("document number {doc} is already used"),
            ),
            RuleError::UnknownSale { doc } => lang.say(
                format!("продажи с номером документа {doc} нет"),
                format!("no sale with document number {doc}"),
            ),
            RuleError::ReturnOfReturn => lang.say(
                "возврат должен ссылаться на продажу, а не на другой возврат",
                "a return must point at a sale, not at another return",
            ),
            RuleError::ReturnBeforeSale { date, sale_date } => lang.say(
                format!(
                    "возврат датирован {}, раньше самой продажи ({})",
                    ru(date),
                    ru(sale_date)
                ),
                format!("the return is dated {date}, before the sale it returns ({sale_date})"),
            ),
            RuleError::ReturnTooLarge { left } => {
                let left = left.display(lang);
                lang.say(
                    format!("по этой продаже осталось вернуть не больше {left}"),
                    format!("only {left} of this sale is left to return"),
                )
            }
            RuleError::SaleHasReturns => lang.say(
                "по продаже оформлены возвраты: сначала удалите их, затем исправьте продажу и оформите возвраты снова",
                "the sale has returns recorded against it; delete the returns first, then correct the sale and record them again",
            ),
            RuleError::ReturnNotEditable => lang.say(
                "возврат исправляется так: удалите его и оформите заново",
                "a return is corrected by deleting it and recording it again",
            ),
            RuleError::NothingCorrected => lang.say(
                "ничего не изменено; исправление не записано",
                "nothing was changed; the correction is not recorded",
            ),
            RuleError::ChangedMeanwhile => lang.say(
                "пока вы редактировали, эту запись изменил другой пользователь; ничего не записано: возьмите его вариант или оставьте свой",
                "while you were editing, someone else changed this record; nothing was written: take their version or keep yours",
            ),
            RuleError::AlreadyRestored => lang.say(
                "эта удалённая запись уже восстановлена",
                "this deleted record is restored already",
            ),
            RuleError::NotRestorable => lang.say(
                "запись удалена прежней версией программы, которая не сохраняла, продажа это или возврат; запишите её заново",
                "the record was deleted by an earlier version of the program, which did not keep whether it was a sale or a return; record it again",
            ),
            RuleError::KeptByTheDatabase { rule } => lang.say(
                format!("база данных хранит правило, которое эта строка нарушает: {rule}"),
                format!("the database keeps a rule this row breaks: {rule}"),
            ),
            RuleError::ReturnBroken { rule } => lang.say(
                format!(
                    "база данных не приняла возврат: {}",
                    return_rule(rule, Lang::Ru)
                ),
                format!(
                    "the database refused the return: {}",
                    return_rule(rule, Lang::En)
                ),
            ),
            _ => unreachable!("said by RuleError::text's other groups"),
        }
    }

    fn of_statements_and_imports(&self, lang: Lang) -> String {
        match self {
            RuleError::NotDue => lang.say(
                "оплату записывают только по выданному и не переоткрытому отчёту",
                "a payment is recorded only against an issued statement that is not reopened",
            ),
            RuleError::PaymentTooLarge { number, left } => lang.say(
                format!("по отчёту {number} осталось к выплате {left}; оплата не может быть больше или нулевой"),
                format!("{left} is left to pay on statement {number}; a payment cannot be more, nor zero"),
            ),
            RuleError::NoOurBankRequisites => lang.say(
                "заполните реквизиты организации (ИНН, банк, БИК, р/с, к/с): Файл ▸ Реквизиты организации",
                "enter our requisites (INN, bank, BIK, accounts): File ▸ Our requisites",
            ),
            RuleError::NothingToPay => lang.say(
                "по выбранным отчётам нечего платить",
                "nothing is left to pay on the statements chosen",
            ),
            RuleError::NoBankRequisites { partner } => lang.say(
                format!("у партнёра {partner} не заполнены банковские реквизиты (банк, БИК, р/с, к/с); для него ничего не записано"),
                format!("{partner} has no bank requisites (bank, BIK, accounts); nothing is written for it"),
            ),
            RuleError::RateVersionExists { date } => lang.say(
                format!("версия ставок с {} уже есть", ru(date)),
                format!("a rate version from {date} already exists"),
            ),
            RuleError::AlreadyIssued { number, from, to } => lang.say(
                format!(
                    "ведомость {number} за {} — {} уже выдана; сначала переоткройте её",
                    ru(from),
                    ru(to)
                ),
                format!(
                    "statement {number} for {from} to {to} is already issued; reopen it first"
                ),
            ),
            RuleError::UnknownStatement { number } => lang.say(
                format!("выданной ведомости № {number} нет"),
                format!("no issued statement numbered {number}"),
            ),
            RuleError::AlreadyReopened { number } => lang.say(
                format!("ведомость {number} уже переоткрыта"),
                format!("statement {number} is already reopened"),
            ),
            RuleError::StatementPaid { number, paid } => {
                let paid = paid.display(lang);
                lang.say(
                    format!(
                        "по ведомости {number} записаны оплаты на {paid}: выданная и оплаченная ведомость не переоткрывается, иначе выплата потеряет свою ведомость и премию заплатят дважды. Исправление внесите в следующем периоде (возвратом или продажей); если оплата записана по ошибке, сначала отмените её на странице «Выплаты»"
                    ),
                    format!(
                        "payments of {paid} are recorded on statement {number}: an issued statement that is paid is not reopened, or the payment would lose its statement and the premium be paid twice. Make the correction in the next period (a return or a sale); if the payment was recorded by mistake, undo it on the Payments page first"
                    ),
                )
            }
            RuleError::ReasonRequired => lang.say(
                "укажите причину переоткрытия",
                "state the reason for reopening",
            ),
            RuleError::EmptyStatement => lang.say(
                "в ведомости за этот период нет строк — выдавать нечего",
                "the statement has no lines for the period; there is nothing to issue",
            ),
            RuleError::PeriodLocked { number } => lang.say(
                format!(
                    "период закрыт выданной ведомостью {number}; переоткройте её с указанием причины или датируйте запись открытым периодом"
                ),
                format!(
                    "the period is locked by issued statement {number}; reopen it with a reason, or date the record in an open period"
                ),
            ),
            RuleError::NoImport => lang.say(
                "в эту базу ничего не импортировали — отменять нечего",
                "nothing was ever imported into this database: there is nothing to undo",
            ),
            RuleError::ImportNotUndoable => lang.say(
                "импорт уже нельзя отменить: после него в базе были другие изменения (или он уже отменён)",
                "the import can no longer be undone: it is not the last change to the database (or it is undone already)",
            ),
            _ => unreachable!("said by RuleError::text's other groups"),
        }
    }
}

english_display!(RuleError);
