//! Typing a name by what it looks like to the embedding model.
//!
//! When the rules find no evidence for a name's type ("Dana Whitfield", "Starfall
//! Odyssey", "Nimbus Games" without a suffix), the name alone is embedded and compared with
//! example names of each kind (`prototypes/name_kinds.txt`): person names, organisations,
//! places and products look different enough to a sentence model to beat a blind default.
//! All ambiguous names of a page go through the model in one batch.
//!
//! A lone unknown word is never typed Person this way: pages introduce people by their full
//! name, and a surname alone is joined to that full name afterwards whatever its type here,
//! while single words the rules cannot place ("Halki", "Lumon", "Nurofen") are mostly
//! places, organisations and products. A fifth set of examples, ordinary words that pages
//! capitalise in headings and menus ("Overview", "Deal", "Views"), catches candidates that
//! are no name at all: a weak candidate nearest to those is dropped.

use crate::embed::{self, Embedder, Vector};
use crate::prototypes;
use nexus_ipc::messages::ai::EntityKind;

/// Names whose rule evidence is at most this are typed by embedding.
pub const WEAK: i32 = 1;
/// Nearest examples averaged per kind.
const NEAREST: usize = 3;

/// Embedded examples per kind; `None` is the ordinary words that are no name.
pub type Examples = Vec<(Option<EntityKind>, Vec<Vector>)>;

/// What the model makes of a candidate name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Typed {
    /// Most like names of this kind.
    Kind(EntityKind),
    /// Most like ordinary capitalised words.
    NotAName,
    /// The model failed; keep the rules' guess.
    Unknown,
}

/// Example-name embeddings per kind, with the embedder that made them.
pub struct NameTyper<'a> {
    embedder: &'a Embedder,
    kinds: &'a [(Option<EntityKind>, Vec<Vector>)],
}

/// Embed the example names (once, at engine load).
pub fn prototypes(embedder: &Embedder) -> Result<Examples, embed::EmbedError> {
    let mut out = Vec::new();
    for (name, lines) in prototypes::sections(prototypes::NAME_KINDS) {
        let kind = match name {
            "Person" => Some(EntityKind::Person),
            "Organization" => Some(EntityKind::Organization),
            "Place" => Some(EntityKind::Place),
            "Product" => Some(EntityKind::Product),
            _ => None,
        };
        out.push((kind, embedder.embed(&lines, &Default::default())?));
    }
    Ok(out)
}

impl<'a> NameTyper<'a> {
    /// A typer over embedded examples.
    pub fn new(
        embedder: &'a Embedder,
        kinds: &'a [(Option<EntityKind>, Vec<Vector>)],
    ) -> NameTyper<'a> {
        NameTyper { embedder, kinds }
    }

    /// The likeliest kind of each name; Person only for names of more than one word.
    pub fn kinds(&self, names: &[&str]) -> Vec<Typed> {
        if names.is_empty() {
            return Vec::new();
        }
        let Ok(vectors) = self.embedder.embed(names, &Default::default()) else {
            return vec![Typed::Unknown; names.len()];
        };
        vectors
            .iter()
            .zip(names)
            .map(|(v, name)| {
                let one_word = !name.trim().contains(char::is_whitespace);
                self.kinds
                    .iter()
                    .filter(|(k, _)| !(one_word && *k == Some(EntityKind::Person)))
                    .map(|(k, examples)| {
                        let mut c: Vec<f32> =
                            examples.iter().map(|e| embed::cosine(v, e)).collect();
                        c.sort_by(|a, b| b.total_cmp(a));
                        (*k, c.iter().take(NEAREST).sum::<f32>())
                    })
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map_or(Typed::Unknown, |(k, _)| {
                        k.map_or(Typed::NotAName, Typed::Kind)
                    })
            })
            .collect()
    }
}
