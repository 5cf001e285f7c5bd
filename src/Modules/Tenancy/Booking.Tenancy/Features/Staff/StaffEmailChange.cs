using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.Staff;

/// <summary>
/// A change of a staff member's sign-in email takes effect only once the new address follows the link emailed to it
/// (decision 232). The link is a staff email link (<see cref="StaffEmailLinks"/>, decision 236): a row of
/// <c>staff_email_confirmations</c> whose <c>sent_to</c> is the new address, used through the one redeem
/// (<see cref="ConfirmStaffEmail"/>). Every way a person's sign-in email changes ends their other links, so an open
/// link whose <c>sent_to</c> is not their email is a change waiting for its confirmation. It ends with a used reset
/// link (the old address's way to stop it), a later change, or being called off (<see cref="CallOffStaffEmailChange"/>).
/// </summary>
public static class StaffEmailChangeLinks
{
    /// <summary>At most this many email changes asked for one staff member in a clock hour, and to one new address.</summary>
    public const int PerPersonPerHour = 5;

    public const int PerAddressPerHour = 3;

    /// <summary>The new address each staff member of <paramref name="staffIds"/> (all when null) waits to confirm, if any.</summary>
    public static async Task<Dictionary<Guid, string>> PendingAsync(TenancyDbContext db, DateTimeOffset now, IReadOnlyCollection<Guid>? staffIds, CancellationToken cancellationToken)
    {
        var open = db.StaffEmailConfirmations.AsNoTracking().Where(t => t.UsedAt == null && t.ExpiresAt > now);
        if (staffIds is not null)
        {
            open = open.Where(t => staffIds.Contains(t.StaffId));
        }

        var rows = await open.Join(db.Staff, t => t.StaffId, s => s.Id, (t, s) => new { t.StaffId, t.SentTo, t.CreatedAt, s.Email })
            .Where(x => x.SentTo != null && x.SentTo != x.Email)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(x => x.StaffId).ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.CreatedAt).First().SentTo!);
    }

    /// <summary>
    /// Starts a change to <paramref name="newEmail"/> inside the caller's transaction, under the lock on the person's row:
    /// earlier changes still waiting end (the last one asked is the one that counts), a new link row is added, and the
    /// emails are written to the outbox (<see cref="StaffEmailChangeRequested"/>). Saved by the caller.
    /// </summary>
    internal static async Task StartAsync(
        TenancyDbContext db, StaffMember member, string newEmail, ITenantContext tenant, StaffEmailConfirmationLimits limits, PublicOrigin origin,
        IDataProtectionProvider protection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.StaffEmailConfirmations.Where(t => t.StaffId == member.Id && t.UsedAt == null && t.SentTo != member.Email)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        var business = tenant.Current!;
        var (link, url) = StaffEmailLinks.Issue(db, member, newEmail, business, limits, now, origin, "/staff/confirm-email");
        db.Publish(new StaffEmailChangeRequested(Guid.CreateVersion7(), business.Id, member.Id, member.Name, member.Email, newEmail,
            ProtectedResetLinks.Protect(protection, url), $"{origin.Value}/staff/forgot-password?name={Uri.EscapeDataString(business.Slug)}", link.ExpiresAt));
    }
}

/// <summary>
/// Calls off <paramref name="StaffId"/>'s change of sign-in email waiting for its link (decision 236): the person
/// themselves (any role) or, for a colleague, an owner or admin (an admin not an owner's).
/// </summary>
public sealed record CallOffStaffEmailChange(StaffActor Actor, Guid StaffId) : ICommand<EmailChangeCalledOff>;

/// <param name="CalledOff">The address the change was waiting on; null when none was waiting (nothing changed).</param>
public sealed record EmailChangeCalledOff(string? CalledOff);

/// <summary>
/// Under the lock on the person's row that the link's use also takes, so a link followed at this moment either made
/// the change first (then nothing is waiting any more) or finds itself called off. The link ends at once
/// (<c>used_at</c>), marked <c>called_off_at</c> so that following it says the change was called off. Nobody is
/// emailed: nothing changed.
/// </summary>
public sealed class CallOffStaffEmailChangeHandler(TenancyDbContext db, TimeProvider clock) : ICommandHandler<CallOffStaffEmailChange, EmailChangeCalledOff>
{
    public async ValueTask<EmailChangeCalledOff> Handle(CallOffStaffEmailChange command, CancellationToken cancellationToken)
    {
        if (command.Actor.Id != command.StaffId && !StaffRoles.Setup.Contains(command.Actor.Role))
        {
            throw ProblemException.Forbidden("Only an owner or admin can call off a colleague's change of email.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", command.StaffId, cancellationToken);
        var member = await db.Staff.AsNoTracking().Where(s => s.Id == command.StaffId).Select(s => new { s.Email, s.Role }).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        if (command.Actor.Id != command.StaffId)
        {
            StaffRules.RequireMayTouch(command.Actor, member.Role, member.Role);
        }

        var now = clock.GetUtcNow();
        var waiting = await db.StaffEmailConfirmations
            .Where(t => t.StaffId == command.StaffId && t.UsedAt == null && t.ExpiresAt > now && t.SentTo != member.Email)
            .OrderByDescending(t => t.CreatedAt).Select(t => t.SentTo).FirstOrDefaultAsync(cancellationToken);
        await db.StaffEmailConfirmations.Where(t => t.StaffId == command.StaffId && t.UsedAt == null && t.SentTo != member.Email)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now).SetProperty(t => t.CalledOffAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new EmailChangeCalledOff(waiting);
    }
}
