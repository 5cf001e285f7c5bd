using Mediator;

namespace Booking.Services.Contracts;

/// <summary>
/// Whether a client can find a free time to book online now, whatever the portal settings say: "Ready to take bookings?"'s
/// first three checks (Services' <c>GetBookingReadiness</c>, one rule), kept per business for at most
/// <see cref="OnlineBookability.Lifetime"/>. Dropped at once on every instance when the business's services or roster
/// change and when Appointments frees time (an appointment cancelled, a request declined, a busy block removed); a
/// "bookable" answer is dropped on the instance that takes the very free time it rests on. For the portal's pages and
/// <c>GET /api/v1/portal/business</c>, which ask it on every request.
/// </summary>
public sealed record GetOnlineBookability : IQuery<OnlineBookability>;

/// <summary><see cref="Reason"/>: null when bookable, else one of <see cref="NotBookableReasons"/>.</summary>
public sealed record OnlineBookability(bool Bookable, string? Reason)
{
    /// <summary>
    /// The backstop: how stale the answer may get from what no change drops it for, such as time passing into the
    /// minimum notice, a booking on another instance taking the last free time (harmless: that booking is refused with
    /// the reason), or a notification lost. A change of services, roster or rules, and time freed, drop it at once.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Nothing can be booked now, but online booking has been open before, so the portal says "closed for now" rather
    /// than "not open yet". Known from what is already there, no field of its own: clients have booked online here (an
    /// appointment made through the portal, in any status), or a diary that provides a service bookable online has been
    /// switched off, or (fully booked) online times are offered. False when bookable.
    /// </summary>
    public bool OpenedBefore { get; init; }
}

/// <summary>Why nothing can be booked online (the API's strings, with the portal settings' own two).</summary>
public static class NotBookableReasons
{
    /// <summary>No service with an active diary offering it online and online hours that fit it within the horizon.</summary>
    public const string NothingBookable = "nothing-bookable";

    /// <summary>Online times are offered within the horizon, but every one is taken.</summary>
    public const string FullyBooked = "fully-booked";

    /// <summary>The business switched its Client Portal off.</summary>
    public const string PortalDisabled = "portal-disabled";

    /// <summary>The business switched the "book" access level off.</summary>
    public const string AccessLevelOff = "access-level-off";
}
