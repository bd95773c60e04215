//! Any bytes, as a CSV file of each kind and as the text of an amount, a date and an INN:
//! nothing may panic, and an accepted amount reads back as itself.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use partner_desk::domain::{self, Inn, Money};
use partner_desk::import::{self, ImportKind};
use partner_desk::store::Store;

thread_local! {
    static STORE: RefCell<Option<Store>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(m) = Money::parse_amount(text) {
            assert_eq!(Money::parse_amount(&m.plain()), Ok(m));
        }
        let _ = Inn::parse(text);
        let _ = domain::parse_date(text);
    }
    STORE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let store = cell.get_or_insert_with(|| Store::open_in_memory().expect("memory store"));
        for kind in ImportKind::ALL {
            let _ = import::import_bytes(store, kind, data);
        }
    });
});
