using Booking.BuildingBlocks.Security;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Microsoft.AspNetCore.DataProtection;

namespace Booking.Notifications.Delivery;

/// <summary>
/// The reset link in a queued reset email's content is encrypted (<see cref="ProtectedResetLinks"/>): revealed here only
/// for the render that sends it, and removed from the row once the email is sent or has failed for good (staff may not
/// send these again, so nothing needs it after).
/// </summary>
public static class ResetLinkContent
{
    /// <summary>What the stored content says instead of the link once the email went.</summary>
    public const string RemovedAfterSending = "[link removed after sending]";

    /// <summary>What it says instead of the link once the email failed for good.</summary>
    public const string RemovedAfterFailing = "[link removed: the email could not be sent]";

    public static bool Carries(string kind) => MessageKinds.CarryResetLink.Contains(kind);

    /// <summary>
    /// The content with its link decrypted. A plain address (a message queued before links were encrypted) is sent as
    /// it is; anything else this deployment's keys cannot open fails the message, saying so.
    /// </summary>
    public static MessageContent Reveal(MessageContent content, IDataProtectionProvider protection)
    {
        content.Values.TryGetValue(MergeFields.ResetUrl, out var stored);
        var url = ProtectedResetLinks.Unprotect(protection, stored)
            ?? (stored is not null && stored.StartsWith("http", StringComparison.Ordinal) ? stored : null)
            ?? throw new InvalidOperationException("The reset link in this email could not be decrypted; ask for a new one.");
        return WithLink(content, url, keepAction: true);
    }

    /// <summary>The content as the row keeps it after the last attempt: the email's words, the link replaced by <paramref name="note"/>.</summary>
    public static MessageContent Removed(MessageContent content, string note) => WithLink(content, note, keepAction: false);

    private static MessageContent WithLink(MessageContent content, string url, bool keepAction)
    {
        var values = new Dictionary<string, string?>(content.Values, StringComparer.Ordinal) { [MergeFields.ResetUrl] = url };
        return content with { Values = values, Action = keepAction && content.Action is { } action ? action with { Url = url } : null };
    }
}
