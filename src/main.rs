//! The `partner-desk` binary: parse the arguments, then run a headless command or open
//! the window.

use std::process::ExitCode;

use partner_desk::cli;

fn main() -> ExitCode {
    let args = match cli::parse_args(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            // The help and the version asked for, or what is wrong with the arguments.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    if args.command == cli::Command::Window {
        let lang = args.message_lang();
        let path = match cli::database_path_or_say(args.db.as_deref(), lang) {
            Ok(path) => path,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        };
        return match partner_desk::app::run_window(path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    cli::run(&args)
}
