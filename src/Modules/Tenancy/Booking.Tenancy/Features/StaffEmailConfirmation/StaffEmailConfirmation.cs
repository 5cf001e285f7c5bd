using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffEmailConfirmation;

/// <summary>Making and judging staff email confirmation links: the reset links' shape (a hashed single-use token, <c>sent_to</c>).</summary>
public static class StaffEmailConfirmations
{
    /// <summary>The window the per-person and per-business counts look back over.</summary>
    public static readonly TimeSpan CountingWindow = TimeSpan.FromDays(1);

    /// <summary>
    /// Adds a new link for <paramref name="staff"/> (its hash) and the event that emails it, saved with the caller's
    /// changes. The link is on the configured origin, never a request's Host (decision 66), and travels encrypted.
    /// </summary>
    internal static void Issue(TenancyDbContext db, StaffMember staff, TenantInfo business, StaffEmailConfirmationLimits limits, DateTimeOffset now,
        PublicOrigin origin, IDataProtectionProvider protection)
    {
        var token = ResetTokens.NewToken();
        var row = new StaffEmailConfirmationToken
        {
            Id = Guid.CreateVersion7(),
            StaffId = staff.Id,
            TokenHash = ResetTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + limits.LinkLifetime,
            SentTo = staff.Email, // confirming checks this is still the person's sign-in email
        };
        db.StaffEmailConfirmations.Add(row);
        var url = $"{origin.Value}/staff/verify-email?name={Uri.EscapeDataString(business.Slug)}&token={token}";
        db.Publish(new StaffEmailConfirmationRequested(Guid.CreateVersion7(), business.Id, staff.Id, staff.Email, staff.Name,
            ProtectedResetLinks.Protect(protection, url), row.ExpiresAt));
    }

    /// <summary>The answer to a link that proves nothing: expired, replaced, forged, another business's, or for an address no longer the person's.</summary>
    public static Exception LinkDead() =>
        ProblemException.Invalid("token", "This link has expired, was replaced by a newer one, or is not a link we sent. Nothing was changed.");

    /// <summary>
    /// What a link says now: null when it proves nothing; else the address, and whether it is already proven (a link
    /// used, replaced or expired while its address is proven says so rather than that it is dead: it is true, and
    /// changes nothing).
    /// </summary>
    internal static async Task<(StaffEmailConfirmationToken Link, StaffMember Staff)?> FindAsync(TenancyDbContext db, string? token, bool track,
        Func<Guid, Task>? lockPerson, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = ResetTokens.Hash(token);
        var links = track ? db.StaffEmailConfirmations : db.StaffEmailConfirmations.AsNoTracking();
        var link = await links.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (link is null)
        {
            return null;
        }

        if (lockPerson is not null)
        {
            await lockPerson(link.StaffId);
        }

        var people = track ? db.Staff : db.Staff.AsNoTracking();
        var staff = await people.FirstOrDefaultAsync(s => s.Id == link.StaffId, cancellationToken);
        return staff is not null && link.SentToCurrent(staff.Email) ? (link, staff) : null;
    }
}

/// <summary>The signed-in staff member's sign-in email and whether it is proven (Setup's and Requests' notice).</summary>
public sealed record MyEmailConfirmation(string Email, bool Confirmed, DateTimeOffset? ConfirmedAt, DateTimeOffset? LastSentAt);

public sealed record GetMyEmailConfirmation(Guid StaffId) : IQuery<MyEmailConfirmation>;

public sealed class GetMyEmailConfirmationHandler(TenancyDbContext db, ITenantContext tenant) : IQueryHandler<GetMyEmailConfirmation, MyEmailConfirmation>
{
    public async ValueTask<MyEmailConfirmation> Handle(GetMyEmailConfirmation query, CancellationToken cancellationToken)
    {
        var staff = await db.Staff.AsNoTracking().Where(s => s.Id == query.StaffId).Select(s => new { s.Email, s.EmailProvenAt }).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        var lastSent = await db.StaffEmailConfirmations.AsNoTracking().Where(t => t.StaffId == query.StaffId && t.SentTo == staff.Email)
            .OrderByDescending(t => t.CreatedAt).Select(t => (DateTimeOffset?)t.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return new MyEmailConfirmation(staff.Email, staff.EmailProvenAt is not null,
            staff.EmailProvenAt is { } at ? tenant.Local(at) : null, lastSent is { } sent ? tenant.Local(sent) : null);
    }
}

/// <summary>A signed-in staff member sends themselves a fresh confirmation link (Setup's and Requests' "Send the link again").</summary>
public sealed record SendMyEmailConfirmation(Guid StaffId) : ICommand<MyEmailConfirmation>;

/// <summary>
/// Only ever to the caller's own sign-in email, so it tells nobody anything about other addresses. Counted under a
/// per-business advisory lock (two presses at once count each other): 3 links to a person and 20 from a business in
/// 24 hours, the sign-up's included; past either, rate-limited with Retry-After. The links sent before stop working.
/// An address already proven is <c>validation</c> on <c>email</c>.
/// </summary>
public sealed class SendMyEmailConfirmationHandler(
    TenancyDbContext db, ITenantContext tenant, StaffEmailConfirmationLimits limits, PublicOrigin origin, IDataProtectionProvider protection, TimeProvider clock)
    : ICommandHandler<SendMyEmailConfirmation, MyEmailConfirmation>
{
    public async ValueTask<MyEmailConfirmation> Handle(SendMyEmailConfirmation command, CancellationToken cancellationToken)
    {
        var business = tenant.Current!;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.LockForTransactionAsync($"staff-email-verification:{business.Id}", cancellationToken);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == command.StaffId, cancellationToken) ?? throw ProblemException.Unauthenticated();
        if (staff.EmailProvenAt is not null)
        {
            throw ProblemException.Invalid("email", $"{staff.Email} is already confirmed.");
        }

        var now = clock.GetUtcNow();
        var since = now - StaffEmailConfirmations.CountingWindow;
        var mine = await db.StaffEmailConfirmations.Where(t => t.StaffId == staff.Id && t.CreatedAt > since)
            .OrderByDescending(t => t.CreatedAt).Select(t => t.CreatedAt).ToListAsync(cancellationToken);
        if (mine.Count >= limits.LinksPerPersonPerDay)
        {
            // Free again when the oldest of the last few leaves the window.
            var free = mine[limits.LinksPerPersonPerDay - 1] + StaffEmailConfirmations.CountingWindow;
            throw ProblemException.RateLimited(Seconds(free - now),
                $"We have sent {mine.Count} links to {staff.Email} in the last 24 hours. Look for the newest one (check your spam or junk folder too), "
                + $"or send another in {Hours(free - now)}.");
        }

        if (await db.StaffEmailConfirmations.CountAsync(t => t.CreatedAt > since, cancellationToken) >= limits.LinksPerBusinessPerDay)
        {
            throw ProblemException.RateLimited((int)StaffEmailConfirmations.CountingWindow.TotalSeconds,
                "This business has sent as many confirmation links as it may in 24 hours. Try again tomorrow.");
        }

        // The links sent before stop working: only the newest email's link confirms.
        await db.StaffEmailConfirmations.Where(t => t.StaffId == staff.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        StaffEmailConfirmations.Issue(db, staff, business, limits, now, origin, protection);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MyEmailConfirmation(staff.Email, false, null, tenant.Local(now));
    }

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));

    private static string Hours(TimeSpan span)
    {
        if (span.TotalMinutes < 60)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(span.TotalMinutes));
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }

        var hours = (int)Math.Ceiling(span.TotalHours);
        return hours == 1 ? "1 hour" : $"{hours} hours";
    }
}

/// <summary>The emailed link's token: confirming proves the address the link was sent to (no session needed; the link is the proof).</summary>
public sealed record VerifyStaffEmail(string? Token) : ICommand<StaffEmailVerified>;

/// <param name="AlreadyDone">The address was proven before (this link used already, or another way): nothing changed.</param>
public sealed record StaffEmailVerified(string Email, bool AlreadyDone);

public sealed class VerifyStaffEmailValidator : AbstractValidator<VerifyStaffEmail>
{
    public VerifyStaffEmailValidator() =>
        RuleFor(x => x.Token).NotEmpty().WithMessage("The link is incomplete. Use the whole link from the email.")
            .MaximumLength(200).WithMessage("This is not a link we sent.");
}

/// <summary>
/// A usable link (not used, not expired, not replaced, sent to the person's sign-in email now, read under the lock on
/// their row that a change of the email also takes) proves the address, the same proof a used reset link gives
/// (<c>email_proven_at</c>): the request emails held back from it go there from then on. It is used once; the person's
/// other links end with it. A link that is no longer usable while its address is proven answers <c>AlreadyDone</c>.
/// </summary>
public sealed class VerifyStaffEmailHandler(TenancyDbContext db, TimeProvider clock) : ICommandHandler<VerifyStaffEmail, StaffEmailVerified>
{
    /// <summary>The same link sent twice at once: the second save finds it used (its token) and looks again.</summary>
    public async ValueTask<StaffEmailVerified> Handle(VerifyStaffEmail command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => ConfirmAsync(command, cancellationToken));

    private async Task<StaffEmailVerified> ConfirmAsync(VerifyStaffEmail command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var found = await StaffEmailConfirmations.FindAsync(db, command.Token, track: true,
            id => PasswordResets.LockPersonAsync(db, "tenancy.staff_members", id, cancellationToken), cancellationToken)
            ?? throw StaffEmailConfirmations.LinkDead();
        var (link, staff) = found;
        if (!link.IsUsableAt(now))
        {
            return staff.EmailProvenAt is not null ? new StaffEmailVerified(staff.Email, true) : throw StaffEmailConfirmations.LinkDead();
        }

        var already = staff.EmailProvenAt is not null;
        staff.EmailProvenAt ??= now; // the link went to this address and came back: request emails go there now
        await PasswordResets.UseAsync(db.StaffEmailConfirmations, link, t => t.StaffId == staff.Id, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StaffEmailVerified(staff.Email, already);
    }
}

/// <summary>What the confirm page shows on opening the link (a GET changes nothing: mail scanners open links).</summary>
public sealed record CheckStaffEmailConfirmation(string? Token) : IQuery<StaffEmailLinkState?>;

/// <param name="AlreadyDone">The address is proven already: the page says so, with nothing to press.</param>
public sealed record StaffEmailLinkState(string Email, string Name, bool AlreadyDone);

public sealed class CheckStaffEmailConfirmationHandler(TenancyDbContext db, TimeProvider clock) : IQueryHandler<CheckStaffEmailConfirmation, StaffEmailLinkState?>
{
    public async ValueTask<StaffEmailLinkState?> Handle(CheckStaffEmailConfirmation query, CancellationToken cancellationToken)
    {
        if (await StaffEmailConfirmations.FindAsync(db, query.Token, track: false, null, cancellationToken) is not var (link, staff))
        {
            return null;
        }

        return staff.EmailProvenAt is not null ? new StaffEmailLinkState(staff.Email, staff.Name, true)
            : link.IsUsableAt(clock.GetUtcNow()) ? new StaffEmailLinkState(staff.Email, staff.Name, false)
            : null;
    }
}

/// <summary>Staff email confirmation links, ended when the Data Protection keys are revoked (<see cref="IEmailedLinks"/>).</summary>
public sealed class StaffEmailConfirmationLinks(TenancyDbContext db) : IEmailedLinks
{
    public string What => "staff email confirmation link";

    public Task<int> EndUsableAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        EmailedLinks.EndUsableResetLinksAsync(db.StaffEmailConfirmations, now, cancellationToken);
}
