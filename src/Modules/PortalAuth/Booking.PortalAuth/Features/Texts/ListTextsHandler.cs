using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Texts;

/// <summary>
/// The business's record of texts (<see cref="Domain.SentText"/>) for Notifications' messages list, a keyset page newest
/// first, each with its client's name as it is now.
/// </summary>
public sealed class ListTextsHandler(PortalAuthDbContext db) : IQueryHandler<ListTexts, IReadOnlyList<TextView>>
{
    public async ValueTask<IReadOnlyList<TextView>> Handle(ListTexts query, CancellationToken cancellationToken)
    {
        if (query.Limit < 1 || query.Status is not (null or TextStatuses.Sent or TextStatuses.Refused or TextStatuses.Retrying or TextStatuses.Failed))
        {
            return [];
        }

        var texts = db.Texts.AsNoTracking();
        if (query.Status is { } status)
        {
            texts = texts.Where(t => t.Status == status);
        }

        if (query.BeforeCreatedAt is { } at && query.BeforeId is { } id)
        {
            texts = texts.Where(t => t.CreatedAt < at || (t.CreatedAt == at && t.Id.CompareTo(id) < 0));
        }

        var rows = await texts.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(query.Limit)
            .Select(t => new
            {
                Text = t,
                Client = db.Clients.Where(c => c.Id == t.ClientId).Select(c => new { c.FirstName, c.LastName }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new TextView(
            r.Text.Id, r.Text.To, r.Text.Kind, TextKinds.Label(r.Text.Kind), r.Text.Status, r.Text.Attempts, r.Text.LastError, r.Text.Note,
            r.Text.CreatedAt, r.Text.SentAt, TextKinds.IsCode(r.Text.Kind) ? null : r.Text.Body, r.Text.ClientId,
            r.Client is null ? null : $"{r.Client.FirstName} {r.Client.LastName}".Trim(),
            r.Text.EventId, r.Text.AppointmentId, r.Text.AppointmentStart, r.Text.Permanent)).ToList();
    }
}
