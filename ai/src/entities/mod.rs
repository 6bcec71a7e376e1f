//! Entities of a page: people, organisations, places, products, dates, money, e-mail
//! addresses and URLs, each with its mentions.
//!
//! Patterns (`patterns`) run first and claim their spans; names (`names`) are found in
//! what is left. Mentions are then grouped into entities: identical text, plus a surname
//! alone joined to the full name of a person mentioned on the page ("Saka" → "Bukayo
//! Saka") and a first word alone joined to a longer organisation ("Northwind" →
//! "Northwind Airlines"). An entity's text is its longest mention. Names the rules cannot
//! type with confidence are typed by embedding similarity to example names (`typing`), which
//! also drops those that look like ordinary words.

mod lexicon;
mod names;
pub mod patterns;
pub mod typing;

use nexus_ipc::messages::Span;
use nexus_ipc::messages::ai::{Entity, EntityKind};
use std::collections::HashMap;

/// Most entities returned for a page (the most mentioned first).
pub const MAX_ENTITIES: usize = 200;

/// Find the entities of `text`, most mentioned first (ties: first mentioned first), typing
/// ambiguous names with `typer` when given.
pub fn extract(text: &str, typer: Option<&typing::NameTyper<'_>>) -> Vec<Entity> {
    let hits = patterns::find(text);
    let taken: Vec<(usize, usize)> = hits.iter().map(|h| (h.0, h.1)).collect();
    let mut names = names::find(text, &taken);
    if let Some(typer) = typer {
        let weak: Vec<usize> = (0..names.len())
            .filter(|&i| names[i].3 <= typing::WEAK)
            .collect();
        let texts: Vec<&str> = weak
            .iter()
            .map(|&i| &text[names[i].0..names[i].1])
            .collect();
        let mut dropped = vec![false; names.len()];
        for (&i, verdict) in weak.iter().zip(typer.kinds(&texts)) {
            match verdict {
                typing::Typed::Kind(kind) => names[i].2 = kind,
                typing::Typed::NotAName => dropped[i] = true,
                typing::Typed::Unknown => {}
            }
        }
        let mut i = 0;
        names.retain(|_| {
            i += 1;
            !dropped[i - 1]
        });
    }

    // Group by (kind for patterns | "name", text).
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(Option<EntityKind>, &str), usize> = HashMap::new();
    for (start, end, kind) in hits {
        add(
            &mut groups,
            &mut index,
            Some(kind),
            &text[start..end],
            start,
            end,
            kind,
        );
    }
    for (start, end, kind, _) in names {
        add(
            &mut groups,
            &mut index,
            None,
            &text[start..end],
            start,
            end,
            kind,
        );
    }
    merge_short_names(&mut groups);

    let mut entities: Vec<Entity> = groups
        .into_iter()
        .filter(|g| !g.mentions.is_empty())
        .map(|g| {
            let kind = g.kind();
            let mut mentions = g.mentions;
            mentions.sort_by_key(|m| m.0.start);
            let text_of = |s: &Span| &text[s.start as usize..s.end as usize];
            let canonical = mentions
                .iter()
                .map(|m| text_of(&m.0))
                .max_by_key(|t| t.len())
                .unwrap_or_default();
            Entity {
                text: canonical.to_owned(),
                kind,
                count: mentions.len() as u32,
                mentions: mentions.into_iter().map(|m| m.0).collect(),
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.mentions[0].start.cmp(&b.mentions[0].start))
    });
    entities.truncate(MAX_ENTITIES);
    entities
}

/// Mentions that will become one entity, with the kind each mention was typed as.
struct Group<'a> {
    text: &'a str,
    mentions: Vec<(Span, EntityKind)>,
}

impl Group<'_> {
    /// The kind most mentions have (ties: the first mention's).
    fn kind(&self) -> EntityKind {
        let mut votes: Vec<(EntityKind, usize)> = Vec::new();
        for (_, k) in &self.mentions {
            match votes.iter_mut().find(|v| v.0 == *k) {
                Some(v) => v.1 += 1,
                None => votes.push((*k, 1)),
            }
        }
        votes
            .iter()
            .fold(votes[0], |best, v| if v.1 > best.1 { *v } else { best })
            .0
    }
}

fn add<'a>(
    groups: &mut Vec<Group<'a>>,
    index: &mut HashMap<(Option<EntityKind>, &'a str), usize>,
    key_kind: Option<EntityKind>,
    text: &'a str,
    start: usize,
    end: usize,
    kind: EntityKind,
) {
    let i = *index.entry((key_kind, text)).or_insert_with(|| {
        groups.push(Group {
            text,
            mentions: Vec::new(),
        });
        groups.len() - 1
    });
    groups[i].mentions.push((Span::new(start, end), kind));
}

/// Join one-word names to the longer name they abbreviate.
fn merge_short_names(groups: &mut [Group<'_>]) {
    for i in 0..groups.len() {
        let short = groups[i].text;
        if short.contains(' ') || groups[i].mentions.is_empty() {
            continue;
        }
        let kind = groups[i].kind();
        if !matches!(
            kind,
            EntityKind::Person | EntityKind::Organization | EntityKind::Place | EntityKind::Product
        ) {
            continue;
        }
        let target = (0..groups.len()).find(|&j| {
            let long = groups[j].text;
            if j == i || !long.contains(' ') || groups[j].mentions.is_empty() {
                return false;
            }
            let words: Vec<&str> = long.split_whitespace().collect();
            match groups[j].kind() {
                EntityKind::Person => {
                    words.last() == Some(&short)
                        || (words.len() == 2 && words[0] == short && kind == EntityKind::Person)
                }
                EntityKind::Organization => words[0] == short && kind == EntityKind::Organization,
                _ => false,
            }
        });
        if let Some(j) = target {
            let target_kind = groups[j].kind();
            let moved: Vec<(Span, EntityKind)> = std::mem::take(&mut groups[i].mentions)
                .into_iter()
                .map(|(s, _)| (s, target_kind))
                .collect();
            groups[j].mentions.extend(moved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_mentions_and_joins_surnames() {
        let t = "Bukayo Saka scored twice. Saka later said Arsenal were better. Mail saka@club.example.com on Monday.";
        let e = extract(t, None);
        let saka = e.iter().find(|e| e.text == "Bukayo Saka").expect("person");
        assert_eq!((saka.kind, saka.count), (EntityKind::Person, 2));
        assert_eq!(
            &t[saka.mentions[1].start as usize..saka.mentions[1].end as usize],
            "Saka"
        );
        assert!(
            e.iter()
                .any(|e| e.kind == EntityKind::Email && e.text == "saka@club.example.com")
        );
        assert!(
            e.iter()
                .any(|e| e.kind == EntityKind::Date && e.text == "Monday")
        );
        assert_eq!(e[0].text, "Bukayo Saka", "most mentioned first");
    }
}
