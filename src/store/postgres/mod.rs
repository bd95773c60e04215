//! The PostgreSQL engine: a team's database on a server, the same program's data shared by
//! every manager. This module connects (a `postgres://` URL, with what the URL leaves out
//! taken from the `PG*` variables and `.pgpass`, as `psql` does), and creates and checks the
//! server's own schema (`schema.sql`), whose rules the database keeps for every writer.

mod bulk;
mod conn;
mod engine;
mod pgpass;
pub mod tls;
mod turn;

pub(crate) use bulk::{insert_sales, upsert_clients};
pub use conn::PgConn;

pub(crate) use turn::{CLIENT_SAVEPOINT, Turn, write};

use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

use super::errors::ServerProblem;
use super::values::pg_get;
use super::{RuleError, StoreError};

/// The server schema version this program writes.
pub const SERVER_SCHEMA_VERSION: i64 = 3;

/// The schema as version 1 made it, run first by `server init`.
const SCHEMA: &str = include_str!("schema.sql");

/// What each later version changes, in order: `UPGRADES[i]` takes a database of version
/// `i + 1` to `i + 2`. `server init` runs all of them after [`SCHEMA`], `server upgrade`
/// those a database lacks, so a new database and an upgraded one are the same.
const UPGRADES: [&str; (SERVER_SCHEMA_VERSION - 1) as usize] =
    [include_str!("upgrade-2.sql"), include_str!("upgrade-3.sql")];

/// How long a connection attempt waits for the server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// True when `text` names a server (`postgres://…` or `postgresql://…`), not a file.
pub fn is_server_url(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The connection settings of `url`. What the URL does not say is taken as `psql` takes it:
/// `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, and the password from `PGPASSWORD` or the
/// password file (`PGPASSFILE`, else `~/.pgpass`). A password in the URL itself is refused:
/// it would stay in the shell's history and the process list.
pub fn config(url: &str) -> Result<Config, StoreError> {
    let bad = |reason| StoreError::BadServerUrl {
        url: shown(url),
        reason,
    };
    let (driver, _) = tls::split(url);
    let mut config: Config = driver
        .parse()
        .map_err(|e| bad(ServerProblem::NotAnAddress(format!("{e}"))))?;
    if config.get_password().is_some() {
        return Err(bad(ServerProblem::PasswordInAddress));
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        config.host(&env("PGHOST").unwrap_or_else(|| "localhost".into()));
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .or_else(|| env("USERNAME"))
            .unwrap_or_else(|| "postgres".into());
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        config.dbname(&env("PGDATABASE").unwrap_or_else(|| "partner_desk".into()));
    }
    if let Some(password) = remembered(&shown(url))
        .or_else(|| env("PGPASSWORD"))
        .or_else(|| pgpass::lookup(&config))
        .or_else(|| asked_password(&shown(url)))
    {
        config.password(password);
    }
    // A server on another computer is encrypted to unless the address says not (tls.rs).
    let local = config.get_hosts().iter().all(|host| match host {
        postgres::config::Host::Tcp(name) => tls::is_local_host(name),
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => true,
    });
    let encrypt = tls::split(url).1.encrypts(local);
    config
        .ssl_mode(if encrypt {
            postgres::config::SslMode::Require
        } else {
            postgres::config::SslMode::Disable
        })
        .connect_timeout(CONNECT_TIMEOUT)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10))
        .keepalives_interval(Duration::from_secs(5))
        .keepalives_retries(3)
        .application_name("partner-desk");
    Ok(config)
}

/// Asks for the password of a server when neither `PGPASSWORD` nor the password file
/// has it: given the server as shown, the password typed, or none.
pub type PasswordPrompt = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

static PROMPT: std::sync::OnceLock<PasswordPrompt> = std::sync::OnceLock::new();

/// Passwords asked for in this process, by server: each is asked once.
static ASKED: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

/// Lets connections ask for a missing password (the command line does, on its terminal).
pub fn set_password_prompt(prompt: PasswordPrompt) {
    let _ = PROMPT.set(prompt);
}

/// The password typed for `server` in this process (the window's connection dialog), if any.
fn remembered(server: &str) -> Option<String> {
    let asked = ASKED.lock().ok()?;
    asked
        .iter()
        .find(|(s, _)| s == server)
        .map(|(_, p)| p.clone())
}

/// Keeps the password typed for the team database `url` for the rest of this process (in
/// memory only: it is asked again at the next start); it comes before `PGPASSWORD` and the
/// password file.
pub fn remember_password(url: &str, password: &str) {
    let server = shown(url);
    if let Ok(mut asked) = ASKED.lock() {
        asked.retain(|(s, _)| *s != server);
        asked.push((server, password.to_owned()));
    }
}

/// Whether a password for `url` was typed in this process.
pub fn has_remembered_password(url: &str) -> bool {
    remembered(&shown(url)).is_some()
}

/// Forgets the password typed for `url` in this process (the server refused it).
pub fn forget_password(url: &str) {
    let server = shown(url);
    if let Ok(mut asked) = ASKED.lock() {
        asked.retain(|(s, _)| *s != server);
    }
}

fn asked_password(server: &str) -> Option<String> {
    let prompt = PROMPT.get()?;
    let mut asked = ASKED.lock().ok()?;
    let password = prompt(server).filter(|p| !p.is_empty())?;
    asked.push((server.to_owned(), password.clone()));
    Some(password)
}

/// `url` as it may be shown and logged: `user@host:port/database`, never a password.
pub fn shown(url: &str) -> String {
    match tls::split(url).0.parse::<Config>() {
        Ok(c) => {
            let host = match c.get_hosts().first() {
                Some(postgres::config::Host::Tcp(h)) => h.clone(),
                #[cfg(unix)]
                Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
                None => "localhost".into(),
            };
            let port = c
                .get_ports()
                .first()
                .map_or(String::new(), |p| format!(":{p}"));
            let user = c.get_user().map_or(String::new(), |u| format!("{u}@"));
            let db = c.get_dbname().unwrap_or("");
            format!("{user}{host}{port}/{db}")
        }
        Err(_) => "postgres://…".into(),
    }
}

/// What a database on the server holds, as far as Partner Desk is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// No Partner Desk schema and nothing of ours: `server init` may create it.
    Empty,
    /// Partner Desk's schema at this version.
    Ours(i64),
    /// A `partner_desk` schema that is not ours (no or another application mark).
    Foreign,
}

/// A connection to a team database.
pub struct Server {
    client: Client,
    shown: String,
}

impl Server {
    /// Connects to the database `url` names.
    pub fn connect(url: &str) -> Result<Server, StoreError> {
        let shown = shown(url);
        let config = config(url)?;
        let (_, wish) = tls::split(url);
        let tls = match config.get_ssl_mode() == postgres::config::SslMode::Require {
            true => Some(
                tls::connector(&wish).map_err(|reason| StoreError::CannotConnect {
                    server: shown.clone(),
                    reason,
                })?,
            ),
            false => None,
        };
        // The driver's own limit is on reaching the host only: a host that takes the
        // connection and then says nothing (a server hung, another service on the port)
        // would be waited for forever. So the whole handshake gets the same limit, on a
        // thread of its own, which is left behind if the host never answers.
        let (tell, answer) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("partner-desk-connect".into())
            .spawn(move || {
                let _ = tell.send(match tls {
                    Some(tls) => config.connect(tls),
                    None => config.connect(NoTls),
                });
            })
            .map_err(|e| StoreError::CannotConnect {
                server: shown.clone(),
                reason: ServerProblem::Said(e.to_string()),
            })?;
        let mut client = match answer.recv_timeout(CONNECT_TIMEOUT) {
            Ok(connected) => connected.map_err(|e| connect_error(&shown, &e))?,
            Err(_) => {
                return Err(StoreError::CannotConnect {
                    server: shown,
                    reason: ServerProblem::NoAnswerInTime,
                });
            }
        };
        client
            .batch_execute(SESSION)
            .map_err(|e| server_error(&shown, &e))?;
        Ok(Server { client, shown })
    }

    /// The database as shown to people: `user@host:port/database`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Begins a write transaction and takes the whole write turn (see [`write`]): it goes
    /// alone, as on SQLite, and sees what those before committed.
    pub fn begin(&mut self) -> Result<postgres::Transaction<'_>, StoreError> {
        let shown = self.shown.clone();
        let mut tx = self
            .client
            .transaction()
            .map_err(|e| server_error(&shown, &e))?;
        tx.batch_execute("SELECT partner_desk.take_turn(NULL)")
            .map_err(|e| server_error(&shown, &e))?;
        Ok(tx)
    }

    /// Listens on `channel`: its announcements come by [`Server::next_announcement`].
    pub fn listen(&mut self, channel: &str) -> Result<(), StoreError> {
        self.client
            .batch_execute(&format!("LISTEN {channel}"))
            .map_err(|e| server_error(&self.shown, &e))
    }

    /// Waits at most `wait` for an announcement on a channel listened to: the server process
    /// that made it, or None when none came. A connection found closed is the error.
    pub fn next_announcement(&mut self, wait: Duration) -> Result<Option<i32>, StoreError> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let next = self.client.notifications().timeout_iter(wait).next();
        match next {
            Ok(Some(n)) => Ok(Some(n.process_id())),
            Ok(None) if self.client.is_closed() => Err(StoreError::ServerGone {
                server: self.shown.clone(),
            }),
            Ok(None) => Ok(None),
            Err(e) => Err(server_error(&self.shown, &e)),
        }
    }

    /// Asks the server whether it is there, waiting at most a few seconds for the answer.
    pub fn ping(&mut self) -> Result<(), StoreError> {
        self.client
            .is_valid(Duration::from_secs(3))
            .map_err(|_| StoreError::ServerGone {
                server: self.shown.clone(),
            })
    }

    /// What the database holds.
    pub fn found(&mut self) -> Result<Found, StoreError> {
        let schema: bool = pg_get(
            &self
                .client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'partner_desk')",
                    &[],
                )
                .map_err(|e| server_error(&self.shown, &e))?,
            0,
            "",
        )?;
        if !schema {
            return Ok(Found::Empty);
        }
        // Another program's `partner_desk` schema may have no `meta`, or one of other
        // columns or types: whatever does not read as our mark is not ours.
        let mark = self
            .client
            .query_opt(
                "SELECT (SELECT value FROM partner_desk.meta WHERE key = 'application'),
                        (SELECT value FROM partner_desk.meta WHERE key = 'schema_version')",
                &[],
            )
            .ok()
            .flatten();
        let read = |row: &postgres::Row| -> Option<(Option<String>, Option<String>)> {
            Some((row.try_get(0).ok()?, row.try_get(1).ok()?))
        };
        Ok(match mark.as_ref().and_then(read) {
            Some((Some(application), Some(version))) if application == "partner-desk" => {
                version.parse().map_or(Found::Foreign, Found::Ours)
            }
            _ => Found::Foreign,
        })
    }

    /// Creates the schema in an empty database, in one transaction, as the role connected
    /// (which becomes its owner). A database that already holds Partner Desk's schema is
    /// left as it is (`Ours`); a newer or a foreign one is refused, unchanged.
    pub fn init(&mut self) -> Result<Found, StoreError> {
        match self.found()? {
            Found::Empty => {}
            Found::Ours(version) if version > SERVER_SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    path: self.shown.clone(),
                    found: version,
                    supported: SERVER_SCHEMA_VERSION,
                });
            }
            Found::Ours(version) => return Ok(Found::Ours(version)),
            Found::Foreign => {
                return Err(StoreError::ForeignServerSchema {
                    server: self.shown.clone(),
                });
            }
        }
        let shown = self.shown.clone();
        let mut tx = self
            .client
            .transaction()
            .map_err(|e| server_error(&shown, &e))?;
        tx.batch_execute(SCHEMA)
            .map_err(|e| server_error(&shown, &e))?;
        let fail = |e: postgres::Error| server_error(&shown, &e);
        for upgrade in UPGRADES {
            tx.batch_execute(upgrade).map_err(fail)?;
        }
        // The regulation's rates are the first version, as in a new file.
        let version: i64 = pg_get(
            &tx.query_one(
                "INSERT INTO partner_desk.rate_versions (effective_from, note) VALUES (NULL, $1)
                 RETURNING id",
                &[&super::rates::REGULATION_NOTE],
            )
            .map_err(fail)?,
            0,
            "rate_versions",
        )?;
        for (kind, status, rate) in
            super::rates::cells(&crate::domain::RateTable::regulation_default())
        {
            tx.execute(
                "INSERT INTO partner_desk.rate_cells (version_id, kind, status, rate_pct)
                 VALUES ($1, $2, $3, $4::text::numeric)",
                &[&version, &kind, &status, &rate],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(|e| server_error(&shown, &e))?;
        Ok(Found::Empty)
    }

    /// Brings Partner Desk's schema to this program's version, in one transaction, as the
    /// role connected (its owner): every version's changes the database lacks, in order,
    /// each keeping every row. Returns the version found; one already current is left as
    /// it is, and an empty, newer or foreign one is refused, unchanged.
    pub fn upgrade(&mut self) -> Result<i64, StoreError> {
        let shown = self.shown.clone();
        let found = match self.found()? {
            Found::Empty => return Err(StoreError::NoServerSchema { server: shown }),
            Found::Foreign => return Err(StoreError::ForeignServerSchema { server: shown }),
            Found::Ours(found) if found > SERVER_SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    path: shown,
                    found,
                    supported: SERVER_SCHEMA_VERSION,
                });
            }
            Found::Ours(found) => found,
        };
        let fail = |e: postgres::Error| match e.code() {
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::NotAllowed {
                server: shown.clone(),
            },
            _ => server_error(&shown, &e),
        };
        let mut tx = self.client.transaction().map_err(fail)?;
        // No write of the program runs meanwhile: the version-1 turn is an advisory lock,
        // and from version 2 on a row lock.
        let turn = if found < 2 {
            "SELECT pg_advisory_xact_lock(1346656084, 0)"
        } else {
            "SELECT partner_desk.take_turn(NULL)"
        };
        tx.batch_execute(turn).map_err(fail)?;
        for upgrade in UPGRADES
            .iter()
            .skip(usize::try_from(found - 1).unwrap_or(0))
        {
            tx.batch_execute(upgrade).map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(found)
    }
}

/// A login's role in the team database: what it may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TeamRole {
    /// Records partners, statuses, pins, sales, returns and imports; reads and exports.
    Manager,
    /// A manager who also changes rates and issues and reopens statements.
    Lead,
    /// Reads and exports only.
    Auditor,
}

impl TeamRole {
    /// The server role a login of this role is a member of.
    pub fn group(self) -> &'static str {
        match self {
            TeamRole::Manager => "partner_desk_manager",
            TeamRole::Lead => "partner_desk_lead",
            TeamRole::Auditor => "partner_desk_auditor",
        }
    }
}

/// Whether `name` can be a login: lower-case Latin letters, digits and `_`, starting with a
/// letter, as PostgreSQL keeps names unquoted (at most 63 characters).
pub fn is_login_name(name: &str) -> bool {
    name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Server {
    /// Adds the login `name` with `password` and `role`, or gives an existing login that
    /// password and role (its other Partner Desk roles are taken away), in one transaction.
    /// The password goes to the server as a SCRAM-SHA-256 verifier, never as itself. Needs
    /// a role that may create roles (the owner made with `createuser --createrole`).
    pub fn add_user(
        &mut self,
        name: &str,
        role: TeamRole,
        password: &str,
    ) -> Result<bool, StoreError> {
        if !is_login_name(name) {
            return Err(StoreError::Server {
                server: self.shown.clone(),
                reason: format!("«{name}»: a login is lower-case Latin letters, digits and _"),
            });
        }
        let shown = self.shown.clone();
        let refused = |e: postgres::Error| match e.code() {
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::CannotAddUser {
                server: shown.clone(),
            },
            _ => server_error(&shown, &e),
        };
        let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
        let mut tx = self.client.transaction().map_err(refused)?;
        let new: bool = pg_get(
            &tx.query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                &[&name],
            )
            .map_err(refused)?,
            0,
            "",
        )?;
        // A verifier is base64, digits, `$` and `:`: nothing to quote.
        let (verb, groups) = (
            if new { "CREATE" } else { "ALTER" },
            [TeamRole::Manager, TeamRole::Lead, TeamRole::Auditor].map(TeamRole::group),
        );
        tx.batch_execute(&format!(
            "{verb} ROLE {name} LOGIN PASSWORD '{verifier}';
             REVOKE {} FROM {name};
             GRANT {} TO {name};",
            groups.join(", "),
            role.group()
        ))
        .map_err(refused)?;
        tx.commit().map_err(refused)?;
        Ok(new)
    }
}

/// What every connection of the program (the window's, a command's, `server init`'s and
/// `copy`'s alike) sets for itself: the schema's tables by their
/// names; a write turn or a row lock not had in 10 s is "busy"; a transaction left idle
/// (a laptop gone to sleep mid-write) is ended by the server after a minute, so that it
/// holds no colleague up; the server looks every 2 s whether the program is still there
/// while it runs a query for it, so that a program killed in the middle of a long write
/// (a copy, an import) holds the write turn for seconds, not until the query ends; a query
/// runs in its own server process only, without parallel workers, so that one window's
/// list or Overview takes one of the server's cores, not three, from the colleagues writing
/// meanwhile.
const SESSION: &str = "SET search_path = partner_desk, public;
    SET lock_timeout = '10s';
    SET idle_in_transaction_session_timeout = '60s';
    SET client_connection_check_interval = '2s';
    SET max_parallel_workers_per_gather = 0;
    SET DateStyle = 'ISO, YMD'";

/// Opens the team database `url` names, which must hold Partner Desk's schema at this
/// program's version.
pub(crate) fn open(url: &str) -> Result<PgConn, StoreError> {
    let mut server = Server::connect(url)?;
    let shown = server.shown.clone();
    match server.found()? {
        Found::Ours(SERVER_SCHEMA_VERSION) => {}
        Found::Empty => return Err(StoreError::NoServerSchema { server: shown }),
        Found::Foreign => return Err(StoreError::ForeignServerSchema { server: shown }),
        Found::Ours(found) if found > SERVER_SCHEMA_VERSION => {
            return Err(StoreError::NewerSchema {
                path: shown,
                found,
                supported: SERVER_SCHEMA_VERSION,
            });
        }
        Found::Ours(found) => {
            return Err(StoreError::OlderServerSchema {
                server: shown,
                found,
            });
        }
    }
    let me = server
        .client
        .query_one("SELECT pg_backend_pid(), session_user::text", &[])
        .map_err(|e| server_error(&shown, &e))?;
    let me = (pg_get(&me, 0, "")?, pg_get(&me, 1, "")?);
    Ok(PgConn::new(server.client, shown, url.to_owned(), me))
}

/// The channel on which every write announces itself when it commits: the windows open on
/// the database listen on it and read again ([`crate::store::watch`]).
pub const CHANGES_CHANNEL: &str = "partner_desk_changes";

/// Why a connection failed, said as the user can act on it.
fn connect_error(shown: &str, e: &postgres::Error) -> StoreError {
    let reason = match e.code() {
        Some(c)
            if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            ServerProblem::LoginRefused
        }
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => ServerProblem::NoSuchDatabase,
        _ => match (e.as_db_error(), tls_refusal(e), io_kind(e)) {
            (Some(db), _, _) => ServerProblem::Said(db.message().to_owned()),
            (None, Some(tls), _) => ServerProblem::CertificateRefused(tls),
            (None, None, Some(std::io::ErrorKind::ConnectionRefused)) => {
                ServerProblem::NothingAnswers
            }
            (None, None, Some(std::io::ErrorKind::TimedOut)) => ServerProblem::NoAnswerInTime,
            (None, None, _) => ServerProblem::Said(
                std::error::Error::source(e)
                    .map_or_else(|| e.to_string(), |source| format!("{e}: {source}")),
            ),
        },
    };
    StoreError::CannotConnect {
        server: shown.to_owned(),
        reason,
    }
}

/// TLS's words when the encrypted connection failed: the server's certificate not
/// trusted, not for that name, or no TLS on the server at all.
fn tls_refusal(e: &postgres::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        source = s.source();
    }
    let said = e.to_string();
    said.contains("TLS").then_some(said)
}

/// The kind of the input/output error behind a failed connection, if that is what it was.
fn io_kind(e: &postgres::Error) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// A server's answer turned into the store's error: a refusal of the database's rules is
/// the same [`RuleError`] the SQLite engine gives.
pub(super) fn server_error(shown: &str, e: &postgres::Error) -> StoreError {
    // The connection closed, or the server ended it (an administrator, a shutdown, a
    // restart): whatever was not committed is gone, and the user is told so.
    let ended = e.code().is_some_and(|c| {
        [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
        ]
        .contains(c)
    });
    if e.is_closed() || ended {
        return StoreError::ServerGone {
            server: shown.to_owned(),
        };
    }
    match (e.code(), e.as_db_error()) {
        (Some(c), _) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy,
        (Some(c), _) if *c == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::NotAllowed {
            server: shown.to_owned(),
        },
        (Some(c), Some(db))
            if *c == SqlState::EXCLUSION_VIOLATION
                && db.constraint() == Some("pins_one_holder_a_day") =>
        {
            StoreError::PinsOverlap
        }
        (Some(c), Some(db))
            if *c == SqlState::UNIQUE_VIOLATION && db.constraint() == Some("sales_doc_key") =>
        {
            // "Key (doc)=(…) already exists."
            let doc = db
                .detail()
                .and_then(|d| d.split_once("=("))
                .and_then(|(_, rest)| rest.rsplit_once(')'))
                .map_or_else(|| "?".to_owned(), |(doc, _)| doc.to_owned());
            RuleError::DuplicateDoc { doc }.into()
        }
        (Some(c), Some(db))
            if *c == SqlState::RAISE_EXCEPTION && db.message().starts_with("return:") =>
        {
            RuleError::ReturnBroken {
                rule: db.message()["return:".len()..].trim().to_owned(),
            }
            .into()
        }
        (Some(c), Some(db))
            if *c == SqlState::RAISE_EXCEPTION && db.message().starts_with("locked:") =>
        {
            RuleError::PeriodLocked {
                number: db.message()["locked:".len()..].trim().to_owned(),
            }
            .into()
        }
        // A text the server's encoding cannot hold (a NUL, bytes that are not UTF-8): the
        // program checks texts before it writes, so only another tool's data gets here.
        (Some(c), _)
            if *c == SqlState::CHARACTER_NOT_IN_REPERTOIRE
                || *c == SqlState::UNTRANSLATABLE_CHARACTER =>
        {
            StoreError::ServerRefusedText {
                server: shown.to_owned(),
            }
        }
        (_, Some(db)) => StoreError::Server {
            server: shown.to_owned(),
            reason: db.message().to_owned(),
        },
        // "error communicating with the server": the connection broke under the statement.
        _ if std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()) => {
            StoreError::ServerGone {
                server: shown.to_owned(),
            }
        }
        _ => StoreError::Server {
            server: shown.to_owned(),
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_named_by_a_postgres_url_and_shown_without_its_password() {
        assert!(is_server_url("postgres://anna@db.example/partner_desk"));
        assert!(is_server_url("PostgreSQL://db/partner_desk"));
        assert!(!is_server_url("/home/anna/partner-desk.sqlite3"));
        assert!(!is_server_url("postgres.sqlite3"));
        assert_eq!(
            shown("postgres://anna:secret@db.example:5433/partner_desk?sslmode=require"),
            "anna@db.example:5433/partner_desk"
        );
        let refused = config("postgres://anna:secret@db.example/partner_desk").unwrap_err();
        assert!(
            matches!(refused, StoreError::BadServerUrl { .. }),
            "{refused}"
        );
        assert!(!refused.to_string().contains("secret"));
    }
}
