using Mediator;

namespace Booking.Tenancy.Contracts;

/// <summary>The current business's client-portal settings (Setup → Client Portal).</summary>
public sealed record GetPortalSettings : IQuery<PortalSettingsView>;

/// <summary>
/// TimeFormat: the business's clock for times of day shown to people, "12h" or "24h"; null for its country's usual
/// clock, which DefaultTimeFormat names (CLDR, BuildingBlocks <c>TimeFormat.ForCountry</c>).
/// MaxUpcomingBookingsPerClient: the most upcoming appointments one client may hold when booking at the portal
/// (<see cref="PortalBookingLimits"/>).
/// </summary>
public sealed record PortalSettingsView(
    bool Enabled,
    PortalSignInMethods SignInMethods,
    PortalAccessLevels AccessLevels,
    CancellationPolicyView CancellationPolicy,
    bool AcceptingNewClients,
    bool NewClientsNeedApproval,
    bool ShowPrices,
    bool BooksForPets,
    string BookingInstructions,
    TermsView? Terms,
    BrandingView Branding,
    BusinessContactView Contact,
    string? TimeFormat,
    string DefaultTimeFormat,
    int MaxUpcomingBookingsPerClient = PortalBookingLimits.DefaultUpcoming)
{
    /// <summary>The clock the business's times are shown in: its own choice, else its country's ("12h" or "24h").</summary>
    /// <summary>
    /// The countries (ISO 3166-1 alpha-2) whose mobiles the portal texts one-time codes to; a mobile of any other is
    /// refused before a text goes (against SMS pumping). Until staff choose, the business's own country.
    /// </summary>
    public IReadOnlyList<string> SmsCountries { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public string TimeFormatInEffect => TimeFormat ?? DefaultTimeFormat;

    /// <summary>What clients may do at the portal now: the access levels while the portal is on, every level off while it is off.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PortalAccessLevels AccessInEffect => Enabled ? AccessLevels : new(false, false, false);

    /// <summary>
    /// In the answer of a save only (left out of reads): how many clients cannot sign in under the settings just saved
    /// because phone sign-in is off: clients with a mobile but no email, who can sign in only by phone. 0 while phone
    /// sign-in is on. The save is never refused for it: an API client decides what to tell them.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? PhoneOnlyClientsLockedOut { get; init; }

    /// <summary>
    /// In the answer of a save only (left out of reads): how many clients cannot sign in under the settings just saved
    /// because email sign-in is off: clients with an email but no proven mobile, who can sign in only with their email
    /// and password. 0 while email sign-in is on. Never refused for, as <see cref="PhoneOnlyClientsLockedOut"/>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? EmailOnlyClientsLockedOut { get; init; }
}

public sealed record PortalSignInMethods(bool Email, bool Phone);

public sealed record PortalAccessLevels(bool View, bool Book, bool Cancel);

/// <summary>InsideWindow: "refuse" or "request".</summary>
public sealed record CancellationPolicyView(int Hours, string Text, string InsideWindow)
{
    /// <summary>Inside the window at <paramref name="at"/>: less than <see cref="Hours"/> before <paramref name="start"/> (the API's canCancel rule).</summary>
    public bool IsInside(DateTimeOffset start, DateTimeOffset at) => start - at < TimeSpan.FromHours(Hours);

    /// <summary>Inside the window the business takes cancellation requests (else it refuses). Not on the wire: API.md's fields are the record's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool TakesRequests => string.Equals(InsideWindow, "request", StringComparison.Ordinal);

    /// <summary>
    /// The window an appointment keeps (decision 270), as its event carries it, with this policy's text; this policy when
    /// the event carries none (older events, rows without kept terms). Equal to this policy when the window is the same.
    /// </summary>
    public CancellationPolicyView Kept(int? hours, string? insideWindow) =>
        hours is { } h && insideWindow is { } inside ? this with { Hours = h, InsideWindow = inside } : this;
}

public sealed record TermsView(int Version, string Text);

/// <summary>Colour as #rrggbb; HasLogo when a logo is uploaded, LogoVersion its ETag (null with no logo).</summary>
public sealed record BrandingView(string Colour, bool HasLogo, string? LogoVersion = null)
{
    /// <summary>
    /// The logo's address under <paramref name="origin"/> (empty for a relative one): with its version, which the
    /// server lets browsers keep for good, so a new logo (a new version) shows at once. Null without a logo.
    /// </summary>
    public string? LogoUrl(string origin, string slug) =>
        !HasLogo ? null
        : $"{origin}/branding/logo?name={Uri.EscapeDataString(slug)}" + (LogoVersion is null ? "" : $"&v={Uri.EscapeDataString(LogoVersion)}");
}

/// <summary>
/// How clients reach the business, each part optional: Phone in E.164 (null for none), PhoneDisplay the way people of the
/// business's country write it (national format; international for a number of another country), Email a plain address.
/// </summary>
public sealed record BusinessContactView(string? Phone, string? PhoneDisplay, string? Email)
{
    public static readonly BusinessContactView None = new(null, null, null);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Phone is null && Email is null;
}

/// <summary>
/// How much of a business's time one client may hold through the portal. Upcoming: the client's requested and confirmed
/// appointments that start after now, whoever booked them; a portal booking that would go past the business's setting
/// (default 10, 1–100) is refused. Staff bookings are never refused by it. A client the business has not approved yet
/// (their bookings are requests) may besides have at most <see cref="WaitingRequests"/> requests waiting, or one per pet on
/// file where the business books for pets and they have more, up to <see cref="WaitingRequestsForPets"/> (Appointments'
/// <c>WaitingLimit</c>; decision 310).
/// </summary>
public static class PortalBookingLimits
{
    public const int DefaultUpcoming = 10;
    public const int MinUpcoming = 1;
    public const int MaxUpcoming = 100;
    public const int WaitingRequests = 2;

    /// <summary>
    /// The most requests one not-yet-approved pet household may have waiting: pets are the client's own to add (up to 50),
    /// so without a cap adding junk pets would lift decision 181's guard against a stranger's flood of request emails.
    /// </summary>
    public const int WaitingRequestsForPets = 4;
}
