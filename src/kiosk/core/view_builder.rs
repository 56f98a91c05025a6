//! Building the [`View`] from the core's state.
//!
//! A view reads each cart product from the store once (for pricing and for the lines together)
//! and, on the picture grid, the whole catalogue with its stock levels. It is read afresh after
//! every input other than a tick (a scan, a tap, a terminal answer, a sync status, an enrolment,
//! a cold-chain change: each may change the cart, the screen or the stock) and after a tick that
//! moved the screen (a notice closing, the countdown starting or running out, a timeout). The
//! other ticks — four a second — reuse the last view, with only the "still there?" countdown
//! recomputed, instead of reading the store to find nothing changed.
//!
//! What other connections change behind the core's back — the sync worker applying a new
//! configuration or stock movements, the hardware worker, the CLI — shows within
//! [`REFRESH_MS`]: a quiet tick reads the store again once the last view is that old. Staff mode
//! is always read afresh (its screens show stock, lots, alarms and PIN delays as they are now).

use super::KioskCore;
use crate::domain::pricing::{self, PricedCart, price_cart};
use crate::domain::product::Product;
use crate::kiosk::i18n;
use crate::kiosk::photos::PhotoLibrary;
use crate::kiosk::view::{GridItem, LineView, Screen, StaffScreen, StaffView, View};
use crate::store::StoreError;

/// At most how long a quiet tick reuses the last view: the delay before stock levels, prices or a
/// configuration changed by another connection show on screen.
pub(super) const REFRESH_MS: u64 = 5_000;

impl KioskCore {
    /// The view after an input: read afresh if something may have changed, else the last one.
    pub(super) fn fresh_or_last_view(&mut self) -> View {
        let age = self.now_ms().saturating_sub(self.last_view_ms);
        match &self.last_view {
            Some(last) if !self.view_stale && self.staff.is_none() && age < REFRESH_MS => {
                let mut view = last.clone();
                if view.screen == Screen::StillThere {
                    view.countdown = self.countdown();
                }
                view
            }
            _ => self.view(),
        }
    }

    pub(super) fn remember_view(&mut self, view: &View) {
        self.last_view = Some(view.clone());
        self.last_view_ms = self.now_ms();
        self.view_stale = false;
    }

    pub(super) fn build_view(&self) -> Result<View, StoreError> {
        let mut view = View::new(&self.language);
        view.screen = self.screen;
        view.out_of_order = self.out_of_order;
        view.sync = self.sync.clone();
        view.voice_on = self.voice_audible();
        if let Some(state) = &self.staff {
            view.staff = Some(self.staff_view(state)?);
            if matches!(
                state.screen,
                StaffScreen::Restock | StaffScreen::Count | StaffScreen::Loss
            ) {
                view.grid = self.staff_grid()?;
            }
            return Ok(view);
        }
        if self.screen == Screen::OutOfOrder {
            view.staff = self.bootstrap_notice.clone().map(|notice| StaffView {
                notice: Some(notice),
                ..StaffView::default()
            });
            return Ok(view);
        }
        view.undo = self.undo_view()?;
        view.has_card = self.session.buyer.is_some();
        view.cap_left = self.session.cap_left;
        let (priced, products) = self.priced_with_products()?;
        view.lines = line_views(&self.language, &priced, &products, &self.photos);
        view.items = priced.totals.items;
        view.net_weight_g = priced.totals.net_weight_g;
        view.total = priced.totals.due;
        view.cash_total = priced.totals.due.round_cash();
        match self.screen {
            Screen::Grid => view.grid = self.grid()?,
            Screen::PaymentChoice => view.methods = self.available_methods(view.total)?,
            Screen::Prepaid => {
                view.balance_after = self.prepaid_left()?.map(|left| left - view.total)
            }
            Screen::PayLater => view.owed_after = self.owed_after(view.total)?,
            Screen::StillThere => view.countdown = self.countdown(),
            _ => {}
        }
        Ok(view)
    }

    pub(super) fn out_of_order_view(&self) -> View {
        let mut view = View::new(&self.language);
        view.screen = Screen::OutOfOrder;
        view.out_of_order = self.out_of_order;
        view
    }

    /// The cart priced for this session's tier, and its products.
    fn priced_with_products(&self) -> Result<(PricedCart, Vec<Product>), StoreError> {
        let tier = self.tier()?;
        let products = self.cart_products(&self.session.cart)?;
        let priced = price_cart(
            &self.session.cart,
            |id| products.iter().find(|p| p.id == id),
            &tier,
        )
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((priced, products))
    }

    /// What this freezer stocks: active products with packs on the books, or every active product
    /// when the books know none (a new kiosk before its first count).
    pub(super) fn grid(&self) -> Result<Vec<GridItem>, StoreError> {
        let tier = self.tier()?;
        let products = self.store.products(true)?;
        let levels = self.store.stock_levels()?;
        let in_stock = |id| levels.iter().any(|l| l.product == id && l.level > 0);
        let any_stock = products.iter().any(|p| in_stock(p.id));
        Ok(products
            .iter()
            .filter(|p| !any_stock || in_stock(p.id))
            .map(|p| GridItem {
                product: p.id,
                name: p.name(i18n::product_locale(&self.language)).to_owned(),
                pictogram: p.pictogram.clone(),
                photo: self.photos.get(p.photo.as_ref()),
                unit_weight_g: p.net_weight_g,
                unit_price: pricing::unit_price(p, &tier),
            })
            .collect())
    }
}

fn line_views(
    language: &str,
    priced: &PricedCart,
    products: &[Product],
    photos: &PhotoLibrary,
) -> Vec<LineView> {
    priced
        .lines
        .iter()
        .filter_map(|line| {
            let product = products.iter().find(|p| p.id == line.product)?;
            Some(LineView {
                product: product.id,
                name: product.name(i18n::product_locale(language)).to_owned(),
                pictogram: product.pictogram.clone(),
                photo: photos.get(product.photo.as_ref()),
                unit_weight_g: product.net_weight_g,
                quantity: line.quantity,
                unit_price: line.charged_unit,
                line_price: line.paid(),
            })
        })
        .collect()
}
