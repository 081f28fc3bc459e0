//! A unix socket that forwards to the real engine and can be pulled away and put back, to play
//! an engine that dies and comes back.

use std::path::{Path, PathBuf};

use tokio::net::{UnixListener, UnixStream};
use tokio::task::{JoinHandle, JoinSet};

pub struct Proxy {
    path: PathBuf,
    task: JoinHandle<()>,
}

impl Proxy {
    pub fn start(path: &Path, target: PathBuf) -> Proxy {
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path).expect("bind proxy socket");
        let task = tokio::spawn(async move {
            // Dropping the set (when the task is aborted) cuts every open connection.
            let mut conns = JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { return };
                let target = target.clone();
                conns.spawn(async move {
                    if let Ok(mut out) = UnixStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
            }
        });
        Proxy { path: path.to_path_buf(), task }
    }

    pub fn stop(self) {
        self.task.abort();
        let _ = std::fs::remove_file(&self.path);
    }
}
