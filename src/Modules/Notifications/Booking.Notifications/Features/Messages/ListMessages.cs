using System.Buffers.Text;
using System.Text.Json;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Booking.PortalAuth.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Messages;

/// <summary>
/// Status: queued, retrying, sent, failed, withheld or refused (null = all). Newest first, Limit (1–500, default 100) a
/// page; Cursor is the previous page's NextCursor. Emails and texts together (decision 252): the texts are PortalAuth's
/// record (<see cref="ListTexts"/>); only texts are refused, only emails queued or withheld.
/// </summary>
public sealed record ListMessages(string? Status, int? Limit = null, string? Cursor = null) : IQuery<MessageList>;

/// <summary>One page of messages, newest first; NextCursor is null on the last page.</summary>
public sealed record MessageList(IReadOnlyList<MessageView> Items, string? NextCursor);

/// <summary>
/// NextAttemptAt: when a "retrying" message is tried again (null otherwise). Kind stays the code (API.md); KindLabel is
/// the same in words (<see cref="MessageKinds.Labels"/>), Subject the subject as written (null on rows from before it
/// was kept), Appointment what an appointment's message is about (null for other messages and older rows), Note why it
/// went where it went or why it was not sent (a stand-in for the diary contact; a withheld message), null for most.
/// NoLongerCurrent: for a failed or withheld message about an appointment that has moved on since, why a resend would be
/// refused (409 <c>no-longer-current</c>, the same sentence; <see cref="MessageCurrency"/>); null otherwise.
/// UnsubscribedAt: for a failed or withheld message of the business's notification kinds (<see cref="MessageKinds.Unsubscribable"/>)
/// whose address has since unsubscribed (decision 230), when (the business's offset): a resend to it would be refused
/// (409 <c>unsubscribed</c>); null otherwise.
/// Channel: "email" or "text" (decision 252). A text's To is the mobile in E.164, its Kind one of PortalAuth's
/// <c>text-…</c> kinds, Subject null, Body the text as sent (null for a one-time code, which is never kept, and for
/// emails); a text is never sent again from the log (its resend is 404), and its status may be <c>refused</c> (never
/// sent: the Note says why).
/// The history a resend or a later success leaves (decision 336): Failures, how many attempts failed over the message's
/// whole life (Attempts and LastError start afresh with a resend, and a success clears LastError); FirstFailedAt and
/// LastFailedAt, when the first and latest of them ended; LastFailure, the latest one's error, kept; ResentAt and
/// ResentBy, when and by whom (the staff member's name then) it was last sent again from the log. 0 and nulls for texts.
/// RefusedForGood: a text the carrier refused for good (an invalid or unreachable number, PortalAuth's
/// <see cref="TextView.RefusedForGood"/>, decision 348): sending it again to that number would fail the same way, so
/// staff check the number with the client. False for every other text and for emails.
/// </summary>
public sealed record MessageView(
    Guid Id, string To, string Kind, string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt, string KindLabel, string? Subject, MessageAppointment? Appointment, string? Note = null, string? NoLongerCurrent = null,
    DateTimeOffset? UnsubscribedAt = null, string Channel = MessageChannels.Email, string? Body = null,
    int Failures = 0, DateTimeOffset? FirstFailedAt = null, DateTimeOffset? LastFailedAt = null, string? LastFailure = null,
    DateTimeOffset? ResentAt = null, string? ResentBy = null, bool RefusedForGood = false)
{
    /// <summary>A text of PortalAuth's record as the log shows it.</summary>
    internal static MessageView From(TextView t, ITenantContext tenant) =>
        new(t.Id, t.To, t.Kind, t.Status, t.Attempts, t.LastError, tenant.Local(t.CreatedAt), t.SentAt is { } sent ? tenant.Local(sent) : null,
            null, t.KindLabel, null,
            t.AppointmentId is { } appointment
                ? new MessageAppointment(appointment, t.AppointmentStart is { } start ? tenant.Local(start) : null, null, t.ClientName)
                : null,
            t.AppointmentId is null && t.ClientName is { Length: > 0 } client ? (t.Note is null ? $"Client: {client}." : $"Client: {client}. {t.Note}") : t.Note,
            Channel: MessageChannels.Text, Body: t.Body, RefusedForGood: t.RefusedForGood);

    internal static MessageView From(OutboundMessage m, ITenantContext tenant, string? noLongerCurrent = null, DateTimeOffset? unsubscribedAt = null)
    {
        var status = MessageStatus.Public(m.Status);
        return new MessageView(
            m.Id, m.Recipient, m.Kind, status, m.Attempts, m.LastError,
            tenant.Local(m.CreatedAt), m.SentAt is { } sent ? tenant.Local(sent) : null,
            status == MessageStatus.Retrying ? tenant.Local(m.NextAttemptAt) : null,
            MessageKinds.Label(m.Kind), m.Subject,
            m.AppointmentId is { } appointment
                ? new MessageAppointment(appointment, m.AppointmentStart is { } start ? tenant.Local(start) : null, m.AppointmentSummary, m.ClientName)
                : null,
            m.Note,
            noLongerCurrent,
            unsubscribedAt,
            Failures: m.Failures,
            FirstFailedAt: m.FirstFailedAt is { } first ? tenant.Local(first) : null,
            LastFailedAt: m.LastFailedAt is { } last ? tenant.Local(last) : null,
            LastFailure: m.LastFailure,
            ResentAt: m.ResentAt is { } resent ? tenant.Local(resent) : null,
            ResentBy: m.ResentBy);
    }
}

/// <summary>How a message went: by email or by text (SMS).</summary>
public static class MessageChannels
{
    public const string Email = "email";
    public const string Text = "text";
}

/// <summary>The appointment a message is about: its id, start (the business's offset), calendar name and client, as they were when written.</summary>
public sealed record MessageAppointment(Guid Id, DateTimeOffset? Start, string? Summary, string? ClientName);

public sealed class ListMessagesValidator : AbstractValidator<ListMessages>
{
    public ListMessagesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null or MessageStatus.Queued or MessageStatus.Retrying or MessageStatus.Sent or MessageStatus.Failed or MessageStatus.Withheld or TextStatuses.Refused)
            .WithMessage("Use queued, retrying, sent, failed, withheld or refused.");
        RuleFor(x => x.Limit).InclusiveBetween(1, MessageCursor.MaxLimit).WithMessage($"Use 1 to {MessageCursor.MaxLimit}.");
        RuleFor(x => x.Cursor).Must(c => string.IsNullOrEmpty(c) || MessageCursor.Decode(c) is not null)
            .WithMessage("Use the nextCursor of the previous page.");
    }
}

/// <summary>
/// Keyset paging over (created at, id), newest first: a message written while staff page through lands before the
/// first page, so the later pages neither repeat nor skip a row. The same key pages the texts, so one cursor serves both.
/// </summary>
internal sealed record MessageCursor(long T, Guid I)
{
    public const int MaxLimit = 500;

    public DateTimeOffset CreatedAt => new(T, TimeSpan.Zero);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static MessageCursor? Decode(string text)
    {
        try
        {
            var cursor = text.Length > 200 ? null : JsonSerializer.Deserialize<MessageCursor>(Base64Url.DecodeFromChars(text));
            return cursor is { T: > 0 } && cursor.T <= DateTimeOffset.MaxValue.UtcTicks && cursor.I != Guid.Empty ? cursor : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// A page of the emails (<see cref="OutboundMessage"/>) and PortalAuth's texts (<see cref="ListTexts"/>) together: each
/// read past the cursor for one more than the page, merged on (created at, id) newest first (PostgreSQL's uuid order is
/// <see cref="Guid.CompareTo(Guid)"/>'s), and the page cut from that, so the next cursor follows whichever came last.
/// </summary>
public sealed class ListMessagesHandler(NotificationsDbContext db, ITenantContext tenant, INotificationFacts facts, TimeProvider clock, ISender sender) : IQueryHandler<ListMessages, MessageList>
{
    public async ValueTask<MessageList> Handle(ListMessages query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? 100;
        var after = string.IsNullOrEmpty(query.Cursor) ? null : MessageCursor.Decode(query.Cursor);
        var emails = query.Status == TextStatuses.Refused ? [] : await EmailsAsync(query.Status, after, limit + 1, cancellationToken);
        var texts = query.Status is MessageStatus.Queued or MessageStatus.Withheld ? []
            : await sender.Send(new ListTexts(query.Status, limit + 1, after?.CreatedAt, after?.I), cancellationToken);
        var merged = emails.Select(m => (m.CreatedAt, m.Id, Email: (OutboundMessage?)m, Text: (TextView?)null))
            .Concat(texts.Select(t => (t.CreatedAt, t.Id, Email: (OutboundMessage?)null, Text: (TextView?)t)))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit + 1).ToList();
        var next = merged.Count > limit ? new MessageCursor(merged[limit - 1].CreatedAt.UtcTicks, merged[limit - 1].Id).Encode() : null;
        var rows = merged.Take(limit).ToList();
        var page = rows.Where(r => r.Email is not null).Select(r => r.Email!).ToList();
        var stale = await NotCurrentAsync(page, cancellationToken);
        var unsubscribed = await UnsubscribedAsync(page, cancellationToken);
        return new MessageList(rows.Select(r => r.Email is { } m
            ? MessageView.From(m, tenant, stale.GetValueOrDefault(m.Id), unsubscribed.TryGetValue(m.Id, out var at) ? at : null)
            : MessageView.From(r.Text!, tenant)).ToList(), next);
    }

    private async Task<List<OutboundMessage>> EmailsAsync(string? status, MessageCursor? after, int take, CancellationToken cancellationToken)
    {
        var messages = db.Messages.AsNoTracking();
        messages = status switch
        {
            MessageStatus.Sent => messages.Where(m => m.Status == MessageStatus.Sent),
            MessageStatus.Failed => messages.Where(m => m.Status == MessageStatus.Failed),
            MessageStatus.Retrying => messages.Where(m => m.Status == MessageStatus.Retrying),
            MessageStatus.Withheld => messages.Where(m => m.Status == MessageStatus.Withheld),
            MessageStatus.Queued => messages.Where(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending),
            _ => messages,
        };
        if (after is not null)
        {
            var at = after.CreatedAt;
            var id = after.I;
            messages = messages.Where(m => m.CreatedAt < at || (m.CreatedAt == at && m.Id.CompareTo(id) < 0));
        }

        return await messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The resend's own judgement (<see cref="MessageCurrency"/>) of each message it would judge: failed or withheld, of a
    /// kind that may be sent again, about an appointment. The page's appointments are asked in one query
    /// (<see cref="INotificationFacts.AppointmentStatesAsync"/>), not one per row.
    /// </summary>
    private async Task<Dictionary<Guid, string>> NotCurrentAsync(IReadOnlyList<OutboundMessage> page, CancellationToken cancellationToken)
    {
        var judged = page.Where(m => m.AppointmentId is not null && MessageCurrency.Judged(m.Status) && MessageKinds.MayResend(m.Kind)).ToList();
        var refusals = new Dictionary<Guid, string>();
        if (judged.Count == 0)
        {
            return refusals;
        }

        var now = clock.GetUtcNow();
        var states = await facts.AppointmentStatesAsync(judged.Select(m => m.AppointmentId!.Value).Distinct().ToList(), cancellationToken);
        foreach (var message in judged)
        {
            if (MessageCurrency.Refusal(message.Kind, states.GetValueOrDefault(message.AppointmentId!.Value), now, message.CreatedAt, tenant, message.AppointmentStart) is { } why)
            {
                refusals[message.Id] = why;
            }
        }

        return refusals;
    }

    /// <summary>
    /// When the address of each failed or withheld message of the business's notification kinds
    /// (<see cref="MessageKinds.Unsubscribable"/>) unsubscribed, where it has (the resend's 409 <c>unsubscribed</c>):
    /// one query for the page's addresses.
    /// </summary>
    private async Task<Dictionary<Guid, DateTimeOffset>> UnsubscribedAsync(IReadOnlyList<OutboundMessage> page, CancellationToken cancellationToken)
    {
        var judged = page.Where(m => MessageCurrency.Judged(m.Status) && MessageKinds.Unsubscribable.Contains(m.Kind)).ToList();
        var result = new Dictionary<Guid, DateTimeOffset>();
        if (judged.Count == 0)
        {
            return result;
        }

        var addresses = judged.Select(m => m.Recipient.Trim().ToLowerInvariant()).Distinct().ToList();
        var stopped = await db.AddressConfirmations.AsNoTracking()
            .Where(c => addresses.Contains(c.Address) && c.UnsubscribedAt != null && c.ConfirmedAt == null && c.DeclinedAt == null)
            .Select(c => new { c.Address, c.UnsubscribedAt }).ToListAsync(cancellationToken);
        var at = stopped.ToDictionary(c => c.Address, c => c.UnsubscribedAt!.Value, StringComparer.Ordinal);
        foreach (var message in judged)
        {
            if (at.TryGetValue(message.Recipient.Trim().ToLowerInvariant(), out var when))
            {
                result[message.Id] = tenant.Local(when);
            }
        }

        return result;
    }
}
