using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Delivery;

/// <summary>
/// Writes messages for one event in the consumer's unit of work, then enqueues their jobs after the commit.
/// The (event, recipient, kind) unique key makes a second write of the same message fail instead of duplicating it.
/// </summary>
public sealed class MessageWriter(NotificationsDbContext db, MessageQueue queue, ITenantContext tenant, INotificationFacts facts, TimeProvider clock)
{
    private readonly List<OutboundMessage> written = [];

    /// <summary>Messages added since the last save, with their content: their subjects are rendered at the save.</summary>
    private readonly List<(OutboundMessage Message, MessageContent Content)> unsubjected = [];

    /// <param name="about">The appointment (and client) the message is about, for the log; null for other messages.</param>
    /// <param name="note">Why it goes to this address, for the log (a stand-in for the diary contact); null for most.</param>
    public void Add(Guid eventId, string? recipient, string kind, MessageContent content, MessageAbout? about = null, string? note = null) =>
        Write(eventId, recipient, kind, content, about, note, MessageStatus.Queued);

    /// <summary>
    /// A message that is not sent, written so the log shows it and why (<paramref name="note"/>, "Not sent: …"): status
    /// withheld, never enqueued. Staff may send it from the log once its address is confirmed.
    /// </summary>
    public void AddWithheld(Guid eventId, string? recipient, string kind, MessageContent content, MessageAbout? about, string note) =>
        Write(eventId, recipient, kind, content, about, note, MessageStatus.Withheld);

    private void Write(Guid eventId, string? recipient, string kind, MessageContent content, MessageAbout? about, string? note, string status)
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
            Status = status,
            NextAttemptAt = now,
            CreatedAt = now,
            Content = content.ToJson(),
            ClientName = string.IsNullOrWhiteSpace(about?.ClientName) ? null : about.ClientName.Trim(),
            AppointmentId = about?.AppointmentId,
            AppointmentStart = about?.AppointmentStart,
            AppointmentSummary = about?.AppointmentSummary,
            Note = note is { Length: > 500 } ? note[..500] : note,
        };
        db.Messages.Add(message);
        written.Add(message);
        unsubjected.Add((message, content));
    }

    /// <summary>
    /// One built-in text to one address for an event, once: the consumer's processed mark and the message commit
    /// together, then its job starts. The shape of the single-recipient notices (a mobile claimed, a sign-in email
    /// changed).
    /// </summary>
    public async Task SendOnceAsync(Guid eventId, string consumer, string? recipient, string kind, (string Subject, string Body) text,
        Dictionary<string, string?> fields, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(eventId, consumer, cancellationToken))
        {
            return;
        }

        Add(eventId, recipient, kind, new MessageContent(text.Subject, text.Body, fields));
        await SaveAndEnqueueAsync(cancellationToken);
    }

    /// <summary>
    /// Up to this many rows are saved as one batch of statements (Npgsql's default batch holds 1000), which PostgreSQL runs
    /// as one implicit transaction: all of it or none, with no BEGIN and no COMMIT of its own.
    /// </summary>
    internal const int OneBatch = 100;

    /// <summary>
    /// Commits the messages (and the consumer's processed-event marker) together, then starts their jobs. Outside a
    /// transaction of the caller's, a save that fits one batch (<see cref="OneBatch"/>; an event's messages are a few: the
    /// client, the diary contact, up to 20 extra addresses, the owners and admins) is sent without EF's own transaction:
    /// the batch is atomic by itself, and the COMMIT was a round trip of its own on every appointment email. A larger
    /// save keeps the transaction.
    /// </summary>
    public async Task SaveAndEnqueueAsync(CancellationToken cancellationToken)
    {
        await WriteSubjectsAsync(cancellationToken);
        var database = db.Database;
        var before = database.AutoTransactionBehavior;
        if (database.CurrentTransaction is null && db.ChangeTracker.Entries().Count(e => e.State is not (EntityState.Unchanged or EntityState.Detached)) <= OneBatch)
        {
            database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            database.AutoTransactionBehavior = before;
        }

        foreach (var tenantMessages in written.Where(m => m.Status != MessageStatus.Withheld).GroupBy(m => m.TenantId))
        {
            queue.EnqueueAll(tenantMessages.Key, tenantMessages.Select(m => m.Id).ToList());
        }

        written.Clear();
    }

    /// <summary>
    /// The subject as the email will carry it, kept for the log (Tools → Sent messages): rendered with the business as
    /// the email sees it (its zone and clock; the settings are cached), once for the messages of this save; the job
    /// renders it again when it sends.
    /// </summary>
    private async Task WriteSubjectsAsync(CancellationToken cancellationToken)
    {
        if (unsubjected.Count == 0)
        {
            return;
        }

        if (tenant.Current is not null)
        {
            var look = await facts.LookAsync(cancellationToken);
            foreach (var (message, content) in unsubjected)
            {
                message.Subject = EmailRenderer.RenderSubject(content, look);
            }
        }

        unsubjected.Clear();
    }
}

/// <summary>What an appointment's message is about: the client's name, the appointment, its start and its calendar name.</summary>
public sealed record MessageAbout(string? ClientName, Guid AppointmentId, DateTimeOffset? AppointmentStart, string? AppointmentSummary);
