using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Domain;

namespace Booking.PortalAuth.Sms;

/// <summary>Whether a text may go to a number, and the business's countries (to name them when it may not).</summary>
public sealed record SmsCountryVerdict(bool Allowed, IReadOnlyList<string> Countries)
{
    /// <summary>The countries in words: "United Kingdom and Ireland".</summary>
    public string CountryNames => SmsCountries.Names(Countries);

    /// <summary>The names as a sentence writes them after "in" or "from" ("the United Kingdom").</summary>
    public string CountryNamesInSentence => SmsCountries.Names(Countries, inSentence: true);
}

/// <summary>
/// The one rule every text a business sends follows (decision 213, against SMS pumping): only to a mobile of the countries
/// the business chose (Tenancy's <c>smsCountries</c> through <see cref="IPortalRules"/>; its own country until staff
/// choose). One-time codes (<c>CodeIssuer</c>) refuse such a number on <c>mobile</c> before anything is counted; the
/// other texts (bookings, cancellations, decisions, approval, the old number's notice: <see cref="PhoneOnlyClientSms"/>)
/// are not sent, and the log says why.
/// </summary>
public sealed class SmsCountryRule(IPortalRules portal, ITenantContext tenant)
{
    public async Task<SmsCountryVerdict> CheckAsync(string e164, CancellationToken cancellationToken)
    {
        var countries = (await portal.GetAsync(cancellationToken)).SmsCountriesOr(tenant.Current!.CountryCode);
        return new SmsCountryVerdict(SmsCountries.Allows(countries, e164), countries);
    }

    /// <summary>The register page's words (the client's own number).</summary>
    public const string ForClient = "client";

    /// <summary>Staff adding a client or changing their mobile.</summary>
    public const string ForStaff = "staff";

    /// <summary>
    /// A mobile put on file (registration, staff's add or change of a client) must be one the business texts: it is the
    /// client's phone sign-in and where their texts go, and a number outside the list can be neither (decision 250).
    /// 400 <c>validation</c> on <c>mobile</c>, naming the countries (and where the number is from when it shares their
    /// calling code, as the code's refusal does), before anything is written.
    /// </summary>
    public async Task RefuseOutsideAsync(string e164, string whoTypes, CancellationToken cancellationToken)
    {
        if (await CheckAsync(e164, cancellationToken) is not { Allowed: false } verdict)
        {
            return;
        }

        var place = SmsCountries.CountryOf(e164) is { } region && !verdict.Countries.Contains(region, StringComparer.OrdinalIgnoreCase)
            ? $" (this number is registered in {SmsCountries.NameInSentence(region)})"
            : "";
        var texts = $"This business only texts mobiles in {verdict.CountryNamesInSentence}{place}";
        throw ProblemException.Invalid("mobile", whoTypes == ForStaff
            ? $"{texts}, so the client could not sign in by phone or get texts with this number. Enter a mobile from {verdict.CountryNamesInSentence} or leave it blank; to text other countries, add them under Setup → Client Portal."
            : $"{texts}, so you could not sign in or get texts with this number. Enter a mobile from {verdict.CountryNamesInSentence}, or leave it blank.");
    }
}
