//! The statement as JSON: the contract other programs read (README, "Statement JSON").

use serde_json::{Map, Value, json};

use crate::domain::Statement;
use crate::domain::statement::Sums;

fn sums(s: &Sums) -> Value {
    json!({"amount": s.amount.plain(), "premium": s.premium.plain()})
}

/// The statement as a JSON value, keys in the documented order.
pub fn statement_value(s: &Statement) -> Value {
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            json!({
                "date": l.date.to_string(),
                "doc": l.doc,
                "client_inn": l.client_inn.as_str(),
                "client_name": l.client_name,
                "kind": l.kind.code(),
                "amount": l.amount.plain(),
                "status": l.status.map(|st| st.code()),
                "terms": l.terms.map(|st| st.code()),
                "one_c_terms": l.one_c_terms,
                "rate": l.rate.map(|r| r.to_string()),
                "premium": l.premium.plain(),
                "reason": l.reason.map(|r| r.code()),
                "return_of": l.return_of,
                "rate_version": l.rate_version,
            })
        })
        .collect();
    let by_kind: Map<String, Value> = s
        .totals
        .by_kind
        .iter()
        .map(|(kind, sum)| (kind.code().to_owned(), sums(sum)))
        .collect();
    json!({
        "partner": {
            "inn": s.partner.inn.as_str(),
            "name": s.partner.name,
            "one_c_partner": s.partner.one_c_partner,
            "status": s.partner.status.map(|st| st.code()),
        },
        "period": {"from": s.from.to_string(), "to": s.to.to_string()},
        "lines": lines,
        "totals": {
            "amount": s.totals.overall.amount.plain(),
            "premium": s.totals.overall.premium.plain(),
            "by_kind": by_kind,
        },
        "rate_versions": s.rate_versions,
        "lines_without_rate": s.lines_without_rate(),
        "generated_on": s.generated_on.to_string(),
    })
}

/// The statement as pretty-printed JSON text with a final newline.
pub fn statement_json(s: &Statement) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(&statement_value(s)).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}
