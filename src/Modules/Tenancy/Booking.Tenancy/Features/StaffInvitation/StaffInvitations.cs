using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.Staff;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffInvitation;

/// <summary>
/// An invitation to the team (decision 248): someone added on Setup → Team without a password is emailed a link where
/// they choose one. The link is a staff reset link (<see cref="StaffPasswordResetToken"/>, <c>Invitation</c> set), used
/// through the same redeem (<see cref="StaffPasswordReset.ResetStaffPassword"/>, also at
/// <c>POST /api/v1/staff/auth/accept-invitation</c>): single use, <c>sent_to</c> checked under the person's row lock,
/// the address proven once it is used, swept and revoked with the reset links. It lives
/// <see cref="StaffInvitationLimits.LinkLifetime"/> (7 days). Sending it again ends every earlier link of the person.
/// </summary>
public static class StaffInvitations
{
    public const string AcceptPath = "/staff/accept-invitation";

    /// <summary>
    /// Counts an invitation to <paramref name="email"/> (one person: 3 an hour) and from the business (20 an hour) before
    /// anything is written; over either → rate-limited, nothing sent.
    /// </summary>
    public static Task CountAsync(AddressLimits addressLimits, StaffInvitationLimits limits, Guid tenantId, string email, CancellationToken cancellationToken) =>
        addressLimits.CountAsync(
            [
                new AddressCap($"staff-invitation-to:{tenantId}:{email}", limits.PerPersonPerHour),
                new AddressCap($"staff-invitation-from:{tenantId}", limits.PerBusinessPerHour),
            ],
            "Too many invitations were sent. Wait a while before sending another.", cancellationToken);

    /// <summary>
    /// A new invitation link for <paramref name="member"/>, within the caller's save: the person's other open links
    /// (reset or invitation) end, the link's row is added and <see cref="StaffInvited"/> written to the outbox.
    /// <paramref name="invitedBy"/>: the acting owner's or admin's name, kept on the row (<see cref="StaffMember.InvitedBy"/>);
    /// null when nobody acts (the person's own "Forgot your password?", decision 257): the name kept from before, or
    /// none (the email then says "You were added").
    /// </summary>
    internal static async Task<DateTimeOffset> IssueAsync(
        TenancyDbContext db, StaffMember member, string? invitedBy, ITenantContext tenant, StaffInvitationLimits limits, PublicOrigin origin,
        IDataProtectionProvider protection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (invitedBy is not null)
        {
            member.InvitedBy = invitedBy;
        }

        await db.StaffResetTokens.Where(t => t.StaffId == member.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        var token = ResetTokens.NewToken();
        var link = new StaffPasswordResetToken
        {
            Id = Guid.CreateVersion7(),
            StaffId = member.Id,
            TokenHash = ResetTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + limits.LinkLifetime,
            SentTo = member.Email,
            Invitation = true,
        };
        db.StaffResetTokens.Add(link);
        var business = tenant.Current!;
        // The configured origin, never a request's Host header (decision 66).
        var url = $"{origin.Value}{AcceptPath}?name={Uri.EscapeDataString(business.Slug)}&token={token}";
        db.Publish(new StaffInvited(Guid.CreateVersion7(), business.Id, member.Id, member.Email, member.Name, member.InvitedBy ?? "",
            ProtectedResetLinks.Protect(protection, url), link.ExpiresAt)); // encrypted: the outbox and the job keep no working link
        return link.ExpiresAt;
    }

    /// <summary>The acting owner's or admin's name, for the email's "… added you to …".</summary>
    internal static async Task<string> ActorNameAsync(TenancyDbContext db, StaffActor actor, CancellationToken cancellationToken) =>
        await db.Staff.AsNoTracking().Where(s => s.Id == actor.Id).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.Forbidden("Sign in again: your account was changed.");

    /// <summary>What an invitation link can do now, and the words for one that cannot (the page's and the API's).</summary>
    internal static async Task<StaffInvitationCheck> CheckAsync(TenancyDbContext db, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return StaffInvitationCheck.Unknown;
        }

        var hash = ResetTokens.Hash(token);
        var link = await db.StaffResetTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return link is null ? StaffInvitationCheck.Unknown : await CheckAsync(db, link, now, cancellationToken);
    }

    internal static async Task<StaffInvitationCheck> CheckAsync(TenancyDbContext db, StaffPasswordResetToken link, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var member = await db.Staff.AsNoTracking().Where(s => s.Id == link.StaffId).Select(s => new { s.Name, s.Email, s.InvitedAt }).FirstOrDefaultAsync(cancellationToken);
        if (member is null)
        {
            return StaffInvitationCheck.Unknown;
        }

        // Replaced first (decision 271): a link a newer invitation ended (its use time is no later than the newer link's
        // making, as IssueAsync ends them) says so even once the newer one was accepted, rather than "you have already
        // chosen your password with this invitation", which was another invitation.
        var replaced = link.UsedAt is { } ended && await db.StaffResetTokens.AsNoTracking()
            .AnyAsync(t => t.StaffId == link.StaffId && t.Invitation && t.Id != link.Id && t.CreatedAt > link.CreatedAt && t.CreatedAt >= ended, cancellationToken);
        var state = replaced ? StaffInvitationCheck.ReplacedState
            : member.InvitedAt is null ? StaffInvitationCheck.AcceptedState
            : link.UsedAt is not null || !link.SentToCurrent(member.Email) ? StaffInvitationCheck.ReplacedState
            : link.ExpiresAt <= now ? StaffInvitationCheck.ExpiredState
            : StaffInvitationCheck.UsableState;
        return new StaffInvitationCheck(state, member.Name, member.Email, link.ExpiresAt);
    }
}

/// <summary>
/// An invitation link's state: <c>usable</c> (the page shows the form, naming the person and address), <c>accepted</c>
/// (they have set a password: sign in), <c>replaced</c> (sent again since, or the address changed: the latest email's
/// link works), <c>expired</c>, <c>unknown</c> (not a link we sent, incomplete, another business's, or the person was
/// removed). A reset link's token reads as the invitation of its person.
/// </summary>
public sealed record StaffInvitationCheck(string State, string? Name = null, string? Email = null, DateTimeOffset? ExpiresAt = null)
{
    public const string UsableState = "usable";
    public const string AcceptedState = "accepted";
    public const string ReplacedState = "replaced";
    public const string ExpiredState = "expired";
    public const string UnknownState = "unknown";

    public static readonly StaffInvitationCheck Unknown = new(UnknownState);

    public bool IsUsable => State == UsableState;

    /// <summary>Why the link cannot set a password, in words for the person who followed it; null when it can.</summary>
    public string? Refusal => State switch
    {
        UsableState => null,
        AcceptedState => "You have already chosen your password with this invitation. Sign in with your email address and that password "
            + "(if you have forgotten it, use \"Forgot your password?\" on the sign-in page).",
        ReplacedState => "This invitation link no longer works: a newer invitation was sent to you since. Use the link in the latest email.",
        ExpiredState => "This invitation link has expired. Ask the person who added you to send the invitation again from Setup → Team.",
        _ => "This invitation link doesn't work: it may be incomplete. Use the whole link from the email, or ask the person who added you to send the invitation again.",
    };
}

/// <summary>Whether the page's invitation link can still be used, and for whom (the accept page shows the form only then).</summary>
public sealed record CheckStaffInvitation(string? Token) : IQuery<StaffInvitationCheck>;

public sealed class CheckStaffInvitationHandler(TenancyDbContext db, TimeProvider clock) : IQueryHandler<CheckStaffInvitation, StaffInvitationCheck>
{
    public async ValueTask<StaffInvitationCheck> Handle(CheckStaffInvitation query, CancellationToken cancellationToken) =>
        await StaffInvitations.CheckAsync(db, query.Token, clock.GetUtcNow(), cancellationToken);
}

/// <summary>
/// Setup → Team's "Send the invitation again" (<c>POST /api/v1/admin/staff/{id}/send-invitation</c>): a new link to a
/// member who has not chosen a password yet; the earlier link stops working. Owner and admin (an admin not an owner's).
/// </summary>
public sealed record SendStaffInvitation(StaffActor Actor, Guid StaffId) : ICommand<StaffInvitationSent>;

/// <param name="Email">The address the invitation went to.</param>
/// <param name="ExpiresAt">When its link stops working (the business's offset).</param>
public sealed record StaffInvitationSent(string Email, DateTimeOffset ExpiresAt);

public static class StaffInvitationProblems
{
    public const string AlreadyAcceptedKind = "invitation-accepted";

    /// <summary>409: the person has chosen a password already; they sign in (or reset a forgotten password).</summary>
    public static ProblemException AlreadyAccepted() => new(AlreadyAcceptedKind, 409, "The invitation was accepted",
        "They have already chosen a password and can sign in. If they forgot it, send them a password reset link instead.");
}

public sealed class SendStaffInvitationHandler(
    TenancyDbContext db, ITenantContext tenant, AddressLimits addressLimits, StaffInvitationLimits limits, PublicOrigin origin, IDataProtectionProvider protection,
    TimeProvider clock)
    : ICommandHandler<SendStaffInvitation, StaffInvitationSent>
{
    public async ValueTask<StaffInvitationSent> Handle(SendStaffInvitation command, CancellationToken cancellationToken)
    {
        var before = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == command.StaffId, cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        StaffRules.RequireMayTouch(command.Actor, before.Role, before.Role);
        if (before.InvitedAt is null)
        {
            throw StaffInvitationProblems.AlreadyAccepted();
        }

        var invitedBy = await StaffInvitations.ActorNameAsync(db, command.Actor, cancellationToken);
        await StaffInvitations.CountAsync(addressLimits, limits, tenant.TenantId!.Value, before.Email, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Under the person's row lock, as a used link and a change of the email take it: the link goes to the address
        // they have now, and an invitation accepted at this moment is seen.
        await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", command.StaffId, cancellationToken);
        var member = await db.Staff.FirstOrDefaultAsync(s => s.Id == command.StaffId, cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        StaffRules.RequireMayTouch(command.Actor, member.Role, member.Role); // their role as it is now, under the lock
        if (member.InvitedAt is null)
        {
            throw StaffInvitationProblems.AlreadyAccepted();
        }

        var expires = await StaffInvitations.IssueAsync(db, member, invitedBy, tenant, limits, origin, protection, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StaffInvitationSent(member.Email, tenant.Local(expires));
    }
}
