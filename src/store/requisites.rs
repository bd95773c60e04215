//! Requisites: our organisation's (one row) and each partner's, with its contract and
//! VAT. Each is checked by `domain::requisites` before it is written.

use chrono::NaiveDate;

use super::sql::{Optional as _, Row};
use super::values::Param;
use super::{Db, RuleError, StoreError, Tx};
use crate::domain::requisites::Vat;
use crate::domain::{PartnerId, Requisites};

/// The text columns both tables have, in this order.
const TEXTS: &str = "full_name, kpp, ogrn, address, bank_name, bik, account, corr_account, \
                     signer_position, signer_name, accountant";

fn texts_of(r: &Requisites) -> [&str; 11] {
    [
        &r.full_name,
        &r.kpp,
        &r.ogrn,
        &r.address,
        &r.bank_name,
        &r.bik,
        &r.account,
        &r.corr_account,
        &r.signer_position,
        &r.signer_name,
        &r.accountant,
    ]
}

/// The texts of a row, from column `at` on, in [`TEXTS`]'s order.
fn read_texts(row: &Row<'_>, at: usize, r: &mut Requisites) -> Result<(), StoreError> {
    let fields = [
        &mut r.full_name,
        &mut r.kpp,
        &mut r.ogrn,
        &mut r.address,
        &mut r.bank_name,
        &mut r.bik,
        &mut r.account,
        &mut r.corr_account,
        &mut r.signer_position,
        &mut r.signer_name,
        &mut r.accountant,
    ];
    for (i, field) in fields.into_iter().enumerate() {
        *field = row.get(at + i)?;
    }
    Ok(())
}

/// `col = excluded.col, …` for an upsert of these columns.
fn set_excluded(columns: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn checked(r: &Requisites) -> Result<Requisites, StoreError> {
    r.clone()
        .trimmed()
        .checked()
        .map_err(|e| RuleError::Requisite(Box::new(e)).into())
}

impl Db<'_> {
    /// Our organisation's requisites; empty ones until they are entered.
    pub fn organisation(&self) -> Result<Requisites, StoreError> {
        let sql = format!("SELECT inn, {TEXTS} FROM organisation WHERE id = 1");
        Ok(self
            .conn
            .query_row(&sql, (), |row| {
                let mut r = Requisites {
                    inn: row.get(0)?,
                    ..Requisites::default()
                };
                read_texts(row, 1, &mut r)?;
                Ok(r)
            })
            .optional()?
            .unwrap_or_default())
    }

    /// A partner's requisites; empty ones until they are entered. Their INN is the
    /// partner's.
    pub fn partner_requisites(&self, id: PartnerId) -> Result<Requisites, StoreError> {
        let sql = format!(
            "SELECT {} FROM partners p LEFT JOIN partner_requisites r ON r.partner_id = p.id
             WHERE p.id = ?1",
            partner_columns()
        );
        self.conn
            .query_row(&sql, [id.0], |row| partner_requisites_at(row, 0))
    }
}

/// The columns of a partner's requisites, of `partners p LEFT JOIN partner_requisites r`.
pub(super) fn partner_columns() -> String {
    let texts = TEXTS
        .split(", ")
        .map(|c| format!("coalesce(r.{c}, '')"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("p.inn, r.contract_no, r.contract_date, r.vat, {texts}")
}

/// A partner's requisites from [`partner_columns`], read from column `at` on.
pub(super) fn partner_requisites_at(row: &Row<'_>, at: usize) -> Result<Requisites, StoreError> {
    let vat: Option<String> = row.get(at + 3)?;
    let mut r = Requisites {
        inn: row.get(at)?,
        contract_no: row.get::<Option<String>>(at + 1)?.unwrap_or_default(),
        contract_date: row.get::<Option<NaiveDate>>(at + 2)?,
        vat: stored_vat(vat.as_deref().unwrap_or(""))?,
        ..Requisites::default()
    };
    read_texts(row, at + 4, &mut r)?;
    Ok(r)
}

fn stored_vat(code: &str) -> Result<Option<Vat>, StoreError> {
    Vat::parse(code).map_err(|_| StoreError::UnknownValue {
        what: super::Stored::Vat,
        column: "partner_requisites.vat",
        value: code.to_owned(),
    })
}

impl Tx<'_> {
    /// Replaces our organisation's requisites, each field checked (its INN is required).
    pub fn set_organisation(&self, requisites: &Requisites) -> Result<(), StoreError> {
        let r = checked(requisites)?;
        if r.inn.is_empty() {
            return Err(
                RuleError::Requisite(Box::new(crate::domain::RequisiteError::Missing {
                    field: crate::domain::requisites::Field::Inn,
                }))
                .into(),
            );
        }
        let sql = format!(
            "INSERT INTO organisation (id, inn, {TEXTS})
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (id) DO UPDATE SET inn = excluded.inn, {}",
            set_excluded(TEXTS)
        );
        let texts = texts_of(&r);
        let mut params: Vec<&dyn Param> = vec![&r.inn];
        params.extend(texts.iter().map(|t| t as &dyn Param));
        self.conn.execute(&sql, params)?;
        Ok(())
    }

    /// Replaces a partner's requisites, contract and VAT, each field checked (its INN is
    /// the partner's own and is not written here).
    pub fn set_partner_requisites(
        &self,
        id: PartnerId,
        requisites: &Requisites,
    ) -> Result<(), StoreError> {
        let r = checked(&Requisites {
            inn: String::new(),
            ..requisites.clone()
        })?;
        let columns = format!("{TEXTS}, contract_no, contract_date, vat");
        let sql = format!(
            "INSERT INTO partner_requisites (partner_id, {columns})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
             ON CONFLICT (partner_id) DO UPDATE SET {}",
            set_excluded(&columns)
        );
        let vat = r.vat.map(Vat::code).unwrap_or_default();
        let texts = texts_of(&r);
        let mut params: Vec<&dyn Param> = vec![&id];
        params.extend(texts.iter().map(|t| t as &dyn Param));
        params.extend([&r.contract_no as &dyn Param, &r.contract_date, &vat]);
        self.conn.execute(&sql, params)?;
        Ok(())
    }
}
