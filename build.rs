//! Records the commit the program is built from and its date, for Help ▸ About, the
//! version and crash reports.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn main() {
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    // The commit's date, not the clock's, so that a build can be made again the same.
    let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=PARTNER_DESK_COMMIT={commit}");
    println!("cargo:rustc-env=PARTNER_DESK_BUILD_DATE={date}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    windows_resources();
}

/// On Windows, the `.exe` carries the icon and the version information.
fn windows_resources() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("packaging/icons/partner-desk.ico")
            .set("ProductName", "Partner Desk")
            .set("FileDescription", "Partner Desk")
            .set("LegalCopyright", "MIT License");
        if let Err(e) = res.compile() {
            println!("cargo:warning=the .exe resources could not be made: {e}");
        }
    }
}
