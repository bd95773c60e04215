//! What the window said last of something the user did, kept so that the status bar says
//! it again in the language the window is switched to.

use crate::actions::{ActionError, Done};
use crate::domain::lang::{Lang, Localized, Said};

impl From<Done> for Said {
    fn from(done: Done) -> Said {
        Said::of(&done)
    }
}

/// What came of something the user did, as the status bar keeps it.
pub(super) enum Outcome {
    Said(Said),
    Refused(ActionError),
}

impl Outcome {
    pub(super) fn text(&self, lang: Lang) -> String {
        match self {
            Outcome::Said(said) => said.text(lang),
            Outcome::Refused(e) => e.text(lang),
        }
    }

    /// What the status bar says of it, in both languages, made once: a long one (an
    /// import's row errors) by its first line, the rest being in the report window.
    pub(super) fn status_line(&self) -> Said {
        Said::both(|lang| {
            let text = crate::diagnostics::redact(&self.text(lang)).into_owned();
            if text.lines().count() > 3 {
                let first = text.lines().next().unwrap_or_default();
                let more = lang.pick(
                    "(подробности в окне отчёта)",
                    "(details in the report window)",
                );
                format!("{first} {more}")
            } else {
                text
            }
        })
    }
}

impl From<Result<Said, ActionError>> for Outcome {
    fn from(result: Result<Said, ActionError>) -> Outcome {
        match result {
            Ok(said) => Outcome::Said(said),
            Err(e) => Outcome::Refused(e),
        }
    }
}
