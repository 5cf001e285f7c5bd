using Booking.Notifications.Contracts;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Messages;

/// <summary>The emails of one appointment, oldest first (decision 336): the row's appointment id, kept since decision 297's log link.</summary>
public sealed class GetAppointmentMessagesHandler(NotificationsDbContext db) : IQueryHandler<GetAppointmentMessages, IReadOnlyList<AppointmentMessageView>>
{
    public async ValueTask<IReadOnlyList<AppointmentMessageView>> Handle(GetAppointmentMessages query, CancellationToken cancellationToken)
    {
        var rows = await db.Messages.AsNoTracking().Where(m => m.AppointmentId == query.AppointmentId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(200).ToListAsync(cancellationToken);
        return rows.Select(m => new AppointmentMessageView(
            m.Id, m.Recipient, MessageKinds.Label(m.Kind), MessageKinds.ToClient(m.Kind), MessageStatus.Public(m.Status), m.Attempts, m.LastError,
            m.CreatedAt, m.SentAt, m.Note, m.Failures, m.FirstFailedAt, m.LastFailedAt, m.LastFailure, m.ResentAt, m.ResentBy)).ToList();
    }
}

/// <summary>
/// Addresses a mail server refused for good (550, 551, 553) with nothing sent to them since (decision 336). Later emails
/// to such an address are still tried (a mailbox is often fixed, and a server may refuse by mistake): staff are told
/// instead, on the client's page and each appointment's.
/// </summary>
public sealed class GetAddressBouncesHandler(NotificationsDbContext db) : IQueryHandler<GetAddressBounces, IReadOnlyList<AddressBounce>>
{
    public async ValueTask<IReadOnlyList<AddressBounce>> Handle(GetAddressBounces query, CancellationToken cancellationToken)
    {
        var addresses = query.Addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim().ToLowerInvariant()).Distinct().ToList();
        if (addresses.Count == 0)
        {
            return [];
        }

        var failed = await db.Messages.AsNoTracking()
            .Where(m => addresses.Contains(m.Recipient.ToLower()) && m.Status == MessageStatus.Failed && m.LastError != null
                && (EF.Functions.Like(m.LastError, "SMTP 550%") || EF.Functions.Like(m.LastError, "SMTP 551%") || EF.Functions.Like(m.LastError, "SMTP 553%")))
            .Select(m => new { Address = m.Recipient.ToLower(), At = m.LastFailedAt ?? m.NextAttemptAt, Error = m.LastError! })
            .ToListAsync(cancellationToken);
        if (failed.Count == 0)
        {
            return [];
        }

        var sent = await db.Messages.AsNoTracking()
            .Where(m => addresses.Contains(m.Recipient.ToLower()) && m.Status == MessageStatus.Sent && m.SentAt != null)
            .GroupBy(m => m.Recipient.ToLower()).Select(g => new { Address = g.Key, At = g.Max(m => m.SentAt!.Value) })
            .ToListAsync(cancellationToken);
        var lastSent = sent.ToDictionary(s => s.Address, s => s.At, StringComparer.Ordinal);
        return failed.GroupBy(f => f.Address, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(f => f.At).First())
            .Where(f => !lastSent.TryGetValue(f.Address, out var at) || at < f.At)
            .Select(f => new AddressBounce(f.Address, f.At, f.Error))
            .ToList();
    }
}
