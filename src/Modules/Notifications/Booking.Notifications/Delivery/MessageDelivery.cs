using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.Messages;
using Booking.Notifications.Rendering;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Booking.Notifications.Delivery;

/// <summary>
/// The Hangfire job per message. Jobs are at least once (a retry, a duplicate enqueue, the sweeper); the message
/// is sent once because a job first claims the row with one conditional UPDATE and only the claimant sends.
/// </summary>
public sealed class MessageDeliveryJob(IServiceScopeFactory scopes, IBackgroundJobClient jobs, ILogger<MessageDeliveryJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("email {1} for tenant {0}")]
    public async Task SendAsync(Guid tenantId, Guid messageId, CancellationToken cancellationToken)
    {
        await using var scope = await TenantScope.OpenAsync(scopes, tenantId, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<MessageSender>().SendAsync(messageId, cancellationToken);
    }

    /// <summary>
    /// The messages one event made (a client's and a diary's), in one job instead of one each. Each is sent as
    /// <see cref="SendAsync"/> would; one that throws is handed to a job of its own, with that job's retries.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("emails for tenant {0}")]
    public async Task SendAllAsync(Guid tenantId, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        // One scope for the batch: its messages share one SMTP connection (the transport keeps it for the scope) and
        // one database connection, instead of opening both once per message.
        await using var scope = await TenantScope.OpenAsync(scopes, tenantId, cancellationToken);
        await using var held = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().HoldConnectionAsync(cancellationToken);
        var sender = scope.ServiceProvider.GetRequiredService<MessageSender>();
        await BatchJob.EachAsync(
            messageIds,
            "Message",
            id => id,
            id => sender.SendAsync(id, cancellationToken),
            id => jobs.Enqueue<MessageDeliveryJob>(j => j.SendAsync(tenantId, id, CancellationToken.None)),
            logger,
            cancellationToken);
    }
}

/// <summary>
/// Enqueues delivery jobs; the seam consumers and the sweeper use. Messages written by consumers
/// (<see cref="EnqueueAll"/>) are gathered for <see cref="Coalesce"/> and leave as one job per tenant (at most
/// <see cref="MaxPerJob"/> messages each): under load the events of one relay batch, and bookings made together,
/// share a job instead of paying Hangfire's job creation and state changes each. The messages are committed
/// before they are handed here, so a process that dies inside the window leaves them queued in the table, where
/// <see cref="DeliverySweeper"/> finds them.
/// </summary>
public sealed class MessageQueue(IBackgroundJobClient jobs, ILogger<MessageQueue> logger) : IDisposable
{
    /// <summary>200 ms: at hundreds of bookings a second, a job per 20 ms was most of Hangfire's work (decision 53).</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(200);
    public const int MaxPerJob = 50;

    private readonly Lock gate = new();
    private Dictionary<Guid, List<Guid>> pending = [];
    private bool flushing;

    public void Enqueue(Guid tenantId, Guid messageId) =>
        jobs.Enqueue<MessageDeliveryJob>(j => j.SendAsync(tenantId, messageId, CancellationToken.None));

    /// <summary>Messages a consumer has just committed: sent by a job shortly, together with others of the tenant.</summary>
    public void EnqueueAll(Guid tenantId, IReadOnlyList<Guid> messageIds)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            if (!pending.TryGetValue(tenantId, out var ids))
            {
                pending[tenantId] = ids = [];
            }

            ids.AddRange(messageIds);
            if (flushing)
            {
                return;
            }

            flushing = true;
        }

        _ = FlushSoonAsync();
    }

    public void Schedule(Guid tenantId, Guid messageId, TimeSpan delay) =>
        jobs.Schedule<MessageDeliveryJob>(j => j.SendAsync(tenantId, messageId, CancellationToken.None), delay);

    /// <summary>Hands everything gathered so far to Hangfire now.</summary>
    public void Flush()
    {
        Dictionary<Guid, List<Guid>> batch;
        lock (gate)
        {
            batch = pending;
            pending = [];
            flushing = false;
        }

        foreach (var (tenantId, ids) in batch)
        {
            foreach (var chunk in ids.Chunk(MaxPerJob))
            {
                try
                {
                    if (chunk.Length == 1)
                    {
                        Enqueue(tenantId, chunk[0]);
                    }
                    else
                    {
                        jobs.Enqueue<MessageDeliveryJob>(j => j.SendAllAsync(tenantId, chunk, CancellationToken.None));
                    }
                }
                catch (Exception ex)
                {
                    // Still queued in the table: the sweeper enqueues them once they are past its grace period.
                    logger.LogWarning(ex, "Could not enqueue {Count} email(s) for tenant {TenantId}; the sweeper will", chunk.Length, tenantId);
                }
            }
        }
    }

    public void Dispose() => Flush();

    private async Task FlushSoonAsync()
    {
        await Task.Delay(Coalesce);
        try
        {
            Flush();
        }
        catch (ObjectDisposedException)
        {
            // The host is gone (its logging with it); what was pending is in the table for the next start's sweep.
        }
    }
}

public sealed class MessageSender(
    NotificationsDbContext db,
    ITenantContext tenant,
    IMailTransport transport,
    EmailRenderer renderer,
    INotificationFacts facts,
    MessageQueue queue,
    SmtpOptions smtp,
    DeliveryOptions options,
    TimeProvider clock,
    IDataProtectionProvider protection,
    PublicOrigin origin,
    ILogger<MessageSender> logger)
{
    public const string MessageIdHeader = "X-Booking-Message-Id";

    private static readonly string[] UnsubscribableKinds = [.. MessageKinds.Unsubscribable];

    public async Task SendAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant.");
        var now = clock.GetUtcNow();
        var lease = now.AddSeconds(options.LeaseSeconds);

        // The claim: one atomic step that checks the state, takes the message and reads what sending it needs. A sent
        // or failed message, one not yet due, or one another worker holds under a live lease is left alone.
        // A notification email to the business's addresses carries an unsubscribe link: its token is made here, for this
        // send, and the row keeps only its hash (set by the claim itself, before anything is sent). The claim also reads
        // whether the recipient has unsubscribed since the message was written.
        var unsubscribeToken = UnsubscribeLinks.NewToken();
        var unsubscribeHash = UnsubscribeLinks.Hash(unsubscribeToken);
        var claimed = await db.Database.SqlQuery<ClaimedMessage>($"""
            UPDATE notifications.outbound_messages AS m
               SET status = 'sending', attempts = attempts + 1, lease_until = {lease},
                   unsubscribe_token_hash = CASE WHEN kind = ANY({UnsubscribableKinds}) THEN {unsubscribeHash} ELSE unsubscribe_token_hash END
             WHERE tenant_id = {tenantId} AND id = {messageId}
               AND ((status IN ('queued', 'retrying') AND next_attempt_at <= {now})
                 OR (status = 'sending' AND lease_until < {now}))
            RETURNING attempts, recipient, content, kind, appointment_id, appointment_start, created_at,
                (SELECT c.unsubscribed_at FROM notifications.address_confirmations AS c
                  WHERE c.tenant_id = m.tenant_id AND c.address = m.recipient AND c.confirmed_at IS NULL AND c.declined_at IS NULL) AS unsubscribed_at
            """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return;
        }

        var message = claimed[0];
        var attempt = message.Attempts;
        var carriesLink = ResetLinkContent.Carries(message.Kind);
        var unsubscribable = MessageKinds.Unsubscribable.Contains(message.Kind);
        if (unsubscribable && message.UnsubscribedAt is not null)
        {
            // Written (or sent again) before its person unsubscribed, sent after: not sent, and the log says why.
            await FinishAsync(messageId, attempt, MessageStatus.Withheld, error: null, clock.GetUtcNow(), retryAt: null, cancellationToken,
                note: UnsubscribeLinks.WithheldNote(message.Recipient));
            return;
        }

        // Decision 297: an appointment's message is judged again at every attempt, the first and each retry, as a resend
        // is: one the appointment has moved on from since it was written (moved since, or cancelled) is not
        // sent, and the log's note says why. The moved (or cancelled) appointment's own emails tell the time now.
        string? notCurrent = null;
        try
        {
            if (message.AppointmentId is { } appointmentId)
            {
                AppointmentState? state;
                try
                {
                    state = await facts.AppointmentStateAsync(appointmentId, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Not known whether it is still true: not sent now, and tried again as after a mail server's "try later".
                    throw new MailDeliveryException("Could not check that the appointment is unchanged: " + ex.Message, temporary: true, ex);
                }

                // A move makes a message wrong only where a later one tells its reader the time now: the old diary's
                // contact after a second move within the new diary, an extra address (no moved email), or a contact
                // a move did not write to would otherwise be left with nothing (the diff review of decision 297).
                var toldLater = state?.MovedAt is not null && await ToldLaterAsync(tenantId, messageId, appointmentId, message, cancellationToken);
                notCurrent = MessageCurrency.WhyNotDelivered(message.Kind, state, message.CreatedAt, message.AppointmentStart, tenant, toldLater);
            }

            if (notCurrent is not null)
            {
                logger.LogInformation("Email {MessageId} ({Kind}) not sent at attempt {Attempt}: its appointment changed since it was written", messageId, message.Kind, attempt);
            }
            else
            {
                await RenderAndSendAsync(messageId, message, carriesLink, unsubscribable, unsubscribeToken, cancellationToken);
            }
        }
        catch (MailDeliveryException ex) when (ex.Temporary && attempt < options.MaxAttempts)
        {
            var delay = options.RetryDelay(attempt);
            logger.LogWarning("Email {MessageId} attempt {Attempt} failed, retrying in {Delay}: {Error}", messageId, attempt, delay, ex.Message);
            await FinishAsync(messageId, attempt, MessageStatus.Retrying, ex.Message, now: clock.GetUtcNow(), retryAt: clock.GetUtcNow() + delay, cancellationToken);
            queue.Schedule(tenantId, messageId, delay);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Email {MessageId} failed for good at attempt {Attempt}", messageId, attempt);
            await FinishAsync(messageId, attempt, MessageStatus.Failed, ex.Message, clock.GetUtcNow(), retryAt: null, cancellationToken,
                keep: carriesLink ? Removed(message.Content, ResetLinkContent.RemovedAfterFailing) : null);
            return;
        }

        if (notCurrent is not null)
        {
            await FinishAsync(messageId, attempt, MessageStatus.Withheld, error: null, clock.GetUtcNow(), retryAt: null, cancellationToken, note: notCurrent);
            return;
        }

        await FinishAsync(messageId, attempt, MessageStatus.Sent, error: null, clock.GetUtcNow(), retryAt: null, cancellationToken,
            keep: carriesLink ? Removed(message.Content, ResetLinkContent.RemovedAfterSending) : null);
    }

    /// <summary>Whether a message about the same appointment was written to the same address after this one (any status).</summary>
    private async Task<bool> ToldLaterAsync(Guid tenantId, Guid messageId, Guid appointmentId, ClaimedMessage message, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (SELECT 1 FROM notifications.outbound_messages AS l
                            WHERE l.tenant_id = {tenantId} AND l.appointment_id = {appointmentId} AND l.id <> {messageId}
                              AND lower(l.recipient) = lower({message.Recipient}) AND l.created_at > {message.CreatedAt}) AS "Value"
            """).SingleAsync(cancellationToken);

    private async Task RenderAndSendAsync(Guid messageId, ClaimedMessage message, bool carriesLink, bool unsubscribable, string unsubscribeToken, CancellationToken cancellationToken)
    {
        var content = MessageContent.FromJson(message.Content);
        if (carriesLink)
        {
            content = ResetLinkContent.Reveal(content, protection); // in memory, for this render only
        }

        var look = await facts.LookAsync(cancellationToken);
        var unsubscribe = unsubscribable ? UnsubscribeLinks.For(origin.Value, look.Slug, message.Recipient, unsubscribeToken) : null;
        var rendered = await renderer.RenderAsync(content, look, message.Recipient, unsubscribe, message.Kind);
        await transport.SendAsync(ToMime(messageId, message.Recipient, message.Kind, rendered, look, unsubscribe), cancellationToken);
    }

    /// <summary>
    /// A reset email's content once it will not be sent again: its link (even encrypted) is not kept. Content that does
    /// not read (which may be why the send failed) is not kept at all, so the outcome is still recorded.
    /// </summary>
    private static string Removed(string json, string note)
    {
        try
        {
            return ResetLinkContent.Removed(MessageContent.FromJson(json), note).ToJson();
        }
        catch (System.Text.Json.JsonException)
        {
            return "{}";
        }
    }

    /// <summary>
    /// Records the outcome, only if this worker still holds the claim it made (its attempt number).
    /// <paramref name="keep"/>: the content the row keeps from now on (a reset email's, its link removed); null keeps it.
    /// </summary>
    private async Task FinishAsync(Guid messageId, int attempt, string status, string? error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken cancellationToken,
        string? keep = null, string? note = null)
    {
        var tenantId = tenant.TenantId!.Value;
        var replaceContent = keep is not null;
        var content = keep ?? "{}";
        var replaceNote = note is not null;
        var trimmed = error is { Length: > 2000 } ? error[..2000] : error;
        DateTimeOffset? sentAt = status == MessageStatus.Sent ? now : null;
        var nextAttempt = retryAt ?? now;
        // A failed attempt is kept in the row's history (decision 336): a later success or a resend clears last_error, not this.
        var failed = error is not null;
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE notifications.outbound_messages
               SET status = {status}, lease_until = NULL, last_error = {trimmed}, sent_at = {sentAt}, next_attempt_at = {nextAttempt},
                   content = CASE WHEN {replaceContent} THEN CAST({content} AS jsonb) ELSE content END,
                   note = CASE WHEN {replaceNote} THEN {note} ELSE note END,
                   failures = CASE WHEN {failed} THEN failures + 1 ELSE failures END,
                   first_failed_at = CASE WHEN {failed} THEN coalesce(first_failed_at, {now}) ELSE first_failed_at END,
                   last_failed_at = CASE WHEN {failed} THEN {now} ELSE last_failed_at END,
                   last_failure = CASE WHEN {failed} THEN {trimmed} ELSE last_failure END
             WHERE tenant_id = {tenantId} AND id = {messageId} AND status = 'sending' AND attempts = {attempt}
            """, CancellationToken.None);
        if (updated == 0)
        {
            logger.LogWarning("Email {MessageId}: the claim of attempt {Attempt} was lost before its outcome ({Status}) was saved", messageId, attempt, status);
        }
    }

    private MimeMessage ToMime(Guid messageId, string recipient, string kind, RenderedEmail email, BusinessLook look, UnsubscribeLink? unsubscribe)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(look.Name, smtp.FromAddress));
        // The sender address takes no replies: a client's reply goes to the business's own address, where it gave one;
        // where it gave none, the email says so in its own words (EmailFooter.NoReplyLine, the same test, decision 348).
        if (EmailFooter.ReplyTo(kind, look) is { } business)
        {
            mime.ReplyTo.Add(business);
        }

        mime.To.Add(MailboxAddress.Parse(recipient));
        mime.Subject = email.Subject;
        mime.MessageId = $"{messageId:N}@booking";
        mime.Headers.Add(MessageIdHeader, messageId.ToString());
        if (unsubscribe is not null)
        {
            // RFC 2369 and RFC 8058: mail providers offer "Unsubscribe" and POST List-Unsubscribe=One-Click to the address.
            mime.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribe.OneClickUrl}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        var body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html };
        foreach (var attachment in email.Attachments)
        {
            var type = ContentType.Parse(attachment.ContentType);
            type.Charset = "utf-8";
            type.Parameters.Add("method", attachment.Method);
            body.Attachments.Add(attachment.FileName, attachment.Content, type);
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }
}

/// <summary>What a claim reads back: the attempt it is, and what sending needs.</summary>
public sealed class ClaimedMessage
{
    public int Attempts { get; init; }

    public string Recipient { get; init; } = "";

    public string Content { get; init; } = "{}";

    public string Kind { get; init; } = "";

    /// <summary>The appointment an appointment's message is about; null for other messages and rows written before it was kept.</summary>
    public Guid? AppointmentId { get; init; }

    /// <summary>The start the message tells (the event's); null as <see cref="AppointmentId"/>.</summary>
    public DateTimeOffset? AppointmentStart { get; init; }

    /// <summary>When the message was written: judged against the appointment's last move.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the recipient unsubscribed from the business's emails, while that stands (not confirmed again since); else null.</summary>
    public DateTimeOffset? UnsubscribedAt { get; init; }
}
