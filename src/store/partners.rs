//! Partners, their status history and the evidence behind their status.

use super::sql::{Optional as _, Row};
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Tx, now_stamp, parse_inn, partner_id};
use crate::domain::status::CertifiedSpecialist;
use crate::domain::{
    Evidence, Inn, PartnerFacts, PartnerId, Status, StatusChange, StatusHistory, TextField,
};

/// A partner as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerRow {
    pub id: PartnerId,
    pub inn: Inn,
    pub name: String,
    pub one_c_partner: bool,
}

/// Everything recorded about one partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerRecord {
    pub id: PartnerId,
    pub facts: PartnerFacts,
    pub evidence: Evidence,
    /// Status changes with their notes, when and by whom they were recorded, in entry order.
    pub changes: Vec<StatusRecord>,
    /// Its requisites, contract and VAT (empty until entered).
    pub requisites: crate::domain::Requisites,
}

/// A status change as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRecord {
    pub change: StatusChange,
    pub note: String,
    /// When, as stored (RFC 3339).
    pub recorded_at: String,
    /// The login that recorded it; empty for what was recorded before the program kept it.
    pub recorded_by: String,
}

fn partner_row(r: &Row<'_>) -> Result<(i64, String, String, bool), StoreError> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn status_from(code: Option<String>) -> Result<Option<Status>, StoreError> {
    code.map(|c| {
        Status::parse(&c).ok_or(StoreError::UnknownValue {
            what: super::Stored::Status,
            column: "status_changes.status",
            value: c,
        })
    })
    .transpose()
}

impl Db<'_> {
    pub fn partner_by_inn(&self, inn: &Inn) -> Result<Option<PartnerId>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM partners WHERE inn = ?1")?
            .query_row([inn.as_str()], |r| r.get(0))
            .optional()?
            .map(partner_id))
    }

    /// Every partner, by name.
    pub fn partners(&self) -> Result<Vec<PartnerRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, inn, name, one_c_partner FROM partners ORDER BY name COLLATE NOCASE, id",
        )?;
        let rows = stmt.query_map((), partner_row)?;
        rows.map(|row| {
            let (id, inn, name, one_c_partner) = row?;
            Ok(PartnerRow {
                id: PartnerId(id),
                inn: parse_inn(inn, "partners.inn")?,
                name,
                one_c_partner,
            })
        })
        .collect()
    }

    /// `ООО «Ромашка» (ИНН 7707083893)`: how messages name a partner.
    pub fn partner_label(&self, id: PartnerId) -> Result<String, StoreError> {
        let (_, inn, name, _) = self
            .conn
            .prepare_cached("SELECT id, inn, name, one_c_partner FROM partners WHERE id = ?1")?
            .query_row([id.0], partner_row)?;
        Ok(format!("{name} ({inn})"))
    }

    /// What the premium rules need to know about the partner.
    pub fn partner_facts(&self, id: PartnerId) -> Result<PartnerFacts, StoreError> {
        if let Some(facts) = self.cache.borrow().facts.get(&id) {
            return Ok(facts.clone());
        }
        let facts = self.read_partner_facts(id)?;
        self.cache.borrow_mut().facts.insert(id, facts.clone());
        Ok(facts)
    }

    fn read_partner_facts(&self, id: PartnerId) -> Result<PartnerFacts, StoreError> {
        // The partner and its status history in one query (on a server each query is a
        // round trip): a row per status change, or one row of nulls when there is none.
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.inn, p.name, p.one_c_partner, s.effective_from, s.status
             FROM partners p LEFT JOIN status_changes s ON s.partner_id = p.id
             WHERE p.id = ?1 ORDER BY s.id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<bool>(2)?,
                r.get::<Option<NaiveDate>>(3)?,
                r.get::<Option<String>>(4)?,
            ))
        })?;
        let mut partner = None;
        let mut changes = Vec::new();
        for row in rows {
            // A status change always has its date: none means no change at all.
            let (inn, name, one_c_partner, effective_from, status) = row?;
            if let Some(effective_from) = effective_from {
                changes.push(StatusChange {
                    effective_from,
                    status: status_from(status)?,
                });
            }
            partner.get_or_insert((inn, name, one_c_partner));
        }
        let (inn, name, one_c_partner) = partner.ok_or_else(super::sql::no_row)?;
        Ok(PartnerFacts {
            inn: parse_inn(inn, "partners.inn")?,
            name,
            one_c_partner,
            history: StatusHistory::new(changes),
        })
    }

    fn status_changes(&self, id: PartnerId) -> Result<Vec<StatusRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT effective_from, status, note, recorded_at, recorded_by FROM status_changes
             WHERE partner_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok((
                r.get::<NaiveDate>(0)?,
                r.get::<Option<String>>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        rows.map(|row| {
            let (effective_from, status, note, recorded_at, recorded_by) = row?;
            Ok(StatusRecord {
                change: StatusChange {
                    effective_from,
                    status: status_from(status)?,
                },
                note,
                recorded_at,
                recorded_by,
            })
        })
        .collect()
    }

    /// Everything about one partner: facts, evidence, status history with notes.
    pub fn partner(&self, id: PartnerId) -> Result<PartnerRecord, StoreError> {
        let facts = self.partner_facts(id)?;
        let (
            site_page_url,
            site_checked_on,
            initiates_meetings,
            offers_upgrades,
            clients_use_service,
            requisites,
        ) = self.conn.query_row(
            &format!(
                "SELECT p.site_page_url, p.site_checked_on, p.initiates_meetings,
                        p.offers_upgrades, p.clients_use_service, {}
                 FROM partners p LEFT JOIN partner_requisites r ON r.partner_id = p.id
                 WHERE p.id = ?1",
                super::requisites::partner_columns()
            ),
            [id.0],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    super::requisites::partner_requisites_at(r, 5)?,
                ))
            },
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, certified_on FROM specialists WHERE partner_id = ?1 ORDER BY id",
        )?;
        let specialists = stmt
            .query_map([id.0], |r| {
                Ok(CertifiedSpecialist {
                    name: r.get(0)?,
                    certified_on: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PartnerRecord {
            id,
            facts,
            evidence: Evidence {
                site_page_url,
                site_checked_on,
                specialists,
                initiates_meetings,
                offers_upgrades,
                clients_use_service,
            },
            changes: self.status_changes(id)?,
            requisites,
        })
    }
}

impl Tx<'_> {
    /// Adds a partner. Its INN must be new.
    pub fn add_partner(
        &self,
        inn: &Inn,
        name: &str,
        one_c_partner: bool,
    ) -> Result<PartnerId, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RuleError::EmptyName.into());
        }
        RuleError::check_text(TextField::PartnerName, name)?;
        if self.partner_by_inn(inn)?.is_some() {
            return Err(RuleError::PartnerExists { inn: *inn }.into());
        }
        let id = self
            .conn
            .prepare_cached(
                "INSERT INTO partners (inn, name, one_c_partner, created_at) VALUES (?1, ?2, ?3, ?4)
                 RETURNING id",
            )?
            .query_row((inn.as_str(), name, one_c_partner, now_stamp()), |r| {
                r.get(0)
            })?;
        Ok(PartnerId(id))
    }

    /// Changes a partner's name and 1C-partner flag.
    pub fn update_partner(
        &self,
        id: PartnerId,
        name: &str,
        one_c_partner: bool,
    ) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RuleError::EmptyName.into());
        }
        RuleError::check_text(TextField::PartnerName, name)?;
        let flag_changed = self.partner_facts(id)?.one_c_partner != one_c_partner;
        self.forget();
        self.conn
            .prepare_cached("UPDATE partners SET name = ?2, one_c_partner = ?3 WHERE id = ?1")?
            .execute((id.0, name, one_c_partner))?;
        if flag_changed {
            self.refigure(Some(id), None)?;
        }
        Ok(())
    }

    /// Adds a status change effective from a date; history is never rewritten.
    pub fn add_status_change(
        &self,
        id: PartnerId,
        effective_from: NaiveDate,
        status: Option<Status>,
        note: &str,
    ) -> Result<(), StoreError> {
        RuleError::check_text(TextField::Note, note)?;
        self.conn
            .prepare_cached(
                "INSERT INTO status_changes (partner_id, effective_from, status, note, recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute((
                id.0,
                effective_from,
                status.map(Status::code),
                note.trim(),
                now_stamp(),
                self.who(),
            ))?;
        self.forget();
        self.refigure(Some(id), Some(effective_from))?;
        Ok(())
    }

    /// Replaces the recorded evidence of a partner's status requirements.
    pub fn set_evidence(&self, id: PartnerId, evidence: &Evidence) -> Result<(), StoreError> {
        RuleError::check_text(TextField::Page, &evidence.site_page_url)?;
        for s in &evidence.specialists {
            RuleError::check_text(TextField::PersonName, &s.name)?;
        }
        self.conn.execute(
            "UPDATE partners SET site_page_url = ?2, site_checked_on = ?3, initiates_meetings = ?4,
                    offers_upgrades = ?5, clients_use_service = ?6 WHERE id = ?1",
            (
                id.0,
                evidence.site_page_url.trim(),
                evidence.site_checked_on,
                evidence.initiates_meetings,
                evidence.offers_upgrades,
                evidence.clients_use_service,
            ),
        )?;
        self.conn
            .execute("DELETE FROM specialists WHERE partner_id = ?1", [id.0])?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO specialists (partner_id, name, certified_on) VALUES (?1, ?2, ?3)",
        )?;
        for s in &evidence.specialists {
            insert.execute((id.0, s.name.trim(), s.certified_on))?;
        }
        Ok(())
    }
}

impl Db<'_> {
    /// For every partner: clients pinned to it on `today`, and the sum of premiums of its
    /// sales and returns dated in `[from, today]`.
    pub fn partner_activity(
        &self,
        today: NaiveDate,
        from: NaiveDate,
    ) -> Result<std::collections::HashMap<PartnerId, (i64, crate::domain::Money)>, StoreError> {
        let mut out = std::collections::HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT partner_id, count(DISTINCT client_inn) FROM pins
             WHERE pinned_on <= ?1 AND ends_on > ?1 GROUP BY partner_id",
        )?;
        for row in stmt.query_map([today], |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)))? {
            let (id, n) = row?;
            out.entry(PartnerId(id))
                .or_insert((0, crate::domain::Money::ZERO))
                .0 = n;
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT partner_id, sum(premium_kop) FROM sales WHERE date BETWEEN ?1 AND ?2 GROUP BY partner_id",
        )?;
        for row in stmt.query_map((from, today), |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)))? {
            let (id, kop) = row?;
            out.entry(PartnerId(id))
                .or_insert((0, crate::domain::Money::ZERO))
                .1 = crate::domain::Money::from_kopecks(kop);
        }
        Ok(out)
    }
}
