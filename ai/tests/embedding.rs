//! The embedding model against reference numbers (real model files).

use nexus_ai::embed::{Embedder, cosine};
use nexus_ai::models::ModelPaths;

#[test]
fn minilm_matches_reference_cosines() {
    let e = Embedder::load(&ModelPaths::discover().unwrap()).unwrap();
    let a = e.embed_one("A man is eating food.").unwrap();
    let b = e.embed_one("A man is eating a piece of bread.").unwrap();
    let c = e.embed_one("The stock market fell sharply today.").unwrap();
    let ab = cosine(&a, &b);
    let ac = cosine(&a, &c);
    assert!((ab - 0.7553).abs() < 5e-4, "cos(food, bread) = {ab}");
    assert!((ac - 0.0037).abs() < 5e-3, "cos(food, market) = {ac}");
}

#[test]
fn batching_and_padding_do_not_change_embeddings() {
    let e = Embedder::load(&ModelPaths::discover().unwrap()).unwrap();
    let long = "word ".repeat(300);
    let texts = [
        "A man is eating food.",
        long.as_str(),
        "Short.",
        "A man is eating a piece of bread.",
    ];
    let batch = e.embed(&texts, &Default::default()).unwrap();
    for (t, v) in texts.iter().zip(&batch) {
        let one = e.embed_one(t).unwrap();
        assert!(cosine(&one, v) > 0.9999, "{t:.20}");
    }
}
