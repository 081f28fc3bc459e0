//! Locks that outlive a panic. A panic while a lock is held (a bug in one command) poisons a std
//! lock, and every later `lock().expect(..)` would panic too: one failed command would take every
//! later one with it. Berth's locks guard maps and values that stay valid between statements, so
//! the guard is taken back as it is.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(PoisonError::into_inner)
}

pub fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_locked_does_not_take_later_callers_with_it() {
        let m = std::sync::Arc::new(Mutex::new(vec![1]));
        let l = std::sync::Arc::new(RwLock::new(1));
        let (m2, l2) = (m.clone(), l.clone());
        let crashed = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            let _w = l2.write().unwrap();
            panic!("a bug in one command");
        })
        .join();
        assert!(crashed.is_err() && m.is_poisoned() && l.is_poisoned());
        lock(&m).push(2);
        assert_eq!(*lock(&m), vec![1, 2]);
        *write(&l) += 1;
        assert_eq!(*read(&l), 2);
    }
}
