//! The AI sidebar's flow: page content from the renderer, analysis and answers from the
//! worker, results into each tab's sidebar state and to pages that asked.

use super::state::Shell;
use crate::ai_client::{AiCommand, AiEvent, JobId};
use crate::hub::PageCall;
use nexus_ipc::messages::ai::{AiAnalyze, AiQuestion, AiStatus};
use nexus_ipc::messages::control::ErrorCode;
use nexus_ipc::messages::page::PageContent;
use nexus_ui::AiIntent;
use nexus_ui::model::{AnalysisStatus, TabId, unanalysable_reason};

/// The most page text the sidebar analyses (the renderer cuts at a sentence boundary and
/// says how many words the page had).
pub const MAX_ANALYSED_BYTES: u32 = 256 * 1024;

/// What a job of the AI worker is for.
#[derive(Clone, Debug)]
pub enum JobPurpose {
    /// A page's `nexus.analyzeContent` call (its tab's sidebar shows it too).
    Page(PageCall),
    /// The sidebar's "Analyze page".
    Sidebar(TabId),
    /// A question in the sidebar.
    Question(TabId),
}

/// Why the shell asked a tab for its content.
#[derive(Clone, Debug)]
pub enum ContentPurpose {
    /// To analyse it.
    Analyze,
    /// To answer this question.
    Ask(String),
}

impl Shell {
    fn send_ai(&mut self, purpose: JobPurpose, command: impl FnOnce(JobId) -> AiCommand) -> JobId {
        self.next_job += 1;
        let job = self.next_job;
        self.jobs.insert(job, purpose);
        let ai = self.ai_client.get_or_insert_with(|| {
            crate::ai_client::AiClient::start(self.worker_config.clone(), self.waker.clone())
        });
        ai.send(command(job));
        job
    }

    /// A page called `nexus.analyzeContent`.
    pub(super) fn analyze_for_page(&mut self, call: PageCall, request: AiAnalyze) {
        let tab = call.tab;
        self.ai.pages.entry(tab).or_default().start_analysis();
        self.send_ai(JobPurpose::Page(call), |job| {
            AiCommand::Analyze(job, request)
        });
    }

    /// Apply an AI sidebar intent.
    pub(super) fn apply_ai_intent(&mut self, intent: AiIntent) {
        match intent {
            AiIntent::Analyze(tab) => self.request_page_content(tab, ContentPurpose::Analyze),
            AiIntent::CancelAnalysis(tab) => {
                self.cancel_jobs(tab, |p| matches!(p, JobPurpose::Sidebar(t) if *t == tab));
                if let Some(page) = self.ai.pages.get_mut(&tab) {
                    page.status = AnalysisStatus::NotStarted;
                }
            }
            AiIntent::Ask { tab, question } => {
                if let Some(page) = self.ai.pages.get_mut(&tab) {
                    page.ask(question.clone());
                } else {
                    self.ai.pages.entry(tab).or_default().ask(question.clone());
                }
                self.request_page_content(tab, ContentPurpose::Ask(question));
            }
            AiIntent::CancelAnswer(tab) => {
                self.cancel_jobs(tab, |p| matches!(p, JobPurpose::Question(t) if *t == tab));
                if let Some(page) = self.ai.pages.get_mut(&tab) {
                    page.cancel_answer();
                }
            }
            AiIntent::ClearConversation(tab) => {
                if let Some(page) = self.ai.pages.get_mut(&tab) {
                    page.conversation.clear();
                }
            }
            AiIntent::RetryWorker => {
                if let Some(ai) = &self.ai_client {
                    ai.send(AiCommand::Retry);
                }
            }
            AiIntent::SetAutoAnalyze(on) => {
                self.ai.auto_analyze = on;
                self.write_setting(nexus_ui::model::SettingChange::AutoAnalyze(on));
            }
            AiIntent::SetNeverAnalyze { site, never } => self.set_never_analyze(site, never),
        }
    }

    fn cancel_jobs(&mut self, tab: TabId, which: impl Fn(&JobPurpose) -> bool) {
        let jobs: Vec<JobId> = self
            .jobs
            .iter()
            .filter(|(_, p)| which(p))
            .map(|(j, _)| *j)
            .collect();
        for job in jobs {
            self.jobs.remove(&job);
            if let Some(ai) = &self.ai_client {
                ai.send(AiCommand::Cancel(job));
            }
        }
        let _ = tab;
    }

    /// The tab navigated or closed: its running jobs are stale.
    pub(super) fn cancel_tab_jobs(&mut self, tab: TabId) {
        self.cancel_jobs(tab, |p| match p {
            JobPurpose::Page(call) => call.tab == tab,
            JobPurpose::Sidebar(t) | JobPurpose::Question(t) => *t == tab,
        });
        self.content_requests.retain(|(t, _, _)| *t != tab);
    }

    fn request_page_content(&mut self, tab: TabId, purpose: ContentPurpose) {
        if let ContentPurpose::Analyze = purpose {
            self.ai.pages.entry(tab).or_default().start_analysis();
        }
        if let Some(content) = self.page_contents.get(&tab).cloned() {
            self.page_content_ready(tab, content, purpose);
            return;
        }
        let Some(handle) = self.tabs.get(&tab).and_then(|t| t.handle.clone()) else {
            return;
        };
        let (request, envelope) = self.hub.request_content(tab, MAX_ANALYSED_BYTES);
        if handle.send_to_frame(None, &envelope) {
            self.content_requests.push((tab, request, purpose));
        }
    }

    /// The renderer answered a content request.
    pub(super) fn page_content_arrived(&mut self, tab: TabId, request: u64, content: PageContent) {
        let Some(pos) = self
            .content_requests
            .iter()
            .position(|(t, r, _)| *t == tab && *r == request)
        else {
            return;
        };
        let (_, _, purpose) = self.content_requests.remove(pos);
        self.page_contents.insert(tab, content.clone());
        self.page_content_ready(tab, content, purpose);
    }

    fn page_content_ready(&mut self, tab: TabId, content: PageContent, purpose: ContentPurpose) {
        if let Some(reason) = unanalysable_reason(&content.content_type, content.word_count) {
            let page = self.ai.pages.entry(tab).or_default();
            match purpose {
                ContentPurpose::Analyze => page.status = AnalysisStatus::NotAnalysable(reason),
                ContentPurpose::Ask(_) => page.fail_answer(reason),
            }
            return;
        }
        match purpose {
            ContentPurpose::Analyze => {
                let request = crate::ai_client::analyze_request(content);
                tracing::debug!(bytes = request.content.len(), "analysis requested");
                self.send_ai(JobPurpose::Sidebar(tab), |job| {
                    AiCommand::Analyze(job, request)
                });
            }
            ContentPurpose::Ask(question) => {
                let history = self
                    .ai
                    .pages
                    .get(&tab)
                    .map(|p| p.history())
                    .unwrap_or_default();
                let request = AiQuestion {
                    url: content.url,
                    title: content.title,
                    content: content.text,
                    question,
                    history,
                };
                self.send_ai(JobPurpose::Question(tab), |job| {
                    AiCommand::Ask(job, request)
                });
            }
        }
    }

    /// Apply what the AI worker reported.
    pub(super) fn apply_ai_events(&mut self) {
        let Some(ai) = &self.ai_client else { return };
        for event in ai.take_events() {
            match event {
                AiEvent::Status(status) => {
                    if matches!(status, AiStatus::Ready)
                        || !matches!(self.ai.worker, AiStatus::Ready)
                        || matches!(
                            status,
                            AiStatus::Failed { .. } | AiStatus::ModelMissing { .. }
                        )
                    {
                        self.ai.worker = status;
                    }
                }
                AiEvent::Part {
                    job,
                    url,
                    content_hash,
                    part,
                } => {
                    let complete =
                        matches!(part, nexus_ipc::messages::ai::AnalysisPart::Complete(_));
                    tracing::debug!(job, part = part_name(&part), "analysis part arrived");
                    match self.jobs.get(&job).cloned() {
                        Some(JobPurpose::Page(call)) => {
                            self.ai
                                .pages
                                .entry(call.tab)
                                .or_default()
                                .apply_part(part.clone());
                            let reply = self.hub.analysis_part(&call, &url, &content_hash, part);
                            self.run_hub_actions(vec![reply]);
                        }
                        Some(JobPurpose::Sidebar(tab)) => {
                            self.ai.pages.entry(tab).or_default().apply_part(part)
                        }
                        _ => {}
                    }
                    if complete {
                        self.jobs.remove(&job);
                    }
                }
                AiEvent::Answer { job, part } => {
                    let done = matches!(part, nexus_ipc::messages::ai::AiAnswer::Done(_));
                    if let Some(JobPurpose::Question(tab)) = self.jobs.get(&job).cloned() {
                        self.ai.pages.entry(tab).or_default().apply_answer(part);
                    }
                    if done {
                        self.jobs.remove(&job);
                    }
                }
                AiEvent::EndpointTested { ok, message } => {
                    self.library.connection_test = if ok {
                        nexus_ui::model::ConnectionTest::Ok(message)
                    } else {
                        nexus_ui::model::ConnectionTest::Failed(message)
                    };
                }
                AiEvent::Failed { job, reason } => match self.jobs.remove(&job) {
                    Some(JobPurpose::Page(call)) => {
                        self.ai
                            .pages
                            .entry(call.tab)
                            .or_default()
                            .fail_analysis(reason.clone());
                        let reply = self.hub.error(&call, ErrorCode::Unavailable, &reason);
                        self.run_hub_actions(vec![reply]);
                    }
                    Some(JobPurpose::Sidebar(tab)) => {
                        self.ai.pages.entry(tab).or_default().fail_analysis(reason)
                    }
                    Some(JobPurpose::Question(tab)) => {
                        self.ai.pages.entry(tab).or_default().fail_answer(reason)
                    }
                    None => {}
                },
            }
        }
    }

    /// Settings › AI › Test connection.
    pub(super) fn test_connection(&mut self, endpoint: nexus_ipc::messages::ai::RemoteEndpoint) {
        self.library.connection_test = nexus_ui::model::ConnectionTest::Testing;
        let ai = self.ai_client.get_or_insert_with(|| {
            crate::ai_client::AiClient::start(self.worker_config.clone(), self.waker.clone())
        });
        ai.send(AiCommand::TestEndpoint(endpoint));
    }

    /// A page finished loading: analyse it if the user asked for that everywhere.
    pub(super) fn maybe_auto_analyze(&mut self, tab: TabId, url: &str) {
        let web = url.starts_with("http://") || url.starts_with("https://");
        let never = super::ai::host_of(url).is_some_and(|h| {
            self.ai
                .never_analyze
                .iter()
                .any(|n| h == n || h.ends_with(&format!(".{n}")))
        });
        if self.ai.auto_analyze && web && !never {
            self.request_page_content(tab, ContentPurpose::Analyze);
        }
    }
}

/// A part's name, for the log.
fn part_name(part: &nexus_ipc::messages::ai::AnalysisPart) -> String {
    use nexus_ipc::messages::ai::AnalysisPart;
    match part {
        AnalysisPart::Category(_) => "category".into(),
        AnalysisPart::Sentiment(_) => "sentiment".into(),
        AnalysisPart::Entities(_) => "entities".into(),
        AnalysisPart::Summary(_) => "summary".into(),
        AnalysisPart::Complete(info) => format!(
            "complete ({} of {} words in {} ms{})",
            info.analysed_words,
            info.total_words,
            info.elapsed_ms,
            if info.cached { ", cached" } else { "" }
        ),
    }
}
