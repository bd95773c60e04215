//! Around the pages: keyboard shortcuts, the menus, navigation, the status bar, the
//! page itself, and the reports of what happened.

use super::*;

/// Ctrl+Z: the last change made in this window taken back.
pub(super) const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);

/// Every keyboard shortcut of the window and what it does, for Help ▸ Keyboard shortcuts.
pub(super) fn shortcut_list(lang: Lang) -> Vec<(String, &'static str)> {
    let pages = Page::ALL
        .iter()
        .enumerate()
        .map(|(i, page)| (format!("Ctrl+{}", i + 1), page.name(lang)));
    let mut keys: Vec<(String, &'static str)> = pages.collect();
    keys.extend([
        (
            "Ctrl+K".to_owned(),
            lang.pick(
                "быстрый поиск партнёра или клиента (↑ ↓ — между найденными, Enter — открыть)",
                "quick search for a partner or a client (↑ ↓ between the hits, Enter opens one)",
            ),
        ),
        (
            "Ctrl+N".to_owned(),
            lang.pick(
                "новая запись на странице, курсор в первом поле формы",
                "a new record on the page, the cursor in the form's first field",
            ),
        ),
        (
            "Ctrl+F".to_owned(),
            lang.pick("поле поиска страницы", "the page's search box"),
        ),
        (
            "Ctrl+I".to_owned(),
            lang.pick("импорт файла", "import a file"),
        ),
        (
            "Esc".to_owned(),
            lang.pick(
                "закрыть верхнее: меню, список, окно «Файл сохранён», затем форму",
                "close the topmost: a menu, a list, the «File saved» window, then the form",
            ),
        ),
        (
            "Tab, Shift+Tab".to_owned(),
            lang.pick(
                "следующее / предыдущее поле формы",
                "the form's next / previous field",
            ),
        ),
        (
            lang.pick("Ввод текста, ↑ ↓, Enter", "Typing, ↑ ↓, Enter")
                .to_owned(),
            lang.pick(
                "в списке партнёров или видов и в подсказках поля клиента: найти, выбрать, взять",
                "in a partner's or a kind's list box and the client field's offers: find, move, take",
            ),
        ),
        (
            "↑ ↓ Home End PgUp PgDn".to_owned(),
            lang.pick(
                "строка таблицы (с Shift — выделить несколько)",
                "a table's row (with Shift, highlight several)",
            ),
        ),
        (
            "Enter".to_owned(),
            lang.pick("открыть выделенную строку", "open the highlighted row"),
        ),
        (
            lang.pick("Ctrl+щелчок, Shift+щелчок", "Ctrl+click, Shift+click")
                .to_owned(),
            lang.pick(
                "выделить строки вразброс / подряд",
                "highlight rows one by one / a run",
            ),
        ),
        (
            "Ctrl+A".to_owned(),
            lang.pick(
                "выделить все строки таблицы",
                "highlight every row of the table",
            ),
        ),
        (
            "Ctrl+C".to_owned(),
            lang.pick(
                "копировать выделенные строки (вставляются в ячейки Excel)",
                "copy the highlighted rows (they paste into Excel's cells)",
            ),
        ),
        (
            "Ctrl+Z".to_owned(),
            lang.pick(
                "отменить последнее изменение (и удаление записи)",
                "undo the last change (a deletion too)",
            ),
        ),
    ]);
    keys
}

impl App {
    /// Says what came of something the user did: a sentence in the toasts, the status bar
    /// and the log; a long one (an import's row errors) in the report window. The status
    /// bar keeps it and says it in the window's language, also after a switch.
    pub(super) fn report(&mut self, result: Result<Said, ActionError>) {
        if let Err(ActionError::Store(StoreError::ServerGone { .. }) | ActionError::Read(_)) =
            &result
        {
            // While the server is known to be gone, the banner says so once; the reads that
            // fail meanwhile only go to the log.
            if let Some(session) = &mut self.session {
                if session.live.lost.is_some() {
                    tracing::info!("a read failed while the server is unreachable");
                    return;
                }
                if matches!(result, Err(ActionError::Store(_))) {
                    session.connection_closed();
                }
            }
        }
        let error = result.is_err();
        let outcome = Outcome::from(result);
        let text = crate::diagnostics::redact(&outcome.text(self.lang)).into_owned();
        // Every outcome the window reports goes to the log: what was opened, imported,
        // exported, issued, and every refusal with its sentence.
        if error {
            tracing::warn!("{text}");
        } else {
            tracing::info!("{text}");
        }
        // A long report (an import's row errors) opens in its own window; the toast and
        // the status bar say its first line.
        if text.lines().count() > 3 {
            self.details = Some(text);
        }
        self.last = Some(outcome.status_line());
        self.toasts.push(Toast {
            text: self.last_message(),
            error,
            shown: Instant::now(),
        });
    }

    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) -> PageCtx {
        let mut pctx = PageCtx {
            lang: self.lang,
            today: self.today(),
            new_requested: false,
            focus_search: false,
            cancel_requested: false,
            import_requested: false,
            undo_requested: false,
            rights: self.rights(),
            doc_lang: self.doc_lang,
            overdue_days: self.overdue_days,
        };
        let typing = ctx.text_edit_focused();
        // An open menu or list takes Esc for itself: the form under it stays.
        let popup_open = egui::Popup::is_any_open(ctx);
        let modal_open = self.prompt.is_some()
            || self.missing.is_some()
            || self
                .session
                .as_ref()
                .is_some_and(|s| s.confirm.is_some() || s.search.is_some());
        let exported = self.exported.is_some();
        let mut close_exported = false;
        let session = self.session.as_mut();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)) {
                pctx.new_requested = true;
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)) {
                pctx.focus_search = true;
            }
            let (search, mut dismissed) = match session {
                Some(s) => (Some(&mut s.search), Some(&mut s.welcome_dismissed)),
                None => (None, None),
            };
            if i.consume_shortcut(&ui::QUICK_SEARCH)
                && let Some(search) = search
            {
                *search = Some(ui::search::SearchState::default());
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::I)) {
                pctx.import_requested = true;
            }
            // In a text field, Ctrl+Z undoes the typing.
            if !typing && !modal_open && i.consume_shortcut(&UNDO) {
                pctx.undo_requested = true;
            }
            for (key, page) in [
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num4,
                Key::Num5,
                Key::Num6,
                Key::Num7,
            ]
            .into_iter()
            .zip(Page::ALL)
            {
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)) {
                    self.page = page;
                    if let Some(dismissed) = &mut dismissed {
                        **dismissed = true;
                    }
                }
            }
            // Esc closes the topmost thing only: the saved file's window before the form.
            if !modal_open && !popup_open && exported && i.key_pressed(Key::Escape) {
                close_exported = true;
            } else if !modal_open && !popup_open && i.key_pressed(Key::Escape) {
                pctx.cancel_requested = true;
            }
        });
        if close_exported {
            self.exported = None;
        }
        pctx
    }

    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        let lang = self.lang;
        let mut command = None;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(lang.pick("Файл", "File"), |ui| {
                command = self.file_menu_ui(ui);
            });
            ui.menu_button(lang.pick("Правка", "Edit"), |ui| {
                let undo = self.session.as_ref().and_then(|s| s.undo.as_ref());
                let text = match undo {
                    Some(undo) => format!("{} «{}»", lang.pick("Отменить", "Undo"), undo.name(lang)),
                    None => lang.pick("Отменить", "Undo").to_owned(),
                };
                let button =
                    egui::Button::new(text).shortcut_text(ui.ctx().format_shortcut(&UNDO));
                if ui
                    .add_enabled(undo.is_some(), button)
                    .on_disabled_hover_text(lang.pick(
                        "Ctrl+Z отменяет запись, исправление продажи или возврат, сделанные в этом окне последними",
                        "Ctrl+Z takes back a sale, a correction or a return made last in this window",
                    ))
                    .clicked()
                {
                    command = Some(Command::Undo);
                    ui.close();
                }
            });
            ui.menu_button(lang.pick("Вид", "View"), |ui| {
                ui.label(RichText::new(lang.pick("Язык", "Language")).weak());
                if ui.radio(self.lang == Lang::Ru, "Русский").clicked() {
                    self.lang = Lang::Ru;
                    ui.close();
                }
                if ui.radio(self.lang == Lang::En, "English").clicked() {
                    self.lang = Lang::En;
                    ui.close();
                }
                ui.separator();
                ui.label(RichText::new(lang.pick("Тема", "Theme")).weak());
                for (dark, ru, en) in [(false, "Светлая", "Light"), (true, "Тёмная", "Dark")]
                {
                    if ui.radio(self.dark == dark, lang.pick(ru, en)).clicked() {
                        self.dark = dark;
                        ui.ctx().set_theme(if dark {
                            egui::Theme::Dark
                        } else {
                            egui::Theme::Light
                        });
                        ui.close();
                    }
                }
            });
            ui.menu_button(lang.pick("Справка", "Help"), |ui| {
                if ui
                    .add(
                        egui::Button::new(lang.pick("Быстрый поиск…", "Quick search…"))
                            .shortcut_text(ui.ctx().format_shortcut(&ui::QUICK_SEARCH)),
                    )
                    .clicked()
                {
                    if let Some(s) = &mut self.session {
                        s.search = Some(ui::search::SearchState::default());
                    }
                    ui.close();
                }
                if ui
                    .button(lang.pick("Сочетания клавиш", "Keyboard shortcuts"))
                    .clicked()
                {
                    self.show_keys = true;
                    ui.close();
                }
                ui.separator();
                if ui
                    .button(lang.pick("Регламент работы с партнёрами", "The partner regulation"))
                    .clicked()
                {
                    self.show_help = true;
                    ui.close();
                }
                if ui
                    .button(lang.pick("Открыть папку журнала", "Open the log folder"))
                    .on_hover_text(lang.pick(
                        "Журнал работы и отчёты о сбоях — для поддержки",
                        "The log and crash reports, for support",
                    ))
                    .clicked()
                {
                    self.open_log_folder();
                    ui.close();
                }
                if ui.button(lang.pick("О программе", "About")).clicked() {
                    self.show_about = true;
                    ui.close();
                }
            });
        });
        command
    }

    /// The File menu: databases, backup, import and its undo, quit.
    fn file_menu_ui(&self, ui: &mut egui::Ui) -> Option<Command> {
        let lang = self.lang;
        let mut command = None;
        if ui
            .button(lang.pick("Новая база данных…", "New database…"))
            .clicked()
        {
            command = Some(Command::NewDatabase);
        }
        if ui
            .button(lang.pick("Открыть базу данных…", "Open database…"))
            .clicked()
        {
            command = Some(Command::OpenDatabase);
        }
        if ui
            .button(lang.pick("Подключиться к общей базе…", "Connect to a team database…"))
            .clicked()
        {
            command = Some(Command::ConnectServer);
        }
        ui.add_enabled_ui(!self.recent.is_empty(), |ui| {
            ui.menu_button(lang.pick("Недавние", "Open recent"), |ui| {
                for recent in &self.recent {
                    let shown = match crate::store::server_url(Path::new(recent)) {
                        Some(url) => crate::store::postgres::shown(url),
                        None => recent.clone(),
                    };
                    if ui.button(shown).clicked() {
                        command = Some(Command::OpenRecent(PathBuf::from(recent)));
                    }
                }
            });
        });
        if ui
            .button(lang.pick("Резервная копия…", "Back up…"))
            .clicked()
        {
            command = Some(Command::Backup);
        }
        if ui
            .button(lang.pick("Реквизиты организации…", "Our requisites…"))
            .clicked()
        {
            command = Some(Command::EditOrganisation);
        }
        ui.separator();
        let may = (self.rights(), lang);
        if ui::rights_button(
            ui,
            may,
            Right::Record,
            true,
            egui::Button::new(lang.pick("Импорт…", "Import…")).shortcut_text(
                ui.ctx()
                    .format_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::I)),
            ),
        )
        .clicked()
        {
            command = Some(Command::Import);
        }
        if ui::rights_button(
            ui,
            may,
            Right::Lead,
            true,
            egui::Button::new(lang.pick("Импорт выписки банка…", "Import a bank statement…")),
        )
        .clicked()
        {
            command = Some(Command::ImportBank);
        }
        let undo = self.data().last_import.as_ref().filter(|i| i.undoable);
        if ui::rights_button(
            ui,
            may,
            Right::Record,
            undo.is_some(),
            egui::Button::new(lang.pick("Отменить последний импорт…", "Undo the last import…")),
        )
        .clicked()
            && let Some(undo) = undo
        {
            command = Some(Command::UndoImport(undo.id));
        }
        ui.separator();
        if ui.button(lang.pick("Выход", "Quit")).clicked() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        command
    }

    /// The page on screen: none while no database is open or read, or while the welcome
    /// page stands in for the pages.
    fn shown_page(&self) -> Option<Page> {
        let session = self.session.as_ref()?;
        let data = &session.data;
        let welcome =
            !session.welcome_dismissed && data.counts.partners == 0 && data.counts.sales == 0;
        (!session.first_load() && !welcome).then_some(self.page)
    }

    /// The sidebar: a button per page, the page on screen marked.
    pub(super) fn nav_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let shown = self.shown_page();
        ui.add_space(6.0);
        for (i, page) in Page::ALL.into_iter().enumerate() {
            let r = ui
                .add_sized(
                    [ui.available_width(), 28.0],
                    egui::Button::selectable(shown == Some(page), page.name(lang)),
                )
                .on_hover_text(format!("Ctrl+{}", i + 1));
            if r.clicked() {
                self.page = page;
                if let Some(s) = &mut self.session {
                    s.welcome_dismissed = true;
                }
            }
        }
    }

    pub(super) fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let on_server = crate::store::server_url(&self.db_path).is_some();
        ui.horizontal(|ui| {
            let shown = match self.store() {
                Some(store) if on_server => store.shown(),
                _ => self.db_path.display().to_string(),
            };
            ui.label(RichText::new(shown).weak().small())
                .on_hover_text(if on_server {
                    lang.pick(
                    "Общая база на сервере PostgreSQL: её видят все менеджеры отдела",
                    "The team database on a PostgreSQL server, shared by the department's managers",
                )
                } else {
                    lang.pick("Файл базы данных", "Database file")
                });
            if let Some((path, _)) = &self.opening {
                ui.separator();
                ui.spinner();
                ui.label(
                    RichText::new(format!(
                        "{} {}…",
                        lang.pick("подключение к", "connecting to"),
                        crate::store::postgres::shown(&path.display().to_string())
                    ))
                    .small(),
                );
            } else if let Some(session) = self.session.as_ref().filter(|_| on_server) {
                ui.separator();
                if session.live.lost.is_some() {
                    ui.label(
                        RichText::new(lang.pick("нет связи с сервером", "server unreachable"))
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                } else {
                    ui.label(
                        RichText::new(lang.pick("сервер на связи", "server connected"))
                            .small()
                            .weak(),
                    )
                    .on_hover_text(lang.pick(
                        "Изменения коллег появляются здесь сами, как только они их сохранят.",
                        "Colleagues' changes show here by themselves as soon as they save them.",
                    ));
                }
            }
            ui.separator();
            let c = &self.data().counts;
            ui.label(
                RichText::new(format!(
                    "{} {} · {} {} · {} {} · {} {} · {} {}",
                    lang.pick("партнёров", "partners"),
                    c.partners,
                    lang.pick("клиентов", "clients"),
                    c.clients,
                    lang.pick("закреплений", "pins"),
                    c.pins,
                    lang.pick("продаж", "sales"),
                    c.sales,
                    // The Sales page lists both: its row count is their sum.
                    lang.pick("возвратов", "returns"),
                    c.returns
                ))
                .small(),
            );
            if let Some(check) = self.session.as_ref().map(|s| &s.damage_check) {
                damage_check_ui(ui, check, on_server, lang);
            }
            for notice in self.store().map_or(vec![], |s| s.notices(lang)) {
                ui.separator();
                ui.label(
                    RichText::new(notice)
                        .small()
                        .color(ui.visuals().warn_fg_color),
                );
            }
            ui.separator();
            ui.label(RichText::new(self.last_message()).small());
        });
    }

    /// The page while no database is open: one being upgraded or connected to, or why
    /// none could be opened, with what to do (None: a database is open).
    fn not_open_ui(&mut self, ui: &mut egui::Ui) -> Option<Option<Command>> {
        if let Some(path) = &self.upgrading {
            let kept = Store::kept_before_upgrade(path);
            ui.add_space(80.0);
            ui.vertical_centered(|ui| {
                ui.spinner();
                ui.heading(self.lang.pick(
                    "Обновление базы данных для этой версии программы…",
                    "Upgrading the database for this version of the program…",
                ));
                ui.label(format!(
                    "{} {}",
                    self.lang.pick(
                        "Файл в прежнем виде сохраняется рядом:",
                        "The file as it was is kept beside it:"
                    ),
                    kept.display()
                ));
            });
            return Some(None);
        }
        if let Some((path, _)) = &self.opening
            && self.session.is_none()
        {
            let shown = crate::store::postgres::shown(&path.display().to_string());
            let mut cancel = false;
            ui.vertical_centered(|ui| {
                ui.add_space(120.0);
                ui.spinner();
                ui.heading(format!(
                    "{} {shown}…",
                    self.lang.pick("Подключение к", "Connecting to")
                ));
                ui.label(self.lang.pick(
                    "Сервер, который не отвечает, ждут до 10 секунд.",
                    "A server that does not answer is waited for up to 10 seconds.",
                ));
                cancel = ui.button(self.lang.pick("Отмена", "Cancel")).clicked();
            });
            if cancel {
                self.opening = None;
                self.open_error = Some(
                    self.lang
                        .pick("Подключение отменено.", "Connecting was cancelled.")
                        .to_owned(),
                );
            }
            return Some(None);
        }
        if let Some(error) = &self.open_error {
            let mut command = None;
            ui::empty_state(
                ui,
                self.lang
                    .pick("База данных не открыта", "No database is open"),
                error,
            );
            ui.vertical_centered(|ui| {
                // A team database that could not be reached: try again, or work elsewhere.
                if crate::store::server_url(&self.db_path).is_some() {
                    if ui
                        .button(self.lang.pick("Повторить подключение", "Try again"))
                        .clicked()
                    {
                        command = Some(Command::OpenRecent(self.db_path.clone()));
                    }
                    if ui
                        .button(
                            self.lang
                                .pick("Подключиться к общей базе…", "Connect to a team database…"),
                        )
                        .clicked()
                    {
                        command = Some(Command::ConnectServer);
                    }
                }
                if ui
                    .button(
                        self.lang
                            .pick("Открыть другую базу…", "Open another database…"),
                    )
                    .clicked()
                {
                    command = Some(Command::OpenDatabase);
                }
                if ui
                    .button(
                        self.lang
                            .pick("Создать новую базу…", "Create a new database…"),
                    )
                    .clicked()
                {
                    command = Some(Command::NewDatabase);
                }
            });
            return Some(command);
        }
        None
    }

    pub(super) fn page_ui(&mut self, ui: &mut egui::Ui, pctx: &PageCtx) -> Option<Command> {
        if let Some(command) = self.not_open_ui(ui) {
            return command;
        }
        let shown = self.shown_page();
        let Some(session) = &mut self.session else {
            return None;
        };
        if session.first_load() {
            ui.vertical_centered(|ui| {
                ui.add_space(120.0);
                ui.spinner();
                ui.label(
                    self.lang
                        .pick("Чтение базы данных…", "Reading the database…"),
                );
            });
            return None;
        }
        if shown.is_none() {
            return ui::welcome::welcome_ui(ui, (pctx.rights, pctx.lang), self.job.is_some());
        }
        let data = &session.data;
        match self.page {
            Page::Overview => ui::overview::overview_ui(ui, &mut session.overview, data, pctx),
            Page::Partners => ui::partners::partners_ui(ui, &mut session.partners, data, pctx),
            Page::StopList => ui::pins::pins_ui(ui, &mut session.pins, data, pctx),
            Page::Sales => ui::sales::sales_ui(ui, &mut session.sales, data, pctx),
            Page::Statements => {
                ui::statements::statements_ui(ui, &mut session.statements, data, pctx)
            }
            Page::Payments => ui::payments::payments_ui(ui, &mut session.payments, data, pctx),
            Page::Rates => ui::rates::rates_ui(ui, &mut session.rates, data, pctx),
        }
    }
}

/// What the check of the file for damage found, or that it runs, in the status bar.
fn damage_check_ui(ui: &mut egui::Ui, check: &DamageCheck, on_server: bool, lang: Lang) {
    match check {
        DamageCheck::Due | DamageCheck::Running(_) => {
            ui.separator();
            ui.add(egui::Spinner::new().size(10.0));
            ui.label(RichText::new(lang.pick("проверка файла…", "checking the file…")).small())
                .on_hover_text(lang.pick(
                    "Файл базы данных читается целиком, чтобы найти повреждения; записи станут доступны после проверки.",
                    "The database file is read whole to find any damage; writing is possible once it is checked.",
                ));
        }
        // A server keeps its own pages whole: there is no file to check.
        DamageCheck::Passed if on_server => {}
        DamageCheck::Passed => {
            ui.separator();
            ui.label(
                RichText::new(lang.pick("файл проверен", "file checked"))
                    .small()
                    .weak(),
            )
            .on_hover_text(lang.pick(
                "Файл базы данных прочитан целиком при открытии: повреждений нет.",
                "The database file was read whole when opened: no damage found.",
            ));
        }
        DamageCheck::Stopped => {
            ui.separator();
            ui.label(
                RichText::new(lang.pick("проверка файла прервалась", "the file's check stopped"))
                    .small()
                    .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text(lang.pick(
                "Проверка файла на повреждения прервалась из-за внутренней ошибки программы. Записи не выполняются, пока она не пройдёт; следующая попытка записи запустит её снова.",
                "The check of the file for damage stopped on an internal error of the program. Nothing is written until it passes; the next write starts it again.",
            ));
        }
        DamageCheck::Damaged(_) => {}
    }
}
