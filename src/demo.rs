//! Realistic demo data: two years of a small partner channel, made through the same store
//! API as real work, so every rule holds in it. Deterministic for a given "today".

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::domain::payments::{NewPayment, PaymentSource};
use crate::domain::requisites::{complete_ogrn, with_account_key};
use crate::domain::status::CertifiedSpecialist;
use crate::domain::{
    Evidence, Inn, LicenseKind, Money, PartnerId, Requisites, RoleFacts, SaleId, Status, Vat,
};
use crate::store::{NewSale, PinOutcome, Store, StoreError, Tx};

/// A small deterministic random source (no dependency, same data every run).
pub(crate) struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const PARTNERS: [(&str, Option<Status>, bool); 10] = [
    ("ООО «Альфа-Интеграция»", Some(Status::Integrator), true),
    ("ООО «Вектор-1С»", Some(Status::Dealer), true),
    ("АО «БизнесСофт»", Some(Status::Integrator), false),
    ("ООО «Консалт Плюс»", Some(Status::Dealer), false),
    ("ООО «Северный Ветер»", Some(Status::Agent), false),
    ("ООО «Линия Учёта»", Some(Status::Agent), true),
    ("ООО «Меридиан Софт»", Some(Status::Dealer), false),
    ("ИП Смирнов Алексей Петрович", Some(Status::Agent), false),
    ("ООО «Техноцентр»", None, true),
    ("ООО «Гранд-Сервис»", Some(Status::Integrator), true),
];

const CLIENT_FORMS: [&str; 4] = ["ООО", "АО", "ООО", "ПАО"];
const CLIENT_WORDS: [&str; 16] = [
    "Ромашка",
    "Стройинвест",
    "Агрохолдинг Юг",
    "Медцентр Здоровье",
    "Логистик-Плюс",
    "ТоргДом Восток",
    "Пекарня Хлебный Двор",
    "Металлург",
    "Фармация",
    "Автотранс",
    "Мебельная фабрика",
    "ЭнергоСбыт",
    "Северсталь-Сервис",
    "Урал-Техника",
    "Дом Книги",
    "Виктория",
];

/// True when the database has no partners, pins or sales yet.
pub fn is_empty(store: &Store) -> Result<bool, StoreError> {
    let c = store.read().counts()?;
    Ok(c.partners == 0 && c.pins == 0 && c.sales == 0)
}

/// What the demo made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub partners: usize,
    pub pins: usize,
    pub sales: usize,
    pub returns: usize,
    pub statements: usize,
    pub payments: usize,
}

impl DemoSummary {
    /// What the demo made, in words.
    pub fn text(&self, lang: crate::domain::Lang) -> String {
        format!(
            "{} {} · {} {} · {} {} · {} {} · {} {} · {} {}",
            lang.pick("Демо-данные: партнёров", "Demo data: partners"),
            self.partners,
            lang.pick("закреплений", "pins"),
            self.pins,
            lang.pick("продаж", "sales"),
            self.sales,
            lang.pick("возвратов", "returns"),
            self.returns,
            lang.pick("выданных отчётов", "issued statements"),
            self.statements,
            lang.pick("выплат", "payments"),
            self.payments
        )
    }
}

/// Fills the database with two years of demo data ending on `today`, in one transaction:
/// partners with their requisites and ours, pins, sales and returns, and the last two
/// quarters' statements of the busiest partners issued and partly paid.
pub fn fill(store: &mut Store, today: NaiveDate) -> Result<DemoSummary, StoreError> {
    store.write(|db| {
        db.set_organisation(&organisation())?;
        let mut demo = Demo {
            db,
            rng: Lcg(0x5EED_1CC0),
            today,
            start: today - Days::new(730),
            summary: DemoSummary::default(),
            sale_no: 0,
            sales: Vec::new(),
        };
        let mut partners: Vec<PartnerId> = Vec::new();
        for (i, (name, status, one_c)) in PARTNERS.iter().enumerate() {
            if let Some(id) = demo.partner(i, name, *status, *one_c)? {
                partners.push(id);
            }
        }
        for c in 0..72_usize {
            demo.client(c, &partners)?;
        }
        demo.returns()?;
        demo.statements(&partners)?;
        Ok(demo.summary)
    })
}

/// The bank of every demo account: ПАО Сбербанк, Moscow.
const BIK: &str = "044525225";
const CORR_ACCOUNT: &str = "30101810400000000225";
const BANK: &str = "ПАО Сбербанк";

/// Our organisation, as paying the premiums.
fn organisation() -> Requisites {
    Requisites {
        full_name: "ООО «Коннект-Демо»".into(),
        inn: Inn::complete("770100100")
            .map(|inn| inn.as_str().to_owned())
            .unwrap_or_default(),
        kpp: "770101001".into(),
        ogrn: complete_ogrn("102770010010").unwrap_or_default(),
        address: "125047, г. Москва, ул. Примерная, д. 1".into(),
        bank_name: BANK.into(),
        bik: BIK.into(),
        account: with_account_key("40702810038000000017", BIK).unwrap_or_default(),
        corr_account: CORR_ACCOUNT.into(),
        signer_position: "Генеральный директор".into(),
        signer_name: "Соколов И. В.".into(),
        accountant: "Лебедева О. Н.".into(),
        ..Requisites::default()
    }
}

/// Partner `i`'s requisites, its contract signed before `start` and its VAT: an
/// entrepreneur and the Agents not liable, the others at 22 %.
fn partner_requisites(i: usize, name: &str, start: NaiveDate) -> Requisites {
    let entrepreneur = name.starts_with("ИП");
    let (ogrn, account, position, signer) = if entrepreneur {
        (
            complete_ogrn(&format!("31877000{:06}", 1_000 + i * 37)),
            "40802810038000000000",
            "Индивидуальный предприниматель",
            "Смирнов А. П.",
        )
    } else {
        (
            complete_ogrn(&format!("1{:02}77{:07}", 10 + i % 9, 100_000 + i * 31)),
            "40702810038000000000",
            "Генеральный директор",
            ["Волков Д. С.", "Морозова Е. А.", "Зайцев П. Н."][i % 3],
        )
    };
    let account = format!("{}{:03}", &account[..17], 100 + i * 7);
    let agent = PARTNERS.get(i).is_some_and(|p| p.1 == Some(Status::Agent));
    Requisites {
        full_name: name.to_owned(),
        kpp: if entrepreneur {
            String::new()
        } else {
            format!("77{:02}01001", 1 + i % 30)
        },
        ogrn: ogrn.unwrap_or_default(),
        address: format!("г. Москва, ул. Партнёрская, д. {}", i + 1),
        bank_name: BANK.into(),
        bik: BIK.into(),
        account: with_account_key(&account, BIK).unwrap_or_default(),
        corr_account: CORR_ACCOUNT.into(),
        signer_position: position.into(),
        signer_name: signer.into(),
        contract_no: format!("П-{:03}/{}", i + 1, start.year() - 1),
        contract_date: Some(start - Days::new(210)),
        vat: if entrepreneur || agent {
            Some(Vat::NotLiable)
        } else {
            Vat::parse("22").ok().flatten()
        },
        ..Requisites::default()
    }
}

/// The first day of the quarter of `day`.
fn quarter_of(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day)
}

/// The demo being written: its random source, its days, and what it made so far.
struct Demo<'t, 'c> {
    db: &'t Tx<'c>,
    rng: Lcg,
    today: NaiveDate,
    /// Two years before today.
    start: NaiveDate,
    summary: DemoSummary,
    /// The last sale's document number.
    sale_no: u32,
    /// Every sale recorded, with its day and amount.
    sales: Vec<(SaleId, NaiveDate, Money)>,
}

impl Demo<'_, '_> {
    /// Partner `i` of [`PARTNERS`] with its status history and its evidence.
    fn partner(
        &mut self,
        i: usize,
        name: &str,
        status: Option<Status>,
        one_c: bool,
    ) -> Result<Option<PartnerId>, StoreError> {
        let inn = if name.starts_with("ИП") {
            Inn::complete(&format!("77{:08}", 10_000_000 + i as u64 * 7_919))
        } else {
            Inn::complete(&format!("77{:07}", 1_000_000 + i as u64 * 104_729))
        };
        let Some(inn) = inn else { return Ok(None) };
        let id = self.db.add_partner(&inn, name, one_c)?;
        self.db
            .set_partner_requisites(id, &partner_requisites(i, name, self.start))?;
        if let Some(status) = status {
            self.status_history(id, status)?;
        }
        self.db.set_evidence(id, &self.evidence(i, status))?;
        self.summary.partners += 1;
        Ok(Some(id))
    }

    /// A year ago a step lower, promoted some months ago; an Agent from the start.
    fn status_history(&mut self, id: PartnerId, status: Status) -> Result<(), StoreError> {
        let lower = match status {
            Status::Integrator => Some(Status::Dealer),
            Status::Dealer => Some(Status::Agent),
            Status::Agent => None,
        };
        let start = self.start;
        if let Some(lower) = lower {
            self.db
                .add_status_change(id, start - Days::new(200), Some(lower), "Договор")?;
            let promoted = start + Days::new(90 + self.rng.below(150));
            self.db
                .add_status_change(id, promoted, Some(status), "Повышение статуса")?;
        } else {
            self.db
                .add_status_change(id, start - Days::new(30), Some(status), "Договор")?;
        }
        Ok(())
    }

    /// Partner `i`'s evidence: most requirements met; Integrators (but one) with a checked
    /// site page and a certified specialist.
    fn evidence(&self, i: usize, status: Option<Status>) -> Evidence {
        let mut evidence = Evidence {
            clients_use_service: status != Some(Status::Agent) || i.is_multiple_of(2),
            offers_upgrades: status == Some(Status::Integrator) || !i.is_multiple_of(3),
            initiates_meetings: i != 2,
            ..Evidence::default()
        };
        if status == Some(Status::Integrator) && i != 2 {
            evidence.site_page_url = format!("https://partner{i}.example.ru/1c-connect");
            evidence.site_checked_on = Some(self.today - Days::new(20 + i as u64));
            evidence.specialists.push(CertifiedSpecialist {
                name: ["Иванова Анна", "Петров Сергей", "Кузнецова Мария"][i % 3].into(),
                certified_on: self.start + Days::new(30),
            });
        }
        evidence
    }

    /// Client `c`: pinned to a partner (extended, released or ending soon), its sales
    /// while pinned, some ITS and developer services, and now and then another partner's
    /// request refused.
    fn client(&mut self, c: usize, partners: &[PartnerId]) -> Result<(), StoreError> {
        let name = format!(
            "{} «{}{}»",
            CLIENT_FORMS[c % CLIENT_FORMS.len()],
            CLIENT_WORDS[c % CLIENT_WORDS.len()],
            if c >= CLIENT_WORDS.len() {
                format!("-{}", c / CLIENT_WORDS.len() + 1)
            } else {
                String::new()
            }
        );
        let Some(client) = Inn::complete(&format!("50{:07}", 2_000_000 + c as u64 * 15_485)) else {
            return Ok(());
        };
        let partner = partners[c % partners.len()];
        let Some((pinned_on, ends_on)) = self.pin(c, &client, &name, partner)? else {
            return Ok(());
        };
        let last = crate::domain::pin::last_day_of(ends_on).min(self.today);
        let span = (last - pinned_on).num_days().max(1) as u64;
        for _ in 0..(2 + self.rng.below(7)) {
            let date = pinned_on + Days::new(self.rng.below(span));
            self.pinned_sale(date, partner, client, &name)?;
        }
        // ITS and developer services need no pin.
        if self.rng.chance(60) {
            for kind in [LicenseKind::Its, LicenseKind::DevServices] {
                let date = self.start + Days::new(self.rng.below(730));
                let amount = Money::from_kopecks((3 + self.rng.below(60) as i64) * 10_000);
                self.sale(NewSale {
                    doc: None,
                    date,
                    partner,
                    client_inn: client,
                    client_name: name.clone(),
                    kind,
                    amount,
                    role: RoleFacts::default(),
                })?;
            }
        }
        // Another partner asks for a client already pinned: refused and recorded.
        if c.is_multiple_of(9) && self.today < ends_on {
            let other = partners[(c + 3) % partners.len()];
            let on = self.today - Days::new(self.rng.below(20));
            self.db
                .request_pin(&client, &name, other, on, "Повторная заявка")?;
        }
        Ok(())
    }

    /// Client `c` pinned to `partner`: most pins extended by agreement while the partner
    /// keeps working the client, some released, some ending within days. The pin's first
    /// day and its end, when it was pinned.
    fn pin(
        &mut self,
        c: usize,
        client: &Inn,
        name: &str,
        partner: PartnerId,
    ) -> Result<Option<(NaiveDate, NaiveDate)>, StoreError> {
        let today = self.today;
        // Some pins end within the next days, as any morning has a few.
        let ending_soon = c % 13 == 3;
        let pinned_on = if ending_soon {
            today - Days::new(80 + c as u64 % 7)
        } else {
            self.start + Days::new(self.rng.below(640))
        };
        let PinOutcome::Pinned {
            pin_id,
            mut ends_on,
        } = self
            .db
            .request_pin(client, name, partner, pinned_on, "Заявка партнёра")?
        else {
            return Ok(None);
        };
        self.summary.pins += 1;
        let keep = !ending_soon && self.rng.chance(70);
        while keep && ends_on <= today + Days::new(20) {
            let on = (ends_on - Days::new(5)).min(today);
            ends_on =
                self.db
                    .extend_pin(pin_id, on, "Руководитель отдела", "Продолжение проекта")?;
        }
        if c % 11 == 5 && ends_on > today + Days::new(30) {
            self.db
                .release_pin(pin_id, today - Days::new(3), "Клиент отказался от проекта")?;
            ends_on = today - Days::new(3);
        }
        Ok(Some((pinned_on, ends_on)))
    }

    /// A sale of a kind that needs a pin, on `date`, with a random amount and role.
    fn pinned_sale(
        &mut self,
        date: NaiveDate,
        partner: PartnerId,
        client: Inn,
        name: &str,
    ) -> Result<(), StoreError> {
        let rng = &mut self.rng;
        let kind = match rng.below(10) {
            0..=4 => LicenseKind::Saas,
            5..=6 => LicenseKind::OnpremUser,
            7..=8 => LicenseKind::OnpremServer,
            _ => LicenseKind::VideoCalls,
        };
        let amount = Money::from_kopecks(
            (12 + rng.below(480) as i64) * 10_000 + rng.below(100) as i64 * 100,
        );
        let role = RoleFacts {
            self_referred: rng.chance(4),
            connected_by_partner: !rng.chance(3),
            used_in_work: !rng.chance(3),
        };
        self.sale(NewSale {
            doc: None,
            date,
            partner,
            client_inn: client,
            client_name: name.to_owned(),
            kind,
            amount,
            role,
        })
    }

    /// Records `sale` under the next document number.
    fn sale(&mut self, sale: NewSale) -> Result<(), StoreError> {
        self.sale_no += 1;
        let sale = NewSale {
            doc: Some(format!("РН-{:05}", self.sale_no)),
            ..sale
        };
        let id = self.db.record_sale(&sale)?;
        self.sales.push((id, sale.date, sale.amount));
        self.summary.sales += 1;
        Ok(())
    }

    /// The statements of the last two full quarters of the first four partners, each issued
    /// ten days after its quarter: the older ones paid in full a fortnight later, of the
    /// newer the first paid in part, the others still due.
    fn statements(&mut self, partners: &[PartnerId]) -> Result<(), StoreError> {
        let last = quarter_of(self.today) - Months::new(3);
        for (older, from) in [(true, last - Months::new(3)), (false, last)] {
            let to = from + Months::new(3) - Days::new(1);
            let issued_on = (to + Days::new(10)).min(self.today);
            for (n, &partner) in partners.iter().take(4).enumerate() {
                if self
                    .db
                    .statement(partner, from, to, issued_on)?
                    .lines
                    .is_empty()
                {
                    continue;
                }
                let (id, issued) =
                    crate::statements::issue_in(self.db, partner, from, to, issued_on)?;
                self.summary.statements += 1;
                let amount = match (older, n) {
                    (true, _) => issued.premium,
                    (false, 0) => Money::from_kopecks(issued.premium.kopecks() / 2),
                    (false, _) => continue,
                };
                if amount.kopecks() <= 0 {
                    continue;
                }
                self.db.record_payment(&NewPayment {
                    statement_id: id,
                    on_date: (issued_on + Days::new(15)).min(self.today),
                    amount,
                    doc: format!("{}", 101 + self.summary.payments),
                    source: PaymentSource::Hand,
                    bank_ref: String::new(),
                })?;
                self.summary.payments += 1;
            }
        }
        Ok(())
    }

    /// Every 23rd sale (from the 8th) half returned 25 days later, when that day has come.
    fn returns(&mut self) -> Result<(), StoreError> {
        for (i, (id, date, amount)) in self.sales.iter().enumerate() {
            let returned_on = *date + Days::new(25);
            if i % 23 == 7 && returned_on <= self.today {
                let half = Money::from_kopecks(amount.kopecks() / 2);
                self.db
                    .record_return(*id, returned_on, half, Some(&format!("ВЗ-{:04}", i)))?;
                self.summary.returns += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{self, Done};

    #[test]
    fn the_demo_has_whole_requisites_and_statements_paid_settled_in_part_and_still_due() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let summary = fill(&mut store, today).unwrap();
        let db = store.read();
        let ours = db.organisation().unwrap();
        assert_eq!(ours.clone().checked(), Ok(ours.clone()));
        assert!(!ours.inn.is_empty() && ours.missing_for_payment().is_empty());
        for partner in db.partners().unwrap() {
            let r = db.partner_requisites(partner.id).unwrap();
            assert_eq!(r.clone().checked(), Ok(r.clone()), "{}", partner.name);
            assert!(r.missing_for_payment().is_empty(), "{}", partner.name);
            assert!(
                !r.contract_no.is_empty() && r.vat.is_some(),
                "{}",
                partner.name
            );
        }
        let dues = db.dues().unwrap();
        assert_eq!((dues.len(), summary.statements), (8, 8));
        assert_eq!(summary.payments, 5);
        let settled = dues.iter().filter(|d| d.is_settled()).count();
        let unpaid = dues.iter().filter(|d| d.paid.is_zero()).count();
        assert_eq!((settled, unpaid, dues.len() - settled - unpaid), (4, 3, 1));
        // Orders can be made for what is still due, whoever it is due to.
        let numbers: Vec<String> = dues
            .iter()
            .filter(|d| !d.is_settled())
            .map(|d| d.number.clone())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.txt");
        let time = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        drop(db);
        let done = actions::payment_orders(&store, &numbers, None, &path, (today, time));
        let Ok(Done::PaymentOrders(written)) = done else {
            panic!("{done:?}")
        };
        assert!(
            written.refused.is_empty() && written.orders == 4,
            "{written:?}"
        );
        // Numbered on from the demo's last payment order, № 105.
        assert_eq!(written.numbers, (106, 109));
    }
}
