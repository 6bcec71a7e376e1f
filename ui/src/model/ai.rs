//! The AI sidebar's data for one tab: the analysis as it streams in and the conversation.
//!
//! The shell keeps one [`PageAi`] per tab and folds the worker's streamed messages into it
//! with the `apply_*` methods, so the sidebar only ever draws a consistent snapshot.

use nexus_ipc::messages::ai::{AiAnswer, Analysis, AnalysisPart, Generator, Passage};

/// Where the tab's analysis stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum AnalysisStatus {
    /// Nothing asked yet.
    #[default]
    NotStarted,
    /// Requested; `parts` of the four parts (category, sentiment, entities, summary) arrived.
    Running {
        /// Parts received so far.
        parts: u8,
    },
    /// All parts arrived.
    Complete,
    /// The worker failed; the reason is shown with a retry.
    Failed(String),
    /// This page cannot be analysed (a PDF, an image, a blank page): the reason.
    NotAnalysable(String),
}

/// How one question is going.
#[derive(Clone, Debug, PartialEq)]
pub enum TurnState {
    /// Sent, nothing back yet.
    Waiting,
    /// Passages or tokens are arriving.
    Streaming,
    /// Finished.
    Done,
    /// Failed, with the reason.
    Failed(String),
    /// Stopped by the user.
    Cancelled,
}

/// A question and its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    /// What the user asked.
    pub question: String,
    /// The passages the answer rests on, best first.
    pub passages: Vec<Passage>,
    /// The generated answer so far (empty for extractive answers).
    pub answer: String,
    /// Who wrote the answer (`None`: the answer is the passages themselves).
    pub generated_by: Option<String>,
    /// How it is going.
    pub state: TurnState,
}

/// One tab's AI state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageAi {
    /// Where the analysis stands.
    pub status: AnalysisStatus,
    /// The parts received so far.
    pub analysis: Analysis,
    /// Questions and answers, oldest first.
    pub conversation: Vec<Turn>,
}

impl PageAi {
    /// An analysis was requested: forget the old one and wait for parts.
    pub fn start_analysis(&mut self) {
        self.analysis = Analysis::default();
        self.status = AnalysisStatus::Running { parts: 0 };
    }

    /// Fold one streamed part in. `Complete` finishes the analysis.
    pub fn apply_part(&mut self, part: AnalysisPart) {
        let complete = matches!(part, AnalysisPart::Complete(_));
        self.analysis.apply(part);
        self.status = if complete {
            AnalysisStatus::Complete
        } else {
            match self.status {
                AnalysisStatus::Running { parts } => AnalysisStatus::Running {
                    parts: (parts + 1).min(4),
                },
                _ => AnalysisStatus::Running { parts: 1 },
            }
        };
    }

    /// The analysis failed.
    pub fn fail_analysis(&mut self, reason: impl Into<String>) {
        self.status = AnalysisStatus::Failed(reason.into());
    }

    /// Whether an analysis is streaming.
    pub fn is_analysing(&self) -> bool {
        matches!(self.status, AnalysisStatus::Running { .. })
    }

    /// The user asked a question: add a waiting turn.
    pub fn ask(&mut self, question: impl Into<String>) {
        self.conversation.push(Turn {
            question: question.into(),
            passages: Vec::new(),
            answer: String::new(),
            generated_by: None,
            state: TurnState::Waiting,
        });
    }

    /// Fold one streamed part of the latest answer in.
    pub fn apply_answer(&mut self, part: AiAnswer) {
        let Some(turn) = self.conversation.last_mut() else {
            return;
        };
        match part {
            AiAnswer::Passages(passages) => {
                turn.passages = passages;
                turn.state = TurnState::Streaming;
            }
            AiAnswer::Token(token) => {
                turn.answer.push_str(&token);
                turn.state = TurnState::Streaming;
            }
            AiAnswer::Done(info) => {
                turn.generated_by = info.generated_by;
                turn.state = TurnState::Done;
            }
        }
    }

    /// The latest answer failed.
    pub fn fail_answer(&mut self, reason: impl Into<String>) {
        if let Some(turn) = self.conversation.last_mut() {
            turn.state = TurnState::Failed(reason.into());
        }
    }

    /// The user stopped the latest answer.
    pub fn cancel_answer(&mut self) {
        if let Some(turn) = self.conversation.last_mut()
            && matches!(turn.state, TurnState::Waiting | TurnState::Streaming)
        {
            turn.state = TurnState::Cancelled;
        }
    }

    /// Whether an answer is on its way.
    pub fn is_answering(&self) -> bool {
        self.conversation
            .last()
            .is_some_and(|t| matches!(t.state, TurnState::Waiting | TurnState::Streaming))
    }

    /// Earlier finished turns as (question, answer) pairs, for `AiQuestion::history`.
    pub fn history(&self) -> Vec<(String, String)> {
        self.conversation
            .iter()
            .filter(|t| t.state == TurnState::Done)
            .map(|t| (t.question.clone(), t.answer_text()))
            .collect()
    }

    /// The conversation as plain text, for the clipboard.
    pub fn transcript(&self) -> String {
        let mut out = String::new();
        for turn in &self.conversation {
            out.push_str("Q: ");
            out.push_str(&turn.question);
            out.push_str("\nA: ");
            out.push_str(&turn.answer_text());
            out.push_str("\n\n");
        }
        out.trim_end().to_owned()
    }
}

impl Turn {
    /// The answer as text: the generated answer, or the passages when there is none.
    pub fn answer_text(&self) -> String {
        if !self.answer.is_empty() {
            return self.answer.clone();
        }
        let passages: Vec<&str> = self.passages.iter().map(|p| p.text.as_str()).collect();
        passages.join("\n")
    }
}

/// Why a page cannot be analysed, from its MIME type and word count; `None` if it can.
pub fn unanalysable_reason(content_type: &str, word_count: u32) -> Option<String> {
    let mime = content_type.trim().to_ascii_lowercase();
    if mime == "application/pdf" {
        return Some("This is a PDF. Nexus AI reads web pages, not PDF files.".into());
    }
    if mime.starts_with("image/") || mime.starts_with("video/") || mime.starts_with("audio/") {
        return Some("This is a media file, with no text to read.".into());
    }
    if word_count == 0 {
        return Some("This page has no text to analyse.".into());
    }
    None
}

/// What the privacy line says: where the work happens and what leaves the device.
#[derive(Clone, Debug, PartialEq)]
pub struct Privacy {
    /// Where analysis and answers run: "On this device", or the endpoint's name.
    pub runs_at: String,
    /// Whether anything leaves the device.
    pub remote: bool,
    /// What is sent, in a sentence.
    pub sends: String,
}

impl Privacy {
    /// The privacy line for the configured generator.
    pub fn from_generator(generator: &Generator) -> Privacy {
        match generator {
            Generator::Extractive | Generator::LocalSmolLm2 => Privacy {
                runs_at: "On this device".into(),
                remote: false,
                sends: "Nothing leaves this device.".into(),
            },
            Generator::Remote(endpoint) => {
                let host = host_of(&endpoint.base_url);
                let name = if endpoint.model.is_empty() {
                    host.to_owned()
                } else {
                    format!("{} at {host}", endpoint.model)
                };
                Privacy {
                    runs_at: name,
                    remote: true,
                    sends: "Analysis runs on this device; your questions and the page's text \
                            are sent to this endpoint for answers."
                        .into(),
                }
            }
        }
    }
}

/// The host (and port) of a URL, or the URL itself if it has none.
pub(crate) fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if end == 0 { url } else { &rest[..end] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nexus_ipc::messages::Span;
    use nexus_ipc::messages::ai::{AnalysisInfo, AnswerInfo, RemoteEndpoint};

    #[test]
    fn parts_count_up_and_complete_finishes() {
        let mut ai = PageAi::default();
        ai.start_analysis();
        ai.apply_part(AnalysisPart::Entities(vec![]));
        ai.apply_part(AnalysisPart::Summary(vec![]));
        assert_eq!(ai.status, AnalysisStatus::Running { parts: 2 });
        ai.apply_part(AnalysisPart::Complete(AnalysisInfo::default()));
        assert_eq!(ai.status, AnalysisStatus::Complete);
    }

    #[test]
    fn answers_stream_into_the_last_turn() {
        let mut ai = PageAi::default();
        ai.ask("who?");
        assert!(ai.is_answering());
        let passage = Passage {
            text: "Ada wrote it.".into(),
            span: Span::new(0, 13),
            score: 0.9,
        };
        ai.apply_answer(AiAnswer::Passages(vec![passage]));
        ai.apply_answer(AiAnswer::Token("Ada ".into()));
        ai.apply_answer(AiAnswer::Token("Lovelace.".into()));
        ai.apply_answer(AiAnswer::Done(AnswerInfo {
            generated_by: Some("m".into()),
            elapsed_ms: 1,
        }));
        assert!(!ai.is_answering());
        assert_eq!(ai.transcript(), "Q: who?\nA: Ada Lovelace.");
        assert_eq!(
            ai.history(),
            vec![("who?".to_owned(), "Ada Lovelace.".to_owned())]
        );
    }

    #[test]
    fn extractive_answer_text_is_the_passages() {
        let mut ai = PageAi::default();
        ai.ask("q");
        let p = |t: &str| Passage {
            text: t.into(),
            span: Span::default(),
            score: 0.5,
        };
        ai.apply_answer(AiAnswer::Passages(vec![p("one."), p("two.")]));
        ai.apply_answer(AiAnswer::Done(AnswerInfo::default()));
        assert_eq!(ai.conversation[0].answer_text(), "one.\ntwo.");
    }

    #[test]
    fn pdf_and_blank_pages_are_not_analysable() {
        assert!(
            unanalysable_reason("application/pdf", 900)
                .unwrap()
                .contains("PDF")
        );
        assert!(
            unanalysable_reason("text/html", 0)
                .unwrap()
                .contains("no text")
        );
        assert_eq!(unanalysable_reason("text/html", 12), None);
    }

    #[test]
    fn privacy_names_the_endpoint() {
        let local = Privacy::from_generator(&Generator::LocalSmolLm2);
        assert!(!local.remote);
        let remote = Privacy::from_generator(&Generator::Remote(RemoteEndpoint {
            base_url: "http://localhost:11434/v1".into(),
            model: "llama3".into(),
            api_key: None,
        }));
        assert_eq!(remote.runs_at, "llama3 at localhost:11434");
        assert!(remote.remote);
    }
}
