//! The windows over the page: toasts, confirmations, typed paths, the exported and
//! imported files, reports, the crash notice and About.

use super::*;

/// A message that fades after a while.
pub(super) struct Toast {
    pub(super) text: String,
    pub(super) error: bool,
    pub(super) shown: Instant,
}

/// A command waiting for the user to confirm it.
pub(super) struct Confirm {
    pub(super) text: String,
    pub(super) command: Command,
}

/// The rules of the regulation in a few lines, for Help.
pub(super) fn regulation_summary(lang: Lang) -> &'static str {
    lang.pick(
        "Статусы партнёров: Агент < Дилер < Интегратор. Статус устанавливается с даты; история изменений хранится.\n\n\
         Премия = сумма × ставка / 100, с округлением до копеек (0,005 → 0,01). Ставки — по таблице, действующей на дату продажи.\n\n\
         Премия 0, если клиент пришёл сам, не был подключён партнёром или сервис не используется в работе с партнёром.\n\n\
         Лицензии в составе 1С:КП (ИТС): партнёр 1С получает ставку Интегратора при любом статусе; остальные — только Интеграторы.\n\n\
         Стоп-лист: корпоративные тарифы (SaaS, On-premise, Видеозвонки) защищены закреплением клиента за партнёром на 3 календарных месяца. \
         Закрепление клиента, уже закреплённого за другим партнёром, отклоняется. Продление — на 3 месяца от текущего окончания по согласованию с менеджером.\n\n\
         Продажу корпоративного тарифа можно записать только партнёру, за которым клиент закреплён на дату продажи.\n\n\
         Возврат уменьшает премию по ставке исходной продажи и попадает в ведомость периода, в котором он оформлен.\n\n\
         Основные аргументы: замена Skype, Teams, Slack, TeamViewer, AnyDesk в одном продукте; соответствие 152-ФЗ; реестр отечественного ПО; шифрование по ГОСТ.",
        "Partner statuses: Agent < Dealer < Integrator. A status is set from a date; the history of changes is kept.\n\n\
         Premium = amount × rate / 100, rounded to kopecks (0.005 → 0.01). Rates come from the table in force on the sale date.\n\n\
         The premium is 0 when the client came on its own, was not connected by the partner, or the service is not used in work with the partner.\n\n\
         Licenses within 1C:KP (ITS): a 1C partner gets the Integrator rate whatever its status; other partners only as Integrators.\n\n\
         Stop-list: corporate tariffs (SaaS, On-premise, Video calls) are protected by pinning the client to the partner for 3 calendar months. \
         A pin of a client pinned to another partner is refused. An extension adds 3 months to the current end, by agreement with the manager.\n\n\
         A corporate sale can be recorded only for the partner the client is pinned to on the sale date.\n\n\
         A return reduces the premium at the original sale's rate and appears in the statement of the period it is dated in.\n\n\
         Main selling points: one product instead of Skype, Teams, Slack, TeamViewer, AnyDesk; 152-FZ compliance; registry of domestic software; GOST encryption.",
    )
}

/// The libraries bundled in the program with their licenses, made by
/// `packaging/third-party-licenses` from Cargo.lock.
pub(super) const THIRD_PARTY_LICENSES: &str = include_str!("../../assets/THIRD-PARTY-LICENSES.txt");

impl App {
    /// The file just exported, with ways to open it or its folder.
    pub(super) fn exported_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some(path) = self.exported.clone() else {
            return;
        };
        let mut close = false;
        egui::Window::new(lang.pick("Файл сохранён", "File saved"))
            .id(egui::Id::unique("exported"))
            .collapsible(false)
            .resizable(false)
            // Above the status bar, over no toolbar's or form's buttons; Esc closes it.
            .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -40.0])
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.label(path.display().to_string());
                ui.horizontal(|ui| {
                    let folder = path.parent().map(Path::to_path_buf);
                    let shown = if ui.button(lang.pick("Открыть", "Open")).clicked() {
                        Some(path.clone())
                    } else if ui
                        .button(lang.pick("Показать в папке", "Show in folder"))
                        .clicked()
                    {
                        folder
                    } else {
                        None
                    };
                    if let Some(shown) = shown {
                        close = true;
                        if let Err(e) = crate::diagnostics::open_in_system(&shown) {
                            self.report(Err(ActionError::cannot_show(&shown, &e)));
                        }
                    }
                    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.exported = None;
        }
    }

    /// The windows over the page that belong to the open database: the import window, the
    /// import just written with its undo, the client card and the quick search.
    pub(super) fn session_windows_ui(
        &mut self,
        ctx: &egui::Context,
        pctx: &PageCtx,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let last = self.last_message();
        let Some(s) = &mut self.session else {
            return commands;
        };
        if let Some(wizard) = &mut s.wizard {
            commands.extend(ui::import_wizard::wizard_ui(ctx, wizard, pctx.lang));
        }
        commands.extend(s.imported_ui(ctx, &last, pctx.lang));
        if let Some(card) = &mut s.client {
            let mut open = true;
            commands.extend(ui::client::client_card_ui(
                ctx, card, &s.data, pctx, &mut open,
            ));
            if !open {
                s.client = None;
            }
        }
        if let Some(draft) = &mut s.organisation {
            let mut open = true;
            commands.extend(ui::requisites::organisation_ui(
                ctx,
                draft,
                &s.data.organisation,
                pctx,
                &mut open,
            ));
            if !open {
                s.organisation = None;
            }
        }
        if let Some(search) = &mut s.search {
            let mut open = true;
            commands.extend(ui::search::search_ui(
                ctx, search, &s.data, pctx.lang, &mut open,
            ));
            if !open {
                s.search = None;
            }
        }
        commands
    }

    /// Help ▸ About: the version and build, where the data is, and the licenses of what
    /// is bundled.
    pub(super) fn about_ui(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.heading("Partner Desk");
        ui.label(lang.pick(
            "Партнёры, стоп-лист, продажи и ведомости премий партнёров 1С-Коннект.",
            "Partners, stop-list, sales and premium statements of 1С-Коннект partners.",
        ));
        egui::Grid::new("about").num_columns(2).show(ui, |ui| {
            let rows = [
                (
                    lang.pick("Версия", "Version"),
                    env!("CARGO_PKG_VERSION").to_owned(),
                ),
                (
                    lang.pick("Сборка", "Build"),
                    format!(
                        "{} · {}",
                        env!("PARTNER_DESK_COMMIT"),
                        env!("PARTNER_DESK_BUILD_DATE")
                    ),
                ),
                (
                    lang.pick("База данных", "Database"),
                    self.db_path.display().to_string(),
                ),
                (
                    lang.pick("Версия схемы", "Schema version"),
                    match self.store() {
                        Some(store) if store.server().is_some() => format!(
                            "{} ({})",
                            crate::store::postgres::SERVER_SCHEMA_VERSION,
                            lang.pick("схема общей базы на сервере", "the team database's schema")
                        ),
                        Some(_) => crate::store::SCHEMA_VERSION.to_string(),
                        None => lang.pick("база не открыта", "no database open").to_owned(),
                    },
                ),
                (
                    lang.pick("Журнал", "Log"),
                    self.data_dir.as_deref().map_or_else(
                        || lang.pick("не ведётся", "not kept").to_owned(),
                        |d| crate::diagnostics::log_dir(d).display().to_string(),
                    ),
                ),
            ];
            for (name, value) in rows {
                ui.label(RichText::new(name).weak());
                ui.label(value);
                ui.end_row();
            }
        });
        ui.separator();
        ui.label(lang.pick(
            "Шрифт DejaVu Sans (лицензия Bitstream Vera). Программа — лицензия MIT.",
            "Font: DejaVu Sans (Bitstream Vera license). The program: MIT license.",
        ));
        ui.collapsing(
            lang.pick("Библиотеки и их лицензии", "Libraries and their licenses"),
            |ui| {
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        ui.label(RichText::new(THIRD_PARTY_LICENSES).small().monospace());
                    });
            },
        );
    }

    /// Help ▸ Open the log folder.
    pub(super) fn open_log_folder(&mut self) {
        let result = match self.data_dir.as_deref().map(crate::diagnostics::log_dir) {
            Some(dir) => std::fs::create_dir_all(&dir)
                .and_then(|()| crate::diagnostics::open_in_system(&dir))
                .map(|()| {
                    Said::both(|lang| {
                        format!(
                            "{} {}",
                            lang.pick("Папка журнала:", "Log folder:"),
                            dir.display()
                        )
                    })
                })
                .map_err(|e| ActionError::cannot_show(&dir, &e)),
            None => Err(ActionError::NoLogFolder),
        };
        self.report(result);
    }

    /// On the start after a crash: what happened and where its report is.
    pub(super) fn crash_notice_ui(&mut self, ctx: &egui::Context) {
        let Some(report) = self.crashes.last().cloned() else {
            return;
        };
        let lang = self.lang;
        let (mut done, mut show) = (false, false);
        egui::Window::new(lang.pick("Программа закрылась неожиданно", "The program closed unexpectedly"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .min_width(520.0)
            .show(ctx, |ui| {
                ui.label(lang.pick(
                    "В прошлый раз программа закрылась из-за ошибки. Данные не пострадали: каждая запись в базу — одна транзакция. Отчёт о сбое сохранён; пожалуйста, отправьте его в поддержку.",
                    "Last time the program closed because of an error. The data is safe: every write to the database is one transaction. A crash report was saved; please send it to support.",
                ));
                ui.label(RichText::new(report.display().to_string()).monospace());
                ui.horizontal(|ui| {
                    show = ui
                        .button(lang.pick("Показать в папке", "Show in folder"))
                        .clicked();
                    if ui.button(lang.pick("Понятно", "OK")).clicked() {
                        done = true;
                    }
                });
            });
        if show && let Some(dir) = report.parent() {
            let result = crate::diagnostics::open_in_system(dir)
                .map(|()| Said::both(|_| dir.display().to_string()))
                .map_err(|e| ActionError::cannot_show(dir, &e));
            self.report(result);
        }
        if done {
            crate::diagnostics::mark_seen(&self.crashes);
            self.crashes.clear();
        }
    }

    pub(super) fn overlays_ui(&mut self, ctx: &egui::Context) {
        self.connect_ui(ctx);
        let lang = self.lang;
        self.confirm_ui(ctx);
        self.missing_ui(ctx);
        // A typed path asked for a database closed since has nothing left to act on.
        let session = self.session.as_ref().map(|s| s.id);
        if self
            .prompt
            .as_ref()
            .is_some_and(|p| p.purpose.about_the_database() && p.session != session)
        {
            self.prompt = None;
        }
        if let Some(prompt) = &mut self.prompt {
            let mut decision = None;
            egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading(prompt.purpose.title(lang));
                ui.label(lang.pick(
                    "Системное окно выбора файла недоступно. Введите полный путь к файлу:",
                    "The system file dialog is not available. Type the full path of the file:",
                ));
                let label = ui.label(lang.pick("Путь к файлу", "File path"));
                let r = ui
                    .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(480.0))
                    .labelled_by(label.id);
                r.request_focus();
                let ready = !prompt.text.trim().is_empty();
                decision = ui::confirm_buttons(ui, "OK", ready, lang);
            });
            match decision {
                Some(true) => {
                    if let Some(prompt) = self.prompt.take() {
                        let path = PathBuf::from(prompt.text.trim());
                        self.use_path(prompt.purpose, path);
                    }
                }
                Some(false) => self.prompt = None,
                None => {}
            }
        }
        self.job_ui(ctx);
        let mut open = self.show_help;
        egui::Window::new(lang.pick("Регламент работы с партнёрами", "The partner regulation"))
            .open(&mut open)
            .default_width(560.0)
            .vscroll(true)
            .show(ctx, |ui| ui.label(regulation_summary(lang)));
        self.show_help = open;
        let mut open = self.show_keys;
        egui::Window::new(lang.pick("Сочетания клавиш", "Keyboard shortcuts"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("keys")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in shortcut_list(lang) {
                            ui.strong(keys);
                            ui.label(what);
                            ui.end_row();
                        }
                    });
            });
        self.show_keys = open;
        let mut open = self.show_about;
        egui::Window::new(lang.pick("О программе", "About"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| self.about_ui(ui));
        self.show_about = open;
        self.crash_notice_ui(ctx);
        self.exported_ui(ctx);

        let mut open = self.details.is_some();
        let mut copy = false;
        egui::Window::new(lang.pick("Отчёт", "Report"))
            .open(&mut open)
            .default_width(640.0)
            .default_height(360.0)
            .vscroll(true)
            .show(ctx, |ui| {
                if ui.button(lang.pick("Копировать", "Copy")).clicked() {
                    copy = true;
                }
                ui.label(self.details.as_deref().unwrap_or_default());
            });
        if copy && let Some(text) = &self.details {
            ctx.copy_text(text.clone());
        }
        if !open {
            self.details = None;
        }

        self.toasts_ui(ctx);
    }

    /// The work running on a worker: its progress, and Cancel where it can stop.
    fn job_ui(&self, ctx: &egui::Context) {
        let lang = self.lang;
        if let Some(job) = &self.job {
            egui::Modal::new(egui::Id::unique("job")).show(ctx, |ui| {
                ui.set_min_width(360.0);
                ui.label(&job.title);
                match job.progress.fraction() {
                    Some(fraction) => ui.add(egui::ProgressBar::new(fraction).show_percentage()),
                    None => ui.add(egui::ProgressBar::new(0.0).animate(true)),
                };
                // Only work that reports its progress can stop between its steps.
                if job.progress.fraction().is_some() {
                    let cancelling = job.progress.cancel.load(Ordering::Relaxed);
                    if ui
                        .add_enabled(
                            !cancelling,
                            egui::Button::new(lang.pick("Отменить", "Cancel")),
                        )
                        .clicked()
                    {
                        job.progress.cancel.store(true, Ordering::Relaxed);
                    }
                }
                ui.label(
                    RichText::new(format!("{} s", job.started.elapsed().as_secs()))
                        .weak()
                        .small(),
                );
            });
            ctx.request_repaint_after(Duration::from_millis(50));
        }
    }

    /// What was said last, fading after a while, bottom right: above the «File saved» or
    /// «Import done» window when one is there, so that its buttons stay in sight.
    fn toasts_ui(&mut self, ctx: &egui::Context) {
        self.toasts
            .retain(|t| t.shown.elapsed() < Duration::from_secs(6));
        if !self.toasts.is_empty() {
            let imported = self.session.as_ref().is_some_and(|s| s.imported.is_some());
            let top_of_corner_window = [
                ("exported", self.exported.is_some()),
                ("import-done", imported),
            ]
            .into_iter()
            .filter(|(_, shown)| *shown)
            .filter_map(|(id, _)| ctx.memory(|m| m.area_rect(egui::Id::unique(id))))
            .map(|rect| rect.top())
            .reduce(f32::min);
            let bottom = ctx.content_rect().bottom();
            let lift = top_of_corner_window.map_or(36.0, |top| bottom - top + 8.0);
            egui::Area::new(egui::Id::unique("toasts"))
                .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -lift])
                .order(egui::Order::Foreground)
                .interactable(false)
                .show(ctx, |ui| {
                    for toast in &self.toasts {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.set_max_width(420.0);
                            let color = if toast.error {
                                ui::error_color(ui)
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.label(RichText::new(&toast.text).color(color));
                        });
                    }
                });
            ctx.request_repaint_after(Duration::from_millis(500));
        }
    }
}

impl App {
    /// The confirmation of a command on the open database, when one waits.
    fn confirm_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some(confirm) = self.session.as_ref().and_then(|s| s.confirm.as_ref()) else {
            return;
        };
        let mut decision = None;
        egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(lang.pick("Подтвердите действие", "Please confirm"));
            ui.label(&confirm.text);
            ui.add_space(8.0);
            decision = ui::confirm_buttons(ui, lang.pick("Подтвердить", "Confirm"), true, lang);
        });
        let Some(decision) = decision else { return };
        if let Some(confirm) = self.session.as_mut().and_then(|s| s.confirm.take())
            && decision
        {
            self.execute(confirm.command);
        }
    }
}

impl App {
    /// File ▸ Open of a path where there is no file: an empty database is made there only
    /// when the user says so; otherwise the database open stays open.
    fn missing_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some(path) = &self.missing else {
            return;
        };
        let mut decision = None;
        egui::Modal::new(egui::Id::unique("missing-database")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.heading(lang.pick("Файла нет", "No such file"));
            ui.label(lang.say(
                format_args!(
                    "Файла {} нет. Создать там новую пустую базу данных? Если путь набран с ошибкой, нажмите «Отмена»: открытая база останется открытой.",
                    path.display()
                ),
                format_args!(
                    "There is no file {}. Create a new empty database there? If the path is mistyped, press Cancel: the database open stays open.",
                    path.display()
                ),
            ));
            ui.add_space(8.0);
            let create = lang.pick("Создать пустую базу", "Create an empty database");
            decision = ui::confirm_buttons(ui, create, true, lang);
        });
        let Some(create) = decision else { return };
        if let Some(path) = self.missing.take()
            && create
        {
            self.use_path(PathUse::NewDatabase, path);
        }
    }
}

impl Session {
    /// The summary of the import just written, with its undo.
    fn imported_ui(&mut self, ctx: &egui::Context, said: &str, lang: Lang) -> Option<Command> {
        let imported = self.imported.as_ref()?;
        let mut command = None;
        let mut close = false;
        egui::Window::new(lang.pick("Импорт завершён", "Import done"))
            .id(egui::Id::unique("import-done"))
            .collapsible(false)
            .resizable(false)
            // Top right: toasts come up bottom right and would cover its buttons.
            // Above the status bar, over no toolbar's or form's buttons; Esc closes it.
            .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -40.0])
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.label(said);
                ui.label(
                    RichText::new(lang.pick(
                        "Импорт можно отменить целиком, пока в базе ничего не изменилось.",
                        "The whole import can be undone while nothing else changes.",
                    ))
                    .weak(),
                );
                ui.horizontal(|ui| {
                    if ui
                        .button(lang.pick("Отменить импорт", "Undo the import"))
                        .clicked()
                    {
                        command = Some(Command::UndoImport(imported.id));
                    }
                    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
                        close = true;
                    }
                });
            });
        // Any other write makes the undo impossible; then the offer goes.
        if close
            || !self
                .data
                .last_import
                .as_ref()
                .is_some_and(|i| i.id == imported.id && i.undoable)
        {
            self.imported = None;
        }
        command
    }
}
