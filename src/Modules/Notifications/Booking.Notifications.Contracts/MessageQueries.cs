using Mediator;

namespace Booking.Notifications.Contracts;

/// <summary>
/// The emails written about one appointment in the current business (to the client, the diary contact, the business's
/// addresses), oldest first, for the staff appointment page (decision 336): a failed one is seen where staff look, not
/// only in Tools → Sent messages. Texts are not among them (PortalAuth's record). Times in UTC.
/// </summary>
public sealed record GetAppointmentMessages(Guid AppointmentId) : IQuery<IReadOnlyList<AppointmentMessageView>>;

/// <summary>
/// One email of an appointment: <see cref="Status"/> as the messages API says it (queued, retrying, sent, failed,
/// withheld); <see cref="ToClient"/> whether it went to the client; the history fields as the log's (Failures over the
/// message's life, the latest failure's error, who last resent it and when).
/// </summary>
public sealed record AppointmentMessageView(
    Guid Id, string To, string KindLabel, bool ToClient, string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, string? Note, int Failures, DateTimeOffset? FirstFailedAt, DateTimeOffset? LastFailedAt, string? LastFailure,
    DateTimeOffset? ResentAt, string? ResentBy);

/// <summary>
/// Which of these addresses bounced in the current business: the mail server refused a message to it for good (SMTP 550,
/// 551 or 553: no such mailbox, or the address refused) and no later message to it has been sent since. Compared trimmed
/// and lower-cased. Only the addresses that bounced are answered (decision 336).
/// </summary>
public sealed record GetAddressBounces(IReadOnlyList<string> Addresses) : IQuery<IReadOnlyList<AddressBounce>>;

/// <summary>An address's latest bounce: when (UTC) and the server's words ("SMTP 550: 5.1.1 Mailbox unavailable").</summary>
public sealed record AddressBounce(string Address, DateTimeOffset At, string Error);
