using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.StaffInvitation;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>The emailed link's token and the new password (the portal's reset-password body).</summary>
public sealed record ResetStaffPassword(string? Token, string? NewPassword) : ICommand<StaffPasswordSet>;

/// <summary>
/// A staff password set by a reset or a change: the device cookie to leave in the browser that set it, as a sign-in
/// leaves it (<see cref="TrustedDevices"/>). Every device cookie made under the old password no longer counts.
/// </summary>
public sealed record StaffPasswordSet(string DeviceToken);

public sealed class ResetStaffPasswordValidator : AbstractValidator<ResetStaffPassword>
{
    public ResetStaffPasswordValidator()
    {
        RuleFor(x => x.Token).NotEmpty().WithMessage("The reset link is incomplete.")
            .MaximumLength(200).WithMessage("The reset link is not one we sent.");
        RuleFor(x => x.NewPassword).AcceptablePassword();
    }
}

/// <summary>
/// A link works once, within its lifetime, in its own business only (another business's token is not found under
/// the tenant filter); using it ends every session the staff member had and every device cookie made under the old
/// password, clears their wrong-password count, and gives the browser that used it a device cookie of its own.
/// </summary>
public sealed class ResetStaffPasswordHandler(
    TenancyDbContext db, ITenantContext tenant, PasswordHashing passwords, PasswordThrottle throttle, TrustedDevices devices, TimeProvider clock)
    : ICommandHandler<ResetStaffPassword, StaffPasswordSet>
{
    /// <summary>The same link sent twice at once: the second save finds the link used (its token), looks again and is refused.</summary>
    public async ValueTask<StaffPasswordSet> Handle(ResetStaffPassword command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => ResetAsync(command, cancellationToken));

    private async Task<StaffPasswordSet> ResetAsync(ResetStaffPassword command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hash = ResetTokens.Hash(command.Token!);
        var reset = await db.StaffResetTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (reset is null || !reset.IsUsableAt(now))
        {
            throw await DeadAsync(reset, now, cancellationToken);
        }

        // Only while the link was sent to the person's sign-in email now, read under the lock on their row that a change
        // of the email (PUT /api/v1/admin/staff/{id}) also takes: a link issued during the change dies with it.
        await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", reset.StaffId, cancellationToken);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == reset.StaffId, cancellationToken);
        if (staff is null || !reset.SentToCurrent(staff.Email))
        {
            throw await DeadAsync(reset, now, cancellationToken);
        }

        staff.PasswordHash = passwords.Hash(command.NewPassword!);
        // The link went to this address and came back: the person reads mail there (request emails wait for this).
        staff.ProveEmail(now, db.Publish);
        // An invitation is accepted once they have a password, whichever link set it (decision 248).
        staff.InvitedAt = null;
        await PasswordResets.UseAsync(db.StaffResetTokens, reset, t => t.StaffId == staff.Id, now, cancellationToken);
        // The person's email links end too: a change of the sign-in email waiting for its link stops (the old address's
        // way to stop one, decision 232), and the proof they would give is given.
        await db.StaffEmailConfirmations.Where(t => t.StaffId == staff.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await StaffSignIn.StaffSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, staff.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await throttle.ClearAsync(db, staff.Email, cancellationToken);
        return new StaffPasswordSet(devices.Issue(DeviceArea.Staff, tenant.TenantId!.Value, staff.Email, staff.PasswordHash));
    }

    /// <summary>A reset link's refusal as ever; an invitation's says why in its own words (accepted, sent again, expired).</summary>
    private async Task<Exception> DeadAsync(StaffPasswordResetToken? link, DateTimeOffset now, CancellationToken cancellationToken) =>
        link is { Invitation: true } && (await StaffInvitations.CheckAsync(db, link, now, cancellationToken)).Refusal is { } words
            ? ProblemException.Invalid("token", words)
            : PasswordResets.LinkDead();
}

/// <summary>Whether a staff reset link can still be used (not used, not expired): the page shows the form only then.</summary>
public sealed record CheckStaffResetLink(string? Token) : IQuery<bool>;

public sealed class CheckStaffResetLinkHandler(TenancyDbContext db, TimeProvider clock) : IQueryHandler<CheckStaffResetLink, bool>
{
    public async ValueTask<bool> Handle(CheckStaffResetLink query, CancellationToken cancellationToken) =>
        await PasswordResets.IsUsableAsync(db.StaffResetTokens, query.Token, clock.GetUtcNow(),
            async reset => await db.Staff.AsNoTracking().Where(s => s.Id == reset.StaffId).Select(s => s.Email).FirstOrDefaultAsync(cancellationToken),
            cancellationToken);
}
