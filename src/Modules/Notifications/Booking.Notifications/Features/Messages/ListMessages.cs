using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Rendering;
using Booking.Notifications.Domain;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Messages;

/// <summary>Status: queued, retrying, sent or failed (null = all). Newest first, at most Limit.</summary>
public sealed record ListMessages(string? Status, int Limit = 100) : IQuery<MessageList>;

public sealed record MessageList(IReadOnlyList<MessageView> Items);

/// <summary>NextAttemptAt: when a "retrying" message is tried again (null otherwise).</summary>
public sealed record MessageView(
    Guid Id, string To, string Kind, string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt)
{
    internal static MessageView From(OutboundMessage m, ITenantContext tenant)
    {
        var status = MessageStatus.Public(m.Status);
        return new MessageView(
            m.Id, m.Recipient, m.Kind, status, m.Attempts, m.LastError,
            tenant.Local(m.CreatedAt), m.SentAt is { } sent ? tenant.Local(sent) : null,
            status == MessageStatus.Retrying ? tenant.Local(m.NextAttemptAt) : null);
    }
}

public sealed class ListMessagesValidator : AbstractValidator<ListMessages>
{
    public ListMessagesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null or MessageStatus.Queued or MessageStatus.Retrying or MessageStatus.Sent or MessageStatus.Failed)
            .WithMessage("status is queued, retrying, sent or failed.");
        RuleFor(x => x.Limit).InclusiveBetween(1, 500);
    }
}

public sealed class ListMessagesHandler(NotificationsDbContext db, ITenantContext tenant) : IQueryHandler<ListMessages, MessageList>
{
    public async ValueTask<MessageList> Handle(ListMessages query, CancellationToken cancellationToken)
    {
        var messages = db.Messages.AsNoTracking();
        messages = query.Status switch
        {
            MessageStatus.Sent => messages.Where(m => m.Status == MessageStatus.Sent),
            MessageStatus.Failed => messages.Where(m => m.Status == MessageStatus.Failed),
            MessageStatus.Retrying => messages.Where(m => m.Status == MessageStatus.Retrying),
            MessageStatus.Queued => messages.Where(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending),
            _ => messages,
        };
        var rows = await messages.OrderByDescending(m => m.CreatedAt).Take(query.Limit).ToListAsync(cancellationToken);
        return new MessageList(rows.Select(m => MessageView.From(m, tenant)).ToList());
    }
}
