//! Premiums by month as a stacked bar chart, one colour per license kind. Hovering a bar
//! says the month, the kind and the sum; clicking a month asks for its sales.

use chrono::{Datelike, Months, NaiveDate};
use egui::{Color32, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot};

use crate::domain::lang::Lang;
use crate::domain::{LicenseKind, Money, PartnerId};
use crate::store::{Db, MonthPremiums, StoreError};

/// Premiums of the last 24 calendar months up to the month of `today`, oldest first; months
/// without sales are there with nothing in them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthSeries {
    pub months: Vec<(NaiveDate, MonthPremiums)>,
}

impl MonthSeries {
    pub fn load(
        db: &Db<'_>,
        partner: Option<PartnerId>,
        today: NaiveDate,
    ) -> Result<MonthSeries, StoreError> {
        let this_month = today.with_day(1).unwrap_or(today);
        let first = this_month
            .checked_sub_months(Months::new(23))
            .unwrap_or(this_month);
        let (first, last) = crate::domain::months_from(first, 24);
        let mut sums = db.premiums_by_month(partner, first, last)?;
        let months = (0..24)
            .filter_map(|i| first.checked_add_months(Months::new(i)))
            .map(|m| {
                let key = m.format("%Y-%m").to_string();
                (m, sums.remove(&key).unwrap_or_default())
            })
            .collect();
        Ok(MonthSeries { months })
    }

    pub fn total(&self) -> Money {
        self.months
            .iter()
            .flat_map(|(_, kinds)| kinds.values().copied())
            .sum()
    }
}

fn color(kind: LicenseKind) -> Color32 {
    match kind {
        LicenseKind::Its => Color32::from_rgb(0x4e, 0x79, 0xa7),
        LicenseKind::Saas => Color32::from_rgb(0xf2, 0x8e, 0x2b),
        LicenseKind::OnpremServer => Color32::from_rgb(0x59, 0xa1, 0x4f),
        LicenseKind::OnpremUser => Color32::from_rgb(0xb0, 0x7a, 0xa1),
        LicenseKind::DevServices => Color32::from_rgb(0x76, 0xb7, 0xb2),
        LicenseKind::VideoCalls => Color32::from_rgb(0xed, 0xc9, 0x48),
    }
}

/// A mark of the money axis, in whole rubles grouped as the language writes money:
/// `200 000 ₽`, `200,000 ₽`. (The plot's geometry is in floats; no money is computed here.)
fn axis_rubles(value: f64, lang: Lang) -> String {
    let rubles = Money::from_kopecks((value.round() as i64).saturating_mul(100)).display(lang);
    let decimal = if lang == Lang::Ru { ',' } else { '.' };
    match rubles.rsplit_once(decimal) {
        Some((whole, _)) => format!("{whole}\u{a0}₽"),
        None => rubles,
    }
}

/// Month names for the axis: `янв 25`.
fn month_label(m: NaiveDate, lang: Lang) -> String {
    const RU: [&str; 12] = [
        "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let names = if lang == Lang::Ru { RU } else { EN };
    format!("{} {:02}", names[m.month0() as usize], m.year() % 100)
}

/// Rubles as a plot height. Only for drawing: sums are exact everywhere else.
fn height(m: Money) -> f64 {
    m.decimal().to_string().parse().unwrap_or(0.0)
}

/// Draws the chart; returns the first day of the month clicked, if any.
pub fn premium_chart_ui(
    ui: &mut Ui,
    id: &str,
    series: &MonthSeries,
    lang: Lang,
    height_px: f32,
) -> Option<NaiveDate> {
    let mut charts: Vec<BarChart> = Vec::new();
    for kind in LicenseKind::ALL {
        let bars: Vec<Bar> = series
            .months
            .iter()
            .enumerate()
            .map(|(i, (month, kinds))| {
                let sum = kinds.get(&kind).copied().unwrap_or(Money::ZERO);
                Bar::new(i as f64, height(sum)).width(0.7).name(format!(
                    "{} · {} · {}",
                    month_label(*month, lang),
                    kind.short_name(lang),
                    sum.display(lang)
                ))
            })
            .collect();
        let chart = BarChart::new(kind.short_name(lang), bars)
            .color(color(kind))
            .element_formatter(Box::new(|bar, _| bar.name.clone()));
        let chart = {
            let below: Vec<&BarChart> = charts.iter().collect();
            chart.stack_on(&below)
        };
        charts.push(chart);
    }
    let labels: Vec<String> = series
        .months
        .iter()
        .map(|(m, _)| month_label(*m, lang))
        .collect();
    let mut plot = Plot::new(id).height(height_px);
    // A small chart has no room for a legend; its bars still name their kind on hover.
    if height_px >= 200.0 {
        plot = plot.legend(Legend::default().position(egui_plot::Corner::LeftTop));
    }
    let response = plot
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([false, true])
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_formatter(move |mark, _| axis_rubles(mark.value, lang))
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
            plot.pointer_coordinate()
        });
    let pointer = response.inner?;
    if !response.response.clicked() {
        return None;
    }
    let index = pointer.x.round();
    (index >= 0.0)
        .then(|| series.months.get(index as usize).map(|(m, _)| *m))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_money_axis_says_whole_rubles_as_the_language_writes_money() {
        assert_eq!(axis_rubles(200_000.0, Lang::Ru), "200\u{a0}000\u{a0}₽");
        assert_eq!(axis_rubles(200_000.0, Lang::En), "200,000\u{a0}₽");
        assert_eq!(axis_rubles(-5_000.4, Lang::Ru), "-5\u{a0}000\u{a0}₽");
        assert_eq!(axis_rubles(0.0, Lang::En), "0\u{a0}₽");
    }
}
