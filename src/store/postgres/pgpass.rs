//! The password file `psql` reads (`~/.pgpass`, or `PGPASSFILE`; on Windows
//! `%APPDATA%\postgresql\pgpass.conf`): lines of `host:port:database:user:password`, `*`
//! for any value, `\:` and `\\` for a colon and a backslash inside one. On Unix a file that
//! others may read is not used, as libpq does.

use std::path::PathBuf;

use postgres::Config;

/// The password the file gives for the connection `config` describes.
pub(super) fn lookup(config: &Config) -> Option<String> {
    let path = file()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(
                "{} may be read by others (mode {:o}); it is not used",
                path.display(),
                mode & 0o777
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) | None => "localhost".into(),
        #[cfg(not(unix))]
        None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or(""),
        config.get_user().unwrap_or(""),
    ];
    find(&text, wanted)
}

/// The password of the first line whose four fields match `wanted` (host, port, database,
/// user).
fn find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(fields)
        .find(|f| {
            f.iter()
                .take(4)
                .zip(wanted)
                .all(|(have, want)| have == "*" || have == want)
        })
        .map(|mut f| f.swap_remove(4))
}

/// A line's five fields, unescaped; None for a line that has not five.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.last_mut()?.push(chars.next().unwrap_or('\\')),
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut()?.push(c),
        }
    }
    (out.len() == 5).then_some(out)
}

fn file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    #[cfg(windows)]
    {
        std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("postgresql").join("pgpass.conf"))
    }
    #[cfg(not(windows))]
    {
        directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_gives_the_password_with_wildcards_and_escapes() {
        let text = "# team server\n\
                    db.example:5432:partner_desk:anna:first\n\
                    *:*:partner_desk:*:p\\:ass\\\\word\n\
                    broken:line\n";
        let find = |w| find(text, w);
        assert_eq!(
            find(["db.example", "5432", "partner_desk", "anna"]).as_deref(),
            Some("first")
        );
        assert_eq!(
            find(["other", "5433", "partner_desk", "boris"]).as_deref(),
            Some("p:ass\\word")
        );
        assert_eq!(find(["db.example", "5432", "postgres", "anna"]), None);
    }
}
