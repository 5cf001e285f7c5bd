using System.Security.Cryptography;
using System.Text;
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

    /// <summary>
    /// The nonce of the trusted device the try came from (<see cref="TrustedDevices"/>), or the key of the signed-in
    /// session a password change was tried from (<see cref="PasswordThrottle.VerifyCurrentAsync"/>), counted apart
    /// from the address's other failures; null for a sign-in from anywhere else.
    /// </summary>
    public Guid? Device { get; set; }

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
/// wrong passwords are ever checked per window, however many arrive together.
/// A try from a trusted device (a valid device cookie for the address, <see cref="TrustedDevices"/>) is counted and
/// locked by that device's nonce alone, so whoever knows the address cannot lock its owner out of the browser they
/// signed in from before; a device whose own count is full is judged as any other try, by the address's count.
/// A right password clears the count it was judged by. A signed-in person's current password, before a change, is
/// counted for their session alone (<see cref="VerifyCurrentAsync"/>).
/// </summary>
public sealed class PasswordThrottle(TimeProvider clock, PasswordThrottleOptions options)
{
    /// <summary>
    /// The refusal of a locked password sign-in by the address's lockout. The per-client-address cap
    /// (<see cref="IPasswordSprayCap"/>) says its own, <see cref="PasswordSprayRefusal.Text"/> (decision 277).
    /// </summary>
    public const string SignInPaused = "Too many wrong passwords. Password sign-in is paused for this address.";

    /// <summary>
    /// A signed-in user's current password, before a change. A wrong one answers a <c>currentPassword</c> field error
    /// and is counted, so an unattended session does not become a way to guess it. Made from a session
    /// (<paramref name="session"/>, its server-side id, non-null), it is counted for the account's password changes
    /// alone, across all its sessions (one made by an SMS code needs no password, and a phone makes one per code, so a
    /// count per session would give each its own ten): ten wrong ones in the window pause the account's changes for the
    /// lockout (429). The address's lockout, which anyone's failed sign-ins make, does not refuse the change, and these
    /// guesses lock nobody's sign-in; only someone signed in to the account adds to them. Without a session it is the
    /// address's count, as a sign-in without a device cookie. The caller clears the failures once the change is made.
    /// </summary>
    public async Task VerifyCurrentAsync(TenantDbContext db, PasswordHashing passwords, string login, string? hash, string password, string? session, CancellationToken cancellationToken)
    {
        if (session is null)
        {
            await BeginTryAsync(db, login, device: null, cancellationToken);
        }
        else if (await CountAsync(db, login, ChangeCount(login), cancellationToken) is { } until)
        {
            throw ProblemException.RateLimited(RetryAfter(until),
                "Too many wrong passwords. Changing your password is paused here for a while.");
        }

        if (passwords.Verify(hash, password) == PasswordCheck.Wrong)
        {
            throw ProblemException.Invalid("currentPassword", "Your current password is not right.");
        }
    }

    /// <summary>
    /// The count an account's password-change tries go under, whichever session they come from: a value worked out from
    /// its address (SHA-256, first 16 bytes), which no device nonce (random) is ever the same as.
    /// </summary>
    private static Guid ChangeCount(string login) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("password-change:" + login)).AsSpan(0, 16));

    private int RetryAfter(DateTimeOffset until) => (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds);

    /// <summary>
    /// Writes this try down as a failure (committed, so tries at the same moment count it), then refuses it (429,
    /// and takes it off again: a refused try does not stretch the lockout) if its count already has the maximum of
    /// other failures in the window. The count is the trusted <paramref name="device"/>'s own when one is given and
    /// is not full; otherwise the address's failures from no trusted device. A wrong password then leaves the failure
    /// as it is; a right one is followed by <see cref="ClearAsync(TenantDbContext, PasswordTry, CancellationToken)"/>
    /// with the answer, which names the count the try was judged by.
    /// </summary>
    public async Task<PasswordTry> BeginTryAsync(TenantDbContext db, string login, Guid? device, CancellationToken cancellationToken)
    {
        if (device is { } trusted && await CountAsync(db, login, trusted, cancellationToken) is null)
        {
            return new PasswordTry(login, trusted);
        }

        if (await CountAsync(db, login, null, cancellationToken) is { } until)
        {
            throw ProblemException.RateLimited(RetryAfter(until), SignInPaused);
        }

        return new PasswordTry(login, null);
    }

    /// <summary>Clears the count the try was judged by: its device's, or the address's failures from no trusted device.</summary>
    public async Task ClearAsync(TenantDbContext db, PasswordTry judged, CancellationToken cancellationToken) =>
        await db.Set<PasswordFailure>().Where(f => f.Login == judged.Login && f.Device == judged.Device).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Clears every failure of the address, every device's too (a reset or a change of the password).</summary>
    public async Task ClearAsync(TenantDbContext db, string login, CancellationToken cancellationToken) =>
        await db.Set<PasswordFailure>().Where(f => f.Login == login).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Writes the try down in its count; null when it may go on, else (its row taken off again) when the lock ends.</summary>
    private async Task<DateTimeOffset?> CountAsync(TenantDbContext db, string login, Guid? device, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var failures = db.Set<PasswordFailure>();
        var attempt = new PasswordFailure { Id = Guid.CreateVersion7(), Login = login, Device = device, At = now };
        failures.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
        var since = now - options.Window;
        var counted = device is null
            ? failures.Where(f => f.Login == login && f.Device == null)
            : failures.Where(f => f.Login == login && f.Device == device);
        var others = await counted.AsNoTracking()
            .Where(f => f.At > since && f.Id != attempt.Id)
            .OrderByDescending(f => f.At)
            .Select(f => f.At)
            .Take(options.MaxFailures)
            .ToListAsync(cancellationToken);
        if (others.Count >= options.MaxFailures && others[0] + options.Lockout is var until && until > now)
        {
            await failures.Where(f => f.Id == attempt.Id).ExecuteDeleteAsync(cancellationToken);
            return until;
        }

        return null;
    }
}

/// <summary>The address a password try was for and the trusted device whose count judged it (null: the address's).</summary>
public readonly record struct PasswordTry(string Login, Guid? Device);

public sealed class PasswordThrottleOptions
{
    public int MaxFailures { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
}
