//! Which local images are built on which. The engine's `Parent` is set only for images built or
//! committed on this engine (the classic builder, `docker commit`), and then often names a hidden
//! intermediate image; every pulled image has none. So an image's parent is, in order:
//!
//! 1. its `Parent`, followed through hidden intermediate images to the first listed one;
//! 2. else the listed image whose layers are the longest strict prefix of its own (how the
//!    engine's containerd image store finds children).
//!
//! Images with the same layers and the same parent are siblings: retags under another id,
//! config-only changes (a `LABEL`, a `CMD`).

use std::collections::HashMap;

/// What lineage needs to know of one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub id: String,
    /// `RootFS.Layers`, base first.
    pub layers: Vec<String>,
    /// The engine's `Parent` (empty when it has none).
    pub parent: String,
}

/// One image's place among the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub parent: Option<String>,
    pub children: Vec<String>,
    pub siblings: Vec<String>,
}

/// The places of `listed` images. `hidden` are the engine's other images (intermediate build
/// steps), id to `Parent`, through which a `Parent` is followed.
pub fn places(listed: &[Facts], hidden: &HashMap<String, String>) -> HashMap<String, Place> {
    let by_id: HashMap<&str, &Facts> = listed.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut by_layers: HashMap<&[String], Vec<&str>> = HashMap::new();
    for f in listed {
        by_layers.entry(f.layers.as_slice()).or_default().push(f.id.as_str());
    }
    let parent_of = |f: &Facts| -> Option<String> {
        let mut p = f.parent.as_str();
        let mut steps = 0;
        while !p.is_empty() && steps <= hidden.len() {
            if by_id.contains_key(p) {
                return Some(p.to_string());
            }
            p = hidden.get(p).map(String::as_str).unwrap_or("");
            steps += 1;
        }
        // The longest strict prefix of its layers that is a listed image's.
        (0..f.layers.len()).rev().find_map(|n| {
            let mut ids = by_layers.get(&f.layers[..n])?.clone();
            ids.sort();
            ids.first().map(|id| id.to_string())
        })
    };
    let mut out: HashMap<String, Place> =
        listed.iter().map(|f| (f.id.clone(), Place::default())).collect();
    for f in listed {
        if let Some(p) = parent_of(f).filter(|p| *p != f.id) {
            out.get_mut(&p).expect("a listed parent").children.push(f.id.clone());
            out.get_mut(&f.id).expect("listed").parent = Some(p);
        }
    }
    for f in listed {
        let parent = out[&f.id].parent.clone();
        let mut siblings: Vec<String> = by_layers[f.layers.as_slice()]
            .iter()
            .filter(|id| **id != f.id && out[**id].parent == parent)
            .map(|id| id.to_string())
            .collect();
        siblings.sort();
        let place = out.get_mut(&f.id).expect("listed");
        place.siblings = siblings;
        place.children.sort();
    }
    out
}

/// The chain from `id` down to its base: `id` first, the base last.
pub fn chain(places: &HashMap<String, Place>, id: &str) -> Vec<String> {
    let mut out = vec![id.to_string()];
    let mut at = id;
    while let Some(p) = places.get(at).and_then(|p| p.parent.as_deref()) {
        if out.iter().any(|seen| seen == p) {
            break;
        }
        out.push(p.to_string());
        at = p;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: &str, layers: &[&str], parent: &str) -> Facts {
        Facts {
            id: id.into(),
            layers: layers.iter().map(|l| l.to_string()).collect(),
            parent: parent.into(),
        }
    }

    #[test]
    fn the_longest_strict_prefix_is_the_parent_and_equal_layers_are_siblings() {
        let listed = [
            facts("base", &["a"], ""),
            facts("child", &["a", "b"], ""),
            facts("grandchild", &["a", "b", "c"], ""),
            // A config-only change of child: the same layers.
            facts("child-label", &["a", "b"], ""),
            // Two layers beyond base with no image between: base is still the parent.
            facts("far", &["a", "x", "y"], ""),
            facts("other-base", &["z"], ""),
        ];
        let p = places(&listed, &HashMap::new());
        assert_eq!(p["base"].parent, None);
        assert_eq!(p["child"].parent.as_deref(), Some("base"));
        assert_eq!(p["child-label"].parent.as_deref(), Some("base"));
        assert_eq!(p["child"].siblings, ["child-label"]);
        assert_eq!(p["far"].parent.as_deref(), Some("base"));
        assert_eq!(p["base"].children, ["child", "child-label", "far"]);
        // Of two images with the prefix's layers, the first by id is the parent, always the same.
        assert_eq!(p["grandchild"].parent.as_deref(), Some("child"));
        assert_eq!(chain(&p, "grandchild"), ["grandchild", "child", "base"]);
        assert_eq!(p["other-base"], Place::default());
    }

    #[test]
    fn the_engines_parent_wins_and_is_followed_through_hidden_steps() {
        let listed = [
            facts("busybox", &["a"], ""),
            // Built with `FROM busybox` + `LABEL`: same layers, but the engine says busybox.
            facts("labelled", &["a"], "step2"),
            facts("built", &["a", "b"], "step3"),
        ];
        let hidden: HashMap<String, String> = [
            ("step2".to_string(), "busybox".to_string()),
            ("step3".to_string(), "step1".to_string()),
            ("step1".to_string(), "labelled".to_string()),
        ]
        .into();
        let p = places(&listed, &hidden);
        assert_eq!(p["labelled"].parent.as_deref(), Some("busybox"));
        assert!(p["labelled"].siblings.is_empty() && p["busybox"].siblings.is_empty());
        assert_eq!(p["built"].parent.as_deref(), Some("labelled"));
        assert_eq!(chain(&p, "built"), ["built", "labelled", "busybox"]);
    }

    #[test]
    fn a_parent_that_is_gone_falls_back_to_layers_and_a_loop_ends() {
        let listed = [facts("base", &["a"], ""), facts("child", &["a", "b"], "deleted")];
        let p = places(&listed, &HashMap::new());
        assert_eq!(p["child"].parent.as_deref(), Some("base"));
        let looped: HashMap<String, String> =
            [("x".to_string(), "y".to_string()), ("y".to_string(), "x".to_string())].into();
        let p = places(&[facts("lone", &["q"], "x")], &looped);
        assert_eq!(p["lone"].parent, None);
    }
}
