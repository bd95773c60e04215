//! File ▸ Connect to a team database…: the server, port, database and login, and the
//! password, kept in memory for this run only (asked again at the next start; never in the
//! settings); "test connection" and the connection itself are tried on a worker, so the
//! window never waits for a server that does not answer. And File ▸ Open recent: the files
//! and team databases opened last.

use super::*;
use crate::store::postgres;

/// How many databases File ▸ Open recent keeps.
const RECENT_KEPT: usize = 8;

/// The connection form.
pub(super) struct ConnectForm {
    pub(super) host: String,
    pub(super) port: String,
    pub(super) database: String,
    pub(super) login: String,
    pub(super) password: String,
    /// Encrypt the connection (TLS), checking the server's certificate.
    pub(super) encrypt: bool,
    /// The company's certificate authority file, when the server's certificate is signed
    /// by it (empty: the system's trusted roots).
    pub(super) ca_file: String,
    /// Keep the password in the system's keyring, when there is one (None: there is not).
    pub(super) remember: Option<bool>,
    /// The try running on a worker (the database as shown, when it works), and whether to
    /// open the database when it works.
    trying: Option<(Receiver<Result<String, StoreError>>, bool)>,
    /// What the last try said, and whether it worked.
    said: Option<(String, bool)>,
}

impl ConnectForm {
    fn new() -> ConnectForm {
        ConnectForm {
            host: "localhost".into(),
            port: "5432".into(),
            database: "partner_desk".into(),
            login: crate::clock::user_login(),
            password: String::new(),
            encrypt: false,
            ca_file: String::new(),
            remember: None,
            trying: None,
            said: None,
        }
    }

    /// The form filled from a team database's address, saying `why` it is asked again.
    fn from_url(url: &str, why: Option<String>) -> ConnectForm {
        let mut form = ConnectForm::new();
        let (driver, wish) = postgres::tls::split(url);
        form.ca_file = wish
            .root_cert
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if let Ok(config) = driver.parse::<::postgres::Config>() {
            if let Some(::postgres::config::Host::Tcp(host)) = config.get_hosts().first() {
                form.host = host.clone();
            }
            if let Some(port) = config.get_ports().first() {
                form.port = port.to_string();
            }
            if let Some(db) = config.get_dbname() {
                form.database = db.to_owned();
            }
            if let Some(user) = config.get_user() {
                form.login = user.to_owned();
            }
        }
        form.encrypt = wish.encrypts(form.is_local());
        form.said = why.map(|w| (w, false));
        form
    }

    /// The address the form names, or what is wrong with it.
    fn url(&self) -> Result<String, FormError> {
        let (host, db, login) = (self.host.trim(), self.database.trim(), self.login.trim());
        if host.is_empty() || db.is_empty() || login.is_empty() {
            return Err(FormError::Missing);
        }
        let port: u16 = self.port.trim().parse().map_err(|_| FormError::Port)?;
        let bad = |c: char| c.is_whitespace() || "@/:?#".contains(c);
        if [host, db, login].iter().any(|part| part.chars().any(bad)) {
            return Err(FormError::Characters);
        }
        let address = format!("postgres://{login}@{host}:{port}/{db}");
        if !self.encrypt {
            // Another computer is encrypted to unless the address says not.
            return Ok(match self.is_local() {
                true => address,
                false => format!("{address}?sslmode=disable"),
            });
        }
        let ca = self.ca_file.trim();
        if ca.is_empty() {
            return Ok(format!("{address}?sslmode=verify-full"));
        }
        let escaped: String = ca
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        Ok(format!(
            "{address}?sslmode=verify-full&sslrootcert={escaped}"
        ))
    }

    /// The server is this computer: there is no network to protect the connection on.
    fn is_local(&self) -> bool {
        postgres::tls::is_local_host(&self.host)
    }
}

/// What is wrong with a filled-in connection form.
#[derive(Debug)]
enum FormError {
    Missing,
    Port,
    Characters,
}

impl Localized for FormError {
    fn text(&self, lang: Lang) -> String {
        match self {
            FormError::Missing => lang.say(
                "Укажите сервер, базу данных и логин",
                "Fill in the server, the database and the login",
            ),
            FormError::Port => lang.say(
                "Порт — число от 1 до 65535 (обычно 5432)",
                "The port is a number from 1 to 65535 (usually 5432)",
            ),
            FormError::Characters => lang.say(
                "В сервере, базе данных и логине не бывает пробелов и знаков @ / : ? #",
                "The server, the database and the login have no spaces and no @ / : ? #",
            ),
        }
    }
}

impl App {
    /// Opens the connection form (File ▸ Connect to a team database…).
    pub(super) fn open_connect_form(&mut self) {
        self.connect = Some(match crate::store::server_url(&self.db_path) {
            Some(url) => ConnectForm::from_url(url, None),
            None => ConnectForm::new(),
        });
    }

    /// Asks, on a worker (inline when reads are), whether the system has a keyring: the
    /// connection form offers to keep the password once it is known.
    pub(super) fn ask_keyring(&mut self) {
        let (keyring, here, ctx) = (
            self.keyring.clone(),
            self.keyring_here.clone(),
            self.workers.ctx.clone(),
        );
        let ask = move || {
            let _ = here.set(keyring.available());
            ctx.request_repaint();
        };
        if !self.workers.background {
            ask();
        } else if std::thread::Builder::new()
            .name("partner-desk-keyring".into())
            .spawn(ask)
            .is_err()
        {
            let _ = self.keyring_here.set(false);
        }
    }

    /// Whether the system has a keyring (false until the worker knows).
    fn keyring_available(&self) -> bool {
        self.keyring_here.get().copied().unwrap_or(false)
    }

    /// A team database that would not let the login in: the form opens on it, saying why,
    /// for the password to be typed.
    pub(super) fn ask_to_log_in(&mut self, url: &str, why: String) {
        if self.connect.is_none() {
            self.connect = Some(ConnectForm::from_url(url, Some(why)));
        }
    }

    /// Remembers a database just opened for File ▸ Open recent (a team database by its
    /// address, which never holds a password).
    pub(super) fn remember_recent(&mut self, path: &Path) {
        let text = path.display().to_string();
        self.recent.retain(|r| *r != text);
        self.recent.insert(0, text);
        self.recent.truncate(RECENT_KEPT);
    }

    /// Tries the form's database on a worker: `open` it when it works.
    fn try_connecting(&mut self, open: bool) {
        let lang = self.lang;
        let Some(form) = &mut self.connect else {
            return;
        };
        let url = match form.url() {
            Ok(url) => url,
            Err(why) => {
                form.said = Some((why.text(lang), false));
                return;
            }
        };
        if !form.password.is_empty() {
            postgres::remember_password(&url, &form.password);
        }
        let (tell, answer) = channel();
        let ctx = self.workers.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("partner-desk-connect".into())
            .spawn(move || {
                let _ = tell.send(Store::connect(&url).map(|store| store.shown()));
                ctx.request_repaint();
            });
        form.said = None;
        match spawned {
            Ok(_) => form.trying = Some((answer, open)),
            Err(e) => form.said = Some((e.to_string(), false)),
        }
    }

    /// The connection form, over the page.
    pub(super) fn connect_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let keyring_here = self.keyring_available();
        let Some(form) = &mut self.connect else {
            return;
        };
        // Offered once the system is known to have a keyring.
        if keyring_here && form.remember.is_none() {
            form.remember = Some(false);
        }
        let open_now = form.take_answer(lang);
        let asked = egui::Modal::new(egui::Id::unique("connect-form"))
            .show(ctx, |ui| form.ui(ui, lang))
            .inner;
        match asked {
            Some(Asked::Cancel) => self.connect = None,
            Some(Asked::Try { open }) => self.try_connecting(open),
            None => {}
        }
        if let Some(url) = open_now {
            // The password goes to the keyring only once it has let the login in.
            self.keep_in_keyring = self
                .connect
                .take()
                .filter(|f| f.remember == Some(true))
                .map(|f| f.password);
            self.use_path(PathUse::OpenDatabase, PathBuf::from(url));
        }
    }
}

/// What the connection form's buttons asked.
enum Asked {
    /// Try the connection: open the database when it works («Connect»), or only say
    /// whether it does («Test connection»).
    Try {
        open: bool,
    },
    Cancel,
}

impl ConnectForm {
    /// What the worker found, said in the form: the address to open now, when the try
    /// was to open it and it worked.
    fn take_answer(&mut self, lang: Lang) -> Option<String> {
        let (answer, open) = self.trying.as_ref()?;
        let open = *open;
        let result = match answer.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Disconnected) => {
                self.said = Some((super::loading::connecting_broke(lang), false));
                self.trying = None;
                return None;
            }
            Err(TryRecvError::Empty) => return None,
        };
        let worked = result.is_ok();
        let open_now = if worked && open {
            self.url().ok()
        } else {
            None
        };
        let said = match result {
            Ok(shown) => format!(
                "{} {shown}",
                lang.pick("Подключение работает:", "The connection works:")
            ),
            Err(e) => e.text(lang),
        };
        self.said = Some((said, worked));
        self.trying = None;
        open_now
    }

    /// The form: what a team database is, its fields, a warning when the password would
    /// cross the network in the clear, what the last try said, and the buttons.
    fn ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<Asked> {
        ui.set_max_width(480.0);
        ui.heading(lang.pick("Подключение к общей базе", "Connect to a team database"));
        ui.label(
            RichText::new(lang.pick(
                "Общая база отдела на сервере PostgreSQL. Адрес, порт и логин даёт администратор; пароль хранится только до закрытия программы.",
                "The department's database on a PostgreSQL server. The administrator gives the address, port and login; the password is kept only until the program is closed.",
            ))
            .weak(),
        );
        ui.add_space(6.0);
        egui::Grid::new("connect-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let was_local = self.is_local();
                self.login_rows(ui, lang);
                // Another computer than this one: encrypted, unless the user says not.
                if was_local && !self.is_local() {
                    self.encrypt = true;
                }
                self.encryption_rows(ui, lang);
            });
        if !self.encrypt && !self.is_local() {
            ui.label(
                RichText::new(lang.pick(
                    "Без шифрования пароль и данные идут по сети открыто: так можно только в сети офиса, которой вы доверяете.",
                    "Without encryption the password and the data cross the network in the clear: only on an office network you trust.",
                ))
                .small()
                .color(ui.visuals().warn_fg_color),
            );
        }
        ui.add_space(6.0);
        if self.trying.is_some() {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label(lang.pick("Подключение…", "Connecting…"));
            });
        } else if let Some((text, worked)) = &self.said {
            let color = if *worked {
                ui.visuals().text_color()
            } else {
                ui::error_color(ui)
            };
            ui.label(RichText::new(text).color(color));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| self.buttons_ui(ui, lang)).inner
    }

    /// The server, port, database, login and password, and whether to keep the password
    /// in the keyring (when there is one).
    fn login_rows(&mut self, ui: &mut egui::Ui, lang: Lang) {
        for (label, value, password) in [
            (lang.pick("Сервер", "Server"), &mut self.host, false),
            (lang.pick("Порт", "Port"), &mut self.port, false),
            (
                lang.pick("База данных", "Database"),
                &mut self.database,
                false,
            ),
            (lang.pick("Логин", "Login"), &mut self.login, false),
            (lang.pick("Пароль", "Password"), &mut self.password, true),
        ] {
            let label = ui.label(label);
            ui.add(
                egui::TextEdit::singleline(value)
                    .password(password)
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        }
        if let Some(remember) = &mut self.remember {
            ui.label("");
            ui.checkbox(
                remember,
                lang.pick(
                    "Запомнить пароль в связке ключей системы",
                    "Keep the password in the system's keyring",
                ),
            );
            ui.end_row();
        }
    }

    /// Whether to encrypt, and the company's certificate authority file.
    fn encryption_rows(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.label("");
        ui.checkbox(
            &mut self.encrypt,
            lang.pick(
                "Шифровать соединение (TLS) и проверять сертификат сервера",
                "Encrypt the connection (TLS) and check the server's certificate",
            ),
        );
        ui.end_row();
        let label = ui.label(lang.pick("Сертификат центра (PEM)", "Authority certificate (PEM)"));
        ui.add_enabled(
            self.encrypt,
            egui::TextEdit::singleline(&mut self.ca_file)
                .hint_text(lang.pick(
                    "необязательно: файл центра сертификации компании",
                    "optional: the company's certificate authority file",
                ))
                .desired_width(280.0),
        )
        .labelled_by(label.id);
        ui.end_row();
    }

    /// «Connect» and «Test connection» (while no try runs) and «Cancel».
    fn buttons_ui(&self, ui: &mut egui::Ui, lang: Lang) -> Option<Asked> {
        let mut asked = None;
        let idle = self.trying.is_none();
        if ui
            .add_enabled(
                idle,
                egui::Button::new(lang.pick("Подключиться", "Connect")),
            )
            .clicked()
        {
            asked = Some(Asked::Try { open: true });
        }
        if ui
            .add_enabled(
                idle,
                egui::Button::new(lang.pick("Проверить подключение", "Test connection")),
            )
            .clicked()
        {
            asked = Some(Asked::Try { open: false });
        }
        if ui.button(lang.pick("Отмена", "Cancel")).clicked() {
            asked = Some(Asked::Cancel);
        }
        asked
    }
}
