//! Generation by an OpenAI-compatible endpoint (Ollama, llama.cpp server, LM Studio, vLLM,
//! OpenAI): `POST {base}/chat/completions` with `"stream": true`, tokens read from SSE.
//!
//! The HTTP client is `ureq` (blocking, rustls with the `ring` provider the workspace
//! already builds for nexus-ipc, webpki roots): a few small crates, no async runtime, and
//! HTTPS for hosted endpoints, which a hand-written HTTP/1.1 client could not offer without
//! the same rustls stack. The agent ignores proxy environment variables and does not follow
//! redirects, so the only host contacted is the one the user configured.

use super::sse::EventReader;
use super::{GenerateError, Message, TextGenerator};
use crate::cancel::CancelToken;
use nexus_ipc::messages::ai::RemoteEndpoint;
use std::io::BufReader;
use std::time::Duration;

/// Longest wait for the endpoint to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest silence while reading the stream (a local model may think before the first token).
const READ_TIMEOUT: Duration = Duration::from_secs(120);

/// A configured OpenAI-compatible endpoint.
pub struct RemoteChat {
    endpoint: RemoteEndpoint,
    url: String,
    agent: ureq::Agent,
}

impl RemoteChat {
    /// Check the settings and prepare a client. Opens no connection.
    pub fn new(endpoint: RemoteEndpoint) -> Result<RemoteChat, GenerateError> {
        let base = endpoint.base_url.trim().trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) || base.len() < 10 {
            return Err(GenerateError::Config(format!(
                "base URL {base:?} must start with http:// or https:// (e.g. http://localhost:11434/v1)"
            )));
        }
        if endpoint.model.trim().is_empty() {
            return Err(GenerateError::Config(
                "no model name given (e.g. llama3.2)".to_owned(),
            ));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .proxy(None)
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_per_read(Some(READ_TIMEOUT))
            .build()
            .into();
        let url = format!("{base}/chat/completions");
        Ok(RemoteChat {
            endpoint,
            url,
            agent,
        })
    }

    fn fail(&self, reason: impl Into<String>) -> GenerateError {
        GenerateError::Remote {
            endpoint: self.endpoint.base_url.clone(),
            reason: reason.into(),
        }
    }
}

impl TextGenerator for RemoteChat {
    fn name(&self) -> String {
        let host = self
            .endpoint
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or("")
            .split('/')
            .next()
            .unwrap_or("");
        format!("{} at {host}", self.endpoint.model)
    }

    fn generate(
        &mut self,
        messages: &[Message],
        max_tokens: usize,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(), GenerateError> {
        let body = serde_json::json!({
            "model": self.endpoint.model,
            "messages": messages.iter().map(|m| serde_json::json!({"role": m.role.as_str(), "content": m.content})).collect::<Vec<_>>(),
            "stream": true,
            "max_tokens": max_tokens,
            "temperature": 0.2,
        });
        let mut req = self
            .agent
            .post(&self.url)
            .header("Accept", "text/event-stream");
        if let Some(key) = self.endpoint.api_key.as_deref().filter(|k| !k.is_empty()) {
            req = req.header("Authorization", format!("Bearer {key}"));
        }
        let resp = req
            .content_type("application/json")
            .send(body.to_string())
            .map_err(|e| self.fail(e.to_string()))?;
        let status = resp.status().as_u16();
        if status != 200 {
            let text = resp.into_body().read_to_string().unwrap_or_default();
            let hint = match status {
                401 | 403 => " (check the API key)",
                404 => " (check the base URL and model name)",
                _ => "",
            };
            return Err(self.fail(format!(
                "HTTP {status}{hint}: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        let mut events = EventReader::new(BufReader::new(resp.into_body().into_reader()));
        loop {
            cancel.check()?;
            let Some(data) = events
                .next_event()
                .map_err(|e| self.fail(format!("reading the stream: {e}")))?
            else {
                return Ok(()); // the server closed the stream without [DONE]
            };
            if data.trim() == "[DONE]" {
                return Ok(());
            }
            let chunk: serde_json::Value = serde_json::from_str(&data)
                .map_err(|e| self.fail(format!("bad event {data:.80}: {e}")))?;
            if let Some(err) = chunk.get("error") {
                return Err(self.fail(format!("error in stream: {err}")));
            }
            let choice = &chunk["choices"][0];
            if let Some(text) = choice["delta"]["content"]
                .as_str()
                .filter(|t| !t.is_empty())
            {
                on_text(text);
            }
            if choice["finish_reason"].is_string() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_without_connecting() {
        let ep = |url: &str, model: &str| RemoteEndpoint {
            base_url: url.into(),
            model: model.into(),
            api_key: None,
        };
        assert!(matches!(
            RemoteChat::new(ep("localhost:11434", "m")),
            Err(GenerateError::Config(_))
        ));
        assert!(matches!(
            RemoteChat::new(ep("http://localhost:11434/v1", " ")),
            Err(GenerateError::Config(_))
        ));
        let ok = RemoteChat::new(ep("http://localhost:11434/v1/", "llama3")).unwrap();
        assert_eq!(ok.url, "http://localhost:11434/v1/chat/completions");
        assert_eq!(ok.name(), "llama3 at localhost:11434");
    }
}
