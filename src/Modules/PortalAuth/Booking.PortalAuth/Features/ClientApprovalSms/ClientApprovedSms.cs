using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Sms;
using Mediator;

namespace Booking.PortalAuth.Features.ClientApprovalSms;

/// <summary>
/// Staff approved a client (review J17): one with no email but a mobile hears it by SMS, since Notifications' email
/// cannot reach them; one with an email gets only the email. Once per event (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class ClientApprovedSmsHandler(PhoneOnlyClientSms sms) : INotificationHandler<ClientApproved>
{
    public async ValueTask Handle(ClientApproved evt, CancellationToken cancellationToken) =>
        await sms.SendOnceAsync(
            evt.EventId,
            nameof(ClientApprovedSmsHandler),
            evt.ClientId,
            (business, portalUrl, _) => ValueTask.FromResult(Text(business.Name, portalUrl)),
            cancellationToken);

    /// <summary>Worded as Notifications' approval email (ClientTexts.ClientApproved), in one text.</summary>
    public static string Text(string businessName, string portalUrl) =>
        $"{businessName} approved you as a client: your bookings are now confirmed straight away, no request to wait on. Book: {portalUrl}";
}
