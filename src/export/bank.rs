//! Payment orders as a `1CClientBankExchange` file, format 1.03, as 1C:Бухгалтерия and
//! Russian banks' clients import it: `Ключ=Значение` lines in Windows-1251 with CRLF, one
//! `СекцияДокумент=Платежное поручение` per partner, the file closed by `КонецФайла`.

use chrono::{NaiveDate, NaiveTime};

use crate::domain::{Money, Requisites};

/// One payment order: its number, amount, the recipient's requisites and the purpose.
pub struct PaymentOrder<'a> {
    pub number: u32,
    pub amount: Money,
    /// The recipient's name (when its full name is not entered) and INN.
    pub name: &'a str,
    pub inn: &'a str,
    pub recipient: &'a Requisites,
    pub purpose: String,
}

/// A value on one line: line breaks become spaces (a line is a field).
fn clean(value: &str) -> String {
    value
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// The lines of one party (`Плательщик` or `Получатель`): the account, the name as banks
/// write it («ИНН 7707083893 ООО «Альфа»»), INN, KPP, and the bank.
fn party(out: &mut Vec<String>, who: &str, r: &Requisites, name: &str, inn: &str) {
    let full = if r.full_name.is_empty() {
        name
    } else {
        &r.full_name
    };
    let mut put = |key: &str, value: &str| out.push(format!("{who}{key}={}", clean(value)));
    put("Счет", &r.account);
    put("", &format!("ИНН {inn} {full}"));
    put("ИНН", inn);
    put("КПП", &r.kpp);
    put("1", full);
    put("РасчСчет", &r.account);
    put("Банк1", &r.bank_name);
    put("Банк2", "");
    put("БИК", &r.bik);
    put("Корсчет", &r.corr_account);
}

/// The file of payment orders from our organisation, made on `day` at `time`.
pub fn payment_orders(
    ours: &Requisites,
    orders: &[PaymentOrder<'_>],
    day: NaiveDate,
    time: NaiveTime,
) -> Vec<u8> {
    let date = day.format("%d.%m.%Y").to_string();
    let mut lines = vec![
        "1CClientBankExchange".to_owned(),
        "ВерсияФормата=1.03".to_owned(),
        "Кодировка=Windows".to_owned(),
        "Отправитель=Partner Desk".to_owned(),
        format!("Получатель={}", clean(&ours.bank_name)),
        format!("ДатаСоздания={date}"),
        format!("ВремяСоздания={}", time.format("%H:%M:%S")),
        format!("ДатаНачала={date}"),
        format!("ДатаКонца={date}"),
        format!("РасчСчет={}", ours.account),
        "Документ=Платежное поручение".to_owned(),
    ];
    for order in orders {
        lines.push("СекцияДокумент=Платежное поручение".to_owned());
        lines.push(format!("Номер={}", order.number));
        lines.push(format!("Дата={date}"));
        lines.push(format!("Сумма={}", order.amount.plain()));
        party(&mut lines, "Плательщик", ours, &ours.full_name, &ours.inn);
        party(
            &mut lines,
            "Получатель",
            order.recipient,
            order.name,
            order.inn,
        );
        lines.push("ВидПлатежа=".to_owned());
        lines.push("ВидОплаты=01".to_owned());
        lines.push("Очередность=5".to_owned());
        lines.push(format!("НазначениеПлатежа={}", clean(&order.purpose)));
        lines.push("КонецДокумента".to_owned());
    }
    lines.push("КонецФайла".to_owned());
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    windows_1251(&text)
}

/// The text in Windows-1251; a character it has no code for becomes `?` (encoding_rs would
/// write an HTML reference, which a bank would print as is).
pub fn windows_1251(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1251.encode(text);
    if !had_errors {
        return bytes.into_owned();
    }
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let (one, _, bad) = encoding_rs::WINDOWS_1251.encode(c.encode_utf8(&mut buf));
        if bad {
            out.push(b'?');
        } else {
            out.extend_from_slice(&one);
        }
    }
    out
}
