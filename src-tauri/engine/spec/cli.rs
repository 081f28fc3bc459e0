//! The `docker run` line that makes the same container as the dialog.

use super::words::shell_quote;
use super::RunPlan;

impl RunPlan {
    /// The `docker run` line that creates the same container.
    pub fn to_cli(&self) -> String {
        let mut args: Vec<String> = vec!["docker".into(), "run".into(), "-d".into()];
        let mut flag = |f: &str, v: &str| {
            args.push(f.to_string());
            args.push(shell_quote(v));
        };
        if let Some(n) = &self.name {
            flag("--name", n);
        }
        for p in &self.ports {
            flag("-p", &p.to_flag());
        }
        for (k, v) in &self.env {
            flag("-e", &format!("{k}={v}"));
        }
        for v in &self.volumes {
            flag("-v", &v.to_flag());
        }
        if let Some(n) = &self.network {
            flag("--network", n);
        }
        if let Some(r) = &self.restart_text {
            flag("--restart", r);
        }
        if let Some(w) = &self.workdir {
            flag("-w", w);
        }
        if let Some(u) = &self.user {
            flag("-u", u);
        }
        for (k, v) in &self.labels {
            flag("-l", &format!("{k}={v}"));
        }
        let (entry, cmd) = self.entry_and_cmd();
        if let Some(e) = &entry {
            flag("--entrypoint", e);
        }
        if self.auto_remove {
            args.push("--rm".into());
        }
        if self.interactive_tty {
            args.push("-it".into());
        }
        args.push(shell_quote(&self.image));
        args.extend(cmd.iter().map(|w| shell_quote(w)));
        args.join(" ")
    }
}
