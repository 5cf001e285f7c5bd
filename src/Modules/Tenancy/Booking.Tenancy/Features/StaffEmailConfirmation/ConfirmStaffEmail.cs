using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffEmailConfirmation;

/// <summary>What the link's page shows on opening it (a GET changes nothing: mail scanners open links).</summary>
public sealed record CheckStaffEmailLink(string? Token) : IQuery<StaffEmailLinkState>;

public enum StaffEmailLinkUse
{
    /// <summary>Expired, used, replaced, stopped by a reset, forged or another business's: it changes nothing.</summary>
    Dead,

    /// <summary>The link of an email change that was called off.</summary>
    CalledOff,

    /// <summary>It would prove the address the person signs in with now.</summary>
    Prove,

    /// <summary>It would make its address the person's sign-in email (a change of it, decision 232).</summary>
    Change,

    /// <summary>Its address is the person's sign-in email and proven: nothing is left to do.</summary>
    AlreadyDone,
}

/// <param name="Email">The link's address (null when dead or called off).</param>
/// <param name="Name">The person's name (null when dead or called off).</param>
public sealed record StaffEmailLinkState(StaffEmailLinkUse Use, string? Email, string? Name);

public sealed class CheckStaffEmailLinkHandler(TenancyDbContext db, TimeProvider clock) : IQueryHandler<CheckStaffEmailLink, StaffEmailLinkState>
{
    public async ValueTask<StaffEmailLinkState> Handle(CheckStaffEmailLink query, CancellationToken cancellationToken)
    {
        var link = await StaffEmailLinks.FindAsync(db, query.Token, track: false, cancellationToken);
        var staff = link is null ? null
            : await db.Staff.AsNoTracking().Where(s => s.Id == link.StaffId).Select(s => new { s.Email, s.Name, Proven = s.EmailProvenAt != null })
                .FirstOrDefaultAsync(cancellationToken);
        if (link is null || staff is null)
        {
            return new StaffEmailLinkState(StaffEmailLinkUse.Dead, null, null);
        }

        var usable = link.IsUsableAt(clock.GetUtcNow());
        var use = link.SentToCurrent(staff.Email)
            ? staff.Proven ? StaffEmailLinkUse.AlreadyDone : usable ? StaffEmailLinkUse.Prove : StaffEmailLinkUse.Dead
            : link.CalledOffAt is not null ? StaffEmailLinkUse.CalledOff
            : usable ? StaffEmailLinkUse.Change : StaffEmailLinkUse.Dead;
        return use is StaffEmailLinkUse.Dead or StaffEmailLinkUse.CalledOff ? new StaffEmailLinkState(use, null, null) : new StaffEmailLinkState(use, link.SentTo, staff.Name);
    }
}

/// <summary>
/// The emailed link, followed (<c>POST /api/v1/staff/auth/confirm-email</c>, and its alias <c>…/verify-email</c>; the
/// page either link opens): no session needed, the link is the proof.
/// </summary>
public sealed record ConfirmStaffEmail(string? Token) : ICommand<StaffEmailConfirmed>;

/// <param name="AlreadyDone">The address was the person's sign-in email and proven before: nothing changed now.</param>
/// <param name="Changed">The link made its address the sign-in email just now: every session of the person ended.</param>
public sealed record StaffEmailConfirmed(string Email, bool AlreadyDone, bool Changed = false);

public sealed class ConfirmStaffEmailValidator : AbstractValidator<ConfirmStaffEmail>
{
    public ConfirmStaffEmailValidator() =>
        RuleFor(x => x.Token).NotEmpty().WithMessage("The link is incomplete. Use the whole link from the email.")
            .MaximumLength(200).WithMessage("This is not a link we sent.");
}

/// <summary>
/// One redeem for every staff email link, under the lock on the person's row that a reset and a Team change also take.
/// The link must be unused and unexpired. Sent to the person's sign-in email, it proves it (<c>email_proven_at</c>, the
/// proof a used reset link gives: request emails held back from it go there from then on) and ends the other links to
/// that address, leaving a change waiting alone. Sent to another address, it makes that the sign-in email, proven (the
/// link went there and came back), unless another team member signs in with it by now (<c>validation</c> on
/// <c>email</c>); every other link of the person ends (reset links sent to the old address must not set the password the
/// new one signs in with), the old address is told (<see cref="StaffSignInEmailChanged"/>) and every session of theirs
/// ends. A link no longer usable while its address is the proven sign-in email answers <c>AlreadyDone</c>; a called-off
/// change's link says so; anything else is <c>validation</c> on <c>token</c>.
/// </summary>
public sealed class ConfirmStaffEmailHandler(TenancyDbContext db, ITenantContext tenant, TimeProvider clock)
    : ICommandHandler<ConfirmStaffEmail, StaffEmailConfirmed>
{
    /// <summary>The same link followed twice at once: the second save finds it used (its token), looks again, and says it is done.</summary>
    public async ValueTask<StaffEmailConfirmed> Handle(ConfirmStaffEmail command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => ConfirmAsync(command, cancellationToken));

    private async Task<StaffEmailConfirmed> ConfirmAsync(ConfirmStaffEmail command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var link = await StaffEmailLinks.FindAsync(db, command.Token, track: true, cancellationToken) ?? throw StaffEmailLinks.Dead();
        await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", link.StaffId, cancellationToken);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == link.StaffId, cancellationToken) ?? throw StaffEmailLinks.Dead();
        var usable = link.IsUsableAt(now);
        if (link.SentToCurrent(staff.Email))
        {
            if (!usable)
            {
                return staff.EmailProvenAt is not null ? new StaffEmailConfirmed(staff.Email, AlreadyDone: true) : throw StaffEmailLinks.Dead();
            }

            var already = staff.EmailProvenAt is not null;
            staff.ProveEmail(now, db.Publish); // the link went to this address and came back: request emails go there now
            var address = staff.Email;
            await PasswordResets.UseAsync(db.StaffEmailConfirmations, link, t => t.StaffId == staff.Id && t.SentTo == address, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new StaffEmailConfirmed(staff.Email, already);
        }

        if (link.CalledOffAt is not null)
        {
            throw StaffEmailLinks.CalledOff();
        }

        if (!usable)
        {
            throw StaffEmailLinks.Dead();
        }

        if (await db.Staff.AnyAsync(s => s.Email == link.SentTo && s.Id != staff.Id, cancellationToken))
        {
            throw TakenMeanwhile();
        }

        var oldEmail = staff.Email;
        staff.Email = link.SentTo!;
        staff.ProveEmail(now, db.Publish, newAddress: true); // the link went there and came back
        await PasswordResets.UseAsync(db.StaffEmailConfirmations, link, t => t.StaffId == staff.Id, now, cancellationToken);
        await db.StaffResetTokens.Where(t => t.StaffId == staff.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        db.Publish(new StaffSignInEmailChanged(Guid.CreateVersion7(), tenant.TenantId!.Value, staff.Id, oldEmail, staff.Email, staff.Name));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw TakenMeanwhile();
        }

        await StaffSignIn.StaffSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, staff.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StaffEmailConfirmed(staff.Email, AlreadyDone: false, Changed: true);
    }

    private static FluentValidation.ValidationException TakenMeanwhile() =>
        ProblemException.Invalid("email", "Someone else on the team signs in with this address now, so it cannot be yours. Nothing was changed.");
}

/// <summary>Staff email links of both uses, ended when the Data Protection keys are revoked (<see cref="IEmailedLinks"/>).</summary>
public sealed class StaffEmailConfirmationLinks(TenancyDbContext db) : IEmailedLinks
{
    public string What => "staff email confirmation link";

    public Task<int> EndUsableAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        EmailedLinks.EndUsableResetLinksAsync(db.StaffEmailConfirmations, now, cancellationToken);
}
