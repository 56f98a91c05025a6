//! The list reports (stock, lots expiring soon, recall, fleet health) as one page, one `.csv` and
//! one `.json` handler, generic over a [`ListReport`].
//!
//! A report is described once: where it lives, who may read it, its filter form, how its rows are
//! fetched, and its [`Column`]s (the page's header message, the CSV's column names, how a cell is
//! written for each, numeric or not). The page shows the columns that have a label, in order; the
//! CSV writes those that have CSV names, in order, through [`export::write`] (which neutralises
//! cells a spreadsheet would run as formulas); the JSON is the rows as serde writes them.
//!
//! Adding a list report: implement [`ListReport`] for a unit struct and merge [`routes`] for it.

use std::future::Future;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::WebError;
use super::i18n::{self, Lang};
use super::page::Page;
use super::policy::{Access, own_site};
use super::render;
use super::reports::{Table, csv_download, json_answer};
use super::session::CurrentUser;
use crate::hub::app::HubState;
use crate::hub::reports::svg::format_number;
use crate::hub::reports::{Named, Scope, export};

/// How one column reads its cell from a row.
pub enum Cell<R> {
    /// A name on the page; its id then its name in the CSV (two columns).
    Named(fn(&R) -> &Named),
    /// A whole number: grouped digits on the page, plain in the CSV; right-aligned.
    Count(fn(&R) -> Option<i64>),
    /// A decimal: `page` places in the reader's format, `csv` places with a decimal point;
    /// right-aligned.
    Decimal {
        get: fn(&R) -> Option<f64>,
        page: usize,
        csv: usize,
    },
    /// The same text on the page and in the CSV.
    Text(fn(&R) -> String),
    /// Words in the reader's language (page-only columns).
    Words(fn(Lang, &R) -> String),
}

/// One column of a report: its page header (a message id; `None` when the page leaves it out),
/// its CSV column names (none when the CSV leaves it out) and its cell.
pub struct Column<R> {
    pub label: Option<&'static str>,
    pub csv: &'static [&'static str],
    pub cell: Cell<R>,
}

impl<R> Column<R> {
    /// A column on the page and in the CSV.
    pub fn both(label: &'static str, csv: &'static [&'static str], cell: Cell<R>) -> Column<R> {
        Column {
            label: Some(label),
            csv,
            cell,
        }
    }

    /// A column on the page only.
    pub fn page(label: &'static str, cell: Cell<R>) -> Column<R> {
        Column {
            label: Some(label),
            csv: &[],
            cell,
        }
    }

    /// A column in the CSV only.
    pub fn csv(csv: &'static [&'static str], cell: Cell<R>) -> Column<R> {
        Column {
            label: None,
            csv,
            cell,
        }
    }

    fn numeric(&self) -> bool {
        matches!(self.cell, Cell::Count(_) | Cell::Decimal { .. })
    }

    fn page_cell(&self, lang: Lang, row: &R) -> String {
        match &self.cell {
            Cell::Named(get) => get(row).name.clone(),
            Cell::Count(get) => get(row).map(|n| number(lang, n)).unwrap_or_default(),
            Cell::Decimal { get, page, .. } => get(row)
                .map(|x| format_number(x, *page, lang.locale()))
                .unwrap_or_default(),
            Cell::Text(get) => get(row),
            Cell::Words(get) => get(lang, row),
        }
    }

    fn csv_cells(&self, row: &R, record: &mut Vec<String>) {
        match &self.cell {
            Cell::Named(get) => {
                let named = get(row);
                record.extend([named.id.to_string(), named.name.clone()]);
            }
            Cell::Count(get) => record.push(get(row).map(|n| n.to_string()).unwrap_or_default()),
            Cell::Decimal { get, csv, .. } => {
                record.push(get(row).map(|x| format!("{x:.csv$}")).unwrap_or_default())
            }
            Cell::Text(get) => record.push(get(row)),
            Cell::Words(_) => debug_assert!(false, "words are for the page only"),
        }
    }
}

/// A list report: its place, its reader, its filter, its rows and its columns.
pub trait ListReport: Send + Sync + 'static {
    /// The query string's fields (`#[serde(default)]` strings: a bad value is a message).
    type Params: DeserializeOwned + Send + Sync + 'static;
    type Row: Serialize + Send + Sync + 'static;
    /// The page's path; the downloads add `.csv` and `.json`.
    const PATH: &'static str;
    /// The page's title, a message id.
    const TITLE: &'static str;
    /// The CSV file is `congelo-<FILE>.csv`.
    const FILE: &'static str;

    /// Refuses a reader who may not see this report (before anything is read).
    fn access(user: &CurrentUser) -> Result<(), WebError>;
    /// The filter form's fields, and the query string that asks for the same rows again.
    fn form(lang: Lang, params: &Self::Params) -> (Vec<Field>, String);
    /// A sentence printed above the table (what the figures mean), if any.
    fn note(_lang: Lang, _params: &Self::Params) -> Option<String> {
        None
    }
    /// Whether the filter asks for anything yet; if not, the page shows the form alone.
    fn asked(_params: &Self::Params) -> bool {
        true
    }
    /// The rows; a bad filter value is `WebError::BadForm` with its message.
    fn rows(
        state: &HubState,
        user: &CurrentUser,
        params: &Self::Params,
    ) -> impl Future<Output = Result<Vec<Self::Row>, WebError>> + Send;
    fn columns() -> Vec<Column<Self::Row>>;
    /// Rows to highlight on the page.
    fn flagged(row: &Self::Row) -> bool;
}

/// The page and its two downloads.
pub fn routes<R: ListReport>() -> Router<HubState> {
    Router::new()
        .route(R::PATH, get(page::<R>))
        .route(&format!("{}.csv", R::PATH), get(csv::<R>))
        .route(&format!("{}.json", R::PATH), get(json::<R>))
}

/// Which kiosks this user may see: their site for site staff, every site for an admin.
pub fn scope(user: &CurrentUser) -> Result<Scope, WebError> {
    match own_site(user.user.role) {
        Some(site) => {
            user.require(Access::Site(site))?;
            Ok(Scope::Site(site))
        }
        None => {
            user.require(Access::AllSites)?;
            Ok(Scope::All)
        }
    }
}

/// One page: a title, a filter form's fields, a table, download links.
#[derive(Template)]
#[template(path = "reports_list.html")]
pub struct ListPage {
    pub page: Page,
    pub action: &'static str,
    pub fields: Vec<Field>,
    pub error: Option<String>,
    pub note: Option<String>,
    pub table: Option<Table>,
    pub csv: String,
    pub json: String,
}

/// A text field (or a checkbox when `checkbox`) of a filter form.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub checkbox: bool,
    pub checked: bool,
}

impl Field {
    /// A text field labelled with a message id.
    pub fn text(lang: Lang, name: &'static str, label: &str, value: &str) -> Field {
        Field {
            name,
            label: i18n::t(lang, label),
            value: value.to_owned(),
            checkbox: false,
            checked: false,
        }
    }

    /// A checkbox labelled with a message id.
    pub fn checkbox(lang: Lang, name: &'static str, label: &str, checked: bool) -> Field {
        Field {
            checkbox: true,
            checked,
            ..Field::text(lang, name, label, "")
        }
    }
}

pub fn number(lang: Lang, n: i64) -> String {
    format_number(n as f64, 0, lang.locale())
}

/// The page's table: the labelled columns, in the reader's language.
fn table<R: ListReport>(lang: Lang, rows: &[R::Row]) -> Table {
    let columns: Vec<Column<R::Row>> = R::columns()
        .into_iter()
        .filter(|c| c.label.is_some())
        .collect();
    Table {
        header: columns
            .iter()
            .filter_map(|c| c.label)
            .map(|id| i18n::t(lang, id))
            .collect(),
        rows: rows
            .iter()
            .map(|row| columns.iter().map(|c| c.page_cell(lang, row)).collect())
            .collect(),
        footer: None,
        numeric: columns.iter().map(Column::numeric).collect(),
        flagged: rows.iter().map(R::flagged).collect(),
    }
}

/// The CSV: the columns that have CSV names, through the one neutralising writer.
pub fn csv_bytes<R>(columns: &[Column<R>], rows: &[R]) -> Vec<u8> {
    let columns: Vec<&Column<R>> = columns.iter().filter(|c| !c.csv.is_empty()).collect();
    let header: Vec<String> = columns
        .iter()
        .flat_map(|c| c.csv.iter().map(|name| (*name).to_owned()))
        .collect();
    export::write(
        &header,
        rows.iter().map(|row| {
            let mut record = Vec::with_capacity(header.len());
            for column in &columns {
                column.csv_cells(row, &mut record);
            }
            record
        }),
    )
}

async fn page<R: ListReport>(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<R::Params>,
) -> Result<Response, WebError> {
    R::access(&user)?;
    let lang = user.lang();
    let (fields, query) = R::form(lang, &params);
    let mut page = ListPage {
        page: Page::new(&user.visitor, R::TITLE),
        action: R::PATH,
        fields,
        error: None,
        note: R::note(lang, &params),
        table: None,
        csv: format!("{}.csv?{query}", R::PATH),
        json: format!("{}.json?{query}", R::PATH),
    };
    if R::asked(&params) {
        match R::rows(&state, &user, &params).await {
            Ok(rows) => page.table = Some(table::<R>(lang, &rows)),
            Err(WebError::BadForm(message)) => {
                page.error = Some(message);
                return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
            Err(error) => return Err(error),
        }
    }
    render(&user.visitor, StatusCode::OK, &page)
}

async fn csv<R: ListReport>(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<R::Params>,
) -> Result<Response, WebError> {
    R::access(&user)?;
    let rows = R::rows(&state, &user, &params).await?;
    let bytes = csv_bytes(&R::columns(), &rows);
    Ok(csv_download(&user, R::FILE, bytes))
}

async fn json<R: ListReport>(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<R::Params>,
) -> Result<Response, WebError> {
    R::access(&user)?;
    let rows = R::rows(&state, &user, &params).await?;
    Ok(json_answer(&user, rows))
}
