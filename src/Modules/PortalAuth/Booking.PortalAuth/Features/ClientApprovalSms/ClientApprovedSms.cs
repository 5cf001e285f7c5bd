using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Sms;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.ClientApprovalSms;

/// <summary>
/// Staff approved a client (review J17): one with no email but a mobile hears it by SMS, since Notifications' email
/// cannot reach them; one with an email gets only the email. Sent once per event as <c>RequestDecisionSmsHandler</c>
/// sends: the processed mark's transaction stays open while the text is sent.
/// </summary>
public sealed class ClientApprovedSmsHandler(PortalAuthDbContext db, ISmsSender sms, ITenantContext tenant, PublicOrigin origin)
    : INotificationHandler<ClientApproved>
{
    public async ValueTask Handle(ClientApproved evt, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(ClientApprovedSmsHandler), cancellationToken))
        {
            return;
        }

        var client = await db.Clients.AsNoTracking()
            .Where(c => c.Id == evt.ClientId)
            .Select(c => new { c.Email, c.Mobile })
            .FirstOrDefaultAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (client is { Mobile: { Length: > 0 } mobile } && string.IsNullOrWhiteSpace(client.Email))
        {
            var business = tenant.Current!;
            var portalUrl = $"{origin.Value.TrimEnd('/')}/ol/book?name={Uri.EscapeDataString(business.Slug)}";
            await sms.SendAsync(mobile, Text(business.Name, portalUrl), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Worded as Notifications' approval email (ClientTexts.ClientApproved), in one text.</summary>
    public static string Text(string businessName, string portalUrl) =>
        $"{businessName} approved you as a client: your bookings are now confirmed straight away, no request to wait on. Book: {portalUrl}";
}
