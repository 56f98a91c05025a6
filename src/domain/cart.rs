//! The resident's cart and the scan debounce.
//!
//! A cart holds product lines with quantities and the lots scanned for them. It is edited by scans
//! and by the big −/+ buttons; pricing lives in [`super::pricing`]. The debounce makes a pack held
//! under a presentation scanner, or a scanner that sends CR and LF, count once.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::ProductId;

/// Most packs of one product on one line: a freezer holds a few dozen; more is a stuck key.
pub const MAX_LINE_QUANTITY: u32 = 99;
/// Most lines in a cart.
pub const MAX_LINES: usize = 50;

/// One product in the cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: ProductId,
    pub quantity: u32,
    /// Lot codes read from the packs' GS1 labels, one per scanned pack that had one (at most
    /// `quantity` of them).
    pub scanned_lots: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CartError {
    #[error("at most {MAX_LINE_QUANTITY} packs of one product")]
    QuantityTooHigh,
    #[error("at most {MAX_LINES} different products in one purchase")]
    TooManyLines,
    #[error("product {0} is not in the cart")]
    NotInCart(ProductId),
}

/// The resident's cart, in the order products were first added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    lines: Vec<CartLine>,
}

impl Cart {
    pub fn new() -> Cart {
        Cart::default()
    }

    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Number of packs.
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    pub fn quantity_of(&self, product: ProductId) -> u32 {
        self.line(product).map_or(0, |l| l.quantity)
    }

    fn line(&self, product: ProductId) -> Option<&CartLine> {
        self.lines.iter().find(|l| l.product == product)
    }

    fn line_mut(&mut self, product: ProductId) -> Result<&mut CartLine, CartError> {
        self.lines
            .iter_mut()
            .find(|l| l.product == product)
            .ok_or(CartError::NotInCart(product))
    }

    /// Adds one pack (a scan or a tap on the picture grid), with its lot if its label had one.
    pub fn add(&mut self, product: ProductId, lot: Option<String>) -> Result<(), CartError> {
        if self.line(product).is_none() {
            if self.lines.len() >= MAX_LINES {
                return Err(CartError::TooManyLines);
            }
            self.lines.push(CartLine {
                product,
                quantity: 0,
                scanned_lots: vec![],
            });
        }
        let line = self.line_mut(product)?;
        if line.quantity >= MAX_LINE_QUANTITY {
            return Err(CartError::QuantityTooHigh);
        }
        line.quantity += 1;
        line.scanned_lots.extend(lot);
        Ok(())
    }

    /// Sets a line's quantity; zero removes the line. Lots beyond the new quantity are dropped,
    /// latest first, since the last pack scanned is the one put back.
    pub fn set_quantity(&mut self, product: ProductId, quantity: u32) -> Result<(), CartError> {
        if quantity > MAX_LINE_QUANTITY {
            return Err(CartError::QuantityTooHigh);
        }
        if quantity == 0 {
            return self.remove(product);
        }
        let line = self.line_mut(product)?;
        line.quantity = quantity;
        line.scanned_lots.truncate(quantity as usize);
        Ok(())
    }

    /// The − button: one pack fewer; the line goes at zero.
    pub fn decrement(&mut self, product: ProductId) -> Result<(), CartError> {
        let quantity = self.quantity_of(product);
        if quantity == 0 {
            return Err(CartError::NotInCart(product));
        }
        self.set_quantity(product, quantity - 1)
    }

    /// The + button: one more pack of a product already in the cart.
    pub fn increment(&mut self, product: ProductId) -> Result<(), CartError> {
        let quantity = self.quantity_of(product);
        if quantity == 0 {
            return Err(CartError::NotInCart(product));
        }
        self.set_quantity(product, quantity + 1)
    }

    pub fn remove(&mut self, product: ProductId) -> Result<(), CartError> {
        let before = self.lines.len();
        self.lines.retain(|l| l.product != product);
        if self.lines.len() == before {
            Err(CartError::NotInCart(product))
        } else {
            Ok(())
        }
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }
}

/// How long an identical scan is taken for the same pack.
pub const DEBOUNCE_MS: u64 = 1_000;

/// Remembers the last scan to drop identical repeats. Times are milliseconds from any monotonic
/// clock; the caller reads it, which keeps this pure.
#[derive(Debug, Clone, Default)]
pub struct Debouncer {
    last: Option<(String, u64)>,
}

impl Debouncer {
    /// Whether a scan of `text` at `at_ms` is new. A repeat within [`DEBOUNCE_MS`] of the previous
    /// identical scan is not, and it extends the window: a pack left under the scanner counts once.
    pub fn accept(&mut self, text: &str, at_ms: u64) -> bool {
        let repeat = matches!(&self.last, Some((last, when))
            if last == text && at_ms.checked_sub(*when).is_some_and(|gap| gap < DEBOUNCE_MS));
        self.last = Some((text.to_owned(), at_ms));
        !repeat
    }

    /// Forgets the last scan, e.g. when a new cart starts.
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const CARROTS: ProductId = ProductId(1);
    const PEAS: ProductId = ProductId(2);

    #[test]
    fn scanning_the_same_product_adds_to_its_line() {
        let mut cart = Cart::new();
        cart.add(CARROTS, Some("L1".into())).unwrap();
        cart.add(PEAS, None).unwrap();
        cart.add(CARROTS, None).unwrap();
        assert_eq!(cart.lines().len(), 2);
        assert_eq!(cart.quantity_of(CARROTS), 2);
        assert_eq!(cart.lines()[0].scanned_lots, ["L1"]);
        assert_eq!(cart.item_count(), 3);
    }

    #[test]
    fn minus_to_zero_removes_the_line_and_lots_follow_the_quantity() {
        let mut cart = Cart::new();
        cart.add(CARROTS, Some("L1".into())).unwrap();
        cart.add(CARROTS, Some("L2".into())).unwrap();
        cart.decrement(CARROTS).unwrap();
        assert_eq!(cart.lines()[0].scanned_lots, ["L1"]);
        cart.increment(CARROTS).unwrap();
        assert_eq!(cart.quantity_of(CARROTS), 2);
        cart.decrement(CARROTS).unwrap();
        cart.decrement(CARROTS).unwrap();
        assert!(cart.is_empty());
        assert_eq!(cart.decrement(CARROTS), Err(CartError::NotInCart(CARROTS)));
    }

    #[rstest]
    #[case(MAX_LINE_QUANTITY, Ok(()))]
    #[case(MAX_LINE_QUANTITY + 1, Err(CartError::QuantityTooHigh))]
    #[case(0, Ok(()))]
    fn set_quantity_bounds(#[case] quantity: u32, #[case] expected: Result<(), CartError>) {
        let mut cart = Cart::new();
        cart.add(CARROTS, None).unwrap();
        assert_eq!(cart.set_quantity(CARROTS, quantity), expected);
    }

    #[test]
    fn limits_hold() {
        let mut cart = Cart::new();
        for id in 0..MAX_LINES as i64 {
            cart.add(ProductId(id), None).unwrap();
        }
        assert_eq!(cart.add(ProductId(999), None), Err(CartError::TooManyLines));
        cart.set_quantity(ProductId(0), MAX_LINE_QUANTITY).unwrap();
        assert_eq!(
            cart.add(ProductId(0), None),
            Err(CartError::QuantityTooHigh)
        );
        assert_eq!(
            cart.remove(ProductId(999)),
            Err(CartError::NotInCart(ProductId(999)))
        );
        cart.clear();
        assert!(cart.is_empty());
    }

    #[rstest]
    // (previous scans, this scan, accepted?)
    #[case(&[], ("A", 0), true)]
    #[case(&[("A", 0)], ("A", 999), false)]
    #[case(&[("A", 0)], ("A", 1_000), true)]
    #[case(&[("A", 0)], ("B", 10), true)]
    #[case(&[("A", 0), ("A", 800)], ("A", 1_500), false)] // held under the scanner
    #[case(&[("A", 0), ("B", 100)], ("A", 200), true)]
    #[case(&[("A", 5_000)], ("A", 10), true)] // clock went back: not a repeat
    fn debounce_table(
        #[case] before: &[(&str, u64)],
        #[case] now: (&str, u64),
        #[case] accepted: bool,
    ) {
        let mut debouncer = Debouncer::default();
        for (text, at) in before {
            debouncer.accept(text, *at);
        }
        assert_eq!(debouncer.accept(now.0, now.1), accepted);
    }
}
