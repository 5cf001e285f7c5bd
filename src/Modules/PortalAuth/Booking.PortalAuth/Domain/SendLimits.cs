namespace Booking.PortalAuth.Domain;

/// <summary>Recent code sends as the limits see them (all within the last hour).</summary>
public sealed record RecentSends(IReadOnlyList<DateTimeOffset> ToPhone, int FromIp, int ForTenant);

public static class SendLimits
{
    /// <summary>Seconds to wait before another code may go out, or null when one may go now.</summary>
    public static int? RetryAfterSeconds(RecentSends recent, DateTimeOffset now, PortalAuthOptions options)
    {
        var waits = new List<TimeSpan>();
        var hour = TimeSpan.FromHours(1);
        var phone = recent.ToPhone.Where(t => t > now - hour).OrderBy(t => t).ToList();
        if (phone.Count > 0 && now - phone[^1] < options.ResendCooldown)
        {
            waits.Add(phone[^1] + options.ResendCooldown - now);
        }

        if (phone.Count >= options.CodesPerPhonePerHour)
        {
            // The oldest send that must leave the window before one more fits.
            waits.Add(phone[phone.Count - options.CodesPerPhonePerHour] + hour - now);
        }

        if (recent.FromIp >= options.CodesPerIpPerHour || recent.ForTenant >= options.CodesPerTenantPerHour)
        {
            waits.Add(hour);
        }

        return waits.Count == 0 ? null : Math.Max(1, (int)Math.Ceiling(waits.Max().TotalSeconds));
    }
}
