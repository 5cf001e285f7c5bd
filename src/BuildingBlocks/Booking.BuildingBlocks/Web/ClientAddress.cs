using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

public static class ClientAddress
{
    /// <summary>
    /// The address sign-in limits count against (codes and reset requests per IP): the connection's, which the
    /// forwarded-headers middleware has already set from a trusted proxy (decision 62); "unknown" where there is none.
    /// An IPv6 client counts as its /64 (one subscriber's network: anyone holding one has all 2^64 addresses in it, so
    /// counting single addresses would let them rotate past every per-IP cap); an IPv4 client as its address.
    /// </summary>
    public static string ClientIp(this HttpContext http) => LimitKey(http.Connection.RemoteIpAddress);

    /// <summary>The key a per-IP limit counts <paramref name="address"/> under: IPv4 as is, IPv6 as its /64 ("2001:db8:1:2::/64").</summary>
    public static string LimitKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
