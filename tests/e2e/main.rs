//! End-to-end tests: the real built app in a real window, against the real engine, checked with
//! the docker CLI. `scripts/test.sh` builds the app with the `custom-protocol` feature and runs
//! these under xvfb-run; run any other way they fail with a message saying what is missing.

#[path = "../support/cli.rs"]
mod cli;
mod compose;
mod desktop;
mod disk;
mod engines;
mod harness;
mod images;
mod live;
mod logs;
mod networks;
mod palette;
#[path = "../support/procs.rs"]
#[allow(dead_code)]
mod procs;
#[path = "../support/proxy.rs"]
mod proxy;
mod readme;
mod run;
mod settings;
mod stats;
pub mod tray;
mod unreachable;
mod views;
#[path = "../support/watcher.rs"]
mod watcher;
