//! Client addresses as rate limits see them: one bucket per network a client controls, not
//! per address, so that one IPv6 /64 (which any customer line or cloud host hands out whole)
//! is one client, as is one IPv4 address.

use std::net::IpAddr;

/// The rate-limit block of `ip`: the address itself for IPv4 (a /32), its first 64 bits for
/// IPv6 (written `2001:db8:1:2::/64`). An IPv4-mapped IPv6 address counts as its IPv4 address.
/// Text that is no address (`local` in tests without the header) is its own block.
pub fn address_block(ip: &str) -> String {
    match ip.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => ip.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_of_one_ipv6_64_is_one_block() {
        let a = address_block("2001:db8:1:2::1");
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(address_block("2001:0db8:0001:0002:ffff:1:2:3"), a);
        assert_eq!(address_block("2001:db8:1:2:abcd::9"), a);
        assert_ne!(
            address_block("2001:db8:1:3::1"),
            a,
            "the next /64 is another block"
        );
    }

    #[test]
    fn ipv4_is_per_address_and_mapped_forms_agree() {
        assert_eq!(address_block("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_block("::ffff:203.0.113.7"), "203.0.113.7");
        assert_ne!(address_block("203.0.113.8"), "203.0.113.7");
        assert_eq!(address_block("local"), "local");
    }
}
