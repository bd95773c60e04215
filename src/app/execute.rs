//! Running a command: confirmation where it cannot be undone, one write transaction,
//! the undo of the last change, and the sentence that reports the outcome.

use super::*;

/// How to take back the last change made in this window, while that is safe: the store
/// refuses it as it refuses any correction (an issued period, a sale with returns since).
#[derive(Clone, Debug)]
pub(super) enum Undo {
    /// A sale or return recorded: delete it (kept in its history).
    Delete { id: SaleId, what: String },
    /// A sale corrected: put it back as it was (kept in its history), unless someone else
    /// has changed it since it became `now`.
    Restore {
        id: SaleId,
        sale: Box<NewSale>,
        now: Box<NewSale>,
    },
}

/// Whether a write was refused because someone else changed the record meanwhile.
fn changed_meanwhile(e: &ActionError) -> bool {
    matches!(
        e,
        ActionError::Store(StoreError::Rule(crate::store::RuleError::ChangedMeanwhile))
    )
}

impl Undo {
    pub(super) fn name(&self, lang: Lang) -> String {
        match self {
            Undo::Delete { what, .. } => what.clone(),
            Undo::Restore { sale, .. } => format!(
                "{} {}",
                lang.pick("исправление продажи на", "the correction of a sale of"),
                sale.amount.display(lang)
            ),
        }
    }
}

impl App {
    /// Runs a command: asks for confirmation or a path where needed, writes in one
    /// transaction, reloads, and reports the outcome.
    pub fn run(&mut self, command: Command) {
        // What the login may not do is refused here, before anything is asked or read;
        // the server refuses it too, whatever program asks.
        if let Some(needed) = command.needs()
            && !self.rights.allows(needed)
        {
            self.report(Err(ActionError::NotAllowed { needed }));
            return;
        }
        if let Some(text) = self.confirmation_needed(&command) {
            self.confirm = Some(Confirm { text, command });
            return;
        }
        self.execute(command);
    }

    pub(super) fn confirmation_needed(&self, command: &Command) -> Option<String> {
        let lang = self.lang;
        match command {
            Command::DeleteSale { .. } => Some(
                lang.pick(
                    "Удалить запись? Ведомости периода пересчитаются; удаление останется в истории исправлений. Запись в периоде выданной ведомости удалить нельзя.",
                    "Delete the record? The period's statements are figured again; the deletion stays in the history of corrections. A record in an issued statement's period cannot be deleted.",
                )
                .to_owned(),
            ),
            Command::ReleasePin { date, .. } => Some(format!(
                "{} {}. {}",
                lang.pick("Снять закрепление с", "Release the pin from"),
                ui::date(*date, lang),
                lang.pick(
                    "С этой даты клиента сможет закрепить любой партнёр. Действие остаётся в истории.",
                    "From this date any partner may pin the client. The release stays in the history."
                )
            )),
            Command::CancelPinEvent { .. } => Some(
                lang.pick(
                    "Отменить запись как ошибочную? Срок закрепления станет таким, каким был до неё; запись останется в истории с отметкой об отмене.",
                    "Cancel the record as a mistake? The pin's term is put back as it was before it; the record stays in the history, marked cancelled.",
                )
                .to_owned(),
            ),
            Command::AddRateVersion { date, .. } => Some(format!(
                "{} {}. {}",
                lang.pick("Сохранить новую версию ставок с", "Save a new rate version from"),
                ui::date(*date, lang),
                lang.pick(
                    "Премии продаж с этой даты будут пересчитаны; продажи до неё не изменятся. Версию нельзя удалить.",
                    "Premiums of sales from this date on are figured again; earlier sales keep theirs. A version cannot be deleted."
                )
            )),
            Command::IssueStatement { from, to, .. } => Some(format!(
                "{} {} — {}. {}",
                lang.pick("Выдать ведомость за", "Issue the statement for"),
                ui::date(*from, lang),
                ui::date(*to, lang),
                lang.pick(
                    "Ведомость получит номер, её цифры и контрольная сумма будут сохранены, а продажи и возвраты периода — закрыты от изменений, пока ведомость не переоткроют с указанием причины.",
                    "The statement gets a number, its figures and checksum are stored, and the period's sales and returns are locked until it is reopened with a reason."
                )
            )),
            Command::ReopenStatement { number, reason } => Some(format!(
                "{} {number} {} «{reason}». {}",
                lang.pick("Переоткрыть ведомость", "Reopen statement"),
                lang.pick("по причине", "for the reason"),
                lang.pick(
                    "Продажи её периода снова можно будет изменять. Выданная ведомость и причина останутся в истории.",
                    "The sales of its period can be changed again. The issued statement and the reason stay in the history."
                )
            )),
            Command::AddStatusChange { date, status, .. } => Some(format!(
                "{} «{}» {} {}. {}",
                lang.pick("Установить статус", "Set the status"),
                crate::domain::status::status_name(*status, lang),
                lang.pick("с", "from"),
                ui::date(*date, lang),
                lang.pick(
                    "Премии продаж партнёра с этой даты будут пересчитаны. Изменение останется в истории.",
                    "Premiums of the partner's sales from this date on are figured again. The change stays in the history."
                )
            )),
                        Command::UndoImport(_) => Some(
                lang.pick(
                    "Отменить последний импорт? Всё, что он добавил и изменил, будет возвращено как было до него.",
                    "Undo the last import? Everything it added and changed is put back as it was before it.",
                )
                .to_owned(),
            ),
            _ => None,
        }
    }

    pub(super) fn write<T>(
        &mut self,
        f: impl FnOnce(&crate::store::Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, ActionError> {
        self.undo = None;
        Ok(self.writable()?.write(f)?)
    }

    /// [`App::write`] of a write about one client ([`Store::write_on_client`]).
    fn write_on_client<T>(
        &mut self,
        client: &crate::domain::Inn,
        f: impl FnOnce(&crate::store::ClientTx<'_, '_>) -> Result<T, StoreError>,
    ) -> Result<T, ActionError> {
        self.undo = None;
        Ok(self.writable()?.write_on_client(client, f)?)
    }

    /// The store, when a write may go to it now: a database is open and not being checked.
    pub(super) fn writable(&mut self) -> Result<&mut Store, ActionError> {
        self.take_damage_check();
        if self.damage_check.pending() {
            return Err(ActionError::Checking);
        }
        if self.live.lost.is_some() {
            return Err(ActionError::ServerLost {
                server: self.store.as_ref().map_or_else(String::new, Store::shown),
            });
        }
        self.store.as_mut().ok_or(ActionError::NoDatabase)
    }

    pub(super) fn execute(&mut self, command: Command) {
        let lang = self.lang;
        let t = |ru: &str, en: &str| lang.pick(ru, en).to_owned();
        let result: Result<String, ActionError> = match command {
            Command::OpenClient(inn) => {
                self.search = None;
                self.client = Some(ui::client::ClientCard::new(inn));
                return;
            }
            Command::OpenPartner(id) => {
                self.search = None;
                self.welcome_dismissed = true;
                self.partners.select(id);
                self.page = Page::Partners;
                return;
            }
            Command::ShowSales { partner, month } => {
                self.search = None;
                self.sales.show_month(partner, month, lang);
                self.page = Page::Sales;
                return;
            }
            Command::Navigate(page) => {
                self.page = page;
                self.welcome_dismissed = true;
                if page == Page::Partners && self.data.counts.partners == 0 {
                    self.partners.start_new();
                }
                return;
            }
            Command::AddPartner {
                inn,
                name,
                one_c_partner,
            } => self
                .write(|db| db.add_partner(&inn, &name, one_c_partner))
                .map(|id| {
                    self.partners.saved(Some(id), self.data.version);
                    format!("{} {name}", t("Партнёр добавлен:", "Partner added:"))
                }),
            Command::UpdatePartner {
                id,
                name,
                one_c_partner,
            } => self
                .write(|db| db.update_partner(id, &name, one_c_partner))
                .map(|()| {
                    self.partners.saved(Some(id), self.data.version);
                    format!("{} {name}", t("Партнёр сохранён:", "Partner saved:"))
                }),
            Command::AddStatusChange {
                partner,
                date,
                status,
                note,
            } => self
                .write(|db| db.add_status_change(partner, date, status, &note))
                .map(|()| {
                    self.partners.status_saved();
                    format!(
                        "{} {} {} {}",
                        t("Статус", "Status"),
                        crate::domain::status::status_name(status, lang),
                        t("с", "from"),
                        ui::date(date, lang)
                    )
                }),
            Command::SetEvidence { partner, evidence } => self
                .write(|db| db.set_evidence(partner, &evidence))
                .map(|()| t("Подтверждения требований сохранены", "Evidence saved")),
            Command::RequestPin {
                client,
                client_name,
                partner,
                date,
                note,
            } => self
                .write_on_client(&client, |db| {
                    db.request_pin(&client_name, partner, date, &note)
                })
                .and_then(|outcome| {
                    self.pins.saved();
                    match outcome {
                        PinOutcome::Pinned { ends_on, .. } => Ok(format!(
                            "{} {client} {} {}",
                            t("Клиент", "Client"),
                            t("закреплён по", "pinned until"),
                            ui::date(crate::domain::pin::last_day_of(ends_on), lang)
                        )),
                        PinOutcome::Extended { ends_on, .. } => Ok(format!(
                            "{} {}",
                            t("Закрепление продлено по", "Pin extended until"),
                            ui::date(crate::domain::pin::last_day_of(ends_on), lang)
                        )),
                        PinOutcome::Refused {
                            holder_label,
                            last_day,
                            ..
                        } => Err(ActionError::PinRefused {
                            client: client.to_string(),
                            holder: holder_label,
                            last_day,
                        }),
                    }
                }),
            Command::ExtendPin {
                pin_id,
                date,
                agreed_by,
                note,
            } => self
                .write(|db| db.extend_pin(pin_id, date, &agreed_by, &note))
                .map(|ends_on| {
                    self.pins.saved();
                    self.overview.extended();
                    format!(
                        "{} {}",
                        t("Закрепление продлено по", "Pin extended until"),
                        ui::date(crate::domain::pin::last_day_of(ends_on), lang)
                    )
                }),
            Command::ReleasePin { pin_id, date, note } => self
                .write(|db| db.release_pin(pin_id, date, &note))
                .map(|()| {
                    self.pins.saved();
                    t("Закрепление снято", "Pin released")
                }),
            Command::CancelPinEvent { pin_id, reason } => self
                .write(|db| db.cancel_pin_event(pin_id, &reason))
                .map(|()| {
                    self.pins.saved();
                    t(
                        "Ошибочная запись отменена: срок закрепления прежний",
                        "The record is cancelled: the pin's term is as it was",
                    )
                }),
            Command::RecordSale(sale) => self
                .write_on_client(&sale.client_inn, |db| db.record_sale(&sale))
                .map(|id| {
                    self.sales.saved();
                    let what = format!(
                        "{} {}",
                        t("Продажа записана:", "Sale recorded:"),
                        sale.amount.display(lang)
                    );
                    self.undo = Some(Undo::Delete {
                        id,
                        what: what.clone(),
                    });
                    what
                }),
            Command::CorrectSale { id, sale, base } => {
                let corrected = self.write(|db| db.correct_sale_seen(id, &base, &sale));
                if corrected.as_ref().is_err_and(changed_meanwhile)
                    && let Some(Ok(now)) = self.store.as_ref().map(|s| s.read().sale_as_new(id))
                {
                    self.sales.changed_meanwhile(now);
                }
                corrected.map(|before| {
                    self.sales.saved();
                    self.undo = Some(Undo::Restore {
                        id,
                        sale: Box::new(before),
                        now: Box::new(sale.clone()),
                    });
                    format!(
                        "{} {}",
                        t("Продажа исправлена:", "Sale corrected:"),
                        sale.amount.display(lang)
                    )
                })
            }
            Command::Undo => match self.undo.take() {
                None => Err(ActionError::NothingToUndo),
                Some(undo) => {
                    let name = undo.name(lang);
                    let result = match &undo {
                        Undo::Delete { id, .. } => self.write(|db| db.delete_sale(*id)),
                        Undo::Restore { id, sale, now } => self
                            .write(|db| db.correct_sale_seen(*id, now, sale))
                            .map(drop)
                            .map_err(|e| match changed_meanwhile(&e) {
                                true => ActionError::UndoOvertaken,
                                false => e,
                            }),
                    };
                    if matches!(undo, Undo::Delete { .. }) {
                        self.sales.deleted();
                    } else {
                        self.sales.saved();
                    }
                    result.map(|()| format!("{} {name}", t("Отменено:", "Undone:")))
                }
            },
            Command::DeleteSale { id } => self.write(|db| db.delete_sale(id)).map(|()| {
                self.sales.deleted();
                t(
                    "Запись удалена; она осталась в истории исправлений",
                    "Record deleted; it stays in the history of corrections",
                )
            }),
            Command::RecordReturn {
                sale,
                date,
                amount,
                doc,
            } => self
                .write(|db| db.record_return(sale, date, amount, doc.as_deref()))
                .map(|id| {
                    self.sales.saved();
                    let what = format!(
                        "{} {}",
                        t("Возврат записан:", "Return recorded:"),
                        amount.display(lang)
                    );
                    self.undo = Some(Undo::Delete {
                        id,
                        what: what.clone(),
                    });
                    what
                }),
            Command::AddRateVersion { date, table, note } => self
                .write(|db| db.add_rate_version(date, &table, &note))
                .map(|()| {
                    self.rates.saved();
                    format!(
                        "{} {}",
                        t("Новая версия ставок с", "New rate version from"),
                        ui::date(date, lang)
                    )
                }),
            Command::ExportStatement { partner, from, to } => {
                let name = self.data.partners.iter().find(|p| p.id == partner);
                let format = self.export_format;
                let file_name = name.map_or(format!("statement.{}", format.extension()), |p| {
                    export::statement_file_name(p.inn.as_str(), &p.name, from, to, format)
                });
                self.ask_path(PathUse::Statement { partner, from, to }, &file_name);
                return;
            }
            Command::IssueStatement { partner, from, to } => {
                let today = self.today();
                self.writable()
                    .and_then(|store| actions::issue(store, partner, (from, to), today))
                    .map(|done| done.text(lang))
            }
            Command::ReopenStatement { number, reason } => {
                let today = self.today();
                let done = self
                    .writable()
                    .and_then(|store| actions::reopen(store, &number, &reason, today));
                if done.is_ok() {
                    self.statements.reopened();
                }
                done.map(|done| done.text(lang))
            }
            Command::ExportIssued { number } => {
                let format = self.export_format;
                let file_name = match self.data.issued.iter().find(|r| r.number == number) {
                    Some(r) => format!(
                        "{}_{}",
                        r.number,
                        export::statement_file_name("", &r.partner_name, r.from, r.to, format)
                            .trim_start_matches('_')
                    ),
                    None => format!("{number}.{}", format.extension()),
                };
                self.ask_path(PathUse::Issued { number }, &file_name);
                return;
            }
            Command::ExportAll { from, to, format } => {
                self.ask_path(PathUse::Batch { from, to, format }, "");
                return;
            }
            Command::ExportSalesList(list) => {
                let name = format!(
                    "{}.{}",
                    lang.pick("Продажи", "Sales"),
                    list.format.extension()
                );
                self.ask_path(PathUse::SalesList(list), &name);
                return;
            }
            Command::ExportList(list, format) => {
                let name = format!("{}.{}", list_file_stem(&list.title), format.extension());
                self.ask_path(PathUse::List { list, format }, &name);
                return;
            }
            Command::Import => {
                self.ask_path(PathUse::Import, "");
                return;
            }
            Command::ImportFile(path) => {
                self.read_for_import(path);
                return;
            }
            Command::RunImport => {
                self.run_import();
                return;
            }
            Command::CloseImport => {
                self.wizard = None;
                return;
            }
            Command::UndoImport(id) => {
                self.imported = None;
                self.writable()
                    .and_then(|store| actions::undo_import(store, Some(id)))
                    .map(|done| done.text(lang))
            }
            Command::Backup => {
                let name = format!("partner-desk-{}.sqlite3", self.today());
                self.ask_path(PathUse::Backup, &name);
                return;
            }
            Command::NewDatabase => {
                self.ask_path(PathUse::NewDatabase, "partner-desk.sqlite3");
                return;
            }
            Command::ConnectServer => {
                self.open_connect_form();
                return;
            }
            Command::OpenRecent(path) => {
                self.use_path(PathUse::OpenDatabase, path);
                return;
            }
            Command::OpenDatabase => {
                self.ask_path(PathUse::OpenDatabase, "");
                return;
            }
            Command::FillDemo => {
                let path = self.db_path.clone();
                let today = self.today();
                self.start_job(t("Демо-данные", "Demo data"), move |_| {
                    actions::demo(&mut Store::open(&path)?, today)
                });
                return;
            }
        };
        // Read again also after a refusal: a refused pin request is recorded even so.
        self.reload();
        self.report(result);
    }
}
