//! The smallest type a label may use for its mandatory text, from the Safe Food for Canadians
//! Regulations, and the font sizes that reach it with the label font.
//!
//! - Mandatory information on a consumer prepackaged food: characters at least 1.6 mm high,
//!   measured on the lower-case "o" when the words are in lower case or mixed case, on an upper-case
//!   letter when they are all upper case (SFCR 210(1), (2) and 211; CFIA, "Legibility and location
//!   of food labelling information"). The 0.8 mm of SFCR 210(3) is only for a principal display
//!   surface of 10 cm² or less, smaller than any label the hub prints, so it is never used.
//! - The numbers of the net quantity: bold, at least 1.6 mm high for a principal display surface
//!   of 32 cm² or less, 3.2 mm above 32 cm² up to 258 cm², 6.4 mm up to 645 cm², 9.5 mm up to
//!   25.8 dm², 12.7 mm above (the same table as section 14 of the Consumer Packaging and Labelling
//!   Regulations). The principal display surface is the pack's face, which the hub does not know;
//!   the labels hold the 3.2 mm of the band their own area falls in (every stock is 52 to 86 cm²),
//!   which covers a pack whose main face is at most 258 cm².
//!
//! Heights are those of the glyph outlines (overshoot included) in the embedded Noto Sans.

use super::font::Font;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Smallest height of the lower-case "o" (or of an upper-case letter in all-capital text) of
/// mandatory label text, in millimetres.
pub const MIN_LETTER_MM: f32 = 1.6;

/// Smallest height of the numbers of the net quantity, in millimetres (principal display surface
/// over 32 cm² up to 258 cm²).
pub const MIN_NET_QUANTITY_MM: f32 = 3.2;

/// The character the regulation measures in `text`: the lower-case "o" when it has a lower-case
/// letter, otherwise the upper-case "O" (`None` for text without letters).
pub fn measured_letter(text: &str) -> Option<char> {
    if text.chars().any(char::is_lowercase) {
        Some('o')
    } else if text.chars().any(char::is_uppercase) {
        Some('O')
    } else {
        None
    }
}

/// Height in millimetres of the characters the regulation measures in `text` set in `font` at
/// `size` points: its letters ("o" or "O"), and, when `numbers` is set, the shortest of its digits.
pub fn heights_mm(font: &Font, text: &str, size: f32, numbers: bool) -> (Option<f32>, Option<f32>) {
    let letter = measured_letter(text).map(|c| font.glyph_height(c, size) / PT_PER_MM);
    let digits = numbers
        .then(|| {
            text.chars()
                .filter(char::is_ascii_digit)
                .map(|d| font.glyph_height(d, size) / PT_PER_MM)
                .reduce(f32::min)
        })
        .flatten();
    (letter, digits)
}

/// The smallest font size, in points, at which `text` in `font` meets the floors: letters of
/// [`MIN_LETTER_MM`], and, for the net quantity (`numbers`), numbers of [`MIN_NET_QUANTITY_MM`].
pub fn min_size(font: &Font, text: &str, numbers: bool) -> f32 {
    let (letter, digits) = heights_mm(font, text, 1.0, numbers);
    let for_letters = letter
        .filter(|h| *h > 0.0)
        .map_or(0.0, |h| MIN_LETTER_MM / h);
    let for_digits = digits
        .filter(|h| *h > 0.0)
        .map_or(0.0, |h| MIN_NET_QUANTITY_MM / h);
    // A hundredth of a point above, so the rounding of the PDF's numbers never lands under.
    for_letters.max(for_digits) + 0.01
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::labels::font::fonts;

    #[test]
    fn floors_in_points_for_the_label_font() {
        let fonts = fonts().expect("fonts");
        let regular = min_size(&fonts.regular, "Meilleur avant", false);
        assert!((8.1..8.3).contains(&regular), "{regular}");
        let quantity = min_size(&fonts.bold, "500 g", true);
        assert!((12.3..12.7).contains(&quantity), "{quantity}");
        assert_eq!(measured_letter("LOT 12"), Some('O'));
        assert_eq!(measured_letter("27 MA 01 lot"), Some('o'));
        assert_eq!(measured_letter("2027"), None);
        let (letter, digits) = heights_mm(&fonts.bold, "500 g", quantity, true);
        assert!(letter.is_some_and(|h| h >= MIN_LETTER_MM));
        assert!(digits.is_some_and(|h| h >= MIN_NET_QUANTITY_MM));
    }
}
