//! The Sales page's reads, without a window.

use super::*;

fn demo() -> crate::store::Store {
    let mut store = crate::store::Store::open_in_memory().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    crate::demo::fill(&mut store, today).unwrap();
    store
}

#[test]
fn the_first_rows_are_shown_before_the_totals_and_become_the_first_page() {
    let store = demo();
    let mut page = SalesPage::default();
    // Only the first rows have come: they are shown, the totals are not known yet.
    let first = store.read().sales_page(&page.query, 0, PAGE_ROWS).unwrap();
    assert!(!first.is_empty());
    let shown = first.len();
    page.first = Some(FirstRows {
        version: 1,
        query: page.query.clone(),
        rows: first.clone(),
    });
    assert!(page.rows_shown());
    assert_eq!(page.totals(), Some((shown, None)));
    assert_eq!(page.row(0).map(|r| r.id), Some(first[0].id));
    // Then the selection: its first page is the rows already read, not read again.
    page.first = None;
    page.load(crate::reader::Reader::inline().ask(&store), 1);
    let selection = store.read().sales_selection(&page.query).unwrap();
    let (count, sums) = page.totals().unwrap();
    assert_eq!(count, selection.ids.len());
    assert_eq!(sums, Some((selection.amount, selection.premium)));
    assert!(page.paging.is_empty() && page.wanted.is_empty());
    let cached = &page.cache.as_ref().unwrap().pages[&0];
    let ids: Vec<_> = cached.iter().map(|r| r.id.0).collect();
    assert_eq!(ids, selection.ids[..ids.len()]);
    assert!(!page.loading());
}

#[test]
fn a_filter_shown_before_comes_back_at_once_until_the_data_changes() {
    let store = demo();
    // A database with no sales: what a page reads there shows nothing.
    let empty = crate::store::Store::open_in_memory().unwrap();
    let mut page = SalesPage::default();
    let everything = page.query.clone();
    let show = |page: &mut SalesPage, store: &crate::store::Store, version| {
        page.load(crate::reader::Reader::inline().ask(store), version);
        page.row(0);
        page.load(crate::reader::Reader::inline().ask(store), version);
    };
    show(&mut page, &store, 1);
    let all = page.totals().unwrap();
    let top = page.row(0).map(|r| r.id);
    assert!(all.0 > 0 && top.is_some());
    page.set_query(SalesQuery {
        kind: Some(LicenseKind::ALL[0]),
        ..everything.clone()
    });
    show(&mut page, &store, 1);
    assert!(page.totals().unwrap().0 < all.0);
    // Back to every sale: shown as it was, nothing read (the empty database is not
    // asked).
    page.set_query(everything.clone());
    show(&mut page, &empty, 1);
    assert_eq!(page.totals(), Some(all));
    assert_eq!(page.row(0).map(|r| r.id), top);
    assert!(!page.loading());
    // Once the data changes, a filter is read again.
    page.set_query(SalesQuery {
        kind: Some(LicenseKind::ALL[0]),
        ..everything
    });
    show(&mut page, &empty, 2);
    assert_eq!(page.totals().map(|t| t.0), Some(0));
}

#[test]
fn a_filter_chosen_and_left_before_its_rows_came_is_not_shown() {
    let dir = std::env::temp_dir().join(format!("partner-desk-left-{}", std::process::id()));
    let path = dir.join("s.sqlite3");
    let mut store = crate::store::Store::open(&path).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    crate::demo::fill(&mut store, today).unwrap();
    let reader = crate::reader::Reader::on_thread(path, || {});
    let mut page = SalesPage::default();
    let everything = page.query.clone();
    // Every sale, read and shown.
    page.load(crate::reader::Reader::inline().ask(&store), 1);
    assert!(page.cache.as_ref().is_some_and(|c| c.query == everything));
    // The reader is busy; a kind is chosen, then every sale again, before it answers.
    let (go_on, wait) = std::sync::mpsc::channel::<()>();
    let busy = reader.run(&store, move |_| wait.recv().is_ok());
    page.set_query(SalesQuery {
        kind: Some(LicenseKind::ALL[0]),
        ..everything.clone()
    });
    page.load(reader.ask(&store), 1);
    assert!(page.selecting.is_some());
    page.set_query(everything.clone());
    page.load(reader.ask(&store), 1);
    go_on.send(()).unwrap();
    assert!(busy.recv().unwrap());
    // Whatever the reader does next, the kind's selection is not shown.
    let done = reader.run(&store, |_| ());
    done.recv().unwrap();
    page.load(reader.ask(&store), 1);
    assert!(page.cache.as_ref().is_some_and(|c| c.query == everything));
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}
