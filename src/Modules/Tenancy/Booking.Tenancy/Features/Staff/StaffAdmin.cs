using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.Staff;

/// <summary>Who is asking: staff changes depend on the actor's own id and role (an admin may not touch owners).</summary>
public sealed record StaffActor(Guid Id, string Role);

/// <summary>
/// CreatedAt carries the business's offset, like every instant the API answers (stored in UTC). <see cref="PendingEmail"/>:
/// the address a change of the sign-in email waits on (its link sent there, not yet followed, still working); null when none.
/// <see cref="Invited"/>: added without a password and not yet chosen one with the emailed invitation (decision 248).
/// </summary>
public sealed record StaffMemberView(
    Guid Id, string Name, string Email, string Role, IReadOnlyList<Guid> DiaryIds, DateTimeOffset CreatedAt, string? PendingEmail = null, bool Invited = false)
{
    internal static StaffMemberView From(StaffMember s, ITenantContext tenant, string? pendingEmail = null) =>
        new(s.Id, s.Name, s.Email, s.Role, s.DiaryIds, tenant.Local(s.CreatedAt), pendingEmail, s.InvitedAt is not null);
}

public sealed record StaffList(IReadOnlyList<StaffMemberView> Items);

/// <summary>
/// The body of POST (with a password, or without one to email an invitation) and PUT (password refused: people change
/// their own). <see cref="CurrentPassword"/>: the signed-in person's own password, needed when they change their own
/// email (PUT) and whenever the request makes someone an owner (POST with role owner, PUT changing a role to owner).
/// </summary>
public sealed record StaffInput(string? Name, string? Email, string? Password, string? Role, IReadOnlyList<Guid>? DiaryIds, string? CurrentPassword = null);

public sealed record ListStaff : IQuery<StaffList>;

public sealed record GetStaffMember(Guid Id) : IQuery<StaffMemberView>;

/// <summary>
/// <paramref name="Password"/> null: the person is invited by email to choose their own (decision 248). A new owner needs
/// the acting owner's <paramref name="CurrentPassword"/>.
/// </summary>
public sealed record CreateStaffMember(
    StaffActor Actor, string? Name, string? Email, string? Password, string? Role, IReadOnlyList<Guid>? DiaryIds, string? CurrentPassword = null)
    : ICommand<StaffMemberView>
{
    /// <summary>Trimmed before the validator checks it (the invitation goes to it), as sign-in and forgot-password trim theirs.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>The session the change is asked from: wrong current passwords count for the account's changes (decision 193).</summary>
    public string? CurrentSession { get; init; }
}

/// <summary>
/// <paramref name="Password"/> is refused, never ignored: a password is set on creation, and changed only by its owner.
/// A new <paramref name="Email"/> is not used at once: a link is emailed to it, and it becomes the sign-in email when the
/// link is followed (<see cref="StaffEmailConfirmation.ConfirmStaffEmail"/>). Changing one's own email needs <paramref name="CurrentPassword"/>.
/// </summary>
public sealed record UpdateStaffMember(
    StaffActor Actor, Guid Id, string? Name, string? Email, string? Role, IReadOnlyList<Guid>? DiaryIds, string? Password = null, string? CurrentPassword = null)
    : ICommand<StaffMemberView>
{
    /// <summary>Trimmed before the validator checks it (the invitation goes to it), as sign-in and forgot-password trim theirs.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>The session the change is asked from: wrong current passwords count for the account's changes (decision 193).</summary>
    public string? CurrentSession { get; init; }
}

public sealed record RemoveStaffMember(StaffActor Actor, Guid Id) : ICommand;

public static class StaffProblems
{
    public const string LastOwnerKind = "last-owner";

    /// <summary>409: the business must keep at least one owner.</summary>
    public static ProblemException LastOwner(string detail) => new(LastOwnerKind, 409, "The business needs an owner", detail);
}

public sealed class CreateStaffMemberValidator : AbstractValidator<CreateStaffMember>
{
    public CreateStaffMemberValidator()
    {
        StaffRules.Common(this, x => x.Name, x => x.Email, x => x.Role, x => x.DiaryIds);
        // Left out (null): an invitation is emailed instead. Given (even empty): the policy's rules.
        When(x => x.Password is not null, () => RuleFor(x => x.Password).AcceptablePassword());
        RuleFor(x => x.CurrentPassword).MaximumLength(1024).WithMessage("Use at most 1024 characters.");
    }
}

public sealed class UpdateStaffMemberValidator : AbstractValidator<UpdateStaffMember>
{
    public UpdateStaffMemberValidator()
    {
        StaffRules.Common(this, x => x.Name, x => x.Email, x => x.Role, x => x.DiaryIds);
        RuleFor(x => x.Password).Null().WithMessage(
            "A password is set when the staff member is added. They change it themselves (PUT /api/v1/staff/me/password); leave it out here.");
        RuleFor(x => x.CurrentPassword).MaximumLength(1024).WithMessage("Use at most 1024 characters.");
    }
}

internal static class StaffRules
{
    public const int MaxDiaries = 200;

    public static void Common<T>(
        AbstractValidator<T> v,
        System.Linq.Expressions.Expression<Func<T, string?>> name,
        System.Linq.Expressions.Expression<Func<T, string?>> email,
        System.Linq.Expressions.Expression<Func<T, string?>> role,
        System.Linq.Expressions.Expression<Func<T, IReadOnlyList<Guid>?>> diaryIds)
    {
        v.RuleFor(name).NotEmpty().WithMessage("Enter the person's name.").MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        v.RuleFor(email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        v.RuleFor(role).Must(r => r is not null && StaffRoles.Everyone.Contains(r)).WithMessage("Choose owner, admin or practitioner.");
        v.RuleFor(diaryIds).NotNull().WithMessage("Give the diary ids (an empty list is fine).")
            .Must(d => d is null || d.Count <= MaxDiaries).WithMessage($"At most {MaxDiaries} diaries.");
    }

    /// <summary>Owners are the owners' business: an admin may not create, promote, change or remove one.</summary>
    public static void RequireMayTouch(StaffActor actor, string? currentRole, string? newRole)
    {
        if (actor.Role == StaffRoles.Owner)
        {
            return;
        }

        if (currentRole == StaffRoles.Owner || newRole == StaffRoles.Owner)
        {
            throw ProblemException.Forbidden("Only an owner can add, change or remove owners.");
        }
    }

    /// <summary>
    /// Making someone an owner (a new owner, or a role changed to owner) needs the acting owner's current password
    /// (decision 248), checked and counted as for a change of one's own email (<see cref="PasswordThrottle.VerifyCurrentAsync"/>):
    /// an open owner session alone must not be enough to hand the business to another account. Only an owner gets here
    /// (<see cref="RequireMayTouch"/> refuses an admin first).
    /// </summary>
    public static async Task RequireOwnerStepUpAsync(
        TenancyDbContext db, PasswordHashing passwords, PasswordThrottle throttle, StaffActor actor, string? currentPassword, string? session,
        CancellationToken cancellationToken, string why = "to make someone an owner")
    {
        if (string.IsNullOrEmpty(currentPassword))
        {
            throw ProblemException.Invalid("currentPassword", $"Enter your current password {why}.");
        }

        var me = await db.Staff.AsNoTracking().Where(s => s.Id == actor.Id).Select(s => new { s.Email, s.PasswordHash }).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.Forbidden("Sign in again: your account was changed.");
        await throttle.VerifyCurrentAsync(db, passwords, me.Email, me.PasswordHash, currentPassword, session, cancellationToken);
    }

    /// <summary>Every id must be one of this business's diaries (another business's id is just unknown).</summary>
    public static async Task<List<Guid>> DiariesAsync(ISender sender, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return distinct;
        }

        var found = await sender.Send(new GetDiaries(distinct), cancellationToken);
        if (found.Count != distinct.Count)
        {
            throw ProblemException.Invalid("diaryIds", "One or more diaries do not exist in this business.");
        }

        return distinct;
    }

    /// <summary>
    /// Locks the business's owner rows for the rest of the transaction, so two concurrent demotions cannot both
    /// see "another owner is left" and leave none.
    /// </summary>
    public static async Task<int> LockOwnersAsync(TenancyDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var rows = await db.Database
            .SqlQuery<int>($"select 1 as \"Value\" from tenancy.staff_members where tenant_id = {tenantId} and role = 'owner' for update")
            .ToListAsync(cancellationToken);
        return rows.Count;
    }

    private static FluentValidation.ValidationException EmailTaken() =>
        ProblemException.Invalid("email", "Someone on the team already uses this email address.");

    /// <summary>
    /// An email another team member signs in with is refused before the save: a save that meets the unique index fails
    /// a statement, which EF logs as an error, for what is only a 400. The index stays the backstop for two saves at once.
    /// </summary>
    public static async Task EnsureEmailFreeAsync(TenancyDbContext db, string email, Guid? except, CancellationToken cancellationToken)
    {
        if (await db.Staff.AnyAsync(s => s.Email == email && s.Id != except, cancellationToken))
        {
            throw EmailTaken();
        }
    }

    public static async Task SaveAsync(TenancyDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw EmailTaken(); // taken by a concurrent save since EnsureEmailFreeAsync looked
        }
    }
}

public sealed class ListStaffHandler(TenancyDbContext db, ITenantContext tenant, TimeProvider clock) : IQueryHandler<ListStaff, StaffList>
{
    public async ValueTask<StaffList> Handle(ListStaff query, CancellationToken cancellationToken)
    {
        var rows = await db.Staff.AsNoTracking().OrderBy(s => s.Name).ThenBy(s => s.Email).ToListAsync(cancellationToken);
        var pending = await StaffEmailChangeLinks.PendingAsync(db, clock.GetUtcNow(), null, cancellationToken);
        return new StaffList(rows.Select(row => StaffMemberView.From(row, tenant, pending.GetValueOrDefault(row.Id))).ToList());
    }
}

public sealed class GetStaffMemberHandler(TenancyDbContext db, ITenantContext tenant, TimeProvider clock) : IQueryHandler<GetStaffMember, StaffMemberView>
{
    public async ValueTask<StaffMemberView> Handle(GetStaffMember query, CancellationToken cancellationToken)
    {
        var member = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == query.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        var pending = await StaffEmailChangeLinks.PendingAsync(db, clock.GetUtcNow(), [member.Id], cancellationToken);
        return StaffMemberView.From(member, tenant, pending.GetValueOrDefault(member.Id));
    }
}

/// <summary>
/// With a password, as ever: the person can sign in at once. Without one (decision 248) the person is invited: their
/// row keeps the hash of a random secret nobody is told, and in the same save an invitation link is made and
/// <see cref="StaffInvited"/> written to the outbox (<see cref="StaffInvitation.StaffInvitations"/>); following the link
/// they choose their password, which proves the address. A new owner needs the acting owner's current password.
/// </summary>
public sealed class CreateStaffMemberHandler(
    TenancyDbContext db, ITenantContext tenant, ISender sender, PasswordHashing passwords, PasswordThrottle throttle, TimeProvider clock,
    AddressLimits addressLimits, StaffInvitationLimits invitationLimits, PublicOrigin origin, IDataProtectionProvider protection)
    : ICommandHandler<CreateStaffMember, StaffMemberView>
{
    public async ValueTask<StaffMemberView> Handle(CreateStaffMember command, CancellationToken cancellationToken)
    {
        StaffRules.RequireMayTouch(command.Actor, null, command.Role);
        if (command.Role == StaffRoles.Owner)
        {
            await StaffRules.RequireOwnerStepUpAsync(db, passwords, throttle, command.Actor, command.CurrentPassword, command.CurrentSession, cancellationToken);
        }

        var diaries = await StaffRules.DiariesAsync(sender, command.DiaryIds!, cancellationToken);
        var now = clock.GetUtcNow();
        var invite = command.Password is null;
        var member = new StaffMember
        {
            Id = Guid.CreateVersion7(),
            Name = command.Name!.Trim(),
            Email = command.Email!.Trim().ToLowerInvariant(),
            // Invited: a secret nobody is told, so nobody signs in as them until they choose a password with the link.
            PasswordHash = passwords.Hash(invite ? ResetTokens.NewToken() : command.Password!),
            Role = command.Role!,
            DiaryIds = diaries,
            CreatedAt = now,
            InvitedAt = invite ? now : null,
        };
        await StaffRules.EnsureEmailFreeAsync(db, member.Email, null, cancellationToken);
        db.Staff.Add(member);
        if (invite)
        {
            var invitedBy = await StaffInvitation.StaffInvitations.ActorNameAsync(db, command.Actor, cancellationToken);
            await StaffInvitation.StaffInvitations.CountAsync(addressLimits, invitationLimits, tenant.TenantId!.Value, member.Email, cancellationToken);
            // One save: the person, their link and the email's event, or none of them.
            await StaffInvitation.StaffInvitations.IssueAsync(db, member, invitedBy, tenant, invitationLimits, origin, protection, now, cancellationToken);
        }

        await StaffRules.SaveAsync(db, cancellationToken);
        return StaffMemberView.From(member, tenant);
    }
}

/// <summary>
/// A changed role ends the person's sessions (the role travels in the session), so it applies at once. A changed email
/// does not change anything yet (decision 232): a link is emailed to the new address and the old address is told, with
/// the way to stop it (<see cref="StaffEmailChangeLinks"/>); only following the link makes it the sign-in email
/// (<see cref="StaffEmailConfirmation.ConfirmStaffEmailHandler"/>, which then cancels the reset links sent before, ends the sessions and tells the
/// old address again). Someone changing their own email gives their current password first, counted as a password
/// change's (<see cref="PasswordThrottle.VerifyCurrentAsync"/>): a session left open is not enough to move the account to
/// another inbox and take it with a reset link there. An owner or admin changing a colleague's email needs no password
/// (they may add a colleague with one of their choosing anyway); the link goes to the new address all the same, so a
/// mistyped address changes nothing, and the old address hears of it before anything changes. Someone still invited
/// (no password chosen yet, decision 257) is different: their new address is used at once and gets a new invitation,
/// the old address's links end and it is told nothing (see <c>UpdateAsync</c>).
/// </summary>
public sealed class UpdateStaffMemberHandler(
    TenancyDbContext db, ITenantContext tenant, ISender sender, TimeProvider clock, PasswordHashing passwords, PasswordThrottle throttle,
    AddressLimits addressLimits, StaffEmailConfirmationLimits linkLimits, StaffInvitationLimits invitationLimits, PublicOrigin origin, IDataProtectionProvider protection)
    : ICommandHandler<UpdateStaffMember, StaffMemberView>
{
    /// <summary>A change that finds the person removed by the time it saves looks again: 404.</summary>
    public async ValueTask<StaffMemberView> Handle(UpdateStaffMember command, CancellationToken cancellationToken)
    {
        var email = command.Email!.Trim().ToLowerInvariant();
        var before = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        StaffRules.RequireMayTouch(command.Actor, before.Role, command.Role);
        if (command.Role == StaffRoles.Owner && before.Role != StaffRoles.Owner)
        {
            await StaffRules.RequireOwnerStepUpAsync(db, passwords, throttle, command.Actor, command.CurrentPassword, command.CurrentSession, cancellationToken);
        }

        var diaries = await StaffRules.DiariesAsync(sender, command.DiaryIds!, cancellationToken);
        var emailChange = email != before.Email;
        if (emailChange && before.Role == StaffRoles.Owner && before.Id != command.Actor.Id)
        {
            // Moving a co-owner's sign-in to another address hands their account (a reset link follows the address) to
            // whoever reads it: as much as making someone an owner, so the same password (review of decision 248).
            await StaffRules.RequireOwnerStepUpAsync(db, passwords, throttle, command.Actor, command.CurrentPassword, command.CurrentSession, cancellationToken,
                "to change another owner's email");
        }

        if (emailChange)
        {
            await StaffRules.EnsureEmailFreeAsync(db, email, before.Id, cancellationToken);
            if (before.Id == command.Actor.Id)
            {
                if (string.IsNullOrEmpty(command.CurrentPassword))
                {
                    throw ProblemException.Invalid("currentPassword", "Enter your current password to change your email.");
                }

                await throttle.VerifyCurrentAsync(db, passwords, before.Email, before.PasswordHash, command.CurrentPassword, command.CurrentSession, cancellationToken);
            }

            await addressLimits.CountAsync(
                [
                    new AddressCap($"staff-email-change:{tenant.TenantId}:{before.Id}", StaffEmailChangeLinks.PerPersonPerHour),
                    new AddressCap($"staff-email-change-to:{email}", StaffEmailChangeLinks.PerAddressPerHour),
                ],
                "Too many email changes were asked for. Wait a while before trying again.", cancellationToken);
        }

        string? invitedBy = null;
        if (emailChange && before.InvitedAt is not null)
        {
            // Invited, no password yet: the new address gets the invitation (decision 257), counted as one.
            invitedBy = await StaffInvitation.StaffInvitations.ActorNameAsync(db, command.Actor, cancellationToken);
            await StaffInvitation.StaffInvitations.CountAsync(addressLimits, invitationLimits, tenant.TenantId!.Value, email, cancellationToken);
        }

        return await db.RetryOnConcurrentChangeAsync(() => UpdateAsync(command, email, before.Email, before.Role, diaries, invitedBy, cancellationToken));
    }

    private async Task<StaffMemberView> UpdateAsync(
        UpdateStaffMember command, string email, string emailChecked, string roleChecked, List<Guid> diaries, string? invitedBy, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The person's row is locked before it is read, as a used reset link locks it (ResetStaffPassword) and a followed
        // email link (ConfirmStaffEmail): the one waits for the other and reads what it saved (decision 206).
        await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", command.Id, cancellationToken);
        var member = await db.Staff.FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        StaffRules.RequireMayTouch(command.Actor, member.Role, command.Role);
        if (command.Role == StaffRoles.Owner && member.Role != StaffRoles.Owner && roleChecked == StaffRoles.Owner)
        {
            // Demoted since the checks above, which asked no password as they saw an owner: making them one again needs it.
            throw ProblemException.ChangedMeanwhile("This person's role changed at the same moment. Look at it again and retry.");
        }

        var roleChanged = member.Role != command.Role;
        if (member.Role == StaffRoles.Owner && roleChanged && await StaffRules.LockOwnersAsync(db, tenant.TenantId!.Value, cancellationToken) <= 1)
        {
            throw StaffProblems.LastOwner("This is the business's only owner. Make someone else an owner first.");
        }

        var emailChange = email != member.Email;
        if (emailChange && member.Email != emailChecked)
        {
            // The email changed since the checks above (a link followed at this moment): they were for another address.
            throw ProblemException.ChangedMeanwhile("This person's email changed at the same moment. Look at it again and retry.");
        }

        if (emailChange && member.Role == StaffRoles.Owner && roleChecked != StaffRoles.Owner && member.Id != command.Actor.Id)
        {
            // Made an owner since the checks above, which asked no password for their email: look again.
            throw ProblemException.ChangedMeanwhile("This person's role changed at the same moment. Look at it again and retry.");
        }

        member.Name = command.Name!.Trim();
        member.Role = command.Role!;
        member.DiaryIds = diaries;
        if (roleChanged)
        {
            // The old role's sessions end below; so do the links a session of theirs could have asked for (a change of their
            // sign-in email waiting for its link, unused reset links), as for a password change (decision 331): someone at
            // a demoted admin's open session must not keep a way back in. An invitation (someone who never chose a
            // password, so had no session) stays: it is the person's only way in, under the new role. Before a new email
            // change this same save starts, which the owner asked for now.
            var now = clock.GetUtcNow();
            await db.StaffEmailConfirmations.Where(t => t.StaffId == member.Id && t.UsedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
            await db.StaffResetTokens.Where(t => t.StaffId == member.Id && t.UsedAt == null && !t.Invitation)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        }

        var invitationMoved = emailChange && member.InvitedAt is not null && invitedBy is not null;
        if (invitationMoved)
        {
            // Invited and no password yet (decision 257): nobody can sign in to the account, and the only way in is the
            // invitation's link, which proves the address it is used from. So the new address is theirs at once (as if
            // removed and added again with it): their old links end (the invitation sent to the old address, any email
            // link) and a new invitation goes to the new address; the old one is told nothing.
            var now = clock.GetUtcNow();
            await db.StaffEmailConfirmations.Where(t => t.StaffId == member.Id && t.UsedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
            member.Email = email;
            member.EmailProvenAt = null;
            await StaffInvitation.StaffInvitations.IssueAsync(db, member, invitedBy, tenant, invitationLimits, origin, protection, now, cancellationToken);
        }
        else if (emailChange)
        {
            await StaffEmailChangeLinks.StartAsync(db, member, email, tenant, linkLimits, origin, protection, clock.GetUtcNow(), cancellationToken);
        }

        await StaffRules.SaveAsync(db, cancellationToken);
        if (roleChanged)
        {
            // In the change's transaction (decision 271): a request cut short after the commit kept the old role's sessions.
            await StaffSignIn.StaffSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, member.Id, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        var pending = invitationMoved ? null
            : emailChange ? email
            : (await StaffEmailChangeLinks.PendingAsync(db, clock.GetUtcNow(), [member.Id], cancellationToken)).GetValueOrDefault(member.Id);
        return StaffMemberView.From(member, tenant, pending);
    }
}

/// <summary>Removing someone also ends their sessions. Nobody removes themselves (ask another owner or admin).</summary>
public sealed class RemoveStaffMemberHandler(TenancyDbContext db, ITenantContext tenant) : ICommandHandler<RemoveStaffMember>
{
    /// <summary>A removal that finds the person already gone by the time it saves (two at once) looks again: 404.</summary>
    public async ValueTask<Unit> Handle(RemoveStaffMember command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => RemoveAsync(command, cancellationToken));

    private async Task<Unit> RemoveAsync(RemoveStaffMember command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var member = await db.Staff.FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        StaffRules.RequireMayTouch(command.Actor, member.Role, null);
        if (member.Role == StaffRoles.Owner && await StaffRules.LockOwnersAsync(db, tenant.TenantId!.Value, cancellationToken) <= 1)
        {
            throw StaffProblems.LastOwner("This is the business's only owner; the business cannot be left without one.");
        }

        if (member.Id == command.Actor.Id)
        {
            throw ProblemException.Forbidden("You cannot remove yourself; ask another owner or admin.");
        }

        db.Staff.Remove(member);
        await db.SaveChangesAsync(cancellationToken);
        await StaffSignIn.StaffSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, member.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}
