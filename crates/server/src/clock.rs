//! The service's clock: the system's, or one that tests set by hand, so that scheduled
//! openings and closings can be tested without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Where the time comes from. Cheap to clone; clones of a manual clock share its time.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's clock.
    #[default]
    System,
    /// A clock that stands still until [`Clock::set`] moves it (Unix seconds).
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock showing `at` (Unix seconds).
    pub fn manual(at: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(at)))
    }

    /// The time now, in Unix seconds.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| elapsed.as_secs() as i64)
                .unwrap_or(0),
            Clock::Manual(at) => at.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock to `at` (Unix seconds); the system clock cannot be moved, and is
    /// left as it is.
    pub fn set(&self, at: i64) {
        if let Clock::Manual(time) = self {
            time.store(at, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_set_and_its_clones_follow() {
        let clock = Clock::manual(1_000);
        let clone = clock.clone();
        assert_eq!(clock.now(), 1_000);
        clock.set(2_000);
        assert_eq!(clone.now(), 2_000);
        let system = Clock::System;
        system.set(5);
        assert!(system.now() > 1_700_000_000);
    }
}
