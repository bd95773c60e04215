//! What a bulk load of sales sets aside in a file, and how it makes sure nothing set aside
//! was needed. For speed a load writes with the table's CHECK and foreign-key constraints
//! off for its connection and with the table's insert triggers dropped (with one, SQLite
//! keeps a statement journal for every INSERT). Before the load's transaction commits, the
//! rows it added are checked against every one of those, read from the schema itself (the
//! CHECKs of the table's definition, its foreign keys, each trigger's WHEN): a row that
//! meets a trigger's condition or breaks a constraint is refused, named by its place in the
//! load, and nothing is written. A trigger with no WHEN is never set aside.

use rusqlite::{Connection, OptionalExtension as _};

use crate::store::StoreError;

/// An insert trigger of `sales` dropped for a load: its name, the SQL that makes it, and
/// its WHEN condition (over `NEW`).
#[derive(Clone, Debug)]
pub(in crate::store) struct SetAside {
    name: String,
    sql: String,
    when: String,
}

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

/// The first row added after rowid `stored` that a trigger set aside would have met, or
/// that breaks a CHECK or a foreign key of `sales`: its rowid and what it breaks.
pub(in crate::store) fn first_broken(
    conn: &Connection,
    stored: i64,
    aside: &[SetAside],
) -> Result<Option<(i64, String)>, StoreError> {
    let table: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'sales'",
        [],
        |r| r.get(0),
    )?;
    let mut rules: Vec<(String, String)> = checks_of(&table)
        .into_iter()
        .map(|check| {
            (
                format!("CHECK ({check})"),
                format!("NOT coalesce(({check}), 1)"),
            )
        })
        .collect();
    let keys: Vec<(String, String, String)> = conn
        .prepare("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('sales')")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (parent, from, to) in keys {
        rules.push((
            format!("{from} REFERENCES {parent} ({to})"),
            format!("NEW.{from} IS NOT NULL AND NEW.{from} NOT IN (SELECT {to} FROM {parent})"),
        ));
    }
    for trigger in aside {
        rules.push((format!("trigger {}", trigger.name), trigger.when.clone()));
    }
    if rules.is_empty() {
        return Ok(None);
    }
    let any = rules
        .iter()
        .map(|(_, broken)| format!("({broken})"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let first = |condition: &str| -> Result<Option<i64>, StoreError> {
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
    let Some(rowid) = first(&any)? else {
        return Ok(None);
    };
    // Which rule the first row breaks.
    for (rule, broken) in &rules {
        if first(&format!("NEW.rowid = {rowid} AND ({broken})"))?.is_some() {
            return Ok(Some((rowid, rule.clone())));
        }
    }
    Ok(Some((rowid, any)))
}

/// The WHEN condition of a trigger's SQL, if it has one.
fn when_of(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let when = find_word(&upper, "WHEN", 0)?;
    let begin = find_word(&upper, "BEGIN", when)?;
    Some(sql[when + "WHEN".len()..begin].trim().to_owned())
}

/// Every CHECK expression of a `CREATE TABLE` statement, column and table constraints alike.
fn checks_of(sql: &str) -> Vec<String> {
    let upper = sql.to_ascii_uppercase();
    let mut checks = Vec::new();
    let mut from = 0;
    while let Some(at) = find_word(&upper, "CHECK", from) {
        let open = match sql[at..].find('(') {
            Some(i) => at + i,
            None => break,
        };
        match balanced(sql, open) {
            Some(close) => {
                checks.push(sql[open + 1..close].trim().to_owned());
                from = close;
            }
            None => break,
        }
    }
    checks
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

/// The parenthesis that closes the one at `open`, outside quotes.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tables_checks_and_a_triggers_condition_are_read_from_their_sql() {
        let table = "CREATE TABLE sales (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('its', 'a(b')),
            amount_kop INTEGER NOT NULL CHECK (amount_kop > 0), note TEXT DEFAULT 'CHECK (x)',
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
