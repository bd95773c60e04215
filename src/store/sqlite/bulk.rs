//! What a bulk load of sales sets aside in a file, and how it makes sure nothing set aside
//! was needed. For speed a load writes with the connection's foreign keys and CHECK
//! constraints off and with the table's insert triggers dropped (with one, SQLite keeps a
//! statement journal for every INSERT). Before the load's transaction commits, the rows are
//! checked against what was set aside, read from the schema itself: every foreign key of
//! the table (each value its column holds has its parent row; the lists' indexes, built
//! again by then, make that a walk of the index), and, in one pass over the rows the load
//! added, every CHECK of the table (none is false) and each dropped trigger's WHEN (no row
//! meets it). A row that breaks one is refused, named by its place in the load, and nothing
//! is written. A trigger with no WHEN is never set aside.

use rusqlite::{Connection, OptionalExtension as _};

use crate::store::StoreError;
use crate::store::engine::SetAside;

/// Drops the insert triggers of `sales` that have a WHEN condition, to be put back by
/// [`put_back`].
pub(in crate::store) fn set_triggers_aside(conn: &Connection) -> Result<Vec<SetAside>, StoreError> {
    let triggers: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'trigger' AND tbl_name = 'sales' AND sql LIKE '%BEFORE INSERT ON sales%'
             ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut aside = Vec::new();
    for (name, sql) in triggers {
        let Some(when) = when_of(&sql) else { continue };
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        aside.push(SetAside { name, sql, when });
    }
    Ok(aside)
}

/// Puts the triggers set aside back.
pub(in crate::store) fn put_back(
    conn: &Connection,
    aside: Vec<SetAside>,
) -> Result<(), StoreError> {
    for trigger in aside {
        conn.execute_batch(&trigger.sql)?;
    }
    Ok(())
}

/// The first row added after rowid `stored` that breaks a foreign key of `sales`, or that a
/// trigger set aside would have met: its rowid and what it breaks.
pub(in crate::store) fn first_broken(
    conn: &Connection,
    stored: i64,
    aside: &[SetAside],
) -> Result<Option<(i64, String)>, StoreError> {
    let keys: Vec<(String, String, String)> = conn
        .prepare("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('sales')")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (parent, from, to) in keys {
        // Each value the column holds, once (by its index where it has one).
        let dangling: Option<rusqlite::types::Value> = conn
            .query_row(
                &format!(
                    "SELECT v FROM (SELECT DISTINCT {from} AS v FROM sales WHERE {from} IS NOT NULL)
                     WHERE v NOT IN (SELECT {to} FROM {parent}) LIMIT 1"
                ),
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(value) = dangling else { continue };
        let row: Option<i64> = conn
            .query_row(
                &format!(
                    "SELECT rowid FROM sales WHERE {from} = ?1 AND rowid > ?2 ORDER BY rowid LIMIT 1"
                ),
                (value, stored),
                |r| r.get(0),
            )
            .optional()?;
        if let Some(rowid) = row {
            return Ok(Some((rowid, format!("{from} REFERENCES {parent} ({to})"))));
        }
    }
    let table: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'sales'",
        [],
        |r| r.get(0),
    )?;
    // What breaks each rule: a CHECK is broken when it is false (not when it is NULL).
    let rules: Vec<(String, String)> = checks_of(&table)
        .into_iter()
        .map(|check| (format!("CHECK ({check})"), format!("NOT ({check})")))
        .chain(
            aside
                .iter()
                .map(|t| (format!("trigger {}", t.name), t.when.clone())),
        )
        .collect();
    if rules.is_empty() {
        return Ok(None);
    }
    let met = |condition: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn
            .query_row(
                &format!(
                    "SELECT NEW.rowid FROM sales AS NEW WHERE NEW.rowid > ?1 AND ({condition})
                     ORDER BY NEW.rowid LIMIT 1"
                ),
                [stored],
                |r| r.get(0),
            )
            .optional()?)
    };
    let any = rules
        .iter()
        .map(|(_, broken)| format!("({broken})"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let Some(rowid) = met(&any)? else {
        return Ok(None);
    };
    // Which rule the first row breaks.
    for (rule, broken) in &rules {
        if met(&format!("NEW.rowid = {rowid} AND ({broken})"))?.is_some() {
            return Ok(Some((rowid, rule.clone())));
        }
    }
    Ok(Some((rowid, any)))
}

/// Every CHECK expression of a `CREATE TABLE` statement, column and table constraints alike.
fn checks_of(sql: &str) -> Vec<String> {
    let sql = &without_comments(sql);
    let upper = sql.to_ascii_uppercase();
    let mut checks = Vec::new();
    let mut from = 0;
    while let Some(at) = find_word(&upper, "CHECK", from) {
        let Some(open) = sql[at..].find('(').map(|i| at + i) else {
            break;
        };
        let Some(close) = balanced(sql, open) else {
            break;
        };
        checks.push(sql[open + 1..close].trim().to_owned());
        from = close;
    }
    checks
}

/// Where the parenthesis opened at `open` closes, outside quotes.
fn balanced(sql: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, b) in sql.bytes().enumerate().skip(open) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b'(' => depth += 1,
            None if b == b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            None => {}
        }
    }
    None
}

/// The WHEN condition of a trigger's SQL, if it has one.
fn when_of(sql: &str) -> Option<String> {
    let sql = &without_comments(sql);
    let upper = sql.to_ascii_uppercase();
    let when = find_word(&upper, "WHEN", 0)?;
    let begin = find_word(&upper, "BEGIN", when)?;
    Some(sql[when + "WHEN".len()..begin].trim().to_owned())
}

/// `sql` with its comments (`-- …` to the line's end, `/* … */`) made spaces, quotes kept.
fn without_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '-' && chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                out.push('\n');
                continue;
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for c in chars.by_ref() {
                    if star && c == '/' {
                        break;
                    }
                    star = c == '*';
                }
                out.push(' ');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

/// Where `word` stands alone in `upper` from `from` on, outside quotes.
fn find_word(upper: &str, word: &str, from: usize) -> Option<usize> {
    let bytes = upper.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None => {
                let alone = |at: usize| {
                    bytes
                        .get(at)
                        .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                };
                if upper[i..].starts_with(word) && (i == 0 || alone(i - 1)) && alone(i + word.len())
                {
                    return Some(i);
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tables_checks_and_a_triggers_condition_are_read_from_their_sql() {
        let table = "CREATE TABLE sales (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('its', 'a(b')),
            amount_kop INTEGER NOT NULL CHECK (amount_kop > 0), note TEXT DEFAULT 'CHECK (x)',
            -- a comment's CHECK (x) is not one, nor /* CHECK (y) */ this
            CHECK (id > 0 AND (amount_kop < 10 OR kind = 'its')))";
        assert_eq!(
            checks_of(table),
            [
                "kind IN ('its', 'a(b')",
                "amount_kop > 0",
                "id > 0 AND (amount_kop < 10 OR kind = 'its')"
            ]
        );
        let trigger =
            "CREATE TRIGGER t BEFORE INSERT ON sales\nWHEN NEW.x IS NOT NULL\nBEGIN SELECT 1; END";
        assert_eq!(when_of(trigger).as_deref(), Some("NEW.x IS NOT NULL"));
        assert_eq!(
            when_of("CREATE TRIGGER t BEFORE INSERT ON sales BEGIN SELECT 1; END"),
            None
        );
    }
}
