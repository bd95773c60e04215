//! The `partner-desk` binary: parse the arguments, then run a headless command or open
//! the window.

use std::process::ExitCode;

use partner_desk::cli;

fn main() -> ExitCode {
    let args = match cli::parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    cli::run(&args, cli::system_lang())
}
