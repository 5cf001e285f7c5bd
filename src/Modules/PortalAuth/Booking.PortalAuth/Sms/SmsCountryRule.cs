using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Domain;

namespace Booking.PortalAuth.Sms;

/// <summary>Whether a text may go to a number, and the business's countries (to name them when it may not).</summary>
public sealed record SmsCountryVerdict(bool Allowed, IReadOnlyList<string> Countries)
{
    /// <summary>The countries in words: "United Kingdom and Ireland".</summary>
    public string CountryNames => SmsCountries.Names(Countries);
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
}
