//! Both engines' real schemas against the one definition of every table's columns
//! (`store::columns`): a table or a column that one of them has and the definition does not
//! (or the other way round) fails here, so no list derived from the definition can miss it.
//! The order of columns is not compared: a column a file gained later stands last in it.

use std::collections::BTreeSet;

use partner_desk::store::columns::TABLES;

/// What the definition and a schema disagree on, said table by table (empty: nothing).
fn differences(found: &[(String, BTreeSet<String>)], server: bool) -> Vec<String> {
    let mut said = Vec::new();
    for table in TABLES.iter().filter(|t| t.is_on(server)) {
        let defined: BTreeSet<String> = table
            .names_on(server)
            .into_iter()
            .map(str::to_owned)
            .collect();
        match found.iter().find(|(name, _)| name == table.name) {
            None => said.push(format!("{}: defined, not in the schema", table.name)),
            Some((_, columns)) if *columns != defined => said.push(format!(
                "{}: the schema has {:?}, the definition {:?}",
                table.name,
                columns.difference(&defined).collect::<Vec<_>>(),
                defined.difference(columns).collect::<Vec<_>>()
            )),
            Some(_) => {}
        }
    }
    for (name, _) in found {
        if !TABLES.iter().any(|t| t.name == name && t.is_on(server)) {
            said.push(format!("{name}: in the schema, not defined"));
        }
    }
    said
}

#[test]
fn both_engines_have_the_tables_and_columns_of_the_one_definition() {
    let t = crate::util::TempDb::on_file();
    partner_desk::store::Store::open(&t.path).unwrap().close();
    let file = rusqlite::Connection::open(&t.path).unwrap();
    let tables: Vec<String> = file
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let found: Vec<(String, BTreeSet<String>)> = tables
        .into_iter()
        .map(|table| {
            let columns = file
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .unwrap()
                .query_map([&table], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (table, columns)
        })
        .collect();
    assert_eq!(differences(&found, false), Vec::<String>::new(), "the file");

    if !crate::util::on_server() {
        return;
    }
    let url = crate::util::new_server_database();
    let mut server = partner_desk::store::postgres::config(&url)
        .unwrap()
        .connect(postgres::NoTls)
        .unwrap();
    let rows = server
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'partner_desk'",
            &[],
        )
        .unwrap();
    let mut found: Vec<(String, BTreeSet<String>)> = Vec::new();
    for row in rows {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        match found.iter_mut().find(|(name, _)| *name == table) {
            Some((_, columns)) => {
                columns.insert(column);
            }
            None => found.push((table, BTreeSet::from([column]))),
        }
    }
    assert_eq!(
        differences(&found, true),
        Vec::<String>::new(),
        "the team database"
    );
}
