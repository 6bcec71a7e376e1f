//! The readable main text of a page: what the AI sidebar analyses.
//!
//! A readability-style heuristic over a simplified DOM ([`Node`]): paragraphs score their
//! parent and grandparent by length and commas; containers gain or lose by what their
//! class and id say (`article`, `content` vs `nav`, `sidebar`, `comment`, `ad`...) and by how
//! much of their text is links; the best container (and its good siblings) is the main
//! content. Navigation, headers, footers, asides, forms and hidden elements never count.
//! Pure Rust: the renderer builds the tree from CEF's DOM, tests build it by hand.

/// A simplified DOM node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    /// Lower-case tag name; empty for a text node.
    pub tag: String,
    /// The `id` attribute.
    pub id: String,
    /// The `class` attribute.
    pub class: String,
    /// The `role` attribute.
    pub role: String,
    /// Hidden (`hidden`, `aria-hidden="true"`).
    pub hidden: bool,
    /// A text node's text.
    pub text: String,
    /// Children in document order.
    pub children: Vec<Node>,
}

impl Node {
    /// An element.
    pub fn element(tag: &str, children: Vec<Node>) -> Node {
        Node {
            tag: tag.to_string(),
            children,
            ..Node::default()
        }
    }

    /// A text node.
    pub fn text(text: &str) -> Node {
        Node {
            text: text.to_string(),
            ..Node::default()
        }
    }

    /// This element with a class.
    pub fn with_class(mut self, class: &str) -> Node {
        self.class = class.to_string();
        self
    }

    fn is_text(&self) -> bool {
        self.tag.is_empty()
    }
}

/// What the extraction found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readable {
    /// The main text: blocks separated by blank lines.
    pub text: String,
    /// Headings (h1-h3) in document order, outside boilerplate.
    pub headings: Vec<String>,
}

/// Elements whose contents are never page text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "select", "option", "button", "input", "textarea", "head", "title", "meta", "link",
];

/// Elements that are boilerplate, wherever they are.
const BOILERPLATE: &[&str] = &["nav", "header", "footer", "aside", "form", "menu", "dialog"];

/// Roles that are boilerplate.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
    "alert",
];

/// Elements that form their own block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "pre",
    "blockquote",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dd",
    "dt",
    "figcaption",
    "caption",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "body",
    "br",
    "hr",
];

const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "main", "page", "post", "text", "blog", "story",
    "prose", "markdown",
];
const NEGATIVE: &[&str] = &[
    "comment",
    "contact",
    "foot",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "shoutbox",
    "sidebar",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
    "nav",
    "menu",
    "advert",
    "banner",
    "breadcrumb",
    "share",
    "social",
    "cookie",
    "popup",
    "modal",
    "subscribe",
    "newsletter",
    "signup",
    "consent",
];

/// Extract the readable main text and headings of `root` (the `<body>` or `<html>`).
pub fn extract(root: &Node) -> Readable {
    let mut headings = Vec::new();
    collect_headings(root, &mut headings);
    let mut scores = Vec::new();
    score_tree(root, &mut Vec::new(), &mut scores);
    let best = pick_container(root, &scores);
    let text = match best {
        Some(path) => {
            let container = node_at(root, &path);
            let parent_path = &path[..path.len().saturating_sub(1)];
            let mut blocks = Vec::new();
            if path.is_empty() {
                collect_blocks(container, &mut blocks);
            } else {
                // The container and its siblings that look like content too.
                let parent = node_at(root, parent_path);
                let top = score_of(&scores, &path);
                for (i, sibling) in parent.children.iter().enumerate() {
                    let mut sp = parent_path.to_vec();
                    sp.push(i);
                    let keep = sp == path
                        || score_of(&scores, &sp) >= (top * 0.2).max(10.0)
                        || (sibling.tag == "p"
                            && link_density(sibling) < 0.25
                            && inner_text(sibling).len() > 80);
                    if keep && !is_boilerplate(sibling) {
                        collect_blocks(sibling, &mut blocks);
                    }
                }
            }
            blocks.join("\n\n")
        }
        None => String::new(),
    };
    let text = if text.len() < 200 {
        // Too little found: fall back to every non-boilerplate block of the page.
        let mut blocks = Vec::new();
        collect_blocks(root, &mut blocks);
        let all = blocks.join("\n\n");
        if all.len() > text.len() { all } else { text }
    } else {
        text
    };
    Readable { text, headings }
}

/// Cut `text` to at most `max_bytes`, at the end of a sentence (or word) when possible.
/// Returns the text and whether it was cut.
pub fn cap(text: &str, max_bytes: usize) -> (String, bool) {
    if text.len() <= max_bytes {
        return (text.to_string(), false);
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let sentence_end = head
        .rfind(['.', '!', '?', '\n'])
        .filter(|&i| i > max_bytes / 2)
        .map(|i| i + 1);
    let word_end = head
        .rfind(char::is_whitespace)
        .filter(|&i| i > max_bytes / 2);
    let cut = sentence_end.or(word_end).unwrap_or(end);
    (head[..cut].trim_end().to_string(), true)
}

/// Words in a text.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn is_boilerplate(node: &Node) -> bool {
    node.hidden
        || BOILERPLATE.contains(&node.tag.as_str())
        || BOILERPLATE_ROLES.contains(&node.role.as_str())
        || SKIPPED.contains(&node.tag.as_str())
}

fn class_weight(node: &Node) -> f32 {
    let names = format!("{} {}", node.class, node.id).to_ascii_lowercase();
    let mut w = 0.0;
    if POSITIVE.iter().any(|p| names.contains(p)) {
        w += 25.0;
    }
    if NEGATIVE.iter().any(|n| {
        names
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word.starts_with(n))
    }) || names.contains("ad-")
        || names.split_whitespace().any(|w| w == "ad" || w == "ads")
    {
        w -= 25.0;
    }
    if node.tag == "article" || node.tag == "main" || node.role == "main" {
        w += 30.0;
    }
    w
}

fn inner_text(node: &Node) -> String {
    let mut out = String::new();
    gather_text(node, &mut out);
    normalize_space(&out)
}

fn gather_text(node: &Node, out: &mut String) {
    if node.is_text() {
        out.push_str(&node.text);
        return;
    }
    if is_boilerplate(node) {
        return;
    }
    for child in &node.children {
        gather_text(child, out);
        if BLOCKS.contains(&child.tag.as_str()) {
            out.push(' ');
        }
    }
}

fn link_text_len(node: &Node) -> usize {
    if node.tag == "a" {
        return inner_text(node).len();
    }
    node.children.iter().map(link_text_len).sum()
}

fn link_density(node: &Node) -> f32 {
    let total = inner_text(node).len();
    if total == 0 {
        0.0
    } else {
        link_text_len(node) as f32 / total as f32
    }
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// (path to a container, accumulated score)
type Scores = Vec<(Vec<usize>, f32)>;

fn add_score(scores: &mut Scores, path: &[usize], amount: f32) {
    match scores.iter_mut().find(|(p, _)| p == path) {
        Some((_, s)) => *s += amount,
        None => scores.push((path.to_vec(), amount)),
    }
}

fn score_of(scores: &Scores, path: &[usize]) -> f32 {
    scores
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, s)| *s)
        .unwrap_or(0.0)
}

fn score_tree(node: &Node, path: &mut Vec<usize>, scores: &mut Scores) {
    if is_boilerplate(node) {
        return;
    }
    if matches!(
        node.tag.as_str(),
        "p" | "pre" | "td" | "blockquote" | "li" | "div"
    ) {
        let text = inner_text(node);
        let own_blocks = node
            .children
            .iter()
            .any(|c| matches!(c.tag.as_str(), "p" | "div" | "section" | "article"));
        if text.len() >= 25 && !(node.tag == "div" && own_blocks) {
            let score =
                1.0 + text.matches(',').count() as f32 + (text.len() as f32 / 100.0).min(3.0);
            if !path.is_empty() {
                add_score(scores, &path[..path.len() - 1], score);
            }
            if path.len() >= 2 {
                add_score(scores, &path[..path.len() - 2], score / 2.0);
            }
        }
    }
    for (i, child) in node.children.iter().enumerate() {
        path.push(i);
        score_tree(child, path, scores);
        path.pop();
    }
}

fn pick_container(root: &Node, scores: &Scores) -> Option<Vec<usize>> {
    scores
        .iter()
        .map(|(path, score)| {
            let node = node_at(root, path);
            let adjusted = (score + class_weight(node)) * (1.0 - link_density(node));
            (path, adjusted)
        })
        .filter(|(_, s)| *s > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(p, _)| p.clone())
}

fn node_at<'a>(root: &'a Node, path: &[usize]) -> &'a Node {
    path.iter().fold(root, |n, &i| &n.children[i])
}

fn collect_blocks(node: &Node, blocks: &mut Vec<String>) {
    if is_boilerplate(node) {
        return;
    }
    let tag = node.tag.as_str();
    let is_leaf_block = matches!(
        tag,
        "p" | "pre"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dt"
            | "dd"
            | "figcaption"
            | "td"
            | "th"
    ) || (BLOCKS.contains(&tag)
        && !node
            .children
            .iter()
            .any(|c| BLOCKS.contains(&c.tag.as_str())));
    if node.is_text() {
        let text = normalize_space(&node.text);
        if !text.is_empty() {
            blocks.push(text);
        }
        return;
    }
    if is_leaf_block {
        let text = inner_text(node);
        if !text.is_empty() && (link_density(node) < 0.5 || text.len() > 120) {
            blocks.push(if tag == "li" {
                format!("• {text}")
            } else {
                text
            });
        }
        return;
    }
    // A mixed container: runs of inline content form blocks between block children.
    let mut inline = String::new();
    for child in &node.children {
        if child.is_text() || !BLOCKS.contains(&child.tag.as_str()) {
            gather_text(child, &mut inline);
        } else {
            flush_inline(&mut inline, blocks);
            collect_blocks(child, blocks);
        }
    }
    flush_inline(&mut inline, blocks);
}

fn flush_inline(inline: &mut String, blocks: &mut Vec<String>) {
    let text = normalize_space(inline);
    if !text.is_empty() {
        blocks.push(text);
    }
    inline.clear();
}

fn collect_headings(node: &Node, out: &mut Vec<String>) {
    if is_boilerplate(node) {
        return;
    }
    if matches!(node.tag.as_str(), "h1" | "h2" | "h3") {
        let text = inner_text(node);
        if !text.is_empty() {
            out.push(text);
        }
        return;
    }
    for child in &node.children {
        collect_headings(child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Node {
        Node::element("p", vec![Node::text(text)])
    }

    fn link(text: &str) -> Node {
        Node::element("a", vec![Node::text(text)])
    }

    fn article_page() -> Node {
        let story = [
            "The city council voted on Tuesday to expand the tram network, adding twelve stops across the northern districts.",
            "Supporters said the line would cut commutes, reduce traffic, and bring investment to neighbourhoods that have waited decades.",
            "Opponents, including the taxpayers' association, argued that the budget had doubled since the first estimate was published.",
            "Construction is expected to begin next spring, with the first trams running in three years if the schedule holds.",
        ];
        Node::element(
            "body",
            vec![
                Node::element(
                    "nav",
                    vec![link("Home"), link("World"), link("Sports"), link("Weather")],
                ),
                Node::element(
                    "div",
                    vec![
                        Node::element("h1", vec![Node::text("Council backs tram expansion")]),
                        Node::element("div", story.iter().map(|s| p(s)).collect())
                            .with_class("article-body"),
                        Node::element(
                            "div",
                            vec![
                                p("Related: ten things to do this weekend"),
                                p("Sponsored: buy a new car today"),
                            ],
                        )
                        .with_class("sidebar related"),
                    ],
                ),
                Node::element(
                    "footer",
                    vec![p(
                        "© 2026 The Daily Example. All rights reserved, everywhere, always.",
                    )],
                ),
            ],
        )
    }

    #[test]
    fn finds_the_article_and_drops_navigation_sidebars_and_footers() {
        let r = extract(&article_page());
        assert!(
            r.text.contains("The city council voted on Tuesday"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("first trams running in three years"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("Weather"), "{}", r.text);
        assert!(!r.text.contains("Sponsored"), "{}", r.text);
        assert!(!r.text.contains("All rights reserved"), "{}", r.text);
        assert_eq!(
            r.text.matches("\n\n").count(),
            3,
            "paragraphs stay separate: {}",
            r.text
        );
        assert_eq!(r.headings, ["Council backs tram expansion"]);
    }

    #[test]
    fn hidden_and_script_content_never_counts() {
        let mut hidden = p("secret hidden text that should never be analysed by anyone");
        hidden.hidden = true;
        let body = Node::element(
            "body",
            vec![
                Node::element(
                    "script",
                    vec![Node::text("var tracking = 'do not read me';")],
                ),
                hidden,
                p("Visible paragraph with enough words to count as real content, clearly."),
            ],
        );
        let r = extract(&body);
        assert!(r.text.contains("Visible paragraph"));
        assert!(!r.text.contains("tracking"));
        assert!(!r.text.contains("secret"));
    }

    #[test]
    fn a_short_page_falls_back_to_all_its_text() {
        let body = Node::element(
            "body",
            vec![Node::element("h1", vec![Node::text("Hello")]), p("Short.")],
        );
        let r = extract(&body);
        assert_eq!(r.text, "Hello\n\nShort.");
    }

    #[test]
    fn cap_cuts_at_a_sentence_boundary_and_says_so() {
        let text = "One sentence here. Another sentence follows. A third one ends it.";
        let (cut, truncated) = cap(text, 50);
        assert!(truncated);
        assert_eq!(cut, "One sentence here. Another sentence follows.");
        assert_eq!(cap(text, 1000), (text.to_string(), false));
        let (cut, _) = cap("ééééééééé", 5);
        assert!(cut.len() <= 5 && std::str::from_utf8(cut.as_bytes()).is_ok());
    }

    #[test]
    fn lists_keep_their_items() {
        let body = Node::element(
            "body",
            vec![Node::element(
                "article",
                vec![
                    p(
                        "Ingredients for the recipe, as listed by the author of this fine page, follow below.",
                    ),
                    Node::element(
                        "ul",
                        vec![
                            Node::element("li", vec![Node::text("Two eggs")]),
                            Node::element("li", vec![Node::text("Flour")]),
                        ],
                    ),
                ],
            )],
        );
        let r = extract(&body);
        assert!(
            r.text.contains("• Two eggs") && r.text.contains("• Flour"),
            "{}",
            r.text
        );
        assert_eq!(word_count("a b  c\nd"), 4);
    }
}
