//! A database whose `partner_desk` schema is not Partner Desk's, or whose columns another
//! program changed to other types: every row the program reads from the server is read
//! with `try_get`, so such a database is said in a sentence, never a panic.

use partner_desk::domain::lang::{Lang, Localized};
use partner_desk::store::Store;

use super::{TestDatabase, partner_desk, said};

/// The program refused, in a sentence (a panic ends with 101 and a crash report).
fn refused_in_a_sentence(args: &[&str], sentence: &str) {
    let o = partner_desk(args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", said(&o));
    assert!(said(&o).contains(sentence), "{args:?}: {}", said(&o));
    assert!(!said(&o).contains("panicked"), "{args:?}: {}", said(&o));
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_foreign_partner_desk_schema_is_said_in_a_sentence_never_a_panic() {
    // Another program's `partner_desk` schema, whose `meta` holds numbers.
    let db = TestDatabase::new();
    db.client()
        .batch_execute(
            "CREATE SCHEMA partner_desk;
             CREATE TABLE partner_desk.meta (key text PRIMARY KEY, value integer);
             INSERT INTO partner_desk.meta VALUES ('application', 1), ('schema_version', 2);",
        )
        .unwrap();
    let url = db.url();
    for args in [
        ["--db", url.as_str(), "check"].as_slice(),
        &["server", "init", &url],
        &["server", "upgrade", &url],
    ] {
        refused_in_a_sentence(
            args,
            "is not a Partner Desk database: its partner_desk schema is another program's",
        );
    }
    let e = Store::connect(&url).err().unwrap();
    assert!(
        e.text(Lang::Ru).contains("не база Partner Desk"),
        "{}",
        e.text(Lang::Ru)
    );

    // Partner Desk's tables, one of whose columns another program made text.
    let (db, url) = TestDatabase::initialized();
    db.client()
        .batch_execute(
            "ALTER TABLE partner_desk.issued_statements
                 DROP CONSTRAINT issued_statements_checksum,
                 ALTER COLUMN json TYPE text USING encode(json, 'hex')",
        )
        .unwrap();
    let (t, _, _) = super::demo_file_with_an_issued_statement();
    let path = t.path.to_str().unwrap().to_owned();
    refused_in_a_sentence(
        &["copy", "--from", &path, "--to", &url],
        "holds a value of another type than Partner Desk's schema gives it \
         (issued_statements.json: text)",
    );
    let copied: i64 = db
        .client()
        .query_one("SELECT count(*) FROM partner_desk.partners", &[])
        .unwrap()
        .get(0);
    assert_eq!(copied, 0, "nothing is copied");
}
