//! The PostgreSQL engine: a team's database on a server, the same program's data shared by
//! every manager. This module connects (a `postgres://` URL, with what the URL leaves out
//! taken from the `PG*` variables and `.pgpass`, as `psql` does), and creates and checks the
//! server's own schema (`schema.sql`), whose rules the database keeps for every writer.

mod pgpass;

use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

use super::{RuleError, StoreError};

/// The server schema version this program writes.
pub const SERVER_SCHEMA_VERSION: i64 = 1;

/// The schema, version 1, run in one transaction by `server init`.
const SCHEMA: &str = include_str!("schema.sql");

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
    let bad = |reason: String| StoreError::BadServerUrl {
        url: shown(url),
        reason,
    };
    let mut config: Config = url.trim().parse().map_err(|e| bad(format!("{e}")))?;
    if config.get_password().is_some() {
        return Err(bad(
            "a password in the address is not accepted; give it in PGPASSWORD or .pgpass".into(),
        ));
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
    if let Some(password) = env("PGPASSWORD").or_else(|| pgpass::lookup(&config)) {
        config.password(password);
    }
    config
        .connect_timeout(CONNECT_TIMEOUT)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30))
        .application_name("partner-desk");
    Ok(config)
}

/// `url` as it may be shown and logged: `user@host:port/database`, never a password.
pub fn shown(url: &str) -> String {
    match url.trim().parse::<Config>() {
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
        let client = config(url)?
            .connect(NoTls)
            .map_err(|e| connect_error(&shown, &e))?;
        Ok(Server { client, shown })
    }

    /// The database as shown to people: `user@host:port/database`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Begins a write transaction and takes the write turn (the one row of `changes`):
    /// writers go one at a time, as on SQLite, and each sees what those before committed.
    pub fn begin(&mut self) -> Result<postgres::Transaction<'_>, StoreError> {
        let shown = self.shown.clone();
        let mut tx = self
            .client
            .transaction()
            .map_err(|e| server_error(&shown, &e))?;
        tx.batch_execute("UPDATE partner_desk.changes SET seq = seq + 1 WHERE id = 1")
            .map_err(|e| server_error(&shown, &e))?;
        Ok(tx)
    }

    /// What the database holds.
    pub fn found(&mut self) -> Result<Found, StoreError> {
        let schema: bool = self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'partner_desk')",
                &[],
            )
            .map_err(|e| server_error(&self.shown, &e))?
            .get(0);
        if !schema {
            return Ok(Found::Empty);
        }
        let mark = self
            .client
            .query_opt(
                "SELECT (SELECT value FROM partner_desk.meta WHERE key = 'application'),
                        (SELECT value FROM partner_desk.meta WHERE key = 'schema_version')",
                &[],
            )
            .ok()
            .flatten();
        Ok(match mark {
            Some(row) => {
                let application: Option<String> = row.get(0);
                let version: Option<String> = row.get(1);
                match (application.as_deref(), version.and_then(|v| v.parse().ok())) {
                    (Some("partner-desk"), Some(version)) => Found::Ours(version),
                    _ => Found::Foreign,
                }
            }
            None => Found::Foreign,
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
                return Err(StoreError::NotADatabase {
                    path: self.shown.clone(),
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
        tx.commit().map_err(|e| server_error(&shown, &e))?;
        Ok(Found::Empty)
    }
}

/// Why a connection failed, said as the user can act on it.
fn connect_error(shown: &str, e: &postgres::Error) -> StoreError {
    let reason = match e.code() {
        Some(c)
            if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            "the login or the password is not accepted".to_owned()
        }
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => "there is no such database".to_owned(),
        _ => e
            .as_db_error()
            .map_or_else(|| e.to_string(), |db| db.message().to_owned()),
    };
    StoreError::CannotConnect {
        server: shown.to_owned(),
        reason,
    }
}

/// A server's answer turned into the store's error: a refusal of the database's rules is
/// the same [`RuleError`] the SQLite engine gives.
pub(super) fn server_error(shown: &str, e: &postgres::Error) -> StoreError {
    if e.is_closed() {
        return StoreError::ServerGone {
            server: shown.to_owned(),
        };
    }
    match (e.code(), e.as_db_error()) {
        (Some(c), _) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy,
        (Some(c), Some(db))
            if *c == SqlState::RAISE_EXCEPTION && db.message().starts_with("locked:") =>
        {
            RuleError::PeriodLocked {
                number: db.message()["locked:".len()..].trim().to_owned(),
            }
            .into()
        }
        (_, Some(db)) => StoreError::Server {
            server: shown.to_owned(),
            reason: db.message().to_owned(),
        },
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
