//! Where a file goes: the system dialogs or a typed path, and what is done with the path
//! chosen (export, import, backup, another database).

use super::*;

/// Where a chosen path goes.
#[derive(Clone, Debug)]
pub(super) enum PathUse {
    Statement {
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    },
    Issued {
        number: String,
    },
    Batch {
        from: NaiveDate,
        to: NaiveDate,
        format: Format,
    },
    /// The Sales page's list as it is filtered and sorted.
    SalesList(SalesListExport),
    /// A list a page shows.
    List {
        list: Box<List>,
        format: ListFormat,
    },
    Import,
    Backup,
    NewDatabase,
    OpenDatabase,
    /// Payment orders for these statements, numbered from the number given.
    PaymentOrders(Vec<String>, Option<u32>),
    /// A bank statement to import.
    BankStatement,
    /// A partner's акт сверки.
    Reconciliation {
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl PathUse {
    pub(super) fn title(&self, lang: Lang) -> &'static str {
        match self {
            PathUse::Statement { .. } | PathUse::Issued { .. } => {
                lang.pick("Сохранить ведомость", "Save statement")
            }
            PathUse::Batch { .. } => lang.pick("Папка для ведомостей", "Folder for the statements"),
            PathUse::SalesList(_) | PathUse::List { .. } => {
                lang.pick("Экспорт списка", "Export the list")
            }
            PathUse::Import => lang.pick("Импорт данных", "Import data"),
            PathUse::Backup => lang.pick("Резервная копия базы", "Back up the database"),
            PathUse::NewDatabase => lang.pick("Новая база данных", "New database"),
            PathUse::OpenDatabase => lang.pick("Открыть базу данных", "Open database"),
            PathUse::PaymentOrders(..) => lang.pick("Платёжные поручения", "Payment orders"),
            PathUse::BankStatement => lang.pick("Выписка банка", "Bank statement"),
            PathUse::Reconciliation { .. } => lang.pick("Акт сверки", "Reconciliation"),
        }
    }

    /// Whether the path is for something done to the open database (an export of its
    /// statements, an import into it, its backup), not for the window (a list already
    /// made, another database).
    pub(super) fn about_the_database(&self) -> bool {
        match self {
            PathUse::Statement { .. }
            | PathUse::Issued { .. }
            | PathUse::Batch { .. }
            | PathUse::SalesList(_)
            | PathUse::Import
            | PathUse::Backup
            | PathUse::PaymentOrders(..)
            | PathUse::BankStatement
            | PathUse::Reconciliation { .. } => true,
            PathUse::List { .. } | PathUse::NewDatabase | PathUse::OpenDatabase => false,
        }
    }
}

/// A path typed in when no file dialog could be shown.
pub(super) struct PathPrompt {
    pub(super) purpose: PathUse,
    pub(super) text: String,
    /// The session open when it was asked: a path about the database is for that one.
    pub(super) session: Option<SessionId>,
}

/// The save dialog's filters for a statement, `first` first (the dialog starts on it).
pub(super) fn statement_filters(first: Format) -> Vec<(&'static str, &'static [&'static str])> {
    let filter = |f: Format| -> (&'static str, &'static [&'static str]) {
        match f {
            Format::Pdf => ("PDF", &["pdf"]),
            Format::Xlsx => ("Excel", &["xlsx"]),
            Format::Json => ("JSON", &["json"]),
            Format::Csv => ("CSV", &["csv"]),
        }
    };
    let mut formats = vec![first];
    formats.extend(
        [Format::Pdf, Format::Xlsx, Format::Json, Format::Csv]
            .into_iter()
            .filter(|&f| f != first),
    );
    formats.into_iter().map(filter).collect()
}

/// A file name for a list: its title without the characters file systems refuse.
pub(super) fn list_file_stem(title: &str) -> String {
    title
        .chars()
        .map(|c| if "<>:\"/\\|?*".contains(c) { '_' } else { c })
        .collect()
}

impl App {
    pub(super) fn ask_path(&mut self, purpose: PathUse, file_name: &str) {
        let lang = self.lang;
        let title = purpose.title(lang);
        // An export is suggested in the folder of the last one.
        let in_folder;
        let file_name = match (&purpose, &self.export_dir) {
            (
                PathUse::Statement { .. }
                | PathUse::Issued { .. }
                | PathUse::SalesList(_)
                | PathUse::List { .. },
                Some(dir),
            ) if !file_name.is_empty() => {
                in_folder = dir.join(file_name).display().to_string();
                in_folder.as_str()
            }
            _ => file_name,
        };
        let picked = match &purpose {
            PathUse::Statement { .. } | PathUse::Issued { .. } => {
                let filters = statement_filters(self.export_format);
                self.dialogs.save_file(title, file_name, &filters)
            }
            PathUse::Backup | PathUse::NewDatabase => {
                self.dialogs
                    .save_file(title, file_name, &[("SQLite", &["sqlite3", "db"])])
            }
            PathUse::Batch { .. } => self.dialogs.pick_folder(title),
            PathUse::SalesList(SalesListExport { format, .. }) | PathUse::List { format, .. } => {
                self.dialogs
                    .save_file(title, file_name, &[(format.kind(), &[format.extension()])])
            }
            PathUse::Import => self.dialogs.open_file(
                title,
                &[
                    (
                        lang.pick("Таблицы", "Spreadsheets"),
                        &["xlsx", "xls", "xlsm", "ods", "csv", "txt"],
                    ),
                    ("CSV", &["csv", "txt"]),
                ],
            ),
            PathUse::OpenDatabase => self
                .dialogs
                .open_file(title, &[("SQLite", &["sqlite3", "db", "sqlite"])]),
            PathUse::PaymentOrders(..) => {
                self.dialogs
                    .save_file(title, file_name, &[("1CClientBankExchange", &["txt"])])
            }
            PathUse::BankStatement => self
                .dialogs
                .open_file(title, &[("1CClientBankExchange", &["txt"])]),
            PathUse::Reconciliation { .. } => {
                self.dialogs
                    .save_file(title, file_name, &[("PDF", &["pdf"]), ("Excel", &["xlsx"])])
            }
        };
        match picked {
            Picked::Path(path) => self.use_path(purpose, path),
            Picked::Cancelled => {}
            Picked::Unavailable => {
                self.prompt = Some(PathPrompt {
                    purpose,
                    text: file_name.to_owned(),
                    session: self.session.as_ref().map(|s| s.id),
                });
            }
        }
    }

    pub(super) fn use_path(&mut self, purpose: PathUse, path: PathBuf) {
        let lang = self.lang;
        if let (PathUse::Statement { .. } | PathUse::Issued { .. }, Some(format)) =
            (&purpose, Format::from_path(&path))
        {
            self.export_format = format;
        }
        let folder = match &purpose {
            PathUse::Batch { .. } => Some(path.as_path()),
            PathUse::Statement { .. }
            | PathUse::Issued { .. }
            | PathUse::SalesList(_)
            | PathUse::List { .. } => path.parent(),
            _ => None,
        };
        if let Some(folder) = folder.filter(|f| !f.as_os_str().is_empty()) {
            self.export_dir = Some(folder.to_path_buf());
        }
        match purpose {
            PathUse::List { list, format } => {
                self.start_job(
                    lang.pick("Экспорт списка", "Exporting the list").to_owned(),
                    move |_| actions::write_list(&list, format, &path, lang),
                );
            }
            PathUse::OpenDatabase
                if crate::store::server_url(&path).is_none() && !path.exists() =>
            {
                self.missing = Some(path);
            }
            PathUse::NewDatabase | PathUse::OpenDatabase => {
                self.switch_database(path.clone());
                if self.db_path == path {
                    self.report(Ok(Said::both(|lang| {
                        format!("{} {}", lang.pick("Открыта база", "Opened"), path.display())
                    })));
                }
            }
            about_the_database => self.use_path_on_session(about_the_database, path),
        }
    }

    /// What is done with a path for the open database: its statements exported, a file
    /// read for import into it, its backup. The work on a worker opens its own connection
    /// to this database.
    fn use_path_on_session(&mut self, purpose: PathUse, path: PathBuf) {
        let (lang, today, doc_lang) = (self.lang, self.today(), self.doc_lang);
        if let PathUse::BankStatement = purpose {
            let result = match self.session.as_mut() {
                Some(s) => s
                    .writable()
                    .and_then(|store| actions::import_bank(store, &path)),
                None => Err(ActionError::NoDatabase),
            };
            self.report(result.map(Said::from));
            self.reload();
            return;
        }
        let Some(session) = &self.session else {
            self.report(Err(ActionError::NoDatabase));
            return;
        };
        let (store, db) = (&session.store, session.path.clone());
        match purpose {
            PathUse::Statement { partner, from, to } => {
                let result =
                    actions::write_statement(store, partner, (from, to), today, &path, doc_lang);
                self.exported = result.is_ok().then(|| path.clone());
                self.report(result.map(Said::from));
            }
            PathUse::Issued { number } => {
                let result = actions::export_issued(store, &number, &path, doc_lang);
                self.exported = result.is_ok().then(|| path.clone());
                self.report(result.map(Said::from));
            }
            PathUse::Batch { from, to, format } => {
                let title = lang.pick("Выгрузка ведомостей", "Exporting statements");
                self.start_job(title.to_owned(), move |progress| {
                    let batch = actions::Batch {
                        from,
                        to,
                        today,
                        dir: &path,
                        format,
                        doc_lang,
                    };
                    actions::export_all(
                        &Store::open(&db)?,
                        &batch,
                        &|done, total| progress.set(done, total),
                        &progress.cancel,
                    )
                });
            }
            PathUse::SalesList(list) => {
                let title = lang.pick("Экспорт списка продаж", "Exporting the sales list");
                self.start_job(title.to_owned(), move |progress| {
                    actions::write_sales_list(
                        &Store::open_unchecked(&db)?,
                        &list,
                        &path,
                        (lang, today),
                        &|done, total| progress.set(done, total),
                        &progress.cancel,
                    )
                });
            }
            PathUse::Import => self.read_for_import(path),
            PathUse::PaymentOrders(numbers, first) => {
                let result = actions::payment_orders(
                    store,
                    &numbers,
                    first,
                    &path,
                    (today, crate::clock::time_now()),
                );
                self.exported = result.is_ok().then(|| path.clone());
                if let (Ok(Done::PaymentOrders(written)), Some(session)) =
                    (&result, self.session.as_mut())
                {
                    session.payments.orders_written(written.numbers.1);
                }
                self.report(result.map(Said::from));
            }
            PathUse::BankStatement => {}
            PathUse::Reconciliation { partner, from, to } => {
                let result = actions::write_reconciliation(
                    store,
                    partner,
                    (from, to),
                    &path,
                    (doc_lang, today),
                );
                self.exported = result.is_ok().then(|| path.clone());
                self.report(result.map(Said::from));
            }
            PathUse::Backup => {
                let title = lang.pick("Резервная копия", "Backup");
                self.start_job(title.to_owned(), move |_| {
                    actions::backup(&Store::open(&db)?, &path)
                });
            }
            PathUse::List { .. } | PathUse::NewDatabase | PathUse::OpenDatabase => {}
        }
    }
}
