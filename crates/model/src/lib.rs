//! Yehua domain model.
