namespace Booking.PortalAuth.Domain;

/// <summary>
/// Recent code sends as the limits see them (all within the last hour): to the phone in this business and in every
/// business together, from the client's address (its /64 for IPv6) in every business, and by this business.
/// </summary>
public sealed record RecentSends(IReadOnlyList<DateTimeOffset> ToPhone, IReadOnlyList<DateTimeOffset> ToPhoneEverywhere, int FromIp, int ForTenant);

public static class SendLimits
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Seconds to wait before another code may go out, or null when one may go now.</summary>
    public static int? RetryAfterSeconds(RecentSends recent, DateTimeOffset now, PortalAuthOptions options)
    {
        var waits = new List<TimeSpan>();
        // The cooldown counts every business's sends: one number is never texted twice within it.
        PhoneWaits(recent.ToPhoneEverywhere, now, options.ResendCooldown, options.PlatformCodesPerPhonePerHour, waits);
        PhoneWaits(recent.ToPhone, now, options.ResendCooldown, options.CodesPerPhonePerHour, waits);
        if (recent.FromIp >= options.CodesPerIpPerHour || recent.ForTenant >= options.CodesPerTenantPerHour)
        {
            waits.Add(Hour);
        }

        return waits.Count == 0 ? null : Seconds(waits.Max());
    }

    /// <summary>Seconds until the platform's next budget hour begins (the answer when this hour's budget is spent).</summary>
    public static int UntilNextBudgetHour(DateTimeOffset now) => Seconds(BudgetHour(now) + Hour - now);

    /// <summary>The clock hour a send at <paramref name="now"/> is counted in by the platform budget.</summary>
    public static DateTimeOffset BudgetHour(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static void PhoneWaits(IReadOnlyList<DateTimeOffset> sends, DateTimeOffset now, TimeSpan cooldown, int perHour, List<TimeSpan> waits)
    {
        var phone = sends.Where(t => t > now - Hour).OrderBy(t => t).ToList();
        if (phone.Count > 0 && now - phone[^1] < cooldown)
        {
            waits.Add(phone[^1] + cooldown - now);
        }

        if (phone.Count >= perHour)
        {
            // The oldest send that must leave the window before one more fits.
            waits.Add(phone[phone.Count - perHour] + Hour - now);
        }
    }
}
