using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.DefaultTemplates;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Booking.Notifications.Features.AppointmentEmails;

/// <summary>
/// Appointment events → emails: the diary contact and the extra addresses get the business's chosen templates for
/// portal changes (staff changes only when opted in); the client gets a confirmation with an .ics.
/// Each handler is idempotent twice over: the processed-event marker and the unique (event, recipient, kind) key.
/// A staff decision on a request is told to the client once: an accept by the booked / cancelled email (the event's
/// PreviousStatus says it was a request), a decline by <see cref="BookingRequestDecidedEmails"/>.
/// </summary>
public sealed class AppointmentBookedEmails(
    NotificationsDbContext db, INotificationFacts facts, MessageWriter writer, PublicOrigin origin, ITenantContext tenant, ISender sender, TimeProvider clock,
    ILogger<AppointmentBookedEmails> logger)
    : INotificationHandler<AppointmentBooked>
{
    public async ValueTask Handle(AppointmentBooked evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(AppointmentBookedEmails), cancellationToken))
        {
            return;
        }

        var accepted = evt.PreviousStatus == AppointmentStates.Requested;
        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, reason: null, cancellationToken, evt.Note);
        values.Fields[MergeFields.ChangedBy] = AppointmentValues.ChangedBy(evt.Source, acceptedRequest: accepted);
        var about = values.About(evt.AppointmentId, evt.Start);
        // Staff's emails open the appointment in the diary (decision 350: "New booking: …" is acted on there).
        var open = StaffLinks.Appointment(origin, tenant.Current!.Slug, evt.AppointmentId);
        var settings = await db.KeptSettingsAsync(cancellationToken);
        if (AppointmentValues.Fires(evt.Source, settings))
        {
            string? diaryContactMailed = null;
            // A contact its person has not confirmed is not mailed; no stand-ins here: the confirmed extra addresses are
            // told of every new booking just below.
            if (settings.NotifyOnNewEnabled && (await DiaryContactRecipients.ForAsync(db, values.DiaryContact, settings, standIns: false, cancellationToken)).Count > 0)
            {
                var text = await Templates.ChosenAsync(db, settings.NotifyOnNewTemplateId, DefaultTemplateTexts.DiaryContactNew, cancellationToken);
                writer.Add(evt.EventId, values.DiaryContact, MessageKinds.DiaryContactNew, new MessageContent(text.Subject, text.Body, values.Fields, Action: open), about);
                diaryContactMailed = values.DiaryContact;
            }

            // The diary contact already told above is not mailed again as one of the extra addresses. Only an address
            // whose person confirmed it is mailed: the business's text goes nowhere nobody agreed to.
            var extras = AppointmentValues.Distinct(settings.ExtraAddresses, except: diaryContactMailed);
            if (extras.Count > 0)
            {
                var lowered = extras.Select(a => a.ToLowerInvariant()).ToList();
                var confirmed = await db.AddressConfirmations.AsNoTracking()
                    .Where(c => lowered.Contains(c.Address) && c.ConfirmedAt != null && c.DeclinedAt == null)
                    .Select(c => c.Address).ToListAsync(cancellationToken);
                extras = extras.Where(a => confirmed.Contains(a.ToLowerInvariant())).ToList();
            }

            if (extras.Count > 0)
            {
                var text = await Templates.ChosenAsync(db, settings.ExtraAddressesTemplateId, DefaultTemplateTexts.ExtraAddressesNew, cancellationToken);
                foreach (var address in extras)
                {
                    writer.Add(evt.EventId, address, MessageKinds.ExtraAddressNew, new MessageContent(text.Subject, text.Body, values.Fields, Action: open), about);
                }
            }
            else if (settings.NotifyOnNewEnabled && diaryContactMailed is null && !string.IsNullOrWhiteSpace(values.DiaryContact))
            {
                // Nobody was told: the log says so (withheld), and staff may send it once the contact is confirmed.
                var text = await Templates.ChosenAsync(db, settings.NotifyOnNewTemplateId, DefaultTemplateTexts.DiaryContactNew, cancellationToken);
                await DiaryContactRecipients.WithholdAsync(db, writer, evt.EventId, values.DiaryContact, MessageKinds.DiaryContactNew, new MessageContent(text.Subject, text.Body, values.Fields, Action: open), about, cancellationToken);
            }
        }

        if (accepted || !AppointmentValues.AfterTheFact(evt.Source, evt.Start, evt.ChangedAt))
        {
            // An accepted booking request: the one email that tells the client (with the invite, same UID as any later update).
            // SEQUENCE from the time of the booking (or the acceptance): the same on a retry, below any later file.
            // PUBLISH (decision 350): an entry for the client's calendar, not an invitation to accept or decline.
            var invite = new CalendarInvite(evt.AppointmentId, CalendarInvite.Publish,
                CalendarInvite.SequenceAt(evt.ChangedAt ?? clock.GetUtcNow(), cancelled: false), evt.Start, evt.End, values.Summary);
            var (kind, clientText) = accepted
                ? (MessageKinds.ClientBookingRequestAccepted, ClientTexts.BookingRequestAccepted)
                : (MessageKinds.ClientBookingConfirmation, ClientTexts.BookingConfirmation);
            // The appointment's own cancel page: the closing offers it where the business lets clients cancel (with the
            // list switched off it is the client's only way to the appointment). Only the client's copy carries it.
            var clientFields = values.ForClient(evt.Source);
            clientFields[MergeFields.CancelUrl] = PortalAddresses.Cancel(origin.Value, tenant.Current!.Slug, evt.AppointmentId);
            // Booked already inside the cancellation window (decided on the event's time, so a retry decides the same):
            // where the business refuses online cancellation then, the cancel page would only say it is too late.
            var (closing, policyAsBooked) = await BookedClosingAsync(evt, cancellationToken);
            if (policyAsBooked is not null)
            {
                clientFields[MergeFields.CancellationPolicy] = policyAsBooked;
            }

            var body = PortalClosings.WithBookedClosing(clientText.Body, closing);
            writer.Add(evt.EventId, values.ClientEmail, kind, new MessageContent(clientText.Subject, body, clientFields, Calendar: invite), about);
        }

        await writer.SaveAndEnqueueAsync(cancellationToken);
    }

    /// <summary>
    /// The booked closing, by the window the appointment keeps (decision 270: an accepted request keeps the policy it was
    /// filed under), and, when that is no longer the business's policy, the words for {CancellationPolicy} that say the
    /// appointment's own window (decision 273); null: the business's text, as the portal shows it.
    /// </summary>
    private async Task<(string Closing, string? PolicyAsBooked)> BookedClosingAsync(AppointmentBooked evt, CancellationToken cancellationToken)
    {
        try
        {
            var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
            var current = settings.CancellationPolicy;
            var kept = current.Kept(evt.CancellationHours, evt.CancellationInsideWindow);
            // The words the portal's pages say of it, what holds after the window included (decision 334).
            var asBooked = PortalClosings.PolicyAsBooked(current, kept, tenant.Current!.Name, settings.Contact);
            return (PortalClosings.BookedField(kept, evt.Start, evt.ChangedAt ?? clock.GetUtcNow()), asBooked);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The policy unknown: the usual closing (its cancel page explains a refusal) beats no email.
            logger.LogWarning(ex, "Cancellation policy unavailable; the confirmation keeps its usual closing");
            return (PortalClosings.Booked, null);
        }
    }
}

public sealed class AppointmentCancelledEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer, TimeProvider clock, PublicOrigin origin, ITenantContext tenant)
    : INotificationHandler<AppointmentCancelled>
{
    public async ValueTask Handle(AppointmentCancelled evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(AppointmentCancelledEmails), cancellationToken))
        {
            return;
        }

        var acceptedRequest = evt.PreviousStatus == AppointmentStates.CancellationRequested;
        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, evt.Reason, cancellationToken, evt.Note);
        values.Fields[MergeFields.ChangedBy] = AppointmentValues.ChangedBy(evt.Source, acceptedRequest: acceptedRequest);
        var about = values.About(evt.AppointmentId, evt.Start);
        if (evt.PreviousStatus == AppointmentStates.Requested)
        {
            // A booking request that never became an appointment: nothing was in the diary contact's or the client's
            // calendar, so no "cancelled appointment" email and no .ics; the client hears the request is gone.
            var withdrawn = string.Equals(evt.Source, ChangeSources.Portal, StringComparison.Ordinal);
            var (kind, text) = withdrawn
                ? (MessageKinds.ClientBookingRequestWithdrawn, ClientTexts.BookingRequestWithdrawn)
                : (MessageKinds.ClientBookingRequestCancelled, ClientTexts.BookingRequestCancelled);
            writer.Add(evt.EventId, values.ClientEmail, kind, new MessageContent(text.Subject, text.Body, values.ForClientWithoutNote()), about);
            // The diary contact was emailed to confirm or decline it (review J9): told it is gone, under the business's
            // "on cancelled" choice, in a text of its own (the cancelled template speaks of an appointment).
            // The owners and admins were emailed it too (RequestEmails): they hear the same, each address once. A contact
            // not confirmed yet is stood in for by the confirmed extra addresses.
            if (withdrawn && (await db.KeptSettingsAsync(cancellationToken)) is { NotifyOnCancelledEnabled: true } withdrawnSettings)
            {
                var staff = StaffTexts.BookingRequestWithdrawn;
                var content = new MessageContent(staff.Subject, staff.Body, values.Fields);
                var contacts = await DiaryContactRecipients.WriteAsync(db, writer, evt.EventId, values.DiaryContact, withdrawnSettings,
                    MessageKinds.DiaryContactBookingRequestWithdrawn, content, about, cancellationToken);
                await RequestEmails.WriteToDecidersAsync(db, writer, facts, evt.EventId, contacts, MessageKinds.StaffBookingRequestWithdrawn, content, about, cancellationToken);
            }

            await writer.SaveAndEnqueueAsync(cancellationToken);
            return;
        }

        var settings = await db.KeptSettingsAsync(cancellationToken);
        if (settings is { NotifyOnCancelledEnabled: true } && AppointmentValues.Fires(evt.Source, settings))
        {
            var text = await Templates.ChosenAsync(db, settings.NotifyOnCancelledTemplateId, DefaultTemplateTexts.DiaryContactCancelled, cancellationToken);
            // The cancelled appointment's page in the diary (decision 350): who it was, the time now free, to book again.
            await DiaryContactRecipients.WriteAsync(db, writer, evt.EventId, values.DiaryContact, settings, MessageKinds.DiaryContactCancelled,
                new MessageContent(text.Subject, text.Body, values.Fields, Action: StaffLinks.Appointment(origin, tenant.Current!.Slug, evt.AppointmentId)), about, cancellationToken);
        }

        if (acceptedRequest || !AppointmentValues.AfterTheFact(evt.Source, evt.Start, evt.ChangedAt))
        {
            // Same UID as the booking's file, SEQUENCE above every file made before the cancellation, STATUS:CANCELLED:
            // the booking's file was a PUBLISH (decision 350), so the cancellation publishes the event cancelled, as the
            // portal's download of a cancelled appointment does (an iTIP CANCEL answers an invitation the client never got).
            // An accepted cancellation request is told to the client by this email alone.
            var invite = new CalendarInvite(evt.AppointmentId, CalendarInvite.Publish,
                CalendarInvite.SequenceAt(evt.ChangedAt ?? clock.GetUtcNow(), cancelled: true), evt.Start, evt.End, values.Summary, Cancelled: true);
            var (clientKind, clientText) = acceptedRequest
                ? (MessageKinds.ClientCancellationRequestAccepted, ClientTexts.CancellationRequestAccepted)
                : (MessageKinds.ClientCancellationConfirmation, ClientTexts.CancellationConfirmation);
            writer.Add(evt.EventId, values.ClientEmail, clientKind,
                new MessageContent(clientText.Subject, clientText.Body, values.ForClientWithoutNote(), Calendar: invite), about);
        }

        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}

/// <summary>
/// A booking request: the client hears it was received; the diary contact and the owners and admins that it waits for
/// a decision.
/// </summary>
public sealed class BookingRequestedEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer, PublicOrigin origin, ITenantContext tenant) : INotificationHandler<BookingRequested>
{
    public async ValueTask Handle(BookingRequested evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(BookingRequestedEmails), cancellationToken))
        {
            return;
        }

        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, reason: null, cancellationToken, evt.Note);
        await RequestEmails.WriteAsync(db, writer, facts, origin, evt.EventId, evt.AppointmentId, evt.Source, values, values.About(evt.AppointmentId, evt.Start),
            (MessageKinds.ClientBookingRequestReceived, ClientTexts.BookingRequestReceived),
            (MessageKinds.DiaryContactBookingRequest, MessageKinds.StaffBookingRequest, StaffTexts.BookingRequest, StaffTexts.BookingRequestToDecider), cancellationToken,
            clientCancelUrl: PortalAddresses.Cancel(origin.Value, tenant.Current!.Slug, evt.AppointmentId));
    }
}

/// <summary>
/// A cancellation request: the client hears it was received, and where to withdraw it (the appointment's cancel page,
/// whose "Keep my appointment" withdraws it); the diary contact and the owners and admins that it waits for a decision.
/// </summary>
public sealed class CancellationRequestedEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer, PublicOrigin origin, ITenantContext tenant) : INotificationHandler<CancellationRequested>
{
    public async ValueTask Handle(CancellationRequested evt, CancellationToken cancellationToken)
    {
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(CancellationRequestedEmails), cancellationToken))
        {
            return;
        }

        var values = await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId, evt.DiaryId, evt.Start, evt.End, evt.Reason, cancellationToken);
        await RequestEmails.WriteAsync(db, writer, facts, origin, evt.EventId, evt.AppointmentId, evt.Source, values, values.About(evt.AppointmentId, evt.Start),
            (MessageKinds.ClientCancellationRequestReceived, ClientTexts.CancellationRequestReceived),
            (MessageKinds.DiaryContactCancellationRequest, MessageKinds.StaffCancellationRequest, StaffTexts.CancellationRequest, StaffTexts.CancellationRequestToDecider), cancellationToken,
            clientCancelUrl: PortalAddresses.Cancel(origin.Value, tenant.Current!.Slug, evt.AppointmentId));
    }
}

/// <summary>
/// A request of either kind: the client's acknowledgement, and the staff email linking to the request under Requests,
/// to the diary contact and to every owner and admin. The diary contact may be a practitioner (or an address nobody
/// signs in with) who cannot open Requests, so those who can decide hear of it too. Each address gets one copy: an owner
/// who is also the diary contact is mailed once, as the diary contact.
/// </summary>
internal static class RequestEmails
{
    public static async Task WriteAsync(
        NotificationsDbContext db, MessageWriter writer, INotificationFacts facts, PublicOrigin origin, Guid eventId, Guid appointmentId, string source, AppointmentValues values, MessageAbout about,
        (string Kind, (string Subject, string Body) Text) client,
        (string DiaryContactKind, string DecidersKind, (string Subject, string Body) Text, (string Subject, string Body) DeciderText) staff,
        CancellationToken cancellationToken,
        string? clientCancelUrl = null)
    {
        values.Fields[MergeFields.ChangedBy] = AppointmentValues.ChangedBy(source, acceptedRequest: false);
        // The request's appointment's own cancel page, where the client may withdraw it (a booking request by cancelling
        // it, a cancellation request by "Keep my appointment"; the closing offers it where the business lets clients
        // cancel). Only the client's copy carries it.
        var clientFields = values.ForClient(source);
        if (clientCancelUrl is not null)
        {
            clientFields[MergeFields.CancelUrl] = clientCancelUrl;
        }

        writer.Add(eventId, values.ClientEmail, client.Kind, new MessageContent(client.Text.Subject, client.Text.Body, clientFields), about);
        // Each copy links where its reader can go (decision 251): an owner's or admin's sign-in address to the request
        // on Requests, where they decide it; any other (a practitioner, who gets 403 there, or someone who signs in
        // nowhere) to the appointment's page in the diary, which a practitioner of that diary opens. Its words follow
        // the link: "until you or another owner or admin confirms it" to a decider, the business's owner or an admin
        // in the third person to anyone else.
        var deciders = await facts.RequestDecidersAsync(cancellationToken);
        var look = await facts.LookAsync(cancellationToken);
        var content = new MessageContent(staff.DeciderText.Subject, staff.DeciderText.Body, values.Fields, Action: StaffLinks.Request(origin, look.Slug, appointmentId));
        var contactContent = new MessageContent(staff.Text.Subject, staff.Text.Body, values.Fields, Action: StaffLinks.Appointment(origin, look.Slug, appointmentId));
        var decides = deciders.Select(d => d.Email.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // A request waits for staff: a contact not confirmed yet is stood in for by the confirmed extra addresses; the
        // owners and admins hear of it too, except at an address already mailed as the contact (or its stand-in).
        var contacts = await DiaryContactRecipients.WriteAsync(db, writer, eventId, values.DiaryContact, settings: null, staff.DiaryContactKind, contactContent, about,
            cancellationToken, to => decides.Contains(to.Trim()) ? content : contactContent);
        await WriteToDecidersAsync(db, writer, facts, eventId, contacts, staff.DecidersKind, content, about, cancellationToken, deciders);
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }

    /// <summary>
    /// The request's email to the owners' and admins' sign-in addresses, each once (trimmed, case-insensitive), leaving
    /// out the addresses the event's diary-contact email actually went to (<paramref name="mailed"/>: only those, so an
    /// address that was not mailed as the contact still hears as an owner or admin). Read when the emails are written:
    /// the team as it is then. Sign-up and Team take an address as typed, so only a proven one is mailed (its person used
    /// a reset link sent there, or confirmed it in the business as a diary contact or an extra address); another is
    /// written withheld, so the log says who was not told and why.
    /// </summary>
    public static async Task WriteToDecidersAsync(
        NotificationsDbContext db, MessageWriter writer, INotificationFacts facts, Guid eventId, IReadOnlyCollection<string> mailed, string kind, MessageContent content,
        MessageAbout about, CancellationToken cancellationToken, IReadOnlyList<RequestDecider>? known = null)
    {
        var skip = new HashSet<string>(mailed.Select(a => a.Trim()), StringComparer.OrdinalIgnoreCase);
        var deciders = (known ?? await facts.RequestDecidersAsync(cancellationToken))
            .Select(d => d with { Email = d.Email.Trim() })
            .Where(d => d.Email.Length > 0 && !skip.Contains(d.Email))
            .DistinctBy(d => d.Email, StringComparer.OrdinalIgnoreCase).ToList();
        var unproven = deciders.Where(d => !d.Proven).Select(d => d.Email.ToLowerInvariant()).ToList();
        var confirmed = unproven.Count == 0 ? [] : await db.AddressConfirmations.AsNoTracking()
            .Where(c => unproven.Contains(c.Address) && c.ConfirmedAt != null && c.DeclinedAt == null)
            .Select(c => c.Address).ToListAsync(cancellationToken);
        foreach (var decider in deciders)
        {
            if (decider.Proven || confirmed.Contains(decider.Email.ToLowerInvariant()))
            {
                writer.Add(eventId, decider.Email, kind, content, about);
            }
            else
            {
                writer.AddWithheld(eventId, decider.Email, kind, content, about, Unproven(decider.Email));
            }
        }
    }

    /// <summary>Why an owner's or admin's request email was withheld, and what proves the address.</summary>
    public static string Unproven(string address) =>
        $"Not sent: {address} is an owner's or admin's sign-in email, and nobody has shown yet that they read mail there. "
        + "Confirming it with the link we emailed there (Setup and Requests send a fresh one), or using a password reset link sent to it, "
        + "proves it (so does confirming it as a diary contact or an extra address); "
        + "then send this again.";
}

/// <summary>
/// A declined booking or cancellation request emails the client. An accept sends nothing here: the AppointmentBooked /
/// AppointmentCancelled raised with it tells the client (one email per decision).
/// </summary>
public sealed class BookingRequestDecidedEmails(NotificationsDbContext db, INotificationFacts facts, MessageWriter writer) : INotificationHandler<BookingRequestDecided>
{
    public async ValueTask Handle(BookingRequestDecided evt, CancellationToken cancellationToken)
    {
        if (evt.Accepted)
        {
            return;
        }

        await using var held = await db.HoldConnectionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(BookingRequestDecidedEmails), cancellationToken))
        {
            return;
        }

        // Events from before the appointment's details were added carry no times: the text without the appointment.
        var known = evt is { DiaryId: not null, ServiceId: not null, Start: not null, End: not null };
        var values = known
            ? await AppointmentValues.LoadAsync(facts, evt.ClientId, evt.PetId, evt.ServiceId!.Value, evt.DiaryId!.Value, evt.Start!.Value, evt.End!.Value, reason: null, cancellationToken)
            : null;
        var fields = values?.Fields ?? AppointmentValues.ClientFields(await facts.ClientAsync(evt.ClientId, cancellationToken));
        var about = values?.About(evt.AppointmentId, evt.Start!.Value)
            ?? new MessageAbout(fields.GetValueOrDefault(MergeFields.ClientFullName), evt.AppointmentId, null, null);
        fields[MergeFields.DecisionReason] = evt.Reason;
        fields[MergeFields.ChangedBy] = AppointmentValues.ChangedBy(ChangeSources.Staff, acceptedRequest: false);
        var (kind, text) = string.Equals(evt.Kind, "cancellation", StringComparison.Ordinal)
            ? (MessageKinds.ClientCancellationRequestDeclined, known ? ClientTexts.CancellationRequestDeclined : ClientTexts.CancellationRequestDeclinedWithoutAppointment)
            : (MessageKinds.ClientBookingRequestDeclined, known ? ClientTexts.BookingRequestDeclined : ClientTexts.BookingRequestDeclinedWithoutAppointment);
        writer.Add(evt.EventId, fields[MergeFields.ClientEmail], kind, new MessageContent(text.Subject, text.Body, fields), about);
        await writer.SaveAndEnqueueAsync(cancellationToken);
    }
}

/// <summary>
/// Where a diary contact's email goes. The contact is written by the business (Roster) and the email may carry the
/// business's own text, so, as an extra address (decision 176), it is mailed only once its person confirmed it. Until
/// then (waiting, declined, or an address the business never asked about) the email goes, with <c>standIns</c>, to the
/// business's confirmed extra addresses instead (in a kind of its own, <see cref="MessageKinds.StandIns"/>, its note
/// naming the contact), so a request or a cancellation is not lost for want of a confirmation; with none, it is written
/// withheld, so the log says it was not sent and why (requests still wait under Requests, every change is in the diary).
/// </summary>
internal static class DiaryContactRecipients
{
    public static async Task<IReadOnlyList<string>> ForAsync(
        NotificationsDbContext db, string? contact, NotificationSettings? settings, bool standIns, CancellationToken cancellationToken) =>
        (await RouteAsync(db, contact, settings, standIns, cancellationToken)).To;

    /// <summary>
    /// Writes the email to the confirmed contact, or to its stand-ins, or withheld; answers the addresses it went to.
    /// </summary>
    /// <param name="contentFor">The content for one address, when copies differ (the request emails' links); else <paramref name="content"/>.</param>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        NotificationsDbContext db, MessageWriter writer, Guid eventId, string? contact, NotificationSettings? settings, string kind, MessageContent content,
        MessageAbout about, CancellationToken cancellationToken, Func<string, MessageContent>? contentFor = null)
    {
        var route = await RouteAsync(db, contact, settings, standIns: true, cancellationToken);
        if (route.Contact is null)
        {
            return [];
        }

        if (route.Confirmed)
        {
            writer.Add(eventId, route.Contact, kind, contentFor?.Invoke(route.Contact) ?? content, about);
        }
        else if (route.To.Count > 0)
        {
            var note = $"Sent to this confirmed extra address instead of the diary contact {route.Contact}, who {(route.Declined ? "said no to this business's emails" : route.Unsubscribed ? "unsubscribed from this business's emails" : "has not confirmed their address yet")}.";
            foreach (var to in route.To)
            {
                writer.Add(eventId, to, MessageKinds.StandIns.GetValueOrDefault(kind, kind), contentFor?.Invoke(to) ?? content, about, note);
            }
        }
        else
        {
            writer.AddWithheld(eventId, route.Contact, kind, content, about, WithheldNote(route.Contact, route.Declined, route.Unsubscribed));
        }

        return route.To;
    }

    /// <summary>The contact's email written withheld (nobody else is told of it), with the reason for the log.</summary>
    public static async Task WithholdAsync(
        NotificationsDbContext db, MessageWriter writer, Guid eventId, string contact, string kind, MessageContent content, MessageAbout about, CancellationToken cancellationToken)
    {
        var key = contact.Trim().ToLowerInvariant();
        var row = await db.AddressConfirmations.AsNoTracking().FirstOrDefaultAsync(c => c.Address == key, cancellationToken);
        writer.AddWithheld(eventId, contact, kind, content, about,
            WithheldNote(contact.Trim(), row?.DeclinedAt is not null, row is { ConfirmedAt: null, UnsubscribedAt: not null }));
    }

    private static string WithheldNote(string contact, bool declined, bool unsubscribed) =>
        declined ? $"Not sent: the diary contact {contact} said no to this business's emails, and no other confirmed address is set."
        : unsubscribed ? $"Not sent: the diary contact {contact} unsubscribed from this business's emails, and no other confirmed address is set. "
            + "Use Ask again next to the contact email on the diary's page; once they say yes, you can send this again."
        : $"Not sent: the diary contact {contact} has not confirmed their address, and no other confirmed address is set. Once it is confirmed, you can send this again.";

    private static async Task<Route> RouteAsync(
        NotificationsDbContext db, string? contact, NotificationSettings? settings, bool standIns, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(contact))
        {
            return new Route(null, false, false, false, []);
        }

        var key = contact.Trim().ToLowerInvariant();
        List<string> extras = [];
        if (standIns)
        {
            settings ??= await db.KeptSettingsAsync(cancellationToken);
            extras = settings?.ExtraAddresses.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Length > 0 && a != key).Distinct().ToList() ?? [];
        }

        var asked = extras.Append(key).ToList();
        var rows = await db.AddressConfirmations.AsNoTracking()
            .Where(c => asked.Contains(c.Address) && ((c.ConfirmedAt != null && c.DeclinedAt == null) || (c.Address == key && (c.DeclinedAt != null || c.UnsubscribedAt != null))))
            .Select(c => new { c.Address, Confirmed = c.ConfirmedAt != null && c.DeclinedAt == null, Declined = c.DeclinedAt != null }).ToListAsync(cancellationToken);
        var confirmed = rows.Where(r => r.Confirmed).Select(r => r.Address).ToList();
        return confirmed.Contains(key)
            ? new Route(contact.Trim(), true, false, false, [contact.Trim()])
            : new Route(contact.Trim(), false, rows.Any(r => r.Declined), rows.Any(r => r.Address == key && !r.Declined), extras.Where(confirmed.Contains).ToList());
    }

    /// <param name="Contact">The contact as written (trimmed); null when the diary has none.</param>
    /// <param name="To">Where its email goes: the contact when confirmed, else the confirmed stand-ins (maybe none).</param>
    /// <param name="Unsubscribed">The contact's person used an unsubscribe link (and has not confirmed again since).</param>
    private sealed record Route(string? Contact, bool Confirmed, bool Declined, bool Unsubscribed, IReadOnlyList<string> To);
}

/// <summary>Appointments' status words as its events carry them (the contract's strings).</summary>
internal static class AppointmentStates
{
    public const string Requested = "requested";
    public const string CancellationRequested = "cancellation-requested";
}

/// <summary>Links for staff, on the configured public origin (never the request's Host).</summary>
internal static class StaffLinks
{
    /// <summary>
    /// The request on the Requests page (<c>#request-&lt;id&gt;</c>, its heading; the id is the appointment's): the page
    /// lists every open request, so one decided meanwhile is simply not there. Only owners and admins open it.
    /// </summary>
    public static MessageAction Request(PublicOrigin origin, string slug, Guid appointmentId) =>
        new("Open the request", $"{origin.Value.TrimEnd('/')}/staff/requests?name={Uri.EscapeDataString(slug)}#request-{appointmentId}");

    /// <summary>
    /// The appointment's page in the diary (<c>/staff/diary/appointments/&lt;id&gt;</c>): every staff member who reads its
    /// diary opens it (a practitioner their assigned diaries, decision 108), and it says where the request stands.
    /// </summary>
    public static MessageAction Appointment(PublicOrigin origin, string slug, Guid appointmentId) =>
        new("Open the appointment", $"{origin.Value.TrimEnd('/')}/staff/diary/appointments/{appointmentId}?name={Uri.EscapeDataString(slug)}");
}

/// <summary>The merge values of one appointment, gathered through the contract queries.</summary>
internal sealed record AppointmentValues(Dictionary<string, string?> Fields, string? ClientEmail, string? DiaryContact, string Summary)
{
    public static bool Fires(string source, NotificationSettings settings) =>
        string.Equals(source, ChangeSources.Portal, StringComparison.Ordinal) || settings.IncludeStaffChanges;

    /// <summary>
    /// A staff change made once the appointment had started (recording a past visit, tidying the diary): not news to
    /// the client, and an invite for a time gone by only clutters their calendar, so the client is not emailed.
    /// Decided on the event's own time, not on when the email is written, so a late or retried delivery decides the
    /// same. A decision on the client's own request is told regardless (the callers check): they are waiting for it.
    /// </summary>
    public static bool AfterTheFact(string source, DateTimeOffset start, DateTimeOffset? changedAt) =>
        string.Equals(source, ChangeSources.Staff, StringComparison.Ordinal) && changedAt is { } at && start <= at;

    /// <summary>
    /// {ChangedBy}: the client (portal), a staff member (diary); a client's request that staff accepted is the client's
    /// change ("the client, on a request staff accepted"), as the diary shows it: booked by the client, in the portal.
    /// </summary>
    public static string ChangedBy(string source, bool acceptedRequest) =>
        acceptedRequest ? "the client, on a request staff accepted"
        : source switch
        {
            ChangeSources.Portal => "the client",
            ChangeSources.Staff => "a staff member",
            _ => "the business",
        };

    /// <summary>Each address once (trimmed, case-insensitive), leaving out <paramref name="except"/>.</summary>
    public static List<string> Distinct(IEnumerable<string> addresses, string? except)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(except))
        {
            seen.Add(except.Trim());
        }

        return addresses.Select(a => a.Trim()).Where(a => a.Length > 0 && seen.Add(a)).ToList();
    }

    public static async Task<AppointmentValues> LoadAsync(
        INotificationFacts facts, Guid clientId, Guid? petId, Guid serviceId, Guid diaryId, DateTimeOffset start, DateTimeOffset end, string? reason, CancellationToken cancellationToken,
        string? note = null)
    {
        var client = await facts.ClientAsync(clientId, cancellationToken);
        var service = await facts.ServiceAsync(serviceId, cancellationToken);
        var diary = await facts.DiaryAsync(diaryId, cancellationToken);
        // The client's pets first (no second query for the usual case); GetPetNames for a pet since removed.
        var pet = petId is not { } id ? null
            : client?.Pets.FirstOrDefault(p => p.Id == id)?.Name ?? await facts.PetNameAsync(id, cancellationToken);
        var fields = ClientFields(client);
        var startText = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        fields[MergeFields.AppointmentStartDateTime] = startText;
        fields[MergeFields.NextAppointmentStartDateTime] = startText;
        fields[MergeFields.AppointmentEndDateTime] = end.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        fields[MergeFields.ServiceName] = service?.Name;
        fields[MergeFields.PetName] = pet;
        // The pet's notes on file (decision 338): what the groomer should know before the animal arrives.
        fields[MergeFields.PetNotes] = petId is { } noted && client?.Pets.FirstOrDefault(p => p.Id == noted)?.Notes is { } petNotes
            && !string.IsNullOrWhiteSpace(petNotes) ? petNotes.Trim() : null;
        fields[MergeFields.DiaryName] = diary?.Name;
        fields[MergeFields.WithDiary] = diary?.With;
        fields[MergeFields.CancellationReason] = reason;
        fields[MergeFields.AppointmentNote] = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        // "Full Groom for Rex with Gina the Groomer": a calendar entry says which pet is coming ("… — Table 2" for a resource).
        var what = service?.Name ?? "Appointment";
        what = string.IsNullOrWhiteSpace(pet) ? what : $"{what} for {pet}";
        var summary = service is null || diary is null ? what : $"{what} {diary.With}";
        return new AppointmentValues(fields, client?.Email, diary?.ContactEmail, summary);
    }

    /// <summary>
    /// The values for the client's own copy: the note only when it is theirs (booked at the portal, <paramref name="source"/>
    /// "portal"); staff's note from the diary is staff's, never shown to the client. A copy, so the client-only fields
    /// added to it (the cancel page) never reach the staff emails.
    /// </summary>
    public Dictionary<string, string?> ForClient(string source)
    {
        var fields = new Dictionary<string, string?>(Fields, StringComparer.Ordinal);
        if (!string.Equals(source, ChangeSources.Portal, StringComparison.Ordinal))
        {
            fields[MergeFields.AppointmentNote] = null;
        }

        return fields;
    }

    /// <summary>
    /// The client's copy with no note: a cancellation's event says who cancelled, not who booked, so whose note it is
    /// cannot be told, and a staff note must never reach the client.
    /// </summary>
    public Dictionary<string, string?> ForClientWithoutNote() => ForClient(string.Empty);

    /// <summary>What the log shows of the appointment: the client, the appointment, when, and its calendar name.</summary>
    public MessageAbout About(Guid appointmentId, DateTimeOffset start) =>
        new(Fields.GetValueOrDefault(MergeFields.ClientFullName), appointmentId, start, Summary);

    /// <summary>
    /// The client's fields. {ClientMobilePhone} only for a verified mobile: one typed at registration and never proven
    /// may be anyone's number (phone sign-in treats it as not on file), so staff are not handed it as the client's.
    /// {ClientOtherPhone} is the number staff put on file (decision 292); {ClientPhone} is worked out from the two when
    /// rendered (decision 296).
    /// </summary>
    public static Dictionary<string, string?> ClientFields(ClientView? client) => new(StringComparer.Ordinal)
    {
        [MergeFields.ClientFullName] = client?.FullName,
        [MergeFields.ClientFirstName] = client?.FirstName,
        [MergeFields.ClientMobilePhone] = client is { MobileVerified: true } ? client.Mobile : null,
        [MergeFields.ClientOtherPhone] = client?.OtherPhone,
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
