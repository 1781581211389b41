//! Fuzz and robustness entry points: each reader fed arbitrary bytes.
