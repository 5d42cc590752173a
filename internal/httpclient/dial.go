package httpclient

import (
	"context"
	"fmt"
	"net/netip"
	"syscall"
)

// BlockedAddressError reports a connection refused because the address it
// would reach is in a blocked range (Options.BlockPrivateNetworks).
type BlockedAddressError struct {
	Addr netip.Addr // the resolved address that was refused
}

func (e *BlockedAddressError) Error() string {
	return fmt.Sprintf("address %s is in a blocked (private or reserved) network", e.Addr)
}

// reservedPrefixes are the ranges refused besides those netip.Addr already
// classifies (loopback, private, link-local, multicast, unspecified).
var reservedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),           // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),       // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),        // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),        // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),       // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),     // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),      // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),         // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),      // local-use NAT64
	netip.MustParsePrefix("100::/64"),            // discard-only
	netip.MustParsePrefix("2001:db8::/32"),       // documentation
	netip.MustParsePrefix("fec0::/10"),           // deprecated site-local
	netip.MustParsePrefix("2002:a00::/24"),       // 6to4 of 10.0.0.0/8
	netip.MustParsePrefix("2002:7f00::/24"),      // 6to4 of 127.0.0.0/8
	netip.MustParsePrefix("2002:a9fe::/32"),      // 6to4 of 169.254.0.0/16
	netip.MustParsePrefix("2002:ac10::/28"),      // 6to4 of 172.16.0.0/12
	netip.MustParsePrefix("2002:c0a8::/32"),      // 6to4 of 192.168.0.0/16
	netip.MustParsePrefix("::ffff:0:0:0/96"),     // IPv4-translated
	netip.MustParsePrefix("64:ff9b::a00:0/104"),  // NAT64 of 10.0.0.0/8
	netip.MustParsePrefix("64:ff9b::7f00:0/104"), // NAT64 of 127.0.0.0/8
}

// isBlocked reports whether a connection to addr must be refused when
// private networks are blocked.
func isBlocked(addr netip.Addr) bool {
	addr = addr.Unmap().WithZone("")
	if !addr.IsValid() ||
		addr.IsLoopback() ||
		addr.IsPrivate() ||
		addr.IsLinkLocalUnicast() ||
		addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() ||
		addr.IsMulticast() ||
		addr.IsUnspecified() {
		return true
	}
	for _, p := range reservedPrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// refuseBlockedAddress is a net.Dialer ControlContext: it runs for every
// connection attempt, after name resolution, with the IP about to be dialled.
func refuseBlockedAddress(_ context.Context, _, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("unexpected dial address %q: %w", address, err)
	}
	if isBlocked(ap.Addr()) {
		return &BlockedAddressError{Addr: ap.Addr().Unmap()}
	}
	return nil
}
