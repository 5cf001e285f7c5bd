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
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.Staff;

/// <summary>
/// A change of a staff member's sign-in email takes effect only once the new address follows the link emailed to it
/// (decision 232). The link is a row of <c>staff_password_reset_tokens</c>, the table of the person's emailed links:
/// the SHA-256 of its token (taken over <see cref="HashPrefix"/> and the token, so a reset link's token never matches an
/// email link and the other way round), its expiry, its use, and in <c>sent_to</c> the new address. So, with no
/// migration, it lives and dies as a reset link does: a used reset (the old address's way to stop the change) ends it,
/// as any change of the email does; the sweep deletes it when spent; <c>keys revoke</c> ends it with the reset links
/// (<see cref="StaffPasswordReset.StaffResetLinks"/>). A reset link is always sent to the person's email of the moment,
/// so an open link whose <c>sent_to</c> is not their email is a change waiting for its confirmation.
/// </summary>
public static class StaffEmailChangeLinks
{
    /// <summary>How long the link works: a day, as a client's email-change link (decision 214).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>At most this many email changes asked for one staff member in a clock hour, and to one new address.</summary>
    public const int PerPersonPerHour = 5;

    public const int PerAddressPerHour = 3;

    private const string HashPrefix = "staff-email-change:";

    public static byte[] Hash(string token) => ResetTokens.Hash(HashPrefix + token);

    /// <summary>The answer to a link that cannot change anything: expired, used, stopped by a change since, or not ours.</summary>
    public static FluentValidation.ValidationException Dead() =>
        ProblemException.Invalid("token", "This link has expired or was already used. Nothing was changed.");

    /// <summary>The new address each staff member of <paramref name="staffIds"/> (all when null) waits to confirm, if any.</summary>
    public static async Task<Dictionary<Guid, string>> PendingAsync(TenancyDbContext db, DateTimeOffset now, IReadOnlyCollection<Guid>? staffIds, CancellationToken cancellationToken)
    {
        var open = db.StaffResetTokens.AsNoTracking().Where(t => t.UsedAt == null && t.ExpiresAt > now);
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
        TenancyDbContext db, StaffMember member, string newEmail, bool byThemselves, ITenantContext tenant, PublicOrigin origin, IDataProtectionProvider protection,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.StaffResetTokens.Where(t => t.StaffId == member.Id && t.UsedAt == null && t.SentTo != member.Email)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        var token = ResetTokens.NewToken();
        var link = new StaffPasswordResetToken
        {
            Id = Guid.CreateVersion7(),
            StaffId = member.Id,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            SentTo = newEmail,
        };
        db.StaffResetTokens.Add(link);
        var slug = Uri.EscapeDataString(tenant.Current!.Slug);
        // The configured origin, never the request's Host (decision 66).
        var url = $"{origin.Value}/staff/confirm-email?name={slug}&token={token}";
        db.Publish(new StaffEmailChangeRequested(Guid.CreateVersion7(), tenant.TenantId!.Value, member.Id, member.Name, member.Email, newEmail,
            ProtectedResetLinks.Protect(protection, url), $"{origin.Value}/staff/forgot-password?name={slug}", link.ExpiresAt, byThemselves));
    }
}

/// <summary>The link's state for the page it opens (<c>/staff/confirm-email</c>), which asks before it changes anything.</summary>
public sealed record CheckStaffEmailLink(string? Token) : IQuery<StaffEmailLinkState>;

/// <param name="NewEmail">The address the link would make the person's sign-in email; null when the link is dead.</param>
/// <param name="AlreadyDone">The link was followed: that address is their sign-in email now.</param>
public sealed record StaffEmailLinkState(string? NewEmail, bool AlreadyDone);

public sealed class CheckStaffEmailLinkHandler(TenancyDbContext db, TimeProvider clock) : IQueryHandler<CheckStaffEmailLink, StaffEmailLinkState>
{
    public async ValueTask<StaffEmailLinkState> Handle(CheckStaffEmailLink query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(query.Token) || query.Token.Length > 200)
        {
            return new StaffEmailLinkState(null, false);
        }

        var hash = StaffEmailChangeLinks.Hash(query.Token);
        var link = await db.StaffResetTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (link?.SentTo is null)
        {
            return new StaffEmailLinkState(null, false);
        }

        var email = await db.Staff.AsNoTracking().Where(s => s.Id == link.StaffId).Select(s => s.Email).FirstOrDefaultAsync(cancellationToken);
        return email is null ? new StaffEmailLinkState(null, false)
            : link.UsedAt is not null && email == link.SentTo ? new StaffEmailLinkState(link.SentTo, true)
            : link.IsUsableAt(clock.GetUtcNow()) && email != link.SentTo ? new StaffEmailLinkState(link.SentTo, false)
            : new StaffEmailLinkState(null, false);
    }
}

/// <summary>The emailed link, followed (<c>POST /api/v1/staff/auth/confirm-email</c>, the page it opens): no session needed.</summary>
public sealed record ConfirmStaffEmail(string? Token) : ICommand<StaffEmailConfirmed>;

/// <param name="AlreadyDone">The link had been followed already: nothing changed now.</param>
public sealed record StaffEmailConfirmed(string Email, bool AlreadyDone);

public sealed class ConfirmStaffEmailValidator : AbstractValidator<ConfirmStaffEmail>
{
    public ConfirmStaffEmailValidator() =>
        RuleFor(x => x.Token).NotEmpty().WithMessage("Give the link's token.").MaximumLength(200).WithMessage("The link is not one we sent.");
}

/// <summary>
/// Under the lock on the person's row that a reset and a Team change also take: the link must be unused, unexpired and
/// for an address that is not already theirs; another team member holding the address by now is refused on
/// <c>email</c>. The address becomes their sign-in email, proven (it came back from there); the person's other open
/// links end (reset links sent to the old address); the old address is told (<see cref="StaffSignInEmailChanged"/>);
/// and every session of theirs ends: they sign in again with the new address, on every device.
/// </summary>
public sealed class ConfirmStaffEmailHandler(TenancyDbContext db, PlatformDbContext platform, ITenantContext tenant, TimeProvider clock)
    : ICommandHandler<ConfirmStaffEmail, StaffEmailConfirmed>
{
    /// <summary>The same link followed twice at once: the second save finds it used (its token), looks again, and says it is done.</summary>
    public async ValueTask<StaffEmailConfirmed> Handle(ConfirmStaffEmail command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => ConfirmAsync(command, cancellationToken));

    private async Task<StaffEmailConfirmed> ConfirmAsync(ConfirmStaffEmail command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = StaffEmailChangeLinks.Hash(command.Token!);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var link = await db.StaffResetTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (link?.SentTo is null)
        {
            throw StaffEmailChangeLinks.Dead();
        }

        await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", link.StaffId, cancellationToken);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == link.StaffId, cancellationToken) ?? throw StaffEmailChangeLinks.Dead();
        if (link.UsedAt is not null && staff.Email == link.SentTo)
        {
            return new StaffEmailConfirmed(staff.Email, AlreadyDone: true);
        }

        if (!link.IsUsableAt(now) || staff.Email == link.SentTo)
        {
            throw StaffEmailChangeLinks.Dead();
        }

        if (await db.Staff.AnyAsync(s => s.Email == link.SentTo && s.Id != staff.Id, cancellationToken))
        {
            throw TakenMeanwhile();
        }

        var oldEmail = staff.Email;
        staff.Email = link.SentTo;
        staff.EmailProvenAt = now; // the link went there and came back
        await PasswordResets.UseAsync(db.StaffResetTokens, link, t => t.StaffId == staff.Id, now, cancellationToken);
        db.Publish(new StaffSignInEmailChanged(Guid.CreateVersion7(), tenant.TenantId!.Value, staff.Id, oldEmail, staff.Email, staff.Name));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw TakenMeanwhile();
        }

        await transaction.CommitAsync(cancellationToken);
        await PostgresTicketStore.EndAllAsync(platform, AuthSchemes.Staff, tenant.TenantId!.Value, staff.Id, cancellationToken);
        return new StaffEmailConfirmed(staff.Email, AlreadyDone: false);
    }

    private static FluentValidation.ValidationException TakenMeanwhile() =>
        ProblemException.Invalid("email", "Someone else on the team signs in with this address now, so it cannot be yours. Nothing was changed.");
}

public static class StaffEmailChangeEndpoints
{
    public static void MapStaffEmailChange(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/staff/auth/confirm-email", async (ConfirmStaffEmail command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .WithTenantFromQuery()
            .WithName("ConfirmStaffEmail")
            .WithTags("Staff")
            .WithSummary("The emailed link's token: its address becomes the staff member's sign-in email (no session needed), and their sessions end. "
                + "A dead link → `validation` on `token`; the address another team member's by now → `validation` on `email`.")
            .Accepts<ConfirmStaffEmail>("application/json")
            .Produces<StaffEmailConfirmed>()
            .ProducesValidationProblem();
}
