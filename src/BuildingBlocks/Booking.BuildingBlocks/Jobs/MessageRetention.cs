using Microsoft.Extensions.Configuration;

namespace Booking.BuildingBlocks.Jobs;

/// <summary>
/// How long a sent email's or text's row is kept (Tools → Messages, the delivery history): one setting,
/// <c>Messages:RetentionDays</c>, read by each module that keeps such rows (Notifications' emails, PortalAuth's texts), so
/// the log never shows an email from a time whose texts are gone. 400 days by default: a year back and the weeks around it
/// ("did they get last year's reminder?"), then the rows, which name people and their addresses, go.
/// </summary>
public static class MessageRetention
{
    public const string Setting = "Messages:RetentionDays";

    public const int DefaultDays = 400;

    /// <summary>Fewer days than this is a slip (a month's history is what staff look back over most).</summary>
    public const int FewestDays = 30;

    /// <summary>The rows older than this long are deleted; a setting under <see cref="FewestDays"/> stops the sweep with its reason.</summary>
    public static TimeSpan Of(IConfiguration configuration)
    {
        var days = configuration.GetValue(Setting, DefaultDays);
        return days >= FewestDays
            ? TimeSpan.FromDays(days)
            : throw new InvalidOperationException($"{Setting} is {days}; keep messages at least {FewestDays} days.");
    }

    public const string BatchSetting = "Messages:PurgeBatchSize";

    public const int DefaultBatch = 5000;

    /// <summary>
    /// The most rows one delete of a sweep takes (decision 266): a sweep deletes its tenant's old rows oldest first, a batch
    /// per statement, until a statement finds fewer, so a first run over a year's backlog holds no long lock. A setting
    /// under 1 stops the sweep with its reason.
    /// </summary>
    public static int BatchOf(IConfiguration configuration)
    {
        var batch = configuration.GetValue(BatchSetting, DefaultBatch);
        return batch >= 1 ? batch : throw new InvalidOperationException($"{BatchSetting} is {batch}; delete at least 1 row at a time.");
    }
}
