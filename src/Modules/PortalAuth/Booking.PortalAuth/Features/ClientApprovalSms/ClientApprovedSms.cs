using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Sms;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.PortalAuth.Features.ClientApprovalSms;

/// <summary>
/// Staff approved a client (review J17): one with no email but a mobile hears it by SMS, since Notifications' email
/// cannot reach them; one with an email gets only the email. Once per event (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class ClientApprovedSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<ClientApproved>
{
    public async ValueTask Handle(ClientApproved evt, CancellationToken cancellationToken) =>
        await sms.SendOnceAsync(
            evt.EventId,
            nameof(ClientApprovedSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.ClientApproved),
            async (business, links, ct) =>
            {
                var settings = await sender.Send(new GetPortalSettings(), ct);
                return Text(business.Name, settings.AccessInEffect.Book ? links.Book : null);
            },
            cancellationToken);

    /// <summary>
    /// Worded as Notifications' approval email (ClientTexts.ClientApproved), in one text; the booking link only while
    /// clients may book online (<paramref name="bookUrl"/> null otherwise).
    /// </summary>
    public static string Text(string businessName, string? bookUrl) =>
        $"{businessName} approved you as a client: your bookings are now confirmed straight away, no request to wait on." + (bookUrl is null ? "" : $" Book: {bookUrl}");
}
