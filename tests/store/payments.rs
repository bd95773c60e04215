//! From statement to paid premium, on either engine: requisites (ours and each partner's)
//! checked field by field, from the partners file and the command line.

use partner_desk::domain::Requisites;
use partner_desk::domain::lang::{Lang, Localized};
use partner_desk::domain::requisites::{Field, RequisiteError, Vat};
use partner_desk::import::{ImportKind, Problem, import_bytes};
use partner_desk::store::{RuleError, StoreError};

use crate::util::*;

/// The public examples: a settlement account with its БИК, a correspondent account with
/// its own.
pub const BIK: &str = "044030827";
pub const ACCOUNT: &str = "40702810900000002851";
pub const CORR_BIK: &str = "044525225";
pub const CORR: &str = "30101810400000000225";

/// Requisites whose bank fields are all given and right: the account with its БИК.
pub fn alfa_requisites() -> Requisites {
    Requisites {
        full_name: "Общество с ограниченной ответственностью «Альфа»".into(),
        kpp: "773601001".into(),
        ogrn: "1027700132195".into(),
        address: "119021, г. Москва, ул. Тимура Фрунзе, д. 11".into(),
        bank_name: "ПАО Сбербанк".into(),
        bik: BIK.into(),
        account: ACCOUNT.into(),
        corr_account: "30101810200000000827".into(),
        signer_position: "Генеральный директор".into(),
        signer_name: "Иванов И. И.".into(),
        accountant: "Петрова А. А.".into(),
        contract_no: "П-15".into(),
        contract_date: Some(d("2025-02-01")),
        vat: Some(Vat::NotLiable),
        ..Requisites::default()
    }
}

fn requisite(e: StoreError) -> RequisiteError {
    match e {
        StoreError::Rule(RuleError::Requisite(e)) => *e,
        other => panic!("expected a requisite refused, got {other:?}"),
    }
}

#[test]
fn requisites_are_stored_and_read_back_and_a_wrong_account_is_refused_naming_it() {
    let t = TempDb::new();
    let mut s = t.open();
    let alfa = partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    assert_eq!(s.read().partner_requisites(alfa).unwrap().inn, ALFA);
    let r = alfa_requisites();
    s.write(|tx| tx.set_partner_requisites(alfa, &r)).unwrap();
    let stored = s.read().partner_requisites(alfa).unwrap();
    assert_eq!(
        stored,
        Requisites {
            inn: ALFA.into(),
            ..r.clone()
        }
    );
    assert_eq!(s.read().partner(alfa).unwrap().requisites, stored);
    // One digit of the account changed: refused, naming the field, and nothing written.
    let wrong = Requisites {
        account: "40702810900000002852".into(),
        full_name: "Другое".into(),
        ..r.clone()
    };
    let e = requisite(
        s.write(|tx| tx.set_partner_requisites(alfa, &wrong))
            .unwrap_err(),
    );
    assert_eq!(e.field(), Field::Account);
    assert!(
        e.text(Lang::Ru).starts_with("Р/с: контрольный ключ"),
        "{}",
        e.text(Lang::Ru)
    );
    assert_eq!(s.read().partner_requisites(alfa).unwrap(), stored);
    // The correspondent account is checked against its own БИК.
    let corr = Requisites {
        bik: CORR_BIK.into(),
        account: String::new(),
        corr_account: CORR.into(),
        ..r.clone()
    };
    s.write(|tx| tx.set_partner_requisites(alfa, &corr))
        .unwrap();
    let e = requisite(
        s.write(|tx| {
            tx.set_partner_requisites(
                alfa,
                &Requisites {
                    corr_account: "30101810400000000226".into(),
                    ..corr.clone()
                },
            )
        })
        .unwrap_err(),
    );
    assert_eq!(e.field(), Field::CorrAccount);
}

#[test]
fn our_requisites_need_an_inn_and_are_one_record() {
    let t = TempDb::new();
    let mut s = t.open();
    assert!(s.read().organisation().unwrap().is_empty());
    let ours = Requisites {
        inn: BETA.into(),
        contract_no: String::new(),
        contract_date: None,
        vat: None,
        ..alfa_requisites()
    };
    let e = requisite(
        s.write(|tx| {
            tx.set_organisation(&Requisites {
                inn: String::new(),
                ..ours.clone()
            })
        })
        .unwrap_err(),
    );
    assert_eq!(e.field(), Field::Inn);
    s.write(|tx| tx.set_organisation(&ours)).unwrap();
    let changed = Requisites {
        signer_name: "Сидоров С. С.".into(),
        ..ours.clone()
    };
    s.write(|tx| tx.set_organisation(&changed)).unwrap();
    assert_eq!(s.read().organisation().unwrap(), changed);
    let e = requisite(
        s.write(|tx| {
            tx.set_organisation(&Requisites {
                ogrn: "1027700132196".into(),
                ..ours.clone()
            })
        })
        .unwrap_err(),
    );
    assert_eq!(e.field(), Field::Ogrn);
    assert_eq!(s.read().organisation().unwrap(), changed);
}

/// A list of counterparties as 1C:Бухгалтерия saves it, with Russian headers.
fn counterparties(account: &str) -> String {
    format!(
        "ИНН;Наименование;Полное наименование;КПП;ОГРН;Юридический адрес;Банк;БИК;Расчетный счет;Корр. счет;Номер договора;Дата договора;Ставка НДС\n\
         {ALFA};ООО «Альфа»;Общество с ограниченной ответственностью «Альфа»;773601001;1027700132195;г. Москва;ПАО Сбербанк;{BIK};{account};30101810200000000827;П-15;01.02.2025;Без НДС\n\
         {BETA};ООО «Бета»;;;;;;;;;;;20\n"
    )
}

#[test]
fn the_partners_import_reads_requisites_under_1c_headers_and_refuses_a_wrong_account_at_its_cell() {
    let t = TempDb::new();
    let mut s = t.open();
    let e = import_bytes(
        &mut s,
        ImportKind::Partners,
        counterparties("40702810900000002852").as_bytes(),
    )
    .unwrap_err();
    let rows = row_errors(e);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0].0, rows[0].1.as_str()), (2, "Расчетный счет"));
    assert!(matches!(rows[0].2, Problem::Rule(RuleError::Requisite(_))));
    assert!(s.read().partners().unwrap().is_empty());
    let summary = import_bytes(
        &mut s,
        ImportKind::Partners,
        counterparties(ACCOUNT).as_bytes(),
    )
    .unwrap();
    assert_eq!(summary.partners_added, 2);
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let r = s.read().partner_requisites(alfa).unwrap();
    assert_eq!(
        (r.bik.as_str(), r.account.as_str(), r.contract_no.as_str()),
        (BIK, ACCOUNT, "П-15")
    );
    assert_eq!(
        (r.contract_date, r.vat),
        (Some(d("2025-02-01")), Some(Vat::NotLiable))
    );
    assert!(r.missing_for_payment().is_empty());
    let beta = s.read().partner_by_inn(&inn(BETA)).unwrap().unwrap();
    let r = s.read().partner_requisites(beta).unwrap();
    assert_eq!(r.vat.map(Vat::code).as_deref(), Some("20"));
    assert_eq!(r.missing_for_payment().len(), 4);
    // The same file again changes nothing; the import is undone whole.
    let again = import_bytes(
        &mut s,
        ImportKind::Partners,
        counterparties(ACCOUNT).as_bytes(),
    )
    .unwrap();
    assert_eq!((again.partners_added, again.partners_updated), (0, 0));
}

use crate::cli::run;

#[test]
fn cli_sets_our_requisites_from_a_file_and_names_a_wrong_line() {
    let t = TempDb::new();
    let file = t.file(
        "ours.txt",
        &format!(
            "# Наши реквизиты\nПолное наименование = ООО «1С-Коннект»\nИНН = {BETA}\nКПП = 773601001\n\
             Банк = АО «Банк»\nБИК = {CORR_BIK}\nРасчетный счет = {ACCOUNT}\nКорр. счет = {CORR}\n"
        ),
    );
    let o = run(&t, &["requisites", "--set-from", file.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains(":7:") && err.contains("Р/с"), "{err}");
    let good = t.file(
        "good.txt",
        &std::fs::read_to_string(&file)
            .unwrap()
            .replace(CORR_BIK, BIK)
            .replace(
                &format!("Корр. счет = {CORR}\n"),
                "Корр. счет = 30101810200000000827\n",
            ),
    );
    let o = run(&t, &["requisites", "--set-from", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&t, &["requisites"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains(&format!("Р/с = {ACCOUNT}")) && out.contains("ИНН = 7736207543"),
        "{out}"
    );
}

/// Альфа (a Dealer) with its requisites and ours, and `n` sales of developer services
/// (10 %, no pin needed) of 1 000 ₽ each in January 2025.
pub fn alfa_with_sales(
    t: &TempDb,
    n: usize,
) -> (partner_desk::store::Store, partner_desk::domain::PartnerId) {
    use partner_desk::domain::{LicenseKind, Status};
    let mut s = t.open();
    let alfa = partner(
        &mut s,
        ALFA,
        "ООО «Альфа»",
        false,
        Some(("2024-01-01", Status::Dealer)),
    );
    let ours = Requisites {
        inn: BETA.into(),
        full_name: "ООО «1С-Коннект»".into(),
        signer_position: "Генеральный директор".into(),
        signer_name: "Сидоров С. С.".into(),
        contract_no: String::new(),
        contract_date: None,
        vat: None,
        ..alfa_requisites()
    };
    s.write(|tx| {
        tx.set_organisation(&ours)?;
        tx.set_partner_requisites(alfa, &alfa_requisites())?;
        for i in 0..n {
            let day = format!("2025-01-{:02}", 1 + i % 28);
            let mut one = sale(alfa, &day, C1, LicenseKind::DevServices, "1000");
            one.doc = Some(format!("D-{}", i + 1));
            tx.record_sale(&one)?;
        }
        Ok::<_, StoreError>(())
    })
    .unwrap();
    (s, alfa)
}

#[test]
fn a_statement_is_a_document_titled_with_its_number_with_both_parties_and_the_amount_in_words() {
    use partner_desk::{export, statements};
    let t = TempDb::new();
    let (mut s, alfa) = alfa_with_sales(&t, 3);
    let preview = s
        .read()
        .statement(alfa, d("2025-01-01"), d("2025-01-31"), d("2025-02-03"))
        .unwrap();
    let path = t.dir.path().join("preview.pdf");
    export::write_statement(&preview, &path, Lang::Ru).unwrap();
    let text = pdf_text(&path);
    for said in [
        "Отчёт о премии партнёра",
        "Проект — не выдан",
        "за период 01.01.2025 — 31.01.2025",
        "ИНН/КПП 7707083893/773601001",
        "р/с 40702810900000002851",
        "ООО «1С-Коннект», ИНН/КПП 7736207543/773601001",
        "№ П-15 от 01.02.2025",
        "Итого к выплате: 300,00 ₽",
        "Триста рублей 00 копеек",
        "НДС не облагается",
        "Генеральный директор",
        "Сидоров С. С.",
        "Иванов И. И.",
        "М. П.",
    ] {
        assert!(text.contains(said), "«{said}» in {text}");
    }
    // Issued: its number and date; the requisites as they were then, whatever changes since.
    let issued = statements::issue(
        &mut s,
        alfa,
        d("2025-01-01"),
        d("2025-01-31"),
        d("2025-02-03"),
    )
    .unwrap();
    let changed = Requisites {
        signer_name: "Новиков Н. Н.".into(),
        vat: Some(Vat::Rate(partner_desk::domain::RatePct::whole(20))),
        ..alfa_requisites()
    };
    s.write(|tx| tx.set_partner_requisites(alfa, &changed))
        .unwrap();
    let path = t.dir.path().join("issued.pdf");
    statements::export_issued(&s, &issued.number, &path, Lang::Ru).unwrap();
    let text = pdf_text(&path);
    assert!(
        text.contains(&format!(
            "Отчёт о премии партнёра № {} от 03.02.2025",
            issued.number
        )),
        "{text}"
    );
    assert!(!text.contains("Проект"), "{text}");
    assert!(
        text.contains("Иванов И. И.") && !text.contains("Новиков"),
        "{text}"
    );
    assert!(text.contains("НДС не облагается"), "{text}");
    // A preview after the change says the partner's VAT as it is now.
    let now = s
        .read()
        .statement(alfa, d("2025-02-01"), d("2025-02-28"), d("2025-03-01"))
        .unwrap();
    let vat = partner_desk::domain::document::vat_line(
        now.parties.as_ref().and_then(|p| p.partner.vat),
        partner_desk::domain::Money::from_kopecks(4_680_990),
        Lang::Ru,
    );
    assert_eq!(
        vat.as_deref(),
        Some("в т.ч. НДС 20 % — 7\u{a0}801,65\u{a0}₽")
    );
}

#[test]
fn a_negative_total_reads_to_be_withheld_and_a_return_names_the_sale_it_returns() {
    use partner_desk::domain::SaleId;
    use partner_desk::export;
    let t = TempDb::new();
    let (mut s, alfa) = alfa_with_sales(&t, 1);
    // The one sale recorded in a new database.
    let sale_id = SaleId(1);
    assert!(s.read().sale(sale_id).unwrap().is_some());
    s.write(|tx| tx.record_return(sale_id, d("2025-02-10"), rub("1000"), Some("R-1")))
        .unwrap();
    let february = s
        .read()
        .statement(alfa, d("2025-02-01"), d("2025-02-28"), d("2025-03-01"))
        .unwrap();
    let path = t.dir.path().join("february.pdf");
    export::write_statement(&february, &path, Lang::Ru).unwrap();
    let text = pdf_text(&path);
    assert!(text.contains("К удержанию: 100,00 ₽"), "{text}");
    assert!(text.contains("Сто рублей 00 копеек"), "{text}");
    // (The cell wraps after «документу».)
    assert!(
        text.contains("возврат по документу") && text.contains("D-1 от 01.01.2025"),
        "{text}"
    );
    assert!(!text.contains("Итого к выплате"), "{text}");
}

#[test]
fn the_signature_block_is_never_alone_on_a_page_whatever_the_number_of_lines() {
    use partner_desk::export;
    let t = TempDb::new();
    let (s, alfa) = alfa_with_sales(&t, 60);
    // Statements of 1 to 60 lines: periods of more and more days.
    let mut pages_seen = std::collections::BTreeSet::new();
    for last in 1..=28 {
        let to = d(&format!("2025-01-{last:02}"));
        let st = s
            .read()
            .statement(alfa, d("2025-01-01"), to, d("2025-02-01"))
            .unwrap();
        let path = t.dir.path().join(format!("s{last}.pdf"));
        export::write_statement(&st, &path, Lang::Ru).unwrap();
        let pages = pdf_pages(&path);
        pages_seen.insert(pages.len());
        let signed = pages
            .iter()
            .position(|p| p.contains("От партнёра"))
            .unwrap();
        assert!(
            pages[signed].contains("Итого к выплате") && pages[signed].contains("Итого по видам"),
            "{} lines: the signatures are alone on page {}: {}",
            st.lines.len(),
            signed + 1,
            pages[signed]
        );
    }
    assert!(
        pages_seen.len() >= 2,
        "statements of one page and of more: {pages_seen:?}"
    );
}

#[test]
fn xlsx_totals_are_formulas_with_their_values_and_the_period_is_one_cell() {
    use calamine::{Data, Reader, Xlsx};
    use partner_desk::export;
    let t = TempDb::new();
    let (s, alfa) = alfa_with_sales(&t, 3);
    let st = s
        .read()
        .statement(alfa, d("2025-01-01"), d("2025-01-31"), d("2025-02-03"))
        .unwrap();
    let bytes = export::render(&st, export::Format::Xlsx, Lang::Ru).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let formulas = book.worksheet_formula(&sheet).unwrap();
    let row_of = |label: &str| {
        range
            .rows()
            .position(|r| r[0] == Data::String(label.into()))
            .unwrap()
    };
    let period = row_of("Период");
    assert_eq!(
        range.rows().nth(period).unwrap()[2],
        Data::String("01.01.2025 — 31.01.2025".into())
    );
    let total = row_of("Итого");
    let (top, left) = range.start().unwrap();
    let at = |row: usize, col: usize| {
        formulas
            .get_value((row as u32 + top, col as u32 + left))
            .cloned()
            .unwrap_or_default()
    };
    assert!(at(total, 9).starts_with("SUM(J"), "{}", at(total, 9));
    assert_eq!(
        range.rows().nth(total).unwrap()[9],
        Data::Float(300.0),
        "the value is cached"
    );
    let by_kind = row_of("Итого по виду");
    assert!(at(by_kind, 5).starts_with("SUMIF(E"), "{}", at(by_kind, 5));
    assert_eq!(range.rows().nth(by_kind).unwrap()[5], Data::Float(3000.0));
    let to_pay = row_of("Итого к выплате");
    assert_eq!(
        range.rows().nth(to_pay + 1).unwrap()[0],
        Data::String("Триста рублей 00 копеек".into())
    );
}

/// A reader of `1CClientBankExchange` files written here from the format's description
/// (1C's «Стандарт обмена с системами "Клиент банка"», 1.03), not the program's: the
/// header's keys, then each `СекцияДокумент=…` to `КонецДокумента`, `КонецФайла` last;
/// Windows-1251, CRLF.
struct Exchange {
    header: Vec<(String, String)>,
    documents: Vec<Vec<(String, String)>>,
}

impl Exchange {
    fn read(bytes: &[u8]) -> Exchange {
        let (text, _, bad) = encoding_rs::WINDOWS_1251.decode(bytes);
        assert!(!bad, "Windows-1251 throughout");
        assert!(
            text.ends_with("КонецФайла\r\n"),
            "ends with КонецФайла and CRLF"
        );
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "every line ends with CRLF"
        );
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        assert_eq!(lines.next(), Some("1CClientBankExchange"));
        let (mut header, mut documents, mut open) =
            (Vec::new(), Vec::new(), None::<Vec<(String, String)>>);
        for line in lines {
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            let pair = (k.to_owned(), v.to_owned());
            match (k, open.as_mut()) {
                ("СекцияДокумент", None) => open = Some(vec![pair]),
                ("КонецДокумента", Some(_)) => documents.extend(open.take()),
                ("КонецФайла", None) => {}
                (_, Some(doc)) => doc.push(pair),
                (_, None) => header.push(pair),
            }
        }
        assert!(open.is_none(), "every document is closed");
        Exchange { header, documents }
    }
}

fn get<'a>(fields: &'a [(String, String)], key: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in {fields:?}"))
}

/// Альфа's January (3 sales: 300 ₽) and February (a return: −100 ₽) issued, and «Ёлка»
/// (no bank requisites) with January issued.
fn statements_due(t: &TempDb) -> (partner_desk::store::Store, Vec<String>) {
    use partner_desk::domain::{LicenseKind, SaleId, Status};
    use partner_desk::statements::issue;
    let (mut s, alfa) = alfa_with_sales(t, 3);
    let yolka = partner(
        &mut s,
        SMIRNOV,
        "ИП Ёлкин",
        false,
        Some(("2024-01-01", Status::Agent)),
    );
    s.write(|tx| {
        tx.set_partner_requisites(
            yolka,
            &Requisites {
                kpp: String::new(),
                ..Requisites::default()
            },
        )?;
        tx.record_sale(&sale(
            yolka,
            "2025-01-15",
            C2,
            LicenseKind::DevServices,
            "500",
        ))?;
        tx.record_return(SaleId(1), d("2025-02-10"), rub("1000"), Some("R-1"))?;
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let numbers = vec![
        issue(
            &mut s,
            alfa,
            d("2025-01-01"),
            d("2025-01-31"),
            d("2025-02-03"),
        )
        .unwrap()
        .number,
        issue(
            &mut s,
            alfa,
            d("2025-02-01"),
            d("2025-02-28"),
            d("2025-03-03"),
        )
        .unwrap()
        .number,
        issue(
            &mut s,
            yolka,
            d("2025-01-01"),
            d("2025-01-31"),
            d("2025-02-03"),
        )
        .unwrap()
        .number,
    ];
    (s, numbers)
}

#[test]
fn payment_orders_are_numbered_on_from_this_years_last_payment_order_or_from_the_number_given() {
    use partner_desk::actions::{self, Done};
    let t = TempDb::new();
    let (mut s, numbers) = statements_due(&t);
    let path = t.dir.path().join("orders.txt");
    let today = (
        d("2025-03-10"),
        chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
    );
    let number_written = |s: &partner_desk::store::Store, first: Option<u32>| {
        let Done::PaymentOrders(written) =
            actions::payment_orders(s, &numbers[..1], first, &path, today).unwrap()
        else {
            panic!()
        };
        let file = Exchange::read(&std::fs::read(&path).unwrap());
        assert_eq!(file.documents.len(), 1);
        let number = get(&file.documents[0], "Номер").to_owned();
        assert_eq!(written.numbers.0.to_string(), number);
        number
    };
    // No payment yet: the first order of the year.
    assert_eq!(number_written(&s, None), "1");
    // Paid by hand under order № 41: the next file goes on from 42.
    let due = s.read().dues().unwrap();
    let alfa_january = due.iter().find(|d| d.number == numbers[0]).unwrap();
    s.write(|tx| tx.record_payment(&by_hand(alfa_january.statement_id, "2025-03-05", "1", "41")))
        .unwrap();
    assert_eq!(number_written(&s, None), "42");
    // A number given is used as it is.
    assert_eq!(number_written(&s, Some(500)), "500");
}

#[test]
fn payment_orders_net_a_partners_statements_refuse_one_without_bank_requisites_and_read_back() {
    use partner_desk::actions::{self, Done};
    let t = TempDb::new();
    let (s, numbers) = statements_due(&t);
    let path = t.dir.path().join("orders.txt");
    let today = (
        d("2025-03-10"),
        chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
    );
    let Done::PaymentOrders(written) =
        actions::payment_orders(&s, &[], None, &path, today).unwrap()
    else {
        panic!()
    };
    assert_eq!(written.refused, ["ИП Ёлкин"], "refused by name");
    assert_eq!((written.orders, written.amount), (1, rub("200")));
    let file = Exchange::read(&std::fs::read(&path).unwrap());
    for (key, value) in [
        ("ВерсияФормата", "1.03"),
        ("Кодировка", "Windows"),
        ("ДатаСоздания", "10.03.2025"),
        ("ВремяСоздания", "09:30:00"),
        ("Документ", "Платежное поручение"),
    ] {
        assert_eq!(get(&file.header, key), value);
    }
    assert_eq!(
        file.documents.len(),
        1,
        "one document per partner; none for Ёлкин"
    );
    let doc = &file.documents[0];
    assert_eq!(get(doc, "СекцияДокумент"), "Платежное поручение");
    for key in [
        "Номер",
        "Дата",
        "Сумма",
        "ПлательщикСчет",
        "Плательщик",
        "ПлательщикИНН",
        "ПлательщикКПП",
        "Плательщик1",
        "ПлательщикРасчСчет",
        "ПлательщикБанк1",
        "ПлательщикБИК",
        "ПлательщикКорсчет",
        "ПолучательСчет",
        "Получатель",
        "ПолучательИНН",
        "ПолучательКПП",
        "Получатель1",
        "ПолучательРасчСчет",
        "ПолучательБанк1",
        "ПолучательБИК",
        "ПолучательКорсчет",
        "ВидОплаты",
        "Очередность",
        "НазначениеПлатежа",
    ] {
        assert!(!get(doc, key).is_empty(), "{key} is filled");
    }
    // 300 ₽ of January netted with −100 ₽ of February.
    assert_eq!(get(doc, "Сумма"), "200.00");
    assert_eq!(
        (get(doc, "ВидОплаты"), get(doc, "Очередность")),
        ("01", "5")
    );
    assert_eq!(
        (
            get(doc, "ПолучательИНН"),
            get(doc, "ПолучательРасчСчет"),
            get(doc, "ПолучательБИК")
        ),
        (ALFA, ACCOUNT, BIK)
    );
    assert_eq!(get(doc, "ПлательщикИНН"), BETA);
    let purpose = get(doc, "НазначениеПлатежа");
    for said in [
        numbers[0].as_str(),
        numbers[1].as_str(),
        "№ П-15 от 01.02.2025",
        "НДС не облагается",
        "№",
    ] {
        assert!(purpose.contains(said), "«{said}» in {purpose}");
    }
    // Only Ёлкин's statement: refused, and no file.
    let alone = t.dir.path().join("alone.txt");
    let e = actions::payment_orders(&s, &[numbers[2].clone()], None, &alone, today).unwrap_err();
    assert!(
        e.text(Lang::Ru).contains("ИП Ёлкин"),
        "{}",
        e.text(Lang::Ru)
    );
    assert!(!alone.exists());
}

#[test]
fn windows_1251_keeps_the_number_sign_and_yo_and_marks_what_it_cannot_say() {
    let bytes = partner_desk::export::bank::windows_1251("№ Ёлкин ё ₽");
    let (back, _, _) = encoding_rs::WINDOWS_1251.decode(&bytes);
    assert_eq!(back, "№ Ёлкин ё ?");
    assert_eq!(bytes[0], 0xB9, "№ is 0xB9 in Windows-1251");
}

/// The payment orders file turned into the bank's statement of what it paid: each
/// document as it was debited on `debited`, with the order's `amount` changed if asked.
pub fn bank_statement(orders: &[u8], debited: &str, amount: Option<&str>) -> Vec<u8> {
    let (text, _, _) = encoding_rs::WINDOWS_1251.decode(orders);
    let mut out = String::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        match (line.split_once('='), amount) {
            (Some(("Сумма", _)), Some(a)) => out.push_str(&format!("Сумма={a}\r\n")),
            _ => out.push_str(&format!("{line}\r\n")),
        }
        if line.starts_with("Дата=") {
            out.push_str(&format!("ДатаСписано={debited}\r\n"));
        }
    }
    partner_desk::export::bank::windows_1251(&out)
}

#[test]
fn a_bank_statement_is_matched_exactly_partially_or_not_and_a_second_import_adds_nothing() {
    use partner_desk::actions::{self, Done};
    let t = TempDb::new();
    let (mut s, numbers) = statements_due(&t);
    let orders = t.dir.path().join("orders.txt");
    let today = (
        d("2025-03-10"),
        chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
    );
    actions::payment_orders(&s, &numbers[..2], None, &orders, today).unwrap();
    let orders = std::fs::read(&orders).unwrap();
    // A partial payment first: 150 of the 200 netted.
    let partial = t.dir.path().join("partial.txt");
    std::fs::write(
        &partial,
        bank_statement(&orders, "11.03.2025", Some("150.00")),
    )
    .unwrap();
    let Done::BankImported(b) = actions::import_bank(&mut s, &partial).unwrap() else {
        panic!()
    };
    assert_eq!((b.recorded.len(), b.unmatched.len()), (1, 0));
    let left = |s: &partner_desk::store::Store, n: &str| due_of(s, n).left();
    assert_eq!(
        left(&s, &numbers[0]),
        rub("50"),
        "300 − (150 paid + 100 netted): 50 short"
    );
    assert!(left(&s, &numbers[1]).is_zero(), "February's −100 netted");
    // The same file again adds nothing.
    let Done::BankImported(again) = actions::import_bank(&mut s, &partial).unwrap() else {
        panic!()
    };
    assert_eq!((again.recorded.len(), again.already), (0, 1));
    assert_eq!(left(&s, &numbers[0]), rub("50"));
    // The rest, exactly; then a payment to nobody we know is listed with why.
    let rest = t.dir.path().join("rest.txt");
    let text = String::from_utf8(
        encoding_rs::WINDOWS_1251
            .decode(&bank_statement(&orders, "12.03.2025", Some("50.00")))
            .0
            .as_bytes()
            .to_vec(),
    )
    .unwrap()
    .replace("Номер=1\r\n", "Номер=2\r\n");
    std::fs::write(&rest, partner_desk::export::bank::windows_1251(&text)).unwrap();
    let Done::BankImported(b) = actions::import_bank(&mut s, &rest).unwrap() else {
        panic!()
    };
    assert_eq!(b.recorded.len(), 1);
    assert!(left(&s, &numbers[0]).is_zero(), "paid in full");
    let stranger = t.dir.path().join("stranger.txt");
    let text = text
        .replace(&format!("ПолучательИНН={ALFA}"), "ПолучательИНН=5406000032")
        .replace("Номер=2\r\n", "Номер=3\r\n");
    std::fs::write(&stranger, partner_desk::export::bank::windows_1251(&text)).unwrap();
    let Done::BankImported(b) = actions::import_bank(&mut s, &stranger).unwrap() else {
        panic!()
    };
    assert_eq!(b.unmatched.len(), 1);
    assert!(
        Done::BankImported(b)
            .text(Lang::Ru)
            .contains("партнёра с ИНН получателя 5406000032 нет")
    );
}

/// The statement numbered `number` with what is paid on it.
fn due_of(s: &partner_desk::store::Store, number: &str) -> partner_desk::domain::payments::Due {
    s.read()
        .dues()
        .unwrap()
        .into_iter()
        .find(|d| d.number == number)
        .unwrap()
}

/// A payment by hand of statement `statement_id`: `amount` rubles on `on`, order № `doc`.
pub fn by_hand(
    statement_id: i64,
    on: &str,
    amount: &str,
    doc: &str,
) -> partner_desk::domain::payments::NewPayment {
    partner_desk::domain::payments::NewPayment {
        statement_id,
        on_date: d(on),
        amount: rub(amount),
        doc: doc.into(),
        source: partner_desk::domain::payments::PaymentSource::Hand,
        bank_ref: String::new(),
    }
}

#[test]
fn a_payment_by_hand_is_kept_partial_and_undone_with_its_history() {
    use partner_desk::domain::Money;
    let t = TempDb::new();
    let (mut s, numbers) = statements_due(&t);
    let due = due_of(&s, &numbers[0]);
    let hand = |amount: &str| by_hand(due.statement_id, "2025-03-12", amount, "77");
    let e = s
        .write(|tx| tx.record_payment(&hand("300.01")))
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Rule(RuleError::PaymentTooLarge { .. })),
        "{e:?}"
    );
    let id = s.write(|tx| tx.record_payment(&hand("120"))).unwrap();
    let left = |s: &partner_desk::store::Store| due_of(s, &numbers[0]).left();
    assert_eq!(left(&s), rub("180"));
    s.write(|tx| tx.undo_payment(id, d("2025-03-13"))).unwrap();
    assert_eq!(left(&s), rub("300"));
    let history = s.read().payments_of(due.statement_id).unwrap();
    assert_eq!(history.len(), 2, "the payment and its undo");
    assert!(history[0].cancelled && history[1].cancels == Some(id));
    assert_eq!(history[1].amount, -Money::from_kopecks(12_000));
    assert!(
        s.write(|tx| tx.undo_payment(id, d("2025-03-13"))).is_err(),
        "undone once"
    );
}

#[test]
fn cli_writes_payment_orders_and_imports_the_banks_statement() {
    let t = TempDb::new();
    let (s, numbers) = statements_due(&t);
    drop(s);
    let out = t.dir.path().join("orders.txt");
    let o = run(
        &t,
        &[
            "payments",
            "--out",
            out.to_str().unwrap(),
            "--number",
            &numbers[0],
            "--number",
            &numbers[1],
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("поручений 1"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let statement = t.dir.path().join("statement.txt");
    std::fs::write(
        &statement,
        bank_statement(&std::fs::read(&out).unwrap(), "11.03.2025", None),
    )
    .unwrap();
    let o = run(&t, &["import", "bank", statement.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("оплат записано 1"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let dues = t.open().read().dues().unwrap();
    assert!(
        dues.iter()
            .filter(|d| numbers[..2].contains(&d.number))
            .all(|d| d.is_settled())
    );
}

#[test]
fn the_reconciliation_lists_accruals_and_payments_between_its_balances_as_pdf_and_xlsx() {
    use calamine::{Data, Reader, Xlsx};
    let t = TempDb::new();
    let (mut s, numbers) = statements_due(&t);
    let january = due_of(&s, &numbers[0]);
    s.write(|tx| tx.record_payment(&by_hand(january.statement_id, "2025-03-12", "120", "77")))
        .unwrap();
    drop(s);
    // February on: January's 300 ₽ issued before it is the opening balance.
    let pdf = t.dir.path().join("act.pdf");
    let act = |out: &std::path::Path| {
        let out = out.to_str().unwrap();
        let args = [
            "reconciliation",
            "--partner",
            ALFA,
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-31",
            "--out",
            out,
        ];
        let o = run(&t, &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    act(&pdf);
    let text = pdf_text(&pdf);
    for said in [
        "Акт сверки взаимных расчётов",
        "за период 01.03.2025 — 31.03.2025",
        "Сальдо на начало периода",
        &format!("№ {} от 03.03.2025", numbers[1]),
        "Оплата, п/п № 77",
        "Сальдо на конец периода",
        "задолженность в пользу ООО «Альфа»: 80,00 ₽",
        "Восемьдесят рублей 00 копеек",
        "От партнёра",
    ] {
        assert!(text.contains(said), "«{said}» in {text}");
    }
    let xlsx = t.dir.path().join("act.xlsx");
    act(&xlsx);
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let closing = range
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("Сальдо на конец периода".into())))
        .unwrap();
    assert_eq!(
        closing[2],
        Data::Float(80.0),
        "300 − 100 withheld − 120 paid, cached"
    );
}

#[test]
fn every_check_digit_refuses_one_digit_changed_on_either_engine_and_writes_nothing() {
    let t = TempDb::new();
    let mut s = t.open();
    let alfa = partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    let good = alfa_requisites();
    s.write(|tx| tx.set_partner_requisites(alfa, &good))
        .unwrap();
    let changed = |text: &str, at: usize| -> String {
        text.char_indices()
            .map(|(i, c)| {
                if i == at {
                    char::from_digit((c.to_digit(10).unwrap() + 1) % 10, 10).unwrap()
                } else {
                    c
                }
            })
            .collect()
    };
    let cases: Vec<(Field, Requisites)> = vec![
        (
            Field::Ogrn,
            Requisites {
                ogrn: changed(&good.ogrn, 12),
                ..good.clone()
            },
        ),
        (
            Field::Ogrn,
            Requisites {
                ogrn: "304500116000158".into(),
                ..good.clone()
            },
        ),
        (
            Field::Bik,
            Requisites {
                bik: "14403082".into(),
                ..good.clone()
            },
        ),
        (
            Field::Account,
            Requisites {
                account: changed(&good.account, 5),
                ..good.clone()
            },
        ),
        (
            Field::CorrAccount,
            Requisites {
                corr_account: changed(&good.corr_account, 10),
                ..good.clone()
            },
        ),
        (
            Field::Kpp,
            Requisites {
                kpp: "773601O01".into(),
                ..good.clone()
            },
        ),
    ];
    for (field, wrong) in cases {
        let e = requisite(
            s.write(|tx| tx.set_partner_requisites(alfa, &wrong))
                .unwrap_err(),
        );
        assert_eq!(e.field(), field, "{e:?}");
        assert!(
            e.text(Lang::Ru).starts_with(field.label(Lang::Ru)),
            "{}",
            e.text(Lang::Ru)
        );
    }
    assert_eq!(
        s.read().partner_requisites(alfa).unwrap(),
        Requisites {
            inn: ALFA.into(),
            ..good
        }
    );
}

#[test]
fn a_paid_statement_is_not_reopened_so_that_its_premium_is_not_paid_twice() {
    use partner_desk::store::{RuleError, StoreError};
    let t = TempDb::new();
    let (mut s, numbers) = statements_due(&t);
    let due = s.read().dues().unwrap();
    let january = due.iter().find(|d| d.number == numbers[0]).unwrap().clone();
    let paid = s
        .write(|tx| tx.record_payment(&by_hand(january.statement_id, "2025-03-05", "100", "41")))
        .unwrap();
    let e = s
        .write(|tx| tx.reopen_statement(&january.number, d("2025-03-06"), "ошибка"))
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Rule(RuleError::StatementPaid { number, paid }) if *number == january.number && *paid == rub("100")),
        "{e:?}"
    );
    assert!(
        e.text(partner_desk::domain::Lang::Ru)
            .contains("премию заплатят дважды"),
        "{}",
        e.text(partner_desk::domain::Lang::Ru)
    );
    assert!(
        s.read()
            .dues()
            .unwrap()
            .iter()
            .any(|d| d.number == january.number),
        "still in force"
    );
    // A payment recorded by mistake is undone first; then the statement reopens.
    s.write(|tx| tx.undo_payment(paid, d("2025-03-06")))
        .unwrap();
    s.write(|tx| tx.reopen_statement(&january.number, d("2025-03-06"), "ошибка"))
        .unwrap();
    assert!(
        !s.read()
            .dues()
            .unwrap()
            .iter()
            .any(|d| d.number == january.number)
    );
}
