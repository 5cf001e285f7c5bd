using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;

namespace Booking.Notifications.Features.ClientMergedEmail;

/// <summary>
/// Decision 319, the mirror of PortalAuth's text to a phone client (decision 314): a merge gave a record with an email
/// the other record's mobile (<see cref="ClientsMerged.NoticeEmail"/>), so whoever has that phone can sign in by a
/// code. The kept record's email hears it once per merge (kind <see cref="MessageKinds.ClientMergeAddedMobile"/>, the
/// single-notice shape of <see cref="MessageWriter.SendOnceAsync"/>), the number by its last three digits only, with the
/// business's contact. Built-in text with the business's branding, as the other client emails.
/// </summary>
public sealed class ClientsMergedEmail(MessageWriter writer) : INotificationHandler<ClientsMerged>
{
    public async ValueTask Handle(ClientsMerged evt, CancellationToken cancellationToken)
    {
        if (evt.NoticeEmail is not { } notice)
        {
            return;
        }

        var fields = MergeFields.ClientNotice(notice.FirstName, notice.Email, MergeFields.MobileEnding, notice.MobileEnding);
        if (notice.ReplacedMobileEnding is { } replaced)
        {
            // Decision 340: the merge replaced the record's unconfirmed number too; this one email says both.
            fields[MergeFields.ReplacedMobileEnding] = replaced;
        }

        await writer.SendOnceAsync(evt.EventId, nameof(ClientsMergedEmail), notice.Email, MessageKinds.ClientMergeAddedMobile,
            notice.ReplacedMobileEnding is null ? ClientTexts.MergeAddedMobile : ClientTexts.MergeReplacedMobile, fields, cancellationToken);
    }
}
