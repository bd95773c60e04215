//! The statement as JSON: the contract other programs read (README, "Statement JSON").

use serde_json::{Map, Value, json};

use crate::domain::Statement;
use crate::domain::statement::Sums;

fn sums(s: &Sums) -> Value {
    json!({"amount": s.amount.plain(), "premium": s.premium.plain()})
}

/// The statement as a JSON value, keys in the documented order.
pub fn statement_value(s: &Statement) -> Value {
    serde_json::to_value(Doc(s)).unwrap_or(Value::Null)
}

fn partner(s: &Statement) -> Value {
    json!({
        "inn": s.partner.inn.as_str(),
        "name": s.partner.name,
        "one_c_partner": s.partner.one_c_partner,
        "status": s.partner.status.map(|st| st.code()),
    })
}

fn period(s: &Statement) -> Value {
    json!({"from": s.from.to_string(), "to": s.to.to_string()})
}

fn totals(s: &Statement) -> Value {
    let by_kind: Map<String, Value> = s
        .totals
        .by_kind
        .iter()
        .map(|(kind, sum)| (kind.code().to_owned(), sums(sum)))
        .collect();
    json!({
        "amount": s.totals.overall.amount.plain(),
        "premium": s.totals.overall.premium.plain(),
        "by_kind": by_kind,
    })
}

/// The statement as pretty-printed JSON text with a final newline: the same text as
/// [`statement_value`] pretty-printed, written straight from the statement (no tree of
/// values in between, which a statement of 50 000 lines would wait for).
pub fn statement_json(s: &Statement) -> Vec<u8> {
    let mut out = Vec::with_capacity(512 + s.lines.len() * 512);
    let written = serde_json::to_writer_pretty(&mut out, &Doc(s));
    if written.is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

/// The statement in the shape of [`statement_value`], field by field.
struct Doc<'a>(&'a Statement);

impl serde::Serialize for Doc<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let s = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("partner", &partner(s))?;
        map.serialize_entry("period", &period(s))?;
        map.serialize_entry("lines", &Lines(&s.lines))?;
        map.serialize_entry("totals", &totals(s))?;
        map.serialize_entry("rate_versions", &s.rate_versions)?;
        map.serialize_entry("lines_without_rate", &s.lines_without_rate())?;
        map.serialize_entry("generated_on", &s.generated_on.to_string())?;
        map.serialize_entry("number", &s.number)?;
        // Written by an issued statement only: a preview's JSON is as it always was.
        if let Some(by) = &s.issued_by {
            map.serialize_entry("issued_by", by)?;
        }
        // Written once requisites are entered: what the document shows of both parties.
        if let Some(parties) = &s.parties {
            map.serialize_entry(
                "parties",
                &json!({
                    "ours": requisites_value(&parties.ours),
                    "partner": requisites_value(&parties.partner),
                }),
            )?;
        }
        map.end()
    }
}

/// The keys of a party's requisites in the JSON, and their fields.
const REQUISITE_KEYS: [(&str, crate::domain::requisites::Field); 13] = {
    use crate::domain::requisites::Field::*;
    [
        ("full_name", FullName),
        ("inn", Inn),
        ("kpp", Kpp),
        ("ogrn", Ogrn),
        ("address", Address),
        ("bank_name", BankName),
        ("bik", Bik),
        ("account", Account),
        ("corr_account", CorrAccount),
        ("signer_position", SignerPosition),
        ("signer_name", SignerName),
        ("accountant", Accountant),
        ("contract_no", ContractNo),
    ]
};

fn requisites_value(r: &crate::domain::Requisites) -> Value {
    let mut map: Map<String, Value> = REQUISITE_KEYS
        .iter()
        .map(|(key, field)| ((*key).to_owned(), Value::from(r.text(*field))))
        .collect();
    map.insert(
        "contract_date".into(),
        r.contract_date.map(|d| d.to_string()).into(),
    );
    map.insert(
        "vat".into(),
        r.vat
            .map(crate::domain::Vat::code)
            .unwrap_or_default()
            .into(),
    );
    Value::Object(map)
}

fn parse_requisites(v: &Value) -> Result<crate::domain::Requisites, ParseError> {
    let mut r = crate::domain::Requisites::default();
    for (key, field) in REQUISITE_KEYS {
        if let (Some(to), Some(value)) = (r.text_mut(field), opt_text(v, key)) {
            value.clone_into(to);
        }
    }
    r.contract_date = opt_text(v, "contract_date")
        .map(|t| {
            t.parse()
                .map_err(|_| ParseError(format!("contract_date {t}")))
        })
        .transpose()?;
    let vat = opt_text(v, "vat").unwrap_or("");
    r.vat = crate::domain::Vat::parse(vat).map_err(|_| ParseError(format!("vat {vat}")))?;
    Ok(r)
}

struct Lines<'a>(&'a [crate::domain::statement::Line]);

impl serde::Serialize for Lines<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(LineJson))
    }
}

struct LineJson<'a>(&'a crate::domain::statement::Line);

impl serde::Serialize for LineJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let l = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("date", &l.date.to_string())?;
        map.serialize_entry("doc", &l.doc)?;
        map.serialize_entry("client_inn", l.client_inn.as_str())?;
        map.serialize_entry("client_name", &l.client_name)?;
        map.serialize_entry("kind", l.kind.code())?;
        map.serialize_entry("amount", &l.amount.plain())?;
        map.serialize_entry("status", &l.status.map(|st| st.code()))?;
        map.serialize_entry("terms", &l.terms.map(|st| st.code()))?;
        map.serialize_entry("one_c_terms", &l.one_c_terms)?;
        map.serialize_entry("rate", &l.rate.map(|r| r.to_string()))?;
        map.serialize_entry("premium", &l.premium.plain())?;
        map.serialize_entry("reason", &l.reason.map(|r| r.code()))?;
        map.serialize_entry("return_of", &l.return_of)?;
        if let Some(date) = l.return_of_date {
            map.serialize_entry("return_of_date", &date.to_string())?;
        }
        map.serialize_entry("rate_version", &l.rate_version)?;
        map.end()
    }
}

/// Why a stored statement could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("the stored statement cannot be read: {0}")]
pub struct ParseError(String);

fn field<'v>(v: &'v Value, key: &str) -> Result<&'v Value, ParseError> {
    v.get(key).ok_or_else(|| ParseError(format!("no {key}")))
}

fn text<'v>(v: &'v Value, key: &str) -> Result<&'v str, ParseError> {
    field(v, key)?
        .as_str()
        .ok_or_else(|| ParseError(format!("{key} is not text")))
}

fn opt_text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn date(v: &Value, key: &str) -> Result<chrono::NaiveDate, ParseError> {
    text(v, key)?
        .parse()
        .map_err(|_| ParseError(format!("{key} is not a date")))
}

fn money(v: &Value, key: &str) -> Result<crate::domain::Money, ParseError> {
    let t = text(v, key)?;
    let d: rust_decimal::Decimal = t
        .parse()
        .map_err(|_| ParseError(format!("{key} is not an amount")))?;
    Ok(crate::domain::Money::from_decimal(d))
}

fn status(code: Option<&str>) -> Result<Option<crate::domain::Status>, ParseError> {
    code.map(|c| crate::domain::Status::parse(c).ok_or_else(|| ParseError(format!("status {c}"))))
        .transpose()
}

/// Reads a statement back from its JSON, exactly as it was written (an issued statement is
/// re-exported from what was stored, whatever has changed since).
pub fn parse_statement(bytes: &[u8]) -> Result<Statement, ParseError> {
    use crate::domain::statement::{Line, PartnerHeader, Totals};
    use crate::domain::{Inn, LicenseKind, RatePct, ZeroReason};
    let v: Value = serde_json::from_slice(bytes).map_err(|e| ParseError(e.to_string()))?;
    let p = field(&v, "partner")?;
    let inn = |t: &str| Inn::parse(t).map_err(|_| ParseError(format!("INN {t}")));
    let partner = PartnerHeader {
        inn: inn(text(p, "inn")?)?,
        name: text(p, "name")?.to_owned(),
        one_c_partner: field(p, "one_c_partner")?.as_bool().unwrap_or(false),
        status: status(opt_text(p, "status"))?,
    };
    let period = field(&v, "period")?;
    let mut lines = Vec::new();
    for l in field(&v, "lines")?
        .as_array()
        .ok_or_else(|| ParseError("lines".into()))?
    {
        let kind = text(l, "kind")?;
        lines.push(Line {
            date: date(l, "date")?,
            doc: opt_text(l, "doc").map(str::to_owned),
            client_inn: inn(text(l, "client_inn")?)?,
            client_name: text(l, "client_name")?.to_owned(),
            kind: LicenseKind::parse(kind).ok_or_else(|| ParseError(format!("kind {kind}")))?,
            amount: money(l, "amount")?,
            status: status(opt_text(l, "status"))?,
            terms: status(opt_text(l, "terms"))?,
            one_c_terms: l
                .get("one_c_terms")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            rate: opt_text(l, "rate")
                .map(|r| RatePct::parse(r).map_err(|_| ParseError(format!("rate {r}"))))
                .transpose()?,
            premium: money(l, "premium")?,
            reason: opt_text(l, "reason")
                .map(|r| ZeroReason::parse(r).ok_or_else(|| ParseError(format!("reason {r}"))))
                .transpose()?,
            return_of: opt_text(l, "return_of").map(str::to_owned),
            return_of_date: l
                .get("return_of_date")
                .map(|_| date(l, "return_of_date"))
                .transpose()?,
            rate_version: opt_text(l, "rate_version").unwrap_or("default").to_owned(),
        });
    }
    let t = field(&v, "totals")?;
    let mut totals = Totals::default();
    totals.overall.amount = money(t, "amount")?;
    totals.overall.premium = money(t, "premium")?;
    if let Some(by_kind) = t.get("by_kind").and_then(Value::as_object) {
        for (code, sums) in by_kind {
            let kind =
                LicenseKind::parse(code).ok_or_else(|| ParseError(format!("kind {code}")))?;
            let entry = totals.by_kind.entry(kind).or_default();
            entry.amount = money(sums, "amount")?;
            entry.premium = money(sums, "premium")?;
        }
    }
    Ok(Statement {
        partner,
        from: date(period, "from")?,
        to: date(period, "to")?,
        lines,
        totals,
        rate_versions: field(&v, "rate_versions")?
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        generated_on: date(&v, "generated_on")?,
        number: opt_text(&v, "number").map(str::to_owned),
        issued_by: opt_text(&v, "issued_by").map(str::to_owned),
        parties: v
            .get("parties")
            .map(|p| -> Result<_, ParseError> {
                Ok(Box::new(crate::domain::statement::Parties {
                    ours: parse_requisites(field(p, "ours")?)?,
                    partner: parse_requisites(field(p, "partner")?)?,
                }))
            })
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_written_is_the_value_tree_pretty_printed_byte_for_byte() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        crate::demo::fill(&mut store, today).unwrap();
        let db = store.read();
        for partner in db.partners().unwrap() {
            let from = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            let mut s = db.statement(partner.id, from, today, today).unwrap();
            s.number = Some("2025-0001".into());
            let mut expected = serde_json::to_string_pretty(&statement_value(&s)).unwrap();
            expected.push('\n');
            assert_eq!(String::from_utf8(statement_json(&s)).unwrap(), expected);
        }
    }
}
