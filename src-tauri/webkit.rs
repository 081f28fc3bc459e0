//! How Berth starts WebKitGTK on Linux. Each setting is one WebKitGTK or GTK reads from the
//! environment, holds on every mainstream desktop (X11 and Wayland, any GPU or none), and is
//! explained with its measured effect in `docs/performance.md`. Whatever the user set wins, and
//! `BERTH_GPU=1` keeps WebKit's own defaults. No program Berth starts inherits these.

use crate::engine::process;

/// Rendering on the CPU without GL compositing: Berth's lists are virtualized, so there is
/// little to composite, and it avoids the blank windows some GPU drivers give WebKit.
const NO_COMPOSITING: (&str, &str) = ("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
/// WebKit's DMA-BUF renderer off: the web process draws into shared memory.
const NO_DMABUF: (&str, &str) = ("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
/// GTK does not probe OpenGL: nothing in the window's process draws with it once WebKit does not
/// composite. Only set when compositing is off.
const NO_GTK_GL: (&str, &str) = ("GDK_GL", "disable");

/// Set Berth's defaults for WebKit in this process's environment, before WebKit starts (while
/// the process is still single-threaded), and keep them from the programs Berth starts.
pub(crate) fn defaults() {
    if std::env::var_os("BERTH_GPU").is_some_and(|v| v == "1") {
        return;
    }
    for (key, value) in planned(|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())) {
        // Still single-threaded here: nothing else reads the environment yet.
        std::env::set_var(key, value);
        process::hide_from_children(key);
    }
}

/// The variables to set, given what the environment already holds (`get`).
fn planned(get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for (key, value) in [NO_COMPOSITING, NO_DMABUF] {
        if get(key).is_none() {
            out.push((key, value));
        }
    }
    let compositing_off = get(NO_COMPOSITING.0).is_none_or(|v| v != "0");
    if compositing_off && get(NO_GTK_GL.0).is_none() {
        out.push(NO_GTK_GL);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Vec<(&'static str, &'static str)> {
        let vars: Vec<(String, String)> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        planned(move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn nothing_set_gets_every_default() {
        assert_eq!(with(&[]), vec![NO_COMPOSITING, NO_DMABUF, NO_GTK_GL]);
    }

    #[test]
    fn what_the_user_set_wins() {
        assert_eq!(
            with(&[("WEBKIT_DISABLE_DMABUF_RENDERER", "0")]),
            vec![NO_COMPOSITING, NO_GTK_GL]
        );
        assert_eq!(with(&[("GDK_GL", "always")]), vec![NO_COMPOSITING, NO_DMABUF]);
    }

    #[test]
    fn gtk_keeps_gl_when_the_user_turns_compositing_on() {
        assert_eq!(with(&[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")]), vec![NO_DMABUF]);
    }
}
