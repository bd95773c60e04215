//! Passwords typed on the terminal, never taken from the command line.

use crate::actions::ActionError;
use crate::domain::lang::Lang;

/// A team database's password, when PGPASSWORD and .pgpass have none, is asked on the
/// terminal (when there is one).
pub(super) fn ask_server_passwords(lang: Lang) {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        crate::store::postgres::set_password_prompt(Box::new(move |server| {
            let ask = lang.pick("Пароль для", "Password for");
            rpassword::prompt_password(format!("{ask} {server}: ")).ok()
        }));
    }
}

/// The new login's password: typed twice on the terminal, or the first line of standard
/// input when it is not a terminal (a script's pipe). Never an argument.
pub(super) fn new_password(name: &str, lang: Lang) -> Result<String, ActionError> {
    let password = if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let first = rpassword::prompt_password(format!(
            "{} {name}: ",
            lang.pick("Пароль для", "Password for")
        ))
        .unwrap_or_default();
        let again =
            rpassword::prompt_password(lang.pick("Ещё раз: ", "Again: ")).unwrap_or_default();
        if first != again {
            return Err(ActionError::PasswordsDiffer);
        }
        first
    } else {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if password.is_empty() {
        return Err(ActionError::NoPassword);
    }
    Ok(password)
}
