//! A bank statement in the `1CClientBankExchange` format (the bank client's export): its
//! documents read, and the outgoing payments among them.

use chrono::NaiveDate;

use super::ImportError;
use crate::domain::Money;
use crate::domain::payments::BankPayment;

/// One `СекцияДокумент` of the file: its fields as written, and the line it starts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BankDocument {
    pub line: u64,
    pub kind: String,
    pub fields: Vec<(String, String)>,
}

impl BankDocument {
    pub fn get(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The file's text: Windows-1251 unless its header says `Кодировка=DOS` (CP866).
fn decode(bytes: &[u8]) -> String {
    let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
    if text.lines().any(|l| l.trim() == "Кодировка=DOS") {
        encoding_rs::IBM866
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    } else {
        text.into_owned()
    }
}

/// Every document of an exchange file, in order. A file that does not start with
/// `1CClientBankExchange`, or a document left open, is refused with its line.
pub fn read_exchange(bytes: &[u8]) -> Result<Vec<BankDocument>, ImportError> {
    let text = decode(bytes);
    let mut lines = text.lines().map(str::trim).enumerate();
    match lines.next() {
        Some((_, first)) if first.trim_start_matches('\u{feff}') == "1CClientBankExchange" => {}
        _ => {
            return Err(ImportError::Malformed {
                line: 1,
                message:
                    "not a 1CClientBankExchange file: the first line must be «1CClientBankExchange»"
                        .into(),
            });
        }
    }
    let mut documents = Vec::new();
    let mut open: Option<BankDocument> = None;
    for (i, line) in lines {
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        match (key, open.as_mut()) {
            ("СекцияДокумент", None) => {
                open = Some(BankDocument {
                    line: i as u64 + 1,
                    kind: value.to_owned(),
                    fields: Vec::new(),
                });
            }
            ("КонецДокумента", Some(_)) => documents.extend(open.take()),
            ("СекцияДокумент" | "КонецФайла", Some(doc)) => {
                return Err(ImportError::Malformed {
                    line: doc.line,
                    message: "a document without КонецДокумента".into(),
                });
            }
            (_, Some(doc)) => doc.fields.push((key.to_owned(), value.to_owned())),
            _ => {}
        }
    }
    if let Some(doc) = open {
        return Err(ImportError::Malformed {
            line: doc.line,
            message: "a document without КонецДокумента".into(),
        });
    }
    Ok(documents)
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d.%m.%Y").ok()
}

/// The payments our organisation (INN `ours`) made: documents whose payer is us, dated
/// when the bank debited them (`ДатаСписано`, else the order's date); a document whose
/// amount or date does not read is refused with its line.
pub fn outgoing(documents: &[BankDocument], ours: &str) -> Result<Vec<BankPayment>, ImportError> {
    let mut out = Vec::new();
    for doc in documents {
        let payer = doc.get("ПлательщикИНН");
        let debited = doc.get("ДатаСписано");
        let ours_paid = if ours.is_empty() {
            !debited.is_empty()
        } else {
            payer == ours
        };
        if !ours_paid {
            continue;
        }
        let bad = |what: &str| ImportError::Malformed {
            line: doc.line,
            message: format!("{what} of document {} does not read", doc.get("Номер")),
        };
        let amount = Money::parse_amount(doc.get("Сумма")).map_err(|_| bad("Сумма"))?;
        let on = date(debited)
            .or_else(|| date(doc.get("Дата")))
            .ok_or_else(|| bad("Дата"))?;
        let mut purpose = doc.get("НазначениеПлатежа").to_owned();
        for i in 1..=6 {
            let more = doc.get(&format!("НазначениеПлатежа{i}"));
            if !more.is_empty() && !purpose.contains(more) {
                purpose.push(' ');
                purpose.push_str(more);
            }
        }
        out.push(BankPayment {
            number: doc.get("Номер").to_owned(),
            date: on,
            amount,
            recipient_inn: doc.get("ПолучательИНН").to_owned(),
            recipient: doc.get("Получатель1").to_owned(),
            purpose,
        });
    }
    Ok(out)
}
