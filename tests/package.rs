//! What the packages ship, checked without building them: the desktop entry, the AppStream
//! metainfo, the icons and the list of bundled libraries with their licenses.

use partner_desk::app::APP_ID;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The (name, version) of every package in Cargo.lock.
fn locked() -> Vec<(String, String)> {
    let lock = read("Cargo.lock");
    let mut packages = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            packages.push((n, v.trim_matches('"').to_owned()));
        }
    }
    packages
}

#[test]
fn the_license_list_names_every_library_the_program_is_built_from() {
    let list = read("assets/THIRD-PARTY-LICENSES.txt");
    let locked = locked();
    let listed: Vec<(&str, &str)> = list
        .lines()
        .filter_map(|l| l.split_once(':')?.0.split_once(' '))
        .filter(|(_, v)| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert!(listed.len() > 100, "{}", listed.len());
    for (name, version) in &listed {
        assert!(
            locked.iter().any(|(n, v)| n == name && v == version),
            "{name} {version} is listed but not in Cargo.lock: run packaging/third-party-licenses"
        );
    }
    let manifest = read("Cargo.toml");
    let dependencies = manifest
        .split("\n[dependencies]\n")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    for line in dependencies.lines().filter(|l| !l.is_empty()) {
        let name = line.split([' ', '=']).next().unwrap();
        assert!(
            listed.iter().any(|(n, _)| *n == name),
            "{name} is a dependency but not listed: run packaging/third-party-licenses"
        );
        let version = &listed.iter().find(|(n, _)| *n == name).unwrap().1;
        assert!(
            locked.iter().any(|(n, v)| n == name && v == version),
            "{name} {version} is listed but Cargo.lock has another: run packaging/third-party-licenses"
        );
    }
}

#[test]
fn the_desktop_entry_names_the_program_in_both_languages_and_opens_spreadsheets() {
    let entry = read(&format!("packaging/linux/{APP_ID}.desktop"));
    let key = |k: &str| {
        entry
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("{k} in {entry}"))
            .to_owned()
    };
    assert_eq!(key("Name"), "Partner Desk");
    assert!(key("GenericName[ru]").contains("Премии"));
    assert!(key("Comment[ru]").contains("1С-Коннект"));
    assert!(key("Comment").contains("1C-Connect"));
    assert_eq!(key("Categories"), "Office;Finance;");
    assert_eq!(key("Icon"), APP_ID);
    assert_eq!(key("Exec"), "partner-desk window %f");
    let mime = key("MimeType");
    for kind in [
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
    ] {
        assert!(mime.contains(kind), "{kind}");
    }
    // What Exec runs is a command the program has.
    let args = partner_desk::cli::parse_args(["window", "sales.xlsx"]).unwrap();
    assert_eq!(
        args.command,
        partner_desk::cli::Command::Window {
            file: Some("sales.xlsx".into()),
            exit_when: None
        }
    );

    let metainfo = read(&format!("packaging/linux/{APP_ID}.metainfo.xml"));
    assert!(metainfo.contains(&format!("<id>{APP_ID}</id>")));
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"
    )));
    assert!(
        metainfo.contains(&format!(
            "<release version=\"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "the release notes name this version"
    );
    assert!(metainfo.contains("<screenshot type=\"default\">"));
}

#[test]
fn every_icon_the_package_installs_is_a_png_of_its_size() {
    let manifest = read("Cargo.toml");
    let icons: Vec<(&str, u32)> = manifest
        .lines()
        .filter(|l| l.contains("/hicolor/") && l.contains(".png"))
        .map(|l| {
            let source = l.split('"').nth(1).unwrap();
            let size = l
                .split("/hicolor/")
                .nth(1)
                .unwrap()
                .split('x')
                .next()
                .unwrap();
            (source, size.parse().unwrap())
        })
        .collect();
    assert_eq!(icons.len(), 7);
    for (source, size) in icons {
        let bytes =
            std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(source)).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{source}");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size), "{source}");
    }
}
