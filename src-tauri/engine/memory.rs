//! Handing freed memory back to the system. glibc keeps each thread's malloc arena at its
//! high-water mark: a log read whole, or the list of ten thousand containers decoded and sent to
//! the page, would otherwise stay in the process's resident memory after it was freed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Return the free part of the allocator's arenas to the system now.
pub fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// After a large allocation was freed by someone else (the page's copy of a list is serialized
/// after the command returns): give memory back once things are quiet, at most once at a time.
pub fn give_back_soon() {
    static PENDING: AtomicBool = AtomicBool::new(false);
    if PENDING.swap(true, Ordering::SeqCst) {
        return;
    }
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        PENDING.store(false, Ordering::SeqCst);
        give_back_freed_memory();
    });
}
