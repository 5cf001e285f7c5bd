using System.Globalization;

namespace Booking.Host.Pages.Staff.Tools;

/// <summary>
/// A message's delivery history in words for staff (decision 336), from what the log keeps: "Gave up after 4 attempts:
/// SMTP 451 …" for a message that will not be tried again, "Sent on attempt 4 (failed 3 times: SMTP 451 …)" for one that
/// went in the end, and "Resent by Gail at …". The Sent messages page and the appointment page say it the same way.
/// </summary>
public static class MessageHistory
{
    /// <summary>
    /// The outcome line: why a failed message stopped (it is not tried again), what a retrying one's last try said, or
    /// what a sent one went through first; null when there is nothing to say (sent at once, queued, withheld).
    /// </summary>
    public static string? Outcome(string status, int attempts, string? lastError, int failures, string? lastFailure, DateTimeOffset? resentAt)
    {
        switch (status)
        {
            case "failed":
                {
                    var earlier = failures - attempts;
                    var before = earlier > 0 && resentAt is not null ? $" (It had failed {Times(earlier)} before it was resent.)" : "";
                    return $"Gave up after {Count(attempts, "attempt")}: {lastError ?? lastFailure ?? "no error recorded"}{before}";
                }

            case "retrying":
                return lastError is { Length: > 0 } error ? $"Attempt {attempts} failed, trying again: {error}" : null;
            case "sent" when failures > 0:
                return resentAt is null
                    ? $"Sent on attempt {attempts} (failed {Times(failures)}: {lastFailure})"
                    : $"Sent after it was resent (failed {Times(failures)} before: {lastFailure})";
            default:
                return lastError;
        }
    }

    /// <summary>"First failed …; last failed …" when more than one attempt failed, "Failed at …" for one; null for none.</summary>
    public static string? FailedWhen(int failures, DateTimeOffset? first, DateTimeOffset? last, Func<DateTimeOffset, string> when) =>
        (failures, first, last) switch
        {
            ( > 1, { } f, { } l) when f != l => $"First failed {when(f)}; last failed {when(l)}.",
            ( > 0, _, { } l) => $"Failed {when(l)}.",
            _ => null,
        };

    /// <summary>"Resent by Gail Groomer at …" (or "Resent at …" where who is not known); null if never resent.</summary>
    public static string? Resent(DateTimeOffset? resentAt, string? resentBy, Func<DateTimeOffset, string> when) =>
        resentAt is { } at ? (resentBy is { Length: > 0 } by ? $"Resent by {by} at {when(at)}." : $"Resent at {when(at)}.") : null;

    private static string Times(int n) => n == 1 ? "once" : n.ToString(CultureInfo.InvariantCulture) + " times";

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
