//! The admin's view of the audit log: every write made through the web pages, newest first,
//! filterable by user, a page at a time.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::error::WebError;
use super::page::{Choice, Page};
use super::policy::Access;
use super::session::CurrentUser;
use super::{render, store_call};
use crate::hub::app::HubState;
use crate::hub::store::{AuditQuery, UserId};

/// Rows per page.
pub const PAGE_ROWS: u32 = 50;

pub fn routes() -> Router<HubState> {
    Router::new().route("/audit", get(list))
}

/// `?user=ID&before=ROW`; anything unreadable is ignored (the first page, every user).
#[derive(Debug, Default, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    user: String,
    #[serde(default)]
    before: String,
}

pub struct AuditLine {
    pub at: String,
    pub login: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    users: Vec<Choice>,
    user: Option<i64>,
    lines: Vec<AuditLine>,
    /// The link to older rows, when there are more.
    older: Option<String>,
}

async fn list(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(filter): Query<AuditFilter>,
) -> Result<Response, WebError> {
    user.require(Access::Audit)?;
    let query = AuditQuery {
        user: filter.user.trim().parse().ok().map(UserId),
        before: filter.before.trim().parse().ok(),
        limit: PAGE_ROWS + 1,
    };
    let (mut rows, users) =
        store_call(&state, move |s| Ok((s.audit_log(query)?, s.users()?))).await?;
    let more = rows.len() > PAGE_ROWS as usize;
    rows.truncate(PAGE_ROWS as usize);
    let older = match (more, rows.last()) {
        (true, Some(last)) => Some(match query.user {
            Some(u) => format!("/audit?user={u}&before={}", last.id),
            None => format!("/audit?before={}", last.id),
        }),
        _ => None,
    };
    let lines = rows
        .into_iter()
        .map(|r| AuditLine {
            at: r.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            login: r.login,
            action: r.action,
            subject: r.subject,
            detail: r.detail,
        })
        .collect();
    let template = AuditPage {
        page: Page::new(&user.visitor, "hub-audit-title"),
        users: users
            .into_iter()
            .map(|u| Choice {
                id: u.id.0,
                name: u.login,
            })
            .collect(),
        user: query.user.map(|u| u.0),
        lines,
        older,
    };
    render(&user.visitor, StatusCode::OK, &template)
}
