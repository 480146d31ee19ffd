//! What one client may cost the server: the settings ([`Limits`]), keyed rate limits
//! ([`RateLimiter`]) and the bounded pool that CPU-heavy work runs on ([`CpuPool`]).
//!
//! Rate limits are counted in this process's memory, so with several instances behind one
//! PostgreSQL each instance counts on its own: a client spread over `n` instances gets `n`
//! times the limit. That keeps a login free of database writes; ARCHITECTURE.md says so.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult, Kind};

/// The limits of one server; [`Limits::default`] is what `debrief serve` runs with.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The whole request, body included: past it the client gets a 503 problem document.
    pub request_timeout: Duration,
    /// A connection must send a request's headers within this (slow-header clients are cut).
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// Login attempts per client address: a burst, then one per `login_refill`.
    pub login_per_address: u32,
    /// Login attempts per user name, from anywhere.
    pub login_per_user: u32,
    pub login_refill: Duration,
    /// Writes (POST, PUT, PATCH, DELETE) per signed-in user: a burst, then one per `write_refill`.
    pub writes_per_user: u32,
    pub write_refill: Duration,
    /// Lint, parse and password work running at once; the rest wait up to `cpu_wait`.
    pub cpu_workers: usize,
    pub cpu_wait: Duration,
    /// Behind a reverse proxy every connection comes from the proxy: take the client's address
    /// from the last `X-Forwarded-For` entry (the one the proxy added) for limits and the audit
    /// trail. Off by default, since a client reaching the server directly could forge it.
    pub behind_proxy: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            request_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
            login_per_address: 20,
            login_per_user: 10,
            login_refill: Duration::from_secs(6),
            writes_per_user: 120,
            write_refill: Duration::from_millis(100),
            // One core is left to the threads that answer requests.
            cpu_workers: std::thread::available_parallelism()
                .map_or(1, |n| n.get().saturating_sub(1).max(1)),
            cpu_wait: Duration::from_secs(5),
            behind_proxy: false,
        }
    }
}

/// Keys a limiter remembers at most; beyond that, full (idle) buckets are forgotten first.
const MAX_KEYS: usize = 100_000;

/// Token buckets by key: `burst` tokens, one more every `refill`.
pub struct RateLimiter {
    burst: u32,
    refill: Duration,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(burst: u32, refill: Duration) -> RateLimiter {
        RateLimiter {
            burst: burst.max(1),
            refill: refill.max(Duration::from_micros(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `key`, or says how long until one is free.
    pub fn take(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let burst = f64::from(self.burst);
        let per_sec = 1.0 / self.refill.as_secs_f64();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            // Buckets that have refilled say nothing a fresh one would not; forget them first.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < burst
            });
            // Keys sprayed faster than they refill: forget the least recently used half, so
            // memory stays bounded whatever a client sends.
            if buckets.len() >= MAX_KEYS {
                let mut ats: Vec<Instant> = buckets.values().map(|b| b.1).collect();
                let mid = ats.len() / 2;
                let (_, cut, _) = ats.select_nth_unstable(mid);
                let cut = *cut;
                buckets.retain(|_, (_, at)| *at > cut);
            }
        }
        let (tokens, at) = buckets.entry(key.to_string()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / per_sec))
        }
    }
}

/// A 429 problem saying when to come back (the seconds also go in `Retry-After`).
pub fn too_many(what: &str, wait: Duration) -> ApiError {
    let secs = wait.as_secs().max(1);
    let mut e = ApiError::new(
        Kind::TooManyRequests,
        format!("too many {what}; try again in {secs} s"),
    );
    e.retry_after = Some(secs);
    e
}

/// A bounded pool for CPU-heavy work (lint, parse, password hashing), off the threads that
/// serve requests: a flood of expensive requests waits here while `/healthz` and reads go on.
#[derive(Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl CpuPool {
    pub fn new(workers: usize, wait: Duration) -> CpuPool {
        CpuPool {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            wait,
        }
    }

    /// Runs `f` on a blocking thread once a worker is free; 503 when none frees up in time.
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let busy = || {
            let mut e = ApiError::new(
                Kind::Unavailable,
                "the server is busy with other reviews; try again in a few seconds",
            );
            e.retry_after = Some(2);
            e
        };
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f()
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "blocking work failed");
            ApiError::new(
                Kind::Internal,
                "the server failed while doing this; it was logged",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_says_when() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        assert!((0..3).all(|_| l.take("a").is_ok()));
        let wait = l.take("a").unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert!(l.take("b").is_ok(), "keys are counted apart");
    }

    #[test]
    fn sprayed_keys_cannot_grow_memory_past_the_bound() {
        let l = RateLimiter::new(2, Duration::from_secs(3600));
        for i in 0..(MAX_KEYS * 2) {
            let _ = l.take(&format!("k{i}"));
        }
        let kept = l.buckets.lock().unwrap().len();
        assert!(kept <= MAX_KEYS, "{kept} keys kept");
        // The newest keys are still remembered.
        let last = format!("k{}", MAX_KEYS * 2 - 1);
        assert!(l.take(&last).is_ok());
        assert!(l.take(&last).is_err());
    }

    #[test]
    fn tokens_come_back_with_time() {
        let l = RateLimiter::new(1, Duration::from_millis(20));
        assert!(l.take("a").is_ok());
        assert!(l.take("a").is_err());
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.take("a").is_ok());
    }

    #[test]
    fn a_rate_above_a_thousand_a_second_is_kept() {
        // `serve --writes-per-second` takes up to 100,000: in 50 ms, 5,000 changes.
        let l = RateLimiter::new(1, Duration::from_secs(1) / 100_000);
        let start = std::time::Instant::now();
        let mut taken = 0;
        while start.elapsed() < Duration::from_millis(50) {
            if l.take("a").is_ok() {
                taken += 1;
            }
        }
        let most = 1 + (start.elapsed().as_secs_f64() * 100_000.0) as usize;
        assert!(
            taken > 200 && taken <= most,
            "{taken} taken, at most {most}"
        );
    }
}
