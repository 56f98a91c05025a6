//! Linux key codes to characters with a US keyboard layout, whatever the system layout.
//!
//! Barcode scanners emulate a US keyboard. Reading their key codes ourselves — instead of letting
//! the system apply a French layout — is what keeps `/`, `:` and digits intact. Codes are those of
//! `linux/input-event-codes.h`.

/// The character a key gives on a US layout, with or without Shift.
pub fn us_char(code: u16, shift: bool) -> Option<char> {
    let (plain, shifted) = match code {
        2..=10 => {
            let digit = (b'1' + (code - 2) as u8) as char;
            (digit, b"!@#$%^&*("[(code - 2) as usize] as char)
        }
        11 => ('0', ')'),
        12 => ('-', '_'),
        13 => ('=', '+'),
        26 => ('[', '{'),
        27 => (']', '}'),
        39 => (';', ':'),
        40 => ('\'', '"'),
        41 => ('`', '~'),
        43 => ('\\', '|'),
        51 => (',', '<'),
        52 => ('.', '>'),
        53 => ('/', '?'),
        57 => (' ', ' '),
        code => return letter(code, shift).or_else(|| keypad(code)),
    };
    Some(if shift { shifted } else { plain })
}

/// Letters by their position on a QWERTY keyboard.
fn letter(code: u16, shift: bool) -> Option<char> {
    const ROWS: [(u16, &str); 3] = [(16, "qwertyuiop"), (30, "asdfghjkl"), (44, "zxcvbnm")];
    ROWS.iter().find_map(|(first, row)| {
        let index = code.checked_sub(*first)? as usize;
        let c = row.chars().nth(index)?;
        Some(if shift { c.to_ascii_uppercase() } else { c })
    })
}

fn keypad(code: u16) -> Option<char> {
    Some(match code {
        71 => '7',
        72 => '8',
        73 => '9',
        74 => '-',
        75 => '4',
        76 => '5',
        77 => '6',
        78 => '+',
        79 => '1',
        80 => '2',
        81 => '3',
        82 => '0',
        83 => '.',
        98 => '/',
        55 => '*',
        _ => return None,
    })
}

/// Keys that end a scan.
pub fn is_enter(code: u16) -> bool {
    matches!(code, 28 | 96)
}

/// Shift keys (left, right).
pub fn is_shift(code: u16) -> bool {
    matches!(code, 42 | 54)
}

/// Control keys (left, right): Ctrl+] is how some scanners send GS (FNC1).
pub fn is_ctrl(code: u16) -> bool {
    matches!(code, 29 | 97)
}

/// The right bracket key, which with Ctrl gives GS.
pub const KEY_RIGHTBRACE: u16 = 27;

#[cfg(test)]
mod tests {
    use super::*;

    /// Key codes of `https://x.example/01/09` typed by a scanner (Shift held for ':').
    #[test]
    fn a_digital_link_survives() {
        let keys: [(u16, bool); 11] = [
            (35, false),
            (20, false),
            (20, false),
            (25, false),
            (31, false),
            (39, true),
            (53, false),
            (53, false),
            (45, false),
            (52, false),
            (11, false),
        ];
        let text: String = keys.iter().filter_map(|(k, s)| us_char(*k, *s)).collect();
        assert_eq!(text, "https://x.0");
    }

    #[test]
    fn digits_letters_and_keypad() {
        assert_eq!(us_char(2, false), Some('1'));
        assert_eq!(us_char(10, false), Some('9'));
        assert_eq!(us_char(11, false), Some('0'));
        assert_eq!(us_char(3, true), Some('@'));
        assert_eq!(us_char(46, true), Some('C'));
        assert_eq!(us_char(82, false), Some('0'));
        assert_eq!(us_char(1, false), None); // Escape
        assert!(is_enter(28) && is_enter(96) && !is_enter(57));
    }
}
