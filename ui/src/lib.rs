//! nexus-ui
