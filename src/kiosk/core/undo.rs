//! Taking a removal back: the `−` that empties a line, the bin, "cancel everything".
//!
//! When a line goes, the rows below move up under the finger, and a resident who reads little is
//! poorly served by an "are you sure?" question. So a removal happens at once and a large "put
//! back" bar (a pictogram and words) offers to undo it for [`Timings::undo_ms`]. Any other tap or
//! scan, the end of the visit, or the end of that delay forgets it.
//!
//! [`Timings::undo_ms`]: super::Timings::undo_ms

use super::{KioskCore, Session};
use crate::domain::ProductId;
use crate::kiosk::view::{Screen, UndoView};
use crate::store::StoreError;

/// What a removal took away, kept for a few seconds.
#[derive(Debug, Clone)]
pub(super) struct Undo {
    what: Removed,
    /// The visit as it was before the removal.
    session: Session,
    language: String,
    until_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Removed {
    Line(ProductId),
    Cart,
}

impl KioskCore {
    /// The `−` button: one pack fewer; at one pack the line goes and can be put back.
    pub(super) fn decrement_line(&mut self, product: ProductId) {
        if self.session.cart.quantity_of(product) == 1 {
            self.remove_line(product);
        } else {
            let _ = self.session.cart.decrement(product);
        }
    }

    /// The bin: the whole line goes and can be put back.
    pub(super) fn remove_line(&mut self, product: ProductId) {
        let before = self.undo_point(Removed::Line(product));
        if self.session.cart.remove(product).is_ok() {
            self.undo = Some(before);
        }
    }

    /// "Cancel everything": the visit ends at once, and can be taken back for a few seconds.
    pub(super) fn cancel_all(&mut self) {
        let before = self.undo_point(Removed::Cart);
        let had_something = !self.session.cart.is_empty() || self.session.buyer.is_some();
        self.reset_session();
        if had_something {
            self.undo = Some(before);
        }
    }

    /// "Put back": the visit as it was before the removal.
    pub(super) fn take_back(&mut self) {
        let Some(undo) = self.undo.take() else {
            return;
        };
        if self.now_ms() >= undo.until_ms {
            return;
        }
        self.session = undo.session;
        self.language = undo.language;
        self.show(Screen::Cart);
    }

    /// Forgets the removal once its delay is over.
    pub(super) fn expire_undo(&mut self, now: u64) {
        if self.undo.as_ref().is_some_and(|u| now >= u.until_ms) {
            self.undo = None;
            self.view_stale = true;
        }
    }

    /// What the "put back" bar shows, if it is up.
    pub(super) fn undo_view(&self) -> Result<Option<UndoView>, StoreError> {
        let Some(undo) = &self.undo else {
            return Ok(None);
        };
        Ok(Some(match undo.what {
            Removed::Cart => UndoView::Cart,
            Removed::Line(product) => {
                let product = self.store.product(product)?;
                UndoView::Line {
                    name: product
                        .map(|p| {
                            p.name(crate::kiosk::i18n::product_locale(&self.language))
                                .to_owned()
                        })
                        .unwrap_or_default(),
                }
            }
        }))
    }

    fn undo_point(&self, what: Removed) -> Undo {
        Undo {
            what,
            session: self.session.clone(),
            language: self.language.clone(),
            until_ms: self.now_ms() + self.timings.undo_ms,
        }
    }
}
