//! Drives the real built app: tauri-driver launches it through WebKitWebDriver under the X
//! display the test runs in. Elements are found by ARIA role and accessible name, the way
//! people (and assistive technology) find them.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// One app at a time: two windows on one small display make each other slow and flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long to wait for something the app should show.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Two free local ports, different from each other (both are held until both are chosen).
fn free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind("127.0.0.1:0").expect("a free local port");
    let (a, b) = (bind(), bind());
    let port = |l: &TcpListener| l.local_addr().expect("a bound port").port();
    (port(&a), port(&b))
}

pub fn app_path() -> PathBuf {
    if let Ok(p) = std::env::var("BERTH_APP") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/debug/berth")
}

fn preflight() -> PathBuf {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "end-to-end tests need an X display: run them under xvfb-run (scripts/test.sh does)"
    );
    let ok = |cmd: &str| {
        Command::new(cmd).arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
    };
    assert!(
        ok("tauri-driver"),
        "tauri-driver not found: cargo install tauri-driver --version 2.1.0 --locked"
    );
    assert!(ok("WebKitWebDriver"), "WebKitWebDriver not found: apt-get install webkit2gtk-driver");
    let app = app_path();
    assert!(
        app.exists(),
        "{} does not exist: build it with `npm --prefix ui run build && cargo build --features custom-protocol`",
        app.display()
    );
    app
}

/// The running app and the WebDriver session that drives it.
pub struct App {
    pub client: Client,
    driver: Child,
    /// The app's own XDG_CONFIG_HOME, removed when the app is dropped.
    _config: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl App {
    /// Start Berth with extra environment variables (e.g. `DOCKER_HOST`).
    pub async fn launch(env: &[(&str, &str)]) -> App {
        let turn = ONE_AT_A_TIME.lock().await;
        let app = preflight();
        // Settings of its own, so tests neither read nor change the user's.
        let config = tempfile::tempdir().expect("a config dir for the app");
        let start = || {
            let (port, native) = free_ports();
            let mut cmd = Command::new("tauri-driver");
            cmd.env("XDG_CONFIG_HOME", config.path());
            cmd.args(["--port", &port.to_string(), "--native-port", &native.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::inherit());
            for (k, v) in env {
                cmd.env(k, v);
            }
            (cmd.spawn().expect("start tauri-driver"), port, native)
        };
        let (mut driver, mut port, mut native) = start();
        let mut retried = false;
        let client = loop {
            match connect(port, native, &app).await {
                Ok(client) => break client,
                // The session request went unanswered (the drivers dropped it): a second pair of
                // drivers gets one more request, and the first failure stays in the test's output.
                Err(Unanswered(e)) if !retried => {
                    eprintln!("{e}; tauri-driver {}; trying a new one", exited(&mut driver));
                    stop_driver(&mut driver);
                    (driver, port, native) = start();
                    retried = true;
                }
                Err(Unanswered(e) | Refused(e)) => {
                    let exited = exited(&mut driver);
                    stop_driver(&mut driver);
                    panic!("{e}; tauri-driver {exited}");
                }
            }
        };
        let mut this = App { client, driver, _config: config, _turn: turn };
        let url = this.client.current_url().await.expect("current url");
        assert!(
            !url.as_str().starts_with("http://127.0.0.1:1420"),
            "{} loads the dev server: build it with `cargo build --features custom-protocol`",
            app.display()
        );
        this.wait_ready().await;
        this
    }

    async fn wait_ready(&mut self) {
        self.wait_for("the status bar", || async {
            self.try_by_role("status", "Engine status").await
        })
        .await;
    }

    /// Wait until the status bar says the engine is connected (whether or not a list has rows).
    pub async fn wait_connected(&self) {
        self.wait_for("the status bar to say Connected", || async {
            let status = self.try_by_role("status", "Engine status").await?;
            self.text(&status).await.contains("Connected").then_some(())
        })
        .await;
    }

    /// Poll until `probe` yields something, or fail naming `what`.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            if tokio::time::Instant::now() > deadline {
                let path = std::env::temp_dir()
                    .join(format!("berth-e2e-failure-{}.png", std::process::id()));
                // The display as it is, by ImageMagick; WebKitWebDriver may never answer a
                // screenshot of a busy page, so it is only asked when that failed, and not
                // waited on.
                let taken = Command::new("import")
                    .args(["-window", "root"])
                    .arg(&path)
                    .status()
                    .is_ok_and(|s| s.success());
                if !taken {
                    let shot =
                        tokio::time::timeout(Duration::from_secs(3), self.client.screenshot())
                            .await
                            .ok()
                            .and_then(Result::ok);
                    if let Some(png) = shot {
                        let _ = std::fs::write(&path, png);
                    }
                }
                // What the window said, for a log that is all there is of a run elsewhere.
                let said = tokio::time::timeout(
                    Duration::from_secs(3),
                    self.client.execute(
                        "return (document.querySelector('main') ?? document.body).innerText.slice(0, 800);",
                        vec![],
                    ),
                )
                .await
                .ok()
                .and_then(Result::ok);
                let said = said.as_ref().and_then(Value::as_str).unwrap_or("(no answer)");
                panic!(
                    "waited {PATIENCE:?} for {what}; screenshot: {}; the window said: {}",
                    path.display(),
                    said.replace('\n', " | ")
                );
            }
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    /// The app's processes: Berth and its WebKit processes (not the drivers).
    pub fn app_processes(&self) -> Vec<u32> {
        crate::procs::descendants(self.driver.id())
            .into_iter()
            .filter(|pid| {
                !matches!(crate::procs::name(*pid).as_str(), "tauri-driver" | "WebKitWebDriver")
            })
            .collect()
    }

    /// The app's memory: PSS in kB of Berth and its WebKit processes (not the drivers).
    #[allow(dead_code)] // the benchmarks use it
    pub fn app_pss_kb(&self) -> u64 {
        self.app_processes().into_iter().filter_map(crate::procs::pss_kb).sum()
    }

    /// PSS of each of the app's processes (the app, WebKit's), in MB, by name.
    pub fn app_pss_split(&self) -> String {
        self.app_processes()
            .into_iter()
            .filter_map(|pid| {
                Some(format!("{} {}", crate::procs::name(pid), crate::procs::pss_kb(pid)? / 1024))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The app's own process (not the driver's, nor WebKit's).
    pub fn app_pid(&self) -> Option<u32> {
        let exe = app_path();
        let name: String = exe.file_name()?.to_string_lossy().chars().take(15).collect();
        crate::procs::descendants(self.driver.id())
            .into_iter()
            .find(|p| crate::procs::name(*p) == name)
    }

    /// Choose `verb` in the "More actions" menu of container `name`'s row.
    pub async fn menu_item(&self, name: &str, verb: &str) {
        self.by_role("button", &format!("More actions for {name}")).await.click().await.unwrap();
        self.by_role("menuitem", &format!("{verb} {name}")).await.click().await.unwrap();
    }

    /// Save a picture of the virtual display as `<name>.png` in `$BERTH_E2E_SHOTS`, when that is
    /// set: for people looking at what the tests saw. Taken with ImageMagick's `import`, not
    /// WebDriver, whose screenshot can block the session.
    pub async fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("BERTH_E2E_SHOTS") else { return };
        let _ = std::fs::create_dir_all(&dir);
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        // What the page holds now is painted by the frame after next (or soon, when hidden).
        let painted = "const done = arguments[arguments.length - 1]; setTimeout(done, 500); \
            requestAnimationFrame(() => requestAnimationFrame(() => done()));";
        let _ = self.client.execute_async(painted, vec![]).await;
        let _ = Command::new("import").args(["-window", "root"]).arg(&path).status();
    }

    /// The first element with this role whose accessible name equals `name`, if any now.
    pub async fn try_by_role(&self, role: &str, name: &str) -> Option<Element> {
        self.query(role, name, false).await.into_iter().next()
    }

    /// Whether the button labelled `label` is inside the window and nothing covers its middle.
    pub async fn button_reachable(&self, label: &str) -> bool {
        let script = "const b = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === arguments[0]);
             if (!b) return false;
             const r = b.getBoundingClientRect();
             const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return r.width > 0 && r.right <= document.documentElement.clientWidth && (hit === b || b.contains(hit));";
        self.client.execute(script, vec![json!(label)]).await.ok() == Some(json!(true))
    }

    /// Wait for an element with this role and exact accessible name.
    pub async fn by_role(&self, role: &str, name: &str) -> Element {
        self.wait_for(&format!("{role} \"{name}\""), || self.try_by_role(role, name)).await
    }

    /// Unfold the run dialog's "Advanced" settings (folded for a new container), if folded.
    pub async fn open_advanced(&self) {
        let summary = self.by_role_containing("button", "Advanced:").await;
        let open = self
            .client
            .execute("return arguments[0].parentElement.open;", vec![json!(summary)])
            .await
            .unwrap();
        if open != json!(true) {
            summary.click().await.unwrap();
        }
    }

    /// Wait for an element with this role whose accessible name contains `part`.
    pub async fn by_role_containing(&self, role: &str, part: &str) -> Element {
        self.wait_for(&format!("{role} containing \"{part}\""), || async {
            self.query(role, part, true).await.into_iter().next()
        })
        .await
    }

    /// Every element with this role whose accessible name is (or, with `partial`, contains) `name`.
    pub async fn query(&self, role: &str, name: &str, partial: bool) -> Vec<Element> {
        let args = vec![json!(role), json!(name), json!(partial)];
        // The list may re-render between finding a node and handing it over: ask again.
        let mut tries = 0;
        let found = loop {
            match self.client.execute(FIND_BY_ROLE, args.clone()).await {
                Ok(v) => break v,
                Err(e) if tries < 5 && e.is_stale_element_reference() => {
                    tries += 1;
                }
                Err(e) => panic!("role query for {role} \"{name}\" failed: {e}"),
            }
        };
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_object()?.values().next()?.as_str().map(str::to_string))
            .map(|id| Element::from_element_id(self.client.clone(), ElementRef::from(id)))
            .collect()
    }

    /// The text of an element as rendered (`innerText`). WebKitWebDriver's own element text
    /// comes back empty for the CSS-grid rows of Berth's tables.
    pub async fn text(&self, el: &Element) -> String {
        let v = self
            .client
            .execute("return arguments[0].innerText;", vec![serde_json::to_value(el).unwrap()])
            .await
            .expect("read element text");
        v.as_str().unwrap_or_default().replace('\n', " ")
    }

    /// What `body` returns with `el` bound to the first element with this role and exact name,
    /// found and used in one step: a list update between the two cannot hand back a replaced
    /// row. `None` when there is no such element or `body` returns null.
    pub async fn eval_by_role(&self, role: &str, name: &str, body: &str) -> Option<Value> {
        let script = format!(
            "const found = (() => {{ {FIND_BY_ROLE} }})(); if (!found.length) return null; \
             const el = found[0]; {body}"
        );
        let v = self
            .client
            .execute(&script, vec![json!(role), json!(name), json!(false)])
            .await
            .unwrap_or_else(|e| panic!("read {role} \"{name}\": {e}"));
        (!v.is_null()).then_some(v)
    }

    /// The text (as `text` reads it) of the first element with this role and exact name, found
    /// and read in one step.
    pub async fn text_by_role(&self, role: &str, name: &str) -> Option<String> {
        let v = self.eval_by_role(role, name, "return el.innerText;").await?;
        Some(v.as_str()?.replace('\n', " "))
    }

    /// What `script` returns with `el` as `arguments[0]`; `None` when the page did not answer.
    pub async fn on(&self, el: &Element, script: &str) -> Option<Value> {
        self.client.execute(script, vec![serde_json::to_value(el).unwrap()]).await.ok()
    }

    /// The current value of a form field.
    pub async fn prop(&self, el: &Element) -> String {
        el.prop("value").await.expect("read the field's value").unwrap_or_default()
    }

    /// Call one of Berth's own commands from the page, as the UI does.
    pub async fn invoke(&self, command: &str) -> Value {
        self.invoke_with(command, json!({})).await
    }

    /// Call one of Berth's own commands from the page with arguments.
    pub async fn invoke_with(&self, command: &str, args: Value) -> Value {
        let out = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
                   (v) => done({ ok: v }), (e) => done({ err: String(e) }));",
                vec![json!(command), args],
            )
            .await
            .expect("invoke from the page");
        match out.get("ok") {
            Some(v) => v.clone(),
            None => panic!("{command} failed: {out}"),
        }
    }

    /// Close the session and stop the driver (and with it WebKitWebDriver and the app).
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        stop_driver(&mut self.driver);
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Ok(None) = self.driver.try_wait() {
            stop_driver(&mut self.driver);
        }
    }
}

fn stop_driver(driver: &mut Child) {
    // Everything the driver started: WebKitWebDriver, the app, the app's WebKit processes.
    let family = crate::procs::descendants(driver.id());
    // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver, which frees its port.
    term(driver.id());
    for _ in 0..50 {
        if let Ok(Some(_)) = driver.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if let Ok(None) = driver.try_wait() {
        let _ = driver.kill();
        let _ = driver.wait();
    }
    // A session that never closed (a failed test) leaves the app running: end it too.
    for pid in family {
        term(pid);
    }
}

fn term(pid: u32) {
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).stderr(Stdio::null()).status();
}

/// Why no WebDriver session began.
enum NoSession {
    /// The drivers took the request and closed the connection without an answer.
    Unanswered(String),
    /// The drivers did not listen, or answered that no session could begin.
    Refused(String),
}
use NoSession::{Refused, Unanswered};

/// Whether tauri-driver still runs, for a failure's message.
fn exited(driver: &mut Child) -> String {
    match driver.try_wait() {
        Ok(Some(status)) => format!("exited ({status})"),
        _ => "still runs".to_string(),
    }
}

async fn connect(port: u16, native: u16, app: &std::path::Path) -> Result<Client, NoSession> {
    let addr = format!("127.0.0.1:{port}");
    // Wait for tauri-driver and the WebKitWebDriver behind it to listen, then ask for one
    // session: every attempt starts the app.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    for listener in [addr.clone(), format!("127.0.0.1:{native}")] {
        while tokio::net::TcpStream::connect(&listener).await.is_err() {
            if tokio::time::Instant::now() > deadline {
                return Err(Refused(format!(
                    "nothing listened on {listener}: is tauri-driver working?"
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let caps = json!({ "tauri:options": { "application": app } });
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps.as_object().unwrap().clone());
    builder.connect(&format!("http://{addr}")).await.map_err(|e| {
        let message = format!("cannot start a WebDriver session with tauri-driver on {addr}: {e}");
        match e {
            NewSessionError::Failed(_) | NewSessionError::Lost(_) => Unanswered(message),
            _ => Refused(message),
        }
    })
}

/// Finds elements by ARIA role (explicit or implicit) and accessible name (aria-label,
/// aria-labelledby, a label element, or text content).
const FIND_BY_ROLE: &str = r#"
const [role, name, partial] = arguments;
const IMPLICIT = {
  button: "button", nav: "navigation", main: "main", table: "table", h1: "heading", h2: "heading",
  h3: "heading", a: "link", select: "combobox", textarea: "textbox", footer: "contentinfo",
  dialog: "dialog", output: "status", li: "listitem", ul: "list", ol: "list",
  section: "region", p: "paragraph", summary: "button", details: "group", tr: "row", td: "cell",
  th: "columnheader",
};
function roleOf(el) {
  const explicit = el.getAttribute("role");
  if (explicit) return explicit;
  const tag = el.tagName.toLowerCase();
  if (tag === "input") {
    const t = (el.getAttribute("type") || "text").toLowerCase();
    return { search: "searchbox", radio: "radio", checkbox: "checkbox", button: "button", submit: "button" }[t] || "textbox";
  }
  return IMPLICIT[tag] || null;
}
function text(el) { return (el.textContent || "").replace(/\s+/g, " ").trim(); }
function nameOf(el) {
  const label = el.getAttribute("aria-label");
  if (label) return label.trim();
  const by = el.getAttribute("aria-labelledby");
  if (by) return by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(text).join(" ");
  if (el.labels && el.labels.length) return Array.from(el.labels).map(text).join(" ");
  return text(el);
}
const out = [];
for (const el of document.querySelectorAll("*")) {
  if (roleOf(el) !== role) continue;
  const n = nameOf(el);
  if (partial ? n.includes(name) : n === name) out.push(el);
}
return out;
"#;
