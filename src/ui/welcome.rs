//! The welcome screen of an empty database: demo data or an import.

use egui::{RichText, Ui};

use crate::command::Command;
use crate::domain::lang::Lang;
use crate::store::Rights;

/// Shown while the database holds no partners and no sales.
pub fn welcome_ui(ui: &mut Ui, (rights, lang): (Rights, Lang), busy: bool) -> Option<Command> {
    let mut command = None;
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(lang.pick("Добро пожаловать в Partner Desk", "Welcome to Partner Desk")).heading());
        ui.add_space(8.0);
        ui.label(lang.pick(
            "Партнёры, стоп-лист, продажи и премии партнёров 1С-Коннект — по регламенту, без таблиц.",
            "Partners, stop-list, sales and premiums of 1С-Коннект partners — by the regulation, without spreadsheets.",
        ));
        ui.label(lang.pick("База данных пока пуста.", "The database is empty."));
        ui.add_space(16.0);
        // An auditor reads: an empty team database is filled by a manager.
        ui.add_enabled_ui(!busy && rights.record, |ui| {
            if ui.button(lang.pick("Заполнить демо-данными", "Fill with demo data")).clicked() {
                command = Some(Command::FillDemo);
            }
            ui.add_space(6.0);
            if ui.button(lang.pick("Импортировать из файла (Excel, CSV)…", "Import from a file (Excel, CSV)…")).clicked() {
                command = Some(Command::Import);
            }
            ui.add_space(6.0);
            if ui.button(lang.pick("Начать с пустой базы: новый партнёр", "Start empty: a new partner")).clicked() {
                command = Some(Command::Navigate(crate::ui::Page::Partners));
            }
        });
    });
    command
}
