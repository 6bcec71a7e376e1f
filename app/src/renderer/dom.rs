//! The page's content from CEF's DOM: title, URL, language, description, headings and
//! the readable main text (see [`super::readable`]).

use super::readable::{self, Node};
use crate::cef::class::cef_class;
use crate::cef::compat::strings::{cef_string, to_string};
use cef::*;
use cef_dll_sys as sys;
use nexus_ipc::messages::page::PageContent;
use std::sync::{Arc, Mutex};

/// Nodes visited at most (a page with millions of nodes is cut, not a hang).
const MAX_NODES: usize = 200_000;
/// Deepest nesting followed.
const MAX_DEPTH: usize = 256;

/// Extract `frame`'s content, capping the main text at `max_text_bytes`.
pub fn page_content(frame: &impl ImplFrame, max_text_bytes: usize) -> PageContent {
    let result: Arc<Mutex<Option<PageContent>>> = Arc::default();
    let mut visitor = Domvisitor::new(ContentVisitor::make((result.clone(), max_text_bytes)));
    frame.visit_dom(Some(&mut visitor));
    let mut content = result
        .lock()
        .ok()
        .and_then(|mut r| r.take())
        .unwrap_or_default();
    content.url = frame.get_url().map(|u| to_string(&u)).unwrap_or_default();
    content
}

type Output = (Arc<Mutex<Option<PageContent>>>, usize);

cef_class!(
    ContentVisitor,
    sys::_cef_domvisitor_t,
    WrapDomvisitor,
    ImplDomvisitor,
    Output,
    {
        fn visit(&self, document: Option<&mut impl ImplDomdocument>) {
            let Some(document) = document else { return };
            let content = read_document(document, self.d.1);
            if let Ok(mut slot) = self.d.0.lock() {
                *slot = Some(content);
            }
        }
    }
);

fn read_document(document: &mut impl ImplDomdocument, max_text_bytes: usize) -> PageContent {
    let title = document
        .get_title()
        .map(|t| to_string(&t))
        .unwrap_or_default();
    let html = document
        .get_document()
        .and_then(|d| first_element_child(&d));
    let language = html
        .as_ref()
        .map(|h| attribute(h, "lang"))
        .filter(|l| !l.is_empty());
    let description = document.get_head().and_then(|head| meta_description(&head));
    let mut budget = MAX_NODES;
    let body = document
        .get_body()
        .map(|b| build(&b, 0, &mut budget))
        .unwrap_or_default();
    let pdf = is_pdf_viewer(&body);
    let found = readable::extract(&body);
    let word_count = readable::word_count(&found.text) as u32;
    let (text, truncated) = readable::cap(&found.text, max_text_bytes);
    PageContent {
        url: String::new(),
        title,
        language,
        description,
        headings: found.headings,
        text,
        word_count,
        truncated,
        content_type: if pdf {
            "application/pdf".into()
        } else {
            "text/html".into()
        },
    }
}

fn build(node: &Domnode, depth: usize, budget: &mut usize) -> Node {
    *budget = budget.saturating_sub(1);
    if node.is_text() != 0 {
        return Node::text(&node.get_value().map(|v| to_string(&v)).unwrap_or_default());
    }
    if node.is_element() == 0 {
        return Node::default();
    }
    let tag = node
        .get_element_tag_name()
        .map(|t| to_string(&t).to_ascii_lowercase())
        .unwrap_or_default();
    let style = attribute(node, "style")
        .to_ascii_lowercase()
        .replace(' ', "");
    let hidden = node.has_element_attribute(Some(&cef_string("hidden"))) != 0
        || attribute(node, "aria-hidden") == "true"
        || style.contains("display:none")
        || style.contains("visibility:hidden");
    let mut element = Node {
        id: attribute(node, "id"),
        class: attribute(node, "class"),
        role: attribute(node, "role"),
        hidden,
        ..Node::element(&tag, Vec::new())
    };
    if tag == "embed" {
        element.class = format!("{} type:{}", element.class, attribute(node, "type"));
    }
    if depth >= MAX_DEPTH
        || hidden
        || matches!(
            tag.as_str(),
            "script" | "style" | "noscript" | "template" | "svg"
        )
    {
        return element;
    }
    let mut child = node.get_first_child();
    while let Some(c) = child {
        if *budget == 0 {
            break;
        }
        element.children.push(build(&c, depth + 1, budget));
        child = c.get_next_sibling();
    }
    element
}

fn attribute(node: &Domnode, name: &str) -> String {
    node.get_element_attribute(Some(&cef_string(name)))
        .map(|v| to_string(&v))
        .unwrap_or_default()
}

fn first_element_child(node: &Domnode) -> Option<Domnode> {
    let mut child = node.get_first_child();
    while let Some(c) = child {
        if c.is_element() != 0 {
            return Some(c);
        }
        child = c.get_next_sibling();
    }
    None
}

fn meta_description(head: &Domnode) -> Option<String> {
    let mut child = head.get_first_child();
    while let Some(c) = child {
        let is_meta = c
            .get_element_tag_name()
            .is_some_and(|t| to_string(&t).eq_ignore_ascii_case("meta"));
        if is_meta && attribute(&c, "name").eq_ignore_ascii_case("description") {
            let content = attribute(&c, "content");
            return (!content.trim().is_empty()).then(|| content.trim().to_string());
        }
        child = c.get_next_sibling();
    }
    None
}

/// Chromium shows a PDF as a body holding one `<embed type="application/pdf">`.
fn is_pdf_viewer(body: &Node) -> bool {
    let elements: Vec<&Node> = body.children.iter().filter(|c| !c.tag.is_empty()).collect();
    matches!(elements.as_slice(), [e] if e.tag == "embed" && e.class.contains("type:application/pdf"))
}

/// The document's title.
pub fn title(frame: &impl ImplFrame) -> String {
    let result: Arc<Mutex<Option<String>>> = Arc::default();
    let mut visitor = Domvisitor::new(TitleVisitor::make(result.clone()));
    frame.visit_dom(Some(&mut visitor));
    result
        .lock()
        .ok()
        .and_then(|mut r| r.take())
        .unwrap_or_default()
}

cef_class!(
    TitleVisitor,
    sys::_cef_domvisitor_t,
    WrapDomvisitor,
    ImplDomvisitor,
    Arc<Mutex<Option<String>>>,
    {
        fn visit(&self, document: Option<&mut impl ImplDomdocument>) {
            let title = document
                .and_then(|d| d.get_title())
                .map(|t| to_string(&t))
                .unwrap_or_default();
            if let Ok(mut slot) = self.d.lock() {
                *slot = Some(title);
            }
        }
    }
);
