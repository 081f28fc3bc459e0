//! Pacing a log to the page that shows it. A log can arrive far faster than a page can show it
//! (a container writing 50,000 lines a second). The page acknowledges each batch once it has
//! shown it, and the next goes only then: in between, lines wait here, and when more have piled
//! up than the view keeps, the oldest are left out (the view would have dropped them anyway) and
//! the page is told how many. So the page's main thread never falls behind, and neither side's
//! memory grows with the rate.

use std::collections::VecDeque;
use std::sync::Mutex;

use super::{LogEvent, LogLine};
use crate::engine::sync::lock;

/// Lines in one message at most: about what a page turns into rows within a frame.
const BATCH: usize = 4096;
/// Batches sent ahead of the page's acknowledgements: one being shown, one on its way.
const AHEAD: u32 = 2;

type Sink = Box<dyn FnMut(LogEvent) -> bool + Send>;

/// Paces one log stream to the page that shows it.
pub struct Pacer {
    state: Mutex<Paced>,
}

struct Paced {
    send: Sink,
    /// What waits to be sent, in order; lines are only ever in `LogEvent::Lines`.
    queue: VecDeque<LogEvent>,
    queued_lines: usize,
    /// Lines left out since the last batch was sent.
    skipped: u32,
    /// Batches that may be sent before the page acknowledges one.
    credit: u32,
    /// The most lines the view keeps.
    keep: usize,
    /// The page is gone: stop reading.
    gone: bool,
}

impl Pacer {
    /// Pace what goes to `send` (false: the page is gone) for a view keeping `keep` lines.
    pub fn new(keep: u32, send: impl FnMut(LogEvent) -> bool + Send + 'static) -> Self {
        Self {
            state: Mutex::new(Paced {
                send: Box::new(send),
                queue: VecDeque::new(),
                queued_lines: 0,
                skipped: 0,
                credit: AHEAD,
                keep: keep.max(1) as usize,
                gone: false,
            }),
        }
    }

    /// The reader has `event`: send it now if the page has room, else keep it. False once the
    /// page is gone.
    pub fn push(&self, event: LogEvent) -> bool {
        let mut guard = lock(&self.state);
        let p = &mut *guard;
        if let LogEvent::Lines(more) = &event {
            p.queued_lines += more.len();
        }
        match (event, p.queue.back_mut()) {
            (LogEvent::Lines(more), Some(LogEvent::Lines(lines))) => lines.extend(more),
            (event, _) => p.queue.push_back(event),
        }
        p.trim();
        p.pump();
        !p.gone
    }

    /// The page has shown `batches` more batches.
    pub fn ack(&self, batches: u32) {
        let mut p = lock(&self.state);
        p.credit = (p.credit + batches).min(AHEAD);
        p.pump();
    }
}

impl Paced {
    /// Leave out the oldest waiting lines beyond what the view keeps.
    fn trim(&mut self) {
        let mut over = self.queued_lines.saturating_sub(self.keep);
        for event in self.queue.iter_mut() {
            if over == 0 {
                break;
            }
            if let LogEvent::Lines(lines) = event {
                let n = over.min(lines.len());
                lines.drain(..n);
                over -= n;
                self.queued_lines -= n;
                self.skipped = self.skipped.saturating_add(n as u32);
            }
        }
        self.queue.retain(|e| !matches!(e, LogEvent::Lines(l) if l.is_empty()));
    }

    /// Send what may go now: every marker, and as many batches of lines as there is credit for.
    fn pump(&mut self) {
        while !self.gone {
            let Some(front) = self.queue.front_mut() else { return };
            let event = match front {
                LogEvent::Lines(lines) => {
                    if self.credit == 0 {
                        return;
                    }
                    if self.skipped > 0 {
                        let count = std::mem::take(&mut self.skipped);
                        if !(self.send)(LogEvent::Skipped { count }) {
                            self.gone = true;
                            return;
                        }
                    }
                    self.credit -= 1;
                    let batch: Vec<LogLine> = if lines.len() > BATCH {
                        lines.drain(..BATCH).collect()
                    } else {
                        let all = std::mem::take(lines);
                        self.queue.pop_front();
                        all
                    };
                    self.queued_lines -= batch.len();
                    LogEvent::Lines(batch)
                }
                _ => self.queue.pop_front().expect("front"),
            };
            if !(self.send)(event) {
                self.gone = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::logs::Output;
    use std::sync::Arc;

    fn lines(from: u32, n: u32) -> LogEvent {
        LogEvent::Lines(
            (from..from + n)
                .map(|i| LogLine {
                    source: 0,
                    stream: Output::Out,
                    ts: String::new(),
                    text: i.to_string(),
                })
                .collect(),
        )
    }

    /// A pacer whose page records what it got, in a compact form: `Lines(first..=last)`, ...
    fn pacer(keep: u32) -> (Pacer, Arc<Mutex<Vec<String>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let into = got.clone();
        let pacer = Pacer::new(keep, move |e| {
            lock(&into).push(match e {
                LogEvent::Lines(l) => format!("{}..={}", l[0].text, l[l.len() - 1].text),
                LogEvent::Skipped { count } => format!("skipped {count}"),
                other => format!("{other:?}"),
            });
            true
        });
        (pacer, got)
    }

    fn take(got: &Mutex<Vec<String>>) -> Vec<String> {
        std::mem::take(&mut *lock(got))
    }

    #[test]
    fn sends_ahead_then_waits_for_the_page() {
        let (p, got) = pacer(100_000);
        assert!(p.push(lines(0, 10)));
        assert!(p.push(lines(10, 10)));
        assert!(p.push(lines(20, 10)));
        assert!(p.push(lines(30, 10)));
        // Two batches ahead; what came meanwhile waits as one.
        assert_eq!(take(&got), ["0..=9", "10..=19"]);
        p.ack(1);
        assert_eq!(take(&got), ["20..=39"]);
        p.ack(1);
        assert!(take(&got).is_empty(), "nothing waits");
        assert!(p.push(lines(40, 1)));
        assert_eq!(take(&got), ["40..=40"]);
    }

    #[test]
    fn a_batch_holds_at_most_what_a_frame_shows() {
        let (p, got) = pacer(100_000);
        p.push(lines(0, 1));
        p.push(lines(1, 1));
        p.push(lines(2, 10_000));
        take(&got);
        p.ack(2);
        assert_eq!(take(&got), ["2..=4097", "4098..=8193"]);
        p.ack(5);
        assert_eq!(take(&got), ["8194..=10001"]);
    }

    #[test]
    fn markers_go_at_once_and_in_order() {
        let (p, got) = pacer(100_000);
        p.push(lines(0, 1));
        p.push(lines(1, 1));
        p.push(lines(2, 1));
        p.push(LogEvent::Stopped { source: 0 });
        p.push(LogEvent::Following);
        assert_eq!(take(&got), ["0..=0", "1..=1"], "a marker waits behind the lines before it");
        p.ack(1);
        assert_eq!(take(&got), ["2..=2", "Stopped { source: 0 }", "Following"]);
        // With no lines waiting, a marker goes even without credit.
        p.push(LogEvent::EngineBack);
        assert_eq!(take(&got), ["EngineBack"]);
    }

    #[test]
    fn a_page_that_falls_behind_gets_the_newest_lines_and_the_count_left_out() {
        let (p, got) = pacer(1_000);
        p.push(lines(0, 1));
        p.push(lines(1, 1));
        take(&got);
        for i in 0..50 {
            p.push(lines(2 + i * 100, 100));
        }
        p.push(LogEvent::Restarted { source: 0, ts: "t".into() });
        p.push(lines(5002, 500));
        // 5,500 waited for a view of 1,000: the oldest 4,500 are left out, the marker stays.
        p.ack(2);
        assert_eq!(
            take(&got),
            ["skipped 4500", "4502..=5001", "Restarted { source: 0, ts: \"t\" }", "5002..=5501"]
        );
    }

    #[test]
    fn a_gone_page_stops_the_reader() {
        let p = Pacer::new(10, |_| false);
        assert!(!p.push(lines(0, 1)));
        assert!(!p.push(lines(1, 1)));
    }
}
