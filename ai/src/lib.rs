//! nexus-ai
