//! The user's clock and locale: the only places the program reads them, for the window
//! and the command line alike.

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
