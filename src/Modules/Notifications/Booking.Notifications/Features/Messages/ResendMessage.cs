using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace Booking.Notifications.Features.Messages;

/// <summary>
/// Sends a message that failed permanently, or was withheld (never sent: its address not confirmed), once more (an address fixed at the mail server, a server that refused by
/// mistake): the same row goes back to queued with a fresh retry budget, so the (event, recipient, kind) key still
/// holds and it cannot become two messages. A message still on its way answers as it is; a sent one is refused.
/// <paramref name="To"/>: send it to this address instead (a diary contact corrected after the bounce); the row's
/// recipient changes with it, so the log shows where it went. Sign-in emails (<see cref="MessageKinds.SignIn"/>: reset
/// links, the changed-email notice) are refused, 409 <c>sign-in-email</c>. A staff-side message goes to another address
/// only if that address is confirmed in the business (as a diary contact or an extra address), else <c>validation</c> on <c>to</c>;
/// a withheld one goes only so, to its own address as to another (an owner's or admin's request email also to their proven sign-in email).
/// <paramref name="ResentBy"/>: who asked (the staff member's name from their session), kept on the row with the time so the log
/// says who sent it again and when (decision 336).
/// </summary>
public sealed record ResendMessage(Guid Id, string? To = null, string? ResentBy = null) : ICommand<MessageView>;

/// <summary>The body of <c>POST /api/v1/admin/messages/{id}/resend</c>; none, or no <c>to</c>, resends to the same address.</summary>
public sealed record ResendBody(string? To);

public sealed class ResendMessageValidator : AbstractValidator<ResendMessage>
{
    public ResendMessageValidator() =>
        RuleFor(x => x.To).Must(to => to is null || EmailAddress.IsValid(to.Trim()))
            .WithMessage("Enter a valid email address, or leave it out to send to the same address.");
}

public sealed class ResendMessageHandler(NotificationsDbContext db, MessageQueue queue, ITenantContext tenant, INotificationFacts facts, TimeProvider clock)
    : ICommandHandler<ResendMessage, MessageView>
{
    public const string AlreadySent = "already-sent";

    /// <summary>The message is about signing in (<see cref="MessageKinds.SignIn"/>): never sent again, to any address.</summary>
    public const string SignInEmail = "sign-in-email";

    /// <summary>The message is an extra address's confirmation: sent again only by Send again next to the address.</summary>
    public const string ConfirmationEmail = "confirmation-email";

    /// <summary>
    /// The message is about an appointment that has moved on since (a request decided, an appointment cancelled or
    /// started): sent now, it would tell something no longer true (<see cref="MessageCurrency"/>).
    /// </summary>
    public const string NoLongerCurrent = "no-longer-current";

    /// <summary>
    /// The message's address unsubscribed from the business's notification emails since (decision 230): it gets no more
    /// of them until its person says yes to a confirmation staff ask for again.
    /// </summary>
    public const string Unsubscribed = "unsubscribed";

    /// <summary>
    /// "… unsubscribed from these emails on 5 December 2026; they get no more of them …": the refusal's detail, the date in
    /// the business's zone and date order, and how to get the emails back (Ask again, where the address is listed).
    /// </summary>
    public string UnsubscribedDetail(string address, DateTimeOffset at, string kind)
    {
        var business = tenant.Current;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
        var date = DateStyle.ForCountry(business?.CountryCode).Long(Instant.FromDateTimeOffset(at).InZone(zone).Date);
        var where = MessageKinds.ToDiaryContact(kind) ? "the contact email on the diary's page in Setup → Roster" : "the extra addresses in Setup → Client Portal";
        return $"{address.Trim()} unsubscribed from this business's emails on {date}; they get no more of these emails, and this one is not sent again. "
            + $"To mail them again, use Ask again next to the address ({where}): they are sent a confirmation email, and once they say yes you can send this again.";
    }

    public async ValueTask<MessageView> Handle(ResendMessage command, CancellationToken cancellationToken)
    {
        // A kind never changes, so it is read before the conditional update. A reset link sent again (to another address
        // above all) would hand the account to whoever reads it; the notice of a changed sign-in email belongs to the old
        // address only. A fresh reset is the way for both.
        var found = await db.Messages.Where(m => m.Id == command.Id).Select(m => new { m.Kind, m.Recipient, m.Status, m.AppointmentId, m.CreatedAt, m.AppointmentStart }).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("No such message.");
        var kind = found.Kind;
        if (MessageKinds.AddressConfirmations.Contains(kind))
        {
            throw new ProblemException(ConfirmationEmail, 409, "Confirmation emails are not sent again from the log",
                "An address's confirmation email carries its own link and is not sent again from here, to any address. "
                + (kind == MessageKinds.DiaryContactConfirmation
                    ? "Use Send again next to the contact email on the diary's page (Setup → Roster)."
                    : "Use Send again next to the address in the notification settings (Setup → Client Portal)."))
            {
                Extensions = { ["messageKind"] = kind },
            };
        }

        if (!MessageKinds.MayResend(kind))
        {
            throw new ProblemException(SignInEmail, 409, "Sign-in emails are not sent again",
                $"A \"{MessageKinds.Label(kind)}\" email is not sent again, to any address: it carries a sign-in link or is about one. "
                + "Send a fresh password reset instead (the person's Forgot password page, or Staff for a staff member).")
            {
                Extensions = { ["messageKind"] = kind },
            };
        }

        var now = clock.GetUtcNow();
        // Only a message that could still go (failed or withheld) is judged: a sent one keeps its own answer below.
        if (found.AppointmentId is { } appointmentId && MessageCurrency.Judged(found.Status)
            && MessageCurrency.Refusal(kind, await facts.AppointmentStateAsync(appointmentId, cancellationToken), now, found.CreatedAt, tenant, found.AppointmentStart) is { } why)
        {
            throw new ProblemException(NoLongerCurrent, 409, "No longer current", why)
            {
                Extensions = { ["messageKind"] = kind },
            };
        }

        var to = string.IsNullOrWhiteSpace(command.To) ? null : command.To.Trim();
        // The business's own emails (a diary contact's, an extra address's) go only to an address whose person agreed
        // (decisions 176, 196): sending one to another address here would skip that. The address is added where it
        // belongs instead, which asks its person first.
        // A withheld message was never sent because its address was not confirmed: it goes only once one is, to its own
        // address as to another.
        var withheld = found.Status == MessageStatus.Withheld;
        var key = (to ?? found.Recipient).ToLowerInvariant();
        // Its person unsubscribed from the business's notification emails (decision 230): only their yes to a confirmation
        // staff ask for again (Ask again) mails the address again, never a message sent from the log. The message's own
        // address is a state of the message (409, the log offers no Resend); a corrected address typed in is a bad value.
        if (MessageKinds.Unsubscribable.Contains(kind) && MessageCurrency.Judged(found.Status)
            && await db.AddressConfirmations.AsNoTracking()
                .Where(c => c.Address == key && c.UnsubscribedAt != null && c.ConfirmedAt == null && c.DeclinedAt == null)
                .Select(c => c.UnsubscribedAt).FirstOrDefaultAsync(cancellationToken) is { } unsubscribedAt)
        {
            if (string.Equals(key, found.Recipient.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new ProblemException(Unsubscribed, 409, "The address unsubscribed", UnsubscribedDetail(found.Recipient, unsubscribedAt, kind))
                {
                    Extensions =
                    {
                        ["messageKind"] = kind,
                        ["address"] = found.Recipient,
                        ["unsubscribedAt"] = tenant.Local(unsubscribedAt),
                    },
                };
            }

            throw ProblemException.Invalid("to", "The person at this address unsubscribed from this business's emails. Use Ask again next to the address "
                + "(they are sent a confirmation email), and send this message again once they say yes.");
        }

        if (!MessageKinds.ToClient(kind) && (withheld || (to is not null && !string.Equals(found.Recipient, key, StringComparison.OrdinalIgnoreCase)))
            && !await MayMailAsync(key, kind, cancellationToken))
        {
            throw ProblemException.Invalid("to", MessageKinds.ToDeciders.Contains(kind) && withheld && to is null
                ? "Nobody has shown yet that they read mail at this owner's or admin's sign-in email. Send this again once they have confirmed it "
                  + "with the link we emailed there or used a password reset link sent to it, or send it to a confirmed address."
                : "The person at this address hasn't confirmed that they want this business's emails. Make it a diary's contact email or an "
                  + "extra address (they are sent a confirmation email), and send this message again once they say yes.");
        }

        // One conditional statement: two resends at once requeue it once; the tenant filter keeps it to this business.
        var resentBy = string.IsNullOrWhiteSpace(command.ResentBy) ? null : command.ResentBy.Trim() is { Length: > 200 } longName ? longName[..200] : command.ResentBy.Trim();
        int requeued;
        try
        {
            requeued = await db.Messages
                .Where(m => m.Id == command.Id && (m.Status == MessageStatus.Failed || m.Status == MessageStatus.Withheld))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Note, m => m.Status == MessageStatus.Withheld ? null : m.Note)
                        .SetProperty(m => m.Status, MessageStatus.Queued)
                        .SetProperty(m => m.Attempts, 0)
                        .SetProperty(m => m.NextAttemptAt, now)
                        .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null)
                        .SetProperty(m => m.Recipient, m => to ?? m.Recipient)
                        .SetProperty(m => m.ResentAt, (DateTimeOffset?)now)
                        .SetProperty(m => m.ResentBy, resentBy),
                    cancellationToken);
        }
        catch (Exception ex) when (ex.PostgresError() is { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same event's message of this kind already went (or goes) to that address: one message per address.
            throw ProblemException.Invalid("to", "This message already has a copy for that address.");
        }

        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such message.");
        if (requeued == 1)
        {
            queue.EnqueueAll(message.TenantId, [message.Id]);
        }
        else if (message.Status == MessageStatus.Sent)
        {
            throw new ProblemException(AlreadySent, 409, "Already sent", "This message was sent; sending it again would send it twice.");
        }

        return MessageView.From(message, tenant);
    }

    /// <summary>
    /// Whether the business may send this kind to the address: its person confirmed it in the business (a diary contact or
    /// an extra address), or, for an owner's or admin's request email, it is a sign-in email of theirs that its person proved.
    /// </summary>
    private async Task<bool> MayMailAsync(string address, string kind, CancellationToken cancellationToken) =>
        await db.AddressConfirmations.AnyAsync(c => c.Address == address && c.ConfirmedAt != null && c.DeclinedAt == null, cancellationToken)
        || (MessageKinds.ToDeciders.Contains(kind)
            && (await facts.RequestDecidersAsync(cancellationToken)).Any(d => d.Proven && string.Equals(d.Email.Trim(), address, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>
/// Whether an appointment's message still tells the truth, judged on the appointment as it stands now: a message is
/// about one moment of it (a request waiting, a booking made, a cancellation), and sent again later it is read as news.
/// A request's email once the request is decided or withdrawn, a booking's once it is cancelled, and any of them once
/// the appointment has started would mislead (a "Booking request … not booked until … confirms it" for a request long
/// settled), so they are refused, saying what happened instead. Not known (no appointment found, a fake): not refused.
/// A message written before the appointment's last move (decision 282) tells the time (and diary) before it, and its .ics
/// a SEQUENCE from then, which the moved email's file outranks: it is refused too, pointing to the moved-appointment
/// email, which carries the time now (decision 286). A message is sent as it was written, never re-rendered.
/// </summary>
public static class MessageCurrency
{
    private static readonly IReadOnlySet<string> BookingRequests = new HashSet<string>(StringComparer.Ordinal)
    {
        MessageKinds.DiaryContactBookingRequest, MessageKinds.StaffBookingRequest, MessageKinds.StandInBookingRequest,
        MessageKinds.ClientBookingRequestReceived,
    };

    private static readonly IReadOnlySet<string> CancellationRequests = new HashSet<string>(StringComparer.Ordinal)
    {
        MessageKinds.DiaryContactCancellationRequest, MessageKinds.StaffCancellationRequest, MessageKinds.StandInCancellationRequest,
        MessageKinds.ClientCancellationRequestReceived,
    };

    /// <summary>Messages that say the client withdrew a cancellation request, so the appointment stands.</summary>
    private static readonly IReadOnlySet<string> CancellationWithdrawals = new HashSet<string>(StringComparer.Ordinal)
    {
        MessageKinds.DiaryContactCancellationRequestWithdrawn, MessageKinds.StaffCancellationRequestWithdrawn, MessageKinds.StandInCancellationRequestWithdrawn,
    };

    /// <summary>Messages that say the appointment stands (booked, accepted, a cancellation declined, moved).</summary>
    private static readonly IReadOnlySet<string> Standing = new HashSet<string>(StringComparer.Ordinal)
    {
        MessageKinds.DiaryContactNew, MessageKinds.ExtraAddressNew, MessageKinds.ClientBookingConfirmation,
        MessageKinds.ClientBookingRequestAccepted, MessageKinds.ClientCancellationRequestDeclined,
        MessageKinds.ClientAppointmentMoved, MessageKinds.DiaryContactMoved,
    };

    private static readonly string[] Released = ["cancelled", "declined"];

    /// <summary>
    /// Whether a message in this status is judged at all: only one that could still go (failed or withheld). The resend
    /// asks it, and so does the log's list, which answers the refusal beforehand (<c>noLongerCurrent</c>) so the page
    /// offers no Resend the server would refuse.
    /// </summary>
    public static bool Judged(string status) => status is MessageStatus.Failed or MessageStatus.Withheld;

    /// <summary>The refusal's detail (409 <c>no-longer-current</c>): why the message would mislead now, and that it is not sent again.</summary>
    public static string? Refusal(string kind, AppointmentState? state, DateTimeOffset now, DateTimeOffset? writtenAt = null, ITenantContext? tenant = null,
        DateTimeOffset? toldStart = null) =>
        WhyNotCurrent(kind, state, now, writtenAt, tenant, toldStart) is { } why ? why + " It is not sent again." : null;

    /// <summary>
    /// Why the message would mislead now, in a sentence; null when it is still true (or nothing is known).
    /// <paramref name="writtenAt"/>: when the message was written (its <c>CreatedAt</c>), judged against the appointment's
    /// last move; <paramref name="tenant"/> dates the move in the business's zone and date style (UTC without one).
    /// <paramref name="toldStart"/>: the start the message tells (its <c>AppointmentStart</c>); another start now means
    /// it tells the time before a move, even when it was written after the move (its event read late).
    /// </summary>
    public static string? WhyNotCurrent(string kind, AppointmentState? state, DateTimeOffset now, DateTimeOffset? writtenAt = null, ITenantContext? tenant = null,
        DateTimeOffset? toldStart = null)
    {
        if (state is null)
        {
            return null;
        }

        if (Settled(kind, state) is { } settled)
        {
            return settled;
        }

        if (state.Start <= now)
        {
            return "This appointment has already started.";
        }

        // Written before the last move: its time (and its .ics) are the old ones. The move's own emails tell the new time.
        if (Superseded(state, writtenAt, toldStart) is { } movedAt)
        {
            var moved = MessageKinds.ToClient(kind) ? MessageKinds.ClientAppointmentMoved : MessageKinds.DiaryContactMoved;
            return $"This appointment was moved on {LongDate(tenant, movedAt)}, after this email was written, so it would give the time before the move. "
                + $"Send the moved-appointment email instead (\"{MessageKinds.Label(moved)}\" in this log), which gives the time now.";
        }

        return null;
    }

    /// <summary>
    /// Decision 297: why a message due to be sent (a first attempt or a retry after a temporary failure) is not sent, as
    /// the log's note ("Not sent: the appointment changed before this email could be delivered. …"); null to send it.
    /// Two of the resend's rules (<see cref="WhyNotCurrent"/>): written before the appointment's last move (or telling
    /// another start than now), and a booking's or moved email once the appointment is cancelled. Not "already started":
    /// a message was news when written, and a decision on the client's request told after the start is written on
    /// purpose, so it still goes. Not a request settled: its settlement's email follows it to the same addresses. A
    /// cancellation's, a decline's and a withdrawn request's emails stay true whatever comes after (nothing moves a
    /// cancelled appointment), so they go.
    /// </summary>
    /// <param name="toldLater">Whether a later message about the appointment went to the same address: a move withholds only
    /// then (without one, the old time is still the last its reader would hear, and the diary shows the rest).</param>
    public static string? WhyNotDelivered(string kind, AppointmentState? state, DateTimeOffset? writtenAt, DateTimeOffset? toldStart, ITenantContext? tenant = null, bool toldLater = true)
    {
        if (state is null)
        {
            return null;
        }

        // The move first: a booking's email superseded by a move and then a cancellation names the move, which made it wrong first.
        if (toldLater && Superseded(state, writtenAt, toldStart) is { } movedAt && !StaysTrue.Contains(kind))
        {
            var instead = MessageKinds.ToClient(kind) ? MessageKinds.ClientAppointmentMoved
                : MessageKinds.ToDiaryContact(kind) || kind.StartsWith("stand-in-", StringComparison.Ordinal) ? MessageKinds.DiaryContactMoved
                : null;
            return ChangedNote + $"It was moved on {LongDate(tenant, movedAt)}, so this email would have given the time before the move"
                + (instead is null
                    ? "; the diary shows the time now."
                    : $"; the moved-appointment email (\"{MessageKinds.Label(instead)}\" in this log) gives the time now.");
        }

        // Cancelled since: a booking's or a moved email would say it stands. A request's emails are left to their own
        // pairs: the settlement's email (accepted, declined, withdrawn) follows them to the same addresses, and a
        // cancellation request not sent yet is taken back with its withdrawal (CancellationWithdrawnEmails); withheld
        // alone, a request would leave its withdrawal telling of a request its reader never had.
        return (Standing.Contains(kind) || CancellationWithdrawals.Contains(kind)) && Released.Contains(state.Status)
            ? ChangedNote + "This appointment has since been cancelled."
            : null;
    }

    /// <summary>How the note of a message <see cref="WhyNotDelivered"/> kept from going starts.</summary>
    public const string ChangedNote = "Not sent: the appointment changed before this email could be delivered. ";

    /// <summary>Told when the appointment was settled for good, and true however it changes after: sent whatever happens.</summary>
    private static readonly IReadOnlySet<string> StaysTrue = new HashSet<string>(StringComparer.Ordinal)
    {
        MessageKinds.ClientCancellationConfirmation, MessageKinds.DiaryContactCancelled, MessageKinds.StandInCancelled,
        MessageKinds.ClientCancellationRequestAccepted, MessageKinds.ClientBookingRequestDeclined, MessageKinds.ClientBookingRequestWithdrawn,
        MessageKinds.ClientBookingRequestCancelled, MessageKinds.DiaryContactBookingRequestWithdrawn, MessageKinds.StaffBookingRequestWithdrawn,
        MessageKinds.StandInBookingRequestWithdrawn,
    };

    /// <summary>A request since decided or withdrawn, or an appointment since cancelled, that the message's kind tells otherwise.</summary>
    private static string? Settled(string kind, AppointmentState state)
    {
        if (BookingRequests.Contains(kind) && state.Status != "requested")
        {
            return state.Status switch
            {
                "declined" => "This booking request has since been declined.",
                "cancelled" => "This booking request has since been withdrawn or cancelled.",
                _ => "This booking request has since been confirmed: the appointment is booked.",
            };
        }

        if (CancellationRequests.Contains(kind) && state.Status != "cancellation-requested")
        {
            return Released.Contains(state.Status)
                ? "This cancellation request has since been accepted: the appointment is cancelled."
                : "This cancellation request is no longer open (the business kept the appointment, or the client withdrew the request): the appointment stands.";
        }

        if (CancellationWithdrawals.Contains(kind) && state.Status == "cancellation-requested")
        {
            return "The client has since asked again to cancel this appointment.";
        }

        if ((Standing.Contains(kind) || CancellationWithdrawals.Contains(kind)) && Released.Contains(state.Status))
        {
            return "This appointment has since been cancelled.";
        }

        return null;
    }

    /// <summary>
    /// When the appointment was last moved, if the message tells the time before it: written before the move, or telling
    /// another start than the appointment's now (its event was read after the move). Null when it is not superseded.
    /// </summary>
    private static DateTimeOffset? Superseded(AppointmentState state, DateTimeOffset? writtenAt, DateTimeOffset? toldStart) =>
        state.MovedAt is { } movedAt
        && ((writtenAt is { } written && written < movedAt) || (toldStart is { } told && told != state.Start))
            ? movedAt
            : null;

    /// <summary>"6 December 2026": the date of an instant in the business's zone and date order.</summary>
    private static string LongDate(ITenantContext? tenant, DateTimeOffset at)
    {
        var business = tenant?.Current;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
        return DateStyle.ForCountry(business?.CountryCode).Long(Instant.FromDateTimeOffset(at).InZone(zone).Date);
    }
}
