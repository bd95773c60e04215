//! The Sales page's table: its columns, a sale's or return's cells, its rows read a page
//! at a time, and the list exported as the table shows it.

use super::*;

/// The Sales table's name, under which its columns are remembered.
const TABLE: &str = "sales-table";

/// The exported list's columns the table's columns show, in the table's order.
const SCREEN: [SalesColumn; 9] = [
    SalesColumn::Date,
    SalesColumn::Partner,
    SalesColumn::Client,
    SalesColumn::Kind,
    SalesColumn::Amount,
    SalesColumn::Terms,
    SalesColumn::Rate,
    SalesColumn::Premium,
    SalesColumn::Reason,
];

/// The table's columns, in the order of [`SCREEN`].
fn columns(lang: Lang) -> [ui::Col<SalesSort>; 9] {
    [
        ui::Col::new(lang.pick("Дата", "Date"), 85.0).sort(SalesSort::Date),
        ui::Col::new(lang.pick("Партнёр", "Partner"), 140.0).sort(SalesSort::Partner),
        ui::Col::new(lang.pick("Клиент", "Client"), 0.0).sort(SalesSort::Client),
        ui::Col::new(lang.pick("Вид", "Kind"), 135.0).sort(SalesSort::Kind),
        ui::Col::new(lang.pick("Сумма", "Amount"), 115.0)
            .right()
            .sort(SalesSort::Amount),
        ui::Col::new(lang.pick("Условия", "Terms"), 105.0),
        ui::Col::new(lang.pick("Ставка", "Rate"), 55.0).right(),
        ui::Col::new(lang.pick("Премия", "Premium"), 110.0)
            .right()
            .sort(SalesSort::Premium),
        ui::Col::new(lang.pick("Причина нулевой премии", "Why zero"), 170.0),
    ]
}

/// A sale's or return's value in column `col` of [`columns`].
fn sale_cell(r: &SaleListRow, col: usize, lang: Lang) -> ui::Cell {
    match col {
        0 => Value::Date(r.date).into(),
        1 => Value::text(&r.partner_name).into(),
        2 if r.client_name.is_empty() => Value::Code(r.client_inn.clone()).into(),
        2 => ui::Cell::from(Value::text(&r.client_name)).tip(&r.client_inn),
        // A return says so in words, not only by its colour and sign.
        3 if r.return_of.is_some() => ui::Cell::from(Value::Text(format!(
            "{} · {}",
            lang.pick("Возврат", "Return"),
            r.kind.short_name(lang)
        )))
        .tip(r.kind.name(lang)),
        3 => ui::Cell::from(Value::text(r.kind.short_name(lang))).tip(r.kind.name(lang)),
        4 if r.return_of.is_some() => {
            let of = r.return_of.as_deref().unwrap_or_default();
            ui::Cell::from(Value::Money(r.amount))
                .warn()
                .tip(format!("{} {of}", lang.pick("Возврат по", "Return of")))
        }
        4 => Value::Money(r.amount).into(),
        5 => Value::Text(terms_name(r.terms(), r.one_c_terms, lang)).into(),
        6 => r.rate.map_or(Value::Empty, Value::Rate).into(),
        7 => Value::Money(r.premium).into(),
        _ => r
            .reason
            .map_or(Value::Empty, |reason| Value::text(reason.text(lang)))
            .into(),
    }
}

/// The table of `count` sales and returns, their rows read a page at a time: the list
/// exported when asked (from the toolbar's `export` or the table's menu); a row clicked
/// opens it.
pub(super) fn table_ui(
    ui: &mut Ui,
    page: &mut SalesPage,
    count: usize,
    export: Option<ListFormat>,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    let mut sort = page.query.sort;
    let mut descending = page.query.descending;
    let cols = columns(lang);
    let view = page.query.clone();
    // The records the rows are, once the selection's ids are read: the highlight and the
    // row open beside the list follow them when the list is read again.
    // (The ids are lent to the table for the frame: the rows' cells read the pages only.)
    let query = &page.query;
    let ids = page
        .cache
        .as_mut()
        .filter(|c| c.query == *query)
        .map(|c| (c.version, std::mem::take(&mut c.ids)));
    let opened = match page.mode {
        Mode::Selected(id) => Some(id.0),
        _ => None,
    };
    let lent = ids.is_some();
    let (data, ids) = ids.unwrap_or_default();
    let id_of = |i: usize| ids.get(i).copied();
    let row_of = |id: i64| ids.iter().position(|&x| x == id);
    let mut rows: HashMap<usize, Option<SaleListRow>> = HashMap::new();
    let cell = |i: usize, col: usize| -> ui::Cell {
        let row = rows.entry(i).or_insert_with(|| page.row(i).cloned());
        row.as_ref()
            .map_or_else(ui::Cell::pending, |r| sale_cell(r, col, lang))
    };
    let table = ui::Table::new(TABLE, &cols, count, lang)
        .view(&view)
        .sort(&mut sort, &mut descending);
    let table = match lent {
        false => table,
        true => table.records(ui::Records {
            data,
            id_of: &id_of,
            row_of: &row_of,
        }),
    };
    let out = table
        .opened(|i| opened.is_some() && id_of(i) == opened)
        .show(ui, cell);
    if let Some(cache) = page.cache.as_mut().filter(|_| lent) {
        cache.ids = ids;
    }
    let clicked = out
        .opened
        .and_then(|i| rows.get(&i).cloned().flatten())
        .map(|r| r.id);
    if let Some(format) = out.export.or(export) {
        command = Some(export_command(ui, page, &cols, format));
    }
    page.query.sort = sort;
    page.query.descending = descending;
    if let Some(id) = clicked {
        page.mode = Mode::Selected(id);
        page.ret = ReturnDraft {
            date: ui::date(ctx.today, lang),
            ..ReturnDraft::default()
        };
    }
    command
}

/// The list exported as the table shows it: the page's columns shown, with the document
/// and the client's INN beside them.
fn export_command(
    ui: &Ui,
    page: &SalesPage,
    cols: &[ui::Col<SalesSort>],
    format: ListFormat,
) -> Command {
    let shown = ui::shown_columns(ui.ctx(), TABLE, cols);
    let columns = SalesColumn::ALL
        .into_iter()
        .filter(|c| match SCREEN.iter().position(|s| s == c) {
            Some(at) => shown.contains(&at),
            None => true,
        })
        .collect();
    Command::ExportSalesList(SalesListExport {
        query: page.query.clone(),
        columns,
        format,
    })
}
