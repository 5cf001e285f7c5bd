using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Sms;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.PortalAuth.Features.Merge;

/// <summary>
/// Decision 314: a merge gave a record whose holder signs in by phone an email and password sign-in they never proved
/// (<see cref="ClientsMerged.NoticeMobile"/>): their mobile hears it, once per merge (<see cref="PhoneOnlyClientSms.SendOnceToAsync"/>,
/// the sender other notices use), with the email masked (if the two are not one person, the text must not hand over the
/// other's address).
/// </summary>
public sealed class ClientsMergedSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<ClientsMerged>
{
    public async ValueTask Handle(ClientsMerged evt, CancellationToken cancellationToken)
    {
        if (evt.NoticeMobile is not { } mobile)
        {
            return;
        }

        await sms.SendOnceToAsync(
            evt.EventId,
            nameof(ClientsMergedSmsHandler),
            mobile,
            new TextAbout(TextKinds.MergeAddedSignIn, ClientId: evt.KeepId),
            async (business, _, ct) => Text(business.Name, (await sender.Send(new GetPortalSettings(), ct)).Contact),
            cancellationToken);
    }

    /// <summary>One text: what changed, that they were signed out, and whom to contact if it was not them.</summary>
    public static string Text(string businessName, BusinessContactView contact)
    {
        var reach = NoticeContact.Reach(contact);
        return $"{businessName} joined another client record into your account: an email address and its password can now sign in to it too, and you were signed out. "
            + $"If that record isn't yours, contact {businessName}" + (reach.Length == 0 ? "." : $": {reach}.");
    }
}
