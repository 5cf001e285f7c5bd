using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;

namespace Booking.Notifications.Delivery;

/// <summary>
/// Writes messages for one event in the consumer's unit of work, then enqueues their jobs after the commit.
/// The (event, recipient, kind) unique key makes a second write of the same message fail instead of duplicating it.
/// </summary>
public sealed class MessageWriter(NotificationsDbContext db, MessageQueue queue, ITenantContext tenant, PublicOrigin origin, TimeProvider clock)
{
    private readonly List<OutboundMessage> written = [];

    /// <param name="about">The appointment (and client) the message is about, for the log; null for other messages.</param>
    public void Add(Guid eventId, string? recipient, string kind, MessageContent content, MessageAbout? about = null)
    {
        var trimmed = recipient?.Trim();
        if (!EmailAddress.IsValid(trimmed))
        {
            return; // no usable address (a client without email): nothing to send
        }

        var address = trimmed!.ToLowerInvariant();
        if (written.Any(m => m.Recipient == address && m.Kind == kind))
        {
            return; // the same address twice in one event (diary contact also on the extra list): one email per kind
        }

        var now = clock.GetUtcNow();
        var message = new OutboundMessage
        {
            Id = Guid.CreateVersion7(),
            EventId = eventId,
            Recipient = address,
            Kind = kind,
            Status = MessageStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            Content = content.ToJson(),
            Subject = SubjectOf(content),
            ClientName = string.IsNullOrWhiteSpace(about?.ClientName) ? null : about.ClientName.Trim(),
            AppointmentId = about?.AppointmentId,
            AppointmentStart = about?.AppointmentStart,
            AppointmentSummary = about?.AppointmentSummary,
        };
        db.Messages.Add(message);
        written.Add(message);
    }

    /// <summary>Commits the messages (and the consumer's processed-event marker), then starts their jobs.</summary>
    public async Task SaveAndEnqueueAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        foreach (var tenantMessages in written.GroupBy(m => m.TenantId))
        {
            queue.EnqueueAll(tenantMessages.Key, tenantMessages.Select(m => m.Id).ToList());
        }

        written.Clear();
    }

    /// <summary>
    /// The subject as the email will carry it, kept for the log (Tools → Sent messages). Rendered with what it needs
    /// only (name, zone, portal address), so no branding query is made for it; the job renders it again when it sends.
    /// </summary>
    private string? SubjectOf(MessageContent content) =>
        tenant.Current is { } business ? EmailRenderer.RenderSubject(content, BusinessLooks.For(business, origin.Value, branding: null)) : null;
}

/// <summary>What an appointment's message is about: the client's name, the appointment, its start and its calendar name.</summary>
public sealed record MessageAbout(string? ClientName, Guid AppointmentId, DateTimeOffset? AppointmentStart, string? AppointmentSummary);
