//! Storage calls block (SQLite), so async handlers run them on tokio's blocking pool through
//! [`on_store`], the one place that does. The kiosk API and the web pages each wrap it to turn the
//! store's error into their own (`HubError`, `WebError`); a panicking call becomes their 500.

use std::sync::Arc;

use tokio::task::JoinError;

/// Runs `call` with `store` on the blocking pool and returns its answer; a panic in `call` comes
/// back as `E::from(JoinError)`.
pub async fn on_store<S, T, E>(
    store: &Arc<S>,
    call: impl FnOnce(&S) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    S: ?Sized + Send + Sync + 'static,
    T: Send + 'static,
    E: From<JoinError> + Send + 'static,
{
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || call(store.as_ref())).await?
}
