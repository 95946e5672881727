//! A counting global allocator, for peak-memory figures.
//!
//! Install it in a binary with
//! `#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;`, then
//! call [`start_counting`] and [`stop_counting`] around the work to measure. It counts
//! nothing until then, so that timed figures do not pay for the counting
//! (two atomic operations per allocation).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static COUNTING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live heap bytes and their high-water mark.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAlloc;

fn grew(by: usize) {
    if !COUNTING.load(Ordering::Relaxed) {
        return;
    }
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        // Blocks allocated before counting began may be freed during it.
        let _ = CURRENT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| {
            Some(now.saturating_sub(by))
        });
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters are
// only bookkeeping.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // Counted as a new block next to the old one, then the old one
            // freed: a moving realloc briefly holds both, and the peak
            // should say so (an in-place one is over-counted, which errs on
            // the side of a higher figure).
            grew(new_size);
            shrank(layout.size());
        }
        new
    }
}

/// Starts counting from zero: what is allocated from now on, and its
/// high-water mark.
pub fn start_counting() {
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
}

/// Stops counting and returns the high-water mark since
/// [`start_counting`]: the most heap bytes allocated then and live at once
/// (0 unless [`CountingAlloc`] is the global allocator).
pub fn stop_counting() -> usize {
    COUNTING.store(false, Ordering::Relaxed);
    PEAK.load(Ordering::Relaxed)
}
