//! The kiosk's side of sync with the hub (issue 4).
