using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;

namespace Booking.BuildingBlocks.Platform;

/// <summary>
/// How often one client address (<c>ClientAddress.ClientIp</c>: IPv4 as is, IPv6 as its /64) did something in one
/// clock hour, counted platform-wide under a key such as <c>sign-up:203.0.113.7</c>. No tenant: a business sign-up has
/// none yet, and a registration's cap across every business must be one that no business can reset.
/// </summary>
[CrossTenant("Counts per client address for limits that hold across every business (sign-ups, registrations).")]
public sealed class AddressCount
{
    public string Key { get; set; } = "";

    /// <summary>The start of the clock hour (UTC) counted.</summary>
    public DateTimeOffset Hour { get; set; }

    public int Count { get; set; }
}

/// <summary>One cap to count against: at most <paramref name="Max"/> in a clock hour under <paramref name="Key"/>.</summary>
public sealed record AddressCap(string Key, int Max);

/// <summary>
/// Per-address caps per clock hour, kept in PostgreSQL so they hold across app instances (like the platform code
/// budget): each cap is one upsert that adds one only while the count is under its maximum, so concurrent requests
/// queue on the hour's row and the last one in sees every one before it. Several caps are counted in one transaction,
/// in the order given: if any is full, none is counted, and the caller is refused with rate-limited and a
/// Retry-After of the rest of the hour. Counted before the costly part (the password hash), so a refused request
/// costs the server a few statements.
/// </summary>
public sealed class AddressLimits(PlatformDbContext db, TimeProvider clock)
{
    public async Task CountAsync(IReadOnlyList<AddressCap> caps, string refusal, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var cap in caps)
        {
            var counted = await db.Database.SqlQuery<int>($"""
                INSERT INTO platform.address_counts AS c (key, hour, count) VALUES ({cap.Key}, {hour}, 1)
                ON CONFLICT (key, hour) DO UPDATE SET count = c.count + 1 WHERE c.count < {cap.Max}
                RETURNING c.count AS "Value"
                """).ToListAsync(cancellationToken);
            if (counted.Count != 1 || counted[0] > cap.Max)
            {
                await transaction.RollbackAsync(cancellationToken);
                throw ProblemException.RateLimited(Math.Max(1, (int)Math.Ceiling((hour.AddHours(1) - now).TotalSeconds)), refusal);
            }
        }

        await transaction.CommitAsync(cancellationToken);

        // Hours gone by are of no use to any cap: cleared after the count, outside its transaction (an index range on hour).
        await db.Database.ExecuteSqlAsync($"DELETE FROM platform.address_counts WHERE hour < {hour.AddHours(-1)}", cancellationToken);
    }
}
