using System.Globalization;
using System.Text;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.BuildingBlocks.Time;
using Booking.Tenancy.Contracts;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>What the portal layout needs about the business: name, look, zone, whether someone is signed in.</summary>
/// <param name="Pets">"My pets" in the menu: a signed-in client of a business that books for pets, with the portal open to them.</param>
/// <param name="Details">"Your details" in the menu: a signed-in client with the portal open to them.</param>
/// <param name="Contact">How to reach the business: in the footer and wherever a page says to contact it (`Shared/_BusinessContact`).</param>
/// <param name="Address">The business's postal address, lines separated by "\n" (decision 274), null for none: shown with the contact (decision 277).</param>
public sealed record PortalChrome(string Name, string Slug, string Colour, string TextColour, string? LogoUrl, string TimeZone, bool SignedIn, PortalAccessLevels Access, bool PasswordSignIn, bool Pets = false, bool Details = false, BusinessContactView? Contact = null, string? Address = null)
{
    public const string Key = "Portal.Chrome";

    /// <summary>
    /// Set in the request's items once a page has shown the business's contact (<c>Shared/_BusinessContact</c>): a page
    /// shows it once, where it first tells the client to contact the business, else in the footer.
    /// </summary>
    public const string ContactShownKey = "Portal.ContactShown";

    /// <summary>
    /// Set in the request's items by a page that gave the address itself (the Booked page's "Where", decision 292): the
    /// contact block then leaves the address out, so the page does not say it twice.
    /// </summary>
    public const string AddressShownKey = "Portal.AddressShown";

    /// <summary>The page says, once, that a mobile given at registration is verified from Your details (<see cref="VerifyMobileNotice"/>).</summary>
    public bool VerifyMobileNotice { get; init; }

    public string Url(string path, params (string Key, string? Value)[] query) => PortalLinks.Url(path, Slug, query);

    /// <summary>There is something to show in <c>Shared/_BusinessContact</c>: a phone, an email or an address.</summary>
    public bool HasContact => Contact is { IsEmpty: false } || AddressLines.Count > 0;

    /// <summary>The address's lines, each shown on its own line (none when there is no address).</summary>
    public IReadOnlyList<string> AddressLines => PortalAddress.Lines(Address);

    /// <summary>The address's lines for the contact block of this request: none once the page gave the address itself (<see cref="AddressShownKey"/>).</summary>
    public IReadOnlyList<string> ContactAddressLines(IDictionary<object, object?> items) => items.ContainsKey(AddressShownKey) ? [] : AddressLines;

    /// <summary><see cref="HasContact"/> for this request: a phone or an email, or an address the page has not given already.</summary>
    public bool HasContactFor(IDictionary<object, object?> items) => Contact is { IsEmpty: false } || ContactAddressLines(items).Count > 0;

    /// <param name="hasPassword">The signed-in client has a password (the "Password" link; phone-only clients have none).</param>
    /// <param name="awaitingFirstRequest">A new client who has not filed their first booking request: only Book (and Sign out) work for them.</param>
    public static PortalChrome For(TenantInfo business, PortalSettingsView settings, bool signedIn, bool hasPassword = false, bool awaitingFirstRequest = false)
    {
        var colour = BrandColours.Safe(settings.Branding.Colour);
        // A portal switched off refuses every page the menu would link to; only signing out still works.
        var open = settings.Enabled;
        var access = !open ? new PortalAccessLevels(false, false, false)
            : awaitingFirstRequest ? new PortalAccessLevels(false, settings.AccessLevels.Book, false)
            : settings.AccessLevels;
        return new PortalChrome(business.Name, business.Slug, colour, BrandColours.TextOn(colour), settings.Branding.LogoUrl("", business.Slug),
            business.TimeZone, signedIn, access, open && settings.SignInMethods.Email && signedIn && hasPassword && !awaitingFirstRequest,
            Pets: open && signedIn && settings.BooksForPets && !awaitingFirstRequest,
            Details: open && signedIn && !awaitingFirstRequest,
            Contact: settings.Contact,
            Address: business.Address);
    }
}

/// <summary>The business's postal address as the portal shows it: one line of the page per stored line (decision 277).</summary>
public static class PortalAddress
{
    public static IReadOnlyList<string> Lines(string? address) =>
        string.IsNullOrWhiteSpace(address) ? [] : address.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The lines as one line, ", " between ("Level 2, 1 Harbour St, Sydney NSW 2000"; a line's own trailing comma is not
    /// doubled): what a map app's search box or a sat-nav takes when copied (decision 292).
    /// </summary>
    public static string OneLine(IReadOnlyList<string> lines) =>
        string.Join(", ", lines.Select(l => l.TrimEnd(',', ' ')).Where(l => l.Length > 0));
}

/// <summary>Portal links always carry ?name=, so every page knows its business.</summary>
public static class PortalLinks
{
    public static string Url(string path, string slug, params (string Key, string? Value)[] query)
    {
        var url = new StringBuilder(path).Append("?name=").Append(Uri.EscapeDataString(slug));
        foreach (var (key, value) in query)
        {
            if (!string.IsNullOrEmpty(value))
            {
                url.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return url.ToString();
    }
}

/// <summary>A friendly page instead of the portal: unknown business, portal off, an access level off, and so on.</summary>
public sealed record PortalGateView(int Status, string Title, string Message)
{
    /// <summary>Where to go instead, as a button above the way back (a sign-in method that is off: the one that is on).</summary>
    public (string Url, string Text)? Instead { get; init; }

    /// <summary>
    /// The sentence sending the client to the business ("Please contact the business directly."), said after
    /// <see cref="Message"/> only when the business gave a phone, email or address to show under it (s42 review #6):
    /// without one the page does not send the client looking for what is not there, and says <see cref="NoContact"/>.
    /// </summary>
    public string? ContactAsk { get; init; }

    /// <summary>Said instead of <see cref="ContactAsk"/> when the business gave no contact; nothing when null.</summary>
    public string? NoContact { get; init; }

    public static PortalGateView UnknownBusiness() =>
        new(404, "Business not found", "We could not find a business with that name. Check the link the business gave you.");

    public static PortalGateView Malformed(string message) =>
        new(400, "This booking link is not valid", message + " Check the link the business gave you.");

    public static PortalGateView Missing() =>
        new(400, "This booking link is incomplete", "The link should end with ?name= and the business's name. Check the link the business gave you.");

    public static PortalGateView PortalOff(string business) =>
        new(403, "Online booking is not available", $"{business} is not taking bookings online at the moment.")
        {
            ContactAsk = NotTakingBookingsWords.ContactDirectly,
            NoContact = NotTakingBookingsWords.NoContact(business),
        };

    public static PortalGateView AccessOff(string business, string what) =>
        new(403, "Not available online", $"{business} does not let clients {what} online.")
        {
            ContactAsk = NotTakingBookingsWords.ContactDirectly,
        };

    /// <summary>
    /// A page of a sign-in method the business has switched off. With the other method on and nobody signed in, it says
    /// how to sign in instead (<see cref="PortalSignInHelp"/>, which says the method is off itself: once) and links there;
    /// otherwise it says only that it is off.
    /// </summary>
    public static PortalGateView MethodOff(string business, string method, string? instead = null, (string Url, string Text)? link = null) =>
        new(403, "This sign-in is not offered", instead ?? $"{business} does not offer sign-in by {method} at the moment.")
        {
            Instead = link,
        };

    /// <summary>A session ended because the business switched its sign-in method off (decision 250).</summary>
    public static PortalGateView SignedOut(string message, (string Url, string Text)? instead = null, string? contactAsk = null) =>
        new(200, "You have been signed out", message)
        {
            Instead = instead,
            ContactAsk = contactAsk,
        };

    public static PortalGateView NotAcceptingNewClients(string business) =>
        new(403, "Not taking new clients", $"{business} is not taking new clients online at the moment. If you are already a client, sign in.")
        {
            ContactAsk = "Otherwise, please contact the business directly.",
        };
}

/// <summary>
/// Times as the business's clock shows them: its zone, and its 12- or 24-hour clock (<see cref="TimeFormat"/>, the
/// business's setting or its country's); dates in its country's order (<see cref="DateStyle"/>: "Friday 4 December
/// 2026" or "Friday, December 4, 2026"). On a day the clocks change each time names its zone, by the staff diary's
/// rule (<see cref="ZoneAbbreviation.OnChangeDay"/>, decisions 78 and 86): on New York's fall-back night the two 1:30s are
/// "1:30 AM EDT" and "1:30 AM EST", two slots a client could not tell apart as bare times. Other days stay bare.
/// </summary>
public sealed class PortalTime(DateTimeZone zone, TimeFormat format, DateStyle dates)
{
    public DateTimeZone Zone => zone;

    public TimeFormat Format => format;

    public DateStyle Dates => dates;

    /// <summary>The business's zone; an id tzdb does not know reads as UTC, as on the booking page and in the staff diary.</summary>
    public static PortalTime For(string timeZone, TimeFormat format, DateStyle dates) =>
        new(DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc, format, dates);

    /// <summary>"Friday 4 December 2026" or "Friday, December 4, 2026": the business's date of an instant.</summary>
    public string Day(DateTimeOffset t) => dates.Long(Instant.FromDateTimeOffset(t).InZone(zone).Date);

    /// <summary>"1:30 PM" or "13:30"; "1:30 AM EST" on a day the clocks change.</summary>
    public string Clock(DateTimeOffset t)
    {
        var zoned = Instant.FromDateTimeOffset(t).InZone(zone);
        var text = format.Time(zoned);
        return ZoneAbbreviation.OnChangeDay(zoned) is { } name ? $"{text} {name}" : text;
    }

    public string When(DateTimeOffset start) => $"{Day(start)} at {Clock(start)}";

    /// <summary>"Friday 4 December 2026, 9:00–10:00 AM" ("Friday, December 4, 2026, 11:30 AM–12:15 PM" month first), as
    /// the emails write it (<see cref="TimeFormat.Span"/>); an appointment past midnight names its end's day too.</summary>
    public string Span(DateTimeOffset start, DateTimeOffset end) =>
        format.Span(Instant.FromDateTimeOffset(start).InZone(zone), Instant.FromDateTimeOffset(end).InZone(zone), dates);

    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Status(string status) => status switch
    {
        "requested" => "Requested — waiting for the business to confirm",
        "confirmed" => "Confirmed",
        "cancellation-requested" => "Cancellation requested — waiting for the business to decide",
        "cancelled" => "Cancelled",
        "completed" => "Completed",
        "no-show" => "Missed",
        _ => status,
    };
}
