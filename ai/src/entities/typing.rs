//! Typing a name by what it looks like to the embedding model.
//!
//! When the rules find no evidence for a name's type ("Dana Whitfield", "Starfall
//! Odyssey", "Nimbus Games" without a suffix), the name alone is embedded and compared with
//! example names of each kind (`prototypes/name_kinds.txt`): person names, organisations,
//! places and products look different enough to a sentence model to beat a blind default.
//! All ambiguous names of a page go through the model in one batch.

use crate::embed::{self, Embedder, Vector};
use crate::prototypes;
use nexus_ipc::messages::ai::EntityKind;

/// Names whose rule evidence is at most this are typed by embedding.
pub const WEAK: i32 = 1;
/// Nearest examples averaged per kind.
const NEAREST: usize = 3;

/// Example-name embeddings per kind, with the embedder that made them.
pub struct NameTyper<'a> {
    embedder: &'a Embedder,
    kinds: &'a [(EntityKind, Vec<Vector>)],
}

/// Embed the example names (once, at engine load).
pub fn prototypes(
    embedder: &Embedder,
) -> Result<Vec<(EntityKind, Vec<Vector>)>, embed::EmbedError> {
    let mut out = Vec::new();
    for (name, lines) in prototypes::sections(prototypes::NAME_KINDS) {
        let kind = match name {
            "Person" => EntityKind::Person,
            "Organization" => EntityKind::Organization,
            "Place" => EntityKind::Place,
            _ => EntityKind::Product,
        };
        out.push((kind, embedder.embed(&lines, &Default::default())?));
    }
    Ok(out)
}

impl<'a> NameTyper<'a> {
    /// A typer over embedded examples.
    pub fn new(embedder: &'a Embedder, kinds: &'a [(EntityKind, Vec<Vector>)]) -> NameTyper<'a> {
        NameTyper { embedder, kinds }
    }

    /// The likeliest kind of each name (`None` if the model failed).
    pub fn kinds(&self, names: &[&str]) -> Vec<Option<EntityKind>> {
        if names.is_empty() {
            return Vec::new();
        }
        let Ok(vectors) = self.embedder.embed(names, &Default::default()) else {
            return vec![None; names.len()];
        };
        vectors
            .iter()
            .map(|v| {
                self.kinds
                    .iter()
                    .map(|(k, examples)| {
                        let mut c: Vec<f32> =
                            examples.iter().map(|e| embed::cosine(v, e)).collect();
                        c.sort_by(|a, b| b.total_cmp(a));
                        (*k, c.iter().take(NEAREST).sum::<f32>())
                    })
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(k, _)| k)
            })
            .collect()
    }
}
