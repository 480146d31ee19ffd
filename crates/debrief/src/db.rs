//! Choosing and opening the backend from the database URL.

use std::path::PathBuf;

use debrief_store::{Store, StoreError};

/// Where the database is, as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    pub fn backend(&self) -> &'static str {
        match self {
            Location::Sqlite(_) => "sqlite",
            Location::Postgres(_) => "postgres",
        }
    }

    /// For messages: the path, or the URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite(p) => format!("sqlite:{}", p.display()),
            Location::Postgres(u) => debrief_postgres::redact(u),
        }
    }
}

/// The default database: `$XDG_DATA_HOME/debrief/debrief.db` (`~/.local/share/...`).
pub fn default_url() -> String {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    format!("sqlite:{}", base.join("debrief/debrief.db").display())
}

/// Reads a database URL: `sqlite:PATH`, `sqlite://PATH`, `postgres://...`, `postgresql://...`,
/// or a plain file path (no `scheme:` before it), which is a SQLite file as for `sqlite3 PATH`.
pub fn parse_url(url: &str) -> Result<Location, String> {
    let url = url.trim();
    if let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = rest.split('?').next().unwrap_or("");
        if path.is_empty() {
            return Err(format!(
                "`{url}` names no file; write sqlite:PATH, for example sqlite:debrief.db"
            ));
        }
        return Ok(Location::Sqlite(PathBuf::from(path)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Location::Postgres(url.to_string()));
    }
    // `team.db`, `./data/team.db`, `/var/lib/debrief.db`: a path. Anything with a scheme
    // (`mysql://`, `postgress:`) is a URL Debrief does not know, not a file to create.
    let scheme = url
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '.']));
    if !url.is_empty() && !scheme {
        return Ok(Location::Sqlite(PathBuf::from(url)));
    }
    Err(format!(
        "`{}` is not a database URL Debrief knows; use sqlite:PATH (the default is {}) or postgres://USER@HOST/DB",
        debrief_postgres::redact(url),
        default_url()
    ))
}

/// Opens (creating a SQLite file if needed) and migrates.
pub async fn open(loc: &Location) -> Result<Box<dyn Store>, StoreError> {
    Ok(match loc {
        Location::Sqlite(p) => Box::new(debrief_sqlite::open(p).await?),
        Location::Postgres(u) => Box::new(debrief_postgres::connect(u).await?),
    })
}

/// Opens a database that must already exist (a SQLite file is not created).
pub async fn open_existing(loc: &Location) -> Result<Box<dyn Store>, StoreError> {
    Ok(match loc {
        Location::Sqlite(p) => Box::new(debrief_sqlite::open_existing(p).await?),
        Location::Postgres(u) => Box::new(debrief_postgres::connect(u).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            parse_url("sqlite:pm.db"),
            Ok(Location::Sqlite("pm.db".into()))
        );
        assert_eq!(
            parse_url("sqlite:///var/lib/debrief.db"),
            Ok(Location::Sqlite("/var/lib/debrief.db".into()))
        );
        assert!(matches!(
            parse_url("postgresql://u@h/db"),
            Ok(Location::Postgres(_))
        ));
        let e = parse_url("mysql://u:secret@h/db").unwrap_err();
        assert!(e.contains("sqlite:PATH") && !e.contains("secret"), "{e}");
        assert!(parse_url("sqlite:").is_err());
        for path in [
            "team.db",
            "./data/team.db",
            "/var/lib/debrief.db",
            "data.v2/a:b.db",
        ] {
            assert_eq!(parse_url(path), Ok(Location::Sqlite(path.into())), "{path}");
        }
        for not_a_file in ["postgress://u@h/db", "mysql:db", ""] {
            assert!(parse_url(not_a_file).is_err(), "{not_a_file}");
        }
    }
}
