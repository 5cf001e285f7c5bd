using Booking.Appointments.Contracts;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.Messages;
using Booking.Notifications.Rendering;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.AppointmentEmails;

/// <summary>
/// The client withdrew a cancellation request ("Keep my appointment", Appointments' <c>CancellationRequestWithdrawn</c>):
/// whoever the request's email may have reached (the diary contact or its stand-ins, the owners and admins) is told
/// "… has withdrawn their cancellation request; the appointment stays booked", so nobody acts on a request that is gone.
/// Never a wrong picture, never a stale pair:
/// <list type="bullet">
/// <item>A request email not sent yet (queued, or waiting to retry) is taken back: written withheld with a note, and
/// that address gets no withdrawal either (neither is news to it). A claim and this take-back are one conditional
/// update each on the row's status, so exactly one wins.</item>
/// <item>A request email sent, or being sent, is followed by the withdrawal, to that address, in the kind matching the
/// request's (<see cref="Withdrawals"/>). A withheld or failed one reached nobody: no withdrawal.</item>
/// <item>The request's event not handled yet (events of one appointment can be handled out of order, a failed one
/// retried alone): its consumer's processed mark is written here, so its emails are never written, the client's receipt
/// included; the same key settles a race with that consumer (the later save fails and is retried, and reads the other).</item>
/// </list>
/// A request filed before its event's id was kept (<c>RequestEventId</c> null): its emails are found by the appointment,
/// the latest request's.
/// </summary>
public sealed class CancellationWithdrawnEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer)
    : INotificationHandler<CancellationRequestWithdrawn>
{
    /// <summary>The request's staff kinds and the withdrawal's kind for each.</summary>
    public static readonly IReadOnlyDictionary<string, string> Withdrawals = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MessageKinds.DiaryContactCancellationRequest] = MessageKinds.DiaryContactCancellationRequestWithdrawn,
        [MessageKinds.StandInCancellationRequest] = MessageKinds.StandInCancellationRequestWithdrawn,
        [MessageKinds.StaffCancellationRequest] = MessageKinds.StaffCancellationRequestWithdrawn,
    };

    public const string TakenBackNote = "Not sent: the client withdrew this cancellation request before the email went out, so neither it nor the withdrawal was sent.";

    public async ValueTask Handle(CancellationRequestWithdrawn evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(CancellationWithdrawnEmails), cancellationToken))
        {
            return;
        }

        if (evt.RequestEventId is { } pending && await db.TryMarkProcessedAsync(pending, nameof(CancellationRequestedEmails), cancellationToken))
        {
            // The request's emails were never written, and now never will be: nobody heard of it.
            await writer.SaveAndEnqueueAsync(cancellationToken);
            return;
        }

        var kinds = Withdrawals.Keys.ToList();
        var requestId = evt.RequestEventId ?? await db.Messages.AsNoTracking()
            .Where(m => m.AppointmentId == evt.AppointmentId && kinds.Contains(m.Kind))
            .OrderByDescending(m => m.CreatedAt).Select(m => (Guid?)m.EventId).FirstOrDefaultAsync(cancellationToken);
        var reached = new List<(string Recipient, string Kind)>();
        if (requestId is { } request)
        {
            await db.Messages
                // A retry that found the request settled first withheld it already (decision 297): it gets this, more precise, note.
                .Where(m => m.EventId == request && kinds.Contains(m.Kind) && (m.Status == MessageStatus.Queued || m.Status == MessageStatus.Retrying
                    || (m.Status == MessageStatus.Withheld && m.Note != null && EF.Functions.Like(m.Note, MessageCurrency.ChangedNote + "%"))))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.Status, MessageStatus.Withheld)
                    .SetProperty(m => m.Note, TakenBackNote)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
            reached = (await db.Messages.AsNoTracking()
                    .Where(m => m.EventId == request && kinds.Contains(m.Kind) && (m.Status == MessageStatus.Sent || m.Status == MessageStatus.Sending))
                    .Select(m => new { m.Recipient, m.Kind }).ToListAsync(cancellationToken))
                .Select(m => (m.Recipient, m.Kind)).ToList();
        }

        if (reached.Count > 0)
        {
            var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, reason: null, cancellationToken);
            values.Fields[MergeFields.ChangedBy] = AppointmentValues.ChangedBy(ChangeSources.Portal, acceptedRequest: false);
            var text = StaffTexts.CancellationRequestWithdrawn;
            var content = new MessageContent(text.Subject, text.Body, values.Fields);
            var about = values.About(evt.AppointmentId, evt.Start);
            foreach (var (recipient, kind) in reached)
            {
                var withdrawal = Withdrawals[kind];
                writer.Add(evt.EventId, recipient, withdrawal, content, about,
                    withdrawal == MessageKinds.StandInCancellationRequestWithdrawn
                        ? "Sent to this extra address because it was told of the request, standing in for the diary contact."
                        : null);
            }
        }

        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}

public static partial class StaffTexts
{
    /// <summary>
    /// A client withdrew a cancellation request the staff were emailed to decide (built-in text, <c>{MergeField}</c>s only;
    /// request emails take no business template).
    /// </summary>
    public static readonly (string Subject, string Body) CancellationRequestWithdrawn = (
        "Cancellation request withdrawn: {ClientFullName}",
        "{ClientFullName} ({ClientPhone}, {ClientEmail}) has withdrawn their cancellation request for:\n{ServiceName} {WithDiary}\nFor: {PetName}\n{AppointmentTimes}\n\nThe appointment stays booked: there is nothing to cancel or keep.");
}
