using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Data;
using Booking.Tenancy.Contracts;

namespace Booking.Tenancy.Domain;

/// <summary>
/// The business's client-portal settings; one row per tenant, written on the first change (until then the
/// defaults below apply). Terms are versioned: each change of their text takes the next version number.
/// </summary>
public sealed partial class PortalSettings : ITenantOwned
{
    public const string Refuse = "refuse";
    public const string Request = "request";
    public const string DefaultColour = "#2f6f8f";
    public const string DefaultPolicyText = "Please give us at least 24 hours' notice if you need to cancel.";

    /// <summary>
    /// Our own starting sentence, for a number of hours: a business that changes the hours and keeps our wording gets the
    /// wording for its hours, not "24 hours" beside a 12-hour window (review s32 #9). Its own words are never touched.
    /// </summary>
    public static string PolicyTextFollowingHours(string text, int hours)
    {
        return hours > 0 && OurPolicyText().IsMatch(text)
            ? $"Please give us at least {hours} {(hours == 1 ? "hour's" : "hours'")} notice if you need to cancel."
            : text;
    }

    /// <summary>Our starting sentence, for any number of hours (<see cref="PolicyTextFollowingHours"/>).</summary>
    [GeneratedRegex(@"\APlease give us at least \d+ hours?' notice if you need to cancel\.\z")]
    private static partial Regex OurPolicyText();

    public Guid TenantId { get; set; }

    public bool Enabled { get; set; } = true;

    public bool SignInWithEmail { get; set; } = true;

    public bool SignInWithPhone { get; set; } = true;

    public bool CanView { get; set; } = true;

    public bool CanBook { get; set; } = true;

    public bool CanCancel { get; set; } = true;

    public int CancellationHours { get; set; } = 24;

    public string CancellationText { get; set; } = DefaultPolicyText;

    public string InsideWindow { get; set; } = Refuse;

    public bool AcceptingNewClients { get; set; } = true;

    public bool NewClientsNeedApproval { get; set; }

    public bool ShowPrices { get; set; } = true;

    public bool BooksForPets { get; set; }

    public string BookingInstructions { get; set; } = "";

    /// <summary>Null: no terms to accept.</summary>
    public string? TermsText { get; set; }

    /// <summary>The version of the current text; never reused, also across removing and re-adding terms.</summary>
    public int TermsVersion { get; set; }

    public string BrandingColour { get; set; } = DefaultColour;

    public bool HasLogo { get; set; }

    /// <summary>The current logo's ETag, put in its URL so a new logo shows at once; null with no logo.</summary>
    public string? LogoVersion { get; set; }

    /// <summary>The business's phone for clients, E.164; null for none.</summary>
    public string? ContactPhone { get; set; }

    /// <summary>The business's email for clients (also the Reply-To of client emails); null for none.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>
    /// The clock times of day are shown in, "12h" or "24h" (BuildingBlocks <see cref="Booking.BuildingBlocks.Time.TimeFormat"/>);
    /// null: the business's country's usual clock.
    /// </summary>
    public string? TimeFormat { get; set; }

    /// <summary>The most upcoming appointments one client may hold through the portal (<see cref="PortalBookingLimits"/>).</summary>
    public int MaxUpcomingBookingsPerClient { get; set; } = PortalBookingLimits.DefaultUpcoming;

    /// <summary>
    /// The countries (ISO 3166-1 alpha-2, upper case) whose mobiles the portal texts one-time codes to (BuildingBlocks
    /// <see cref="Booking.BuildingBlocks.Phones.SmsCountries"/>), 1–20. A row is made with the business's own country
    /// (<see cref="NewFor"/>); empty reads as that too.
    /// </summary>
    public List<string> SmsCountries { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A business's first settings row: the defaults, texting codes to its own country only.</summary>
    public static PortalSettings NewFor(Guid tenantId, string country) => new() { TenantId = tenantId, SmsCountries = [country.ToUpperInvariant()] };

    /// <param name="region">The business's country (ISO 3166-1), for showing the phone as its people write it.</param>
    public PortalSettingsView ToView(string region) => new(
        Enabled,
        new PortalSignInMethods(SignInWithEmail, SignInWithPhone),
        new PortalAccessLevels(CanView, CanBook, CanCancel),
        new CancellationPolicyView(CancellationHours, CancellationText, InsideWindow),
        AcceptingNewClients,
        NewClientsNeedApproval,
        ShowPrices,
        BooksForPets,
        BookingInstructions,
        TermsText is null ? null : new TermsView(TermsVersion, TermsText),
        new BrandingView(BrandingColour, HasLogo, LogoVersion),
        new BusinessContactView(ContactPhone, BusinessPhone.Display(ContactPhone, region), ContactEmail),
        Booking.BuildingBlocks.Time.TimeFormat.FromCode(TimeFormat)?.Code,
        Booking.BuildingBlocks.Time.TimeFormat.ForCountry(region).Code,
        MaxUpcomingBookingsPerClient)
    {
        SmsCountries = this.SmsCountries.Count > 0 ? [.. this.SmsCountries] : string.IsNullOrEmpty(region) ? [] : [region.ToUpperInvariant()],
    };
}

/// <summary>Every text of the terms the business has published, so an accepted version can be shown later.</summary>
public sealed class TermsVersion : ITenantOwned
{
    public Guid TenantId { get; set; }

    public int Version { get; set; }

    public string Text { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
