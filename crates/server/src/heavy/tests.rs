use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::Duration;

use super::*;

fn key(name: &str) -> ResultsKey {
    ResultsKey {
        exercise: "x".to_string(),
        round: "r".to_string(),
        version: 1,
        request: name.to_string(),
    }
}

fn ready<T>(computation: Computation<T>) -> Arc<T> {
    match computation {
        Computation::Ready(value) => value,
        other => panic!(
            "expected a result, got {}",
            match other {
                Computation::Queued => "queued",
                _ => "full",
            }
        ),
    }
}

/// Takes the only permit of `heavy` with a computation of `name` that waits until the returned
/// sender sends (or is dropped); returns once it runs.
async fn hold_the_permit(
    heavy: &HeavyWork<u64>,
    name: &str,
) -> (
    mpsc::Sender<()>,
    tokio::task::JoinHandle<Result<Computation<u64>, AppError>>,
) {
    let (release, released) = mpsc::channel::<()>();
    let (started, running) = tokio::sync::oneshot::channel();
    let holder = heavy.clone();
    let key = key(name);
    let handle = tokio::spawn(async move {
        holder
            .results(key, move || {
                started.send(()).expect("the test waits for the start");
                let _ = released.recv();
                Ok(1)
            })
            .await
    });
    running.await.expect("the computation starts");
    (release, handle)
}

/// Waits (at most ten seconds) for `name` to be in the cache.
async fn landed(heavy: &HeavyWork<u64>, name: &str) -> Arc<u64> {
    for _ in 0..1000 {
        if let Some(value) = heavy.cached(&key(name)) {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the queued computation of `{name}` never landed in the cache");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_computation_beyond_the_cap_is_queued_not_run_at_once() {
    let heavy: HeavyWork<u64> = HeavyWork::new(1, 8);
    let (release, first) = hold_the_permit(&heavy, "first").await;

    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let second = heavy
        .results(key("second"), move || {
            flag.store(true, Ordering::SeqCst);
            Ok(2)
        })
        .await
        .unwrap();
    assert!(matches!(second, Computation::Queued));
    assert!(
        !ran.load(Ordering::SeqCst),
        "the second ran beside the first"
    );
    assert_eq!(heavy.computed(), 0);
    // Asking again while it waits does not queue it twice.
    let again = heavy
        .results(key("second"), || unreachable!("queued twice"))
        .await
        .unwrap();
    assert!(matches!(again, Computation::Queued));

    release.send(()).unwrap();
    assert_eq!(*ready(first.await.unwrap().unwrap()), 1);
    assert_eq!(*landed(&heavy, "second").await, 2);
    assert!(ran.load(Ordering::SeqCst));
    assert_eq!(heavy.computed(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_request_is_served_from_the_cache() {
    let heavy: HeavyWork<u64> = HeavyWork::new(1, 8);
    let first = ready(heavy.results(key("a"), || Ok(7)).await.unwrap());
    let second = ready(
        heavy
            .results(key("a"), || unreachable!("computed twice"))
            .await
            .unwrap(),
    );
    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(heavy.computed(), 1);
    // Another key is another computation.
    assert_eq!(*ready(heavy.results(key("b"), || Ok(8)).await.unwrap()), 8);
    assert_eq!(heavy.computed(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_is_bounded_and_drops_the_least_recently_used() {
    let heavy: HeavyWork<u64> = HeavyWork::new(1, 2);
    for (name, value) in [("a", 1), ("b", 2), ("c", 3)] {
        heavy.results(key(name), move || Ok(value)).await.unwrap();
    }
    assert!(heavy.cached(&key("a")).is_none());
    assert_eq!(heavy.cached(&key("b")).as_deref(), Some(&2));
    assert_eq!(heavy.cached(&key("c")).as_deref(), Some(&3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_refuses_more_and_errors_are_not_cached() {
    let heavy: HeavyWork<u64> = HeavyWork::new(1, 8);
    let (release, first) = hold_the_permit(&heavy, "first").await;
    for index in 0..QUEUED_PER_PERMIT {
        let name = format!("queued-{index}");
        let queued = heavy.results(key(&name), || Ok(0)).await.unwrap();
        assert!(matches!(queued, Computation::Queued));
    }
    let refused = heavy
        .results(key("one-too-many"), || {
            unreachable!("ran though the queue was full")
        })
        .await
        .unwrap();
    assert!(matches!(refused, Computation::Full));
    release.send(()).unwrap();
    first.await.unwrap().unwrap();
    for index in 0..QUEUED_PER_PERMIT {
        landed(&heavy, &format!("queued-{index}")).await;
    }

    let failing = || Err(AppError::unprocessable("no method fits"));
    assert!(heavy.results(key("failing"), failing).await.is_err());
    assert!(heavy.results(key("failing"), failing).await.is_err());
    assert_eq!(heavy.computed(), 1 + QUEUED_PER_PERMIT as u64 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identical_request_while_one_computes_is_queued_not_computed_twice() {
    // Two permits: one is free, yet the same key is not computed beside itself.
    let heavy: HeavyWork<u64> = HeavyWork::new(2, 8);
    let (release, first) = hold_the_permit(&heavy, "same").await;
    let again = heavy
        .results(key("same"), || unreachable!("computed beside itself"))
        .await
        .unwrap();
    assert!(matches!(again, Computation::Queued));
    // Another key takes the free permit at once.
    assert_eq!(
        *ready(heavy.results(key("other"), || Ok(5)).await.unwrap()),
        5
    );
    release.send(()).unwrap();
    assert_eq!(*ready(first.await.unwrap().unwrap()), 1);
    let cached = ready(
        heavy
            .results(key("same"), || unreachable!("the result was cached"))
            .await
            .unwrap(),
    );
    assert_eq!(*cached, 1);
    assert_eq!(heavy.computed(), 2);
}
