using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Booking.Notifications.Features.AppointmentEmails;

/// <summary>
/// An appointment moved to another time (decision 282). The client gets "Your appointment has moved" with the new and the
/// old time (the business's zone and date style, the booked email's footer and contact lines, its closing by the window
/// the appointment keeps) and an updated .ics: the booking's UID, METHOD REQUEST as the booked one, SEQUENCE from the
/// move's time (<see cref="CalendarInvite.SequenceAt"/>), so it outranks the booking's file and every earlier one. The
/// diary contact (of the new diary, and of the old one when the move changed diaries) is told as of a new booking: when
/// "notify the diary contact on new" is on and the change is one that fires (a client's, or staff's with staff changes
/// included), to a confirmed contact only, else written withheld. A built-in text, not a tenant template: no setting
/// chooses a template for it (decision 282). Idempotent as the other handlers: the processed mark and the message key.
/// </summary>
public sealed class AppointmentMovedEmails(
    NotificationsDbContext db, INotificationFacts facts, MessageWriter writer, PublicOrigin origin, ITenantContext tenant, ISender sender,
    ILogger<AppointmentMovedEmails> logger)
    : INotificationHandler<AppointmentMoved>
{
    public async ValueTask Handle(AppointmentMoved evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(AppointmentMovedEmails), cancellationToken))
        {
            return;
        }

        var byClient = string.Equals(evt.Source, ChangeSources.Portal, StringComparison.Ordinal);
        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, reason: null, cancellationToken, evt.Note);
        values.Fields[MergeFields.ChangedBy] = AppointmentValues.ChangedBy(evt.Source, acceptedRequest: false);
        values.Fields[MergeFields.PreviousAppointmentStartDateTime] = evt.PreviousStart.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        string? previousContact = null;
        if (evt.PreviousDiaryId != evt.DiaryId && await facts.DiaryAsync(evt.PreviousDiaryId, cancellationToken) is { } previousDiary)
        {
            values.Fields[MergeFields.PreviousDiaryName] = previousDiary.Name;
            previousContact = previousDiary.ContactEmail;
        }

        var about = values.About(evt.AppointmentId, evt.Start);
        var settings = await db.KeptSettingsAsync(cancellationToken);
        if (settings is { NotifyOnNewEnabled: true } && AppointmentValues.Fires(evt.Source, settings))
        {
            // Each contact is told from their own diary's side, and their footer names their own diary: the new diary's
            // contact that it moved into (or within) it, the old one's that it moved away. One address on both: one email.
            var changedDiary = evt.PreviousDiaryId != evt.DiaryId;
            var told = new List<(string Contact, (string Subject, string Body) Text, Dictionary<string, string?> Fields)>();
            if (!string.IsNullOrWhiteSpace(values.DiaryContact))
            {
                told.Add((values.DiaryContact, changedDiary ? StaffTexts.AppointmentMovedIn : StaffTexts.AppointmentMoved, values.Fields));
            }

            if (!string.IsNullOrWhiteSpace(previousContact)
                && !told.Any(t => string.Equals(t.Contact.Trim(), previousContact.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                var awayFields = new Dictionary<string, string?>(values.Fields)
                {
                    [MergeFields.DiaryName] = values.Fields.GetValueOrDefault(MergeFields.PreviousDiaryName),
                    [MergeFields.NewDiaryName] = values.Fields.GetValueOrDefault(MergeFields.DiaryName),
                };
                told.Add((previousContact, StaffTexts.AppointmentMovedAway, awayFields));
            }

            foreach (var (contact, text, fields) in told)
            {
                var content = new MessageContent(text.Subject, text.Body, fields);
                if ((await DiaryContactRecipients.ForAsync(db, contact, settings, standIns: false, cancellationToken)).Count > 0)
                {
                    writer.Add(evt.EventId, contact, MessageKinds.DiaryContactMoved, content, about);
                }
                else
                {
                    await DiaryContactRecipients.WithholdAsync(db, writer, evt.EventId, contact, MessageKinds.DiaryContactMoved, content, about, cancellationToken);
                }
            }
        }

        // The booking's UID; SEQUENCE from the move's time: above the booking's file and every one made before the move.
        var invite = new CalendarInvite(evt.AppointmentId, CalendarInvite.Publish, CalendarInvite.SequenceAt(evt.ChangedAt, cancelled: false), evt.Start, evt.End, values.Summary);
        var clientText = byClient ? ClientTexts.AppointmentMovedByClient : ClientTexts.AppointmentMovedByBusiness;
        // The note is the booking's: the client's own only for a portal booking, which the event cannot tell; left out.
        var clientFields = values.ForClientWithoutNote();
        clientFields[MergeFields.CancelUrl] = PortalAddresses.Cancel(origin.Value, tenant.Current!.Slug, evt.AppointmentId);
        var (closing, policyAsBooked) = await ClosingAsync(evt, cancellationToken);
        if (policyAsBooked is not null)
        {
            clientFields[MergeFields.CancellationPolicy] = policyAsBooked;
        }

        writer.Add(evt.EventId, values.ClientEmail, MessageKinds.ClientAppointmentMoved,
            new MessageContent(clientText.Subject, PortalClosings.WithBookedClosing(clientText.Body, closing), clientFields, Calendar: invite), about);
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }

    /// <summary>The booked closing by the window the appointment keeps, judged at the move's time (as the confirmation's).</summary>
    private async Task<(string Closing, string? PolicyAsBooked)> ClosingAsync(AppointmentMoved evt, CancellationToken cancellationToken)
    {
        try
        {
            var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
            var current = settings.CancellationPolicy;
            var kept = current.Kept(evt.CancellationHours, evt.CancellationInsideWindow);
            // The words the portal's pages say of it, what holds after the window included (decision 334).
            var asBooked = PortalClosings.PolicyAsBooked(current, kept, tenant.Current!.Name, settings.Contact);
            return (PortalClosings.BookedField(kept, evt.Start, evt.ChangedAt), asBooked);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Cancellation policy unavailable; the moved email keeps the usual closing");
            return (PortalClosings.Booked, null);
        }
    }
}

public static partial class ClientTexts
{
    private const string MovedLines =
        "{ServiceName} {WithDiary}\nFor: {PetName}\nNew time: {AppointmentTimes}\nWas: {PreviousAppointmentStartDateTime}\nDiary before: {PreviousDiaryName}\n\nCancellation policy: {CancellationPolicy}\n\nThe attached calendar file moves it in your calendar.\n\n{ClosingBooked}";

    /// <summary>The client moved it themselves, at the portal.</summary>
    public static readonly (string Subject, string Body) AppointmentMovedByClient = (
        "Your appointment with {BusinessName} has moved",
        "Hi {ClientFirstName},\n\nYour appointment has moved to a new time, as you asked:\n" + MovedLines);

    /// <summary>The business moved it.</summary>
    public static readonly (string Subject, string Body) AppointmentMovedByBusiness = (
        "Your appointment with {BusinessName} has moved",
        "Hi {ClientFirstName},\n\n{BusinessName} moved your appointment to a new time:\n" + MovedLines);
}

public static partial class StaffTexts
{
    private const string MovedStaffLines =
        "{ServiceName} {WithDiary}\nPet: {PetName}\nNew time: {AppointmentTimes}\nWas: {PreviousAppointmentStartDateTime}";

    /// <summary>To the diary contact when the appointment moved within their diary (another time, the same diary).</summary>
    public static readonly (string Subject, string Body) AppointmentMoved = (
        "Moved: {ClientFullName}",
        "{ClientFullName} ({ClientPhone}): this appointment was moved by {ChangedBy}:\n" + MovedStaffLines);

    /// <summary>To the new diary's contact when it moved from another diary into theirs.</summary>
    public static readonly (string Subject, string Body) AppointmentMovedIn = (
        "Moved: {ClientFullName}",
        "{ClientFullName} ({ClientPhone}): this appointment was moved into your diary by {ChangedBy}:\n" + MovedStaffLines + "\nDiary before: {PreviousDiaryName}");

    /// <summary>
    /// To the old diary's contact when it moved to another diary: it is no longer theirs. Their fields name their own
    /// diary as <c>{DiaryName}</c> (the footer's), and the diary it went to as <c>{NewDiaryName}</c>.
    /// </summary>
    public static readonly (string Subject, string Body) AppointmentMovedAway = (
        "Moved away: {ClientFullName}",
        "{ClientFullName} ({ClientPhone}): this appointment was moved away from your diary by {ChangedBy}; it is no longer in {DiaryName}:\n"
        + "{ServiceName}\nPet: {PetName}\nWas: {PreviousAppointmentStartDateTime}\nNow: {AppointmentTimes} in {NewDiaryName}");
}
