using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.PortalAuth.Domain;

/// <summary>What sign-in needs from the business's portal settings (owned by Tenancy).</summary>
public sealed record PortalRules(bool EmailSignIn, bool PhoneSignIn, bool AcceptingNewClients, bool NewClientsNeedApproval, bool BooksForPets)
{
    public static readonly PortalRules Default = new(EmailSignIn: true, PhoneSignIn: true, AcceptingNewClients: true, NewClientsNeedApproval: false, BooksForPets: false);

    public string NewClientStatus => NewClientsNeedApproval ? ClientStatus.PendingApproval : ClientStatus.Active;
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
        return new PortalRules(s.SignInMethods.Email, s.SignInMethods.Phone, s.AcceptingNewClients, s.NewClientsNeedApproval, s.BooksForPets);
    }
}
