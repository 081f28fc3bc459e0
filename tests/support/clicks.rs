//! Clicks as a person's: sent through the display server (XTest, `xwindow.py clicks`) at a fixed
//! pace, each timed in the page from the event's own time, which the display server set, to the
//! next frame after the page handled it; so a busy page's or app's queue counts. WebDriver's
//! clicks cannot show that: they wait for the page first.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use serde_json::json;

use crate::harness::App;

/// Note each click on `arguments[0]` from now on; answer that element's centre in the window.
const WATCH: &str = r#"
const [target] = arguments;
const w = (window.__clicks = { waits: [], missed: 0 });
document.addEventListener('click', (e) => {
  const at = e.timeStamp;
  if (!target.contains(e.target)) w.missed++;
  else requestAnimationFrame(() => w.waits.push(performance.now() - at));
}, true);
const r = target.getBoundingClientRect();
return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
"#;

/// Clicking `target` every `every` until [`Clicker::waits`].
pub struct Clicker(Child);

impl Clicker {
    pub async fn start(app: &App, target: &Element, every: Duration) -> Clicker {
        let at = app.client.execute(WATCH, vec![json!(target)]).await.unwrap();
        let (x, y) = (at[0].as_i64().unwrap(), at[1].as_i64().unwrap());
        let pid = app.app_pid().expect("the app's process");
        let child = Command::new("/usr/bin/python3")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/xwindow.py"))
            .args(["clicks", &pid.to_string(), &x.to_string(), &y.to_string()])
            .arg(every.as_millis().to_string())
            .stdin(Stdio::piped())
            .spawn()
            .expect("python3 with python3-xlib (Debian packages) for tests/support/xwindow.py");
        Clicker(child)
    }

    /// Stop clicking; each click's wait (ms), in order.
    pub async fn waits(mut self, app: &App) -> Vec<f64> {
        drop(self.0.stdin.take());
        assert!(self.0.wait().unwrap().success(), "xwindow.py clicks failed");
        let clicked = app.client.execute("return window.__clicks", vec![]).await.unwrap();
        assert_eq!(clicked["missed"], 0, "clicks landed beside their target");
        let waits: Vec<f64> =
            clicked["waits"].as_array().unwrap().iter().filter_map(|c| c.as_f64()).collect();
        assert!(!waits.is_empty(), "no click reached the page");
        waits
    }
}
