//! A unix socket that forwards to the real engine and can be pulled away and put back, to play
//! an engine that dies and comes back, or can drop only the streams of one kind of request, to
//! play an engine (or a proxy before it) that ends one long response and keeps serving the rest.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::broadcast;
use tokio::task::{JoinHandle, JoinSet};

pub struct Proxy {
    path: PathBuf,
    task: JoinHandle<()>,
    cuts: broadcast::Sender<String>,
    /// The latest request line of each open connection.
    open: Open,
}

type Open = Arc<Mutex<HashMap<u64, String>>>;

/// Forgets its connection when the connection's task ends, however it ends.
struct Tracked(Open, u64);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.lock().unwrap().remove(&self.1);
    }
}

impl Proxy {
    pub fn start(path: &Path, target: PathBuf) -> Proxy {
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path).expect("bind proxy socket");
        let (cuts, _) = broadcast::channel(8);
        let open = Open::default();
        let (sender, tracked) = (cuts.clone(), open.clone());
        let task = tokio::spawn(async move {
            // Dropping the set (when the task is aborted) cuts every open connection.
            let mut conns = JoinSet::new();
            for n in 0u64.. {
                let Ok((inbound, _)) = listener.accept().await else { return };
                let (target, cuts) = (target.clone(), sender.subscribe());
                let conn = Tracked(tracked.clone(), n);
                conns.spawn(async move {
                    if let Ok(out) = UnixStream::connect(&target).await {
                        forward(inbound, out, cuts, conn).await;
                    }
                });
            }
        });
        Proxy { path: path.to_path_buf(), task, cuts, open }
    }

    /// How many open connections' latest request line contains `part`.
    pub fn open_requests(&self, part: &str) -> usize {
        self.open.lock().unwrap().values().filter(|line| line.contains(part)).count()
    }

    /// Close every open connection whose latest request line contains `part` (for example
    /// "/stats"); the others and new connections carry on.
    pub fn cut_requests(&self, part: &str) {
        let _ = self.cuts.send(part.to_string());
    }

    pub fn stop(self) {
        self.task.abort();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copy both ways until either side closes, remembering the latest request line sent, and close
/// both when a cut names it.
async fn forward(
    inbound: UnixStream,
    out: UnixStream,
    mut cuts: broadcast::Receiver<String>,
    conn: Tracked,
) {
    let (mut from_client, mut to_client) = inbound.into_split();
    let (mut from_engine, mut to_engine) = out.into_split();
    let (mut up, mut down) = (vec![0u8; 16 * 1024], vec![0u8; 64 * 1024]);
    let mut request = String::new();
    loop {
        tokio::select! {
            n = from_client.read(&mut up) => {
                let Ok(n @ 1..) = n else { return };
                if let Some(line) = request_line(&up[..n]) {
                    conn.0.lock().unwrap().insert(conn.1, line.clone());
                    request = line;
                }
                if to_engine.write_all(&up[..n]).await.is_err() {
                    return;
                }
            }
            n = from_engine.read(&mut down) => {
                let Ok(n @ 1..) = n else { return };
                if to_client.write_all(&down[..n]).await.is_err() {
                    return;
                }
            }
            cut = cuts.recv() => {
                if matches!(cut, Ok(part) if request.contains(&part)) {
                    return;
                }
            }
        }
    }
}

/// "GET /v1.41/containers/…/stats?stream=true HTTP/1.1" when `bytes` begin a request.
fn request_line(bytes: &[u8]) -> Option<String> {
    const METHODS: [&str; 5] = ["GET ", "POST ", "PUT ", "DELETE ", "HEAD "];
    let end = bytes.windows(2).position(|w| w == b"\r\n")?;
    let line = String::from_utf8_lossy(&bytes[..end]);
    METHODS.iter().any(|m| line.starts_with(m)).then(|| line.into_owned())
}
