//! Work the user can stop (a build): run on its own task, kept by a key the window chose, and
//! aborted on request. Aborting drops the engine call's stream, which closes its connection:
//! the engine stops the work on its side.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use super::sync::lock;
use super::{EngineError, ErrorCode};

#[derive(Default, Clone)]
pub struct Cancels(Arc<Mutex<HashMap<String, tokio::task::AbortHandle>>>);

impl Cancels {
    /// Run `work` under `key` until it ends or [`Cancels::cancel`] stops it.
    pub async fn run<T: Send + 'static>(
        &self,
        key: &str,
        what: &str,
        work: impl Future<Output = Result<T, EngineError>> + Send + 'static,
    ) -> Result<T, EngineError> {
        let task = tokio::spawn(work);
        lock(&self.0).insert(key.to_string(), task.abort_handle());
        let out = task.await;
        lock(&self.0).remove(key);
        match out {
            Ok(result) => result,
            Err(e) if e.is_cancelled() => {
                Err(EngineError::new(ErrorCode::Cancelled, format!("stopped the {what}")))
            }
            Err(e) => Err(EngineError::new(ErrorCode::Engine, format!("the {what} failed: {e}"))),
        }
    }

    /// Stop the work under `key`; whether there was any.
    pub fn cancel(&self, key: &str) -> bool {
        match lock(&self.0).remove(key) {
            Some(task) => {
                task.abort();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stopped_work_says_so_and_finished_work_answers() {
        let cancels = Cancels::default();
        assert_eq!(cancels.run("a", "build", async { Ok(7) }).await.unwrap(), 7);
        let c = cancels.clone();
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let stopper = tokio::spawn(async move {
            started_rx.await.unwrap();
            c.cancel("b")
        });
        let e = cancels
            .run("b", "build", async move {
                started_tx.send(()).unwrap();
                std::future::pending::<Result<(), EngineError>>().await
            })
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert!(stopper.await.unwrap());
        assert!(!cancels.cancel("b"), "nothing left to stop");
    }
}
