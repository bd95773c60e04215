//! What the store refuses and why: a broken rule (`RuleError`, the user's to fix) or a
//! fault of the file (`StoreError`), each variant said in Russian and English side by side
//! in one `text`, grouped by what it is about.

use crate::domain::TextError;
use crate::domain::lang::{Lang, Localized, english_display};

mod rule;

pub use rule::RuleError;

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    Sqlite(#[source] rusqlite::Error),
    NotADatabase {
        path: String,
    },
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    CannotOpen {
        path: String,
        reason: String,
    },
    Damaged(String),
    ReadOnly {
        path: String,
    },
    /// A value of another type than its column's, in a file another program changed:
    /// SQLite's words for it.
    WrongType {
        reason: String,
    },
    /// A team database's value of another type than Partner Desk's schema gives its
    /// column: the column as the server names it, and the driver's words.
    WrongTypeOnServer {
        column: String,
        reason: String,
    },
    /// A stored value the program does not know (a license kind of a newer version, a
    /// status another program wrote): what it was read as, its table and column, the value.
    UnknownValue {
        what: Stored,
        column: &'static str,
        value: String,
    },
    /// A record the database keeps as JSON that does not read as one: its table and
    /// column, and the reader's words.
    UnreadableJson {
        column: &'static str,
        reason: String,
    },
    /// A copy checked before it was kept differs from the database copied; nothing was
    /// copied.
    CopyDiffers(CopyDifference),
    /// A copy made and kept whose statement of a partner for a month does not come out the
    /// same as in the database copied: the engines figure it differently.
    StatementsDiffer {
        partner: i64,
        month: String,
    },
    /// A fault of the program, caught before it wrote anything: what it was doing.
    Fault {
        what: &'static str,
    },
    /// A record that was to be there is not (one read expected a row and got none).
    NoRow,
    DiskFull,
    DiskIo(String),
    ServerRefusedText {
        server: String,
    },
    FolderReadOnly {
        folder: String,
    },
    Busy,
    BusyFor {
        waited: std::time::Duration,
    },
    Rule(#[from] RuleError),
    BadServerUrl {
        url: String,
        reason: ServerProblem,
    },
    CannotConnect {
        server: String,
        reason: ServerProblem,
    },
    ServerGone {
        server: String,
    },
    Server {
        server: String,
        reason: String,
    },
    NoServerSchema {
        server: String,
    },
    /// A `partner_desk` schema that is not Partner Desk's: no mark of ours in its `meta`, or
    /// one that does not read as ours.
    ForeignServerSchema {
        server: String,
    },
    OlderServerSchema {
        server: String,
        found: i64,
    },
    PinsOverlap,
    /// A row of a bulk load breaks a rule the database keeps and the load had set aside
    /// (checked for the whole load before it commits): `at` is its place among the rows
    /// written, `rule` the constraint or trigger.
    BrokenInLoad {
        at: usize,
        rule: String,
    },
    NotAllowed {
        server: String,
    },
    CannotAddUser {
        server: String,
    },
    StoredText {
        table: &'static str,
        key: String,
        column: String,
        #[source]
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

impl Localized for ServerProblem {
    fn text(&self, lang: Lang) -> String {
        match self {
            ServerProblem::PasswordInAddress => lang.say(
                "пароль в адресе не принимается; укажите его в PGPASSWORD или .pgpass",
                "a password in the address is not accepted; give it in PGPASSWORD or .pgpass",
            ),
            ServerProblem::CaFileUnreadable(why) => lang.say(
                format!(
                    "не удаётся прочитать файл сертификата центра сертификации (sslrootcert) ({why})"
                ),
                format!("the certificate authority's file (sslrootcert) cannot be read ({why})"),
            ),
            ServerProblem::CertificateRefused(why) => lang.say(
                format!(
                    "шифрованное соединение не установлено: сервер не подтвердил, что он тот, за кого себя выдаёт (сертификат не от доверенного центра или не на это имя сервера; укажите файл центра сертификации компании в sslrootcert) или не поддерживает шифрование ({why})"
                ),
                format!(
                    "no encrypted connection: the server did not prove who it is (its certificate is not from a trusted authority or not for this server name; name the company's certificate authority file in sslrootcert) or it does not support encryption ({why})"
                ),
            ),
            ServerProblem::NotAnAddress(words) => lang.say(
                format!("это не адрес сервера postgres://ЛОГИН@СЕРВЕР:ПОРТ/БАЗА ({words})"),
                format!("this is not a server address postgres://LOGIN@HOST:PORT/DATABASE ({words})"),
            ),
            ServerProblem::NotATeamDatabase => {
                lang.say("это файл, а не общая база", "a file, not a team database")
            }
            ServerProblem::LoginRefused => lang.say(
                "логин или пароль не приняты",
                "the login or the password is not accepted",
            ),
            ServerProblem::NoSuchDatabase => {
                lang.say("такой базы на сервере нет", "there is no such database")
            }
            ServerProblem::NothingAnswers => lang.say(
                "по этому адресу и порту никто не отвечает (сервер запущен и принимает подключения по сети?)",
                "nothing answers at that address and port (is the server running and listening on the network?)",
            ),
            ServerProblem::NoAnswerInTime => lang.say(
                "сервер не ответил за 10 секунд",
                "the server did not answer within 10 seconds",
            ),
            ServerProblem::Said(words) => words.clone(),
        }
    }
}

/// What a stored value was read as, when the program does not know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    LicenseKind,
    Status,
    Rate,
    /// Why a sale's premium is zero.
    ZeroReason,
    PinEvent,
    Inn,
    /// A month of sales, `2025-01`.
    Month,
    /// A partner's VAT (`none` or a rate).
    Vat,
    /// How a payment was recorded.
    PaymentSource,
}

impl Stored {
    /// What the value is read as: «… не может прочитать это как {}», "cannot read as {}".
    fn words(self, lang: Lang) -> &'static str {
        match self {
            Stored::LicenseKind => lang.pick("вид лицензии", "a license kind"),
            Stored::Status => lang.pick("статус партнёра", "a partner status"),
            Stored::Rate => lang.pick("ставку", "a rate"),
            Stored::ZeroReason => {
                lang.pick("причину нулевой премии", "a reason for a zero premium")
            }
            Stored::PinEvent => lang.pick("событие закрепления", "a pin event"),
            Stored::Inn => lang.pick("ИНН", "an INN"),
            Stored::Month => lang.pick("месяц", "a month"),
            Stored::Vat => lang.pick("НДС партнёра", "a partner's VAT"),
            Stored::PaymentSource => lang.pick("источник оплаты", "a payment's source"),
        }
    }
}

/// How a copy differs from the database it copies, found before the copy is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyDifference {
    /// A table holds `copied` rows in the database copied and `copy` in the copy.
    Rows {
        table: String,
        copied: i64,
        copy: i64,
    },
    /// An issued statement's stored JSON or checksum is not the same byte for byte.
    Statement { number: String },
    /// A row of `table` refers to a row the copy does not hold.
    Reference { table: String },
}

impl Localized for CopyDifference {
    fn text(&self, lang: Lang) -> String {
        match self {
            CopyDifference::Rows {
                table,
                copied,
                copy,
            } => lang.say(
                format!("{table}: в копируемой базе строк {copied}, в копии {copy}"),
                format!("{table}: {copied} rows in the database copied, {copy} in the copy"),
            ),
            CopyDifference::Statement { number } => lang.say(
                format!("выданная ведомость {number} не совпадает байт в байт"),
                format!("issued statement {number} is not the same byte for byte"),
            ),
            CopyDifference::Reference { table } => lang.say(
                format!("строка таблицы {table} ссылается на строку, которой нет"),
                format!("a row of {table} refers to a row that is not there"),
            ),
        }
    }
}

english_display!(StoreError, ServerProblem);

impl Localized for StoreError {
    fn text(&self, lang: Lang) -> String {
        use StoreError::*;
        match self {
            Rule(rule) => rule.text(lang),
            NotADatabase { .. }
            | NewerSchema { .. }
            | CannotOpen { .. }
            | Damaged(_)
            | ReadOnly { .. }
            | DiskFull
            | DiskIo(_)
            | FolderReadOnly { .. }
            | Busy
            | BusyFor { .. } => self.of_the_file(lang),
            Sqlite(_) | NoRow | PinsOverlap | BrokenInLoad { .. } | Fault { .. } => {
                self.of_what_it_holds(lang)
            }
            WrongType { .. }
            | WrongTypeOnServer { .. }
            | UnknownValue { .. }
            | UnreadableJson { .. }
            | StoredText { .. }
            | CopyDiffers(_)
            | StatementsDiffer { .. } => self.of_a_value_or_a_copy(lang),
            BadServerUrl { .. }
            | CannotConnect { .. }
            | ServerGone { .. }
            | Server { .. }
            | NoServerSchema { .. }
            | ForeignServerSchema { .. }
            | OlderServerSchema { .. }
            | NotAllowed { .. }
            | CannotAddUser { .. }
            | ServerRefusedText { .. } => self.of_the_server(lang),
        }
    }
}

impl StoreError {
    /// The database's file, its folder and its disk, and another program's write.
    fn of_the_file(&self, lang: Lang) -> String {
        match self {
            StoreError::NotADatabase { path } => lang.say(
                format!(
                    "{path} — не база Partner Desk (или файл повреждён); откройте другой файл или восстановите его из резервной копии"
                ),
                format!("{path} is not a Partner Desk database (or it is damaged)"),
            ),
            StoreError::NewerSchema {
                path,
                found,
                supported,
            } => lang.say(
                format!(
                    "{path} записан более новой версией Partner Desk (схема {found}, эта версия знает до {supported}); обновите программу, чтобы открыть его"
                ),
                format!(
                    "{path} was written by a newer version of Partner Desk (schema {found}, this version knows up to {supported}); update the program to open it"
                ),
            ),
            StoreError::CannotOpen { path, reason } => lang.say(
                format!("не удаётся открыть {path}: {reason}"),
                format!("cannot open {path}: {reason}"),
            ),
            StoreError::Damaged(what) => lang.say(
                format!(
                    "файл базы данных повреждён ({what}); откройте его последнюю резервную копию"
                ),
                format!("the database file is damaged ({what}); open its latest backup instead"),
            ),
            StoreError::ReadOnly { path } => lang.say(
                format!(
                    "{path} только для чтения: его можно читать и копировать, но не менять; снимите запрет записи или работайте с копией"
                ),
                format!(
                    "{path} is read-only: it can be read and backed up, not changed; make it writable or work on a copy"
                ),
            ),
            StoreError::DiskFull => lang.say(
                "диск, на котором лежит база данных, заполнен: освободите на нём место (удалите или перенесите файлы) и повторите; то, что записывалось, не сохранено",
                "the disk holding the database is full: free some space on it (delete or move files) and try again; what was being written was not saved",
            ),
            StoreError::DiskIo(what) => lang.say(
                format!(
                    "файл базы данных не удалось прочитать или записать ({what}): диск, возможно, заполнен, отключён или неисправен; освободите на нём место или проверьте подключение и повторите; то, что записывалось, не сохранено"
                ),
                format!(
                    "the database file could not be read or written ({what}): the disk may be full, removed or failing; free space on it or check that it is connected, then try again; what was being written was not saved"
                ),
            ),
            StoreError::FolderReadOnly { folder } => lang.say(
                format!(
                    "в папку {folder} нельзя записывать (диск только для чтения или нет прав): база данных пишет журнал рядом со своим файлом; скопируйте файл в папку, куда можно писать, и откройте его там"
                ),
                format!(
                    "the folder {folder} cannot be written (a read-only disk, or no permission): the database writes its journal beside its file; copy the file to a folder you can write to and open it there"
                ),
            ),
            StoreError::Busy => lang.say(
                "база данных занята: другая программа уже долго записывает в неё (например, большой импорт); повторите, когда она закончит",
                "the database is busy: another program has been writing to it for a while (a large import, for example); try again when it has finished",
            ),
            StoreError::BusyFor { waited } => {
                let waited = waited.as_secs_f64();
                lang.say(
                    format!(
                        "база данных занята: другая программа записывала в неё все {waited:.1} с, что здесь её ждали (например, большой импорт); повторите, когда она закончит"
                    ),
                    format!(
                        "the database is busy: another program has been writing to it all the {waited:.1} s this waited for it (a large import, for example); try again when it has finished"
                    ),
                )
            }
            _ => unreachable!("said by StoreError::text's other groups"),
        }
    }

    /// What the database holds, or refuses to hold.
    fn of_what_it_holds(&self, lang: Lang) -> String {
        match self {
            StoreError::Sqlite(e) => lang.say(
                format!("ошибка базы данных: {e}"),
                format!("database error: {e}"),
            ),
            StoreError::Fault { what } => lang.say(
                format!(
                    "внутренняя ошибка Partner Desk ({what}); ничего не записано. Это ошибка программы: повторите, а если она повторится, отправьте журнал (Справка ▸ Открыть папку журнала) её разработчикам"
                ),
                format!(
                    "Partner Desk went wrong inside ({what}); nothing was written. This is a fault of the program: try again, and if it happens again, send the log (Help ▸ Open the log folder) to its developers"
                ),
            ),
            StoreError::NoRow => lang.say(
                "записи больше нет в базе данных; возможно, её только что удалили: прочитайте данные заново",
                "the record is no longer in the database; it may have just been deleted: read it again",
            ),
            StoreError::PinsOverlap => lang.say(
                "другая программа в тот же момент закрепила этого клиента за другим партнёром; повторите",
                "another program pinned this client to another partner at the same moment; try again",
            ),
            StoreError::BrokenInLoad { at, rule } => {
                let row = at + 1;
                lang.say(
                    format!(
                        "строка {row} загрузки нарушает правило, которое хранит база данных ({rule}); ничего не записано"
                    ),
                    format!(
                        "row {row} of the load breaks a rule the database keeps ({rule}); nothing was written"
                    ),
                )
            }
            _ => unreachable!("said by StoreError::text's other groups"),
        }
    }

    /// A value read that the program cannot read, and a copy that does not match.
    fn of_a_value_or_a_copy(&self, lang: Lang) -> String {
        match self {
            StoreError::WrongType { reason } => lang.say(
                format!(
                    "в базе данных значение, которое нельзя прочитать ({reason}); файл изменён другой программой или повреждён: выполните partner-desk check или откройте последнюю резервную копию"
                ),
                format!(
                    "the database holds a value it cannot read ({reason}); the file was changed by another program or is damaged: run partner-desk check, or open its latest backup"
                ),
            ),
            StoreError::WrongTypeOnServer { column, reason } => lang.say(
                format!(
                    "в общей базе значение другого типа, чем в схеме Partner Desk ({column}: {reason}): её схему partner_desk изменила другая программа, или это не схема Partner Desk; ничего не изменено. Попросите владельца базы восстановить её из последней выгрузки (pg_dump) или откройте другую базу"
                ),
                format!(
                    "the team database holds a value of another type than Partner Desk's schema gives it ({column}: {reason}): its partner_desk schema was changed by another program, or is not Partner Desk's; nothing was changed. Ask the database's owner to restore it from its latest dump (pg_dump), or open another database"
                ),
            ),
            StoreError::UnknownValue {
                what,
                column,
                value,
            } => lang.say(
                format!(
                    "в базе данных в {column} записано «{}», а эта программа не может прочитать это как {}: это записала другая программа или более новая версия Partner Desk, или база повреждена; обновите программу, если с этой базой работает более новая версия, или откройте последнюю резервную копию",
                    value.escape_debug(),
                    what.words(Lang::Ru)
                ),
                format!(
                    "the database holds {value:?} in {column}, which this program cannot read as {}: another program or a newer version of Partner Desk wrote it, or the database is damaged; update the program if a newer version works on this database, or open its latest backup",
                    what.words(Lang::En)
                ),
            ),
            StoreError::UnreadableJson { column, reason } => lang.say(
                format!(
                    "в базе данных запись в {column}, которую нельзя прочитать ({reason}): её изменила другая программа, или база повреждена; откройте последнюю резервную копию"
                ),
                format!(
                    "the database keeps a record in {column} that cannot be read ({reason}): another program changed it, or the database is damaged; open its latest backup"
                ),
            ),
            StoreError::StoredText {
                table,
                key,
                column,
                error,
            } => lang.say(
                format!(
                    "в файле текст, который нельзя скопировать ({table} {key}, {column}): {}; исправьте его в файле (в окне программы) и повторите копирование. Ничего не скопировано",
                    error.text(Lang::Ru)
                ),
                format!(
                    "the file holds a text that cannot be copied ({table} {key}, {column}): {}; correct it in the file (in the window) and copy again. Nothing was copied",
                    error.text(Lang::En)
                ),
            ),
            StoreError::CopyDiffers(difference) => lang.say(
                format!(
                    "копия проверена перед сохранением и не совпадает с копируемой базой ({}); ничего не скопировано. В ту базу в это время записывали, или она повреждена: повторите копирование, когда в неё никто не пишет, а если копия снова не совпадёт, проверьте базу (partner-desk check) или скопируйте её последнюю резервную копию",
                    difference.text(Lang::Ru)
                ),
                format!(
                    "the copy was checked before it was kept and does not match the database copied ({}); nothing was copied. Something wrote to that database meanwhile, or it is damaged: copy again when no one writes to it, and if it differs again, check it (partner-desk check) or copy its latest backup",
                    difference.text(Lang::En)
                ),
            ),
            StoreError::StatementsDiffer { partner, month } => lang.say(
                format!(
                    "копия сделана, но ведомость партнёра № {partner} за {month} в двух базах получается разной: это ошибка программы. Продолжайте работать в копируемой базе, а не в копии, и отправьте журнал (Справка ▸ Открыть папку журнала) разработчикам"
                ),
                format!(
                    "the copy is made, but partner #{partner}'s statement for {month} does not come out the same in the two databases: a fault of the program. Go on working in the database copied, not in the copy, and send the log (Help ▸ Open the log folder) to the developers"
                ),
            ),
            _ => unreachable!("said by StoreError::text's other groups"),
        }
    }

    /// A team database: its address, the connection, its schema and the login's rights.
    fn of_the_server(&self, lang: Lang) -> String {
        match self {
            StoreError::BadServerUrl { url, reason } => lang.say(
                format!(
                    "{url} — не адрес базы данных, которым можно воспользоваться: {}",
                    reason.text(Lang::Ru)
                ),
                format!(
                    "{url} is not a database address that can be used: {}",
                    reason.text(Lang::En)
                ),
            ),
            StoreError::CannotConnect { server, reason } => lang.say(
                format!(
                    "не удаётся подключиться к общей базе {server}: {}",
                    reason.text(Lang::Ru)
                ),
                format!(
                    "cannot connect to the team database {server}: {}",
                    reason.text(Lang::En)
                ),
            ),
            StoreError::ServerGone { server } => lang.say(
                format!(
                    "сервер общей базы {server} закрыл соединение; из незаконченного изменения ничего не сохранено, повторите, когда он снова будет доступен"
                ),
                format!(
                    "the team database server {server} closed the connection; nothing of the unfinished change was kept, try again when it is back"
                ),
            ),
            StoreError::Server { server, reason } => lang.say(
                format!("общая база {server} отказала: {reason}"),
                format!("the team database {server} refused: {reason}"),
            ),
            StoreError::NoServerSchema { server } => lang.say(
                format!(
                    "В {server} ещё нет схемы Partner Desk; создайте её командой: partner-desk server init URL"
                ),
                format!(
                    "{server} holds no Partner Desk schema yet; create it with: partner-desk server init URL"
                ),
            ),
            StoreError::ForeignServerSchema { server } => lang.say(
                format!(
                    "{server} — не база Partner Desk: её схема partner_desk принадлежит другой программе или изменена вручную; программа её не читает и ничего в ней не меняет. Укажите другую базу или создайте схему Partner Desk в пустой базе командой: partner-desk server init URL"
                ),
                format!(
                    "{server} is not a Partner Desk database: its partner_desk schema is another program's, or was changed by hand; the program reads none of it and changes nothing. Name another database, or create Partner Desk's in an empty one with: partner-desk server init URL"
                ),
            ),
            StoreError::OlderServerSchema { server, found } => lang.say(
                format!(
                    "в {server} схема Partner Desk старой версии ({found}); её владелец обновляет её командой: partner-desk server upgrade URL"
                ),
                format!(
                    "{server} holds an older Partner Desk schema ({found}); its owner upgrades it with: partner-desk server upgrade URL"
                ),
            ),
            StoreError::NotAllowed { server } => lang.say(
                format!(
                    "общая база {server} не разрешает вашей учётной записи это изменение: менеджеры записывают закрепления, продажи, возвраты, статусы и импорт; руководители также меняют ставки, выдают и переоткрывают ведомости; аудиторы только читают и выгружают. Ничего не изменено; роль учётной записи даёт администратор командой partner-desk server add-user"
                ),
                format!(
                    "the team database {server} does not let your login make this change: managers record pins, sales, returns, statuses and imports; leads also change rates and issue and reopen statements; auditors only read and export. Nothing was changed; the administrator gives a login its role with: partner-desk server add-user"
                ),
            ),
            StoreError::CannotAddUser { server } => lang.say(
                format!(
                    "учётная запись, под которой выполнено подключение к {server}, не может добавлять пользователей: подключитесь как владелец, созданный командой createuser --createrole (или как суперпользователь)"
                ),
                format!(
                    "the login connected to {server} may not add users: connect as the owner made with createuser --createrole (or as a superuser)"
                ),
            ),
            StoreError::ServerRefusedText { server } => lang.say(
                format!(
                    "общая база {server} не может сохранить текст этого изменения (в нём символ NUL или байты не в UTF-8); удалите этот символ и повторите; ничего не изменено"
                ),
                format!(
                    "the team database {server} cannot store a text of this change (it holds a NUL or bytes that are not UTF-8); remove that character and try again; nothing was changed"
                ),
            ),
            _ => unreachable!("said by StoreError::text's other groups"),
        }
    }
}
