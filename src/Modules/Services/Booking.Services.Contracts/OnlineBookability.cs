using Mediator;

namespace Booking.Services.Contracts;

/// <summary>
/// Whether a client can find a free time to book online now, whatever the portal settings say: "Ready to take bookings?"'s
/// first three checks (Services' <c>GetBookingReadiness</c>, one rule), kept per business for
/// <see cref="OnlineBookability.Lifetime"/> and dropped at once when the business's services or roster change. For the
/// portal's pages and <c>GET /api/v1/portal/business</c>, which ask it on every request.
/// </summary>
public sealed record GetOnlineBookability : IQuery<OnlineBookability>;

/// <summary><see cref="Reason"/>: null when bookable, else one of <see cref="NotBookableReasons"/>.</summary>
public sealed record OnlineBookability(bool Bookable, string? Reason)
{
    /// <summary>
    /// How stale the answer may get from what is not reference data: appointments booked or cancelled, and time passing
    /// into the minimum notice. A change of services, roster or rules drops it at once.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
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
