//! Container logs as lines: stdout and stderr tagged, timestamps kept, ANSI left as data for the
//! UI to style. A log is read from its tail (or a point in time) and then followed; following
//! survives the container restarting (a marker says so) and the engine going away (the reader says
//! so and resumes where it stopped when the engine is back). Several containers can be read as one
//! log interleaved by timestamp. Nothing here holds a whole log: lines leave in batches as soon as
//! they are decoded.

use std::collections::HashMap;
use std::pin::Pin;
use std::time::Duration;

use bollard::query_parameters::{EventsOptionsBuilder, LogsOptionsBuilder};
use bollard::Docker;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use specta::Type;
use tokio::sync::mpsc;

use super::connect::EngineStatus;
use super::error::{EngineError, ErrorCode};
use super::images::RawEngine;

mod frames;
mod pacer;
pub use frames::{parse_stamp, stamp_string, Decoder, Demux, LogLine, Output, Stamp};
pub use pacer::Pacer;

/// A batch of lines as the page receives it: a few strings for the whole batch rather than an
/// object and three strings per line. The page keeps up to 100,000 lines, and every object it
/// allocates per line raises its web process's memory for good (WebKit keeps the high-water mark
/// of its heap); it also makes a third as much JSON to write and parse.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct LineBatch {
    /// The texts, each followed by `\n` (a line never holds one).
    pub text: String,
    /// What every timestamp of the batch begins with: they share the date, and mostly more.
    pub stamped: String,
    /// The rest of each timestamp (after `stamped`), each followed by `\n`.
    pub ts: String,
    /// One letter per line: `o` stdout, `e` stderr.
    pub streams: String,
    /// The source of every line.
    pub source: u32,
    /// When the lines come from several sources (merged logs): each line's source.
    pub sources: Option<Vec<u32>>,
}

impl LineBatch {
    pub fn new(lines: &[LogLine]) -> Self {
        // Sent once rather than on every line: most of a timestamp's bytes, which are most of a
        // short line's, and each is copied, escaped and parsed on its way to the page.
        let first = lines.first().map_or("", |l| l.ts.as_str());
        let shared = lines.iter().fold(first.len(), |n, l| common_prefix(&first[..n], &l.ts));
        let stamped = first[..shared].to_string();
        let (mut text, mut ts) = (String::new(), String::new());
        text.reserve(lines.iter().map(|l| l.text.len() + 1).sum());
        ts.reserve(lines.iter().map(|l| l.ts.len() - shared + 1).sum());
        let mut streams = String::with_capacity(lines.len());
        let source = lines.first().map_or(0, |l| l.source);
        for l in lines {
            text.push_str(&l.text);
            text.push('\n');
            ts.push_str(&l.ts[shared..]);
            ts.push('\n');
            streams.push(match l.stream {
                Output::Out => 'o',
                Output::Err => 'e',
            });
        }
        let sources = lines
            .iter()
            .any(|l| l.source != source)
            .then(|| lines.iter().map(|l| l.source).collect());
        Self { text, stamped, ts, streams, source, sources }
    }
}

/// How many bytes `b` starts with of `a`, at a character boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    (0..=n).rev().find(|&i| a.is_char_boundary(i)).unwrap_or(0)
}

fn as_batch<S: serde::Serializer>(lines: &[LogLine], s: S) -> Result<S::Ok, S::Error> {
    LineBatch::new(lines).serialize(s)
}

/// What a log reader reports, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum LogEvent {
    /// The next lines, in order (sent as one `LineBatch`).
    Lines(
        #[serde(serialize_with = "as_batch")]
        #[specta(type = LineBatch)]
        Vec<LogLine>,
    ),
    /// The requested tail has been sent; what follows is live.
    Following,
    /// The container stopped; following resumes if it starts again.
    Stopped { source: u32 },
    /// The container started again: lines after this belong to its new run.
    Restarted { source: u32, ts: String },
    /// The engine went away; reading resumes when it is back.
    EngineLost { message: String },
    /// The engine is back and reading resumed where it stopped.
    EngineBack,
    /// This container's log cannot be read (removed, ...). Others go on.
    Failed { source: u32, error: EngineError },
    /// `count` lines were left out here: they came faster than the view showed them, and more
    /// newer lines followed than the view keeps, so it would have dropped them anyway.
    Skipped { count: u32 },
}

/// Where to start reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// The last N lines; `None` for the whole log.
    pub tail: Option<u32>,
    /// Only lines since this unix time (seconds).
    pub since: Option<i64>,
}

impl Default for Start {
    fn default() -> Self {
        Self { tail: Some(1000), since: None }
    }
}

type Lines = Pin<Box<dyn Stream<Item = Result<LogLine, EngineError>> + Send>>;

/// One container's log as lines, from `start`; follows when `follow`.
fn lines(docker: &Docker, id: &str, source: u32, start: Start, follow: bool) -> Lines {
    let mut opts =
        LogsOptionsBuilder::new().stdout(true).stderr(true).timestamps(true).follow(follow);
    opts = match start.tail {
        Some(n) => opts.tail(&n.to_string()),
        None => opts.tail("all"),
    };
    if let Some(since) = start.since {
        opts = opts.since(since.clamp(0, i32::MAX as i64) as i32);
    }
    let frames = docker.logs(id, Some(opts.build()));
    let mut dec = Decoder::new(source);
    let body = frames.map(Some).chain(stream::once(async { None })).flat_map(move |frame| {
        let mut out = Vec::new();
        let err = match frame {
            Some(Ok(f)) => {
                dec.feed(f, &mut out);
                None
            }
            Some(Err(e)) => Some(EngineError::from(e)),
            None => {
                dec.finish(&mut out);
                None
            }
        };
        stream::iter(out.into_iter().map(Ok).chain(err.map(Err)))
    });
    Box::pin(body)
}

/// Room for one read of a log's tail.
const READ: usize = 1 << 16;
/// A read of a tail that came back with less than this took the lines about as fast as the
/// engine wrote them.
const SIP: usize = 4096;
/// How long the reader's thread then pauses before the next read.
const SETTLE: Duration = Duration::from_micros(500);

/// One container's log up to now, from `start`, read from the engine's socket without an HTTP
/// client in between. The engine writes a log a line at a time, and a reader that takes each as
/// it comes pays a wake-up and a system call per line (and hyper hands its body over a chunk per
/// line); pausing for half a millisecond after a small read lets the lines gather, to be taken
/// a hundred or more at a time (longer, and the socket's buffer fills and the engine waits). Only
/// for the log reader's own thread (see [`follow`]): the pause holds it.
fn tail_lines(raw: &RawEngine, id: &str, source: u32, start: Start) -> Lines {
    let mut query = String::from("stdout=1&stderr=1&timestamps=1&tail=");
    match start.tail {
        Some(n) => query.push_str(&n.to_string()),
        None => query.push_str("all"),
    }
    if let Some(since) = start.since {
        query.push_str(&format!("&since={}", since.max(0)));
    }
    let path = format!("/containers/{}/logs?{query}", path_segment(id));
    let (socket, api) = (raw.socket.clone(), raw.api.clone());
    let opened = async move { super::raw::get_stream(&socket, &api, &path).await };
    let body = stream::once(opened).flat_map(move |opened| -> Lines {
        match opened {
            Ok((sock, first)) => {
                let tail = TailRead::new(sock, &first, source);
                Box::pin(stream::unfold(tail, |mut tail| async move {
                    let item = tail.next().await?;
                    Some((item, tail))
                }))
            }
            Err(e) => Box::pin(stream::iter([Err(e)])),
        }
    });
    Box::pin(body)
}

/// A tail being read: the connection, the bytes not yet whole frames, the lines not yet taken.
struct TailRead {
    sock: tokio::net::UnixStream,
    buf: bytes::BytesMut,
    demux: Demux,
    dec: Decoder,
    ready: std::collections::VecDeque<LogLine>,
    scratch: Vec<LogLine>,
    ended: bool,
}

impl TailRead {
    fn new(sock: tokio::net::UnixStream, first: &[u8], source: u32) -> Self {
        let mut tail = Self {
            sock,
            buf: bytes::BytesMut::from(first),
            demux: Demux::default(),
            dec: Decoder::new(source),
            ready: Default::default(),
            scratch: Vec::new(),
            ended: false,
        };
        tail.decode();
        tail
    }

    /// Turn the whole frames read so far into lines (and, at the end, what is left).
    fn decode(&mut self) {
        while let Some(frame) = self.demux.next(&mut self.buf) {
            self.dec.feed(frame, &mut self.scratch);
        }
        if self.ended {
            if let Some(frame) = self.demux.finish(&mut self.buf) {
                self.dec.feed(frame, &mut self.scratch);
            }
            self.dec.finish(&mut self.scratch);
        }
        self.ready.extend(self.scratch.drain(..));
    }

    async fn next(&mut self) -> Option<Result<LogLine, EngineError>> {
        use tokio::io::AsyncReadExt;
        loop {
            if let Some(line) = self.ready.pop_front() {
                return Some(Ok(line));
            }
            if self.ended {
                return None;
            }
            self.buf.reserve(READ);
            match self.sock.read_buf(&mut self.buf).await {
                Ok(n) => {
                    self.ended = n == 0;
                    self.decode();
                    if n > 0 && n < SIP {
                        std::thread::sleep(SETTLE);
                    }
                }
                Err(e) => {
                    self.ended = true;
                    return Some(Err(super::raw::lost(e)));
                }
            }
        }
    }
}

/// `id` as one segment of a request's path: a container's id or name, any other byte escaped.
fn path_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Merge streams that are each in timestamp order into one in timestamp order. Errors pass at
/// once.
fn merged(sources: Vec<Lines>) -> Lines {
    if sources.len() == 1 {
        return sources.into_iter().next().expect("one source");
    }
    let peekable: Vec<_> = sources.into_iter().map(|s| Box::pin(s.peekable())).collect();
    Box::pin(stream::unfold(peekable, |mut heads| async move {
        let mut best: Option<(usize, Stamp)> = None;
        for (i, head) in heads.iter_mut().enumerate() {
            match head.as_mut().peek().await {
                None => continue,
                Some(Err(_)) => {
                    let item = head.next().await.expect("peeked");
                    return Some((item, heads));
                }
                Some(Ok(line)) => {
                    let at = parse_stamp(&line.ts).unwrap_or_default();
                    if best.is_none_or(|(_, b)| at < b) {
                        best = Some((i, at));
                    }
                }
            }
        }
        let (i, _) = best?;
        let item = heads[i].next().await.expect("peeked");
        Some((item, heads))
    }))
}

/// How many lines go in one batch at most.
const BATCH: usize = 4096;

/// How long a batch of the tail stays open for more lines after its first.
const GATHER: Duration = Duration::from_millis(40);

/// Read the logs of `ids` (one log, or several interleaved by timestamp) from `start`, then
/// follow them until `sink` returns false (its reader is gone) or the future is dropped.
///
/// The reading runs on a thread with a single-threaded runtime of its own, and `sink` is called
/// there. A log arrives as very many small socket reads, and on a multi-threaded runtime each one
/// wakes another thread (see `docs/performance.md`). `docker` should be a client of its own (see
/// `Engine::dedicated`), so its connections belong to that runtime; the tail is read from `raw`,
/// the same engine's socket.
pub async fn follow(
    docker: Docker,
    raw: RawEngine,
    ids: Vec<String>,
    start: Start,
    connection: Connection,
    sink: impl FnMut(LogEvent) -> bool + Send + 'static,
) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (done, finished) = tokio::sync::oneshot::channel::<()>();
    let reader = std::thread::Builder::new().name("berth-logs".into()).spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt,
            Err(e) => return tracing::warn!(error = %e, "no runtime for a log reader"),
        };
        rt.block_on(async move {
            tokio::select! {
                () = read(docker, raw, ids, start, connection, sink) => {}
                // The caller is gone (its future dropped): stop reading.
                _ = stopped => {}
            }
        });
        drop(rt);
        // The reader's thread allocated and freed a whole log's worth of lines.
        crate::engine::memory::give_back_freed_memory();
        drop(done);
    });
    if let Err(e) = reader {
        tracing::warn!(error = %e, "no thread for a log reader");
        return;
    }
    // Held until this future ends or is dropped; dropping it stops the reader.
    let _stop = stop;
    let _ = finished.await;
}

async fn read(
    docker: Docker,
    raw: RawEngine,
    ids: Vec<String>,
    start: Start,
    connection: Connection,
    mut sink: impl FnMut(LogEvent) -> bool + Send,
) {
    // 1. The tail, interleaved, in batches of whatever is ready. Following then starts where the
    // tail ended, or (for a log that had no lines) at the time the tail was asked for.
    let opened_at = super::clock::epoch_now();
    let mut last: Vec<Option<Stamp>> = vec![None; ids.len()];
    let mut failed = vec![false; ids.len()];
    let tails = ids.iter().enumerate().map(|(i, id)| tail_lines(&raw, id, i as u32, start));
    let mut tail = merged(tails.collect());
    // A batch closes when it is full or `GATHER` after its first line. The engine sends a log
    // slower than it is decoded, so taking only what was ready made batches of about one line:
    // a million events (and JSON messages) for a million lines.
    let deadline = tokio::time::sleep(GATHER);
    tokio::pin!(deadline);
    let mut batch: Vec<LogLine> = Vec::new();
    let (mut ended, mut any_failed) = (false, false);
    while !ended {
        let full = tokio::select! {
            item = tail.next() => match item {
                Some(Ok(line)) => {
                    if batch.is_empty() {
                        deadline.as_mut().reset(tokio::time::Instant::now() + GATHER);
                    }
                    batch.push(line);
                    batch.len() >= BATCH
                }
                Some(Err(error)) => {
                    // Which source failed is not known here: find out by inspecting each below.
                    tracing::warn!(%error, "reading a log tail failed");
                    any_failed = true;
                    false
                }
                None => {
                    ended = true;
                    true
                }
            },
            () = &mut deadline, if !batch.is_empty() => true,
        };
        if !full || batch.is_empty() {
            continue;
        }
        let batch = std::mem::take(&mut batch);
        // Where each source got to: its last line in this batch.
        let mut seen = vec![false; ids.len()];
        for line in batch.iter().rev() {
            let i = line.source as usize;
            if !seen[i] {
                seen[i] = true;
                last[i] = parse_stamp(&line.ts).or(last[i]);
            }
        }
        if !sink(LogEvent::Lines(batch)) {
            return;
        }
    }
    drop(tail);
    // Only after a failed read: a tail that was read whole came from a container that exists,
    // and the view shows the tail's end when it hears `Following`.
    for (i, id) in ids.iter().enumerate().filter(|_| any_failed) {
        if let Err(error) = docker.inspect_container(id, None).await.map_err(EngineError::from) {
            failed[i] = error.code == ErrorCode::NotFound;
            if failed[i] && !sink(LogEvent::Failed { source: i as u32, error }) {
                return;
            }
        }
    }
    if !sink(LogEvent::Following) {
        return;
    }

    // 2. Live: one task per container, all reporting here in order.
    let (tx, mut rx) = mpsc::channel::<LogEvent>(64);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in ids.iter().enumerate() {
        if failed[i] {
            continue;
        }
        let from = match last[i] {
            Some(at) => Resume { last: at, sent: true },
            None => Resume { last: Stamp(opened_at, 0), sent: false },
        };
        let (docker, id, tx) = (docker.clone(), id.clone(), tx.clone());
        tasks.spawn(follow_one(docker, id, i as u32, from, connection.clone(), tx));
    }
    drop(tx);
    while let Some(first) = rx.recv().await {
        // Join whatever else is already waiting into the same message.
        let mut event = first;
        while let LogEvent::Lines(lines) = &mut event {
            if lines.len() >= BATCH {
                break;
            }
            match rx.try_recv() {
                Ok(LogEvent::Lines(more)) => lines.extend(more),
                Ok(other) => {
                    if !sink(event) {
                        return;
                    }
                    event = other;
                }
                Err(_) => break,
            }
        }
        if !sink(event) {
            return;
        }
    }
}

/// Lines a resumed read asks for from the end of a log, to find the last line sent among them.
/// The engine finds lines `since` a time by reading a log from its start (seconds of its CPU for
/// a million lines, on every resume), while the newest lines it reads from the end.
const RESUME_WINDOW: u32 = 10_000;

/// Where reading a log picks up again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Resume {
    /// Lines at or before this were sent.
    last: Stamp,
    /// A line at `last` was sent, so it can be looked for among the newest lines.
    sent: bool,
}

/// What a line read on resuming is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resumed {
    /// Sent already.
    Again,
    New,
    /// New, but the last line sent was not seen first: the window missed lines.
    Gap,
}

impl Resume {
    /// The request that resumes: the newest lines (`window`) or all of them, since `last`'s second.
    fn start(&self, window: bool) -> Start {
        Start { tail: (window && self.sent).then_some(RESUME_WINDOW), since: Some(self.last.0) }
    }

    /// Judge a line at `at`; `found` says whether the last line sent was seen in this read (set
    /// it for a read of the whole log, which needs no finding).
    fn judge(&mut self, at: Stamp, found: &mut bool) -> Resumed {
        if at <= self.last {
            *found = true;
            return Resumed::Again;
        }
        if !*found {
            return Resumed::Gap;
        }
        self.last = at;
        self.sent = true;
        Resumed::New
    }
}

/// Follow one container for as long as it exists: through its restarts, and through the engine
/// going away and coming back, from `from`.
async fn follow_one(
    docker: Docker,
    id: String,
    source: u32,
    mut from: Resume,
    mut connection: Connection,
    tx: mpsc::Sender<LogEvent>,
) {
    loop {
        // Events first, so a start between the log ending and the wait is not missed.
        let filters = HashMap::from([
            ("container".to_string(), vec![id.clone()]),
            ("type".to_string(), vec!["container".to_string()]),
            ("event".to_string(), vec!["start".to_string(), "destroy".to_string()]),
        ]);
        // The engine sends events from `since` on even if the request goes out later.
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let since = format!("{}.{:09}", now.as_secs(), now.subsec_nanos());
        let opts = EventsOptionsBuilder::new().since(&since).filters(&filters).build();
        let mut events = docker.events(Some(opts));
        let Ok(ended_by_error) = send_new(&docker, &id, source, &mut from, true, &tx).await else {
            return;
        };

        // Why did it end? The engine went away, the container was removed, or it stopped.
        match docker.inspect_container(&id, None).await.map_err(EngineError::from) {
            Err(error) if error.code == ErrorCode::NotFound => {
                let _ = tx.send(LogEvent::Failed { source, error }).await;
                return;
            }
            Err(error) => {
                let message = ended_by_error.unwrap_or(error).message;
                if !ride_out_outage(&docker, &mut connection, &tx, message).await {
                    return;
                }
                continue;
            }
            Ok(info) => {
                let state = info.state.unwrap_or_default();
                if state.running == Some(true) {
                    // It ended and started again while the log was closing: carry on at once.
                    let ts = state.started_at.unwrap_or_default();
                    if tx.send(LogEvent::Restarted { source, ts }).await.is_err() {
                        return;
                    }
                    continue;
                }
                // A follow can end before the last lines the container wrote were in its log (a
                // short-lived container's): now that it has stopped, read what came after.
                if send_new(&docker, &id, source, &mut from, false, &tx).await.is_err()
                    || tx.send(LogEvent::Stopped { source }).await.is_err()
                {
                    return;
                }
            }
        }
        // Wait for it to start again (or to be removed).
        loop {
            match events.next().await {
                Some(Ok(ev)) if ev.action.as_deref() == Some("start") => {
                    let ts = ev
                        .time_nano
                        .map(|n| stamp_string(Stamp(n / 1_000_000_000, (n % 1_000_000_000) as u32)))
                        .unwrap_or_default();
                    if tx.send(LogEvent::Restarted { source, ts }).await.is_err() {
                        return;
                    }
                    break;
                }
                Some(Ok(ev)) if ev.action.as_deref() == Some("destroy") => {
                    let error = EngineError::new(ErrorCode::NotFound, "the container was removed");
                    let _ = tx.send(LogEvent::Failed { source, error }).await;
                    return;
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => {
                    let message = "lost the connection to the Docker engine".to_string();
                    if !ride_out_outage(&docker, &mut connection, &tx, message).await {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

/// Nobody listens to a log reader any more.
struct Gone;

/// Read `id`'s log from `from` (following it when `follow`) and send the lines not sent yet;
/// the error that ended the read, if one did.
async fn send_new(
    docker: &Docker,
    id: &str,
    source: u32,
    from: &mut Resume,
    follow: bool,
    tx: &mpsc::Sender<LogEvent>,
) -> Result<Option<EngineError>, Gone> {
    let mut ended_by_error = None;
    let mut window = true;
    'read: loop {
        let mut live = lines(docker, id, source, from.start(window), follow).ready_chunks(BATCH);
        // A read of the whole log from `last`'s second holds everything after it.
        let mut found = !from.sent || !window;
        while let Some(chunk) = live.next().await {
            let mut batch = Vec::with_capacity(chunk.len());
            for item in chunk {
                match item {
                    // Reading from a whole second re-reads part of it: skip what was sent.
                    Ok(line) => match parse_stamp(&line.ts).map(|at| from.judge(at, &mut found)) {
                        Some(Resumed::Again) => {}
                        Some(Resumed::Gap) => {
                            // More lines came since than the window holds: read them all.
                            window = false;
                            continue 'read;
                        }
                        Some(Resumed::New) | None => batch.push(line),
                    },
                    Err(e) => ended_by_error = Some(e),
                }
            }
            if !batch.is_empty() && tx.send(LogEvent::Lines(batch)).await.is_err() {
                return Err(Gone);
            }
            if ended_by_error.is_some() {
                break;
            }
        }
        return Ok(ended_by_error);
    }
}

/// The engine handle's connection state, which a reader follows while the engine is away.
pub type Connection = tokio::sync::watch::Receiver<EngineStatus>;

/// Say the engine went away, wait for it, say it is back. False when nobody listens any more.
async fn ride_out_outage(
    docker: &Docker,
    connection: &mut Connection,
    tx: &mpsc::Sender<LogEvent>,
    message: String,
) -> bool {
    if tx.send(LogEvent::EngineLost { message }).await.is_err() {
        return false;
    }
    wait_for_engine(docker, connection).await;
    tx.send(LogEvent::EngineBack).await.is_ok()
}

/// Wait until the engine is back, as the engine handle (which reconnects with its backoff) says,
/// and this reader's own client is answered: a handle that has not yet noticed the loss still
/// says connected, and its next change is awaited.
async fn wait_for_engine(docker: &Docker, connection: &mut Connection) {
    loop {
        let connected = matches!(*connection.borrow_and_update(), EngineStatus::Connected { .. });
        if connected && docker.ping().await.is_ok() {
            return;
        }
        if connection.changed().await.is_err() {
            // The handle is gone with the app: this reader goes with it.
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_one_segment_of_the_path_whatever_it_holds() {
        assert_eq!(path_segment("web_1.a-b"), "web_1.a-b");
        assert_eq!(path_segment("../x?y=1 é"), "..%2Fx%3Fy%3D1%20%C3%A9");
    }

    #[test]
    fn a_resumed_read_asks_for_the_newest_lines_only_when_it_can_find_its_place() {
        let sent = Resume { last: Stamp(100, 5), sent: true };
        assert_eq!(sent.start(true), Start { tail: Some(RESUME_WINDOW), since: Some(100) });
        assert_eq!(sent.start(false), Start { tail: None, since: Some(100) });
        // Nothing was sent (an empty log): there is no line to find, so the whole log from then.
        let none = Resume { last: Stamp(100, 0), sent: false };
        assert_eq!(none.start(true), Start { tail: None, since: Some(100) });
    }

    #[test]
    fn a_resumed_read_skips_what_was_sent_and_notices_a_gap() {
        let judge_all = |mut from: Resume, found: bool, stamps: &[Stamp]| {
            let mut found = found;
            stamps.iter().map(|&at| from.judge(at, &mut found)).collect::<Vec<_>>()
        };
        let from = Resume { last: Stamp(100, 5), sent: true };
        // The window held the last line sent: older and equal lines again, then new ones.
        assert_eq!(
            judge_all(from, false, &[Stamp(100, 1), Stamp(100, 5), Stamp(100, 6), Stamp(101, 0)]),
            [Resumed::Again, Resumed::Again, Resumed::New, Resumed::New]
        );
        // The window began after it: lines may be missing.
        assert_eq!(judge_all(from, false, &[Stamp(100, 6)]), [Resumed::Gap]);
        // Reading the whole log needs no finding.
        assert_eq!(
            judge_all(from, true, &[Stamp(100, 2), Stamp(100, 6)]),
            [Resumed::Again, Resumed::New]
        );
        let mut moved = from;
        moved.judge(Stamp(102, 0), &mut true);
        assert_eq!(moved, Resume { last: Stamp(102, 0), sent: true });
    }

    #[test]
    fn a_batch_goes_to_the_page_as_a_few_strings() {
        let line = |source, stream, ts: &str, text: &str| LogLine {
            source,
            stream,
            ts: ts.into(),
            text: text.into(),
        };
        let one = LogEvent::Lines(vec![
            line(0, Output::Out, "2026-11-28T09:30:00Z", "a \"quoted\" line"),
            line(0, Output::Err, "2026-11-28T09:30:01Z", ""),
        ]);
        assert_eq!(
            serde_json::to_value(&one).unwrap(),
            serde_json::json!({"kind": "Lines", "data": {
                "text": "a \"quoted\" line\n\n",
                "stamped": "2026-11-28T09:30:0",
                "ts": "0Z\n1Z\n",
                "streams": "oe",
                "source": 0,
                "sources": null,
            }})
        );
        let merged =
            LogEvent::Lines(vec![line(1, Output::Out, "t1", "x"), line(0, Output::Out, "t2", "y")]);
        let json = serde_json::to_value(&merged).unwrap();
        assert_eq!(json["data"]["source"], 1);
        assert_eq!(json["data"]["sources"], serde_json::json!([1, 0]));
        // Timestamps share what they can, never half a character, nor more than the shortest.
        let odd = LineBatch::new(&[
            line(0, Output::Out, "2026-11-28T09:30:00.5Z", "a"),
            line(0, Output::Out, "2026-11-28T09:30:00Z", "b"),
            line(0, Output::Out, "2026-11-28T09:30:00.55Z", "c"),
        ]);
        assert_eq!(
            (odd.stamped.as_str(), odd.ts.as_str()),
            ("2026-11-28T09:30:00", ".5Z\nZ\n.55Z\n")
        );
        let wide =
            LineBatch::new(&[line(0, Output::Out, "é1", "a"), line(0, Output::Out, "è2", "b")]);
        assert_eq!((wide.stamped.as_str(), wide.ts.as_str()), ("", "é1\nè2\n"));
        let empty = LineBatch::new(&[line(0, Output::Out, "", "a")]);
        assert_eq!((empty.stamped.as_str(), empty.ts.as_str()), ("", "\n"));
    }

    #[tokio::test]
    async fn merging_interleaves_by_timestamp() {
        let mk = |source: u32, stamps: &[&str]| -> Lines {
            let lines: Vec<_> = stamps
                .iter()
                .map(|ts| {
                    Ok(LogLine {
                        source,
                        stream: Output::Out,
                        ts: ts.to_string(),
                        text: ts.to_string(),
                    })
                })
                .collect();
            Box::pin(stream::iter(lines))
        };
        let all: Vec<_> = merged(vec![
            mk(0, &["2026-11-28T09:30:00.1Z", "2026-11-28T09:30:00.5Z"]),
            mk(1, &["2026-11-28T09:30:00.2Z", "2026-11-28T09:30:00.45Z", "2026-11-28T09:30:01Z"]),
        ])
        .map(|l| l.unwrap().source)
        .collect()
        .await;
        assert_eq!(all, vec![0, 1, 1, 0, 1]);
    }
}
