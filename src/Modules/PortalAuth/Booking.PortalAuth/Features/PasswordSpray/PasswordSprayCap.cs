using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.PasswordSpray;

/// <summary>
/// <see cref="IPasswordSprayCap"/> on <c>portalauth.ip_password_failures</c> (decision 272), written and counted as
/// <see cref="PasswordThrottle"/> counts an address: the try is written down first and the count taken after, so tries
/// sent all at once see each other and at most the maximum of wrong passwords is ever checked per address and window.
/// The staff sign-in reaches it through the interface: one table for both areas, told apart by a column.
/// </summary>
internal sealed class PasswordSprayCap(PortalAuthDbContext db, TimeProvider clock, PasswordSprayOptions options) : IPasswordSprayCap
{
    public async Task<Guid> BeginTryAsync(string area, string ip, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempt = new IpPasswordFailure { Id = Guid.CreateVersion7(), Area = area, Ip = ip, At = now };
        db.IpPasswordFailures.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(attempt).State = EntityState.Detached; // taken off by id, not by the tracker

        var since = now - options.Window;
        var others = await db.IpPasswordFailures.AsNoTracking()
            .Where(f => f.Ip == ip && f.Area == area && f.At > since && f.Id != attempt.Id)
            .OrderByDescending(f => f.At)
            .Select(f => f.At)
            .Take(options.MaxFailures)
            .ToListAsync(cancellationToken);
        if (others.Count >= options.MaxFailures && others[0] + options.Lockout is var until && until > now)
        {
            await NotAFailureAsync(attempt.Id, cancellationToken);
            throw ProblemException.RateLimited(Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)), PasswordSprayRefusal.Text);
        }

        return attempt.Id;
    }

    public async Task NotAFailureAsync(Guid tryId, CancellationToken cancellationToken) =>
        await db.IpPasswordFailures.Where(f => f.Id == tryId).ExecuteDeleteAsync(cancellationToken);
}
