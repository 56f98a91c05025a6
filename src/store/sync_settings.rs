//! What the sync worker keeps in the kiosk's database: the hub's address and the kiosk's token.
//!
//! They live in the `settings` table next to the kiosk id, so enrolment is one transaction: the
//! kiosk id, the hub URL and the token change together, the acknowledged marker goes back to 0 (the
//! whole log is pushed to the hub under the token's kiosk id; what the hub already holds comes back
//! as duplicates) and the configuration version goes back to 0 (the hub's first snapshot replaces
//! the demo or previous one, whatever its version number).

use rusqlite::params;

use super::{KioskStore, StoreError};
use crate::domain::KioskId;

const HUB_URL: &str = "hub_url";
const HUB_TOKEN: &str = "hub_token";

/// Where the kiosk's hub is and how it proves who it is. `Debug` never prints the token.
#[derive(Clone, PartialEq, Eq)]
pub struct HubCredentials {
    pub url: String,
    pub token: String,
}

impl std::fmt::Debug for HubCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubCredentials")
            .field("url", &self.url)
            .field("token", &"…")
            .finish()
    }
}

impl KioskStore {
    /// The hub this kiosk is enrolled with, if any.
    pub fn hub_credentials(&self) -> Result<Option<HubCredentials>, StoreError> {
        match (self.setting(HUB_URL)?, self.setting(HUB_TOKEN)?) {
            (Some(url), Some(token)) => Ok(Some(HubCredentials { url, token })),
            _ => Ok(None),
        }
    }

    /// Records an enrolment in one transaction (see the module documentation).
    pub fn record_enrolment(
        &mut self,
        kiosk: KioskId,
        credentials: &HubCredentials,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        let mut set = tx.prepare(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        set.execute(params!["kiosk_id", kiosk.0.to_string()])?;
        set.execute(params![HUB_URL, credentials.url])?;
        set.execute(params![HUB_TOKEN, credentials.token])?;
        drop(set);
        tx.execute("UPDATE sync_state SET acked_through = 0 WHERE id = 1", [])?;
        tx.execute("UPDATE config_meta SET version = 0 WHERE id = 1", [])?;
        tx.commit()?;
        Ok(())
    }

    /// The most recent freezer temperature (unix seconds, thousandths of °C), if any.
    pub fn last_temperature(&self) -> Result<Option<(i64, i32)>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT at_s, millicelsius FROM temperature_samples ORDER BY at_s DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Seq;
    use crate::store::test_support::temp_store_with_demo;

    #[test]
    fn enrolment_resets_the_marker_and_the_config_version() {
        let (_dir, mut store) = temp_store_with_demo();
        let sale = crate::store::test_support::sale_of(&store, &[(0, 1)], None);
        store.record_sale(&sale).unwrap();
        store.acknowledge(Seq(1)).unwrap();
        assert_eq!(store.hub_credentials().unwrap(), None);
        let credentials = HubCredentials {
            url: "http://127.0.0.1:9".into(),
            token: "cgk_secret".into(),
        };
        store.record_enrolment(KioskId(42), &credentials).unwrap();
        assert_eq!(store.kiosk_id().unwrap(), KioskId(42));
        assert_eq!(store.hub_credentials().unwrap(), Some(credentials.clone()));
        assert_eq!(store.acked_through().unwrap(), Seq(0));
        assert_eq!(store.config_version().unwrap(), Some(0));
        assert!(!format!("{credentials:?}").contains("secret"));
    }

    #[test]
    fn the_last_temperature_is_the_latest_sample() {
        let (_dir, mut store) = temp_store_with_demo();
        assert_eq!(store.last_temperature().unwrap(), None);
        store.record_temperature(10, -18_000).unwrap();
        store.record_temperature(20, -17_000).unwrap();
        assert_eq!(store.last_temperature().unwrap(), Some((20, -17_000)));
    }
}
