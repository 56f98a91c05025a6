//! The collective's hub server (issue 4).
