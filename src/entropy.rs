//! The edge where randomness and fresh ids come from.
//!
//! The domain never calls a random source or a clock; the kiosk and the hub call these instead.
//! Card, badge and enrolment secrets come from the operating system's CSPRNG (`getrandom`).

use thiserror::Error;
use uuid::Uuid;

use crate::domain::codes::{Payload, PayloadKind, SECRET_BYTES};
use crate::domain::{EventId, MovementId, SaleId};

#[derive(Debug, Error)]
#[error("the operating system gave no random bytes: {0}")]
pub struct EntropyError(String);

/// A fresh secret of [`SECRET_BYTES`] random bytes.
pub fn new_secret() -> Result<[u8; SECRET_BYTES], EntropyError> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| EntropyError(e.to_string()))?;
    Ok(bytes)
}

/// A fresh card, badge, enrolment or voucher code. Print it once; store only its hash.
pub fn new_payload(kind: PayloadKind) -> Result<Payload, EntropyError> {
    Ok(Payload::new(kind, new_secret()?))
}

/// A time-ordered id for a sale made now.
pub fn new_sale_id() -> SaleId {
    SaleId(Uuid::now_v7())
}

pub fn new_event_id() -> EventId {
    EventId(Uuid::now_v7())
}

pub fn new_movement_id() -> MovementId {
    MovementId(Uuid::now_v7())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_differ_and_ids_sort_by_time() {
        assert_ne!(new_secret().unwrap(), new_secret().unwrap());
        let (a, b) = (new_sale_id(), new_sale_id());
        assert!(a < b);
        let card = new_payload(PayloadKind::Card).unwrap();
        assert_eq!(Payload::decode(&card.encode()).unwrap(), card);
    }
}
