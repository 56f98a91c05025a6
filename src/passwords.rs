//! Hashing what people choose: hub passwords and staff PINs, with Argon2id and a random salt.
//!
//! Machine-made secrets (card payloads, tokens) have 160 random bits and only need SHA-256; what a
//! person picks is guessable and gets a slow, salted hash. Both the hub (passwords) and the kiosk
//! (verifying a badge's PIN offline) use this module.

use argon2::password_hash::{self, Output, PasswordHash, PasswordHasher, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PasswordError {
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    #[error("cannot hash the secret: {0}")]
    Hash(String),
}

/// An Argon2id PHC string (`$argon2id$…`) for `secret`.
pub fn hash_secret(secret: &str) -> Result<String, PasswordError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| PasswordError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Argon2's working memory is reserved this large (only the blocks the hash's parameters name are
/// written, so only those become resident) because the C library's allocator maps anything above
/// 32 MiB from the system and gives it back when freed. A 19 MiB block instead comes from the heap,
/// where glibc keeps it once one has been freed: a kiosk would hold the memory of its last PIN
/// check between staff visits, one block per allocator arena (`benches/kiosk_soak.rs` shows it).
const RESERVED_MEMORY_BLOCKS: usize = 33 * 1024;

/// Whether `secret` matches a stored PHC string; a malformed string matches nothing.
pub fn verify_secret(secret: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (hash.hash, hash.salt) else {
        return false;
    };
    let Ok(argon2) = hasher_of(&hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let needed = argon2.params().block_count();
    let mut memory = Vec::with_capacity(needed.max(RESERVED_MEMORY_BLOCKS));
    memory.resize(needed, Block::default());
    let mut computed = vec![0u8; expected.len()];
    argon2
        .hash_password_into_with_memory(secret.as_bytes(), salt, &mut computed, &mut memory)
        .is_ok()
        // `Output`'s comparison takes the same time whatever the bytes.
        && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// The Argon2 instance a stored hash was made with (algorithm, version, parameters).
fn hasher_of(hash: &PasswordHash<'_>) -> Result<Argon2<'static>, password_hash::Error> {
    let algorithm = Algorithm::try_from(hash.algorithm)?;
    let version = match hash.version {
        Some(version) => Version::try_from(version)?,
        None => Version::default(),
    };
    let params = Params::try_from(hash)?;
    Ok(Argon2::new(algorithm, version, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_only_itself() {
        let stored = hash_secret("1234").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_secret("1234", &stored));
        assert!(!verify_secret("1235", &stored));
        assert!(!verify_secret("1234", "not a hash"));
        assert_ne!(stored, hash_secret("1234").unwrap(), "salted");
    }

    #[test]
    fn hashes_made_with_other_parameters_still_verify() {
        // A hash written by another Argon2 setting (here Argon2i, m = 8 MiB, t = 2) is checked
        // with its own parameters, read from the string.
        let params = Params::new(8 * 1024, 2, 1, None).unwrap();
        let other = Argon2::new(Algorithm::Argon2i, Version::V0x13, params);
        let salt = SaltString::encode_b64(b"sixteen bytes!!!").unwrap();
        let stored = other.hash_password(b"4321", &salt).unwrap().to_string();
        assert!(stored.starts_with("$argon2i$"));
        assert!(verify_secret("4321", &stored));
        assert!(!verify_secret("4322", &stored));
    }

    #[test]
    fn a_hash_without_its_salt_or_output_matches_nothing() {
        let stored = hash_secret("1234").unwrap();
        let without_output = stored.rsplit_once('$').unwrap().0;
        assert!(!verify_secret("1234", without_output));
        assert!(!verify_secret("1234", "$argon2id$v=19$m=19456,t=2,p=1"));
        assert!(!verify_secret("", ""));
    }
}
