//! From statement to paid premium, on either engine: requisites (ours and each partner's)
//! checked field by field, from the partners file and the command line.

use std::process::{Command, Output};

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

fn run(t: &TempDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .arg("--db")
        .arg(t.db_arg())
        .args(args)
        .env("LANG", "ru_RU.UTF-8")
        .env("LC_ALL", "ru_RU.UTF-8")
        .env_remove("PARTNER_DESK_DB")
        .output()
        .unwrap()
}

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
