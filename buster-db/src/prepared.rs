//! The statements prepared on one connection, found again by their text.
//!
//! Every statement the engine sends outside pooler mode is prepared once per connection and
//! then looked up by its text before each execution. The lookup hashes the whole text (a
//! select of twenty columns is over a kilobyte), so the hash is a simple multiply-and-rotate
//! over eight bytes at a time rather than the standard library's SipHash, which is built to
//! resist keys chosen by an attacker. The keys here are statement texts the program itself
//! renders: values are always bound as parameters, never written into the text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, MutexGuard, PoisonError};

use futures_util::future::{Either, ready};
use tokio_postgres::{Client, Statement};

/// A hasher for keys the program makes itself: statement texts (see the module
/// documentation), and the task ids of [`crate::lease`].
#[derive(Default)]
pub(crate) struct TextHasher(u64);

/// An odd constant with its bits well mixed (from the golden ratio).
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        // The length tells "ab" from "ab\0".
        self.add(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    fn write_isize(&mut self, word: isize) {
        self.add(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The statements prepared on one connection, by text.
#[derive(Default)]
pub(crate) struct Prepared {
    statements: Mutex<HashMap<Box<str>, Statement, BuildHasherDefault<TextHasher>>>,
}

impl Prepared {
    fn lock(&self) -> MutexGuard<'_, HashMap<Box<str>, Statement, BuildHasherDefault<TextHasher>>> {
        // Nothing panics while holding the lock; a poisoned map is still consistent.
        self.statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The statement prepared for `sql` on `client`, preparing it on first use. A statement
    /// already prepared, the common case, is a ready future: nothing to build and poll but the
    /// value. The first use, once per text and connection, is boxed, so that the future the
    /// caller stores and moves stays a few words long.
    pub(crate) fn prepare<'a>(
        &'a self,
        client: &'a Client,
        sql: &'a str,
    ) -> impl Future<Output = Result<Statement, tokio_postgres::Error>> + Send + 'a {
        match self.lock().get(sql) {
            Some(statement) => Either::Left(ready(Ok(statement.clone()))),
            None => Either::Right(Box::pin(async move {
                let statement = client.prepare(sql).await?;
                self.lock().insert(sql.into(), statement.clone());
                Ok(statement)
            })),
        }
    }

    /// Forgets every statement (the server may have forgotten them, or their result types
    /// changed).
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// Forgets the statement prepared for `sql`; returns it when there was one.
    pub(crate) fn remove(&self, sql: &str) -> Option<Statement> {
        self.lock().remove(sql)
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};

    use super::TextHasher;

    fn hash(s: &str) -> u64 {
        BuildHasherDefault::<TextHasher>::default().hash_one(s)
    }

    #[test]
    fn texts_that_differ_in_any_byte_or_length_hash_apart() {
        let base = "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" = $1";
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(hash(base)));
        for at in 0..base.len() {
            let mut other = base.as_bytes().to_vec();
            other[at] ^= 1;
            let other = String::from_utf8(other).unwrap_or_default();
            assert!(
                seen.insert(hash(&other)),
                "a one-bit change at {at} collides"
            );
        }
        for len in 0..base.len() {
            assert!(
                seen.insert(hash(&base[..len])),
                "the prefix of {len} bytes collides"
            );
        }
        assert!(seen.insert(hash("ab\0")));
        assert!(seen.insert(hash("ab")));
    }
}
