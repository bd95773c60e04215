//! The program's allocator: the system's, with a last word when it fails. Rust aborts on a
//! failed allocation without running the panic hook, so a file that made the program ask
//! for 500 GB would leave nothing behind. This allocator keeps a reserve of 8 MiB aside;
//! when the system refuses an allocation it gives the reserve back and calls the function
//! `diagnostics::start` registered, which writes a crash report and a log line, and then
//! returns the refusal, after which Rust aborts as before.
//!
//! The one module that uses `unsafe`: `GlobalAlloc` is an unsafe trait, and each method
//! only forwards to `System` with the caller's own layout and pointer.
//!
//! A refusal that the program would have handled (a `try_reserve`) is reported too: no
//! code of the program asks that way, and the report says which size was refused.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// The system's allocator, with a report when it fails (see the module).
pub struct Allocator;

/// How much memory is kept aside for the report.
const RESERVE: usize = 8 << 20;

static RESERVE_BLOCK: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static REPORTING: AtomicBool = AtomicBool::new(false);
static ON_FAILURE: OnceLock<fn(usize)> = OnceLock::new();

fn reserve_layout() -> Layout {
    Layout::from_size_align(RESERVE, 16).unwrap_or(Layout::new::<u8>())
}

// SAFETY: every method forwards to `System` with the same layout and pointer it was given;
// `failed` only runs after `System` returned null, and allocates nothing itself.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            failed(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            failed(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's pointer, layout and size, as `GlobalAlloc::realloc` requires.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            failed(new_size);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's pointer and layout, as `GlobalAlloc::dealloc` requires.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// The first refusal: the reserve goes back to the system, and the report is written.
/// A refusal while reporting (or after) is left to Rust's abort.
fn failed(size: usize) {
    if REPORTING.swap(true, Ordering::SeqCst) {
        return;
    }
    let reserve = RESERVE_BLOCK.swap(std::ptr::null_mut(), Ordering::SeqCst);
    if !reserve.is_null() {
        // SAFETY: the block `on_failure` allocated with this very layout, taken once.
        unsafe { System.dealloc(reserve, reserve_layout()) };
    }
    if let Some(report) = ON_FAILURE.get() {
        report(size);
    }
}

/// Sets the reserve aside (touched, so that it is really the program's) and registers
/// `report`, called with the refused size when an allocation fails. Once only.
pub fn on_failure(report: fn(usize)) {
    if ON_FAILURE.set(report).is_err() {
        return;
    }
    // SAFETY: a layout of non-zero size; the block is written only within it.
    let block = unsafe { System.alloc(reserve_layout()) };
    if !block.is_null() {
        // SAFETY: `block` holds `RESERVE` bytes.
        unsafe { std::ptr::write_bytes(block, 0, RESERVE) };
        RESERVE_BLOCK.store(block, Ordering::SeqCst);
    }
}
