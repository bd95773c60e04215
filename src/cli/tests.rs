//! The command line's arguments read into commands, and refused when wrong.

use super::*;

fn args(list: &[&str]) -> Result<Args, clap::Error> {
    parse_args(list)
}

#[test]
fn arguments_name_the_database_and_the_command() {
    each_command_is_read_from_its_arguments();
    wrong_arguments_are_refused();
}

fn each_command_is_read_from_its_arguments() {
    let a = args(&["payments", "--out", "o.txt", "--first-number", "41"]).unwrap();
    assert!(matches!(
        a.command,
        Command::Payments {
            first_number: Some(41),
            ..
        }
    ));
    let window = Command::Window {
        file: None,
        exit_when: None,
    };
    assert_eq!(args(&[]).unwrap().command, window);
    let timed = args(&["window", "--exit-when", "sales-rows"])
        .unwrap()
        .command;
    assert!(matches!(
        timed,
        Command::Window {
            exit_when: Some(ExitWhen::SalesRows),
            ..
        }
    ));
    let a = args(&["--db", "x.sqlite3", "import", "sales", "s.csv"]).unwrap();
    assert_eq!(a.db, Some(PathBuf::from("x.sqlite3")));
    assert_eq!(
        a.command,
        Command::Import {
            kind: ImportKind::Sales,
            file: "s.csv".into()
        }
    );
    let a = args(&[
        "statement",
        "--partner",
        "7707083893",
        "--from",
        "01.01.2025",
        "--to",
        "2025-03-31",
        "--out",
        "q.json",
    ])
    .unwrap();
    assert!(matches!(
        a.command,
        Command::Statement {
            which: Which::Period { .. },
            ..
        }
    ));
    let a = args(&["statement", "--number", "2025-0001", "--out", "q.pdf"]).unwrap();
    assert!(matches!(
        a.command,
        Command::Statement {
            which: Which::Issued { .. },
            ..
        }
    ));
    let a = args(&[
        "statements",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--dir",
        "out",
        "--format",
        "xlsx",
    ])
    .unwrap();
    assert!(matches!(
        a.command,
        Command::Statements {
            format: Format::Xlsx,
            ..
        }
    ));
}

fn wrong_arguments_are_refused() {
    assert!(args(&["import", "things", "x.csv"]).is_err());
    let e = args(&["statements", "--from", "2026-02-30", "--to", "2026-03-31"]).unwrap_err();
    assert!(
        e.to_string().contains("the calendar has no such day"),
        "{e}"
    );
    let e = args(&["statements", "--from", "2026-2-3", "--to", "2026-03-31"]).unwrap_err();
    assert!(e.to_string().contains("not a date"), "{e}");
    for wrong in ["0", "x12", "4294967296"] {
        let e = args(&["payments", "--out", "o.txt", "--first-number", wrong]).unwrap_err();
        assert!(e.to_string().contains("whole number from 1"), "{e}");
    }
    assert!(args(&["statement", "--from", "2025-01-01"]).is_err());
    assert!(
        args(&[
            "statement",
            "--partner",
            "1",
            "--from",
            "2025-02-01",
            "--to",
            "2025-01-01",
            "--out",
            "x.json"
        ])
        .is_err()
    );
    assert!(
        args(&[
            "issue",
            "--partner",
            "1",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
            "--bogus",
            "1"
        ])
        .is_err()
    );
    assert!(
        args(&[
            "statements",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--dir",
            "out",
            "--format",
            "doc"
        ])
        .is_err()
    );
    assert!(args(&["frobnicate"]).is_err());
}
