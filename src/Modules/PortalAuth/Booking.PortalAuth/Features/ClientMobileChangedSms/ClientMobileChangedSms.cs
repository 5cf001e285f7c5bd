using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Sms;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.PortalAuth.Features.ClientMobileChangedSms;

/// <summary>
/// Staff changed or removed a client's mobile: the old number hears it by SMS, once per event
/// (<see cref="PhoneOnlyClientSms.SendOnceToAsync"/>), whether or not the client has an email (Notifications emails
/// that too). Only a number proven the client's (<see cref="ClientMobileChanged.OldMobileProven"/>): a claim typed at
/// registration may be a stranger's, who should not hear of the client's account. The client's own replacement of their
/// mobile (<see cref="ClientMobileChanged.ByClient"/>, decision 348) is texted the same way, in its own words.
/// </summary>
public sealed class ClientMobileChangedSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<ClientMobileChanged>
{
    public async ValueTask Handle(ClientMobileChanged evt, CancellationToken cancellationToken)
    {
        if (!evt.OldMobileProven)
        {
            return;
        }

        await sms.SendOnceToAsync(
            evt.EventId,
            nameof(ClientMobileChangedSmsHandler),
            evt.OldMobile,
            new TextAbout(TextKinds.MobileChanged, ClientId: evt.ClientId),
            async (business, _, ct) =>
            {
                var contact = (await sender.Send(new GetPortalSettings(), ct)).Contact;
                return evt.ByClient ? ByClientText(business.Name, evt.NewMobileEnding!, contact) : Text(business.Name, evt.NewMobileEnding, contact);
            },
            cancellationToken);
    }

    /// <summary>
    /// Worded as Notifications' "mobile changed" email (ClientTexts.MobileChanged and MobileRemoved), in one text: the
    /// new number by its last three digits only, and the business's phone and email as its settings give them.
    /// </summary>
    public static string Text(string businessName, string? newMobileEnding, BusinessContactView contact)
    {
        var what = newMobileEnding is null
            ? $"{businessName} removed this mobile number from your client account"
            : $"{businessName} changed the mobile number on your client account from this one to a number ending in {newMobileEnding}";
        var reach = NoticeContact.Reach(contact);
        return $"{what}, and signed you out. If you didn't ask for this, contact {businessName}" + (reach.Length == 0 ? "." : $": {reach}.");
    }

    /// <summary>
    /// The client replaced this number themselves (Your details, the new one proven by a code): worded as Notifications'
    /// <c>ClientTexts.MobileChangedByClient</c>, not as the business's change, in case the session was not the owner's.
    /// </summary>
    public static string ByClientText(string businessName, string newMobileEnding, BusinessContactView contact)
    {
        var reach = NoticeContact.Reach(contact);
        return $"The mobile number on your client account with {businessName} was changed from this one to a number ending in {newMobileEnding}, "
            + $"from your signed-in account. This number no longer signs you in. If this wasn't you, contact {businessName}" + (reach.Length == 0 ? "." : $": {reach}.");
    }
}
