//! Which column of a file holds which field: the fields each kind of file has, and the
//! matching of a file's headers to them by name, in English or in Russian.

use std::collections::HashSet;

use super::ImportKind;
use crate::domain::lang::Lang;

/// A field an import reads.
#[derive(Debug)]
pub struct Field {
    /// The field's name in the CSV formats of README, and in row error reports.
    pub code: &'static str,
    pub required: bool,
    /// Other header names it goes by, already in [`normalize`]d form.
    names: &'static [&'static str],
    ru: &'static str,
    en: &'static str,
}

impl Field {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.ru, self.en)
    }

    pub fn matches(&self, header: &str) -> bool {
        let header = normalize(header);
        !header.is_empty() && (header == normalize(self.code) || self.names.contains(&&*header))
    }
}

const fn field(
    code: &'static str,
    required: bool,
    names: &'static [&'static str],
    ru: &'static str,
    en: &'static str,
) -> Field {
    Field {
        code,
        required,
        names,
        ru,
        en,
    }
}

const PARTNER_INN: &[&str] = &["инн партнера", "партнер инн", "partner tin", "partner inn"];
const CLIENT_INN: &[&str] = &["инн клиента", "клиент инн", "инн покупателя", "client tin"];
const CLIENT_NAME: &[&str] = &[
    "клиент",
    "наименование клиента",
    "название клиента",
    "покупатель",
    "client",
];
const NOTE: &[&str] = &["примечание", "комментарий", "comment"];
const DOC: &[&str] = &["номер документа", "документ", "номер", "document", "doc no"];

const PARTNERS: &[Field] = &[
    field("inn", true, &["инн", "инн партнера", "tin"], "ИНН", "INN"),
    field(
        "name",
        true,
        &[
            "наименование",
            "название",
            "партнер",
            "наименование партнера",
            "название партнера",
            "организация",
            "контрагент",
            "partner",
        ],
        "Название",
        "Name",
    ),
    field("status", false, &["статус"], "Статус", "Status"),
    field(
        "status_since",
        false,
        &[
            "статус с",
            "дата статуса",
            "статус действует с",
            "дата присвоения статуса",
            "status from",
        ],
        "Статус действует с",
        "Status since",
    ),
    field(
        "one_c_partner",
        false,
        &["партнер 1с", "1с партнер", "договор с 1с", "1c partner"],
        "Партнёр 1С",
        "1C partner",
    ),
    // Requisites, with the headers 1C:Бухгалтерия writes in a list of counterparties.
    field(
        "full_name",
        false,
        &["полное наименование", "наименование полное", "full name"],
        "Полное наименование",
        "Full name",
    ),
    field("kpp", false, &["кпп"], "КПП", "KPP"),
    field(
        "ogrn",
        false,
        &[
            "огрн",
            "огрнип",
            "огрн огрнип",
            "основной государственный регистрационный номер",
        ],
        "ОГРН / ОГРНИП",
        "OGRN",
    ),
    field(
        "address",
        false,
        &[
            "юридический адрес",
            "адрес",
            "юр адрес",
            "адрес юридический",
        ],
        "Адрес",
        "Address",
    ),
    field(
        "bank_name",
        false,
        &["банк", "наименование банка", "bank"],
        "Банк",
        "Bank",
    ),
    field("bik", false, &["бик", "бик банка", "bic"], "БИК", "BIK"),
    field(
        "account",
        false,
        &[
            "расчетный счет",
            "р с",
            "номер счета",
            "счет",
            "settlement account",
        ],
        "Р/с",
        "Settlement account",
    ),
    field(
        "corr_account",
        false,
        &[
            "корр счет",
            "корреспондентский счет",
            "к с",
            "корсчет",
            "кор счет",
            "корр счет банка",
        ],
        "К/с",
        "Correspondent account",
    ),
    field(
        "signer_position",
        false,
        &[
            "должность руководителя",
            "должность подписанта",
            "signatory position",
        ],
        "Должность подписанта",
        "Signatory's position",
    ),
    field(
        "signer_name",
        false,
        &["руководитель", "подписант", "фио руководителя", "signatory"],
        "Подписант",
        "Signatory",
    ),
    field(
        "accountant",
        false,
        &["главный бухгалтер", "гл бухгалтер", "chief accountant"],
        "Главный бухгалтер",
        "Chief accountant",
    ),
    field(
        "contract_no",
        false,
        &["номер договора", "договор номер", "contract no", "contract"],
        "Номер договора",
        "Contract number",
    ),
    field(
        "contract_date",
        false,
        &["дата договора", "договор от", "contract date"],
        "Дата договора",
        "Contract date",
    ),
    field("vat", false, &["ставка ндс", "ндс", "vat"], "НДС", "VAT"),
];

const PINS: &[Field] = &[
    field(
        "date",
        true,
        &["дата", "дата закрепления", "дата заявки", "дата действия"],
        "Дата",
        "Date",
    ),
    field("client_inn", true, CLIENT_INN, "ИНН клиента", "Client INN"),
    field(
        "partner_inn",
        true,
        PARTNER_INN,
        "ИНН партнёра",
        "Partner INN",
    ),
    field("action", false, &["действие"], "Действие", "Action"),
    field("client_name", false, CLIENT_NAME, "Клиент", "Client name"),
    field(
        "agreed_by",
        false,
        &[
            "согласовал",
            "согласовано",
            "кто согласовал",
            "согласовано с",
        ],
        "Кто согласовал",
        "Agreed by",
    ),
    field("note", false, NOTE, "Примечание", "Note"),
];

const SALES: &[Field] = &[
    field(
        "date",
        true,
        &[
            "дата",
            "дата продажи",
            "дата отгрузки",
            "дата документа",
            "период",
        ],
        "Дата",
        "Date",
    ),
    field(
        "partner_inn",
        true,
        PARTNER_INN,
        "ИНН партнёра",
        "Partner INN",
    ),
    field("client_inn", true, CLIENT_INN, "ИНН клиента", "Client INN"),
    field(
        "kind",
        true,
        &[
            "вид лицензии",
            "вид",
            "лицензия",
            "вид продажи",
            "license kind",
            "license",
        ],
        "Вид лицензии",
        "License kind",
    ),
    field(
        "amount",
        true,
        &["сумма", "сумма продажи", "сумма с ндс", "стоимость", "sum"],
        "Сумма",
        "Amount",
    ),
    field("doc", false, DOC, "Номер документа", "Document"),
    field("client_name", false, CLIENT_NAME, "Клиент", "Client name"),
    field(
        "self_referred",
        false,
        &[
            "клиент пришел сам",
            "пришел сам",
            "клиент пришел в 1с коннект сам",
            "для себя",
            "покупка для себя",
            "self referred",
            "came on its own",
            "client came on its own",
        ],
        "Клиент пришёл сам",
        "Came on its own",
    ),
    field(
        "connected_by_partner",
        false,
        &["подключен партнером", "подключил партнер"],
        "Подключён партнёром",
        "Connected by partner",
    ),
    field(
        "used_in_work",
        false,
        &["используется в работе", "используется"],
        "Используется в работе",
        "Used in work",
    ),
];

const RETURNS: &[Field] = &[
    field(
        "date",
        true,
        &["дата", "дата возврата", "дата документа"],
        "Дата",
        "Date",
    ),
    field(
        "sale_doc",
        true,
        &[
            "документ продажи",
            "номер документа продажи",
            "номер продажи",
            "продажа",
            "sale document",
        ],
        "Документ продажи",
        "Sale document",
    ),
    field(
        "amount",
        true,
        &["сумма", "сумма возврата", "sum"],
        "Сумма",
        "Amount",
    ),
    field(
        "doc",
        false,
        &[
            "номер документа",
            "документ",
            "номер",
            "документ возврата",
            "document",
        ],
        "Номер документа",
        "Document",
    ),
];

/// The fields a file of this kind has, required ones first.
pub fn fields(kind: ImportKind) -> &'static [Field] {
    match kind {
        ImportKind::Partners => PARTNERS,
        ImportKind::Pins => PINS,
        ImportKind::Sales => SALES,
        ImportKind::Returns => RETURNS,
    }
}

/// A header as compared: lower case, `ё` as `е`, `№` as «номер», punctuation as spaces,
/// and a trailing currency unit dropped («Сумма, руб.» is «сумма»).
pub fn normalize(header: &str) -> String {
    let text: String = header
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace('ё', "е")
        .replace('№', " номер ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.len() > 1 && matches!(words.last(), Some(&("руб" | "р" | "rub" | "rur"))) {
        words.pop();
    }
    words.join(" ")
}

/// Which column (by index in the header) holds each field of `kind`; `None` where the file
/// has no such column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub kind: ImportKind,
    pub columns: Vec<Option<usize>>,
}

impl Mapping {
    /// Matches each field to the first header that names it; a column serves one field.
    pub fn auto(kind: ImportKind, headers: &[String]) -> Mapping {
        let mut used = HashSet::new();
        let columns = fields(kind)
            .iter()
            .map(|field| {
                let found = headers
                    .iter()
                    .enumerate()
                    .find(|(i, h)| !used.contains(i) && field.matches(h))
                    .map(|(i, _)| i);
                if let Some(i) = found {
                    used.insert(i);
                }
                found
            })
            .collect();
        Mapping { kind, columns }
    }

    /// The column of the field with this code.
    pub fn column(&self, code: &str) -> Option<usize> {
        fields(self.kind)
            .iter()
            .position(|f| f.code == code)
            .and_then(|i| self.columns.get(i).copied().flatten())
    }

    /// The required fields no column is mapped to.
    pub fn missing(&self) -> Vec<&'static Field> {
        fields(self.kind)
            .iter()
            .zip(&self.columns)
            .filter(|(f, c)| f.required && c.is_none())
            .map(|(f, _)| f)
            .collect()
    }

    /// How well the file fits this kind: required fields found, then all fields found.
    fn fit(&self) -> (usize, usize) {
        let found = |required_only: bool| {
            fields(self.kind)
                .iter()
                .zip(&self.columns)
                .filter(|(f, c)| c.is_some() && (f.required || !required_only))
                .count()
        };
        let required = fields(self.kind).iter().filter(|f| f.required).count();
        // All required found counts most; then how many fields matched at all.
        (
            usize::from(found(true) == required) * 100 + found(true),
            found(false),
        )
    }
}

/// The kind of file these headers most likely head, with its automatic mapping.
pub fn guess(headers: &[String]) -> Mapping {
    let mut best = Mapping::auto(ImportKind::Sales, headers);
    for kind in ImportKind::ALL {
        let mapping = Mapping::auto(kind, headers);
        if mapping.fit() > best.fit() {
            best = mapping;
        }
    }
    best
}

/// What identifies a file layout, so a mapping chosen for it is offered again.
pub fn layout_key(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| normalize(h))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn russian_headers_of_a_1c_export_are_matched_to_the_sales_fields() {
        let h = headers(&[
            "№ документа",
            "Дата",
            "ИНН партнёра",
            "ИНН клиента",
            "Клиент",
            "Вид лицензии",
            "Сумма, руб.",
            "Комментарий",
        ]);
        let m = guess(&h);
        assert_eq!(m.kind, ImportKind::Sales);
        assert_eq!(m.column("doc"), Some(0));
        assert_eq!(m.column("date"), Some(1));
        assert_eq!(m.column("partner_inn"), Some(2));
        assert_eq!(m.column("client_inn"), Some(3));
        assert_eq!(m.column("client_name"), Some(4));
        assert_eq!(m.column("kind"), Some(5));
        assert_eq!(m.column("amount"), Some(6));
        assert!(m.missing().is_empty());
    }

    #[test]
    fn english_codes_of_the_csv_formats_match_themselves() {
        let h = headers(&["date", "partner_inn", "client_inn", "kind", "amount", "doc"]);
        let m = Mapping::auto(ImportKind::Sales, &h);
        assert!(m.missing().is_empty());
        assert_eq!(m.column("doc"), Some(5));
    }

    #[test]
    fn missing_required_fields_are_named() {
        let m = Mapping::auto(ImportKind::Sales, &headers(&["Дата", "Сумма"]));
        let codes: Vec<_> = m.missing().iter().map(|f| f.code).collect();
        assert_eq!(codes, ["partner_inn", "client_inn", "kind"]);
    }

    #[test]
    fn the_kind_of_file_is_guessed_from_its_headers() {
        assert_eq!(
            guess(&headers(&["ИНН", "Наименование", "Статус"])).kind,
            ImportKind::Partners
        );
        assert_eq!(
            guess(&headers(&[
                "Дата",
                "ИНН клиента",
                "ИНН партнера",
                "Действие"
            ]))
            .kind,
            ImportKind::Pins
        );
        assert_eq!(
            guess(&headers(&["Дата", "Документ продажи", "Сумма"])).kind,
            ImportKind::Returns
        );
    }

    #[test]
    fn headers_are_compared_without_case_yo_punctuation_or_currency() {
        assert_eq!(normalize(" ИНН Партнёра "), "инн партнера");
        assert_eq!(normalize("Сумма, руб."), "сумма");
        assert_eq!(normalize("№ документа"), "номер документа");
        assert_eq!(normalize("client_inn"), "client inn");
    }
}
