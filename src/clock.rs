//! The user's clock, locale and login: the only places the program reads them, for the
//! window and the command line alike.

use chrono::NaiveDate;

use crate::domain::lang::Lang;

/// The language of the user's system locale.
pub fn system_lang() -> Lang {
    sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
}

/// Today on the user's clock: the only place the program reads it.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The time of day on the user's clock (a payment orders file says when it was made).
pub fn time_now() -> chrono::NaiveTime {
    chrono::Local::now().time()
}

/// The login of the system's user (else the name of their home folder): who records what
/// is written to a file, and the login a connection form starts with.
pub fn user_login() -> String {
    let home = || {
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
        let name = std::path::Path::new(&home).file_name()?;
        Some(name.to_string_lossy().into_owned())
    };
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .or_else(home)
        .unwrap_or_else(|| "?".to_owned())
}
