//! File dialogs behind a small trait, so tests pass paths and a machine without a desktop
//! portal gets a typed-in path instead of nothing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a dialog came back with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    Path(PathBuf),
    Cancelled,
    /// No dialog could be shown: ask for a typed-in path.
    Unavailable,
}

/// The file dialogs the app needs.
pub trait FileDialogs {
    /// Asks where to save a file, suggesting `file_name` (in its folder, when it has one).
    /// `filters` are (name, extensions).
    fn save_file(&mut self, title: &str, file_name: &str, filters: &[(&str, &[&str])]) -> Picked;
    /// Asks for a file to open.
    fn open_file(&mut self, title: &str, filters: &[(&str, &[&str])]) -> Picked;
    /// Asks for a folder.
    fn pick_folder(&mut self, title: &str) -> Picked;
}

/// The system's dialogs through `rfd`.
#[derive(Default)]
pub struct SystemDialogs;

/// A dialog that returns sooner than this was never shown: nobody cancels that fast.
const SHOWN_AT_LEAST: Duration = Duration::from_millis(250);

fn judge(started: Instant, picked: Option<PathBuf>) -> Picked {
    match picked {
        Some(path) => Picked::Path(path),
        None if started.elapsed() < SHOWN_AT_LEAST => Picked::Unavailable,
        None => Picked::Cancelled,
    }
}

impl FileDialogs for SystemDialogs {
    fn save_file(&mut self, title: &str, file_name: &str, filters: &[(&str, &[&str])]) -> Picked {
        let mut dialog = rfd::FileDialog::new().set_title(title);
        // A suggested name with a folder starts the dialog in that folder.
        let suggested = std::path::Path::new(file_name);
        match (suggested.parent(), suggested.file_name()) {
            (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => {
                dialog = dialog
                    .set_directory(dir)
                    .set_file_name(name.to_string_lossy());
            }
            _ => dialog = dialog.set_file_name(file_name),
        }
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        let started = Instant::now();
        judge(started, dialog.save_file())
    }

    fn open_file(&mut self, title: &str, filters: &[(&str, &[&str])]) -> Picked {
        let mut dialog = rfd::FileDialog::new().set_title(title);
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        let started = Instant::now();
        judge(started, dialog.pick_file())
    }

    fn pick_folder(&mut self, title: &str) -> Picked {
        let started = Instant::now();
        judge(
            started,
            rfd::FileDialog::new().set_title(title).pick_folder(),
        )
    }
}

/// Dialogs that answer with queued paths, for tests; `Unavailable` when none is queued.
#[derive(Default)]
pub struct ScriptedDialogs {
    pub answers: std::collections::VecDeque<Picked>,
}

impl FileDialogs for ScriptedDialogs {
    fn save_file(&mut self, _: &str, _: &str, _: &[(&str, &[&str])]) -> Picked {
        self.answers.pop_front().unwrap_or(Picked::Unavailable)
    }

    fn open_file(&mut self, _: &str, _: &[(&str, &[&str])]) -> Picked {
        self.answers.pop_front().unwrap_or(Picked::Unavailable)
    }

    fn pick_folder(&mut self, _: &str) -> Picked {
        self.answers.pop_front().unwrap_or(Picked::Unavailable)
    }
}
