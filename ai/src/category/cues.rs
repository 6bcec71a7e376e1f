//! Layout cues for the category: what a page's furniture says when its prose does not.
//!
//! A Reddit thread about debt reads like a finance article and a shop's product page like a
//! review, but "Posted by u/…", "Replies: 6", "Add to basket" or "SYNOPSIS" give them away.
//! Each category with such furniture has a list of markers (matched in the lower-cased text)
//! and of URL words ("forum", "shop", "wiki"); a page that hits at least [`MIN_HITS`] of
//! them gets a small bonus on that category's cosine, growing with the hits up to
//! [`MAX_HITS`]. The cosine still decides: the bonus only tips close calls. Markers, step and
//! threshold were chosen on the `dev` pages of the evaluation set (see `ai/BENCHMARKS.md`).

use nexus_ipc::messages::ai::Category;

/// Fewest marker hits that count.
pub const MIN_HITS: usize = 3;
/// Hits beyond this add nothing.
pub const MAX_HITS: usize = 5;
/// Cosine bonus for reaching [`MIN_HITS`], and for each hit beyond it.
pub const STEP: f32 = 0.02;

/// A category's markers: phrases in the text, and words of the URL.
struct Markers {
    category: Category,
    text: &'static [&'static str],
    url: &'static [&'static str],
}

const MARKERS: &[Markers] = &[
    Markers {
        category: Category::Social,
        text: &[
            "posted by",
            "u/",
            "replies:",
            "reply",
            "upvote",
            "views:",
            "likes",
            "boosts",
            "retweets",
            "started by",
            "joined",
            "ago ·",
            "op ",
            "thanks in advance",
            "edit:",
        ],
        url: &[
            "forum",
            "reddit",
            "mastodon",
            "community",
            "threads",
            "comments",
            "discuss",
        ],
    },
    Markers {
        category: Category::Shopping,
        text: &[
            "add to basket",
            "add to cart",
            "add to bag",
            "in stock",
            "out of stock",
            "free delivery",
            "free shipping",
            "checkout",
            "sku",
            "incl. vat",
            "was £",
            "was $",
            "was €",
            "save £",
            "save $",
            "save €",
            "free returns",
        ],
        url: &["shop", "store", "cart", "product"],
    },
    Markers {
        category: Category::Reference,
        text: &[
            "from wikipedia",
            "synopsis",
            "parameters",
            "return value",
            "returns:",
            "see also",
            "etymology",
            "pronunciation",
            "definitions",
            "noun",
            "adjective",
            "manual page",
            "(born",
            "references",
        ],
        url: &[
            "wiki",
            "docs",
            "dictionary",
            "man",
            "reference",
            "definition",
            "encyclopedia",
        ],
    },
];

/// How many markers of each category the page hits. Prices count for Shopping: one hit per
/// three amounts, at most two.
pub fn hits(url: &str, content: &str) -> Vec<(Category, usize)> {
    let text = content.to_lowercase();
    let url = url.to_lowercase();
    let url_words: Vec<&str> = url.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    MARKERS
        .iter()
        .map(|m| {
            let mut n = m.text.iter().filter(|p| text.contains(*p)).count()
                + m.url.iter().filter(|w| url_words.contains(w)).count();
            if m.category == Category::Shopping {
                n += (prices(content) / 3).min(2);
            }
            (m.category, n)
        })
        .collect()
}

/// Cosine bonus per category from its hits (zero below [`MIN_HITS`]).
pub fn bonuses(url: &str, content: &str) -> Vec<(Category, f32)> {
    hits(url, content)
        .into_iter()
        .filter(|&(_, n)| n >= MIN_HITS)
        .map(|(c, n)| (c, STEP * (n.min(MAX_HITS) - MIN_HITS + 1) as f32))
        .collect()
}

/// Amounts written with a currency sign before the number: "$329.99", "£ 4.50".
fn prices(text: &str) -> usize {
    let mut n = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '$' | '£' | '€') {
            if chars.peek() == Some(&' ') {
                chars.next();
            }
            n += chars.peek().is_some_and(char::is_ascii_digit) as usize;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_prices_with_the_sign_before_the_number() {
        assert_eq!(prices("$329.99, was $ 399 and £4.50; 30 $ off; €"), 3);
    }

    #[test]
    fn a_forum_thread_gets_a_social_bonus_and_prose_gets_none() {
        let thread = "Discussion started by bev · Replies: 6 · Views: 1,982\nThanks in advance!";
        let b = bonuses("https://forum.example.org/threads/garlic.1/", thread);
        assert_eq!(b, vec![(Category::Social, STEP * 3.0)]);
        let prose = "The council approved the plan on Tuesday, officials said.";
        assert!(bonuses("https://news.example.com/a", prose).is_empty());
    }

    #[test]
    fn bonus_stops_growing_at_max_hits() {
        let page = "add to basket in stock free delivery checkout sku free returns";
        let b = bonuses("https://shop.example.com/product/1", page);
        assert_eq!(
            b,
            vec![(Category::Shopping, STEP * (MAX_HITS - MIN_HITS + 1) as f32)]
        );
    }
}
