//! Container incidents worth telling the user about, read from engine events: a container that
//! exited on its own with a non-zero code, or became unhealthy.
//!
//! A container someone stopped or killed (`docker stop`, `docker kill`, a restart, compose down,
//! Berth's own Stop) also dies with a non-zero code (143, 137): the engine reports a `kill` event
//! first, and such a death is no incident. An out-of-memory kill has no `kill` event, and is one.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::models::{EventMessage, EventMessageTypeEnum};
use serde::Serialize;
use specta::Type;

/// What happened to a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind")]
pub enum What {
    /// It exited with this code, nobody having stopped it; `oom` when the kernel killed it for
    /// lack of memory.
    Exited { code: i32, oom: bool },
    /// Its health check failed.
    Unhealthy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub what: What,
}

impl Incident {
    /// A one-line summary and a body, as a desktop notification shows them.
    pub fn text(&self) -> (String, String) {
        match &self.what {
            What::Exited { code, oom: true } => (
                format!("{} ran out of memory", self.name),
                format!("The kernel killed it; it exited with code {code}."),
            ),
            What::Exited { code, .. } => (
                format!("{} exited with code {code}", self.name),
                "It stopped on its own. Click to open it.".to_string(),
            ),
            What::Unhealthy => (
                format!("{} is unhealthy", self.name),
                "Its health check is failing. Click to open it.".to_string(),
            ),
        }
    }
}

/// How long after a `kill` event a death counts as asked for (the longest `docker stop`
/// timeout people use is well under this).
const KILL_EXPLAINS: Duration = Duration::from_secs(120);

/// Reads the event stream and says which events are incidents.
#[derive(Default)]
pub struct Watch {
    killed: HashMap<String, Instant>,
    oom: HashMap<String, Instant>,
}

impl Watch {
    pub fn see(&mut self, ev: &EventMessage) -> Option<Incident> {
        self.see_at(ev, Instant::now())
    }

    fn see_at(&mut self, ev: &EventMessage, now: Instant) -> Option<Incident> {
        if ev.typ != Some(EventMessageTypeEnum::CONTAINER) {
            return None;
        }
        let actor = ev.actor.as_ref()?;
        let id = actor.id.clone()?;
        let attr = |k: &str| actor.attributes.as_ref().and_then(|a| a.get(k)).cloned();
        let name = attr("name").unwrap_or_else(|| id.chars().take(12).collect());
        let action = ev.action.as_deref().unwrap_or("");
        let recent =
            |at: Option<Instant>| at.is_some_and(|t| now.duration_since(t) < KILL_EXPLAINS);
        match action {
            "kill" => {
                self.killed.insert(id, now);
                None
            }
            "oom" => {
                self.oom.insert(id, now);
                None
            }
            "die" => {
                let killed = recent(self.killed.remove(&id));
                let oom = recent(self.oom.remove(&id));
                let code = attr("exitCode").and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
                (code != 0 && (oom || !killed)).then_some(Incident {
                    id,
                    name,
                    what: What::Exited { code, oom },
                })
            }
            "destroy" => {
                self.killed.remove(&id);
                self.oom.remove(&id);
                None
            }
            a if a.strip_prefix("health_status:").map(str::trim) == Some("unhealthy") => {
                Some(Incident { id, name, what: What::Unhealthy })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::EventActor;

    fn ev(action: &str, id: &str, attrs: &[(&str, &str)]) -> EventMessage {
        let mut attributes: HashMap<String, String> =
            attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        attributes.insert("name".into(), format!("{id}-name"));
        EventMessage {
            typ: Some(EventMessageTypeEnum::CONTAINER),
            action: Some(action.into()),
            actor: Some(EventActor { id: Some(id.into()), attributes: Some(attributes) }),
            ..Default::default()
        }
    }

    fn exited(id: &str, code: i32, oom: bool) -> Option<Incident> {
        Some(Incident {
            id: id.into(),
            name: format!("{id}-name"),
            what: What::Exited { code, oom },
        })
    }

    #[test]
    fn a_container_that_fails_on_its_own_is_an_incident() {
        let mut w = Watch::default();
        assert_eq!(w.see(&ev("start", "a", &[])), None);
        assert_eq!(w.see(&ev("die", "a", &[("exitCode", "3")])), exited("a", 3, false));
        assert_eq!(w.see(&ev("die", "a", &[("exitCode", "0")])), None, "a clean exit is not");
    }

    #[test]
    fn a_stop_or_kill_someone_asked_for_is_not() {
        let mut w = Watch::default();
        w.see(&ev("kill", "a", &[("signal", "15")]));
        assert_eq!(w.see(&ev("die", "a", &[("exitCode", "143")])), None);
        // The kill explained one death only.
        assert_eq!(w.see(&ev("die", "a", &[("exitCode", "1")])), exited("a", 1, false));
        // An old kill explains nothing.
        let t0 = Instant::now();
        w.see_at(&ev("kill", "b", &[]), t0);
        assert_eq!(
            w.see_at(&ev("die", "b", &[("exitCode", "137")]), t0 + KILL_EXPLAINS * 2),
            exited("b", 137, false)
        );
    }

    #[test]
    fn out_of_memory_is_an_incident_even_after_a_kill() {
        let mut w = Watch::default();
        w.see(&ev("oom", "a", &[]));
        assert_eq!(w.see(&ev("die", "a", &[("exitCode", "137")])), exited("a", 137, true));
        assert!(exited("a", 137, true).unwrap().text().0.contains("ran out of memory"));
    }

    #[test]
    fn unhealthy_is_an_incident_and_healthy_is_not() {
        let mut w = Watch::default();
        let got = w.see(&ev("health_status: unhealthy", "a", &[])).unwrap();
        assert_eq!(got.what, What::Unhealthy);
        assert_eq!(got.text().0, "a-name is unhealthy");
        assert_eq!(w.see(&ev("health_status: healthy", "a", &[])), None);
        assert_eq!(w.see(&ev("exec_die", "a", &[("exitCode", "1")])), None);
        let mut image = ev("die", "a", &[("exitCode", "1")]);
        image.typ = Some(EventMessageTypeEnum::IMAGE);
        assert_eq!(w.see(&image), None);
    }
}
