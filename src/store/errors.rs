//! What the store refuses and why: a broken rule (`RuleError`, the user's to fix) or a
//! fault of the file (`StoreError`), each said in Russian and English.

use chrono::NaiveDate;

use crate::domain::lang::{Lang, Localized};
use crate::domain::{self, Inn, ShipmentRefusal, TextError, TextField};

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("{path} is not a Partner Desk database (or it is damaged)")]
    NotADatabase { path: String },
    #[error(
        "{path} was written by a newer version of Partner Desk (schema {found}, this version knows up to {supported}); update the program to open it"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot open {path}: {reason}")]
    CannotOpen { path: String, reason: String },
    #[error("the database file is damaged ({0}); open its latest backup instead")]
    Damaged(String),
    #[error(
        "{path} is read-only: it can be read and backed up, not changed; make it writable or work on a copy"
    )]
    ReadOnly { path: String },
    #[error(
        "the database holds a value it cannot read ({0}); the file was changed by another program or is damaged: run partner-desk check, or open its latest backup"
    )]
    BadValue(String),
    /// A record that was to be there is not (one read expected a row and got none).
    #[error(
        "the record is no longer in the database; it may have just been deleted: read it again"
    )]
    NoRow,
    #[error(
        "the disk holding the database is full: free some space on it (delete or move files) and try again; what was being written was not saved"
    )]
    DiskFull,
    #[error(
        "the database file could not be read or written ({0}): the disk may be full, removed or failing; free space on it or check that it is connected, then try again; what was being written was not saved"
    )]
    DiskIo(String),
    #[error(
        "the team database {server} cannot store a text of this change (it holds a NUL or bytes that are not UTF-8); remove that character and try again; nothing was changed"
    )]
    ServerRefusedText { server: String },
    #[error(
        "the folder {folder} cannot be written (a read-only disk, or no permission): the database writes its journal beside its file; copy the file to a folder you can write to and open it there"
    )]
    FolderReadOnly { folder: String },
    #[error(
        "the database is busy: another program has been writing to it for a while (a large import, for example); try again when it has finished"
    )]
    Busy,
    #[error(
        "the database is busy: another program has been writing to it all the {:.1} s this waited for it (a large import, for example); try again when it has finished",
        waited.as_secs_f64()
    )]
    BusyFor { waited: std::time::Duration },
    #[error("{0}")]
    Rule(#[from] RuleError),
    #[error("{url} is not a database address that can be used: {reason}")]
    BadServerUrl { url: String, reason: ServerProblem },
    #[error("cannot connect to the team database {server}: {reason}")]
    CannotConnect {
        server: String,
        reason: ServerProblem,
    },
    #[error(
        "the team database server {server} closed the connection; nothing of the unfinished change was kept, try again when it is back"
    )]
    ServerGone { server: String },
    #[error("the team database {server} refused: {reason}")]
    Server { server: String, reason: String },
    #[error(
        "{server} holds no Partner Desk schema yet; create it with: partner-desk server init URL"
    )]
    NoServerSchema { server: String },
    #[error(
        "{server} holds an older Partner Desk schema ({found}); its owner upgrades it with: partner-desk server upgrade URL"
    )]
    OlderServerSchema { server: String, found: i64 },
    #[error("another program pinned this client to another partner at the same moment; try again")]
    PinsOverlap,
    /// A row of a bulk load breaks a rule the database keeps and the load had set aside
    /// (checked for the whole load before it commits): `at` is its place among the rows
    /// written, `rule` the constraint or trigger.
    #[error("row {} of the load breaks a rule the database keeps ({rule}); nothing was written", at + 1)]
    BrokenInLoad { at: usize, rule: String },
    #[error(
        "the team database {server} does not let your login make this change: managers record pins, sales, returns, statuses and imports; leads also change rates and issue and reopen statements; auditors only read and export. Nothing was changed; the administrator gives a login its role with: partner-desk server add-user"
    )]
    NotAllowed { server: String },
    #[error(
        "the login connected to {server} may not add users: connect as the owner made with createuser --createrole (or as a superuser)"
    )]
    CannotAddUser { server: String },
    #[error(
        "the file holds a text that cannot be copied ({table} {key}, {column}): {error}; correct it in the file (in the window) and copy again. Nothing was copied"
    )]
    StoredText {
        table: &'static str,
        key: String,
        column: String,
        error: TextError,
    },
}

impl StoreError {
    /// A UNIQUE constraint of a file refused the row. (A server's refusal is a
    /// [`RuleError::DuplicateDoc`] already, see `postgres::server_error`.)
    pub(super) fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
    }
}

/// Why a team database cannot be used or reached, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerProblem {
    PasswordInAddress,
    /// The company's CA file named by `sslrootcert` cannot be read (why).
    CaFileUnreadable(String),
    /// The encrypted connection failed: TLS's words.
    CertificateRefused(String),
    /// The address does not read as one; the parser's words.
    NotAnAddress(String),
    /// A file where a team database is needed.
    NotATeamDatabase,
    LoginRefused,
    NoSuchDatabase,
    NothingAnswers,
    NoAnswerInTime,
    /// The server's or the system's own words.
    Said(String),
}

impl ServerProblem {
    fn words(&self, lang: Lang) -> String {
        let t = |ru: &str, en: &str| lang.pick(ru, en).to_owned();
        match self {
            ServerProblem::PasswordInAddress => t(
                "пароль в адресе не принимается; укажите его в PGPASSWORD или .pgpass",
                "a password in the address is not accepted; give it in PGPASSWORD or .pgpass",
            ),
            ServerProblem::CaFileUnreadable(why) => format!(
                "{} ({why})",
                t(
                    "не удаётся прочитать файл сертификата центра сертификации (sslrootcert)",
                    "the certificate authority's file (sslrootcert) cannot be read"
                )
            ),
            ServerProblem::CertificateRefused(why) => format!(
                "{} ({why})",
                t(
                    "шифрованное соединение не установлено: сервер не подтвердил, что он тот, за кого себя выдаёт (сертификат не от доверенного центра или не на это имя сервера; укажите файл центра сертификации компании в sslrootcert) или не поддерживает шифрование",
                    "no encrypted connection: the server did not prove who it is (its certificate is not from a trusted authority or not for this server name; name the company's certificate authority file in sslrootcert) or it does not support encryption"
                )
            ),
            ServerProblem::NotAnAddress(words) => format!(
                "{} ({words})",
                t(
                    "это не адрес сервера postgres://ЛОГИН@СЕРВЕР:ПОРТ/БАЗА",
                    "this is not a server address postgres://LOGIN@HOST:PORT/DATABASE"
                )
            ),
            ServerProblem::NotATeamDatabase => {
                t("это файл, а не общая база", "a file, not a team database")
            }
            ServerProblem::LoginRefused => t(
                "логин или пароль не приняты",
                "the login or the password is not accepted",
            ),
            ServerProblem::NoSuchDatabase => {
                t("такой базы на сервере нет", "there is no such database")
            }
            ServerProblem::NothingAnswers => t(
                "по этому адресу и порту никто не отвечает (сервер запущен и принимает подключения по сети?)",
                "nothing answers at that address and port (is the server running and listening on the network?)",
            ),
            ServerProblem::NoAnswerInTime => t(
                "сервер не ответил за 10 секунд",
                "the server did not answer within 10 seconds",
            ),
            ServerProblem::Said(words) => words.clone(),
        }
    }
}

impl std::fmt::Display for ServerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Lang::En))
    }
}

/// A write refused by the regulation or by what is already recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("a partner with INN {inn} already exists")]
    PartnerExists { inn: Inn },
    #[error("no partner with INN {inn}; add the partner first")]
    UnknownPartner { inn: String },
    #[error("the partner name is empty")]
    EmptyName,
    #[error("the client {client} is pinned to {holder} until {last_day} inclusive")]
    PinConflict {
        client: Inn,
        holder: String,
        last_day: NaiveDate,
    },
    #[error("{partner} holds no pin of client {client} in force on {date}")]
    NoPinInForce {
        client: Inn,
        partner: String,
        date: NaiveDate,
    },
    #[error("the pin is not in force on {date}")]
    PinNotInForce { date: NaiveDate },
    #[error("no such pin")]
    UnknownPin,
    #[error("the sale cannot be recorded: {}", refusal.text(client, partner, holder.as_deref(), Lang::En))]
    Shipment {
        client: Inn,
        partner: String,
        refusal: ShipmentRefusal,
        holder: Option<String>,
    },
    #[error("document number {doc} is already used")]
    DuplicateDoc { doc: String },
    #[error("no sale with document number {doc}")]
    UnknownSale { doc: String },
    #[error("a return must point at a sale, not at another return")]
    ReturnOfReturn,
    #[error("the return is dated {date}, before the sale it returns ({sale_date})")]
    ReturnBeforeSale {
        date: NaiveDate,
        sale_date: NaiveDate,
    },
    #[error("only {left} of this sale is left to return")]
    ReturnTooLarge { left: String },
    #[error("a rate version from {date} already exists")]
    RateVersionExists { date: NaiveDate },
    #[error("the date is out of the calendar's range")]
    DateOutOfRange,
    #[error("statement {number} for {from} to {to} is already issued; reopen it first")]
    AlreadyIssued {
        number: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("no issued statement numbered {number}")]
    UnknownStatement { number: String },
    #[error("statement {number} is already reopened")]
    AlreadyReopened { number: String },
    #[error("state the reason for reopening")]
    ReasonRequired,
    #[error("the statement has no lines for the period; there is nothing to issue")]
    EmptyStatement,
    #[error(
        "the period is locked by issued statement {number}; reopen it with a reason, or date the record in an open period"
    )]
    PeriodLocked { number: String },
    #[error(
        "the sale has returns recorded against it; delete the returns first, then correct the sale and record them again"
    )]
    SaleHasReturns,
    #[error("a return is corrected by deleting it and recording it again")]
    ReturnNotEditable,
    #[error("nothing was changed; the correction is not recorded")]
    NothingCorrected,
    #[error(
        "while you were editing, someone else changed this record; nothing was written: take their version or keep yours"
    )]
    ChangedMeanwhile,
    #[error(
        "the pin has no extension or release left to cancel; a pin recorded by mistake is released"
    )]
    NothingToCancel,
    #[error(
        "the {event} cannot be cancelled: the client is pinned to {holder} from {from} since; release that pin first"
    )]
    CancelConflicts {
        event: &'static str,
        holder: String,
        from: NaiveDate,
    },
    #[error("say why the record is cancelled")]
    CancelReasonRequired,
    #[error(
        "the import can no longer be undone: it is not the last change to the database (or it is undone already)"
    )]
    ImportNotUndoable,
    #[error("{}: {error}", field.label(Lang::En))]
    Text { field: TextField, error: TextError },
    /// A rule the database keeps (a constraint, a trigger) refused the row: `rule` says
    /// which, as the schema writes it.
    #[error("the database keeps a rule this row breaks: {rule}")]
    KeptByTheDatabase { rule: String },
    /// The database's own check of a return refused it (another writer's return; the
    /// program checks first, `domain::lock::check_return`): `rule` is its code.
    #[error("the database refused the return: {}", return_rule(rule, Lang::En))]
    ReturnBroken { rule: String },
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

impl Localized for RuleError {
    fn text(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let day = |d: &NaiveDate| domain::show_date(*d, Lang::Ru);
        match self {
            RuleError::PartnerExists { inn } => format!("партнёр с ИНН {inn} уже есть"),
            RuleError::UnknownPartner { inn } => {
                format!("партнёра с ИНН {inn} нет; сначала добавьте партнёра")
            }
            RuleError::EmptyName => "не указано название партнёра".into(),
            RuleError::PinConflict {
                client,
                holder,
                last_day,
            } => {
                format!("Клиент {client} закреплён за {holder} по {}", day(last_day))
            }
            RuleError::NoPinInForce {
                client,
                partner,
                date,
            } => format!(
                "у {partner} нет закрепления клиента {client}, действующего на {}",
                day(date)
            ),
            RuleError::PinNotInForce { date } => {
                format!("закрепление не действует на {}", day(date))
            }
            RuleError::UnknownPin => "такого закрепления нет".into(),
            RuleError::Shipment {
                client,
                partner,
                refusal,
                holder,
            } => format!(
                "продажу нельзя записать: {}",
                refusal.text(client, partner, holder.as_deref(), Lang::Ru)
            ),
            RuleError::DuplicateDoc { doc } => format!("номер документа {doc} уже занят"),
            RuleError::UnknownSale { doc } => format!("продажи с номером документа {doc} нет"),
            RuleError::ReturnOfReturn => {
                "возврат должен ссылаться на продажу, а не на другой возврат".into()
            }
            RuleError::ReturnBeforeSale { date, sale_date } => format!(
                "возврат датирован {}, раньше самой продажи ({})",
                day(date),
                day(sale_date)
            ),
            RuleError::ReturnTooLarge { left } => {
                format!("по этой продаже осталось вернуть не больше {left}")
            }
            RuleError::RateVersionExists { date } => {
                format!("версия ставок с {} уже есть", day(date))
            }
            RuleError::DateOutOfRange => "дата вне допустимого диапазона".into(),
            RuleError::AlreadyIssued { number, from, to } => format!(
                "ведомость {number} за {} — {} уже выдана; сначала переоткройте её",
                day(from),
                day(to)
            ),
            RuleError::UnknownStatement { number } => format!("выданной ведомости № {number} нет"),
            RuleError::AlreadyReopened { number } => format!("ведомость {number} уже переоткрыта"),
            RuleError::ReasonRequired => "укажите причину переоткрытия".into(),
            RuleError::EmptyStatement => {
                "в ведомости за этот период нет строк — выдавать нечего".into()
            }
                        RuleError::PeriodLocked { number } => format!(
                "период закрыт выданной ведомостью {number}; переоткройте её с указанием причины или датируйте запись открытым периодом"
            ),
            RuleError::SaleHasReturns => "по продаже оформлены возвраты: сначала удалите их, затем исправьте продажу и оформите возвраты снова".into(),
            RuleError::ReturnNotEditable => "возврат исправляется так: удалите его и оформите заново".into(),
            RuleError::NothingCorrected => "ничего не изменено; исправление не записано".into(),
            RuleError::KeptByTheDatabase { rule } => {
                format!("база данных хранит правило, которое эта строка нарушает: {rule}")
            }
            RuleError::ReturnBroken { rule } => {
                format!("база данных не приняла возврат: {}", return_rule(rule, Lang::Ru))
            }
            RuleError::ChangedMeanwhile => "пока вы редактировали, эту запись изменил другой пользователь; ничего не записано: возьмите его вариант или оставьте свой".into(),
            RuleError::NothingToCancel => "у закрепления нет продления или снятия, которое можно отменить; ошибочное закрепление снимают".into(),
            RuleError::CancelConflicts { event, holder, from } => format!(
                "{} отменить нельзя: клиент с {} закреплён за {holder}; сначала снимите то закрепление",
                match *event {
                    "release" => "снятие",
                    _ => "продление",
                },
                day(from)
            ),
            RuleError::CancelReasonRequired => "укажите, почему запись отменяется".into(),
            RuleError::ImportNotUndoable => "импорт уже нельзя отменить: после него в базе были другие изменения (или он уже отменён)".into(),
            RuleError::Text { field, error } => {
                format!("{}: {}", field.label(Lang::Ru), error.text(Lang::Ru))
            }
        }
    }
}

impl Localized for StoreError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::Rule(rule), _) => rule.text(lang),
            (_, Lang::En) => self.to_string(),
            (StoreError::Sqlite(e), Lang::Ru) => format!("ошибка базы данных: {e}"),
            (StoreError::NotADatabase { path }, Lang::Ru) => format!(
                "{path} — не база Partner Desk (или файл повреждён); откройте другой файл или восстановите его из резервной копии"
            ),
            (
                StoreError::NewerSchema {
                    path,
                    found,
                    supported,
                },
                Lang::Ru,
            ) => format!(
                "{path} записан более новой версией Partner Desk (схема {found}, эта версия знает до {supported}); обновите программу, чтобы открыть его"
            ),
            (StoreError::CannotOpen { path, reason }, Lang::Ru) => {
                format!("не удаётся открыть {path}: {reason}")
            }
            (StoreError::Damaged(what), Lang::Ru) => format!(
                "файл базы данных повреждён ({what}); откройте его последнюю резервную копию"
            ),
            (StoreError::ReadOnly { path }, Lang::Ru) => format!(
                "{path} только для чтения: его можно читать и копировать, но не менять; снимите запрет записи или работайте с копией"
            ),
            (StoreError::BadValue(what), Lang::Ru) => format!(
                "в базе данных значение, которое нельзя прочитать ({what}); файл изменён другой программой или повреждён: выполните partner-desk check или откройте последнюю резервную копию"
            ),
            (StoreError::DiskFull, Lang::Ru) => "диск, на котором лежит база данных, заполнен: освободите на нём место (удалите или перенесите файлы) и повторите; то, что записывалось, не сохранено".into(),
            (StoreError::DiskIo(what), Lang::Ru) => format!(
                "файл базы данных не удалось прочитать или записать ({what}): диск, возможно, заполнен, отключён или неисправен; освободите на нём место или проверьте подключение и повторите; то, что записывалось, не сохранено"
            ),
            (StoreError::ServerRefusedText { server }, Lang::Ru) => format!(
                "общая база {server} не может сохранить текст этого изменения (в нём символ NUL или байты не в UTF-8); удалите этот символ и повторите; ничего не изменено"
            ),
            (StoreError::FolderReadOnly { folder }, Lang::Ru) => format!(
                "в папку {folder} нельзя записывать (диск только для чтения или нет прав): база данных пишет журнал рядом со своим файлом; скопируйте файл в папку, куда можно писать, и откройте его там"
            ),
            (StoreError::BusyFor { waited }, Lang::Ru) => format!(
                "база данных занята: другая программа записывала в неё все {:.1} с, что здесь её ждали (например, большой импорт); повторите, когда она закончит",
                waited.as_secs_f64()
            ),
            (StoreError::Busy, Lang::Ru) => "база данных занята: другая программа уже долго записывает в неё (например, большой импорт); повторите, когда она закончит".into(),
            (StoreError::BadServerUrl { url, reason }, Lang::Ru) => format!(
                "{url} — не адрес базы данных, которым можно воспользоваться: {}",
                reason.words(lang)
            ),
            (StoreError::CannotConnect { server, reason }, Lang::Ru) => format!(
                "не удаётся подключиться к общей базе {server}: {}",
                reason.words(lang)
            ),
            (StoreError::ServerGone { server }, Lang::Ru) => format!(
                "сервер общей базы {server} закрыл соединение; из незаконченного изменения ничего не сохранено, повторите, когда он снова будет доступен"
            ),
            (StoreError::Server { server, reason }, Lang::Ru) => {
                format!("общая база {server} отказала: {reason}")
            }
            (StoreError::NoServerSchema { server }, Lang::Ru) => format!(
                "В {server} ещё нет схемы Partner Desk; создайте её командой: partner-desk server init URL"
            ),
            (StoreError::NotAllowed { server }, Lang::Ru) => format!(
                "общая база {server} не разрешает вашей учётной записи это изменение: менеджеры записывают закрепления, продажи, возвраты, статусы и импорт; руководители также меняют ставки, выдают и переоткрывают ведомости; аудиторы только читают и выгружают. Ничего не изменено; роль учётной записи даёт администратор командой partner-desk server add-user"
            ),
            (StoreError::CannotAddUser { server }, Lang::Ru) => format!(
                "учётная запись, под которой выполнено подключение к {server}, не может добавлять пользователей: подключитесь как владелец, созданный командой createuser --createrole (или как суперпользователь)"
            ),
            (StoreError::BrokenInLoad { at, rule }, Lang::Ru) => format!(
                "строка {} загрузки нарушает правило, которое хранит база данных ({rule}); ничего не записано",
                at + 1
            ),
            (StoreError::NoRow, Lang::Ru) => {
                "записи больше нет в базе данных; возможно, её только что удалили: прочитайте данные заново".into()
            }
            (StoreError::PinsOverlap, Lang::Ru) => "другая программа в тот же момент закрепила этого клиента за другим партнёром; повторите".into(),
            (
                StoreError::StoredText {
                    table,
                    key,
                    column,
                    error,
                },
                Lang::Ru,
            ) => format!(
                "в файле текст, который нельзя скопировать ({table} {key}, {column}): {}; исправьте его в файле (в окне программы) и повторите копирование. Ничего не скопировано",
                error.text(lang)
            ),
            (StoreError::OlderServerSchema { server, found }, Lang::Ru) => format!(
                "в {server} схема Partner Desk старой версии ({found}); её владелец обновляет её командой: partner-desk server upgrade URL"
            ),
        }
    }
}
