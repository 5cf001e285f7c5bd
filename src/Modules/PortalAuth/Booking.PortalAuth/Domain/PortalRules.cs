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

/// <summary>Until Tenancy answers GetPortalSettings: email and phone on, new clients welcome, no approval, no pets.</summary>
public sealed class DefaultPortalRules : IPortalRules
{
    public ValueTask<PortalRules> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PortalRules.Default);
}
