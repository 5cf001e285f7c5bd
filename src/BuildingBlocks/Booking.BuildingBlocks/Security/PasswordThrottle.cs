using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booking.BuildingBlocks.Security;

/// <summary>A failed password sign-in for an address (registered or not), kept to lock out guessing.</summary>
public sealed class PasswordFailure : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    /// <summary>The lower-cased address tried.</summary>
    public string Login { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public static void Configure(EntityTypeBuilder<PasswordFailure> b)
    {
        b.ToTable("password_failures");
        b.HasKey(x => new { x.TenantId, x.Id });
        b.Property(x => x.Login).HasMaxLength(320);
        b.HasIndex(x => new { x.TenantId, x.Login, x.At });
    }
}

/// <summary>
/// 10 failures in 15 minutes for one address lock password sign-in for it for 15 minutes, even with the
/// right password. Counted in PostgreSQL, so the limit holds across app instances.
/// A try is written down as a failure before the password is checked (<see cref="BeginTryAsync"/>) and the count
/// that decides whether it may go on is taken after that, so tries sent all at once see each other: at most 10
/// wrong passwords are ever checked per window, however many arrive together. A right password clears them all.
/// </summary>
public sealed class PasswordThrottle(TimeProvider clock, PasswordThrottleOptions options)
{
    /// <summary>
    /// A signed-in user's current password, before a change: refused while the address is locked, and a wrong one
    /// counts towards the same lockout as sign-in (an unattended session must not become a way to guess it) and
    /// answers a <c>currentPassword</c> field error. The caller clears the failures once the change is made.
    /// </summary>
    public async Task VerifyCurrentAsync(TenantDbContext db, PasswordHashing passwords, string login, string? hash, string password, CancellationToken cancellationToken)
    {
        await BeginTryAsync(db, login, cancellationToken);
        if (passwords.Verify(hash, password) == PasswordCheck.Wrong)
        {
            throw ProblemException.Invalid("currentPassword", "Your current password is not right.");
        }
    }

    /// <summary>
    /// Writes this try down as a failure (committed, so tries at the same moment count it), then refuses it (429,
    /// and takes it off again: a refused try does not stretch the lockout) if the address already has the maximum
    /// of other failures in the window. A wrong password then leaves the failure as it is; a right one is followed
    /// by <see cref="ClearAsync"/>.
    /// </summary>
    public async Task BeginTryAsync(TenantDbContext db, string login, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var failures = db.Set<PasswordFailure>();
        var attempt = new PasswordFailure { Id = Guid.CreateVersion7(), Login = login, At = now };
        failures.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
        var since = now - options.Window;
        var others = await failures.AsNoTracking()
            .Where(f => f.Login == login && f.At > since && f.Id != attempt.Id)
            .OrderByDescending(f => f.At)
            .Select(f => f.At)
            .Take(options.MaxFailures)
            .ToListAsync(cancellationToken);
        if (others.Count >= options.MaxFailures && others[0] + options.Lockout is var until && until > now)
        {
            await failures.Where(f => f.Id == attempt.Id).ExecuteDeleteAsync(cancellationToken);
            throw ProblemException.RateLimited((int)Math.Ceiling((until - now).TotalSeconds),
                "Too many wrong passwords. Password sign-in is paused for this address.");
        }
    }

    public async Task ClearAsync(TenantDbContext db, string login, CancellationToken cancellationToken) =>
        await db.Set<PasswordFailure>().Where(f => f.Login == login).ExecuteDeleteAsync(cancellationToken);
}

public sealed class PasswordThrottleOptions
{
    public int MaxFailures { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
}
