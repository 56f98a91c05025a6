//! The freezer's hardware (issue 6).
