//! Every table's columns, written once. The lists that move whole rows (`copy` between a
//! file and a team database, a load's sales written many at a time, a sale put in the place
//! of another) are derived from here, and `tests/parity.rs` holds both engines' real schemas
//! against it: a column added to a table is added here, and a list that would miss it
//! cannot.

/// A column of a table, and which engine has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub on: On,
}

/// Which engine has a table or a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    Both,
    /// Only the file (a file's own bookkeeping).
    File,
    /// Only the team database (what the file has as SQLite's rowid, or the server's own
    /// bookkeeping).
    Server,
}

/// A table: its columns, in the order the team database has them, and whether `copy`
/// moves its rows (in the order of [`TABLES`]: every table after those it refers to, the
/// sales before the statements that lock their periods).
#[derive(Clone, Copy, Debug)]
pub struct Table {
    pub name: &'static str,
    pub on: On,
    pub columns: &'static [Column],
    pub copied: bool,
}

const fn both(name: &'static str) -> Column {
    Column { name, on: On::Both }
}

const fn server(name: &'static str) -> Column {
    Column {
        name,
        on: On::Server,
    }
}

const fn table(name: &'static str, columns: &'static [Column]) -> Table {
    Table {
        name,
        on: On::Both,
        columns,
        copied: true,
    }
}

/// A sale's (or a return's) stored columns, by name: what a write of whole sales binds,
/// one value each (see `CheckedSale::value`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleColumn {
    Id,
    Doc,
    Date,
    PartnerId,
    ClientInn,
    Kind,
    AmountKop,
    SelfReferred,
    ConnectedByPartner,
    UsedInWork,
    ReturnOf,
    RecordedAt,
    RecordedBy,
    PremiumKop,
    RatePct,
    Reason,
    Status,
    OneCTerms,
}

impl SaleColumn {
    /// Every column of `sales`, in the team database's order.
    pub const ALL: [SaleColumn; 18] = [
        SaleColumn::Id,
        SaleColumn::Doc,
        SaleColumn::Date,
        SaleColumn::PartnerId,
        SaleColumn::ClientInn,
        SaleColumn::Kind,
        SaleColumn::AmountKop,
        SaleColumn::SelfReferred,
        SaleColumn::ConnectedByPartner,
        SaleColumn::UsedInWork,
        SaleColumn::ReturnOf,
        SaleColumn::RecordedAt,
        SaleColumn::RecordedBy,
        SaleColumn::PremiumKop,
        SaleColumn::RatePct,
        SaleColumn::Reason,
        SaleColumn::Status,
        SaleColumn::OneCTerms,
    ];

    /// Its name in both schemas.
    pub const fn name(self) -> &'static str {
        match self {
            SaleColumn::Id => "id",
            SaleColumn::Doc => "doc",
            SaleColumn::Date => "date",
            SaleColumn::PartnerId => "partner_id",
            SaleColumn::ClientInn => "client_inn",
            SaleColumn::Kind => "kind",
            SaleColumn::AmountKop => "amount_kop",
            SaleColumn::SelfReferred => "self_referred",
            SaleColumn::ConnectedByPartner => "connected_by_partner",
            SaleColumn::UsedInWork => "used_in_work",
            SaleColumn::ReturnOf => "return_of",
            SaleColumn::RecordedAt => "recorded_at",
            SaleColumn::RecordedBy => "recorded_by",
            SaleColumn::PremiumKop => "premium_kop",
            SaleColumn::RatePct => "rate_pct",
            SaleColumn::Reason => "reason",
            SaleColumn::Status => "status",
            SaleColumn::OneCTerms => "one_c_terms",
        }
    }

    /// The columns a new sale is written with (all but its id and `return_of`: a sale
    /// returns nothing), in order.
    pub fn written() -> impl Iterator<Item = SaleColumn> {
        SaleColumn::ALL
            .into_iter()
            .filter(|c| !matches!(c, SaleColumn::Id | SaleColumn::ReturnOf))
    }

    /// The columns a correction puts in the place of a sale's: those written, but who
    /// recorded it and when, which stay.
    pub fn replaced() -> impl Iterator<Item = SaleColumn> {
        SaleColumn::written()
            .filter(|c| !matches!(c, SaleColumn::RecordedAt | SaleColumn::RecordedBy))
    }
}

/// The columns of `sales`, as [`SaleColumn::ALL`] names them.
const SALES: [Column; 18] = {
    let mut columns = [both("id"); 18];
    let mut i = 0;
    while i < 18 {
        columns[i] = both(SaleColumn::ALL[i].name());
        i += 1;
    }
    columns
};

/// Every table of both schemas, in the order `copy` moves them.
pub const TABLES: [Table; 25] = [
    table(
        "partners",
        &[
            both("id"),
            both("inn"),
            both("name"),
            both("one_c_partner"),
            both("site_page_url"),
            both("site_checked_on"),
            both("initiates_meetings"),
            both("offers_upgrades"),
            both("clients_use_service"),
            both("created_at"),
        ],
    ),
    table(
        "organisation",
        &[
            both("id"),
            both("full_name"),
            both("inn"),
            both("kpp"),
            both("ogrn"),
            both("address"),
            both("bank_name"),
            both("bik"),
            both("account"),
            both("corr_account"),
            both("signer_position"),
            both("signer_name"),
            both("accountant"),
        ],
    ),
    table(
        "partner_requisites",
        &[
            both("id"),
            both("partner_id"),
            both("full_name"),
            both("kpp"),
            both("ogrn"),
            both("address"),
            both("bank_name"),
            both("bik"),
            both("account"),
            both("corr_account"),
            both("signer_position"),
            both("signer_name"),
            both("accountant"),
            both("contract_no"),
            both("contract_date"),
            both("vat"),
        ],
    ),
    table(
        "specialists",
        &[
            both("id"),
            both("partner_id"),
            both("name"),
            both("certified_on"),
        ],
    ),
    table(
        "status_changes",
        &[
            both("id"),
            both("partner_id"),
            both("effective_from"),
            both("status"),
            both("note"),
            both("recorded_at"),
            both("recorded_by"),
        ],
    ),
    // The file orders clients by its rowid.
    table("clients", &[server("id"), both("inn"), both("name")]),
    table(
        "pins",
        &[
            both("id"),
            both("client_inn"),
            both("partner_id"),
            both("pinned_on"),
            both("ends_on"),
            both("released_on"),
        ],
    ),
    table(
        "pin_events",
        &[
            both("id"),
            both("pin_id"),
            both("client_inn"),
            both("partner_id"),
            both("event"),
            both("on_date"),
            both("ends_on"),
            both("holder_partner_id"),
            both("agreed_by"),
            both("note"),
            both("recorded_at"),
            both("recorded_by"),
        ],
    ),
    table(
        "pin_corrections",
        &[
            both("id"),
            both("pin_event_id"),
            both("corrected_at"),
            both("corrected_by"),
            both("reason"),
        ],
    ),
    table(
        "rate_versions",
        &[
            both("id"),
            both("effective_from"),
            both("note"),
            both("recorded_at"),
            both("recorded_by"),
        ],
    ),
    table(
        "rate_cells",
        &[
            both("version_id"),
            both("kind"),
            both("status"),
            both("rate_pct"),
        ],
    ),
    table("sales", &SALES),
    table(
        "sale_corrections",
        &[
            both("id"),
            both("sale_id"),
            both("corrected_at"),
            both("corrected_by"),
            both("action"),
            both("before"),
            both("after"),
        ],
    ),
    table(
        "issued_statements",
        &[
            both("id"),
            both("number"),
            both("partner_id"),
            both("period_from"),
            both("period_to"),
            both("issued_on"),
            both("json"),
            both("sha256"),
            both("lines"),
            both("amount_kop"),
            both("premium_kop"),
            both("reopened_on"),
            both("reopen_reason"),
            both("recorded_at"),
            both("issued_by"),
        ],
    ),
    table(
        "payments",
        &[
            both("id"),
            both("statement_id"),
            both("on_date"),
            both("amount_kop"),
            both("doc"),
            both("source"),
            both("bank_ref"),
            both("cancels"),
            both("recorded_at"),
            both("recorded_by"),
        ],
    ),
    table(
        "statement_events",
        &[
            both("id"),
            both("statement_id"),
            both("event"),
            both("on_date"),
            both("reason"),
            both("recorded_at"),
            both("recorded_by"),
        ],
    ),
    table(
        "imports",
        &[
            both("id"),
            both("kind"),
            both("file"),
            both("imported_at"),
            both("imported_by"),
            both("change_seq"),
            both("high_water"),
            both("summary"),
            both("undone_at"),
        ],
    ),
    table(
        "import_layouts",
        &[
            both("layout"),
            both("kind"),
            both("columns"),
            both("saved_at"),
        ],
    ),
    // Bookkeeping: counted writes, the undo log of the last import (an import is undone
    // where it was made), the turn, the schema's mark. Not copied.
    Table {
        copied: false,
        ..table("changes", &[both("id"), both("seq")])
    },
    Table {
        on: On::File,
        copied: false,
        ..table(
            "import_undo",
            &[
                Column {
                    name: "import_id",
                    on: On::File,
                },
                Column {
                    name: "seq",
                    on: On::File,
                },
                Column {
                    name: "statement",
                    on: On::File,
                },
            ],
        )
    },
    Table {
        on: On::File,
        copied: false,
        ..table(
            "undo_gate",
            &[Column {
                name: "import_id",
                on: On::File,
            }],
        )
    },
    Table {
        on: On::Server,
        copied: false,
        ..table(
            "import_undo",
            &[
                server("seq"),
                server("import_id"),
                server("tbl"),
                server("old"),
            ],
        )
    },
    Table {
        on: On::Server,
        copied: false,
        ..table("write_turn", &[server("id")])
    },
    Table {
        on: On::Server,
        copied: false,
        ..table("client_turns", &[server("slot")])
    },
    Table {
        on: On::Server,
        copied: false,
        ..table("meta", &[server("key"), server("value")])
    },
];

/// The tables `copy` moves, in an order that keeps every reference and rule (sales before
/// the statements that lock their periods: the server's lock refuses a sale inside one),
/// each with the columns both schemas have. The undo log of the last import stays behind:
/// an import is undone where it was made.
pub fn copied() -> impl Iterator<Item = (&'static str, String)> {
    TABLES
        .iter()
        .filter(|t| t.copied)
        .map(|t| (t.name, t.shared()))
}

/// The kind of text a copied column holds, checked as the program checks it before any
/// write (`domain::text`); every other text column is checked for NUL, which a server
/// cannot store.
pub fn text_field(table: &str, column: &str) -> Option<crate::domain::TextField> {
    use crate::domain::TextField::*;
    Some(match (table, column) {
        ("partners", "name") => PartnerName,
        ("partners", "site_page_url") => Page,
        ("specialists", "name") | ("pin_events", "agreed_by") => PersonName,
        ("clients", "name") => ClientName,
        ("sales", "doc") => Doc,
        ("status_changes" | "pin_events" | "rate_versions", "note") => Note,
        ("pin_corrections" | "statement_events", "reason") => Reason,
        ("issued_statements", "reopen_reason") => Reason,
        _ => return None,
    })
}

impl Table {
    /// Its columns that both engines have, joined by commas: what `copy` moves.
    pub fn shared(&self) -> String {
        self.columns
            .iter()
            .filter(|c| c.on == On::Both)
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The names of its columns on a file (`server` false) or a team database.
    pub fn names_on(&self, server: bool) -> Vec<&'static str> {
        let here = if server { On::Server } else { On::File };
        self.columns
            .iter()
            .filter(|c| c.on == On::Both || c.on == here)
            .map(|c| c.name)
            .collect()
    }

    /// Whether the engine (`server` or the file) has this table.
    pub fn is_on(&self, server: bool) -> bool {
        self.on == On::Both || self.on == if server { On::Server } else { On::File }
    }
}

/// Names joined by commas, for a statement.
pub fn joined(columns: impl Iterator<Item = SaleColumn>) -> String {
    columns.map(SaleColumn::name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sales_table_is_its_columns_by_name() {
        let sales = TABLES.iter().find(|t| t.name == "sales").map(Table::shared);
        assert_eq!(
            sales.as_deref(),
            Some(joined(SaleColumn::ALL.into_iter()).as_str())
        );
        assert_eq!(SaleColumn::written().count(), 16);
        assert_eq!(SaleColumn::replaced().count(), 14);
    }
}
