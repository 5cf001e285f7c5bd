using Booking.Appointments.Contracts;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.DefaultTemplates;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.AppointmentEmails;

/// <summary>
/// Appointment events → emails: the diary contact and the extra addresses get the business's chosen templates for
/// portal changes (staff changes only when opted in); the client gets a confirmation with an .ics.
/// Each handler is idempotent twice over: the processed-event marker and the unique (event, recipient, kind) key.
/// </summary>
public sealed class AppointmentBookedEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer) : INotificationHandler<AppointmentBooked>
{
    public async ValueTask Handle(AppointmentBooked evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(AppointmentBookedEmails), cancellationToken))
        {
            return;
        }

        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, reason: null, cancellationToken);
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (settings is not null && AppointmentValues.Fires(evt.Source, settings))
        {
            if (settings.NotifyOnNewEnabled)
            {
                var text = await Templates.ChosenAsync(db, settings.NotifyOnNewTemplateId, DefaultTemplateTexts.DiaryContactNew, cancellationToken);
                writer.Add(evt.EventId, values.DiaryContact, MessageKinds.DiaryContactNew, new MessageContent(text.Subject, text.Body, values.Fields));
            }

            if (settings.ExtraAddresses.Count > 0)
            {
                var text = await Templates.ChosenAsync(db, settings.ExtraAddressesTemplateId, DefaultTemplateTexts.ExtraAddressesNew, cancellationToken);
                foreach (var address in settings.ExtraAddresses)
                {
                    writer.Add(evt.EventId, address, MessageKinds.ExtraAddressNew, new MessageContent(text.Subject, text.Body, values.Fields));
                }
            }
        }

        var invite = new CalendarInvite(evt.AppointmentId, CalendarInvite.Request, 0, evt.Start, evt.End, values.Summary);
        writer.Add(evt.EventId, values.ClientEmail, MessageKinds.ClientBookingConfirmation,
            new MessageContent(ClientTexts.BookingConfirmation.Subject, ClientTexts.BookingConfirmation.Body, values.Fields, Calendar: invite));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}

public sealed class AppointmentCancelledEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer) : INotificationHandler<AppointmentCancelled>
{
    public async ValueTask Handle(AppointmentCancelled evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(AppointmentCancelledEmails), cancellationToken))
        {
            return;
        }

        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, evt.Reason, cancellationToken);
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (settings is { NotifyOnCancelledEnabled: true } && AppointmentValues.Fires(evt.Source, settings))
        {
            var text = await Templates.ChosenAsync(db, settings.NotifyOnCancelledTemplateId, DefaultTemplateTexts.DiaryContactCancelled, cancellationToken);
            writer.Add(evt.EventId, values.DiaryContact, MessageKinds.DiaryContactCancelled, new MessageContent(text.Subject, text.Body, values.Fields));
        }

        // Same UID as the booking's invite, SEQUENCE bumped: calendars remove the event.
        var invite = new CalendarInvite(evt.AppointmentId, CalendarInvite.Cancel, 1, evt.Start, evt.End, values.Summary);
        writer.Add(evt.EventId, values.ClientEmail, MessageKinds.ClientCancellationConfirmation,
            new MessageContent(ClientTexts.CancellationConfirmation.Subject, ClientTexts.CancellationConfirmation.Body, values.Fields, Calendar: invite));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}

public sealed class BookingRequestedEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer) : INotificationHandler<BookingRequested>
{
    public async ValueTask Handle(BookingRequested evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(BookingRequestedEmails), cancellationToken))
        {
            return;
        }

        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, reason: null, cancellationToken);
        writer.Add(evt.EventId, values.ClientEmail, MessageKinds.ClientBookingRequestReceived,
            new MessageContent(ClientTexts.BookingRequestReceived.Subject, ClientTexts.BookingRequestReceived.Body, values.Fields));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}

public sealed class BookingRequestDecidedEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer) : INotificationHandler<BookingRequestDecided>
{
    public async ValueTask Handle(BookingRequestDecided evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(BookingRequestDecidedEmails), cancellationToken))
        {
            return;
        }

        // Events from before the appointment's details were added carry no times: the client gets the text alone.
        var (fields, email, invite) = evt is { DiaryId: { } diaryId, ServiceId: { } serviceId, Start: { } start, End: { } end }
            ? await WithAppointmentAsync(evt, diaryId, serviceId, start, end, cancellationToken)
            : (AppointmentValues.ClientFields(await facts.ClientAsync(evt.ClientId, cancellationToken)), (string?)null, (CalendarInvite?)null);
        email ??= fields[MergeFields.ClientEmail];
        fields[MergeFields.DecisionReason] = evt.Reason;
        var cancellation = string.Equals(evt.Kind, "cancellation", StringComparison.Ordinal);
        var (kind, text) = (cancellation, evt.Accepted) switch
        {
            (false, true) => (MessageKinds.ClientBookingRequestAccepted, ClientTexts.BookingRequestAccepted),
            (false, false) => (MessageKinds.ClientBookingRequestDeclined, ClientTexts.BookingRequestDeclined),
            (true, true) => (MessageKinds.ClientCancellationRequestAccepted, ClientTexts.CancellationRequestAccepted),
            (true, false) => (MessageKinds.ClientCancellationRequestDeclined, ClientTexts.CancellationRequestDeclined),
        };

        // Only an accepted booking request adds the appointment to the client's calendar (same UID as the booking's invite).
        var calendar = kind == MessageKinds.ClientBookingRequestAccepted ? invite : null;
        writer.Add(evt.EventId, email, kind, new MessageContent(text.Subject, text.Body, fields, Calendar: calendar));
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }

    private async Task<(Dictionary<string, string?> Fields, string? Email, CalendarInvite? Invite)> WithAppointmentAsync(
        BookingRequestDecided evt, Guid diaryId, Guid serviceId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, serviceId, diaryId, start, end, reason: null, cancellationToken);
        return (values.Fields, values.ClientEmail, new CalendarInvite(evt.AppointmentId, CalendarInvite.Request, 0, start, end, values.Summary));
    }
}

/// <summary>The merge values of one appointment, gathered through the contract queries.</summary>
internal sealed record AppointmentValues(Dictionary<string, string?> Fields, string? ClientEmail, string? DiaryContact, string Summary)
{
    public static bool Fires(string source, NotificationSettings settings) =>
        string.Equals(source, ChangeSources.Portal, StringComparison.Ordinal) || settings.IncludeStaffChanges;

    public static async Task<AppointmentValues> LoadAsync(
        INotificationFacts facts, Guid clientId, Guid serviceId, Guid diaryId, DateTimeOffset start, DateTimeOffset end, string? reason, CancellationToken cancellationToken)
    {
        var client = await facts.ClientAsync(clientId, cancellationToken);
        var service = await facts.ServiceAsync(serviceId, cancellationToken);
        var diary = await facts.DiaryAsync(diaryId, cancellationToken);
        var fields = ClientFields(client);
        var startText = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        fields[MergeFields.AppointmentStartDateTime] = startText;
        fields[MergeFields.NextAppointmentStartDateTime] = startText;
        fields[MergeFields.AppointmentEndDateTime] = end.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        fields[MergeFields.ServiceName] = service?.Name;
        fields[MergeFields.DiaryName] = diary?.Name;
        fields[MergeFields.CancellationReason] = reason;
        var summary = service is null ? "Appointment" : diary is null ? service.Name : $"{service.Name} with {diary.Name}";
        return new AppointmentValues(fields, client?.Email, diary?.ContactEmail, summary);
    }

    public static Dictionary<string, string?> ClientFields(ClientView? client) => new(StringComparer.Ordinal)
    {
        [MergeFields.ClientFullName] = client?.FullName,
        [MergeFields.ClientFirstName] = client?.FirstName,
        [MergeFields.ClientMobilePhone] = client?.Mobile,
        [MergeFields.ClientEmail] = client?.Email,
    };
}

internal static class Templates
{
    /// <summary>The chosen template's text, or the default text when none is chosen or it was deleted.</summary>
    public static async Task<(string Subject, string Body)> ChosenAsync(NotificationsDbContext db, Guid? templateId, (string Name, string Subject, string Body) fallback, CancellationToken cancellationToken)
    {
        if (templateId is { } id)
        {
            var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (template is not null)
            {
                return (template.Subject, template.Body);
            }
        }

        return (fallback.Subject, fallback.Body);
    }
}
