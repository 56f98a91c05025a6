//! Who may use what: the one place roles are enforced.
//!
//! Every handler asks [`allows`] (through [`super::session::CurrentUser::require`]) for the
//! [`Access`] it serves before it reads or writes anything, and the navigation shows exactly the
//! entries [`allows`] grants, so the two cannot disagree.
//!
//! - collective admin: everything;
//! - site staff: their own site's kiosks, stock and alarms — nothing of another site;
//! - report viewer: aggregated reports only.

use crate::domain::SiteId;
use crate::hub::store::Role;

/// What a page or a form touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Products and tiers.
    Catalogue,
    /// Households and cards.
    Households,
    /// Territories, sites and kiosks of the whole collective (creation, enrolment, revocation).
    Sites,
    /// One site's kiosks, stock and alarms.
    Site(SiteId),
    /// Every site's kiosks, stock and alarms at once (fleet health, stock of all kiosks).
    AllSites,
    /// The kitchens' records (sources, intakes, batches) to read: writing one is
    /// [`Access::Site`] of its kitchen.
    Kitchens,
    /// Aggregated reports (sales, kg, subsidy, charts, exports).
    Reports,
    /// A recall: which kiosks sold a lot (pseudonymous, but finer than an aggregate).
    Recall,
    /// Reading the recalls: which lots must not be eaten, and where they went (a site's staff see
    /// their own kiosks' rows only).
    Recalls,
    /// Opening and closing a recall.
    RecallWrite,
    /// Hub users and their roles.
    Users,
    /// The audit log.
    Audit,
    /// One's own password and language.
    OwnAccount,
}

/// Whether `role` may use `access`.
pub fn allows(role: Role, access: Access) -> bool {
    match (role, access) {
        (_, Access::OwnAccount | Access::Recalls) => true,
        (Role::Admin, _) => true,
        (Role::SiteStaff(own), Access::Site(site)) => own == site,
        (Role::SiteStaff(_) | Role::Viewer, Access::Kitchens) => true,
        (Role::SiteStaff(_), _) => false,
        (Role::Viewer, Access::Reports) => true,
        (Role::Viewer, _) => false,
    }
}

/// The site a site-staff user is limited to (`None`: every site, or none at all).
pub fn own_site(role: Role) -> Option<SiteId> {
    match role {
        Role::SiteStaff(site) => Some(site),
        Role::Admin | Role::Viewer => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_gets_exactly_its_share() {
        let (a, b) = (SiteId(1), SiteId(2));
        let staff = Role::SiteStaff(a);
        let table: &[(Access, bool, bool, bool)] = &[
            // access, admin, staff of site 1, viewer
            (Access::Catalogue, true, false, false),
            (Access::Households, true, false, false),
            (Access::Sites, true, false, false),
            (Access::Site(a), true, true, false),
            (Access::Site(b), true, false, false),
            (Access::AllSites, true, false, false),
            (Access::Kitchens, true, true, true),
            (Access::Reports, true, false, true),
            (Access::Recall, true, false, false),
            (Access::Recalls, true, true, true),
            (Access::RecallWrite, true, false, false),
            (Access::Users, true, false, false),
            (Access::Audit, true, false, false),
            (Access::OwnAccount, true, true, true),
        ];
        for &(access, admin, site_staff, viewer) in table {
            assert_eq!(allows(Role::Admin, access), admin, "admin {access:?}");
            assert_eq!(allows(staff, access), site_staff, "staff {access:?}");
            assert_eq!(allows(Role::Viewer, access), viewer, "viewer {access:?}");
        }
    }
}
