using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.PortalAuth.Domain;

/// <summary>What sign-in needs from the business's portal settings (owned by Tenancy).</summary>
/// <param name="SmsCountries">The countries whose mobiles one-time codes are texted to; null: the business's own country.</param>
/// <param name="ClientsMayBook">The access level "make new bookings" (<see cref="TakesNewClients"/>, the first-request rule).</param>
public sealed record PortalRules(bool EmailSignIn, bool PhoneSignIn, bool AcceptingNewClients, bool NewClientsNeedApproval, bool BooksForPets,
    IReadOnlyList<string>? SmsCountries = null, bool ClientsMayBook = true)
{
    public static readonly PortalRules Default = new(EmailSignIn: true, PhoneSignIn: true, AcceptingNewClients: true, NewClientsNeedApproval: false, BooksForPets: false);

    /// <summary>
    /// Whether a newcomer may join online (email registration, the phone new-client flow): the business accepts new
    /// clients and lets clients book online (decision 250). With booking off a newcomer could neither file the booking
    /// request the phone flow ends in nor find anything to see or cancel, so they are not taken, and told so plainly.
    /// </summary>
    public bool TakesNewClients => AcceptingNewClients && ClientsMayBook;

    public string NewClientStatus => NewClientsNeedApproval ? ClientStatus.PendingApproval : ClientStatus.Active;

    /// <summary>The countries codes are texted to: the business's list, else <paramref name="businessCountry"/> alone.</summary>
    public IReadOnlyList<string> SmsCountriesOr(string businessCountry) => SmsCountries is { Count: > 0 } list ? list : [businessCountry];
}

/// <summary>Reads the current business's portal rules; the one seam to Tenancy's settings.</summary>
public interface IPortalRules
{
    ValueTask<PortalRules> GetAsync(CancellationToken cancellationToken);
}

/// <summary>The business's Setup → Client Portal settings, through Tenancy's GetPortalSettings contract.</summary>
public sealed class SettingsPortalRules(ISender sender) : IPortalRules
{
    public async ValueTask<PortalRules> GetAsync(CancellationToken cancellationToken)
    {
        var s = await sender.Send(new GetPortalSettings(), cancellationToken);
        return new PortalRules(s.SignInMethods.Email, s.SignInMethods.Phone, s.AcceptingNewClients, s.NewClientsNeedApproval, s.BooksForPets, s.SmsCountries, s.AccessLevels.Book);
    }
}
