//! Typed identifiers.
//!
//! Every id in Congélo is its own type so that a product id can never be passed where a tier id is
//! expected. Ids assigned by the hub are integers; ids made on a kiosk (sales, events) are UUIDv7 so
//! that they sort by time and never collide between offline kiosks.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

int_id!(
    /// A product of the collective's catalogue.
    ProductId
);
int_id!(
    /// A social tariff tier.
    TierId
);
int_id!(
    /// A pseudonymous household: no name, only a number the host organisation can match.
    HouseholdId
);
int_id!(
    /// A kiosk (one freezer).
    KioskId
);
int_id!(
    /// A staff member or volunteer, as their badge names them: a number, never a name.
    StaffId
);
int_id!(
    /// A partner organisation hosting one or more freezers.
    SiteId
);
int_id!(
    /// A territory (MRC) grouping sites.
    TerritoryId
);

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A sale, made on the kiosk (UUIDv7) before anything is written.
    SaleId
);
uuid_id!(
    /// An entry of a kiosk's event log (UUIDv7).
    EventId
);
uuid_id!(
    /// A stock movement (UUIDv7).
    MovementId
);

/// A kiosk event's position in its kiosk's log: gapless, starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Seq(pub u64);

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
