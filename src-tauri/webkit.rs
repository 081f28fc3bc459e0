//! How Berth starts WebKitGTK on Linux: settings for its memory and start-up, made while the
//! process is still single-threaded, before WebKit starts its own processes.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// WebKitGTK settings that cut the window's memory by about a third (measured: 299 MB PSS to
/// about 200 MB for the app and its WebKit processes) and avoid blank windows on some GPU drivers:
/// CPU rendering without GL compositing (Berth's lists are virtualized, so there is little to
/// composite), no JavaScript JIT (Berth's script is small), and no OpenGL in GTK either (GTK
/// probes it once per X session to pick its visuals, which loads Mesa and LLVM: about 20 MB in
/// each process). Whatever the user set wins, and `BERTH_GPU=1` keeps WebKit's own defaults.
pub(crate) fn defaults() {
    if std::env::var_os("BERTH_GPU").is_some_and(|v| v == "1") {
        return;
    }
    for (key, value) in [
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ("JSC_useJIT", "0"),
        ("GDK_GL", "disable"),
    ] {
        if std::env::var_os(key).is_none() {
            // Still single-threaded here: nothing else reads the environment yet.
            std::env::set_var(key, value);
        }
    }
    // With the DMA-BUF renderer off, the web process draws into shared memory and never uses the
    // GPU device WebKit passes it; yet to find that device WebKit starts EGL in this process
    // (Mesa and LLVM: about 20 MB, and 100 ms before the window is built, measured here). Naming
    // the device skips that: the first render node, or none at all when the machine has no GPU.
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_some_and(|v| v != "0")
        && std::env::var_os("WEBKIT_WEB_RENDER_DEVICE_FILE").is_none()
    {
        std::env::set_var("WEBKIT_WEB_RENDER_DEVICE_FILE", render_node());
    }
}

/// The machine's first DRM render node, or `/dev/null` when it has none (a VM, a virtual display).
fn render_node() -> PathBuf {
    let mut nodes: Vec<_> = std::fs::read_dir("/dev/dri")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("renderD")))
        .collect();
    nodes.sort();
    nodes.into_iter().next().unwrap_or_else(|| "/dev/null".into())
}

/// The speech synthesizer's voice that libwebkit2gtk links on Debian (flite's `cmu_time_awb`).
/// Its 31,000 relocations each name one of its own symbols, and the dynamic loader looks each one
/// up through every library loaded before it: with WebKit's 169 libraries that is 25 to 35 ms of
/// CPU in each of Berth's three processes, before their `main` (measured with `perf stat`). Loaded
/// first, it finds them at once. The Berth binary links it first (`build.rs`); WebKit's web and
/// network processes get it through `LD_PRELOAD` while they start. The same file they would load
/// anyway: no symbol of flite's is defined by any other library, so nothing binds differently.
const VOICE: &str = "libflite_cmu_time_awb.so";

/// Mesa's simpler software rasterizer, for WebKit's web process when it does not composite.
/// WebKitGTK 2.50 still makes a GL context there (its frames are drawn on the CPU); on a machine
/// without a GPU Mesa would pick llvmpipe, which sets up LLVM's code generator for it: about
/// 0.8 MB more of that process (measured), for a context Berth's page never draws with (it has
/// no canvas or WebGL). Mesa reads this only when it rasterizes in software, so a GPU's own driver
/// is untouched.
const SOFTWARE_GL: (&str, &str) = ("GALLIUM_DRIVER", "softpipe");

/// Variables changed for WebKit's processes while they start, with the values they had before,
/// until [`restore_env`].
static BEFORE: Mutex<Vec<(&'static str, Option<OsString>)>> = Mutex::new(Vec::new());

/// Sets `key` for the WebKit processes about to start, remembering what it was.
fn set_for_helpers(key: &'static str, value: OsString) {
    let before = std::env::var_os(key);
    if before.as_deref() == Some(value.as_os_str()) {
        return;
    }
    BEFORE.lock().unwrap_or_else(|e| e.into_inner()).push((key, before));
    std::env::set_var(key, value);
}

/// The environment WebKit's web and network processes start with: the voice first (see
/// [`VOICE`]) when this process has it loaded, and Mesa's simpler rasterizer (see
/// [`SOFTWARE_GL`]) when WebKit does not composite and the user chose no driver. Call while
/// single-threaded, after [`defaults`].
pub(crate) fn env_for_helpers() {
    if let Some(voice) = loaded_library(VOICE) {
        set_for_helpers(
            "LD_PRELOAD",
            with_preload(std::env::var_os("LD_PRELOAD").as_deref(), &voice),
        );
    }
    let (key, value) = SOFTWARE_GL;
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some_and(|v| v != "0")
        && std::env::var_os(key).is_none()
    {
        set_for_helpers(key, value.into());
    }
}

/// Puts back what [`env_for_helpers`] changed once WebKit's processes run, so that what Berth
/// starts later (a browser opened on a published port) gets the environment Berth was given.
/// Called on the main thread; the other threads read the environment through Rust's lock or
/// seldom at all, and removing or replacing a variable leaves glibc's environment array in place.
pub(crate) fn restore_env() {
    let before = std::mem::take(&mut *BEFORE.lock().unwrap_or_else(|e| e.into_inner()));
    for (key, value) in before.into_iter().rev() {
        match value {
            Some(value) => std::env::set_var(key, value),
            None => std::env::remove_var(key),
        }
    }
    tracing::debug!("environment restored for the processes Berth starts");
}

/// `LD_PRELOAD` with `library` after whatever was there (what the user preloads keeps its
/// precedence), or unchanged when it is already there.
fn with_preload(current: Option<&OsStr>, library: &Path) -> OsString {
    let current = current.unwrap_or_default();
    let listed =
        current.to_string_lossy().split([':', ' ']).any(|entry| Path::new(entry) == library);
    if listed {
        return current.to_owned();
    }
    let mut value = current.to_owned();
    if !value.is_empty() {
        value.push(":");
    }
    value.push(library);
    value
}

/// The path of a shared library this process has mapped whose file name starts with `prefix`.
fn loaded_library(prefix: &str) -> Option<PathBuf> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    library_in_maps(&maps, prefix)
}

fn library_in_maps(maps: &str, prefix: &str) -> Option<PathBuf> {
    maps.lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .map(Path::new)
        .find(|path| path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preload_is_added_after_what_the_user_preloads() {
        let voice = Path::new("/usr/lib/x86_64-linux-gnu/libflite_cmu_time_awb.so.1");
        assert_eq!(with_preload(None, voice), voice.as_os_str());
        assert_eq!(with_preload(Some(OsStr::new("")), voice), voice.as_os_str());
        assert_eq!(
            with_preload(Some(OsStr::new("/opt/mine.so")), voice),
            OsStr::new("/opt/mine.so:/usr/lib/x86_64-linux-gnu/libflite_cmu_time_awb.so.1")
        );
        let listed = "/opt/a.so /usr/lib/x86_64-linux-gnu/libflite_cmu_time_awb.so.1";
        assert_eq!(with_preload(Some(OsStr::new(listed)), voice), OsStr::new(listed));
    }

    #[test]
    fn what_the_helpers_got_is_put_back_as_it_was() {
        let (unset, set) = ("BERTH_TEST_HELPER_UNSET", "BERTH_TEST_HELPER_SET");
        std::env::remove_var(unset);
        std::env::set_var(set, "mine");
        set_for_helpers(unset, "for webkit".into());
        set_for_helpers(set, "for webkit".into());
        assert_eq!(std::env::var(unset).as_deref(), Ok("for webkit"));
        assert_eq!(std::env::var(set).as_deref(), Ok("for webkit"));
        restore_env();
        assert_eq!(std::env::var_os(unset), None);
        assert_eq!(std::env::var(set).as_deref(), Ok("mine"));
        std::env::remove_var(set);
    }

    #[test]
    fn loaded_library_is_found_by_its_file_name() {
        let maps = "\
55d0c0a00000-55d0c0a10000 r--p 00000000 08:01 123 /usr/bin/berth
7f0000000000-7f0000100000 r--p 00000000 08:01 456 /usr/lib/x86_64-linux-gnu/libflite.so.2.2
7f0000200000-7f0000300000 r--p 00000000 08:01 789 /usr/lib/x86_64-linux-gnu/libflite_cmu_time_awb.so.2.2
7f0000300000-7f0000301000 rw-p 00000000 00:00 0 
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
";
        assert_eq!(
            library_in_maps(maps, VOICE),
            Some(PathBuf::from("/usr/lib/x86_64-linux-gnu/libflite_cmu_time_awb.so.2.2"))
        );
        assert_eq!(library_in_maps(maps, "libLLVM"), None);
    }

    #[test]
    fn this_process_finds_its_own_c_library() {
        let libc = loaded_library("libc.so").expect("libc is mapped");
        assert!(libc.is_absolute() && libc.exists(), "{}", libc.display());
    }
}
