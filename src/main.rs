//! The `partner-desk` binary: parse the arguments, start the log, then run a headless
//! command or open the window.

// A release build on Windows opens no console window beside the app on a double-click;
// a command typed in a terminal attaches to that terminal's console to print.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use partner_desk::domain::lang::Localized;
use partner_desk::{cli, diagnostics};

/// The system's allocator, which leaves a crash report when it fails (see `alloc`).
#[global_allocator]
static ALLOCATOR: partner_desk::alloc::Allocator = partner_desk::alloc::Allocator;

fn main() -> ExitCode {
    attach_to_the_terminal();
    let args = match cli::parse_args(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            // The help and the version asked for, or what is wrong with the arguments.
            match cli::russian_value_error(&error) {
                Some(text) => eprintln!("{text}"),
                None => {
                    let _ = error.print();
                }
            }
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let data_dir = diagnostics::data_dir();
    let _log = diagnostics::start(data_dir.as_deref(), args.verbose);
    if let cli::Command::Window { file, exit_when } = &args.command {
        let lang = args.message_lang();
        let path = match cli::database_path_or_say(args.db.as_deref()) {
            Ok(path) => path,
            Err(e) => {
                eprintln!("{}", e.text(lang));
                return ExitCode::FAILURE;
            }
        };
        tracing::info!(
            "partner-desk {}: window on {}",
            diagnostics::version(),
            path.display()
        );
        return match partner_desk::app::run_window(path, file.clone(), *exit_when, data_dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("the window could not run: {e}");
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    cli::run(&args)
}

/// On Windows, where a release build has no console of its own, prints go to the console
/// of the terminal the program was started from, if any.
#[cfg(windows)]
#[allow(unsafe_code)]
fn attach_to_the_terminal() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id and has no other preconditions; when there
    // is no parent console it fails and nothing changes.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_to_the_terminal() {}
