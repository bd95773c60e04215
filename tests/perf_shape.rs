//! The shape of performance (the figures themselves come from `cargo run --release
//! --example perf`, see docs/PERFORMANCE.md): an import takes time in proportion to its
//! rows, and a frame of the Sales page does not grow with the number of sales, since the
//! table draws only visible rows from pages read on demand. Each compares timings, so each
//! runs alone, not beside the other tests: `scripts/test-with-server` runs them after the
//! rest, one at a time (`--ignored --test-threads 1`).

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use partner_desk::app::{App, Command, Config};
use partner_desk::domain::Lang;
use partner_desk::import::{ImportKind, import_file};
use partner_desk::store::Store;
use partner_desk::synthetic;
use partner_desk::ui::Page;

use crate::util::*;

/// A database holding `sales` synthetic sales, and how long importing the sales took.
fn database(t: &TempDb, sales: usize) -> Duration {
    let files = synthetic::write_files(&t.dir.path().join("data"), sales).unwrap();
    let mut store: Store = t.open();
    import_file(&mut store, ImportKind::Partners, &files.partners).unwrap();
    import_file(&mut store, ImportKind::Pins, &files.pins).unwrap();
    let started = Instant::now();
    let summary = import_file(&mut store, ImportKind::Sales, &files.sales).unwrap();
    assert_eq!(summary.sales, sales);
    started.elapsed()
}

#[test]
#[ignore = "compares timings: run alone (scripts/test-with-server does, after the rest)"]
fn import_time_grows_in_proportion_to_the_rows() {
    let (small, large) = (TempDb::new(), TempDb::new());
    let per_row = |t: &TempDb, n: usize| database(t, n).as_secs_f64() / n as f64;
    let small_row = per_row(&small, 2_000);
    let large_row = per_row(&large, 20_000);
    // Ten times the rows may cost a little more per row (deeper indexes), never ten times.
    assert!(
        large_row < small_row * 3.0,
        "per row: {:.1} µs at 2 000 rows, {:.1} µs at 20 000",
        small_row * 1e6,
        large_row * 1e6
    );
}

/// The median time of frames of the Sales page scrolling through a database.
fn sales_frame(t: &TempDb) -> Duration {
    let config = Config {
        lang: Some(Lang::Ru),
        today: Some(d("2025-12-31")),
        background_reads: false,
        dialogs: Box::new(partner_desk::ui::dialogs::ScriptedDialogs {
            answers: Vec::new().into(),
        }),
        ..Config::new(t.path.clone())
    };
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| App::new(cc, config));
    h.state_mut().run(Command::Navigate(Page::Sales));
    for _ in 0..5 {
        h.step();
    }
    let mut times = Vec::new();
    for i in 0..40 {
        h.event(egui::Event::PointerMoved(egui::pos2(700.0, 400.0)));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, if i % 2 == 0 { -3_000.0 } else { 1_000.0 }),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        let started = Instant::now();
        h.step();
        times.push(started.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

#[test]
#[ignore = "compares timings: run alone (scripts/test-with-server does, after the rest)"]
fn a_sales_page_frame_does_not_grow_with_the_number_of_sales() {
    let (small, large) = (TempDb::new(), TempDb::new());
    database(&small, 1_000);
    database(&large, 20_000);
    let (small_frame, large_frame) = (sales_frame(&small), sales_frame(&large));
    assert!(
        large_frame < small_frame * 3 + Duration::from_millis(5),
        "median frame: {small_frame:?} with 1 000 sales, {large_frame:?} with 20 000"
    );
}
