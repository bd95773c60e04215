//! Running a command: confirmation where it cannot be undone, one write transaction,
//! the undo of the last change, and the sentence that reports the outcome.

use super::*;

/// How to take back the last change made in this window, while that is safe: the store
/// refuses it as it refuses any correction (an issued period, a sale with returns since).
#[derive(Clone, Debug)]
pub(super) enum Undo {
    /// A sale or return recorded: delete it (kept in its history).
    Delete { id: SaleId, what: Said },
    /// A sale corrected: put it back as it was (kept in its history), unless someone else
    /// has changed it since it became `now`.
    Restore {
        id: SaleId,
        sale: Box<NewSale>,
        now: Box<NewSale>,
    },
    /// A sale or return deleted: record it again (the restore kept in its history).
    Undelete { id: SaleId, what: Said },
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
            Undo::Delete { what, .. } | Undo::Undelete { what, .. } => what.text(lang),
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
            && !self.rights().allows(needed)
        {
            self.report(Err(ActionError::NotAllowed { needed }));
            return;
        }
        if let Some(text) = self.confirmation_needed(&command)
            && let Some(session) = &mut self.session
        {
            session.confirm = Some(Confirm { text, command });
            return;
        }
        self.execute(command);
        self.tell_said();
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
                    "Премии продаж с этой даты будут пересчитаны; продажи до неё не изменятся, как и продажи в периодах выданных ведомостей и возвраты этих продаж. Версию нельзя удалить.",
                    "Premiums of sales from this date on are figured again; earlier sales keep theirs, and so do sales in issued statements' periods and their returns. A version cannot be deleted."
                )
            )),
            Command::IssueStatement { partner, from, to } => Some(format!(
                "{} {} {} {} — {}. {}",
                lang.pick("Выдать ведомость партнёра", "Issue the statement of"),
                self.data().partner_name(*partner),
                lang.pick("за", "for"),
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
                        Command::UndoPayment { what, .. } => Some(format!(
                "{} {what}? {}",
                lang.pick("Отменить оплату", "Undo the payment"),
                lang.pick(
                    "Будет записана строка, которая её отменяет: оплата и отмена останутся в истории, а сумма снова станет к выплате.",
                    "A row that cancels it is recorded: the payment and its undo stay in the history, and the amount is owed again."
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

    /// Runs a command once confirmed: what the window does itself, or a write to the open
    /// database, read again after it.
    pub(super) fn execute(&mut self, command: Command) {
        let Some(command) = self.show(command) else {
            return;
        };
        let Some(command) = self.ask_or_start(command) else {
            return;
        };
        self.close_if_damaged();
        let (lang, today) = (self.lang, self.today());
        let result = match &mut self.session {
            Some(session) => session.execute(command, lang, today),
            None => Some(Err(ActionError::NoDatabase)),
        };
        if let Some(result) = result {
            // Read again also after a refusal: a refused pin request is recorded even so.
            self.reload();
            self.tell_said();
            self.report(result);
        }
    }

    /// What changes only what is shown: a page, a card, the import window closed, the
    /// language of documents. Gives back any other command.
    fn show(&mut self, command: Command) -> Option<Command> {
        let lang = self.lang;
        let session = self.session.as_mut();
        match command {
            Command::OpenClient(inn) => {
                if let Some(s) = session {
                    s.search = None;
                    s.client = Some(ui::client::ClientCard::new(inn));
                }
            }
            Command::EditOrganisation => {
                if let Some(s) = session {
                    s.organisation = Some(ui::requisites::RequisitesDraft::from(
                        &s.data.organisation,
                        lang,
                    ));
                }
            }
            Command::OpenPartner(id) => {
                if let Some(s) = session {
                    s.search = None;
                    s.welcome_dismissed = true;
                    s.partners.select(id);
                }
                self.page = Page::Partners;
            }
            Command::ShowSales { partner, month } => {
                if let Some(s) = session {
                    s.search = None;
                    s.sales.show_month(partner, month, lang);
                }
                self.page = Page::Sales;
            }
            Command::Navigate(page) => {
                self.page = page;
                if let Some(s) = session {
                    s.welcome_dismissed = true;
                    if page == Page::Partners && s.data.counts.partners == 0 {
                        s.partners.start_new();
                    }
                }
            }
            Command::DocumentsIn(doc_lang) => self.doc_lang = doc_lang,
            Command::OverdueAfter(days) => self.overdue_days = days,
            Command::CloseImport => {
                if let Some(s) = session {
                    s.wizard = None;
                }
            }
            Command::ConnectServer => self.open_connect_form(),
            other => return Some(other),
        }
        None
    }

    /// What asks for a path, or starts work on a worker. Gives back any other command.
    fn ask_or_start(&mut self, command: Command) -> Option<Command> {
        let lang = self.lang;
        let data = self.data();
        match command {
            Command::ExportStatement { partner, from, to } => {
                let format = self.export_format;
                let name = data.partners.iter().find(|p| p.id == partner);
                let file_name = name.map_or(format!("statement.{}", format.extension()), |p| {
                    export::statement_file_name(p.inn.as_str(), &p.name, from, to, format)
                });
                self.ask_path(PathUse::Statement { partner, from, to }, &file_name);
            }
            Command::ExportIssued { number } => {
                let format = self.export_format;
                let file_name = match data.issued.iter().find(|r| r.number == number) {
                    Some(r) => format!(
                        "{}_{}",
                        r.number,
                        export::statement_file_name("", &r.partner_name, r.from, r.to, format)
                            .trim_start_matches('_')
                    ),
                    None => format!("{number}.{}", format.extension()),
                };
                self.ask_path(PathUse::Issued { number }, &file_name);
            }
            Command::ExportAll { from, to, format } => {
                self.ask_path(PathUse::Batch { from, to, format }, "");
            }
            Command::ExportSalesList(list) => {
                let name = format!(
                    "{}.{}",
                    lang.pick("Продажи", "Sales"),
                    list.format.extension()
                );
                self.ask_path(PathUse::SalesList(list), &name);
            }
            Command::ExportList(list, format) => {
                let name = format!("{}.{}", list_file_stem(&list.title), format.extension());
                self.ask_path(PathUse::List { list, format }, &name);
            }
            Command::Import => self.ask_path(PathUse::Import, ""),
            Command::PaymentOrders(numbers, first) => {
                let name = format!("payments-{}.txt", self.today());
                self.ask_path(PathUse::PaymentOrders(numbers, first), &name);
            }
            Command::ImportBank => self.ask_path(PathUse::BankStatement, ""),
            Command::ExportReconciliation { partner, from, to } => {
                let name = data.partners.iter().find(|p| p.id == partner).map_or(
                    "act.pdf".to_owned(),
                    |p| {
                        format!(
                            "{}_{}_{from}_{to}.pdf",
                            lang.pick("Акт_сверки", "Reconciliation"),
                            p.inn
                        )
                    },
                );
                self.ask_path(PathUse::Reconciliation { partner, from, to }, &name);
            }
            Command::ImportFile(path) => self.read_for_import(path),
            Command::CheckImport => self.check_import(),
            Command::RunImport => self.run_import(),
            Command::RunImportValid => self.run_import_valid(),
            Command::Backup => {
                let name = format!("partner-desk-{}.sqlite3", self.today());
                self.ask_path(PathUse::Backup, &name);
            }
            Command::NewDatabase => self.ask_path(PathUse::NewDatabase, "partner-desk.sqlite3"),
            Command::OpenRecent(path) => self.use_path(PathUse::OpenDatabase, path),
            Command::OpenDatabase => self.ask_path(PathUse::OpenDatabase, ""),
            Command::FillDemo => self.fill_demo(),
            other => return Some(other),
        }
        None
    }

    /// Fills the open database with demo data, on a worker.
    fn fill_demo(&mut self) {
        let Some(path) = self.session.as_ref().map(|s| s.path.clone()) else {
            self.report(Err(ActionError::NoDatabase));
            return;
        };
        let today = self.today();
        let title = self.lang.pick("Демо-данные", "Demo data").to_owned();
        self.start_job(title, move |_| {
            actions::demo(&mut Store::open(&path)?, today)
        });
    }
}

impl Session {
    /// Runs a command that writes to this database, in one transaction, and says how it
    /// went (None: the command writes nothing; the window ran it).
    pub(super) fn execute(
        &mut self,
        command: Command,
        lang: Lang,
        today: NaiveDate,
    ) -> Option<Result<Said, ActionError>> {
        use Command::*;
        let t =
            |ru: &'static str, en: &'static str| Said::both(|lang| lang.pick(ru, en).to_owned());
        Some(match command {
            AddPartner { .. }
            | UpdatePartner { .. }
            | AddStatusChange { .. }
            | SetEvidence { .. }
            | SetPartnerRequisites { .. }
            | SetOrganisation(_) => self.write_partner(command)?,
            RecordPayment(payment) => self.write(|db| db.record_payment(&payment)).map(|_| {
                self.payments.recorded();
                t("Оплата записана", "Payment recorded")
            }),
            UndoPayment { id, .. } => self.write(|db| db.undo_payment(id, today)).map(|()| {
                t(
                    "Оплата отменена; она остаётся в истории",
                    "Payment undone; it stays in the history",
                )
            }),
            RequestPin { .. } | ExtendPin { .. } | ReleasePin { .. } | CancelPinEvent { .. } => {
                self.write_pin(command)?
            }
            RecordSale(_)
            | CorrectSale { .. }
            | DeleteSale { .. }
            | RestoreSale { .. }
            | RecordReturn { .. } => self.write_sale(command, lang, today)?,
            Undo => self.undo(lang, today),
            AddRateVersion { .. }
            | IssueStatement { .. }
            | ReopenStatement { .. }
            | UndoImport(_) => self.write_period(command, today)?,
            _ => return None,
        })
    }

    fn write_partner(&mut self, command: Command) -> Option<Result<Said, ActionError>> {
        let t =
            |ru: &'static str, en: &'static str| Said::both(|lang| lang.pick(ru, en).to_owned());
        let version = self.data.version;
        Some(match command {
            Command::AddPartner {
                inn,
                name,
                one_c_partner,
            } => self
                .write(|db| db.add_partner(&inn, &name, one_c_partner))
                .map(|id| {
                    self.partners.saved(Some(id), version);
                    Said::both(|lang| {
                        format!(
                            "{} {name}",
                            lang.pick("Партнёр добавлен:", "Partner added:")
                        )
                    })
                }),
            Command::UpdatePartner {
                id,
                name,
                one_c_partner,
            } => self
                .write(|db| db.update_partner(id, &name, one_c_partner))
                .map(|()| {
                    self.partners.saved(Some(id), version);
                    Said::both(|lang| {
                        format!(
                            "{} {name}",
                            lang.pick("Партнёр сохранён:", "Partner saved:")
                        )
                    })
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
                    Said::both(|lang| {
                        format!(
                            "{} {} {} {}",
                            lang.pick("Статус", "Status"),
                            crate::domain::status::status_name(status, lang),
                            lang.pick("с", "from"),
                            ui::date(date, lang)
                        )
                    })
                }),
            Command::SetEvidence { partner, evidence } => self
                .write(|db| db.set_evidence(partner, &evidence))
                .map(|()| t("Подтверждения требований сохранены", "Evidence saved")),
            Command::SetPartnerRequisites {
                partner,
                requisites,
            } => self
                .write(|db| db.set_partner_requisites(partner, &requisites))
                .map(|()| {
                    self.partners.requisites_saved();
                    t(
                        "Реквизиты партнёра сохранены",
                        "The partner's requisites saved",
                    )
                }),
            Command::SetOrganisation(requisites) => {
                self.write(|db| db.set_organisation(&requisites)).map(|()| {
                    self.organisation = None;
                    t("Реквизиты организации сохранены", "Our requisites saved")
                })
            }
            _ => return None,
        })
    }

    fn write_pin(&mut self, command: Command) -> Option<Result<Said, ActionError>> {
        let t =
            |ru: &'static str, en: &'static str| Said::both(|lang| lang.pick(ru, en).to_owned());
        let until = |ends_on, lang| ui::date(crate::domain::pin::last_day_of(ends_on), lang);
        Some(match command {
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
                        PinOutcome::Pinned { ends_on, .. } => Ok(Said::both(|lang| {
                            format!(
                                "{} {client} {} {}",
                                lang.pick("Клиент", "Client"),
                                lang.pick("закреплён по", "pinned until"),
                                until(ends_on, lang)
                            )
                        })),
                        PinOutcome::Extended { ends_on, .. } => Ok(Said::both(|lang| {
                            format!(
                                "{} {}",
                                lang.pick("Закрепление продлено по", "Pin extended until"),
                                until(ends_on, lang)
                            )
                        })),
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
                    Said::both(|lang| {
                        format!(
                            "{} {}",
                            lang.pick("Закрепление продлено по", "Pin extended until"),
                            until(ends_on, lang)
                        )
                    })
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
            _ => return None,
        })
    }

    fn write_sale(
        &mut self,
        command: Command,
        lang: Lang,
        today: NaiveDate,
    ) -> Option<Result<Said, ActionError>> {
        let today = ui::date(today, lang);
        let t =
            |ru: &'static str, en: &'static str| Said::both(|lang| lang.pick(ru, en).to_owned());
        Some(match command {
            Command::RecordSale(sale) => self
                .write_on_client(&sale.client_inn, |db| db.record_sale(&sale))
                .map(|id| {
                    self.sales.saved(today.clone());
                    let what = Said::both(|lang| {
                        format!(
                            "{} {}",
                            lang.pick("Продажа записана:", "Sale recorded:"),
                            sale.amount.display(lang)
                        )
                    });
                    self.undo = Some(Undo::Delete {
                        id,
                        what: what.clone(),
                    });
                    what
                }),
            Command::CorrectSale { id, sale, base } => {
                let corrected = self.write(|db| db.correct_sale_seen(id, &base, &sale));
                if corrected.as_ref().is_err_and(changed_meanwhile)
                    && let Ok(now) = self.store.read().sale_as_new(id)
                {
                    self.sales.changed_meanwhile(now);
                }
                corrected.map(|before| {
                    self.sales.saved(today.clone());
                    self.undo = Some(Undo::Restore {
                        id,
                        sale: Box::new(before),
                        now: Box::new(sale.clone()),
                    });
                    Said::both(|lang| {
                        format!(
                            "{} {}",
                            lang.pick("Продажа исправлена:", "Sale corrected:"),
                            sale.amount.display(lang)
                        )
                    })
                })
            }
            Command::DeleteSale { id } => self.write(|db| db.delete_sale(id)).map(|()| {
                self.sales.deleted();
                self.undo = Some(Undo::Undelete {
                    id,
                    what: t("удаление записи", "the deletion of a record"),
                });
                t(
                    "Запись удалена; она осталась в истории исправлений (Ctrl+Z вернёт её)",
                    "Record deleted; it stays in the history of corrections (Ctrl+Z brings it back)",
                )
            }),
            Command::RestoreSale { id } => self.write(|db| db.restore_sale(id)).map(|new| {
                let what = t("Запись восстановлена", "Record restored");
                self.undo = Some(Undo::Delete {
                    id: new,
                    what: what.clone(),
                });
                what
            }),
            Command::RecordReturn {
                sale,
                date,
                amount,
                doc,
            } => self
                .write(|db| db.record_return(sale, date, amount, doc.as_deref()))
                .map(|id| {
                    self.sales.saved(today.clone());
                    let what = Said::both(|lang| {
                        format!(
                            "{} {}",
                            lang.pick("Возврат записан:", "Return recorded:"),
                            amount.display(lang)
                        )
                    });
                    self.undo = Some(Undo::Delete {
                        id,
                        what: what.clone(),
                    });
                    what
                }),
            _ => return None,
        })
    }

    /// Ctrl+Z: takes back the last change made in this window to this database.
    fn undo(&mut self, lang: Lang, today: NaiveDate) -> Result<Said, ActionError> {
        let Some(undo) = self.undo.take() else {
            return Err(ActionError::NothingToUndo);
        };
        let result = match &undo {
            Undo::Delete { id, .. } => self.write(|db| db.delete_sale(*id)),
            Undo::Undelete { id, .. } => self.write(|db| db.restore_sale(*id)).map(drop),
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
            self.sales.saved(ui::date(today, lang));
        }
        result.map(|()| {
            Said::both(|lang| format!("{} {}", lang.pick("Отменено:", "Undone:"), undo.name(lang)))
        })
    }

    /// What changes a period's figures or closes it: a rate version, issuing and reopening
    /// a statement, and the undo of an import.
    fn write_period(
        &mut self,
        command: Command,
        today: NaiveDate,
    ) -> Option<Result<Said, ActionError>> {
        Some(match command {
            Command::AddRateVersion { date, table, note } => self
                .write(|db| db.add_rate_version(date, &table, &note))
                .map(|()| {
                    self.rates.saved();
                    Said::both(|lang| {
                        format!(
                            "{} {}",
                            lang.pick("Новая версия ставок с", "New rate version from"),
                            ui::date(date, lang)
                        )
                    })
                }),
            Command::IssueStatement { partner, from, to } => self
                .writable()
                .and_then(|store| actions::issue(store, partner, (from, to), today))
                .map(Said::from),
            Command::ReopenStatement { number, reason } => {
                let done = self
                    .writable()
                    .and_then(|store| actions::reopen(store, &number, &reason, today));
                if done.is_ok() {
                    self.statements.reopened();
                }
                done.map(Said::from)
            }
            Command::UndoImport(id) => {
                self.imported = None;
                self.writable()
                    .and_then(|store| actions::undo_import(store, Some(id)))
                    .map(Said::from)
            }
            _ => return None,
        })
    }
}
