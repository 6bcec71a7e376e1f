//! nexus-tests
