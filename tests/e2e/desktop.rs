//! Desktop manners: a second launch hands over to the running Berth and exits.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{app_path, App};

#[tokio::test(flavor = "multi_thread")]
async fn a_second_launch_hands_over_to_the_running_one() {
    let app = App::launch(&[]).await;
    app.wait_connected().await;
    let mut second =
        Command::new(app_path()).env("BERTH_LOG", "info").spawn().expect("start a second Berth");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let _ = second.kill();
            panic!("the second launch kept running beside the first");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "the second launch exits cleanly: {status}");
    // The first one is still there and answering.
    app.wait_connected().await;
    assert!(
        app.try_by_role("table", "Containers").await.is_some()
            || app.try_by_role("region", "Containers").await.is_some()
    );
    app.quit().await;
}
