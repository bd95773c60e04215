//! Dates in forms and filters: the date row with its calendar, and the period presets.

use super::*;

/// A date form row in a two-column grid: the text field (31.01.2025 or 2025-01-31) with
/// a calendar button beside it, and its error (if any) under it.
pub fn date_row(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<&str>,
    today: NaiveDate,
    lang: Lang,
) -> Response {
    field_row(ui, label, error, |ui, label| {
        ui.horizontal(|ui| {
            let r = date_edit(ui, value, 204.0, lang).labelled_by(label);
            calendar_button(ui, value, today, lang);
            r
        })
        .inner
    })
}

/// A date's text field. It selects its whole date when it gains the focus, so that a date
/// typed into it replaces the one there instead of being appended to it.
pub fn date_edit(ui: &mut Ui, value: &mut String, width: f32, lang: Lang) -> Response {
    let out = egui::TextEdit::singleline(value)
        .hint_text(lang.pick("дд.мм.гггг", "yyyy-mm-dd"))
        .desired_width(width)
        .show(ui);
    let r = out.response.response;
    if r.gained_focus() {
        select_all(ui.ctx(), r.id, value);
    }
    r
}

/// Selects the whole of `text` in text field `id`, so that what is typed next replaces it.
pub fn select_all(ctx: &egui::Context, id: egui::Id, text: &str) {
    let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    let all = egui::text::CCursorRange::two(
        egui::text::CCursor::new(0),
        egui::text::CCursor::new(text.chars().count()),
    );
    state.cursor.set_char_range(Some(all));
    state.store(ctx, id);
}

/// A ▦ button that opens a month's calendar; the day clicked goes into `value` as the
/// interface writes dates. True when a day was picked.
pub fn calendar_button(ui: &mut Ui, value: &mut String, today: NaiveDate, lang: Lang) -> bool {
    use chrono::{Datelike, Months};
    let button = ui
        .button("▦")
        .on_hover_text(lang.pick("Выбрать в календаре", "Pick from the calendar"));
    let month_id = button.id.with("month");
    if button.clicked() {
        // The calendar opens on the month of the date in the field, else this month.
        let shown = parse_date_field(value).ok().flatten().unwrap_or(today);
        ui.data_mut(|d| d.insert_temp(month_id, shown.with_day(1).unwrap_or(shown)));
    }
    let mut picked = false;
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let mut month: NaiveDate = ui.data_mut(|d| {
                d.get_temp(month_id)
                    .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
            });
            let chosen = parse_date_field(value).ok().flatten();
            ui.horizontal(|ui| {
                if ui
                    .button("◀")
                    .on_hover_text(lang.pick("Предыдущий месяц", "Previous month"))
                    .clicked()
                {
                    month = month.checked_sub_months(Months::new(1)).unwrap_or(month);
                }
                ui.label(RichText::new(month_title(month, lang)).strong());
                if ui
                    .button("▶")
                    .on_hover_text(lang.pick("Следующий месяц", "Next month"))
                    .clicked()
                {
                    month = month.checked_add_months(Months::new(1)).unwrap_or(month);
                }
            });
            let weekdays = lang.pick("Пн Вт Ср Чт Пт Сб Вс", "Mo Tu We Th Fr Sa Su");
            egui::Grid::new(month_id.with("grid"))
                .spacing([2.0, 2.0])
                .min_col_width(28.0)
                .show(ui, |ui| {
                    for day in weekdays.split(' ') {
                        ui.label(RichText::new(day).weak());
                    }
                    ui.end_row();
                    let lead = month.weekday().num_days_from_monday();
                    for _ in 0..lead {
                        ui.label("");
                    }
                    let mut day = month;
                    let mut column = lead;
                    while day.month() == month.month() {
                        let mut text = RichText::new(day.day().to_string());
                        if day == today {
                            text = text.strong().underline();
                        }
                        if ui
                            .add(
                                egui::Button::selectable(chosen == Some(day), text)
                                    .min_size(egui::vec2(28.0, 22.0)),
                            )
                            .clicked()
                        {
                            *value = date(day, lang);
                            picked = true;
                        }
                        column += 1;
                        if column == 7 {
                            ui.end_row();
                            column = 0;
                        }
                        day = match day.succ_opt() {
                            Some(next) => next,
                            None => break,
                        };
                    }
                });
            if ui.button(lang.pick("Сегодня", "Today")).clicked() {
                *value = date(today, lang);
                picked = true;
            }
            ui.data_mut(|d| d.insert_temp(month_id, month));
            if picked {
                ui.close();
            }
        });
    picked
}

/// «Январь 2025» / «January 2025».
fn month_title(month: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const RU: [&str; 12] = [
        "Январь",
        "Февраль",
        "Март",
        "Апрель",
        "Май",
        "Июнь",
        "Июль",
        "Август",
        "Сентябрь",
        "Октябрь",
        "Ноябрь",
        "Декабрь",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match lang {
        Lang::Ru => RU,
        Lang::En => EN,
    };
    format!("{} {}", names[month.month0() as usize], month.year())
}

/// A period chosen in one click: this or last month, quarter, year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Period {
    ThisMonth,
    #[default]
    LastMonth,
    ThisQuarter,
    LastQuarter,
    ThisYear,
    Custom,
}

impl Period {
    pub const ALL: [Period; 6] = [
        Period::ThisMonth,
        Period::LastMonth,
        Period::ThisQuarter,
        Period::LastQuarter,
        Period::ThisYear,
        Period::Custom,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Period::ThisMonth => lang.pick("Этот месяц", "This month"),
            Period::LastMonth => lang.pick("Прошлый месяц", "Last month"),
            Period::ThisQuarter => lang.pick("Этот квартал", "This quarter"),
            Period::LastQuarter => lang.pick("Прошлый квартал", "Last quarter"),
            Period::ThisYear => lang.pick("Этот год", "This year"),
            Period::Custom => lang.pick("Другой период", "Custom"),
        }
    }

    /// The first and last day of the period around `today`; None for Custom.
    pub fn bounds(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        use chrono::{Datelike, Months};
        let month_start = today.with_day(1)?;
        let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?;
        let span = |start: NaiveDate, months: u32| Some(domain::months_from(start, months));
        match self {
            Period::ThisMonth => span(month_start, 1),
            Period::LastMonth => span(month_start.checked_sub_months(Months::new(1))?, 1),
            Period::ThisQuarter => span(quarter_start, 3),
            Period::LastQuarter => span(quarter_start.checked_sub_months(Months::new(3))?, 3),
            Period::ThisYear => span(NaiveDate::from_ymd_opt(today.year(), 1, 1)?, 12),
            Period::Custom => None,
        }
    }
}

/// A filter's period fields, «с … по …» with a calendar each, and a «Период ▾» menu of the
/// Statements page's presets (and «весь период», which clears both).
pub fn period_filter(
    ui: &mut Ui,
    from: &mut String,
    to: &mut String,
    today: NaiveDate,
    lang: Lang,
) {
    ui.menu_button(lang.pick("Период ▾", "Period ▾"), |ui| {
        for p in Period::ALL {
            if let Some((start, end)) = p.bounds(today)
                && ui.button(p.name(lang)).clicked()
            {
                *from = date(start, lang);
                *to = date(end, lang);
                ui.close();
            }
        }
        ui.separator();
        if ui.button(lang.pick("Весь период", "All time")).clicked() {
            from.clear();
            to.clear();
            ui.close();
        }
    });
    period_fields(ui, from, to, today, lang);
}

/// A period's «с … по …» fields, each with its calendar: each field stays with its label
/// and calendar, and the two go onto two lines where one is too narrow for them.
pub fn period_fields(
    ui: &mut Ui,
    from: &mut String,
    to: &mut String,
    today: NaiveDate,
    lang: Lang,
) {
    for (text, name) in [(from, lang.pick("с", "from")), (to, lang.pick("по", "to"))] {
        ui.horizontal(|ui| {
            let label = ui.label(name);
            let r = date_edit(ui, text, 90.0, lang).labelled_by(label.id);
            if let Err(e) = parse_date_field(text) {
                r.on_hover_text(e.text(lang));
            }
            calendar_button(ui, text, today, lang);
        });
    }
}
