using Booking.BuildingBlocks.Data;

namespace Booking.PortalAuth.Domain;

/// <summary>
/// A failed password sign-in (or one being checked) from one client address, counted for the cap across addresses and
/// businesses (<see cref="Booking.BuildingBlocks.Security.IPasswordSprayCap"/>, decision 272). No tenant: the cap holds
/// for every business together, so no business can see, reset or spread around it.
/// </summary>
[CrossTenant("The per-client-address cap on failed password sign-ins counts across every business and address; it names no business.")]
public sealed class IpPasswordFailure
{
    public Guid Id { get; set; }

    /// <summary><c>portal</c> or <c>staff</c> (<see cref="Booking.BuildingBlocks.Security.PasswordSprayAreas"/>).</summary>
    public string Area { get; set; } = "";

    /// <summary>The client address as the limits count it (<c>ClientAddress.ClientIp</c>: IPv4, or an IPv6 /64).</summary>
    public string Ip { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
