using Booking.Appointments.Contracts;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Features.RequestDecisionSms;
using Booking.PortalAuth.Sms;
using Mediator;

namespace Booking.PortalAuth.Features.AppointmentSms;

/// <summary>
/// An appointment booked (at the portal or by staff): a client with no email but a mobile hears it by SMS, since
/// Notifications' confirmation email cannot reach them; a client with an email gets only the email. Not for an
/// accepted booking request (<see cref="RequestDecisionSmsHandler"/> told it) nor for a staff change made once the
/// appointment had started (a past visit recorded: not news, as the email decides). Once per event
/// (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class AppointmentBookedSmsHandler(PhoneOnlyClientSms sms, ISender sender, TimeProvider clock) : INotificationHandler<AppointmentBooked>
{
    public async ValueTask Handle(AppointmentBooked evt, CancellationToken cancellationToken)
    {
        if (evt.PreviousStatus == AppointmentTexts.Requested || AppointmentTexts.AfterTheFact(evt.Source, evt.Start, evt.ChangedAt))
        {
            return;
        }

        await sms.SendOnceAsync(
            evt.EventId,
            nameof(AppointmentBookedSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.BookingConfirmation, AppointmentId: evt.AppointmentId, AppointmentStart: evt.Start),
            async (business, links, ct) =>
            {
                var facts = await AppointmentTextFacts.ReadAsync(sender, business, evt.ServiceId, evt.PetId, ct);
                // The window the appointment keeps (decision 270), which the portal will hold the client to.
                var policy = facts.Settings.CancellationPolicy.Kept(evt.CancellationHours, evt.CancellationInsideWindow);
                var cancel = !facts.Access.Cancel ? null
                    : !policy.IsInside(evt.Start, evt.ChangedAt ?? clock.GetUtcNow()) ? $" To cancel: {links.Cancel(evt.AppointmentId)}"
                    : policy.TakesRequests ? $" To ask to cancel: {links.Cancel(evt.AppointmentId)}"
                    : null;
                return facts.Worded(evt.Start, what => AppointmentTexts.Booked(business.Name, what, facts.Access.View ? links.Appointments : null, cancel));
            },
            cancellationToken);
    }
}

/// <summary>
/// An appointment (or a booking request) cancelled, by staff or by the client: a client with no email but a mobile hears
/// it by SMS. Not for an accepted cancellation request (<see cref="RequestDecisionSmsHandler"/> told it; staff cancelling an appointment whose cancellation was asked for is texted) nor for a staff
/// change made once the appointment had started. Once per event (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class AppointmentCancelledSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<AppointmentCancelled>
{
    public async ValueTask Handle(AppointmentCancelled evt, CancellationToken cancellationToken)
    {
        // An accepted cancellation request comes from the portal (the client asked) and its decision text told it; staff
        // cancelling such an appointment themselves is a cancellation like any other.
        if ((evt.PreviousStatus == AppointmentTexts.CancellationRequested && evt.Source == ChangeSources.Portal)
            || AppointmentTexts.AfterTheFact(evt.Source, evt.Start, evt.ChangedAt))
        {
            return;
        }

        await sms.SendOnceAsync(
            evt.EventId,
            nameof(AppointmentCancelledSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.Cancellation, AppointmentId: evt.AppointmentId, AppointmentStart: evt.Start),
            async (business, links, ct) =>
            {
                var facts = await AppointmentTextFacts.ReadAsync(sender, business, evt.ServiceId, evt.PetId, ct);
                var byStaff = !string.Equals(evt.Source, ChangeSources.Portal, StringComparison.Ordinal);
                return facts.Worded(evt.Start, what => AppointmentTexts.Cancelled(
                    business.Name, what, byStaff, request: evt.PreviousStatus == AppointmentTexts.Requested,
                    facts.Access.Book ? links.Book : null, reason: byStaff ? evt.Reason : null));
            },
            cancellationToken,
            // A waiting request (or cancellation request) cancelled is its answer: texted where its receipt was (decision 340).
            promisedBy: evt.PreviousStatus == AppointmentTexts.Requested ? TextKinds.RequestReceived
                : evt.PreviousStatus == AppointmentTexts.CancellationRequested ? TextKinds.CancellationRequestReceived
                : null);
    }
}

/// <summary>
/// A booking request filed (at the portal, or by staff for the client): a client with no email but a mobile hears that it
/// arrived and waits for a decision, as Notifications' "received your booking request" email tells everyone else; before
/// this, a client who joined by phone heard nothing until staff decided. Once per event (<see cref="PhoneOnlyClientSms"/>),
/// recorded in the messages list like every text (decision 252).
/// </summary>
public sealed class BookingRequestedSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<BookingRequested>
{
    public async ValueTask Handle(BookingRequested evt, CancellationToken cancellationToken) =>
        await sms.SendOnceAsync(
            evt.EventId,
            nameof(BookingRequestedSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.RequestReceived, AppointmentId: evt.AppointmentId, AppointmentStart: evt.Start),
            async (business, links, ct) =>
            {
                var facts = await AppointmentTextFacts.ReadAsync(sender, business, evt.ServiceId, evt.PetId, ct);
                return facts.Worded(evt.Start, what => AppointmentTexts.Received(business.Name, what, facts.Access.View ? links.Appointments : null));
            },
            cancellationToken);
}

/// <summary>
/// A cancellation request filed (the client asked to cancel inside the window of a business that takes requests): a
/// client with no email but a mobile hears that it arrived and that the appointment stands until the business decides,
/// as Notifications' "received your cancellation request" email tells a client with an email; before this, only the
/// diary contact heard of it (decision 281). The decision is texted by <see cref="RequestDecisionSmsHandler"/>. Once per
/// event (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class CancellationRequestedSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<CancellationRequested>
{
    public async ValueTask Handle(CancellationRequested evt, CancellationToken cancellationToken) =>
        await sms.SendOnceAsync(
            evt.EventId,
            nameof(CancellationRequestedSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.CancellationRequestReceived, AppointmentId: evt.AppointmentId, AppointmentStart: evt.Start),
            async (business, links, ct) =>
            {
                var facts = await AppointmentTextFacts.ReadAsync(sender, business, evt.ServiceId, evt.PetId, ct);
                return facts.Worded(evt.Start, what => AppointmentTexts.CancellationRequestReceived(
                    business.Name, what, facts.Access.Cancel ? links.Cancel(evt.AppointmentId) : null));
            },
            cancellationToken);
}

/// <summary>
/// The booked, cancelled and request-received texts: one line each, what (with the pet it is for) and when as the
/// decision texts write it; no notes, and no reason but the one staff give for cancelling ("Reason, sent to the client"),
/// which the email carries too (decision 252).
/// </summary>
public static class AppointmentTexts
{
    public const string Requested = "requested";
    public const string CancellationRequested = "cancellation-requested";

    /// <summary>A staff change made once the appointment had started: not news to the client (as the emails decide it).</summary>
    public static bool AfterTheFact(string source, DateTimeOffset start, DateTimeOffset? changedAt) =>
        string.Equals(source, ChangeSources.Staff, StringComparison.Ordinal) && changedAt is { } at && start <= at;

    /// <param name="listUrl">The client's appointments page (null: the list is off).</param>
    /// <param name="cancelLine">" To cancel: …" or " To ask to cancel: …", where the portal lets the client do it now.</param>
    public static string Booked(string businessName, string what, string? listUrl, string? cancelLine) =>
        $"{businessName} confirmed your appointment{Colon(what)}."
        + (listUrl is not null ? $" Your appointments: {listUrl}" : cancelLine ?? "");

    /// <param name="bookUrl">The booking page, where the client may book online now (null: they may not).</param>
    /// <param name="reason">
    /// Staff's reason, sent to the client: "Reason: …." after the head, shortened to keep the text within
    /// <see cref="DecisionTexts.MaxLength"/> (two segments) as the decline reason is, and left out beside a very long
    /// business name (the cancellation and the link matter more). The client's own reason is not texted back.
    /// </param>
    public static string Cancelled(string businessName, string what, bool byStaff, bool request, string? bookUrl, string? reason = null)
    {
        var head = (byStaff, request) switch
        {
            (true, false) => $"{businessName} cancelled your appointment{Colon(what)}.",
            (false, false) => $"Your appointment with {businessName} is cancelled{Colon(what)}.",
            (true, true) => $"{businessName} cancelled your booking request{Colon(what)}.",
            (false, true) => $"Your booking request with {businessName} is withdrawn{Colon(what)}.",
        };
        var tail = bookUrl is null ? "" : request ? $" To choose another time: {bookUrl}" : $" To book again: {bookUrl}";
        return DecisionTexts.WithReason(head, reason, tail);
    }

    /// <summary>
    /// A booking request was filed: worded as Notifications' "received your request" email, in one text; the client's
    /// appointments page where they may see it (<paramref name="listUrl"/>, null while the list is off).
    /// </summary>
    public static string Received(string businessName, string what, string? listUrl) =>
        $"{businessName} received your booking request{Colon(what)}. It is not confirmed yet: you will get a text when they have decided."
        + (listUrl is null ? "" : $" Your appointments: {listUrl}");

    /// <summary>
    /// A cancellation request was filed: the appointment stands until the business decides. <paramref name="cancelUrl"/>:
    /// the appointment's cancel page, where the client may withdraw the request ("Keep my appointment"; null where the
    /// portal does not let clients cancel).
    /// </summary>
    public static string CancellationRequestReceived(string businessName, string what, string? cancelUrl) =>
        $"{businessName} received your request to cancel your appointment{Colon(what)}. It stands until they decide: you will get a text when they have."
        + (cancelUrl is null ? "" : $" To keep it instead: {cancelUrl}");

    private static string Colon(string what) => what.Length > 0 ? ": " + what : "";
}
