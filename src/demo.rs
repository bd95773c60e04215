//! Realistic demo data: two years of a small partner channel, made through the same store
//! API as real work, so every rule holds in it. Deterministic for a given "today".

use chrono::{Days, NaiveDate};

use crate::domain::status::CertifiedSpecialist;
use crate::domain::{Evidence, Inn, LicenseKind, Money, PartnerId, RoleFacts, Status};
use crate::store::{NewSale, PinOutcome, Store, StoreError};

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
}

impl DemoSummary {
    /// What the demo made, in words.
    pub fn text(&self, lang: crate::domain::Lang) -> String {
        format!(
            "{} {} · {} {} · {} {} · {} {}",
            lang.pick("Демо-данные: партнёров", "Demo data: partners"),
            self.partners,
            lang.pick("закреплений", "pins"),
            self.pins,
            lang.pick("продаж", "sales"),
            self.sales,
            lang.pick("возвратов", "returns"),
            self.returns
        )
    }
}

/// Fills the database with two years of demo data ending on `today`, in one transaction.
pub fn fill(store: &mut Store, today: NaiveDate) -> Result<DemoSummary, StoreError> {
    let mut rng = Lcg(0x5EED_1CC0);
    let start = today - Days::new(730);
    store.write(|db| {
        let mut summary = DemoSummary::default();
        let mut partners: Vec<PartnerId> = Vec::new();
        for (i, (name, status, one_c)) in PARTNERS.iter().enumerate() {
            let inn = if name.starts_with("ИП") {
                Inn::complete(&format!("77{:08}", 10_000_000 + i as u64 * 7_919))
            } else {
                Inn::complete(&format!("77{:07}", 1_000_000 + i as u64 * 104_729))
            };
            let Some(inn) = inn else { continue };
            let id = db.add_partner(&inn, name, *one_c)?;
            if let Some(status) = status {
                // A year ago a step lower, promoted some months ago.
                let lower = match status {
                    Status::Integrator => Some(Status::Dealer),
                    Status::Dealer => Some(Status::Agent),
                    Status::Agent => None,
                };
                if let Some(lower) = lower {
                    db.add_status_change(id, start - Days::new(200), Some(lower), "Договор")?;
                    let promoted = start + Days::new(90 + rng.below(150));
                    db.add_status_change(id, promoted, Some(*status), "Повышение статуса")?;
                } else {
                    db.add_status_change(id, start - Days::new(30), Some(*status), "Договор")?;
                }
            }
            let mut evidence = Evidence {
                clients_use_service: *status != Some(Status::Agent) || i % 2 == 0,
                offers_upgrades: *status == Some(Status::Integrator) || i % 3 != 0,
                initiates_meetings: i != 2,
                ..Evidence::default()
            };
            if *status == Some(Status::Integrator) && i != 2 {
                evidence.site_page_url = format!("https://partner{i}.example.ru/1c-connect");
                evidence.site_checked_on = Some(today - Days::new(20 + i as u64));
                evidence.specialists.push(CertifiedSpecialist {
                    name: ["Иванова Анна", "Петров Сергей", "Кузнецова Мария"][i % 3].into(),
                    certified_on: start + Days::new(30),
                });
            }
            db.set_evidence(id, &evidence)?;
            partners.push(id);
            summary.partners += 1;
        }

        let mut sale_no = 0_u32;
        let mut sales: Vec<(crate::domain::SaleId, NaiveDate, Money)> = Vec::new();
        for c in 0..72_usize {
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
            let Some(client) = Inn::complete(&format!("50{:07}", 2_000_000 + c as u64 * 15_485))
            else {
                continue;
            };
            let partner = partners[c % partners.len()];
            // Some pins end within the next days, as any morning has a few.
            let ending_soon = c % 13 == 3;
            let pinned_on = if ending_soon {
                today - Days::new(80 + c as u64 % 7)
            } else {
                start + Days::new(rng.below(640))
            };
            let PinOutcome::Pinned {
                pin_id,
                mut ends_on,
            } = db.request_pin(&client, &name, partner, pinned_on, "Заявка партнёра")?
            else {
                continue;
            };
            summary.pins += 1;
            // Most pins are extended by agreement while the partner keeps working the client.
            let keep = !ending_soon && rng.chance(70);
            while keep && ends_on <= today + Days::new(20) {
                let on = (ends_on - Days::new(5)).min(today);
                ends_on =
                    db.extend_pin(pin_id, on, "Руководитель отдела", "Продолжение проекта")?;
            }
            if c % 11 == 5 && ends_on > today + Days::new(30) {
                db.release_pin(pin_id, today - Days::new(3), "Клиент отказался от проекта")?;
                ends_on = today - Days::new(3);
            }
            let last = crate::domain::pin::last_day_of(ends_on).min(today);
            let span = (last - pinned_on).num_days().max(1) as u64;
            for _ in 0..(2 + rng.below(7)) {
                let date = pinned_on + Days::new(rng.below(span));
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
                sale_no += 1;
                let id = db.record_sale(&NewSale {
                    doc: Some(format!("РН-{:05}", sale_no)),
                    date,
                    partner,
                    client_inn: client,
                    client_name: name.clone(),
                    kind,
                    amount,
                    role,
                })?;
                sales.push((id, date, amount));
                summary.sales += 1;
            }
            // ITS and developer services need no pin.
            if rng.chance(60) {
                for kind in [LicenseKind::Its, LicenseKind::DevServices] {
                    let date = start + Days::new(rng.below(730));
                    let amount = Money::from_kopecks((3 + rng.below(60) as i64) * 10_000);
                    sale_no += 1;
                    let id = db.record_sale(&NewSale {
                        doc: Some(format!("РН-{:05}", sale_no)),
                        date,
                        partner,
                        client_inn: client,
                        client_name: name.clone(),
                        kind,
                        amount,
                        role: RoleFacts::default(),
                    })?;
                    sales.push((id, date, amount));
                    summary.sales += 1;
                }
            }
            // Another partner asks for a client already pinned: refused and recorded.
            if c % 9 == 0 && today < ends_on {
                let other = partners[(c + 3) % partners.len()];
                db.request_pin(
                    &client,
                    &name,
                    other,
                    today - Days::new(rng.below(20)),
                    "Повторная заявка",
                )?;
            }
        }
        for (i, (id, date, amount)) in sales.iter().enumerate() {
            let returned_on = *date + Days::new(25);
            if i % 23 == 7 && returned_on <= today {
                let half = Money::from_kopecks(amount.kopecks() / 2);
                db.record_return(*id, returned_on, half, Some(&format!("ВЗ-{:04}", i)))?;
                summary.returns += 1;
            }
        }
        Ok(summary)
    })
}
