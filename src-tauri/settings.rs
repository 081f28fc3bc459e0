//! Berth's settings, kept as JSON in the app's config directory. A file that cannot be read as
//! settings is kept beside (renamed, never deleted), reported once, and replaced by defaults.

use crate::engine::sync::lock;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// Which containers notify when they exit with an error or become unhealthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
pub enum NotifyFor {
    #[default]
    All,
    Favourites,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Settings {
    pub theme: Theme,
    /// Closing the window keeps Berth running in the tray.
    pub close_to_tray: bool,
    /// The user was told once that closing keeps Berth in the tray.
    pub told_about_tray: bool,
    /// Lines the log view keeps before dropping the oldest.
    pub log_buffer: u32,
    /// Lines a log view starts from; `None` for the whole log.
    pub default_tail: Option<u32>,
    /// Start Berth (in the tray) when the user logs in.
    pub start_at_login: bool,
    /// Which containers send a desktop notification when they fail.
    pub notify: NotifyFor,
    /// Container names the user starred: they can be the only ones that notify.
    pub favourites: Vec<String>,
    /// Registries (`host:port`) whose catalogs the image search looks in.
    pub registries: Vec<String>,
    /// The containers list shows each running container's CPU and memory (one stats stream per
    /// row on screen).
    pub stats_columns: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            close_to_tray: true,
            told_about_tray: false,
            log_buffer: 100_000,
            default_tail: Some(1000),
            start_at_login: false,
            notify: NotifyFor::All,
            favourites: Vec::new(),
            registries: Vec::new(),
            stats_columns: false,
        }
    }
}

impl Settings {
    /// The same settings with every value brought into its allowed range.
    pub fn bounded(mut self) -> Self {
        self.log_buffer = self.log_buffer.clamp(1_000, 2_000_000);
        self
    }
}

/// What loading found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Loaded {
    pub settings: Settings,
    /// Why the file could not be used, and where the old one was kept.
    pub problem: Option<String>,
}

/// Read the settings at `path`: defaults when there is no file; defaults and a problem (the bad
/// file kept beside as `settings.json.corrupt`) when it cannot be read as settings.
pub fn load(path: &Path) -> Loaded {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded { settings: Settings::default(), problem: None }
        }
        Err(e) => {
            return Loaded {
                settings: Settings::default(),
                problem: Some(format!(
                    "could not read {}: {e}; using the defaults",
                    path.display()
                )),
            }
        }
    };
    match serde_json::from_str::<Settings>(&text) {
        Ok(s) => Loaded { settings: s.bounded(), problem: None },
        Err(e) => {
            let kept = keep_aside(path);
            let problem = match kept {
                Ok(to) => format!(
                    "the settings file was damaged ({e}); Berth uses the defaults and kept the old file as {}",
                    to.display()
                ),
                Err(io) => format!("the settings file was damaged ({e}) and could not be kept aside: {io}"),
            };
            Loaded { settings: Settings::default(), problem: Some(problem) }
        }
    }
}

fn keep_aside(path: &Path) -> std::io::Result<PathBuf> {
    let mut to = path.with_extension("json.corrupt");
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = path.with_extension(format!("json.corrupt.{n}"));
    }
    std::fs::rename(path, &to)?;
    Ok(to)
}

/// Write the settings: to a temporary file first, then renamed over the old one, so a crash
/// never leaves half a file.
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(settings).expect("settings serialize"))?;
    std::fs::rename(&tmp, path)
}

/// The settings in managed state, with where they live.
#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    inner: Arc<Mutex<Loaded>>,
}

impl Store {
    pub fn open(path: PathBuf) -> Store {
        let loaded = load(&path);
        if let Some(p) = &loaded.problem {
            tracing::warn!(problem = %p, "settings");
        }
        Store { path, inner: Arc::new(Mutex::new(loaded)) }
    }

    pub fn get(&self) -> Settings {
        lock(&self.inner).settings.clone()
    }

    pub fn loaded(&self) -> Loaded {
        lock(&self.inner).clone()
    }

    /// Replace the settings and write them; the problem found at load is forgotten.
    pub fn set(&self, settings: Settings) -> std::io::Result<Settings> {
        let settings = settings.bounded();
        save(&self.path, &settings)?;
        let mut inner = lock(&self.inner);
        *inner = Loaded { settings: settings.clone(), problem: None };
        Ok(settings)
    }
}

/// Start at login the freedesktop way: a desktop entry in `$XDG_CONFIG_HOME/autostart` (what
/// GNOME, KDE, Xfce and others read), written when the setting is on and removed when it is off.
/// Own code rather than tauri-plugin-autostart: its entry leaves the path unquoted and unescaped
/// and ignores `XDG_CONFIG_HOME`.
pub mod autostart {
    use std::io::{Error, ErrorKind};
    use std::path::{Path, PathBuf};

    pub fn entry_path(config_home: &Path) -> PathBuf {
        config_home.join("autostart").join("app.berth.desktop.desktop")
    }

    /// The user's config home, as the XDG base directory spec says.
    pub fn config_home() -> Option<PathBuf> {
        std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    }

    /// `exe` as the first word of an `Exec` value, per the desktop entry spec: in double quotes
    /// with `"` `` ` `` `$` `\` escaped, `%` doubled, then the string rule applied on top (every
    /// backslash doubled again). A path that is not UTF-8 or holds control characters cannot be
    /// written there.
    pub fn exec_word(exe: &Path) -> std::io::Result<String> {
        let path = exe.to_str().filter(|p| !p.chars().any(char::is_control)).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("{} cannot be written in a desktop entry", exe.display()),
            )
        })?;
        let mut word = String::from("\"");
        for ch in path.chars() {
            match ch {
                '"' | '`' | '$' => word.push_str(&format!("\\\\{ch}")),
                '\\' => word.push_str("\\\\\\\\"),
                '%' => word.push_str("%%"),
                _ => word.push(ch),
            }
        }
        word.push('"');
        Ok(word)
    }

    pub fn apply(config_home: &Path, enabled: bool, exe: &Path) -> std::io::Result<()> {
        let path = entry_path(config_home);
        if !enabled {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let exec = exec_word(exe)?;
        std::fs::create_dir_all(path.parent().expect("autostart dir"))?;
        let text = format!(
            "[Desktop Entry]\nType=Application\nName=Berth\nComment=Docker engines, from the tray\n\
             Exec={exec} --minimized\nIcon=berth\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
        );
        std::fs::write(path, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_at_login_writes_and_removes_the_autostart_entry() {
        let dir = tempfile::tempdir().unwrap();
        let exe = Path::new("/opt/My Apps/berth");
        autostart::apply(dir.path(), true, exe).unwrap();
        let text = std::fs::read_to_string(autostart::entry_path(dir.path())).unwrap();
        assert!(text.starts_with("[Desktop Entry]\n"), "{text}");
        assert!(text.contains("Exec=\"/opt/My Apps/berth\" --minimized\n"), "{text}");
        autostart::apply(dir.path(), false, exe).unwrap();
        assert!(!autostart::entry_path(dir.path()).exists());
        autostart::apply(dir.path(), false, exe).unwrap();
    }

    #[test]
    fn the_exec_word_follows_the_desktop_entry_spec() {
        use autostart::exec_word;
        // The spec's own examples: a literal backslash is four, a dollar sign is \\$.
        assert_eq!(exec_word(Path::new(r"/a\b")).unwrap(), r#""/a\\\\b""#);
        assert_eq!(exec_word(Path::new("/a$b")).unwrap(), r#""/a\\$b""#);
        assert_eq!(exec_word(Path::new("/50%/berth")).unwrap(), r#""/50%%/berth""#);
        assert_eq!(exec_word(Path::new(r#"/"q"`x`"#)).unwrap(), r#""/\\"q\\"\\`x\\`""#);
        let bad = exec_word(Path::new("/a\nb")).unwrap_err();
        assert_eq!(bad.kind(), std::io::ErrorKind::InvalidInput);
    }

    /// GLib (GNOME's and Xfce's autostart) reads the entry back and runs the same path.
    #[test]
    fn glib_launches_the_entry_at_a_hostile_path() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(r#"My Apps/$HOME `id` "q" \b;&"#);
        std::fs::create_dir_all(&folder).unwrap();
        let exe = folder.join("berth");
        let seen = dir.path().join("seen");
        std::fs::write(
            &exe,
            format!("#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" > '{}'\n", seen.display()),
        )
        .unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&seen).status().unwrap();
        assert!(made.success());
        autostart::apply(dir.path(), true, &exe).unwrap();
        let entry = autostart::entry_path(dir.path());
        let status = std::process::Command::new("gio")
            .arg("launch")
            .arg(&entry)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .status()
            .expect("gio (Debian package libglib2.0-bin) is needed for this test");
        assert!(status.success(), "gio could not launch {}", entry.display());
        // `seen` is a pipe: reading it waits for the program to write its arguments.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(std::fs::read_to_string(&seen)));
        let text = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the entry's program never ran")
            .unwrap();
        assert_eq!(text, format!("{}\n--minimized\n", exe.display()));
    }

    #[test]
    fn round_trip_and_defaults_for_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/settings.json");
        assert_eq!(load(&path), Loaded { settings: Settings::default(), problem: None });
        let s = Settings {
            theme: Theme::Dark,
            close_to_tray: false,
            log_buffer: 5000,
            default_tail: None,
            ..Default::default()
        };
        save(&path, &s).unwrap();
        assert_eq!(load(&path).settings, s);
        assert!(!path.with_extension("json.tmp").exists());
    }

    #[test]
    fn a_corrupt_file_is_kept_beside_and_replaced_by_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{ not json").unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.settings, Settings::default());
        let problem = loaded.problem.unwrap();
        assert!(problem.contains("settings.json.corrupt"), "{problem}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("settings.json.corrupt")).unwrap(),
            "{ not json"
        );
        assert!(!path.exists());

        // A second bad file does not overwrite the first one kept.
        std::fs::write(&path, "nope").unwrap();
        assert!(load(&path).problem.unwrap().contains("settings.json.corrupt.2"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("settings.json.corrupt")).unwrap(),
            "{ not json"
        );
    }

    #[test]
    fn missing_fields_take_defaults_and_values_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"theme":"Light","log_buffer":3}"#).unwrap();
        let s = load(&path).settings;
        assert_eq!(s.theme, Theme::Light);
        assert!(s.close_to_tray);
        assert_eq!(s.log_buffer, 1_000);
    }
}
