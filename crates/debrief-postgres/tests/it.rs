//! PostgreSQL backend tests against a real server. The test command starts a throwaway cluster
//! (`scripts/with-postgres`) and passes its URL in DEBRIEF_TEST_POSTGRES_URL; each test creates
//! its own databases there. Without the variable the tests say so and skip, unless
//! DEBRIEF_REQUIRE_ALL is set (as the test command does), when they fail.
//!
//! - `story`: the conformance story every backend passes.
//! - `refusals`: a server that could lose writes, a wrong URL, an unreachable server.

mod refusals;
mod story;
mod support;
