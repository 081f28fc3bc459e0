//! Engine integration tests: Berth's engine layer against a real Docker engine, checked with
//! the docker CLI. One test binary so linking stays cheap. `scripts/test.sh` starts dockerd and
//! makes the fixture images first; run alone, these tests fail with a message saying so.

mod archive;
mod build;
#[path = "../support/cli.rs"]
mod cli;
mod common;
mod compose;
mod connect;
mod disk;
mod events;
mod images;
mod lists;
mod logs;
mod networks;
mod podman;
#[path = "../support/proxy.rs"]
#[allow(dead_code)]
mod proxy;
mod pull;
mod recreate;
mod registry;
mod remote;
mod run;
mod stats;
mod volumes;
