using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Sms;

/// <summary>What a text is and what it is about, for its record: its kind (<see cref="TextKinds"/>), the client, the appointment.</summary>
public sealed record TextAbout(string Kind, Guid? ClientId = null, Guid? AppointmentId = null, DateTimeOffset? AppointmentStart = null);

/// <summary>
/// The record of every text the business sends or does not send (<see cref="SentText"/>, decision 252), one row per
/// event and kind for the event texts (a retry updates its row), one per code sent. Staff read it in Tools → Sent
/// messages through <see cref="ListTexts"/>.
/// </summary>
public sealed class TextLog(PortalAuthDbContext db, TimeProvider clock)
{
    /// <summary>
    /// How many sends of an event's text fail before it is given up (status failed): fewer than the event job's own
    /// retries (Hangfire's, at least 11 deliveries), so the record says "failed" before the job stops trying.
    /// </summary>
    public const int Tries = 8;

    public Task<SentText?> FindAsync(Guid eventId, string kind, CancellationToken cancellationToken) =>
        db.Texts.FirstOrDefaultAsync(t => t.EventId == eventId && t.Kind == kind, cancellationToken);

    /// <summary>A text the app would not send (the number is outside the business's texting countries): saved at once.</summary>
    public async Task RefusedAsync(Guid eventId, TextAbout about, string to, string note, CancellationToken cancellationToken)
    {
        var row = await FindAsync(eventId, about.Kind, cancellationToken) ?? Add(eventId, about, to);
        row.To = to;
        row.Status = TextStatuses.Refused;
        row.Note = note;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A text the carrier took: added to the context (the caller saves it with its own change).</summary>
    public void Sent(SentText? row, Guid? eventId, TextAbout about, string to, string? body, string carrierId, DateTimeOffset? queuedAt = null)
    {
        row ??= Add(eventId, about, to, queuedAt);
        var now = clock.GetUtcNow();
        row.To = to;
        row.Body = body;
        row.Status = TextStatuses.Sent;
        row.Permanent = false;
        row.Note = null;
        row.Attempts++;
        row.CarrierId = carrierId.Length > 64 ? carrierId[..64] : carrierId;
        row.LastAttemptAt = now;
        row.SentAt = now;
    }

    /// <summary>
    /// An event's text the carrier did not take: recorded as retrying (the event is delivered again, and sends again),
    /// or as failed once <see cref="Tries"/> sends failed or the carrier refused for good. Saved at once, outside the
    /// send's rolled-back transaction. True when given up.
    /// </summary>
    public async Task<bool> FailedAsync(Guid eventId, TextAbout about, string to, string body, Exception error, CancellationToken cancellationToken)
    {
        var row = await FindAsync(eventId, about.Kind, cancellationToken) ?? Add(eventId, about, to);
        row.To = to;
        row.Body = body;
        row.Attempts++;
        row.LastAttemptAt = clock.GetUtcNow();
        row.LastError = Error(error);
        var final = error is SmsSendException { Transient: false } || row.Attempts >= Tries;
        row.Permanent = ForGood(error);
        row.Status = final ? TextStatuses.Failed : TextStatuses.Retrying;
        row.Note = row.Permanent ? RefusedForGood : final ? "Not sent: given up." : $"Tried {row.Attempts} of {Tries} times; the app tries again later.";
        await db.SaveChangesAsync(cancellationToken);
        return final;
    }

    /// <summary>A code's text the app gave up on after its tries (the carrier failed for now, or something else went wrong): a new code may get through.</summary>
    public const string CodeGaveUp = "Not sent: given up. The client can ask for a new code.";

    /// <summary>
    /// A code's text the carrier refused for good (a non-transient <see cref="SmsSendException"/>, such as Twilio's 21211 for
    /// an invalid number): a new code to the number fails the same way, so staff are not told the client can ask for one.
    /// Staff's words only: the code pages read <see cref="SentText.Permanent"/> (<c>GetPhoneCodeState</c>, decisions 344 and 348).
    /// </summary>
    public const string CodeRefusedForGood = "Not sent: the carrier refused this number. A new code to it would fail the same way; check the number with the client.";

    /// <summary>
    /// An event's text the carrier refused for good (<see cref="SentText.Permanent"/>): the event's later deliveries send
    /// nothing more, and staff are told why in words that do not promise another try.
    /// </summary>
    public const string RefusedForGood = "Not sent: the carrier refused this number. Sending it again would fail the same way; check the number with the client.";

    /// <summary>
    /// Whether a send failed for good: the adapter classified the carrier's answer as a refusal of this number
    /// (<see cref="SmsSendException.Permanent"/>), so resending cannot help. Stored as <see cref="SentText.Permanent"/>.
    /// </summary>
    public static bool ForGood(Exception? error) => error is SmsSendException { Permanent: true };

    /// <summary>A one-time code's text, once its sends are over: sent, or failed after <paramref name="attempts"/> tries. Never the code.</summary>
    public async Task CodeAsync(TextAbout about, string to, DateTimeOffset queuedAt, int attempts, string? carrierId, Exception? error, CancellationToken cancellationToken)
    {
        var row = Add(null, about, to, queuedAt);
        row.Attempts = attempts - 1;
        if (carrierId is not null)
        {
            Sent(row, null, about, to, null, carrierId);
        }
        else
        {
            row.Attempts = attempts;
            row.LastAttemptAt = clock.GetUtcNow();
            row.Status = TextStatuses.Failed;
            row.LastError = error is null ? null : Error(error);
            row.Permanent = ForGood(error);
            row.Note = row.Permanent ? CodeRefusedForGood : CodeGaveUp;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private SentText Add(Guid? eventId, TextAbout about, string to, DateTimeOffset? createdAt = null)
    {
        var row = new SentText
        {
            Id = Guid.CreateVersion7(),
            Kind = about.Kind,
            To = to,
            ClientId = about.ClientId,
            EventId = eventId,
            AppointmentId = about.AppointmentId,
            AppointmentStart = about.AppointmentStart?.ToUniversalTime(), // an event may carry an offset; timestamptz takes UTC only
            CreatedAt = createdAt ?? clock.GetUtcNow(),
        };
        db.Texts.Add(row);
        return row;
    }

    private static string Error(Exception error)
    {
        var text = error is SmsSendException ? error.Message : $"{error.GetType().Name}: {error.Message}";
        return text.Length > 1000 ? text[..1000] : text;
    }
}
