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

/// <summary>
/// Staff email links, the one mechanism that proves a staff address (decision 236): a row of
/// <c>staff_email_confirmations</c> (the SHA-256 of its token, an expiry, single use, <c>sent_to</c>). Used, it makes
/// <c>sent_to</c> the person's sign-in email, proven: when that is their sign-in email already (the link sign-up sends,
/// or "Send the link again") it only proves it; when it is another address (a change of the sign-in email, decision
/// 232) it moves the sign-in there too. One redeem (<see cref="ConfirmStaffEmail"/>), one lifetime
/// (<see cref="StaffEmailConfirmationLimits.LinkLifetime"/>), one page (<c>/staff/confirm-email</c>, with
/// <c>/staff/verify-email</c> as its alias).
/// </summary>
public static class StaffEmailLinks
{
    /// <summary>The window the per-person and per-business counts of "Send the link again" look back over.</summary>
    public static readonly TimeSpan CountingWindow = TimeSpan.FromDays(1);

    public static byte[] Hash(string token) => ResetTokens.Hash(token);

    /// <summary>
    /// How an email change's link was hashed while it was a row of <c>staff_password_reset_tokens</c> (decision 232);
    /// migration <c>UnifyStaffEmailLinks</c> moved the open ones here as they were. They expire within a day of it,
    /// after which this (and its use in <see cref="FindAsync"/>) can go.
    /// </summary>
    public static byte[] MovedChangeHash(string token) => ResetTokens.Hash("staff-email-change:" + token);

    /// <summary>
    /// Adds a link to <paramref name="sentTo"/> for <paramref name="staff"/>, saved with the caller's changes, and answers
    /// the row and the link (on the configured origin, never a request's Host, decision 66) for the caller's event,
    /// which carries it encrypted. <paramref name="page"/>: the path the email links to (both open the same page).
    /// </summary>
    internal static (StaffEmailConfirmationToken Row, string Url) Issue(TenancyDbContext db, StaffMember staff, string sentTo, TenantInfo business,
        StaffEmailConfirmationLimits limits, DateTimeOffset now, PublicOrigin origin, string page)
    {
        var token = ResetTokens.NewToken();
        var row = new StaffEmailConfirmationToken
        {
            Id = Guid.CreateVersion7(),
            StaffId = staff.Id,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + limits.LinkLifetime,
            SentTo = sentTo,
        };
        db.StaffEmailConfirmations.Add(row);
        return (row, $"{origin.Value}{page}?name={Uri.EscapeDataString(business.Slug)}&token={token}");
    }

    /// <summary>A link that proves the person's sign-in email, and the event that emails it.</summary>
    internal static void IssueProof(TenancyDbContext db, StaffMember staff, TenantInfo business, StaffEmailConfirmationLimits limits, DateTimeOffset now,
        PublicOrigin origin, IDataProtectionProvider protection)
    {
        var (row, url) = Issue(db, staff, staff.Email, business, limits, now, origin, "/staff/verify-email");
        db.Publish(new StaffEmailConfirmationRequested(Guid.CreateVersion7(), business.Id, staff.Id, staff.Email, staff.Name,
            ProtectedResetLinks.Protect(protection, url), row.ExpiresAt));
    }

    /// <summary>The answer to a link that changes nothing: expired, used by now, replaced, stopped by a reset, forged, another business's.</summary>
    public static FluentValidation.ValidationException Dead() =>
        ProblemException.Invalid("token", "This link has expired, was replaced by a newer one, or is not a link we sent. Nothing was changed.");

    /// <summary>The answer to the link of an email change that was called off (<see cref="Staff.CallOffStaffEmailChange"/>).</summary>
    public static FluentValidation.ValidationException CalledOff() =>
        ProblemException.Invalid("token", "This change of sign-in email was called off, so its link no longer works. Nothing was changed.");

    /// <summary>The link whose token this is (hashed either way), or null. Another business's is not found (tenant filter).</summary>
    internal static async Task<StaffEmailConfirmationToken?> FindAsync(TenancyDbContext db, string? token, bool track, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var moved = MovedChangeHash(token);
        var links = track ? db.StaffEmailConfirmations : db.StaffEmailConfirmations.AsNoTracking();
        return await links.FirstOrDefaultAsync(t => t.TokenHash == hash || t.TokenHash == moved, cancellationToken);
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
/// per-business advisory lock (two presses at once count each other): 3 links to the person's address and 20 staff
/// email links of any use from a business in 24 hours (email changes' included), the sign-up's included; past either,
/// rate-limited with Retry-After. The links to the address sent before stop working (a change waiting is left alone).
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
        var since = now - StaffEmailLinks.CountingWindow;
        var mine = await db.StaffEmailConfirmations.Where(t => t.StaffId == staff.Id && t.SentTo == staff.Email && t.CreatedAt > since)
            .OrderByDescending(t => t.CreatedAt).Select(t => t.CreatedAt).ToListAsync(cancellationToken);
        if (mine.Count >= limits.LinksPerPersonPerDay)
        {
            // Free again when the oldest of the last few leaves the window.
            var free = mine[limits.LinksPerPersonPerDay - 1] + StaffEmailLinks.CountingWindow;
            throw ProblemException.RateLimited(Seconds(free - now),
                $"We have sent {mine.Count} links to {staff.Email} in the last 24 hours. Look for the newest one (check your spam or junk folder too), "
                + $"or send another in {Hours(free - now)}.");
        }

        if (await db.StaffEmailConfirmations.CountAsync(t => t.CreatedAt > since, cancellationToken) >= limits.LinksPerBusinessPerDay)
        {
            throw ProblemException.RateLimited((int)StaffEmailLinks.CountingWindow.TotalSeconds,
                "This business has sent as many confirmation links as it may in 24 hours. Try again tomorrow.");
        }

        // The links to this address sent before stop working: only the newest email's link confirms.
        await db.StaffEmailConfirmations.Where(t => t.StaffId == staff.Id && t.UsedAt == null && t.SentTo == staff.Email)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        StaffEmailLinks.IssueProof(db, staff, business, limits, now, origin, protection);
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

