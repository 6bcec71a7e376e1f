//! LEB128 unsigned integers: ids and lengths are small, so one or two bytes usually do.

use crate::error::DecodeError;

/// Append `v` as LEB128.
pub fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Read a LEB128 integer from the front of `input`; returns it and the bytes used.
pub fn get(input: &[u8], what: &'static str) -> Result<(u64, usize), DecodeError> {
    let mut v: u64 = 0;
    for (i, &b) in input.iter().enumerate().take(10) {
        let part = u64::from(b & 0x7f);
        if i == 9 && b > 1 {
            return Err(DecodeError::BadVarint { what });
        }
        v |= part << (7 * i);
        if b & 0x80 == 0 {
            return Ok((v, i + 1));
        }
    }
    if input.len() >= 10 {
        Err(DecodeError::BadVarint { what })
    } else {
        Err(DecodeError::Truncated { what })
    }
}

/// Encoded length of `v`.
pub fn len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros()).div_ceil(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_edges() {
        for v in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX - 1, u64::MAX] {
            let mut b = Vec::new();
            put(&mut b, v);
            assert_eq!(b.len(), len(v), "{v}");
            assert_eq!(get(&b, "t").unwrap(), (v, b.len()));
        }
    }

    #[test]
    fn rejects_overlong_and_truncated() {
        assert_eq!(
            get(&[0x80, 0x80], "t"),
            Err(DecodeError::Truncated { what: "t" })
        );
        assert_eq!(
            get(&[0xff; 11], "t"),
            Err(DecodeError::BadVarint { what: "t" })
        );
        // Tenth byte may only carry the top bit of a u64.
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert_eq!(get(&over, "t"), Err(DecodeError::BadVarint { what: "t" }));
    }
}
