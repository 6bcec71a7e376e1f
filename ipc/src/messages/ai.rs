//! AI messages: analysis of a page, questions about it, worker settings and status.
//!
//! An `ai_analyze` request is answered by a stream of [`AiResult`] items (category and
//! sentiment first, then entities, then the summary, then `Complete`), so the sidebar can
//! show each part as soon as it is ready. An `ai_question` is answered by a stream of
//! [`AiAnswer`] items (passages first, then generated tokens if a generative model is on).

use super::{Span, message};
use serde::{Deserialize, Serialize};

/// Analyse a page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AiAnalyze {
    /// The page's URL.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The readable main text. Span offsets in results refer to this text.
    pub content: String,
    /// MIME type of the page ("text/html", "text/plain", ...).
    pub content_type: String,
    /// Language tag, if known.
    pub language: Option<String>,
    /// `<meta name="description">`, if any.
    pub description: Option<String>,
    /// Headings in document order.
    pub headings: Vec<String>,
    /// What to compute; empty means everything.
    pub features: Vec<Feature>,
}

/// One part of an analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Feature {
    /// Topic category.
    Category,
    /// Named entities and patterns.
    Entities,
    /// Tone.
    Sentiment,
    /// Extractive summary.
    Summary,
}

/// One streamed part of an analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiResult {
    /// The analysed page's URL.
    pub url: String,
    /// Hash of the analysed content (cache key with the URL), hex.
    pub content_hash: String,
    /// The part.
    pub part: AnalysisPart,
}

/// A part of an analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AnalysisPart {
    /// The page's category.
    Category(CategoryResult),
    /// The page's tone.
    Sentiment(SentimentResult),
    /// Entities found in the page.
    Entities(Vec<Entity>),
    /// Summary sentences, in page order.
    Summary(Vec<SummarySentence>),
    /// The analysis is finished; `analysed_words < total_words` when the page was capped.
    Complete(AnalysisInfo),
}

/// How an analysis went.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysisInfo {
    /// Words analysed.
    pub analysed_words: u32,
    /// Words in the page.
    pub total_words: u32,
    /// Milliseconds the worker spent.
    pub elapsed_ms: u32,
    /// Whether the result came from the cache.
    pub cached: bool,
}

/// The whole analysis of a page (what `nexus.analyzeContent` resolves with).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The page's URL.
    pub url: String,
    /// Category, if computed.
    pub category: Option<CategoryResult>,
    /// Sentiment, if computed.
    pub sentiment: Option<SentimentResult>,
    /// Entities, if computed.
    pub entities: Vec<Entity>,
    /// Summary sentences, if computed.
    pub summary: Vec<SummarySentence>,
    /// How it went.
    pub info: AnalysisInfo,
}

impl Analysis {
    /// Fold one streamed part into the whole.
    pub fn apply(&mut self, part: AnalysisPart) {
        match part {
            AnalysisPart::Category(c) => self.category = Some(c),
            AnalysisPart::Sentiment(s) => self.sentiment = Some(s),
            AnalysisPart::Entities(e) => self.entities = e,
            AnalysisPart::Summary(s) => self.summary = s,
            AnalysisPart::Complete(i) => self.info = i,
        }
    }
}

/// The categories users recognise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    /// News and current affairs.
    News,
    /// Technology, software, gadgets.
    Technology,
    /// Shops and products for sale.
    Shopping,
    /// Sports.
    Sports,
    /// Money, markets, personal finance.
    Finance,
    /// Health and medicine.
    Health,
    /// Travel and places to visit.
    Travel,
    /// Film, music, games, celebrities.
    Entertainment,
    /// Science and research.
    Science,
    /// Learning, courses, schools.
    Education,
    /// Encyclopedias, dictionaries, documentation.
    Reference,
    /// Social networks, forums, personal posts.
    Social,
    /// The model is not sure.
    Uncertain,
}

impl Category {
    /// The twelve real categories (without `Uncertain`).
    pub const ALL: [Category; 12] = [
        Category::News,
        Category::Technology,
        Category::Shopping,
        Category::Sports,
        Category::Finance,
        Category::Health,
        Category::Travel,
        Category::Entertainment,
        Category::Science,
        Category::Education,
        Category::Reference,
        Category::Social,
    ];

    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Category::News => "News",
            Category::Technology => "Technology",
            Category::Shopping => "Shopping",
            Category::Sports => "Sports",
            Category::Finance => "Finance",
            Category::Health => "Health",
            Category::Travel => "Travel",
            Category::Entertainment => "Entertainment",
            Category::Science => "Science",
            Category::Education => "Education",
            Category::Reference => "Reference",
            Category::Social => "Social",
            Category::Uncertain => "Uncertain",
        }
    }
}

/// A page's category with calibrated confidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryResult {
    /// The best category, or `Uncertain`.
    pub category: Category,
    /// Probability of the best real category, 0..1.
    pub confidence: f32,
    /// Every real category's probability, highest first.
    pub scores: Vec<(Category, f32)>,
}

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, institution, team or other organisation.
    Organization,
    /// A country, city, region or other place.
    Place,
    /// A product.
    Product,
    /// A date or time expression.
    Date,
    /// An amount of money.
    Money,
    /// An e-mail address.
    Email,
    /// A URL.
    Url,
}

impl EntityKind {
    /// The plural name shown to users as a group heading.
    pub fn group_label(self) -> &'static str {
        match self {
            EntityKind::Person => "People",
            EntityKind::Organization => "Organisations",
            EntityKind::Place => "Places",
            EntityKind::Product => "Products",
            EntityKind::Date => "Dates",
            EntityKind::Money => "Money",
            EntityKind::Email => "E-mail addresses",
            EntityKind::Url => "Links",
        }
    }
}

/// An entity and where the page mentions it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The canonical text (the longest mention).
    pub text: String,
    /// What it is.
    pub kind: EntityKind,
    /// Number of mentions.
    pub count: u32,
    /// Where each mention is, in page order.
    pub mentions: Vec<Span>,
}

/// The page's tone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentimentResult {
    /// Share of positive tone, 0..1.
    pub positive: f32,
    /// Share of negative tone, 0..1.
    pub negative: f32,
    /// Share of neutral tone, 0..1 (the three sum to 1).
    pub neutral: f32,
    /// The overall label.
    pub label: SentimentLabel,
}

/// Overall tone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SentimentLabel {
    /// Mostly positive.
    Positive,
    /// Mostly negative.
    Negative,
    /// Neither.
    Neutral,
    /// Strongly both.
    Mixed,
}

/// A sentence chosen for the summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    /// The sentence.
    pub text: String,
    /// Where it is in the content.
    pub span: Span,
    /// How central it is, 0..1.
    pub score: f32,
}

/// A question about a page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AiQuestion {
    /// The page's URL.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The page's readable main text (offsets in the answer refer to it).
    pub content: String,
    /// The question.
    pub question: String,
    /// Earlier turns of this conversation, oldest first (question, answer).
    pub history: Vec<(String, String)>,
}

/// One streamed part of an answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AiAnswer {
    /// The passages the answer rests on, best first.
    Passages(Vec<Passage>),
    /// The next piece of generated text.
    Token(String),
    /// The answer is complete.
    Done(AnswerInfo),
}

/// A passage of the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// The passage text.
    pub text: String,
    /// Where it is in the content.
    pub span: Span,
    /// Relevance, 0..1.
    pub score: f32,
}

/// How an answer was made.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerInfo {
    /// Who wrote it: `None` when the answer is the extracted passages themselves, else the
    /// model's name ("SmolLM2-135M-Instruct (on this device)", "llama3 at localhost:11434").
    pub generated_by: Option<String>,
    /// Milliseconds the worker spent.
    pub elapsed_ms: u32,
}

/// AI settings (shell -> worker). Sent at start and whenever the user changes them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AiConfigure {
    /// Which generator writes answers and summaries.
    pub generator: Generator,
}

/// Which generator writes answers and summaries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Generator {
    /// None: answers are the best passages, extracted.
    #[default]
    Extractive,
    /// The local SmolLM2-135M-Instruct model.
    LocalSmolLm2,
    /// An OpenAI-compatible endpoint the user configured.
    Remote(RemoteEndpoint),
}

/// An OpenAI-compatible endpoint (Ollama, llama.cpp server, LM Studio, vLLM, OpenAI).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RemoteEndpoint {
    /// Base URL, e.g. `http://localhost:11434/v1`.
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// API key, if the endpoint needs one.
    pub api_key: Option<String>,
}

/// The worker's state (worker -> shell, unsolicited).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AiStatus {
    /// Loading models; `progress` 0..1.
    Loading {
        /// What is loading.
        what: String,
        /// How far, 0..1.
        progress: f32,
    },
    /// Ready to serve.
    Ready,
    /// A model file is missing or corrupt.
    ModelMissing {
        /// The file.
        path: String,
        /// The command that fetches it.
        fix: String,
    },
    /// The worker cannot serve.
    Failed {
        /// Why.
        reason: String,
    },
}

message! {
    AiAnalyze => AI_ANALYZE,
    AiResult => AI_RESULT,
    AiQuestion => AI_QUESTION,
    AiAnswer => AI_ANSWER,
    AiConfigure => AI_CONFIGURE,
    AiStatus => AI_STATUS,
}
